"""The SD-VAE (LDM AutoencoderKL, f8c4) decoder, for speed comparisons with DC-AE.

The layer layout and parameter names are those of `diffusers.AutoencoderKL`
(`post_quant_conv.*`, `decoder.*`), so its state dict loads strictly and the two give the
same output (tests/models/test_sd_vae.py); the GPU machine has no diffusers. Random weights are
enough for timing. Default configuration: Stable Diffusion's VAE (49.5 M parameters on the
decoder side: channels 128-256-512-512, 2+1 ResNet blocks per level, one attention block).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


def _norm(channels: int, groups: int) -> nn.GroupNorm:
    return nn.GroupNorm(groups, channels, eps=1e-6)


class ResnetBlock(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, groups: int) -> None:
        super().__init__()
        self.norm1 = _norm(in_channels, groups)
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, padding=1)
        self.norm2 = _norm(out_channels, groups)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1)
        self.conv_shortcut = nn.Conv2d(in_channels, out_channels, 1) if in_channels != out_channels else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.conv1(F.silu(self.norm1(x)))
        h = self.conv2(F.silu(self.norm2(h)))
        return (x if self.conv_shortcut is None else self.conv_shortcut(x)) + h


class SpatialAttention(nn.Module):
    """One-head self-attention over all pixels, with a residual connection."""

    def __init__(self, channels: int, groups: int) -> None:
        super().__init__()
        self.group_norm = _norm(channels, groups)
        self.to_q = nn.Linear(channels, channels)
        self.to_k = nn.Linear(channels, channels)
        self.to_v = nn.Linear(channels, channels)
        self.to_out = nn.ModuleList([nn.Linear(channels, channels)])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, c, h, w = x.shape
        t = self.group_norm(x).flatten(2).transpose(1, 2)  # (N, HW, C)
        q, k, v = (proj(t)[:, None] for proj in (self.to_q, self.to_k, self.to_v))
        out = F.scaled_dot_product_attention(q, k, v)[:, 0]
        return x + self.to_out[0](out).transpose(1, 2).reshape(n, c, h, w)


class MidBlock(nn.Module):
    def __init__(self, channels: int, groups: int) -> None:
        super().__init__()
        self.resnets = nn.ModuleList([ResnetBlock(channels, channels, groups) for _ in range(2)])
        self.attentions = nn.ModuleList([SpatialAttention(channels, groups)])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.resnets[1](self.attentions[0](self.resnets[0](x)))


class Upsample(nn.Module):
    def __init__(self, channels: int) -> None:
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(F.interpolate(x, scale_factor=2.0, mode="nearest"))


class UpBlock(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, layers: int, groups: int, upsample: bool) -> None:
        super().__init__()
        self.resnets = nn.ModuleList(ResnetBlock(in_channels if i == 0 else out_channels, out_channels, groups)
                                     for i in range(layers))
        self.upsamplers = nn.ModuleList([Upsample(out_channels)]) if upsample else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for resnet in self.resnets:
            x = resnet(x)
        if self.upsamplers is not None:
            x = self.upsamplers[0](x)
        return x


class Decoder(nn.Module):
    def __init__(self, latent_channels: int, channels: tuple[int, ...], layers_per_block: int, groups: int) -> None:
        super().__init__()
        top = channels[-1]
        self.conv_in = nn.Conv2d(latent_channels, top, 3, padding=1)
        self.mid_block = MidBlock(top, groups)
        rev = channels[::-1]
        self.up_blocks = nn.ModuleList(
            UpBlock(rev[max(i - 1, 0)], rev[i], layers_per_block + 1, groups, upsample=i < len(rev) - 1)
            for i in range(len(rev)))
        self.conv_norm_out = _norm(channels[0], groups)
        self.conv_out = nn.Conv2d(channels[0], 3, 3, padding=1)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        x = self.mid_block(self.conv_in(z))
        for block in self.up_blocks:
            x = block(x)
        return self.conv_out(F.silu(self.conv_norm_out(x)))


class SDVAEDecoder(nn.Module):
    """z (N, 4, H/8, W/8) -> image (N, 3, H, W); the decoding half of SD's AutoencoderKL."""

    def __init__(self, latent_channels: int = 4, channels: tuple[int, ...] = (128, 256, 512, 512),
                 layers_per_block: int = 2, groups: int = 32) -> None:
        super().__init__()
        self.post_quant_conv = nn.Conv2d(latent_channels, latent_channels, 1)
        self.decoder = Decoder(latent_channels, tuple(channels), layers_per_block, groups)
        self.compression = 2 ** (len(channels) - 1)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.decoder(self.post_quant_conv(z))
