"""The shipped models, served: the gateway over `model_repository/` (exported from `weights/` by
`make model-repository`, which `make test` runs first) reproduces the PyTorch models."""

from __future__ import annotations

import io
import os
from pathlib import Path

import httpx
import numpy as np
import pytest
import torch
from PIL import Image

from dcae.checkpoint import load_pretrained
from dcae.images import load_image, to_tensor, to_uint8
from test_service import free_port, start_server

ROOT = Path(__file__).resolve().parent.parent
REPO = ROOT / "model_repository"
HELDOUT = ROOT / "docs" / "images" / "heldout.png"  # a mate-backgrounds photograph: never trained on

pytestmark = pytest.mark.skipif(not (REPO / "encoder" / "config.pbtxt").is_file(),
                                reason="model_repository/ not exported: run `make model-repository`")


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    return float(10 * np.log10(255.0**2 / np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)))


@pytest.fixture(scope="module")
def server():
    port = free_port()
    proc = start_server({**os.environ, "DCAE_MODEL_REPOSITORY": str(REPO)}, port)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=10)


def test_round_trip_of_a_heldout_photograph_reaches_the_models_psnr(server):
    original = np.asarray(Image.open(HELDOUT).convert("RGB"))
    latent = httpx.post(f"{server}/v1/encode", files={"image": ("p.png", HELDOUT.read_bytes())},
                        headers={"Accept": "application/x-npy"}, timeout=120).content
    back = httpx.post(f"{server}/v1/decode", content=latent, headers={"Content-Type": "application/x-npy"},
                      timeout=120).content
    served = np.asarray(Image.open(io.BytesIO(back)).convert("RGB"))
    model = load_pretrained(ROOT / "weights" / "dc-ae-f32c32-small")
    with torch.no_grad():
        expected = to_uint8(model(to_tensor(load_image(HELDOUT))[None])[0])
    assert served.shape == original.shape
    assert psnr(served, original) >= psnr(expected, original) - 0.05  # what the PyTorch model achieves
    assert np.abs(served.astype(int) - expected.astype(int)).max() <= 2  # and the same pixels


def test_generation_is_deterministic_and_prompt_dependent(server):
    def gen(prompt: str, seed: int) -> np.ndarray:
        r = httpx.post(f"{server}/v1/generate", json={"prompt": prompt, "seed": seed, "steps": 8,
                                                      "response_format": "png"}, timeout=300)
        assert r.status_code == 200, r.text
        return np.asarray(Image.open(io.BytesIO(r.content)).convert("RGB"))

    a = gen("Black and white photograph of a wooden jetty in thick grey fog", 5)
    assert a.shape == (512, 512, 3)
    assert np.array_equal(a, gen("Black and white photograph of a wooden jetty in thick grey fog", 5))
    b = gen("Vector illustration of a pink and magenta goldfish on a deep blue background", 5)
    assert np.abs(a.astype(int) - b.astype(int)).mean() > 10  # the prompt changes the picture
