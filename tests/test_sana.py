"""SANA's transformer against diffusers' `SanaTransformer2DModel` on the same random weights, loaded from the
folder `save_pretrained` writes (a release's `transformer/` layout)."""

from __future__ import annotations

import json

import pytest
import torch

from dcae.models.random_init import randomize_
from dcae.checkpoint import CheckpointError, load_sana_transformer
from dcae.models.sana import SanaConfig

diffusers = pytest.importorskip("diffusers")

TINY = dict(in_channels=8, out_channels=8, num_attention_heads=2, attention_head_dim=8, num_layers=2,
            num_cross_attention_heads=2, cross_attention_head_dim=8, cross_attention_dim=16, caption_channels=24,
            mlp_ratio=2.5, sample_size=8, patch_size=1)


def reference(tmp_path, seed: int = 0, **overrides):
    ref = randomize_(diffusers.SanaTransformer2DModel(**{**TINY, **overrides}), seed=seed).eval()
    ref.save_pretrained(tmp_path / "transformer")
    return ref


def rel_err(a: torch.Tensor, b: torch.Tensor) -> float:
    return ((a - b).abs().max() / b.abs().max()).item()


@pytest.mark.parametrize("patch_size", [1, 2])
def test_equals_diffusers_on_the_same_weights(tmp_path, patch_size):
    ref = reference(tmp_path, patch_size=patch_size)
    ours = load_sana_transformer(tmp_path / "transformer")
    g = torch.Generator().manual_seed(1)
    x = torch.randn(3, 8, 8, 6, generator=g)  # not square: the token grid keeps its shape
    t = torch.tensor([999.0, 500.0, 3.0])
    caption = torch.randn(3, 5, 24, generator=g)
    mask = torch.ones(3, 5, dtype=torch.long)
    mask[1, 3:] = 0  # padded caption tokens
    with torch.no_grad():
        expected = ref(x, encoder_hidden_states=caption, timestep=t, encoder_attention_mask=mask).sample
        got = ours(x, t, caption, mask.bool())
    assert got.shape == expected.shape == (3, 8, 8, 6)
    assert rel_err(got, expected) <= 1e-4
    assert expected.abs().max() > 0.1  # random weights everywhere: a non-trivial output
    with torch.no_grad():  # the mask matters: unmasked padding gives another answer
        assert rel_err(ours(x, t, caption, None), expected) > 1e-3


def test_strict_loading_names_what_does_not_match(tmp_path):
    reference(tmp_path)
    from safetensors.torch import load_file, save_file

    path = tmp_path / "transformer" / "diffusion_pytorch_model.safetensors"
    state = load_file(str(path))
    del state["transformer_blocks.1.ff.conv_point.weight"]
    state["transformer_blocks.0.extra.weight"] = torch.zeros(1)
    save_file(state, str(path))
    with pytest.raises(CheckpointError, match=r"missing: transformer_blocks.1.ff.conv_point.weight; unexpected: "
                                              r"transformer_blocks.0.extra.weight"):
        load_sana_transformer(tmp_path / "transformer")


def test_configurations_not_implemented_are_refused_by_name(tmp_path):
    for overrides, name in (({"guidance_embeds": True}, "guidance_embeds"), ({"qk_norm": "rms_norm_across_heads"}, "qk_norm"),
                            ({"interpolation_scale": 1.0}, "interpolation_scale")):
        config = {**TINY, **overrides}
        with pytest.raises(ValueError, match=f"{name}=.*not implemented"):
            SanaConfig.from_diffusers(json.loads(json.dumps(config)))
