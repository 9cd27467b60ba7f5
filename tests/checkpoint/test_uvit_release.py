"""efficientvit's U-ViT releases (the paper's headline generators), from the downloaded directory to a served image,
on a narrowed copy: the release's name and single-file layout (diffusion_model.* in efficientvit's U-ViT names,
checked against the reference's own names in tests/data/uvit/), its recipe (DPM-Solver++ "fast", 30 evaluations,
guidance 1.5), small widths and random weights. convert -> info -> dcae generate (--latents, --save-latents) ->
export -> the gateway (embedded, Triton, Triton's generate model), equal to `dcae generate`. The model and the
sampler equal efficientvit's own: tests/models/test_uvit.py, tests/contract/test_dpm_solver_fast.py."""

from __future__ import annotations

import json

import httpx
import numpy as np
import pytest
from PIL import Image

from dcae.checkpoint import PUBLISHED
from dcae.cli import main
from dcae.contract.pixels import to_uint8
from dcae.models import dc_ae
from support.releases import NARROW_AE, check_cli_latents, narrowed_release, write_uvit_release
from support.stages import cli_stage, peak_rss_gib
from support.served import gateway, images_of, release_fixtures

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

NAME = "dc-ae-f32c32-in-1.0-uvit-s-in-512px"
HEADLINE = "dc-ae-f64c128-in-1.0-uvit-h-in-512px"
USIT = "dc-ae-f32c32-in-1.0-usit-h-in-512px"
FULL_SIZE = {name: (PUBLISHED[name], dc_ae.get_config(PUBLISHED[name].autoencoder))  # before any narrowing
             for name in (HEADLINE, USIT)}
RECIPE = {"sampler": "dpmpp_fast", "steps": 30, "guidance": 1.5}
NARROW_UVIT = PUBLISHED[NAME].dit.replace(depth=2, hidden_size=32, num_heads=2, input_size=2)


@pytest.fixture(scope="module")
def narrowed():
    with narrowed_release(NAME, NARROW_AE, NARROW_UVIT):
        yield


@pytest.fixture(scope="module")
def converted(narrowed, tmp_path_factory):
    root = tmp_path_factory.mktemp("uvit")
    write_uvit_release(root / NAME, NAME, NARROW_AE, NARROW_UVIT, seed=3)
    assert main(["convert", str(root / NAME), str(root / "uvit-s"), "--json"]) == 0
    return root / "uvit-s"


uvit_repository, uvit_triton = release_fixtures("uvit", "converted")


@pytest.fixture(scope="module")
def pytorch_images(converted):
    from dcae.pipelines.latent_diffusion import LatentDiffusionPipeline

    pipe = LatentDiffusionPipeline.from_pretrained(converted)
    return to_uint8(pipe(class_label=207, n=2, seed=9, steps=6).numpy())


