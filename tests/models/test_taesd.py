"""The preview decoder (TAESANA's layout) against the reference taesd.py's F32Decoder on the same weights: golden
outputs the reference computed outside the project (tests/data/taesana/README.md says how)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from dcae.checkpoint import CheckpointError, load_tiny_decoder
from dcae.models.random_init import randomize_by_name_
from dcae.models.taesd import TinyDecoder

GOLDEN = Path(__file__).parent.parent / "data" / "taesana"


def test_equals_the_reference_decoder_on_the_same_weights():
    ours = randomize_by_name_(TinyDecoder().eval(), seed=0)
    names = [f"{k} {tuple(v.shape)}" for k, v in ours.state_dict().items()]
    assert names == (GOLDEN / "keys.txt").read_text().splitlines()  # the reference's names, shapes and order
    latent = torch.from_numpy(np.load(GOLDEN / "latent.npy"))
    expected = np.load(GOLDEN / "decoded.npy")
    with torch.no_grad():
        got = ours(latent).numpy()
    assert got.shape == expected.shape == (1, 3, 64, 96)
    assert np.abs(got - expected).max() <= 1e-4 * np.abs(expected).max()
    assert expected.std() > 0.1
    assert sum(p.numel() for p in ours.parameters()) == 8_301_763


@pytest.mark.parametrize("suffix", [".pth", ".safetensors"])
def test_the_releases_file_loads_strictly(tmp_path, suffix):
    from safetensors.torch import save_file

    ours = randomize_by_name_(TinyDecoder().eval(), seed=1)
    path = tmp_path / f"taesana_decoder{suffix}"
    state = {k: v.contiguous() for k, v in ours.state_dict().items()}
    torch.save(state, path) if suffix == ".pth" else save_file(state, str(path))
    loaded = load_tiny_decoder(path)
    latent = torch.randn(2, 32, 1, 2)
    with torch.no_grad():
        assert torch.equal(loaded(latent), ours(latent))
    del state["29.bias"]
    torch.save(state, tmp_path / "broken.pth")
    with pytest.raises(CheckpointError, match="missing: 29.bias"):
        load_tiny_decoder(tmp_path / "broken.pth")
