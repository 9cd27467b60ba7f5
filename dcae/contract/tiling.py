"""Tiled processing of large images and latents: where the tiles go and how their outputs blend.

A spatial map `fn` (output size = input size x `scale`: 1/f for an encoder, f for a decoder) runs tile
by tile; overlapping outputs blend with linear ramps that rise across each overlap (never 0), and the
sum is divided by the summed weights, so tiles that disagree meet in a straight line instead of a seam
(reference Sec. 7: 512-px tiles without blending show seams). The plan is numpy; `blend_tiles` runs it
on numpy arrays (the gateway); `dcae.pipelines.autoencoder.tiled_apply` runs the same plan on torch tensors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

import numpy as np


# Images larger than this (pixels) are decoded and encoded in tiles unless asked otherwise: the gateway's default
# (DCAE_MAX_UNTILED_PIXELS) and the SANA pipeline's (a 4K image's activations in one piece are tens of GB).
MAX_UNTILED_PIXELS = 2048 * 2048


@dataclass(frozen=True)
class TileSpec:
    """Tiles of `tile_pixels` per side overlapping by `overlap_pixels`, in image pixels (both
    rounded to the compression factor). Overlaps are cross-faded linearly; the defaults keep
    seams invisible on flat regions (reference Sec. 7: 512-px tiles without blending show seams)."""

    tile_pixels: int = 512
    overlap_pixels: int = 128

    def __post_init__(self) -> None:
        if self.tile_pixels < 1 or not 0 <= self.overlap_pixels < self.tile_pixels:
            raise ValueError(f"tiles of {self.tile_pixels} px overlapping by {self.overlap_pixels} px: the tile "
                             "must be positive and the overlap smaller than the tile")

    def rounded(self, compression: int) -> TileSpec:
        """Both sides rounded down to the compression factor (a tile at least one latent cell)."""
        tile = max(compression, self.tile_pixels // compression * compression)
        overlap = self.overlap_pixels // compression * compression
        if overlap >= tile:
            raise ValueError(f"tiles of {self.tile_pixels} px overlapping by {self.overlap_pixels} px leave no "
                             f"stride once rounded to the compression factor {compression}: make the overlap at "
                             f"least {compression} px smaller than the tile")
        return TileSpec(tile, overlap)

    def in_latent(self, compression: int) -> TileSpec:
        t = self.rounded(compression)
        tile = t.tile_pixels // compression
        return TileSpec(tile, min(max(1, t.overlap_pixels // compression), tile - 1))  # decoding blends >= 1 cell


def tile_starts(length: int, tile: int, overlap: int) -> list[int]:
    """Tile origins along one axis: every `tile - overlap`, the last flush with the end."""
    if length <= tile:
        return [0]
    stride = max(1, tile - overlap)
    return list(range(0, length - tile, stride)) + [length - tile]


def ramp(size: int, before: int, after: int) -> np.ndarray:
    """(size,) float32 weights: 1 in the middle, rising over `before` and falling over `after` pixels,
    sampled at pixel centres (never 0)."""
    w = np.ones(size, dtype=np.float32)
    if before > 0:
        w[:before] = (np.arange(before) + 0.5) / before
    if after > 0:
        w[size - after:] = np.minimum(w[size - after:], (np.arange(after, 0, -1) - 0.5) / after)
    return w


@dataclass(frozen=True)
class Tile:
    y0: int  # input window: [y0, y0 + th) x [x0, x0 + tw)
    x0: int
    th: int
    tw: int
    oy: int  # its output's origin (input origin x scale)
    ox: int

    def window(self, x):
        """This tile's input from a (N, C, H, W) array or tensor."""
        return x[:, :, self.y0:self.y0 + self.th, self.x0:self.x0 + self.tw]


@dataclass(frozen=True)
class TilePlan:
    height: int  # input size
    width: int
    tile: int
    overlap: int
    scale: float

    @property
    def output_size(self) -> tuple[int, int]:
        return round(self.height * self.scale), round(self.width * self.scale)

    def __iter__(self) -> Iterator[Tile]:
        h, w, tile = self.height, self.width, self.tile
        for y0 in tile_starts(h, tile, self.overlap):
            for x0 in tile_starts(w, tile, self.overlap):
                yield Tile(y0, x0, min(tile, h), min(tile, w), round(y0 * self.scale), round(x0 * self.scale))

    def __len__(self) -> int:
        return len(tile_starts(self.height, self.tile, self.overlap)) * len(tile_starts(self.width, self.tile,
                                                                                        self.overlap))

    def weights(self, t: Tile, out_h: int, out_w: int) -> np.ndarray:
        """(out_h, out_w) float32 blend weights of tile t's output: ramps across the overlaps with the
        tiles before and after it on each axis (in output pixels), none at the image's borders."""
        ov = round(self.overlap * self.scale)
        wy = ramp(out_h, min(ov if t.y0 > 0 else 0, out_h), min(ov if t.y0 + t.th < self.height else 0, out_h))
        wx = ramp(out_w, min(ov if t.x0 > 0 else 0, out_w), min(ov if t.x0 + t.tw < self.width else 0, out_w))
        return wy[:, None] * wx[None, :]


async def blend_tiles(fn: Callable, x: np.ndarray, tile: int, overlap: int, scale: float) -> np.ndarray:
    """`fn` (async, numpy) over x (N, C, H, W) tile by tile, outputs blended -> (N, C', H*scale, W*scale) float32."""
    n, _, h, w = x.shape
    plan = TilePlan(h, w, tile, overlap, scale)
    out = weight = None
    for t in plan:
        y = await fn(np.ascontiguousarray(t.window(x)))
        if out is None:
            out = np.zeros((n, y.shape[1], *plan.output_size), np.float32)
            weight = np.zeros((1, 1, *plan.output_size), np.float32)
        oh, ow = y.shape[2], y.shape[3]
        wt = plan.weights(t, oh, ow)
        out[:, :, t.oy:t.oy + oh, t.ox:t.ox + ow] += y * wt
        weight[:, :, t.oy:t.oy + oh, t.ox:t.ox + ow] += wt
    return out / weight
