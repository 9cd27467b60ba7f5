"""LPIPS (name "lpips-vgg"): the VGG16 variant of Zhang et al. 2018, written in plain torch so that the two
published weight files load without torchvision or the `lpips` package. It needs them on disk (nothing is
downloaded): a directory given by `--lpips-weights DIR` or the environment variable `DCAE_LPIPS_WEIGHTS`, holding
    vgg16-397923af.pth   torchvision's ImageNet VGG16 (any `vgg16*.pth` / `vgg16*.safetensors`;
                         keys `features.{i}.weight|bias`, the classifier is ignored)
    vgg.pth              LPIPS v0.1 linear layers (from the `lpips` package, `lpips/weights/v0.1/`,
                         or taming-transformers' `vgg_lpips`; keys `lin{k}.model.1.weight`)

A metric (`dcae eval-ae` reports it when the weights are there) and a training loss (`dcae.training.losses`).
"""

from __future__ import annotations

import os
from pathlib import Path

import torch
import torch.nn as nn

LPIPS_WEIGHTS_ENV = "DCAE_LPIPS_WEIGHTS"
LPIPS_LIN_FILE = "vgg.pth"

# ----------------------------------------------------------------------------------------------
# LPIPS (VGG16), plain torch

# torchvision's vgg16 `features`: numbers are 3x3 conv widths (each followed by ReLU), "M" a 2x2 max pool.
_VGG16_LAYOUT = (64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512)
# Indices in `features` of the ReLUs LPIPS taps (relu1_2, relu2_2, relu3_3, relu4_3, relu5_3).
_LPIPS_TAPS = (3, 8, 15, 22, 29)
_LPIPS_CHANNELS = (64, 128, 256, 512, 512)
# The lpips package's ScalingLayer: maps [-1, 1] inputs to ImageNet-normalised ones.
_LPIPS_SHIFT = (-0.030, -0.088, -0.188)
_LPIPS_SCALE = (0.458, 0.448, 0.450)


class LPIPS(nn.Module):
    """LPIPS v0.1 with a VGG16 backbone. Inputs (N, 3, H, W) in [-1, 1]; returns (N,) distances.

    Module layout follows the published files: `features.{i}` are torchvision's VGG16 indices
    (so its state dict loads as is), `lins.{k}` the 1x1 linear heads (`lin{k}.model.1` in `vgg.pth`).
    All parameters are frozen; gradients flow to the inputs only.
    """

    name = "lpips-vgg"

    def __init__(self) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        channels = 3
        for v in _VGG16_LAYOUT:
            if v == "M":
                layers.append(nn.MaxPool2d(2, 2))
            else:
                layers += [nn.Conv2d(channels, v, 3, padding=1), nn.ReLU()]
                channels = v
        self.features = nn.Sequential(*layers)  # indices 0..29, as torchvision's
        self.lins = nn.ModuleList(nn.Conv2d(c, 1, 1, bias=False) for c in _LPIPS_CHANNELS)
        self.register_buffer("shift", torch.tensor(_LPIPS_SHIFT).view(1, 3, 1, 1), persistent=False)
        self.register_buffer("scale", torch.tensor(_LPIPS_SCALE).view(1, 3, 1, 1), persistent=False)
        self.requires_grad_(False)
        self.eval()

    def train(self, mode: bool = True) -> LPIPS:
        return super().train(False)  # a fixed metric: never dropout/batch statistics

    def _taps(self, x: torch.Tensor) -> list[torch.Tensor]:
        out = []
        x = (x - self.shift.to(x.dtype)) / self.scale.to(x.dtype)
        for i, layer in enumerate(self.features):
            x = layer(x)
            if i in _LPIPS_TAPS:
                out.append(x)
        return out

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        total = 0.0
        for fx, fy, lin in zip(self._taps(x), self._taps(y), self.lins):
            # Unit-normalise over channels (eps 1e-10 as in the lpips package), in fp32.
            fx, fy = fx.float(), fy.float()
            fx = fx / (fx.square().sum(dim=1, keepdim=True).sqrt() + 1e-10)
            fy = fy / (fy.square().sum(dim=1, keepdim=True).sqrt() + 1e-10)
            total = total + lin((fx - fy).square().to(lin.weight.dtype)).float().mean(dim=(1, 2, 3))
        return total

    def load_weights(self, directory: str | Path) -> LPIPS:
        """Load torchvision's VGG16 and the LPIPS linear layers from `directory` (see module doc)."""
        directory = Path(directory)
        vgg_files = sorted(directory.glob("vgg16*.pth")) + sorted(directory.glob("vgg16*.safetensors"))
        lin_file = directory / LPIPS_LIN_FILE
        if not vgg_files or not lin_file.is_file():
            raise FileNotFoundError(
                f"{directory}: LPIPS needs torchvision's VGG16 weights (vgg16-397923af.pth) and the LPIPS "
                f"v0.1 linear layers ({LPIPS_LIN_FILE}) in this directory")
        vgg = _load_state(vgg_files[0])
        features = {k[len("features."):]: v for k, v in vgg.items() if k.startswith("features.")}
        self.features.load_state_dict(features, strict=True)
        lin = _load_state(lin_file)
        lins = {}
        for k, v in lin.items():
            # lpips: `lin{k}.model.1.weight` (Dropout at model.0); older exports: `lin{k}.model.weight`.
            parts = k.split(".")
            if parts[0].startswith("lin") and parts[-1] == "weight":
                lins[f"{int(parts[0][3:])}.weight"] = v
        self.lins.load_state_dict(lins, strict=True)
        return self


def _load_state(path: Path) -> dict[str, torch.Tensor]:
    if path.suffix == ".safetensors":
        from safetensors.torch import load_file

        return load_file(str(path))
    # weights_only: a plain tensor dict; refuses pickled code.
    return torch.load(path, map_location="cpu", weights_only=True)


def find_lpips_weights(directory: str | Path | None = None) -> Path | None:
    """The LPIPS weight directory from the argument or `$DCAE_LPIPS_WEIGHTS`, or None if neither
    names a directory holding both files."""
    candidate = directory or os.environ.get(LPIPS_WEIGHTS_ENV)
    if not candidate:
        return None
    path = Path(candidate)
    has_vgg = any(path.glob("vgg16*.pth")) or any(path.glob("vgg16*.safetensors"))
    if path.is_dir() and has_vgg and (path / LPIPS_LIN_FILE).is_file():
        return path
    return None


def load_lpips(directory: str | Path | None = None) -> LPIPS | None:
    """LPIPS with local weights, or None when no weights are configured."""
    path = find_lpips_weights(directory)
    if path is None:
        if directory:
            raise FileNotFoundError(f"{directory}: no LPIPS weights (need vgg16*.pth and {LPIPS_LIN_FILE})")
        return None
    return LPIPS().load_weights(path)
