"""Pairing a SANA release with another decoder (DC-AE-Lite's: an all-ResBlock decoder with a SiLU output conv,
`decoder_conv_act_fn="silu"`, on the same latents): `dcae export --decoder` serves it, `dcae generate --decoder`
uses it, and both give the release's latents decoded by it. The Lite decoder itself equals diffusers'
AutoencoderDC with the same config: tests/models/test_equivalence.py ("lite-decoder")."""

from __future__ import annotations

import httpx
import numpy as np
import pytest
import torch

from dcae.contract.pixels import to_uint8
from support.releases import diffusers_kwargs, write_sana_release
from support.served import gateway, images_of

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

BODY = {"prompt": "a red cat", "n": 1, "seed": 4, "steps": 2}


def lite_decoder(directory, seed: int = 3):
    """A DC-AE-Lite-shaped AutoencoderDC for the tiny release's latents (f32, 32 channels): every decoder stage
    a ResBlock stage, the SiLU output conv; written by diffusers' save_pretrained."""
    import diffusers

    from dcae.models.dc_ae import get_config
    from dcae.models.random_init import randomize_

    kwargs = diffusers_kwargs(get_config("dc-ae-f32c32-tiny").replace(scaling_factor=0.37))
    stages = len(kwargs["decoder_block_out_channels"])
    kwargs.update(decoder_block_types=("ResBlock",) * stages, decoder_norm_types=("rms_norm",) * stages,
                  decoder_act_fns=("silu",) * stages, decoder_qkv_multiscales=((),) * stages, decoder_conv_act_fn="silu")
    randomize_(diffusers.AutoencoderDC(**kwargs), seed=seed).eval().save_pretrained(directory)
    return directory


@pytest.fixture(scope="module")
def paired(tmp_path_factory):
    """(release, Lite decoder folder, repository exported with it)."""
    from export.repository import export_repository

    root = tmp_path_factory.mktemp("lite")
    release = root / "Sana_tiny_diffusers"
    write_sana_release(release, seed=2)
    lite = lite_decoder(root / "dc-ae-lite-tiny-diffusers")
    export_repository(root / "repo", generator=release, decoder=lite, log=lambda *a: None)
    return release, lite, root / "repo"


@pytest.fixture(scope="module")
def lite_repository(paired):
    return paired[2]


@pytest.fixture(scope="module")
def expected(paired):
    """The release's latents (its own pipeline), decoded by the Lite decoder."""
    from dcae.pipelines.sana import SanaPipeline

    release, lite, _ = paired
    pipe = SanaPipeline.from_pretrained(release, decoder=lite)
    assert pipe.decoder is not pipe.autoencoder
    return to_uint8(pipe(**BODY).numpy()), to_uint8(SanaPipeline.from_pretrained(release)(**BODY).numpy())


@pytest.mark.parametrize("runtime", ["embedded", "torch"])
def test_a_release_is_served_with_the_lite_decoder(request, gateways, runtime, paired, expected):
    served = gateway(request, gateways, runtime, repository="lite_repository")
    images = images_of(httpx.post(f"{served.url}/v1/generate", json=BODY, timeout=120))
    assert np.abs(images.astype(int) - expected[0].astype(int)).max() <= 2
    assert np.abs(images.astype(int) - expected[1].astype(int)).mean() > 5  # not the VAE's own decoder
    ae = next(m for m in httpx.get(f"{served.url}/v1/models").json()["data"] if m["kind"] == "autoencoder")
    assert ae["details"]["decoder"]["name"] != ae["name"] or ae["details"]["decoder"]["weights_sha256"] != \
        ae["details"]["weights_sha256"]


def test_dcae_generate_decodes_with_it_and_mismatches_are_named(paired, expected, tmp_path):
    from PIL import Image

    from dcae.cli import main
    from export.repository import export_repository

    release, lite, _ = paired
    assert main(["generate", "--model", str(release), "--prompt", BODY["prompt"], "--seed", "4", "--steps", "2",
                 "--decoder", str(lite), "-o", str(tmp_path / "cat.png")]) == 0
    assert np.abs(np.asarray(Image.open(tmp_path / "cat.png")).astype(int) - expected[0][0].astype(int)).max() <= 2
    import diffusers

    from dcae.models.dc_ae import get_config

    other = diffusers.AutoencoderDC(**{**diffusers_kwargs(get_config("dc-ae-f32c32-tiny")), "latent_channels": 16})
    other.save_pretrained(tmp_path / "c16")
    with pytest.raises(ValueError, match="decodes f32c16 latents; the encoder .* makes f32c32"):
        export_repository(tmp_path / "repo", generator=release, decoder=tmp_path / "c16", log=lambda *a: None)

