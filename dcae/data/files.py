"""Image files as 8-bit RGB PIL images: decoding (EXIF orientation, reduced-size JPEG decoding, any mode
to RGB); the evaluation protocol's resize and center crop are the contract's (`dcae.contract.pixels`),
which the gateway fits start images with too. Pillow and numpy only (the corpus builder
uses it without torch); `dcae.data.tensors` turns these images into tensors."""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageOps

from dcae.contract.pixels import to_rgb


def exif_orientation(img: Image.Image) -> int:
    """The EXIF orientation tag (1: as stored; 1 when absent or unreadable)."""
    try:
        return int(img.getexif().get(0x0112, 1))
    except Exception:  # corrupt EXIF must not make an image unusable
        return 1


def oriented_size(img: Image.Image) -> tuple[int, int]:
    """(width, height) as displayed, i.e. after applying the EXIF orientation."""
    w, h = img.size
    return (h, w) if exif_orientation(img) in (5, 6, 7, 8) else (w, h)


def decode_file(path: Path | str, scale: float = 1.0) -> Image.Image:
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
    if exif_orientation(img) != 1:
        img = ImageOps.exif_transpose(img)
    return to_rgb(img)


def load_image(path: Path | str) -> Image.Image:
    """Load an image file as an 8-bit RGB PIL image.

    Handles palette, alpha (composited over white), grayscale, CMYK and 16-bit images
    and applies the EXIF orientation.
    """
    return decode_file(path)


