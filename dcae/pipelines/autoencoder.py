"""Encode and decode images of any size: padding to the compression factor, and tiled processing
with feathered overlaps for images too large to run in one piece (4K and up); and the compute precision
of the PyTorch paths (`autocast`): bfloat16 on CPUs that multiply it in hardware."""

from __future__ import annotations

import os
from contextlib import AbstractContextManager
from typing import Callable

import torch
import torch.nn.functional as F

from dcae.contract.cpu import bf16_matrix, cpu_flags
from dcae.contract.tiling import TilePlan, TileSpec
from dcae.models.dc_ae import DCAE


def tiled_apply(fn: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor, tile: int, overlap: int,
                scale: float, progress: Callable[[int, int], None] | None = None) -> torch.Tensor:
    """Apply a spatial map `fn` (output size = input size * `scale`) tile by tile over x (N, C, H, W),
    blending overlapping outputs with linear ramps (the contract's `TilePlan`, which the gateway runs
    on numpy arrays). `tile`/`overlap` are in input pixels."""
    n, _, h, w = x.shape
    plan = TilePlan(h, w, tile, overlap, scale)
    out = weight = None
    for done, t in enumerate(plan, 1):
        y = fn(t.window(x))
        if out is None:
            out = x.new_zeros(n, y.shape[1], *plan.output_size, dtype=y.dtype)
            weight = x.new_zeros(1, 1, *plan.output_size, dtype=y.dtype)
        oh, ow = y.shape[2], y.shape[3]
        wt = torch.from_numpy(plan.weights(t, oh, ow)).to(y)
        out[:, :, t.oy:t.oy + oh, t.ox:t.ox + ow] += y * wt
        weight[:, :, t.oy:t.oy + oh, t.ox:t.ox + ow] += wt
        if progress is not None:
            progress(done, len(plan))
    return out / weight


def pad_to_multiple(x: torch.Tensor, multiple: int) -> tuple[torch.Tensor, tuple[int, int]]:
    """Pad H and W up to a multiple (reflecting the border, so the encoder sees image-like content).
    Returns the padded batch and the original (H, W) to crop back to."""
    h, w = x.shape[-2:]
    ph, pw = (-h) % multiple, (-w) % multiple
    if ph or pw:
        mode = "reflect" if ph < h and pw < w else "replicate"
        x = F.pad(x, (0, pw, 0, ph), mode=mode)
    return x, (h, w)


PRECISIONS = ("auto", "float32", "bfloat16")


def compute_precision(device: str | torch.device, precision: str = "auto") -> str:
    """auto: bfloat16 on a CPU with bfloat16 matrix instructions (AMX, AVX512-BF16: the gateway's rule,
    `dcae.contract.cpu`), float32 elsewhere (CUDA paths keep their own dtype), unless the environment's
    DCAE_TORCH_PRECISION (float32 or bfloat16) says otherwise; any other `precision` is kept."""
    if precision == "auto" and os.environ.get("DCAE_TORCH_PRECISION"):
        precision = os.environ["DCAE_TORCH_PRECISION"]
    if precision not in PRECISIONS:
        raise ValueError(f"precision {precision!r} (--precision or DCAE_TORCH_PRECISION): choose one of "
                         f"{', '.join(PRECISIONS)}")
    if precision == "auto":
        return "bfloat16" if torch.device(device).type == "cpu" and bf16_matrix(cpu_flags()) else "float32"
    return precision


def autocast(device: str | torch.device, precision: str = "auto") -> AbstractContextManager:
    """bfloat16 autocast (matmuls and convolutions in bfloat16; norms, softmax and the timestep sinusoid stay
    float32, as autocast keeps them) when `compute_precision` says bfloat16, else a no-op."""
    return torch.autocast(torch.device(device).type, dtype=torch.bfloat16,
                          enabled=compute_precision(device, precision) == "bfloat16")


@torch.no_grad()
def encode_image(model: DCAE, x: torch.Tensor, tile: TileSpec | None = None,
                 progress: Callable[[int, int], None] | None = None) -> torch.Tensor:
    """Images (N, 3, H, W) in [-1, 1], any H and W -> raw latents of the padded image
    (N, C, ceil(H/f), ceil(W/f)). With `tile`, the image is encoded in overlapping tiles."""
    f = model.compression
    x, _ = pad_to_multiple(x, f)
    if tile is None:
        return model.encode(x)
    t = tile.rounded(f)
    return tiled_apply(model.encode, x, t.tile_pixels, t.overlap_pixels, 1 / f, progress)


@torch.no_grad()
def decode_latent(model: DCAE, z: torch.Tensor, image_size: tuple[int, int] | None = None,
                  tile: TileSpec | None = None, progress: Callable[[int, int], None] | None = None) -> torch.Tensor:
    """Raw latents -> images (N, 3, h*f, w*f), cropped to `image_size` (H, W) when given."""
    f = model.compression
    if tile is None:
        x = model.decode(z)
    else:
        t = tile.in_latent(f)
        x = tiled_apply(model.decode, z, t.tile_pixels, t.overlap_pixels, f, progress)
    if image_size is not None:
        h, w = image_size
        if h < 1 or w < 1:
            raise ValueError(f"image size {h}x{w}: both sides must be positive")
        if h > x.shape[2] or w > x.shape[3]:
            raise ValueError(f"image size {h}x{w} is larger than the decoded {x.shape[2]}x{x.shape[3]}")
        x = x[:, :, :h, :w]
    return x
