"""Pixels <-> model arrays, in numpy and Pillow: 8-bit RGB from any image mode, [-1, 1] float arrays
in, uint8 images out, and the padding that makes any size a multiple of the compression factor."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # Pillow is imported where images are read, not by Triton's generate model
    from PIL import Image

SIXTEEN_BIT_MODES = ("I", "I;16", "I;16B", "I;16L", "I;16N")


def to_rgb(img: Image.Image) -> Image.Image:
    """Any PIL mode -> 8-bit RGB. High bit depths are scaled (Pillow's own convert() clips them at 255):
    16-bit modes by 1/257, 32-bit integers and floats by their range; transparency is composited over
    white; palettes, greyscale, CMYK, YCbCr and the rest through Pillow's convert()."""
    from PIL import Image

    if img.mode == "RGB":
        return img
    if img.mode in SIXTEEN_BIT_MODES + ("F",):
        arr = np.asarray(img, dtype=np.float64)
        peak = arr.max(initial=0.0)
        if img.mode == "F" and peak <= 1.0:
            arr = arr * 255.0
        elif img.mode.startswith("I;16") or peak > 255:
            arr = arr / 257.0
        return Image.fromarray(np.clip(np.rint(arr), 0, 255).astype(np.uint8), mode="L").convert("RGB")
    if img.mode in ("RGBA", "RGBa", "LA", "La", "PA") or "transparency" in img.info:
        rgba = img.convert("RGBA")
        return Image.alpha_composite(Image.new("RGBA", rgba.size, (255, 255, 255, 255)), rgba).convert("RGB")
    return img.convert("RGB")


def to_model(image: np.ndarray) -> np.ndarray:
    """(H, W, 3) uint8 -> (1, 3, H, W) float32 in [-1, 1]."""
    return (image.astype(np.float32) / 127.5 - 1.0).transpose(2, 0, 1)[None]


def to_uint8(x: np.ndarray) -> np.ndarray:
    """(N, 3, H, W) in [-1, 1] -> (N, H, W, 3) uint8: clamped and rounded to the nearest level (half to
    even), the quantisation the evaluation protocol applies before any metric."""
    return np.ascontiguousarray(np.clip(np.rint((x + 1.0) * 127.5), 0, 255).astype(np.uint8).transpose(0, 2, 3, 1))


def pad_to_multiple(x: np.ndarray, multiple: int) -> np.ndarray:
    """Pad H and W of (N, C, H, W) up to a multiple, reflecting the border (the encoder sees image-like
    content); replicating when the image is too small to reflect."""
    h, w = x.shape[-2:]
    ph, pw = (-h) % multiple, (-w) % multiple
    if ph or pw:
        mode = "reflect" if ph < h and pw < w else "edge"
        x = np.pad(x, ((0, 0), (0, 0), (0, ph), (0, pw)), mode=mode)
    return x


def fit_square(image: np.ndarray, size: int) -> np.ndarray:
    """(H, W, 3) uint8 -> (size, size, 3) uint8: the short side resized to `size` (bicubic), then the
    center cropped: how a start image meets a generator of one native size."""
    from PIL import Image

    h, w = image.shape[:2]
    if (h, w) == (size, size):
        return image
    scale = size / min(h, w)
    nh, nw = max(size, round(h * scale)), max(size, round(w * scale))
    resized = np.asarray(Image.fromarray(image).resize((nw, nh), Image.Resampling.BICUBIC))
    top, left = (nh - size) // 2, (nw - size) // 2
    return np.ascontiguousarray(resized[top:top + size, left:left + size])
