"""U-ViT against efficientvit's UViT on the same weights: golden outputs the reference computed outside the project
(tests/data/uvit/README.md says how)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from dcae.models.random_init import randomize_by_name_
from dcae.models.uvit import UViT, UViTConfig

GOLDEN = np.load(Path(__file__).parent.parent / "data" / "uvit" / "uvit_golden.npz")


def tiny(patch: int = 1) -> UViT:
    cfg = UViTConfig("U-ViT-tiny", depth=4, hidden_size=32, num_heads=2, patch_size=patch, in_channels=8,
                     input_size=4, num_classes=10)
    return randomize_by_name_(UViT(cfg).eval(), seed=patch)


@pytest.mark.parametrize("patch", [1, 2])
def test_equals_the_reference_on_the_same_weights(patch):
    model = tiny(patch)
    if patch == 1:  # the reference's names, shapes and order: a release's tensors load as they are
        assert [f"{k} {tuple(v.shape)}" for k, v in model.state_dict().items()] == list(GOLDEN["keys"])
    x, t, y = (torch.from_numpy(GOLDEN[f"p{patch}_{k}"]) for k in ("x", "t", "y"))
    expected = GOLDEN[f"p{patch}_eps"]
    with torch.no_grad():
        got = model(x, t, y).numpy()
    assert got.shape == expected.shape == (3, 8, 4, 4)
    assert np.abs(got - expected).max() <= 1e-5 * np.abs(expected).max()
    with torch.no_grad():  # the label and the time reach the output
        assert np.abs(model(x, t, torch.tensor([4, 10, 0])).numpy() - expected).max() > 1e-3
        assert np.abs(model(x, t + 1, y).numpy() - expected).max() > 1e-3


def test_odd_depths_are_refused():
    with pytest.raises(ValueError, match="must be even"):
        UViT(UViTConfig("odd", depth=3, hidden_size=32, num_heads=2))
