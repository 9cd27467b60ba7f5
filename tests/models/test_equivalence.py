"""Ours vs diffusers.AutoencoderDC on the same random weights, through both published formats."""

import json

import pytest
import torch
from safetensors.torch import save_file

from dcae.checkpoint import convert, diffusers_config_dict, load_pretrained, save_diffusers
from dcae.models.dc_ae import DCAE, count_parameters, get_config
from dcae.models.random_init import randomize_
from support.releases import diffusers_kwargs, diffusers_to_efficientvit

diffusers = pytest.importorskip("diffusers")

# Narrowed but otherwise official configurations: every block type, norm, shortcut and resampler.
NARROW_IN = get_config("dc-ae-f32c32-in-1.0").replace(
    name="narrow-in", width_list=(16, 32, 64, 64, 64, 128), encoder_depths=(0, 1, 2, 1, 1, 1),
    decoder_depths=(0, 2, 2, 1, 1, 1), scaling_factor=0.5)
NARROW_SANA = get_config("dc-ae-f32c32-sana-1.0").replace(
    name="narrow-sana", width_list=(16, 32, 64, 64, 64, 128), encoder_depths=(1, 1, 1, 1, 1, 2),
    decoder_depths=(1, 1, 1, 2, 1, 1))


def max_rel_err(a: torch.Tensor, b: torch.Tensor) -> float:
    return ((a - b).abs().max() / b.abs().max()).item()


def build_reference(cfg, tmp_path, seed=0):
    ref = diffusers.AutoencoderDC(**diffusers_kwargs(cfg))
    randomize_(ref, seed).eval()
    ref.save_pretrained(tmp_path / "diffusers", safe_serialization=True)
    return ref


