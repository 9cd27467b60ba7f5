"""Synthetic photographs for training/evaluation tests: smooth gradients, hard-edged shapes and a
little noise, so that crops differ and both low and high frequencies are present."""

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw


def write_images(directory: Path, count: int = 4, size: tuple[int, int] = (112, 96), seed: int = 0) -> Path:
    """Write `count` RGB PNGs of `size` (width, height) into `directory`; returns it."""
    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    w, h = size
    yy, xx = np.mgrid[0:h, 0:w] / max(w, h)
    for i in range(count):
        a, b, c = rng.uniform(0.2, 1.0, 3)
        base = np.stack([a * xx + 0.2, b * yy + 0.1, c * (1 - xx) * yy + 0.3], axis=-1)
        img = Image.fromarray((np.clip(base, 0, 1) * 255).astype(np.uint8))
        draw = ImageDraw.Draw(img)
        for _ in range(4):
            x0, y0 = rng.integers(0, w - 16), rng.integers(0, h - 16)
            box = (int(x0), int(y0), int(x0 + rng.integers(8, 32)), int(y0 + rng.integers(8, 32)))
            colour = tuple(int(v) for v in rng.integers(0, 256, 3))
            (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(box, fill=colour)
        arr = np.asarray(img).astype(np.int16) + rng.integers(-6, 7, (h, w, 3))
        Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).save(directory / f"img_{i:02d}.png")
    return directory
