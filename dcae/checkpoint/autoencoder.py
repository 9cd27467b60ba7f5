"""Autoencoder weights on disk: our format, and strict conversion from the two published DC-AE formats.

Our format (what training writes and serving exports from) is a directory with
    config.json        {"format": "dcae", "format_version": 1, "architecture": "dc-ae",
                        "config": {...DCAEConfig...}, ...provenance...}
    model.safetensors  our module names, EMA weights when trained here

Published formats (reference Sec. 4):
    efficientvit  model.safetensors + config.json {"model_name": "dc-ae-f32c32-in-1.0"}
                  (mit-han-lab/dc-ae-*; keys like encoder.stages.1.op_list.0.main.conv1.conv.weight)
    diffusers     config.json (AutoencoderDC) + diffusion_pytorch_model.safetensors
                  (keys like encoder.down_blocks.1.0.conv1.weight; attention's fused qkv split in thirds)
Conversion is strict: every source tensor is used, every model tensor is filled and shapes agree, or
it fails naming the keys.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Callable

import torch
from safetensors.torch import load_file, save_file

from dcae.models.dc_ae import ACTIVATIONS, DCAE, PRESETS, DCAEConfig, get_config

FORMAT_NAME = "dcae"
FORMAT_VERSION = 1
CONFIG_FILE = "config.json"
WEIGHTS_FILE = "model.safetensors"
DIFFUSERS_WEIGHTS_FILE = "diffusion_pytorch_model.safetensors"
GENERATOR_FORMAT = "dcae-generator"  # ours, for a DiT (`dcae.checkpoint.generator`)
RELEASE_FORMAT = "efficientvit-generator"  # a published single-file generator release
# efficientvit's generator releases: dc-ae-<autoencoder preset>-<dit|uvit|usit>-<size>-in-<resolution>px[...]
RELEASE_NAME = re.compile(r"^(?P<autoencoder>dc-ae-f\d+c\d+-[a-z]+-\d+\.\d+)-(?P<arch>dit|uvit|usit)-(?P<size>[a-z0-9]+)"
                          r"-in-(?P<resolution>\d+)px")


class CheckpointError(ValueError):
    """A checkpoint that cannot be read or does not match the architecture it claims."""


# ----------------------------------------------------------------------------------------------
# Our format


def write_safetensors(state: dict[str, torch.Tensor], path: str | Path, metadata: dict[str, str]) -> None:
    """Write a safetensors file the way every model of ours is saved. It is written beside and renamed
    over: models loaded from the old file map its pages, and a file truncated under them would crash
    them; a crash mid-write leaves the old file whole. safetensors creates the file owner-only (0600);
    weights are shared like any other file (a serving container's user reads them), so they get the
    permissions the umask gives a config.json written beside them."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    # The mode the umask gives a new file, read off a file created the usual way: os.umask would
    # read it only by changing it, for every thread of the process.
    tmp.unlink(missing_ok=True)  # a crashed write's leftover would keep its own mode
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    mode = tmp.stat().st_mode & 0o777
    save_file(state, str(tmp), metadata=metadata)
    tmp.chmod(mode)
    os.replace(tmp, path)


def save_pretrained(model: DCAE, directory: str | Path, dtype: torch.dtype | None = None,
                    metadata: dict | None = None) -> Path:
    """Write `config.json` + `model.safetensors`. `dtype` (e.g. torch.float16) sets the storage
    precision of floating-point tensors; `metadata` (training provenance, losses used...) is kept
    in config.json beside the architecture."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    state = {}
    for k, v in model.state_dict().items():
        v = v.detach().cpu()
        if dtype is not None and v.is_floating_point():
            v = v.to(dtype)
        state[k] = v.contiguous()
    write_safetensors(state, directory / WEIGHTS_FILE, metadata={"format": FORMAT_NAME})
    config = {"format": FORMAT_NAME, "format_version": FORMAT_VERSION, "architecture": "dc-ae",
              "config": model.config.to_dict(), **(metadata or {})}
    (directory / CONFIG_FILE).write_text(json.dumps(config, indent=2) + "\n")
    return directory


def read_config(directory: str | Path) -> dict:
    path = Path(directory) / CONFIG_FILE
    if not path.is_file():
        raise CheckpointError(f"{directory}: no {CONFIG_FILE}; expected a DC-AE checkpoint directory")
    return json.loads(path.read_text())


def load_pretrained(directory: str | Path, device: str | torch.device = "cpu",
                    dtype: torch.dtype = torch.float32) -> DCAE:
    """Load a checkpoint in any supported format (ours, efficientvit, diffusers), in eval mode. The model
    is built on the meta device and takes the file's tensors (memory-mapped where the format allows):
    one copy of the weights in memory, not two."""
    cfg, state = read_checkpoint(directory)
    with torch.device("meta"):  # no random init to overwrite: the weights are the checkpoint's tensors
        model = DCAE(cfg)
    load_state_strict(model, state, source=str(directory))
    return model.to(device=device, dtype=dtype).eval()


def load_paired_decoder(directory: str | Path, encoder: DCAEConfig) -> DCAE:
    """Another checkpoint whose decoder is to decode `encoder`'s latents (DC-AE-Lite's with SANA's VAE), or a
    ValueError naming both when its compression or latent channels differ."""
    other = load_pretrained(directory)
    b = other.config
    if (encoder.compression, encoder.latent_channels) != (b.compression, b.latent_channels):
        raise ValueError(f"decoder {directory}: {b.name} decodes f{b.compression}c{b.latent_channels} latents; the "
                         f"encoder {encoder.name} makes f{encoder.compression}c{encoder.latent_channels}")
    return other


def detect_format(directory: str | Path) -> str:
    """'dcae' | 'efficientvit' | 'diffusers' (autoencoders) or 'dcae-generator' | 'efficientvit-generator'
    (generators: `dcae.checkpoint.generator`), from the files present and config.json."""
    directory = Path(directory)
    config = read_config(directory)
    if config.get("format") == FORMAT_NAME:
        return FORMAT_NAME
    if (directory / DIFFUSERS_WEIGHTS_FILE).is_file() or config.get("_class_name") == "AutoencoderDC":
        return "diffusers"
    if "model_name" in config and (directory / WEIGHTS_FILE).is_file():
        return RELEASE_FORMAT if RELEASE_NAME.match(str(config["model_name"])) else "efficientvit"
    if config.get("format") == GENERATOR_FORMAT:
        return GENERATOR_FORMAT
    raise CheckpointError(
        f"{directory}: cannot tell the checkpoint format. Expected one of: our format (config.json with "
        f'"format": "dcae"), efficientvit (model.safetensors + config.json with "model_name"), or diffusers '
        f"({DIFFUSERS_WEIGHTS_FILE} + an AutoencoderDC config.json)")


def read_checkpoint(directory: str | Path) -> tuple[DCAEConfig, dict[str, torch.Tensor]]:
    """Architecture and state dict in our names, whatever the format on disk."""
    directory = Path(directory)
    fmt = detect_format(directory)
    config = read_config(directory)
    if fmt == GENERATOR_FORMAT:
        ae = config.get("autoencoder")
        hint = f"; its autoencoder is {os.path.normpath(directory / ae)}" if isinstance(ae, str) else ""
        raise CheckpointError(f"{directory} is a generator (DiT) checkpoint, where an autoencoder is needed{hint}")
    if fmt == RELEASE_FORMAT:
        raise CheckpointError(f"{directory} is a generator release ({config['model_name']}: a DiT and its autoencoder "
                              f"in one file); `dcae convert {directory} DST` writes both in our format")
    if fmt == FORMAT_NAME:
        return DCAEConfig.from_dict(config["config"]), _load_weights(directory / WEIGHTS_FILE)
    if fmt == "efficientvit":
        cfg = _efficientvit_config(config["model_name"])
        return cfg, rename_state(_load_weights(directory / WEIGHTS_FILE), efficientvit_key(cfg))
    cfg = diffusers_config(config)
    return cfg, rename_state(_load_weights(directory / DIFFUSERS_WEIGHTS_FILE), diffusers_key(cfg))


def convert_autoencoder(src: str | Path, dst: str | Path, dtype: torch.dtype | None = None) -> tuple[str, DCAE]:
    """Read any supported checkpoint, check it strictly, write it in our format. From our own
    format, the metadata (training provenance) travels along; storage precision is recorded."""
    fmt = detect_format(src)
    model = load_pretrained(src)
    metadata = {}
    if fmt == FORMAT_NAME:
        skip = {"format", "format_version", "architecture", "config", "converted_from", "storage"}
        metadata = {k: v for k, v in read_config(src).items() if k not in skip}
    if dtype is not None:
        metadata["storage"] = str(dtype).removeprefix("torch.")
    metadata["converted_from"] = {"format": fmt, "path": str(src)}
    save_pretrained(model, dst, dtype=dtype, metadata=metadata)
    return fmt, model


def _load_weights(path: Path) -> dict[str, torch.Tensor]:
    if not path.is_file():
        raise CheckpointError(f"missing weights file {path}")
    return load_file(str(path))


def load_state_strict(model: torch.nn.Module, state: dict[str, torch.Tensor], source: str = "checkpoint") -> None:
    """Copy `state` into `model`: every tensor used, every model tensor filled, shapes equal.
    BatchNorm's `num_batches_tracked` counters (bookkeeping, not weights) may be absent."""
    expected = model.state_dict()
    missing = [k for k in expected if k not in state and not k.endswith("num_batches_tracked")]
    unexpected = [k for k in state if k not in expected]
    mismatched = [f"{k}: checkpoint {tuple(state[k].shape)} vs model {tuple(v.shape)}"
                  for k, v in expected.items() if k in state and state[k].shape != v.shape]
    problems = []
    for title, keys in (("missing", missing), ("unexpected", unexpected), ("shape mismatch", mismatched)):
        if keys:
            shown = ", ".join(keys[:12]) + (f", ... ({len(keys)} in all)" if len(keys) > 12 else "")
            problems.append(f"{title}: {shown}")
    if problems:
        what = model.config.name if hasattr(model, "config") else type(model).__name__
        raise CheckpointError(f"{source} does not match {what}: " + "; ".join(problems))
    # A model built on the meta device takes the checkpoint's tensors themselves (assign): loading holds
    # one copy of the weights, not two (the full-size f32c32 model peaked at 2.7 GB, now ~1.3).
    meta = any(v.is_meta for v in expected.values())
    full = {}
    for k, v in expected.items():
        t = state.get(k)
        if t is None:  # BatchNorm counters
            t = torch.zeros(v.shape, dtype=v.dtype) if v.is_meta else v
        full[k] = t.to(v.dtype)
    model.load_state_dict(full, strict=True, assign=meta)


# ----------------------------------------------------------------------------------------------
# Key mapping. A mapper takes one source key and returns (our key, transform) or a list of those;
# the diffusers q/k/v thirds are gathered back into the fused qkv weight afterwards.

KeyMap = Callable[[str], str]


def rename_state(state: dict[str, torch.Tensor], key_map: KeyMap) -> dict[str, torch.Tensor]:
    out: dict[str, torch.Tensor] = {}
    qkv_parts: dict[str, dict[str, torch.Tensor]] = {}
    unknown = []
    for key, tensor in state.items():
        new = key_map(key)
        if new is None:
            unknown.append(key)
            continue
        m = re.fullmatch(r"(.*\.attn)\.to_([qkv])\.weight", new)
        if m:  # diffusers' to_q/to_k/to_v: the three thirds of one fused 1x1 conv
            qkv_parts.setdefault(m.group(1), {})[m.group(2)] = tensor
            continue
        if new.endswith(".attn.proj.weight") and tensor.dim() == 2:
            tensor = tensor[:, :, None, None]  # diffusers stores the output 1x1 conv as a Linear
        if new in out:
            raise CheckpointError(f"two source tensors map to {new}")
        out[new] = tensor
    for prefix, parts in qkv_parts.items():
        if set(parts) != {"q", "k", "v"}:
            raise CheckpointError(f"{prefix}: incomplete attention projection, have only to_{sorted(parts)}")
        out[f"{prefix}.qkv.weight"] = torch.cat([parts["q"], parts["k"], parts["v"]])[:, :, None, None]
    if unknown:
        shown = ", ".join(unknown[:12]) + (f", ... ({len(unknown)} in all)" if len(unknown) > 12 else "")
        raise CheckpointError(f"unrecognised source keys: {shown}")
    return out


def _rewrite(rest: str, rules: list[tuple[str, str]]) -> str | None:
    for pattern, repl in rules:
        if re.fullmatch(pattern, rest):
            return re.sub(pattern, repl, rest)
    return None


# efficientvit: ResidualBlock(main, shortcut) / OpSequential(op_list) / ConvLayer(conv, norm) wrappers.
_EVIT_BLOCK_RULES = [
    (r"main\.conv1\.conv\.(weight|bias)", r"conv1.\1"),
    (r"main\.conv2\.conv\.weight", r"conv2.weight"),
    (r"main\.conv2\.norm\.(\w+)", r"norm.\1"),
    (r"context_module\.main\.qkv\.conv\.weight", r"attn.qkv.weight"),
    (r"context_module\.main\.aggreg\.(\d+)\.0\.weight", r"attn.multiscale.\1.depthwise.weight"),
    (r"context_module\.main\.aggreg\.(\d+)\.1\.weight", r"attn.multiscale.\1.pointwise.weight"),
    (r"context_module\.main\.proj\.conv\.weight", r"attn.proj.weight"),
    (r"context_module\.main\.proj\.norm\.(\w+)", r"attn.norm.\1"),
    (r"local_module\.main\.inverted_conv\.conv\.(weight|bias)", r"mlp.inverted_conv.\1"),
    (r"local_module\.main\.depth_conv\.conv\.(weight|bias)", r"mlp.depth_conv.\1"),
    (r"local_module\.main\.point_conv\.conv\.weight", r"mlp.point_conv.weight"),
    (r"local_module\.main\.point_conv\.norm\.(\w+)", r"mlp.norm.\1"),
]
# ConvPixelUnshuffle/ConvPixelShuffle/InterpolateConv hold a ConvLayer `conv`; plain "Conv" is a ConvLayer.
_EVIT_RESAMPLE_RULES = [(r"(?:main\.)?conv\.conv\.(weight|bias)", r"conv.\1"),
                        (r"(?:main\.)?conv\.(weight|bias)", r"conv.\1")]


def _stage_key(prefix: str, s: int, j: int, rest: str, has_resample: bool, resample_first: bool,
               depth: int, block_rules: list[tuple[str, str]], resample_rules: list[tuple[str, str]]) -> str | None:
    """Sequential index j inside stage s -> our `stages.s.blocks.i` / `stages.s.resample`."""
    if has_resample and j == (0 if resample_first else depth):
        new = _rewrite(rest, resample_rules)
        return None if new is None else f"{prefix}.stages.{s}.resample.{new}"
    i = j - 1 if (has_resample and resample_first) else j
    if not 0 <= i < depth:
        return None
    new = _rewrite(rest, block_rules)
    return None if new is None else f"{prefix}.stages.{s}.blocks.{i}.{new}"


def efficientvit_key(cfg: DCAEConfig) -> KeyMap:
    n = len(cfg.width_list)

    def key_map(key: str) -> str | None:
        m = re.fullmatch(r"(encoder|decoder)\.stages\.(\d+)\.op_list\.(\d+)\.(.+)", key)
        if m:
            part, s, j, rest = m.group(1), int(m.group(2)), int(m.group(3)), m.group(4)
            depths = cfg.encoder_depths if part == "encoder" else cfg.decoder_depths
            if s >= n:
                return None
            has_resample = s < n - 1 and depths[s] > 0
            return _stage_key(part, s, j, rest, has_resample, part == "decoder", depths[s],
                              _EVIT_BLOCK_RULES, _EVIT_RESAMPLE_RULES)
        return _rewrite(key, [
            (r"encoder\.project_in\.conv\.conv\.(weight|bias)", r"encoder.project_in.conv.\1"),
            (r"encoder\.project_in\.conv\.(weight|bias)", r"encoder.project_in.\1"),
            (r"encoder\.project_out\.(?:main\.)?op_list\.0\.conv\.(weight|bias)", r"encoder.project_out.\1"),
            (r"decoder\.project_in\.(?:main\.)?conv\.(weight|bias)", r"decoder.project_in.\1"),
            (r"decoder\.project_out\.op_list\.0\.(weight|bias)", r"decoder.norm_out.\1"),
            (r"decoder\.project_out\.op_list\.2\.conv\.conv\.(weight|bias)", r"decoder.project_out.conv.\1"),
            (r"decoder\.project_out\.op_list\.2\.conv\.(weight|bias)", r"decoder.project_out.\1"),
        ])

    return key_map


def _efficientvit_config(model_name: str) -> DCAEConfig:
    try:
        return get_config(model_name)
    except KeyError:
        raise CheckpointError(f"efficientvit checkpoint names model {model_name!r}, which is not a known preset; "
                              f"known: {', '.join(PRESETS)}") from None


# diffusers: same sequential layout, flatter names, attention as Linear layers.
_DIFFUSERS_BLOCK_RULES = [
    (r"(conv1|conv2|norm)\.(\w+)", r"\1.\2"),
    (r"attn\.to_([qkv])\.weight", r"attn.to_\1.weight"),  # fused back in rename_state
    (r"attn\.to_qkv_multiscale\.(\d+)\.proj_in\.weight", r"attn.multiscale.\1.depthwise.weight"),
    (r"attn\.to_qkv_multiscale\.(\d+)\.proj_out\.weight", r"attn.multiscale.\1.pointwise.weight"),
    (r"attn\.to_out\.weight", r"attn.proj.weight"),
    (r"attn\.norm_out\.(\w+)", r"attn.norm.\1"),
    (r"conv_out\.conv_inverted\.(weight|bias)", r"mlp.inverted_conv.\1"),
    (r"conv_out\.conv_depth\.(weight|bias)", r"mlp.depth_conv.\1"),
    (r"conv_out\.conv_point\.weight", r"mlp.point_conv.weight"),
    (r"conv_out\.norm\.(\w+)", r"mlp.norm.\1"),
]
_DIFFUSERS_RESAMPLE_RULES = [(r"conv\.(weight|bias)", r"conv.\1")]


def diffusers_key(cfg: DCAEConfig) -> KeyMap:
    n = len(cfg.width_list)

    def key_map(key: str) -> str | None:
        m = re.fullmatch(r"(encoder\.down|decoder\.up)_blocks\.(\d+)\.(\d+)\.(.+)", key)
        if m:
            part = "encoder" if m.group(1) == "encoder.down" else "decoder"
            s, j, rest = int(m.group(2)), int(m.group(3)), m.group(4)
            depths = cfg.encoder_depths if part == "encoder" else cfg.decoder_depths
            if s >= n:
                return None
            has_resample = s < n - 1 and depths[s] > 0
            return _stage_key(part, s, j, rest, has_resample, part == "decoder", depths[s],
                              _DIFFUSERS_BLOCK_RULES, _DIFFUSERS_RESAMPLE_RULES)
        return _rewrite(key, [
            (r"encoder\.conv_in\.(.+)", r"encoder.project_in.\1"),
            (r"encoder\.conv_out\.(weight|bias)", r"encoder.project_out.\1"),
            (r"decoder\.conv_in\.(weight|bias)", r"decoder.project_in.\1"),
            (r"decoder\.norm_out\.(weight|bias)", r"decoder.norm_out.\1"),
            (r"decoder\.conv_out\.(.+)", r"decoder.project_out.\1"),
        ])

    return key_map


_DIFFUSERS_NORMS = {"rms_norm": "rms", "batch_norm": "bn"}


def diffusers_config(config: dict) -> DCAEConfig:
    """An AutoencoderDC config.json -> our config (named after the matching preset when there is one)."""
    def per_stage(value, n):
        return tuple(value) if isinstance(value, (list, tuple)) else (value,) * n

    def blocks(part, n):
        types, scales = config[f"{part}_block_types"], config[f"{part}_qkv_multiscales"]
        scales = per_stage(scales, n) if scales and isinstance(scales[0], (list, tuple)) else (tuple(scales),) * n
        out = []
        for t, sc in zip(per_stage(types, n), scales):
            if t == "ResBlock":
                out.append("res")
            elif t == "EfficientViTBlock":
                out.append("evit_ms" if tuple(sc) == (5,) else "evit" if not sc else None)
                if out[-1] is None:
                    raise CheckpointError(f"{part}_qkv_multiscales: {list(sc)} is not supported (the DC-AE model "
                                          f"aggregates at scale 5 or not at all)")
            else:
                raise CheckpointError(f"{part}_block_types: {t!r} is not supported (ResBlock, EfficientViTBlock)")
        return tuple(out)

    def norm(value):
        if value not in _DIFFUSERS_NORMS:
            raise CheckpointError(f"decoder_norm_types: {value!r} is not supported ({sorted(_DIFFUSERS_NORMS)})")
        return _DIFFUSERS_NORMS[value]

    def activation(field: str, value: str) -> str:
        if str(value).lower() not in ACTIVATIONS:
            raise CheckpointError(f"{field}: {value!r} is not supported (the DC-AE model has {sorted(ACTIVATIONS)})")
        return str(value).lower()

    try:
        widths = tuple(config["encoder_block_out_channels"])
        if tuple(config["decoder_block_out_channels"]) != widths:
            raise CheckpointError("encoder_block_out_channels and decoder_block_out_channels differ: the DC-AE model "
                                  f"has one width list ({list(widths)} vs {list(config['decoder_block_out_channels'])})")
        head_dim = int(config.get("attention_head_dim", 32))
        n = len(widths)
        cfg = DCAEConfig(
            name="diffusers-import",
            width_list=widths,
            encoder_depths=tuple(config["encoder_layers_per_block"]),
            encoder_blocks=blocks("encoder", n),
            decoder_depths=tuple(config["decoder_layers_per_block"]),
            decoder_blocks=blocks("decoder", n),
            decoder_norms=tuple(norm(x) for x in per_stage(config["decoder_norm_types"], n)),
            decoder_acts=tuple(activation("decoder_act_fns", a) for a in per_stage(config["decoder_act_fns"], n)),
            latent_channels=config["latent_channels"],
            scaling_factor=float(config.get("scaling_factor", 1.0)),
            downsample="pixel_unshuffle" if config.get("downsample_block_type") == "pixel_unshuffle" else "conv",
            upsample="interpolate" if config.get("upsample_block_type") == "interpolate" else "pixel_shuffle",
            in_channels=config.get("in_channels", 3),
            head_dim=head_dim,
            encoder_out_shortcut=bool(config.get("encoder_out_shortcut", True)),
            decoder_in_shortcut=bool(config.get("decoder_in_shortcut", True)),
            decoder_out_act=activation("decoder_conv_act_fn", config.get("decoder_conv_act_fn", "relu")),
        )
    except KeyError as e:
        raise CheckpointError(f"diffusers config.json lacks {e}") from None
    for preset in PRESETS.values():
        if preset.replace(name=cfg.name) == cfg:
            return preset
    return cfg


# ----------------------------------------------------------------------------------------------
# Ours -> diffusers (to run diffusers.AutoencoderDC on our weights: comparisons and benchmarks)

_TO_DIFFUSERS_NORMS = {v: k for k, v in _DIFFUSERS_NORMS.items()}
_TO_DIFFUSERS_BLOCK_RULES = [
    (r"(conv1|conv2|norm)\.(\w+)", r"\1.\2"),
    (r"attn\.multiscale\.(\d+)\.depthwise\.weight", r"attn.to_qkv_multiscale.\1.proj_in.weight"),
    (r"attn\.multiscale\.(\d+)\.pointwise\.weight", r"attn.to_qkv_multiscale.\1.proj_out.weight"),
    (r"attn\.proj\.weight", r"attn.to_out.weight"),
    (r"attn\.norm\.(\w+)", r"attn.norm_out.\1"),
    (r"mlp\.inverted_conv\.(weight|bias)", r"conv_out.conv_inverted.\1"),
    (r"mlp\.depth_conv\.(weight|bias)", r"conv_out.conv_depth.\1"),
    (r"mlp\.point_conv\.weight", r"conv_out.conv_point.weight"),
    (r"mlp\.norm\.(\w+)", r"conv_out.norm.\1"),
]


def diffusers_config_dict(cfg: DCAEConfig) -> dict:
    """Our config -> the `AutoencoderDC` config.json (the inverse of `diffusers_config`)."""
    def block_types(kinds: tuple[str, ...]) -> list[str]:
        return ["ResBlock" if k == "res" else "EfficientViTBlock" for k in kinds]

    def scales(kinds: tuple[str, ...]) -> list[list[int]]:
        return [[5] if k == "evit_ms" else [] for k in kinds]

    if not cfg.residual_shortcuts:
        raise CheckpointError(f"{cfg.name}: diffusers' AutoencoderDC has no variant without residual shortcuts")
    return {
        "_class_name": "AutoencoderDC", "in_channels": cfg.in_channels, "latent_channels": cfg.latent_channels,
        "attention_head_dim": cfg.head_dim,
        "encoder_block_types": block_types(cfg.encoder_blocks), "decoder_block_types": block_types(cfg.decoder_blocks),
        "encoder_block_out_channels": list(cfg.width_list), "decoder_block_out_channels": list(cfg.width_list),
        "encoder_layers_per_block": list(cfg.encoder_depths), "decoder_layers_per_block": list(cfg.decoder_depths),
        "encoder_qkv_multiscales": scales(cfg.encoder_blocks), "decoder_qkv_multiscales": scales(cfg.decoder_blocks),
        "upsample_block_type": "interpolate" if cfg.upsample == "interpolate" else "pixel_shuffle",
        "downsample_block_type": "pixel_unshuffle" if cfg.downsample == "pixel_unshuffle" else "Conv",
        "decoder_norm_types": [_TO_DIFFUSERS_NORMS[n] for n in cfg.decoder_norms],
        "decoder_act_fns": list(cfg.decoder_acts), "encoder_out_shortcut": cfg.encoder_out_shortcut,
        "decoder_in_shortcut": cfg.decoder_in_shortcut, "decoder_conv_act_fn": cfg.decoder_out_act,
        "scaling_factor": cfg.scaling_factor,
    }


def to_diffusers_state(cfg: DCAEConfig, state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Our state dict -> diffusers' key names and shapes (fused qkv split in thirds, attention output
    as a Linear). Checked by mapping the result back with `diffusers_key`: it must give `state` exactly."""
    n = len(cfg.width_list)
    fixed = [(r"encoder\.project_in\.(.+)", r"encoder.conv_in.\1"),
             (r"encoder\.project_out\.(weight|bias)", r"encoder.conv_out.\1"),
             (r"decoder\.project_in\.(weight|bias)", r"decoder.conv_in.\1"),
             (r"decoder\.norm_out\.(\w+)", r"decoder.norm_out.\1"),
             (r"decoder\.project_out\.(.+)", r"decoder.conv_out.\1")]
    out: dict[str, torch.Tensor] = {}
    unknown = []
    for key, tensor in state.items():
        m = re.fullmatch(r"(encoder|decoder)\.stages\.(\d+)\.(?:blocks\.(\d+)|resample)\.(.+)", key)
        if m is None:
            new = _rewrite(key, fixed)
        else:
            part, s, i, rest = m.group(1), int(m.group(2)), m.group(3), m.group(4)
            depths = cfg.encoder_depths if part == "encoder" else cfg.decoder_depths
            has_resample = s < n - 1 and depths[s] > 0
            prefix = f"encoder.down_blocks.{s}" if part == "encoder" else f"decoder.up_blocks.{s}"
            if i is None:  # the resampler: last in an encoder stage, first in a decoder stage
                new = f"{prefix}.{depths[s] if part == 'encoder' else 0}.{rest}" if rest.startswith("conv.") else None
            else:
                j = int(i) + (1 if part == "decoder" and has_resample else 0)
                if rest == "attn.qkv.weight":  # fused 1x1 conv -> to_q, to_k, to_v Linear weights
                    for name, third in zip("qkv", tensor[:, :, 0, 0].chunk(3)):
                        out[f"{prefix}.{j}.attn.to_{name}.weight"] = third.contiguous()
                    continue
                if rest == "attn.proj.weight":
                    tensor = tensor[:, :, 0, 0]
                block = _rewrite(rest, _TO_DIFFUSERS_BLOCK_RULES)
                new = None if block is None else f"{prefix}.{j}.{block}"
        if new is None:
            unknown.append(key)
            continue
        out[new] = tensor.contiguous()
    if unknown:
        raise CheckpointError(f"no diffusers name for: {', '.join(unknown[:12])}")
    back = rename_state(out, diffusers_key(cfg))
    if set(back) != set(state) or any(not torch.equal(back[k], state[k]) for k in state):
        raise CheckpointError(f"{cfg.name}: the diffusers mapping does not invert exactly")
    return out


def save_diffusers(model: DCAE, directory: str | Path) -> Path:
    """Write `model` in the diffusers layout (`AutoencoderDC.from_pretrained(directory)` loads it)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().cpu() for k, v in model.state_dict().items()}
    save_file(to_diffusers_state(model.config, state), str(directory / DIFFUSERS_WEIGHTS_FILE))
    (directory / CONFIG_FILE).write_text(json.dumps(diffusers_config_dict(model.config), indent=2) + "\n")
    return directory
