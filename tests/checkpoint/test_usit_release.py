"""efficientvit's USiT releases (U-ViT trained on SiT's linear path, sampled by dopri5), from the downloaded directory
to a served image, on a narrowed copy: the release's name and single-file layout, its recipe (dopri5 from t = 0 to
1, atol 1e-6, rtol 1e-3, guidance 1.5; `steps` caps the evaluations), small widths and random weights.
convert -> info -> dcae generate (--latents, --save-latents) -> export -> the gateway (embedded, torch, Triton,
Triton's generate model), equal to `dcae generate`; the stream's progress events for a sampler whose number of
steps is not known in advance. The sampler equals efficientvit's own: tests/contract/test_ode_sampler.py."""

from __future__ import annotations

import base64
import io
import json

import httpx
import numpy as np
import pytest
from PIL import Image

from dcae.checkpoint import PUBLISHED
from dcae.cli import main
from dcae.contract.pixels import to_uint8
from support.releases import NARROW_AE, check_cli_latents, narrowed_release, write_uvit_release
from support.served import gateway, images_of, release_fixtures

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

NAME = "dc-ae-f32c32-in-1.0-usit-h-in-512px"
RECIPE = {"sampler": "dopri5", "steps": 1000, "guidance": 1.5}
NARROW_USIT = PUBLISHED[NAME].dit.replace(depth=2, hidden_size=32, num_heads=2, input_size=2)


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    with narrowed_release(NAME, NARROW_AE, NARROW_USIT):
        root = tmp_path_factory.mktemp("usit")
        write_uvit_release(root / NAME, NAME, NARROW_AE, NARROW_USIT, seed=5)
        assert main(["convert", str(root / NAME), str(root / "usit-h"), "--json"]) == 0
        yield root / "usit-h"


usit_repository, usit_triton = release_fixtures("usit", "converted")


@pytest.fixture(scope="module")
def pytorch_images(converted):
    from dcae.pipelines.latent_diffusion import LatentDiffusionPipeline

    pipe = LatentDiffusionPipeline.from_pretrained(converted)
    return to_uint8(pipe(class_label=207, n=2, seed=9).numpy())


def test_convert_info_and_generate_with_the_releases_recipe(converted, tmp_path, capsys):
    config = json.loads((converted / "config.json").read_text())
    assert config["architecture"] == "uvit" and config["sampling"] == RECIPE
    assert config["objective"]["kind"] == "linear"
    capsys.readouterr()
    assert main(["info", str(converted), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["name"] == "USiT-H" and info["sampling"] == RECIPE and info["conditioning"] == "class (1000)"
    assert check_cli_latents(converted, tmp_path, (1, 32, 2, 2)).shape == (64, 64, 3)
    # a cap below what the integration needs is refused by name
    assert main(["generate", "--model", str(converted), "--class", "3", "--steps", "5", "-o",
                 str(tmp_path / "y.png")]) != 0
    assert "dopri5 spent the 5 evaluations allowed" in capsys.readouterr().err


@pytest.mark.parametrize("runtime", ["embedded", "torch", "triton", "triton-loop"])
def test_the_gateway_serves_the_release(request, gateways, runtime, pytorch_images):
    served = gateway(request, gateways, runtime, repository="usit_repository", triton="usit_triton")
    gen = next(m for m in httpx.get(f"{served.url}/v1/models", timeout=30).json()["data"] if m["kind"] == "generator")
    assert (gen["name"], gen["details"]["default_sampler"], gen["details"]["default_steps"]) == ("USiT-H", "dopri5",
                                                                                               1000)
    r = httpx.post(f"{served.url}/v1/generate", json={"class_label": 207, "n": 2, "seed": 9}, timeout=120)
    diff = np.abs(images_of(r).astype(int) - pytorch_images.astype(int))
    assert diff.max() <= 2 and diff.mean() < 0.05, (diff.max(), diff.mean())
    r = httpx.post(f"{served.url}/v1/generate", json={"class_label": 207, "steps": 5}, timeout=60)
    assert r.status_code == 422 and "dopri5 spent the 5 evaluations allowed" in r.json()["error"]["message"], r.text


def test_the_stream_reports_an_adaptive_samplers_progress(request, gateways, pytorch_images):
    """Progress events with steps null (not known in advance) and a fraction that grows to 1; previews spread over
    the integration time (of the 2 asked, an integration of few steps may pass only the first point before its end);
    the completed image the non-streamed one."""
    served = gateway(request, gateways, "embedded", repository="usit_repository", triton="usit_triton")
    with httpx.stream("POST", f"{served.url}/v1/generate", json={"class_label": 207, "seed": 9, "stream": True,
                                                                 "partial_images": 2}, timeout=120) as r:
        events = [json.loads(line[6:]) for line in r.iter_lines() if line.startswith("data: ")]
    progress = [e for e in events if e["type"].endswith(".progress")]
    previews = [e for e in events if e["type"].endswith(".partial_image")]
    completed = [e for e in events if e["type"].endswith(".completed")]
    assert progress and all(e["steps"] is None for e in progress)
    fractions = [e["fraction"] for e in progress]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and [e["step"] for e in progress] == list(
        range(1, len(progress) + 1))
    assert [e["partial_image_index"] for e in previews] == list(range(len(previews))) and 1 <= len(previews) <= 2
    assert len(completed) == 1
    image = np.asarray(Image.open(io.BytesIO(base64.b64decode(completed[0]["b64_json"]))))
    assert np.abs(image.astype(int) - pytorch_images[0].astype(int)).max() <= 2
