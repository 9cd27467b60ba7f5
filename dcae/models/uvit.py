"""U-ViT: a ViT denoiser with long skip connections (Bao et al., CVPR 2023), the paper's headline generator on
DC-AE latents (efficientvit's `dc-ae-f{32c32,64c128}-in-1.0-uvit-{s,h,2b}-in-512px`, reference Sec. 8).

    tokens = [label, time, patches] + a learned position embedding (fixed grid: one resolution)
    in-blocks (depth // 2), each output kept; a mid-block; out-blocks (depth // 2), each starting with
    skip_linear(concat(x, the matching in-block's output)); LayerNorm; a linear to the patch pixels.
A block is pre-LN: x + attn(norm1(x)), then x + mlp(norm2(x)); attention without qkv bias, in float32; the time
token is the raw sinusoid of the (fractional) model time, cosines first; the label table has a null class
(num_classes) for classifier-free guidance.

Module names are efficientvit's (`patch_embed.proj`, `label_emb.embedding_table`, `pos_embed`,
`in_blocks.i.{norm1, attn.qkv, attn.proj, norm2, mlp.fc1, mlp.fc2}`, `mid_block`, `out_blocks.i.skip_linear`,
`norm`, `decoder_pred`), so the releases' `diffusion_model.*` tensors load as they are. `forward(x, t, y)` is a
pure tensor function with DiT's signature (the export, the runtimes and the pipelines call both alike);
equality with efficientvit's UViT on the same weights: `tests/models/test_uvit.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

from dcae.models.dit import GeneratorConfig, timestep_embedding


@dataclass(frozen=True)
class UViTConfig(GeneratorConfig):
    name: str  # "U-ViT-H": the size as the paper names it
    depth: int  # in-blocks + out-blocks (the mid-block comes on top)
    hidden_size: int
    num_heads: int
    patch_size: int = 1
    in_channels: int = 32  # latent channels of the autoencoder
    input_size: int = 16  # latent side at the training resolution (512 px / f); the position table fixes it
    num_classes: int = 1000  # the label table holds one more: the null class
    mlp_ratio: float = 4.0

    # What the export, the runtimes and the pipelines ask of a class-conditional generator (DiT's names)
    learn_sigma = False
    text_dim = 0
    text_len = 0

    kind = "U-ViT"

    @property
    def out_channels(self) -> int:
        return self.in_channels


class Attention(nn.Module):
    """Softmax attention over all tokens, computed in float32 (efficientvit casts q, k, v up)."""

    def __init__(self, dim: int, heads: int) -> None:
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, t, d = x.shape
        q, k, v = self.qkv(x).float().view(n, t, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        out = F.scaled_dot_product_attention(q, k, v)  # (N, H, T, d)
        return self.proj(out.transpose(1, 2).reshape(n, t, d).to(x.dtype))


class Mlp(nn.Module):
    def __init__(self, dim: int, hidden: int) -> None:
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(dim, hidden), nn.Linear(hidden, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(F.gelu(self.fc1(x)))


class Block(nn.Module):
    def __init__(self, dim: int, heads: int, mlp_ratio: float, skip: bool = False) -> None:
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = Mlp(dim, int(dim * mlp_ratio))
        self.skip_linear = nn.Linear(2 * dim, dim) if skip else None  # registered last, as the releases hold it

    def forward(self, x: torch.Tensor, skip: torch.Tensor | None = None) -> torch.Tensor:
        if self.skip_linear is not None:
            x = self.skip_linear(torch.cat([x, skip], dim=-1))
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class TimeToken(nn.Module):
    """The time token: the raw sinusoid of the model time (no MLP); a module of its own so that 16-bit graphs keep
    it in float32 (dcae.contract.precision)."""

    def __init__(self, dim: int) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, t: torch.Tensor) -> torch.Tensor:
        return timestep_embedding(t, self.dim)[:, None]  # (N, 1, D)


class UViT(nn.Module):
    """latent (N, C, s, s) diffusion space, timestep (N,) the model time (fractional; 1 ... 1000 for the
    releases' discrete schedule), class_label (N,) int64 (num_classes: the null class) -> eps (N, C, s, s)."""

    def __init__(self, cfg: UViTConfig) -> None:
        super().__init__()
        if cfg.depth % 2:
            raise ValueError(f"U-ViT depth {cfg.depth}: in- and out-blocks pair up, so it must be even")
        self.config = cfg
        d, p = cfg.hidden_size, cfg.patch_size
        self.patch_embed = nn.Module()
        self.patch_embed.proj = nn.Conv2d(cfg.in_channels, d, p, stride=p)
        self.label_emb = nn.Module()
        self.label_emb.embedding_table = nn.Embedding(cfg.num_classes + 1, d)
        self.time_token = TimeToken(d)
        self.pos_embed = nn.Parameter(torch.zeros(1, 2 + cfg.num_tokens, d))
        self.in_blocks = nn.ModuleList(Block(d, cfg.num_heads, cfg.mlp_ratio) for _ in range(cfg.depth // 2))
        self.mid_block = Block(d, cfg.num_heads, cfg.mlp_ratio)
        self.out_blocks = nn.ModuleList(Block(d, cfg.num_heads, cfg.mlp_ratio, skip=True)
                                        for _ in range(cfg.depth // 2))
        self.norm = nn.LayerNorm(d)
        self.decoder_pred = nn.Linear(d, p * p * cfg.in_channels)
        nn.init.trunc_normal_(self.pos_embed, std=0.02)

    def forward(self, x: torch.Tensor, t: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        n, c, h, w = x.shape
        p = self.config.patch_size
        tokens = self.patch_embed.proj(x).flatten(2).transpose(1, 2)  # (N, T, D)
        time = self.time_token(t).to(tokens.dtype)
        label = self.label_emb.embedding_table(y)[:, None]
        x = torch.cat([label, time, tokens], dim=1) + self.pos_embed  # (N, 2 + T, D)
        skips = []
        for block in self.in_blocks:
            x = block(x)
            skips.append(x)
        x = self.mid_block(x)
        for block in self.out_blocks:
            x = block(x, skips.pop())
        x = self.decoder_pred(self.norm(x))[:, 2:]  # (N, T, p * p * C), channels last within a patch
        x = x.reshape(n, h // p, w // p, p, p, c).permute(0, 5, 1, 3, 2, 4)
        return x.reshape(n, c, h, w)


# Sizes as efficientvit names them (reference Sec. 8: `dc_ae_uvit_{s,h,2b}_in_512px`), patch 1
PRESETS: dict[str, UViTConfig] = {
    "U-ViT-S": UViTConfig("U-ViT-S", depth=12, hidden_size=512, num_heads=8),
    "U-ViT-H": UViTConfig("U-ViT-H", depth=28, hidden_size=1152, num_heads=16),
    "U-ViT-2B": UViTConfig("U-ViT-2B", depth=28, hidden_size=2048, num_heads=32),
}
