"""Image <-> tensor conversions shared by the CLI, datasets, training and evaluation
(PIL + numpy + torch, no torchvision)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageOps
from torch import Tensor

from dcae.contract.pixels import to_rgb


def _exif_orientation(img: Image.Image) -> int:
    try:
        return int(img.getexif().get(0x0112, 1))
    except Exception:  # corrupt EXIF must not make an image unusable
        return 1


def _oriented_size(img: Image.Image) -> tuple[int, int]:
    """(width, height) as displayed, i.e. after applying the EXIF orientation."""
    w, h = img.size
    return (h, w) if _exif_orientation(img) in (5, 6, 7, 8) else (w, h)


def _decode(path: Path | str, scale: float = 1.0) -> Image.Image:
    """Decode an image as RGB (EXIF orientation applied).

    ``scale < 1`` says only that fraction of the full resolution is needed, which lets
    JPEG decode at 1/2, 1/4 or 1/8 size (PIL ``draft``): a 5K photo that will be
    downsampled anyway then costs a fraction of the time and memory.
    """
    img = Image.open(path)
    if scale < 1.0 and img.format == "JPEG":
        w, h = img.size
        img.draft("RGB", (max(1, math.ceil(w * scale)), max(1, math.ceil(h * scale))))
    img.load()  # also closes the file of single-frame images
    if _exif_orientation(img) != 1:
        img = ImageOps.exif_transpose(img)
    return to_rgb(img)


def load_image(path: Path | str) -> Image.Image:
    """Load an image file as an 8-bit RGB PIL image.

    Handles palette, alpha (composited over white), grayscale, CMYK and 16-bit images
    and applies the EXIF orientation.
    """
    return _decode(path)


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
    q = ((x.detach().float().clamp(-1.0, 1.0) + 1.0) * 127.5).round().to(torch.uint8)
    return q.movedim(-3, -1).cpu().numpy()


def resize_short_side(img: Image.Image, size: int) -> Image.Image:
    """Bicubic resize (antialiased when shrinking) so the short side equals ``size``.

    The long side is ``int(size * long / short)``, as torchvision's ``Resize(size)``.
    """
    w, h = img.size
    if min(w, h) == size:
        return img
    if w <= h:
        new = (size, int(size * h / w))
    else:
        new = (int(size * w / h), size)
    # PIL's resize filters over the full footprint when downscaling, i.e. it antialiases.
    return img.resize(new, Image.Resampling.BICUBIC)


def center_crop(img: Image.Image, size: int) -> Image.Image:
    """Center crop ``size`` x ``size`` (offsets rounded as torchvision's ``CenterCrop``)."""
    w, h = img.size
    if w < size or h < size:
        raise ValueError(f"image {w}x{h} is smaller than the crop {size}x{size}")
    left = int(round((w - size) / 2.0))
    top = int(round((h - size) / 2.0))
    return img.crop((left, top, left + size, top + size))


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
