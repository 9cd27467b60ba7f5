"""A SANA 1.5 release (queries and keys normalised over all heads, `qk_norm="rms_norm_across_heads"`; written by
diffusers' SanaPipeline.save_pretrained with random weights) from the folder to served images: dcae export -> the
gateway on the embedded runtime and in front of a real Triton -> /v1/generate, equal to `dcae generate`
(dcae.pipelines.sana.SanaPipeline, itself equal to diffusers': tests/pipelines/test_sana.py) for the same seed."""

from __future__ import annotations

import httpx
import numpy as np
import pytest

from dcae.contract.pixels import to_uint8
from support.releases import write_sana_release
from support.served import cpu_triton, gateway, images_of, repository_beside

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

BODY = {"prompt": "A small red cat on the sea", "negative_prompt": "blue sky", "n": 2, "seed": 5, "steps": 3}


@pytest.fixture(scope="module")
def sana15_release(tmp_path_factory):
    directory = tmp_path_factory.mktemp("sana15") / "Sana_1.5_tiny_diffusers"
    write_sana_release(directory, seed=12, transformer={"qk_norm": "rms_norm_across_heads"})
    return directory


@pytest.fixture(scope="module")
def sana15_repository(sana15_release):
    return repository_beside(sana15_release)


@pytest.fixture(scope="module")
def sana15_triton(triton_env, sana15_repository, sana15_release, tmp_path_factory):
    with cpu_triton(sana15_repository, sana15_release, tmp_path_factory.mktemp("triton")) as server:
        yield server


@pytest.fixture(scope="module")
def pytorch_images(sana15_release):
    from dcae.pipelines.sana import SanaPipeline

    pipe = SanaPipeline.from_pretrained(sana15_release)
    assert pipe.transformer.config.qk_norm == "rms_norm_across_heads"
    return to_uint8(pipe(**BODY).numpy())


@pytest.mark.parametrize("runtime", ["embedded", "triton"])
def test_a_sana_1_5_release_is_served_as_dcae_generate_makes_it(request, gateways, runtime, pytorch_images):
    served = gateway(request, gateways, runtime, repository="sana15_repository", triton="sana15_triton")
    r = httpx.post(f"{served.url}/v1/generate", json=BODY, timeout=120)
    images = images_of(r)
    diff = np.abs(images.astype(int) - pytorch_images.astype(int))
    assert diff.max() <= 2 and diff.mean() < 0.05, (diff.max(), diff.mean())
