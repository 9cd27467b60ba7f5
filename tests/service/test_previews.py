"""Streaming previews from a tiny preview decoder (TAESANA's layout, random weights): `dcae export
--preview-decoder` adds `preview_decoder`, and a streamed generation shows a preview after every step
(`preview_every_step`) or its `partial_images`, each the tiny decoder's picture of that step's clean-latent
estimate; the gateway's embedded runtime and Triton give the same."""

from __future__ import annotations

import base64
import io
import json

import httpx
import numpy as np
import pytest
import torch
from PIL import Image

from dcae.contract.pixels import to_uint8
from support.releases import write_sana_release
from support.served import cpu_triton, gateway

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

BODY = {"prompt": "a red cat", "seed": 2, "steps": 4, "stream": True}


@pytest.fixture(scope="module")
def release_and_tiny(tmp_path_factory):
    from dcae.models.random_init import randomize_by_name_
    from dcae.models.taesd import TinyDecoder

    root = tmp_path_factory.mktemp("previews")
    write_sana_release(root / "Sana_tiny_diffusers", seed=6)
    tiny = randomize_by_name_(TinyDecoder().eval(), seed=4)
    torch.save(tiny.state_dict(), root / "taesana_decoder.pth")
    return root / "Sana_tiny_diffusers", root / "taesana_decoder.pth", tiny


@pytest.fixture(scope="module")
def preview_repository(release_and_tiny):
    from export.repository import export_repository

    release, weights, _ = release_and_tiny
    export_repository(release.parent / "repo", generator=release, preview_decoder=weights, log=lambda *a: None)
    return release.parent / "repo"


@pytest.fixture(scope="module")
def preview_triton(triton_env, preview_repository, release_and_tiny, tmp_path_factory):
    release, weights, _ = release_and_tiny
    with cpu_triton(preview_repository, release, tmp_path_factory.mktemp("triton"), preview_decoder=weights) as server:
        yield server


@pytest.fixture(scope="module")
def expected_previews(release_and_tiny):
    """The tiny decoder's picture of each step's clean-latent estimate, by the PyTorch pipeline's loop."""
    from dcae.contract import generation
    from dcae.pipelines.sana import SanaPipeline

    release, _, tiny = release_and_tiny
    pipe = SanaPipeline.from_pretrained(release)
    cond, uncond = pipe.conditioning(1, BODY["prompt"], None)
    loop = generation.GuidedDenoising.start(pipe.objective, pipe.sampling["sampler"], BODY["steps"], pipe.latent_shape(),
                                            BODY["seed"], 1, cond, uncond, pipe.sampling["guidance"])
    pictures = []
    with torch.no_grad():
        for i in loop.steps:
            loop.advance(i, pipe.denoise(loop.inputs(i)))
            pictures.append(to_uint8((tiny(torch.from_numpy(loop.state.x0)) * 2 - 1).numpy())[0])
    return pictures


def events(response: httpx.Response) -> list[dict]:
    assert response.status_code == 200, response.text
    return [json.loads(line[6:]) for line in response.text.splitlines() if line.startswith("data: ")]


def pixels(event: dict) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(event["b64_json"]))))


@pytest.mark.parametrize("runtime", ["embedded", "triton"])
def test_a_preview_after_every_step(request, gateways, runtime, expected_previews):
    served = gateway(request, gateways, runtime, repository="preview_repository", triton="preview_triton")
    got = events(httpx.post(f"{served.url}/v1/generate", json={**BODY, "preview_every_step": True}, timeout=120))
    kinds = [e["type"].split(".")[-1] for e in got]
    assert kinds == ["progress", "partial_image"] * 3 + ["progress", "completed"]
    partial = [e for e in got if e["type"].endswith("partial_image")]
    assert [e["partial_image_index"] for e in partial] == [0, 1, 2]
    for event, expected in zip(partial, expected_previews):
        assert np.abs(pixels(event).astype(int) - expected.astype(int)).max() <= 2
    # OpenAI's partial_images count: the same preview decoder at evenly spread steps (after step 2 of 4)
    one = events(httpx.post(f"{served.url}/v1/generate", json={**BODY, "partial_images": 1}, timeout=120))
    (preview,) = [e for e in one if e["type"].endswith("partial_image")]
    assert np.abs(pixels(preview).astype(int) - expected_previews[1].astype(int)).max() <= 2


def test_the_preview_decoder_is_listed_and_previews_need_a_stream(request, gateways):
    served = gateway(request, gateways, "embedded", repository="preview_repository")
    models = httpx.get(f"{served.url}/v1/models").json()["data"]
    preview = next(m for m in models if m["kind"] == "preview_decoder")
    assert preview["details"]["params"] == 8_301_763
    r = httpx.post(f"{served.url}/v1/generate", json={**BODY, "stream": False, "preview_every_step": True})
    assert r.status_code == 422 and r.json()["error"]["field"] == "preview_every_step"


def test_when_previews_are_due():
    """A fixed sampler's previews after the steps `preview_steps` picks; an adaptive one's (no total) when its progress
    passes (j + 1) / (previews + 1), one per step however many points it passes, none at the end."""
    from service.pipeline import PreviewSchedule

    fixed = PreviewSchedule(10, 2, every_step=False)
    assert [fixed.after(done, done / 10) for done in range(1, 11)] == [None, None, 0, None, None, None, 1, None, None,
                                                                        None]
    adaptive = PreviewSchedule(None, 3, every_step=False)
    fractions = [0.1, 0.3, 0.8, 0.9, 1.0]  # passes 1/4, then 1/2 and 3/4 at once
    assert [adaptive.after(done, f) for done, f in enumerate(fractions, 1)] == [None, 0, 1, None, None]
    every = PreviewSchedule(None, 0, every_step=True)
    assert [every.after(done, f) for done, f in enumerate([0.0, 0.2, 0.2, 0.5, 1.0], 1)] == [None, 0, None, 1, None]
