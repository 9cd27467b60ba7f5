"""Image <-> tensor conversions shared by the CLI, training and evaluation (PIL + numpy, no torchvision)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageOps


def load_image(path: str | Path) -> Image.Image:
    """Open any PIL-readable image as 8-bit RGB: EXIF orientation applied; palette, alpha (over
    white), CMYK, grayscale and 16-bit modes converted."""
    img = Image.open(path)
    img = ImageOps.exif_transpose(img)
    if img.mode in ("I;16", "I;16B", "I;16L", "I"):
        arr = np.asarray(img, dtype=np.float64)
        img = Image.fromarray(np.clip(arr / max(arr.max(), 1.0) * 255.0, 0, 255).round().astype(np.uint8))
    if img.mode == "P":
        img = img.convert("RGBA")
    if img.mode in ("RGBA", "LA"):
        background = Image.new("RGB", img.size, (255, 255, 255))
        background.paste(img.convert("RGBA"), mask=img.convert("RGBA").getchannel("A"))
        return background
    return img.convert("RGB")


def to_tensor(img: Image.Image) -> torch.Tensor:
    """PIL RGB -> (3, H, W) float32 in [-1, 1]."""
    arr = np.asarray(img.convert("RGB"), dtype=np.float32)
    return torch.from_numpy(arr).permute(2, 0, 1).div(127.5).sub(1.0)


def to_uint8(x: torch.Tensor) -> np.ndarray:
    """(3, H, W) in [-1, 1] -> (H, W, 3) uint8, rounded and clamped: the quantisation every image
    output goes through (and the one the paper's metrics are computed after)."""
    x = x.detach().float().cpu().add(1.0).mul(127.5).round().clamp(0, 255)
    return x.permute(1, 2, 0).to(torch.uint8).numpy()


def save_image(x: torch.Tensor, path: str | Path) -> None:
    Image.fromarray(to_uint8(x)).save(path)
