"""A tiny preview decoder for DC-AE latents: the layout of TAESANA (madebyollin/taesd, `taesana_decoder.pth`, the
`F32Decoder` of its taesd.py), distilled there from dc-ae-f32c32-sana-1.0. About 8.3 M parameters against the
DC-AE decoder's ~160 M, so a streaming generation can show what the current estimate looks like after every
step for a fraction of a full decode (measured: `python -m bench --only previews`).

    latent (N, 32, h, w), diffusion space (the latents the generator samples: TAESD's latent scale is 1)
    -> soft clamp to [-3, 3] (3 tanh(x / 3)), 3x3 conv to 256, ReLU
    -> five stages of residual blocks, each followed by a 2x nearest upsampling and a bias-free 3x3 conv
       to the next width (256 -> 128 -> 64 -> 64 -> 64 -> 64), three blocks per stage
    -> one more block, 3x3 conv to RGB in [0, 1] (not clamped).
A block is x -> ReLU(conv(ReLU(conv(ReLU(conv(x))))) + x), 3x3 convolutions of one width.

Parameter names are the reference's (a flat sequence: `1.weight`, `3.conv.0.weight`, ..., `29.bias`), so its
`.pth` or a safetensors copy of it loads as it is (`dcae.checkpoint.load_tiny_decoder`). Equality with the
reference on the same weights: `tests/models/test_taesd.py` against outputs the reference computed
(`tests/data/taesana/`).
"""

from __future__ import annotations

import torch
from torch import nn

LATENT_MAGNITUDE = 3.0  # the soft clamp's bound


def _conv(c_in: int, c_out: int, bias: bool = True) -> nn.Conv2d:
    return nn.Conv2d(c_in, c_out, 3, padding=1, bias=bias)


class SoftClamp(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.tanh(x / LATENT_MAGNITUDE) * LATENT_MAGNITUDE


class ResidualBlock(nn.Module):
    """Three 3x3 convolutions with ReLUs between, added to the input, then a ReLU (`conv.0/2/4` in the names)."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.conv = nn.Sequential(_conv(channels, channels), nn.ReLU(), _conv(channels, channels), nn.ReLU(),
                                  _conv(channels, channels))
        self.skip = nn.Identity()
        self.fuse = nn.ReLU()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fuse(self.conv(x) + self.skip(x))


class TinyDecoder(nn.Sequential):
    """Diffusion-space latents (N, latent_channels, h, w) -> images (N, 3, h * 2^k, w * 2^k) in about [0, 1],
    k = len(widths) - 1 (TAESANA: 5, i.e. 32x)."""

    def __init__(self, latent_channels: int = 32, widths: tuple[int, ...] = (256, 128, 64, 64, 64, 64),
                 blocks: tuple[int, ...] = (3, 3, 3, 3, 3, 1)) -> None:
        if len(widths) != len(blocks):
            raise ValueError(f"one block count per width: {widths} and {blocks}")
        layers: list[nn.Module] = [SoftClamp(), _conv(latent_channels, widths[0]), nn.ReLU()]
        for stage, (width, count) in enumerate(zip(widths, blocks)):
            layers += [ResidualBlock(width) for _ in range(count)]
            if stage + 1 < len(widths):
                layers += [nn.Upsample(scale_factor=2), _conv(width, widths[stage + 1], bias=False)]
        layers.append(_conv(widths[-1], 3))
        super().__init__(*layers)
        self.latent_channels = latent_channels
        self.upscale = 2 ** (len(widths) - 1)

