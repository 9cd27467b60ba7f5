"""Test helpers: the two published checkpoint layouts written independently of
`dcae.checkpoint` (from the official grammar, reference Sec. 4)."""

import re

import torch

from dcae.models.dc_ae import DCAEConfig


_NORMS = {"rms": "rms_norm", "bn": "batch_norm"}


def diffusers_kwargs(cfg: DCAEConfig) -> dict:
    """The AutoencoderDC constructor arguments of one of our configs (the official presets' diffusers
    configs have exactly this shape)."""
    def block_types(kinds):
        return tuple("ResBlock" if k == "res" else "EfficientViTBlock" for k in kinds)

    def scales(kinds):
        return tuple((5,) if k == "evit_ms" else () for k in kinds)

    return dict(
        in_channels=3, latent_channels=cfg.latent_channels, attention_head_dim=cfg.head_dim,
        encoder_block_types=block_types(cfg.encoder_blocks), decoder_block_types=block_types(cfg.decoder_blocks),
        encoder_block_out_channels=cfg.width_list, decoder_block_out_channels=cfg.width_list,
        encoder_layers_per_block=cfg.encoder_depths, decoder_layers_per_block=cfg.decoder_depths,
        encoder_qkv_multiscales=scales(cfg.encoder_blocks), decoder_qkv_multiscales=scales(cfg.decoder_blocks),
        upsample_block_type="interpolate" if cfg.upsample == "interpolate" else "pixel_shuffle",
        downsample_block_type="pixel_unshuffle" if cfg.downsample == "pixel_unshuffle" else "Conv",
        decoder_norm_types=tuple(_NORMS[n] for n in cfg.decoder_norms), decoder_act_fns=cfg.decoder_acts,
        scaling_factor=cfg.scaling_factor,
    )


def diffusers_to_efficientvit(state: dict[str, torch.Tensor], cfg: DCAEConfig) -> dict[str, torch.Tensor]:
    """Rewrite an AutoencoderDC state dict into efficientvit's key names and shapes: ResidualBlock
    (`main`), OpSequential (`op_list`), ConvLayer (`.conv`, `.norm`) wrappers, fused qkv as a 1x1 conv."""
    conv_wrap = "conv.conv" if cfg.downsample == "pixel_unshuffle" else "conv"
    block_rules = [
        (r"conv1\.(weight|bias)", r"main.conv1.conv.\1"),
        (r"conv2\.weight", r"main.conv2.conv.weight"),
        (r"norm\.(\w+)", r"main.conv2.norm.\1"),
        (r"attn\.to_qkv_multiscale\.(\d+)\.proj_in\.weight", r"context_module.main.aggreg.\1.0.weight"),
        (r"attn\.to_qkv_multiscale\.(\d+)\.proj_out\.weight", r"context_module.main.aggreg.\1.1.weight"),
        (r"attn\.to_out\.weight", r"context_module.main.proj.conv.weight"),
        (r"attn\.norm_out\.(\w+)", r"context_module.main.proj.norm.\1"),
        (r"conv_out\.conv_inverted\.(weight|bias)", r"local_module.main.inverted_conv.conv.\1"),
        (r"conv_out\.conv_depth\.(weight|bias)", r"local_module.main.depth_conv.conv.\1"),
        (r"conv_out\.conv_point\.weight", r"local_module.main.point_conv.conv.weight"),
        (r"conv_out\.norm\.(\w+)", r"local_module.main.point_conv.norm.\1"),
    ]
    out = {}
    for key, t in state.items():
        m = re.fullmatch(r"(encoder)\.down_blocks\.(\d+)\.(\d+)\.(.+)|(decoder)\.up_blocks\.(\d+)\.(\d+)\.(.+)", key)
        if m:
            part, s, j, rest = [g for g in m.groups() if g is not None]
            prefix = f"{part}.stages.{s}.op_list.{j}."
            if re.fullmatch(r"attn\.to_[qkv]\.weight", rest):
                if rest.endswith("to_q.weight"):
                    base = key[: -len("to_q.weight")]
                    qkv = torch.cat([state[base + "to_q.weight"], state[base + "to_k.weight"],
                                     state[base + "to_v.weight"]])
                    out[prefix + "context_module.main.qkv.conv.weight"] = qkv[:, :, None, None]
                continue
            if re.fullmatch(r"conv\.(weight|bias)", rest):  # a down/up block
                wrap = conv_wrap if part == "encoder" else "conv.conv"
                out[prefix + "main." + rest.replace("conv", wrap, 1)] = t
                continue
            for pat, rep in block_rules:
                if re.fullmatch(pat, rest):
                    if rest == "attn.to_out.weight":
                        t = t[:, :, None, None]
                    out[prefix + re.sub(pat, rep, rest)] = t
                    break
            else:
                raise AssertionError(f"test grammar misses {key}")
            continue
        fixed = {
            "encoder.conv_in.": "encoder.project_in.conv.",
            "encoder.conv_out.": "encoder.project_out.main.op_list.0.conv.",
            "decoder.conv_in.": "decoder.project_in.main.conv.",
            "decoder.norm_out.": "decoder.project_out.op_list.0.",
            "decoder.conv_out.": "decoder.project_out.op_list.2.conv.",
        }
        for src, dst in fixed.items():
            if key.startswith(src):
                out[dst + key[len(src):]] = t
                break
        else:
            raise AssertionError(f"test grammar misses {key}")
    return out