def test_convert_info_and_generate_with_the_releases_recipe(converted, tmp_path, capsys):
    config = json.loads((converted / "config.json").read_text())
    assert config["architecture"] == "uvit" and config["sampling"] == RECIPE
    capsys.readouterr()
    assert main(["info", str(converted), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["name"] == "U-ViT-S" and info["sampling"] == RECIPE and info["conditioning"] == "class (1000)"
    # --latents and --save-latents: the final latents are the pipeline's from that noise
    assert check_cli_latents(converted, tmp_path, (1, 32, 2, 2)).shape == (64, 64, 3)
    np.save(tmp_path / "bad.npy", np.load(tmp_path / "noise.npy")[:, :8])
    assert main(["generate", "--model", str(converted), "--class", "3", "--latents", str(tmp_path / "bad.npy"),
                 "-o", str(tmp_path / "y.png")]) == 2
    assert "expected (n, 32, 2, 2) start noise" in capsys.readouterr().err


@pytest.mark.parametrize("runtime", ["embedded", "torch", "triton", "triton-loop"])
def test_the_gateway_serves_the_release(request, gateways, runtime, pytorch_images):
    served = gateway(request, gateways, runtime, repository="uvit_repository", triton="uvit_triton")
    gen = next(m for m in httpx.get(f"{served.url}/v1/models", timeout=30).json()["data"] if m["kind"] == "generator")
    assert (gen["name"], gen["details"]["family"], gen["details"]["default_sampler"]) == ("U-ViT-S", "uvit", "dpmpp_fast")
    r = httpx.post(f"{served.url}/v1/generate", json={"class_label": 207, "n": 2, "seed": 9, "steps": 6}, timeout=120)
    diff = np.abs(images_of(r).astype(int) - pytorch_images.astype(int))
    assert diff.max() <= 2 and diff.mean() < 0.05, (diff.max(), diff.mean())
    r = httpx.post(f"{served.url}/v1/generate", json={"class_label": 1, "size": 128}, timeout=30)
    assert r.status_code == 422 and "generates 64px images only" in r.json()["error"]["message"]  # a fixed grid


@pytest.mark.slow
@pytest.mark.parametrize("name,sampler", [(HEADLINE, "dpmpp_fast"), (USIT, "euler")], ids=["uvit-h-f64", "usit-h"])
def test_the_full_size_headline_release_from_download_to_a_served_image(tmp_path, name, sampler):
    """U-ViT-H on dc-ae-f64c128-in-1.0 (the paper's headline), and USiT-H on dc-ae-f32c32-in-1.0, at full size with
    random weights: convert -> dcae generate (3 steps of `sampler`) -> dcae export -> the embedded gateway, whose
    image equals `dcae generate`'s for the same seed within 2 levels, then one image at the release's recipe.
    Prints each stage's time, peak memory and the recipe's model evaluations."""
    import io
    import os
    import re
    import time

    from support.served import free_port, runtime_env, start_server

    spec, ae_cfg = FULL_SIZE[name]
    write_uvit_release(tmp_path / name, name, ae_cfg, spec.dit)
    report = {}

    cli_stage(report, "convert", "convert", str(tmp_path / name), str(tmp_path / "uvit-h"), "--json")
    gen = json.loads(cli_stage(report, "generate", "generate", "--model", str(tmp_path / "uvit-h"), "--class", "207",
                               "--seed", "3", "--steps", "3", "--sampler", sampler, "-o", str(tmp_path / "cli.png"),
                               "--json"))
    assert (gen["sampler"], gen["guidance"]) == (sampler, 1.5)
    expected = np.asarray(Image.open(tmp_path / "cli.png"))
    cli_stage(report, "export", "export", "--generator", str(tmp_path / "uvit-h"), "-o", str(tmp_path / "repo"))
    port = free_port()
    proc = start_server({**os.environ, **runtime_env("embedded", tmp_path / "repo")}, port, timeout_s=600)
    try:
        url = f"http://127.0.0.1:{port}"
        t0 = time.perf_counter()
        r = httpx.post(f"{url}/v1/generate", json={"class_label": 207, "seed": 3, "steps": 3, "sampler": sampler,
                                                   "response_format": "png"}, timeout=900)
        report["gateway_3_steps_seconds"] = round(time.perf_counter() - t0, 1)
        assert r.status_code == 200, r.text
        diff = np.abs(np.asarray(Image.open(io.BytesIO(r.content))).astype(int) - expected.astype(int))
        assert diff.max() <= 2, diff.max()
        def evaluations() -> int:  # the gateway's denoising steps so far, from its metrics
            text = httpx.get(f"{url}/metrics", timeout=30).text
            return int(float(re.search(r'dcae_stage_duration_seconds_count\{stage="denoise_step"\} (\S+)', text)[1]))

        before, t0 = evaluations(), time.perf_counter()
        r = httpx.post(f"{url}/v1/generate", json={"class_label": 1, "seed": 4}, timeout=1800)  # the recipe
        assert r.status_code == 200, r.text
        report["gateway_recipe_seconds"] = round(time.perf_counter() - t0, 1)
        report["gateway_recipe_evaluations"] = evaluations() - before
        report["gateway_peak_rss_gib"] = round(peak_rss_gib(proc.pid), 2)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print(f"\nfull-size {spec.dit.name} on {spec.autoencoder}:", json.dumps(report, indent=1))
