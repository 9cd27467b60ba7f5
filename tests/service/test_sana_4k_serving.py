"""A 4K-style SANA release (sin-cos position embeddings with interpolation_scale 2, flow shift 6; written by
diffusers' SanaPipeline.save_pretrained with random weights) served: the exported transformer computes the
positions for each grid, so the gateway serves the native size and others, equal to `dcae generate`
(dcae.pipelines.sana.SanaPipeline, itself equal to diffusers': tests/pipelines/test_sana.py)."""

from __future__ import annotations

import httpx
import numpy as np
import pytest

from dcae.contract.pixels import to_uint8
from support.releases import write_sana_release
from support.served import gateway, images_of, repository_beside

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

REQUESTS = [{"prompt": "a red cat", "seed": 1, "steps": 3},  # native: 64 x 64
            {"prompt": "a red cat", "seed": 1, "steps": 3, "width": 96, "height": 64}]


@pytest.fixture(scope="module")
def release_4k(tmp_path_factory):
    directory = tmp_path_factory.mktemp("sana4k") / "Sana_4K_tiny_diffusers"
    write_sana_release(directory, seed=11, transformer={"interpolation_scale": 2.0}, flow_shift=6.0)
    return directory


@pytest.fixture(scope="module")
def repository_4k(release_4k):
    return repository_beside(release_4k)


def test_a_4k_style_release_is_served_at_any_size_as_dcae_generate_makes_it(request, gateways, release_4k):
    from dcae.pipelines.sana import SanaPipeline

    pipe = SanaPipeline.from_pretrained(release_4k)
    served = gateway(request, gateways, "embedded", repository="repository_4k")
    for body in REQUESTS:
        kwargs = {k: v for k, v in body.items()}
        expected = to_uint8(pipe(**kwargs).numpy())
        images = images_of(httpx.post(f"{served.url}/v1/generate", json=body, timeout=120))
        assert images.shape == expected.shape
        assert np.abs(images.astype(int) - expected.astype(int)).max() <= 2
