"""Image <-> tensor conversions shared by the CLI, datasets, training and evaluation (PIL + numpy +
torch, no torchvision). Reading image files is `dcae.data.files` (torch-free)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from PIL import Image
from torch import Tensor

from dcae.contract import pixels
from dcae.contract.pixels import to_rgb


def to_tensor(img: Image.Image) -> Tensor:
    """RGB PIL image -> float32 tensor (3, H, W) in [-1, 1]."""
    arr = np.asarray(to_rgb(img), dtype=np.uint8)
    return torch.from_numpy(arr.copy()).permute(2, 0, 1).float().div_(127.5).sub_(1.0)


def to_uint8(x: Tensor) -> np.ndarray:
    """Tensor in [-1, 1], (3, H, W) or (N, 3, H, W) -> uint8 array (H, W, 3) / (N, H, W, 3).

    Values are clamped and rounded to the nearest level: the uint8 quantisation that
    the DC-AE evaluation protocol applies to reconstructions before computing metrics.
    """
    if x.ndim not in (3, 4):
        raise ValueError(f"expected (3, H, W) or (N, 3, H, W), got shape {tuple(x.shape)}")
    q = pixels.to_uint8(x.detach().float().cpu().numpy().reshape(-1, *x.shape[-3:]))  # the contract's rounding
    return q[0] if x.ndim == 3 else q


def save_image(x: Tensor, path: str | Path) -> None:
    """(3, H, W) in [-1, 1] -> an image file (format from the extension)."""
    Image.fromarray(to_uint8(x)).save(path)


def image_grid(images: Tensor, nrow: int, padding: int = 2) -> Tensor:
    """(N, 3, H, W) -> one (3, rows*H', nrow*W') picture with white gutters, `nrow` images per row."""
    n, c, h, w = images.shape
    rows = -(-n // nrow)
    grid = images.new_ones(c, rows * (h + padding) + padding, nrow * (w + padding) + padding)
    for i in range(n):
        y, x = padding + (i // nrow) * (h + padding), padding + (i % nrow) * (w + padding)
        grid[:, y:y + h, x:x + w] = images[i]
    return grid
