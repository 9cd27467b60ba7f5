"""Pixels <-> model arrays, in numpy and Pillow: 8-bit RGB from any image mode, [-1, 1] float arrays
in, uint8 images out, the padding that makes any size a multiple of the compression factor, and the
evaluation protocol's resize-and-center-crop (which also fits start images to a generator's size)."""

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
    from PIL import Image as PILImage

    return img.resize(new, PILImage.Resampling.BICUBIC)


def center_crop(img: Image.Image, size: int) -> Image.Image:
    """Center crop ``size`` x ``size`` (offsets rounded as torchvision's ``CenterCrop``)."""
    w, h = img.size
    if w < size or h < size:
        raise ValueError(f"image {w}x{h} is smaller than the crop {size}x{size}")
    left = int(round((w - size) / 2.0))
    top = int(round((h - size) / 2.0))
    return img.crop((left, top, left + size, top + size))


def _resized_window(image: np.ndarray, size: tuple[int, int], left: int, top: int, height: int,
                    width: int) -> np.ndarray:
    """The (height, width) window at (left, top) of `image` bicubic-resized to `size` (w, h). The whole resize is
    made only while it is at most 4x the window: a strip of an extreme aspect ratio (64 x 262144 covering
    512 x 512 would be 512 x 2,097,152 first) is resized on the window alone, through PIL's `box`, which maps
    each output pixel to the same source coordinates and footprint (its 8-bit rounding between the two passes
    differs: a few levels on noise)."""
    from PIL import Image as PILImage

    h, w = image.shape[:2]
    if size == (w, h):
        return image[top:top + height, left:left + width]
    img = PILImage.fromarray(image)
    if size[0] * size[1] <= 4 * height * width:
        return np.asarray(img.resize(size, PILImage.Resampling.BICUBIC).crop((left, top, left + width, top + height)))
    sx, sy = w / size[0], h / size[1]
    box = (left * sx, top * sy, (left + width) * sx, (top + height) * sy)
    return np.asarray(img.resize((width, height), PILImage.Resampling.BICUBIC, box=box))


def fit_square(image: np.ndarray, size: int) -> np.ndarray:
    """(H, W, 3) uint8 -> (size, size, 3) uint8: `resize_short_side`, then `center_crop`, as the evaluation
    protocol prepares images: how a start image meets a generator of one native size (computed on the
    window the crop keeps)."""
    h, w = image.shape[:2]
    if (h, w) == (size, size):
        return image
    new = (size, int(size * h / w)) if w <= h else (int(size * w / h), size)
    if min(h, w) == size:
        new = (w, h)
    left, top = int(round((new[0] - size) / 2.0)), int(round((new[1] - size) / 2.0))
    return _resized_window(image, new, left, top, size, size)


def fit(image: np.ndarray, height: int, width: int) -> np.ndarray:
    """(H, W, 3) uint8 -> (height, width, 3) uint8, covering and center-cropped: `fit_square` for a square;
    otherwise a bicubic resize to the smallest size that covers (height, width), then a center crop."""
    if height == width:
        return fit_square(image, height)
    h, w = image.shape[:2]
    scale = max(height / h, width / w)
    size = (max(width, round(w * scale)), max(height, round(h * scale)))
    left, top = int(round((size[0] - width) / 2.0)), int(round((size[1] - height) / 2.0))
    return _resized_window(image, size, left, top, height, width)
