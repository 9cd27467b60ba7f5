"""Architecture facts: shortcut channel orders, attention forms, presets and parameter counts."""

import json

import pytest
import torch
import torch.nn.functional as F

from dcae.cli import main
from dcae.contract.latents import LatentSpace
from dcae.models.dc_ae import (
    PRESETS, ChannelToSpaceDuplicate, DCAE, LiteMLA, SpaceToChannelAverage, count_parameters,
    create_model, get_config, pixel_shuffle, pixel_unshuffle,
)


def test_pixel_unshuffle_matches_pytorch_order():
    x = torch.randn(2, 3, 8, 12)
    assert torch.equal(pixel_unshuffle(x, 2), F.pixel_unshuffle(x, 2))
    assert torch.equal(pixel_unshuffle(x, 4), F.pixel_unshuffle(x, 4))
    assert torch.equal(pixel_shuffle(pixel_unshuffle(x, 2), 2), x)
    assert torch.equal(pixel_shuffle(x.reshape(2, 12, 4, 6), 2), F.pixel_shuffle(x.reshape(2, 12, 4, 6), 2))


def test_down_shortcut_hand_computed():
    # One channel, 2x2 image [[a, b], [c, d]] -> unshuffle gives channels (a, b, c, d) in that order;
    # 4 -> 2 channels averages consecutive pairs: ((a+b)/2, (c+d)/2).
    x = torch.tensor([[1.0, 2.0], [3.0, 5.0]]).reshape(1, 1, 2, 2)
    y = SpaceToChannelAverage(1, 2, factor=2)(x)
    assert y.flatten().tolist() == [1.5, 4.0]
    # Factor 1 (encoder output): 4 channels -> 2 averages channels (0, 1) and (2, 3), not (0, 2), (1, 3).
    x = torch.tensor([1.0, 3.0, 10.0, 20.0]).reshape(1, 4, 1, 1)
    assert SpaceToChannelAverage(4, 2, factor=1)(x).flatten().tolist() == [2.0, 15.0]


def test_up_shortcut_hand_computed():
    # Two channels (p, q) -> 1 channel at 2x: repeat_interleave gives (p, p, q, q), shuffle places
    # them at [[p, p], [q, q]] (a `repeat` would give [[p, q], [p, q]]).
    x = torch.tensor([7.0, 9.0]).reshape(1, 2, 1, 1)
    y = ChannelToSpaceDuplicate(2, 1, factor=2)(x)
    assert y.reshape(2, 2).tolist() == [[7.0, 7.0], [9.0, 9.0]]
    x = torch.tensor([1.0, 2.0]).reshape(1, 2, 1, 1)  # decoder input, factor 1: 2 -> 4 channels
    assert ChannelToSpaceDuplicate(2, 4, factor=1)(x).flatten().tolist() == [1.0, 1.0, 2.0, 2.0]


def test_shortcuts_are_modules():
    model = create_model("dc-ae-f32c32-tiny")
    kinds = {type(m) for m in model.modules()}
    assert SpaceToChannelAverage in kinds and ChannelToSpaceDuplicate in kinds
    ablated = DCAE(model.config.replace(residual_shortcuts=False))
    kinds = {type(m) for m in ablated.modules()}
    assert SpaceToChannelAverage not in kinds and ChannelToSpaceDuplicate not in kinds


@pytest.mark.parametrize("hw", [(2, 3), (4, 8), (6, 6), (16, 12)])  # both sides of H*W = 32
def test_linear_and_quadratic_attention_agree(hw):
    # Both forms compute the same normalised attention; the dispatch only changes the cost.
    attn = LiteMLA(64, "rms", scales=(5,)).eval()
    qkv = torch.rand(2, 2 * 3 * 64, *hw)  # base + multi-scale heads
    linear, quadratic = attn.attend(qkv, linear=True), attn.attend(qkv, linear=False)
    assert torch.allclose(linear, quadratic, atol=1e-5, rtol=1e-4)
    assert not torch.equal(linear, quadratic)  # two different code paths really ran
    auto = attn.attend(qkv)
    assert torch.equal(auto, linear if hw[0] * hw[1] > 32 else quadratic)  # the reference's threshold


def test_exported_graphs_take_the_linear_form(monkeypatch):
    attn = LiteMLA(32, "rms").eval()
    qkv = torch.rand(1, 96, 2, 2)  # 4 tokens: quadratic in eager mode
    monkeypatch.setattr(torch.compiler, "is_exporting", lambda: True)
    assert torch.equal(attn.attend(qkv), attn.attend(qkv, linear=True))


def test_encode_decode_shapes_and_latent_space():
    for name in ("dc-ae-f32c32-tiny", "dc-ae-f64c128-tiny"):
        model = create_model(name).eval()
        f, c = model.compression, model.config.latent_channels
        x = torch.randn(2, 3, 2 * f, 3 * f)
        with torch.no_grad():
            z = model.encode(x)
            assert z.shape == (2, c, 2, 3)
            assert model.decode(z).shape == x.shape
    ls = LatentSpace(0.25)
    z = torch.randn(3)
    assert torch.allclose(ls.from_diffusion(ls.to_diffusion(z)), z)
    assert get_config("dc-ae-f32c32-in-1.0").scaling_factor == 0.3189
    assert create_model("dc-ae-f64c128-mix-1.0").latent_space.scaling_factor == 0.4538


def test_every_official_preset_is_named():
    for name in ["dc-ae-f32c32-in-1.0", "dc-ae-f32c32-mix-1.0", "dc-ae-f64c128-in-1.0", "dc-ae-f64c128-mix-1.0",
                 "dc-ae-f128c512-in-1.0", "dc-ae-f128c512-mix-1.0", "dc-ae-f32c32-sana-1.0",
                 "dc-ae-f32c32-sana-1.1"]:
        assert name in PRESETS
    assert [get_config(n).compression for n in ("dc-ae-f32c32-in-1.0", "dc-ae-f64c128-in-1.0",
                                                 "dc-ae-f128c512-in-1.0")] == [32, 64, 128]
    with pytest.raises(KeyError, match="known presets"):
        get_config("dc-ae-f16")


@pytest.mark.parametrize("name,params", [("dc-ae-f32c32-in-1.0", 323_369_260), ("dc-ae-f64c128-in-1.0", 676_908_940)])
def test_info_prints_published_parameter_counts(name, params, capsys):
    assert main(["info", name, "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["params"] == params
    assert info["latent_channels"] == get_config(name).latent_channels
    assert info["compression"] == get_config(name).compression
    assert info["scaling_factor"] == get_config(name).scaling_factor


def test_count_includes_batchnorm_statistics():
    model = create_model("dc-ae-f32c32-tiny")
    n_params = sum(p.numel() for p in model.parameters())
    n_bn = sum(m.running_mean.numel() * 2 for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d))
    assert n_bn > 0 and count_parameters(model) == n_params + n_bn
