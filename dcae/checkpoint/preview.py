"""Preview decoder weights: TAESANA's (madebyollin/taesd `taesana_decoder.pth`) or a safetensors copy, for
`dcae.models.taesd.TinyDecoder`."""

from __future__ import annotations

from pathlib import Path

import torch

from dcae.checkpoint.autoencoder import load_state_strict
from dcae.models.taesd import TinyDecoder


def load_tiny_decoder(path: str | Path) -> TinyDecoder:
    """TAESANA's decoder weights: the reference's `taesana_decoder.pth` (a state dict, read without unpickling
    code) or a `.safetensors` of the same names; strictly (missing, unexpected and mis-shaped names named).
    Float32, eval."""
    path = Path(path)
    if path.suffix == ".safetensors":
        from safetensors.torch import load_file

        state = load_file(str(path))
    else:
        state = torch.load(path, map_location="cpu", weights_only=True)
    first = state.get("1.weight")
    if first is None or first.dim() != 4:
        raise ValueError(f"{path}: not a TAESD-style f32 decoder (no 1.weight convolution from the latent)")
    model = TinyDecoder(latent_channels=first.shape[1])
    load_state_strict(model, state, source=str(path))
    return model.float().eval()