def check_same_outputs(ours, ref, cfg, sizes):
    for h, w in sizes:
        x = torch.randn(2, 3, h, w).clamp(-1, 1)
        with torch.no_grad():
            z_ref, z = ref.encode(x).latent, ours.encode(x)
            assert z.shape == (2, cfg.latent_channels, h // cfg.compression, w // cfg.compression)
            assert max_rel_err(z, z_ref) <= 1e-4, (h, w)
            x_ref, x_hat = ref.decode(z_ref).sample, ours.decode(z_ref)
            assert max_rel_err(x_hat, x_ref) <= 1e-4, (h, w)


@pytest.mark.parametrize("cfg", [NARROW_IN, NARROW_SANA], ids=lambda c: c.name)
def test_diffusers_format_converts_and_matches(cfg, tmp_path):
    ref = build_reference(cfg, tmp_path)
    fmt = convert(tmp_path / "diffusers", tmp_path / "ours")["source_format"]
    assert fmt == "diffusers"
    ours = load_pretrained(tmp_path / "ours")
    assert count_parameters(ours) == count_parameters(ref)
    # 32x32 keeps deep stages at 1x1 (quadratic attention); 192x128 is non-square and linear deeper.
    check_same_outputs(ours, ref, cfg, [(32, 32), (64, 64), (192, 128)])


@pytest.mark.parametrize("cfg", [NARROW_IN, NARROW_SANA], ids=lambda c: c.name)
def test_efficientvit_format_converts_and_matches(cfg, tmp_path, monkeypatch):
    ref = build_reference(cfg, tmp_path)
    evit = tmp_path / "efficientvit"
    evit.mkdir()
    save_file({k: v.contiguous() for k, v in diffusers_to_efficientvit(ref.state_dict(), cfg).items()},
              str(evit / "model.safetensors"))
    (evit / "config.json").write_text(json.dumps({"model_name": cfg.name}))
    # efficientvit files name a preset; register the narrowed one under its name for this test.
    monkeypatch.setitem(__import__("dcae.models.dc_ae", fromlist=["PRESETS"]).PRESETS, cfg.name, cfg)
    fmt = convert(evit, tmp_path / "ours")["source_format"]
    assert fmt == "efficientvit"
    check_same_outputs(load_pretrained(tmp_path / "ours"), ref, cfg, [(64, 96)])


@pytest.mark.parametrize("cfg", [NARROW_IN, NARROW_SANA], ids=lambda c: c.name)
def test_ours_saved_in_diffusers_format_loads_in_diffusers_and_matches(cfg, tmp_path):
    ours = randomize_(DCAE(cfg), seed=1).eval()
    save_diffusers(ours, tmp_path / "diffusers")
    kwargs = diffusers_kwargs(cfg)  # written independently in the tests
    written = diffusers_config_dict(cfg)
    assert {k: written[k] for k in kwargs} == json.loads(json.dumps(kwargs))
    ref = diffusers.AutoencoderDC.from_pretrained(tmp_path / "diffusers").eval()
    check_same_outputs(ours, ref, cfg, [(64, 96)])
    back = load_pretrained(tmp_path / "diffusers")  # and read back: the very same tensors
    for k, v in ours.state_dict().items():
        assert torch.equal(back.state_dict()[k], v), k


TINY = dict(in_channels=3, latent_channels=8, attention_head_dim=8, encoder_block_types=("ResBlock", "ResBlock", "EfficientViTBlock"),
            decoder_block_types=("ResBlock", "ResBlock", "EfficientViTBlock"), encoder_block_out_channels=(16, 32, 32),
            decoder_block_out_channels=(16, 32, 32), encoder_layers_per_block=(1, 1, 1), decoder_layers_per_block=(1, 1, 2),
            encoder_qkv_multiscales=((), (), (5,)), decoder_qkv_multiscales=((), (), (5,)),
            decoder_norm_types=("batch_norm", "batch_norm", "rms_norm"), decoder_act_fns=("relu", "relu", "silu"),
            scaling_factor=0.4)
VARIANTS = {  # AutoencoderDC options beyond the published presets'
    "lite-decoder": {"decoder_conv_act_fn": "silu"},  # DC-AE-Lite (dc-ai/dc-ae-lite-f32c32-diffusers)
    "head-dim-16": {"attention_head_dim": 16},
    "head-dim-12": {"attention_head_dim": 12},  # not a divisor of the widths: heads = width // 12, as diffusers
    "no-latent-shortcuts": {"encoder_out_shortcut": False, "decoder_in_shortcut": False},  # DC-AE 1.5's shape
    "one-value-for-all-stages": {"encoder_block_types": "ResBlock", "decoder_block_types": "EfficientViTBlock",
                                 "decoder_norm_types": "rms_norm", "decoder_act_fns": "silu"},
    "conv-and-interpolate": {"downsample_block_type": "Conv", "upsample_block_type": "interpolate",
                             "encoder_layers_per_block": (0, 1, 1), "decoder_layers_per_block": (0, 1, 1)},
}


@pytest.mark.parametrize("variant", VARIANTS, ids=str)
def test_autoencoderdc_variants_load_and_write_back_equal_to_diffusers(variant, tmp_path):
    """An AutoencoderDC that diffusers accepts loads here with equal outputs, and `dcae convert --to diffusers`
    writes it back in a form AutoencoderDC.from_pretrained loads, again with equal outputs."""
    ref = randomize_(diffusers.AutoencoderDC(**{**TINY, **VARIANTS[variant]}), 3).eval()
    ref.save_pretrained(tmp_path / "diffusers", safe_serialization=True)
    ours = load_pretrained(tmp_path / "diffusers")
    assert count_parameters(ours) == count_parameters(ref)
    check_same_outputs(ours, ref, ours.config, [(32, 32), (64, 96)])
    summary = convert(tmp_path / "diffusers", tmp_path / "back", to="diffusers")
    assert summary["format"] == "diffusers"
    again = diffusers.AutoencoderDC.from_pretrained(tmp_path / "back").eval()
    for key in ("attention_head_dim", "encoder_out_shortcut", "decoder_in_shortcut", "decoder_conv_act_fn",
                "latent_channels", "scaling_factor"):
        assert again.config[key] == ref.config[key], key
    check_same_outputs(ours, again, ours.config, [(64, 96)])


@pytest.mark.parametrize("change, field", [
    ({"decoder_act_fns": "gelu"}, "decoder_act_fns"),
    ({"decoder_conv_act_fn": "mish"}, "decoder_conv_act_fn"),
    ({"decoder_block_out_channels": (16, 32, 64)}, "decoder_block_out_channels"),
    ({"encoder_qkv_multiscales": ((), (), (3,))}, "encoder_qkv_multiscales"),
    ({"decoder_norm_types": "layer_norm"}, "decoder_norm_types"),
    ({"encoder_block_types": ("ResBlock", "ResBlock", "AttnBlock")}, "encoder_block_types"),
])
def test_an_autoencoderdc_config_beyond_the_model_is_refused_naming_the_field(change, field, tmp_path):
    from dcae.checkpoint import CheckpointError

    config = {"_class_name": "AutoencoderDC", **json.loads(json.dumps({**TINY, **change}))}
    (tmp_path / "ae").mkdir()
    (tmp_path / "ae" / "config.json").write_text(json.dumps(config))
    save_file({"x": torch.zeros(1)}, str(tmp_path / "ae" / "diffusion_pytorch_model.safetensors"))
    with pytest.raises(CheckpointError, match=field):
        load_pretrained(tmp_path / "ae")


@pytest.mark.slow
def test_full_size_f32c32_in_matches_diffusers(tmp_path):
    cfg = get_config("dc-ae-f32c32-in-1.0")
    ref = build_reference(cfg, tmp_path)
    assert count_parameters(ref) == 323_369_260
    convert(tmp_path / "diffusers", tmp_path / "ours")
    ours = load_pretrained(tmp_path / "ours")
    assert ours.config.name == "dc-ae-f32c32-in-1.0"  # recognised from the diffusers config
    check_same_outputs(ours, ref, cfg, [(256, 256)])
