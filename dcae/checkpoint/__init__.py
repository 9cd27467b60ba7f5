"""Weights on disk, for both kinds of model: autoencoders (`autoencoder`: our format, efficientvit's and
diffusers') and generators (`generator`: our format and efficientvit's single-file releases).
`convert` takes any of them and writes ours."""

from __future__ import annotations

from pathlib import Path

import torch

from dcae.checkpoint.autoencoder import (
    CONFIG_FILE, DIFFUSERS_WEIGHTS_FILE, FORMAT_NAME, FORMAT_VERSION, GENERATOR_FORMAT, RELEASE_FORMAT, WEIGHTS_FILE,
    CheckpointError, convert_autoencoder, detect_format, diffusers_config, diffusers_config_dict, diffusers_key,
    efficientvit_key, load_paired_decoder, load_pretrained, load_state_strict, read_checkpoint, read_config, rename_state,
    save_diffusers, save_pretrained, to_diffusers_state, write_safetensors,
)
from dcae.checkpoint.generator import (
    PUBLISHED, Release, convert_release, load_generator, load_published, load_sana_transformer,
    read_generator_config, release, save_generator,
)
from dcae.checkpoint.preview import load_tiny_decoder
from dcae.models.dc_ae import count_parameters

__all__ = [
    "CONFIG_FILE", "DIFFUSERS_WEIGHTS_FILE", "FORMAT_NAME", "FORMAT_VERSION", "GENERATOR_FORMAT", "PUBLISHED",
    "RELEASE_FORMAT", "WEIGHTS_FILE", "CheckpointError", "Release", "convert", "convert_autoencoder", "convert_release",
    "detect_format", "diffusers_config", "diffusers_config_dict", "diffusers_key", "efficientvit_key",
    "load_generator", "load_paired_decoder", "load_pretrained", "load_published", "load_sana_transformer", "load_state_strict", "load_tiny_decoder", "read_checkpoint", "read_config",
    "read_generator_config", "release", "rename_state", "save_diffusers", "save_generator", "save_pretrained",
    "to_diffusers_state", "write_safetensors",
]


def convert(src: str | Path, dst: str | Path, dtype: torch.dtype | None = None, to: str = "dcae") -> dict:
    """Any supported checkpoint -> ours at `dst`, checked strictly; `to="diffusers"`: an autoencoder in diffusers'
    layout instead (`AutoencoderDC.from_pretrained(dst)` loads it). -> a summary: source_format, what was written,
    parameters (a generator release writes the generator and its autoencoder)."""
    fmt = detect_format(src)
    if to == "diffusers":
        if fmt in (RELEASE_FORMAT, GENERATOR_FORMAT):
            raise CheckpointError(f"{src} is a generator: --to diffusers writes autoencoders (AutoencoderDC)")
        model = load_pretrained(src)
        if dtype is not None:
            model = model.to(dtype)
        save_diffusers(model, dst)
        return {"source_format": fmt, "format": "diffusers", "preset": model.config.name,
                "params": count_parameters(model), "written": str(dst)}
    if to != "dcae":
        raise ValueError(f"to={to!r}: expected 'dcae' or 'diffusers'")
    if fmt == RELEASE_FORMAT:
        return {"source_format": fmt, **convert_release(src, dst, dtype)}
    if fmt == GENERATOR_FORMAT:
        raise CheckpointError(f"{src} is already a generator checkpoint in our format")
    fmt, model = convert_autoencoder(src, dst, dtype)
    return {"source_format": fmt, "preset": model.config.name, "params": count_parameters(model), "written": str(dst)}
