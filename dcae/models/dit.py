"""DiT: a diffusion transformer over DC-AE latents (Peebles & Xie, ICCV 2023), with optional
PixArt-alpha-style cross-attention over text token embeddings.

Module names follow facebookresearch/DiT (`x_embedder.proj`, `t_embedder.mlp`, `y_embedder.embedding_table`,
`pos_embed`, `blocks.i.{attn.qkv, attn.proj, mlp.fc1, mlp.fc2, adaLN_modulation.1}`, `final_layer`),
so the published DC-AE generators (efficientvit's `dc-ae-f32c32-in-1.0-dit-xl-in-512px`) load with
their keys as they are. `forward(x, t, ...)` is a pure tensor function: noise schedules, samplers and
guidance live in `dcae/contract/`, the training loss in `dcae/training/objective.py`.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields

import torch
import torch.nn as nn
import torch.nn.functional as F

# ----------------------------------------------------------------------------------------------
# Helpers


def modulate(x: torch.Tensor, shift: torch.Tensor, scale: torch.Tensor) -> torch.Tensor:
    return x * (1 + scale[:, None]) + shift[:, None]


def timestep_embedding(t: torch.Tensor, dim: int, max_period: float = 10000.0) -> torch.Tensor:
    """Sinusoidal embedding of (possibly fractional) timesteps, [cos | sin], as in DiT (frequencies
    exp(-log(max_period) * i / half), i < half)."""
    half = dim // 2
    freqs = torch.exp(-math.log(max_period) * torch.arange(half, dtype=torch.float32, device=t.device) / half)
    args = t[:, None].float() * freqs[None]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)


def sincos_pos_embed_2d(dim: int, grid_h: int, grid_w: int) -> torch.Tensor:
    """Fixed 2D sin-cos position embedding (MAE/DiT): half the channels encode the column, half the
    row. (grid_h * grid_w, dim), row-major. DiT fixes it to the training resolution."""
    def one_axis(d: int, pos: torch.Tensor) -> torch.Tensor:
        omega = 1.0 / 10000 ** (torch.arange(d // 2, dtype=torch.float64) / (d / 2.0))
        out = pos.reshape(-1, 1).double() * omega[None]
        return torch.cat([torch.sin(out), torch.cos(out)], dim=1)

    ys, xs = torch.meshgrid(torch.arange(grid_h), torch.arange(grid_w), indexing="ij")
    return torch.cat([one_axis(dim // 2, xs), one_axis(dim // 2, ys)], dim=1).float()


# ----------------------------------------------------------------------------------------------
# Blocks


class Mlp(nn.Module):
    def __init__(self, dim: int, hidden: int, out: int | None = None) -> None:
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, out or dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(F.gelu(self.fc1(x), approximate="tanh"))


class Attention(nn.Module):
    """Multi-head self-attention with a fused qkv projection."""

    def __init__(self, dim: int, heads: int) -> None:
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, t, d = x.shape
        q, k, v = self.qkv(x).reshape(n, t, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)  # (N, H, T, Dh)
        out = F.scaled_dot_product_attention(q, k, v)
        return self.proj(out.transpose(1, 2).reshape(n, t, d))


class CrossAttention(nn.Module):
    """Latent tokens attend to text tokens (PixArt-alpha); `mask` (N, L) is True for real tokens."""

    def __init__(self, dim: int, heads: int) -> None:
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(dim, dim)
        self.kv = nn.Linear(dim, 2 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor, context: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
        n, t, d = x.shape
        q = self.q(x).reshape(n, t, self.heads, d // self.heads).transpose(1, 2)  # (N, H, T, Dh)
        k, v = self.kv(context).reshape(n, -1, 2, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        attn_mask = None if mask is None else mask[:, None, None, :]  # broadcast over heads and queries
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)
        return self.proj(out.transpose(1, 2).reshape(n, t, d))


class DiTBlock(nn.Module):
    """adaLN-Zero block: modulated self-attention and MLP with gates initialised to zero; with text,
    an unmodulated cross-attention between them (PixArt-alpha)."""

    def __init__(self, dim: int, heads: int, mlp_ratio: float, cross_attention: bool) -> None:
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, elementwise_affine=False, eps=1e-6)
        self.attn = Attention(dim, heads)
        if cross_attention:
            self.norm_cross = nn.LayerNorm(dim, elementwise_affine=False, eps=1e-6)
            self.cross_attn = CrossAttention(dim, heads)
        else:
            self.cross_attn = None
        self.norm2 = nn.LayerNorm(dim, elementwise_affine=False, eps=1e-6)
        self.mlp = Mlp(dim, int(dim * mlp_ratio))
        self.adaLN_modulation = nn.Sequential(nn.SiLU(), nn.Linear(dim, 6 * dim))

    def forward(self, x: torch.Tensor, c: torch.Tensor, context: torch.Tensor | None = None,
                mask: torch.Tensor | None = None) -> torch.Tensor:
        shift_msa, scale_msa, gate_msa, shift_mlp, scale_mlp, gate_mlp = self.adaLN_modulation(c).chunk(6, dim=1)
        x = x + gate_msa[:, None] * self.attn(modulate(self.norm1(x), shift_msa, scale_msa))
        if self.cross_attn is not None:
            x = x + self.cross_attn(self.norm_cross(x), context, mask)
        return x + gate_mlp[:, None] * self.mlp(modulate(self.norm2(x), shift_mlp, scale_mlp))


class TimestepEmbedder(nn.Module):
    def __init__(self, dim: int, freq_dim: int = 256) -> None:
        super().__init__()
        self.freq_dim = freq_dim
        self.mlp = nn.Sequential(nn.Linear(freq_dim, dim), nn.SiLU(), nn.Linear(dim, dim))

    def forward(self, t: torch.Tensor) -> torch.Tensor:
        return self.mlp(timestep_embedding(t, self.freq_dim).to(self.mlp[0].weight.dtype))


class LabelEmbedder(nn.Module):
    """Class embeddings; the extra last row (index `num_classes`) is the null class for guidance."""

    def __init__(self, num_classes: int, dim: int) -> None:
        super().__init__()
        self.num_classes = num_classes
        self.embedding_table = nn.Embedding(num_classes + 1, dim)

    def forward(self, y: torch.Tensor) -> torch.Tensor:
        return self.embedding_table(y)


class TextEmbedder(nn.Module):
    """Projects text-encoder token embeddings to the model width; `null_context` is the learned
    "no prompt" sequence used for classifier-free guidance (PixArt-alpha's y_embedding)."""

    def __init__(self, text_dim: int, text_len: int, dim: int) -> None:
        super().__init__()
        self.text_len = text_len
        self.null_context = nn.Parameter(torch.randn(text_len, text_dim) / text_dim**0.5)
        self.mlp = Mlp(text_dim, dim, dim)

    def forward(self, context: torch.Tensor) -> torch.Tensor:
        return self.mlp(context)


class FinalLayer(nn.Module):
    def __init__(self, dim: int, patch: int, out_channels: int) -> None:
        super().__init__()
        self.norm_final = nn.LayerNorm(dim, elementwise_affine=False, eps=1e-6)
        self.linear = nn.Linear(dim, patch * patch * out_channels)
        self.adaLN_modulation = nn.Sequential(nn.SiLU(), nn.Linear(dim, 2 * dim))

    def forward(self, x: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        shift, scale = self.adaLN_modulation(c).chunk(2, dim=1)
        return self.linear(modulate(self.norm_final(x), shift, scale))


# ----------------------------------------------------------------------------------------------
# Configuration and model


class GeneratorConfig:
    """What a generator's frozen dataclass config shares (DiT's here, U-ViT's in `dcae.models.uvit`): the tokens of
    its latent grid, and a dict form that refuses unknown fields by name."""

    kind = "generator"  # in error messages

    @property
    def num_tokens(self) -> int:
        return (self.input_size // self.patch_size) ** 2

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict):
        known = {f.name for f in fields(cls)}
        if set(d) - known:
            raise ValueError(f"unknown {cls.kind} config fields: {sorted(set(d) - known)}")
        return cls(**d)

    def replace(self, **changes):
        return type(self).from_dict({**self.to_dict(), **changes})


@dataclass(frozen=True)
class DiTConfig(GeneratorConfig):
    name: str  # "DiT-XL/1": size and patch, as the paper names them
    depth: int
    hidden_size: int
    num_heads: int
    patch_size: int
    in_channels: int = 32  # latent channels of the autoencoder
    input_size: int = 16  # latent side at the training resolution (512px / f32)
    learn_sigma: bool = True  # output 2x channels: epsilon and the variance interpolation (DDPM)
    num_classes: int = 1000  # 0: no class conditioning
    text_dim: int = 0  # > 0: cross-attention over text tokens of this width
    text_len: int = 32  # text tokens (padded / truncated)
    mlp_ratio: float = 4.0

    kind = "DiT"

    @property
    def out_channels(self) -> int:
        return self.in_channels * 2 if self.learn_sigma else self.in_channels


class DiT(nn.Module):
    def __init__(self, cfg: DiTConfig) -> None:
        super().__init__()
        self.config = cfg
        d, p = cfg.hidden_size, cfg.patch_size
        self.x_embedder = nn.Module()
        self.x_embedder.proj = nn.Conv2d(cfg.in_channels, d, p, stride=p)
        self.t_embedder = TimestepEmbedder(d)
        self.y_embedder = LabelEmbedder(cfg.num_classes, d) if cfg.num_classes > 0 else None
        self.text_embedder = TextEmbedder(cfg.text_dim, cfg.text_len, d) if cfg.text_dim > 0 else None
        grid = cfg.input_size // p
        # A parameter without gradient, as in DiT, so that published files (which hold it) load as they are.
        self.pos_embed = nn.Parameter(sincos_pos_embed_2d(d, grid, grid)[None], requires_grad=False)
        self.blocks = nn.ModuleList(DiTBlock(d, cfg.num_heads, cfg.mlp_ratio, cfg.text_dim > 0)
                                    for _ in range(cfg.depth))
        self.final_layer = FinalLayer(d, p, cfg.out_channels)
        self.initialize_weights()

    def initialize_weights(self) -> None:
        """DiT's initialisation: Xavier linears, zeroed adaLN modulations and output (adaLN-Zero)."""
        def xavier(m: nn.Module) -> None:
            if isinstance(m, nn.Linear):
                nn.init.xavier_uniform_(m.weight)
                nn.init.zeros_(m.bias)

        self.apply(xavier)
        w = self.x_embedder.proj.weight
        nn.init.xavier_uniform_(w.view(w.shape[0], -1))
        nn.init.zeros_(self.x_embedder.proj.bias)
        if self.y_embedder is not None:
            nn.init.normal_(self.y_embedder.embedding_table.weight, std=0.02)
        nn.init.normal_(self.t_embedder.mlp[0].weight, std=0.02)
        nn.init.normal_(self.t_embedder.mlp[2].weight, std=0.02)
        for block in self.blocks:
            nn.init.zeros_(block.adaLN_modulation[-1].weight)
            nn.init.zeros_(block.adaLN_modulation[-1].bias)
        for layer in (self.final_layer.adaLN_modulation[-1], self.final_layer.linear):
            nn.init.zeros_(layer.weight)
            nn.init.zeros_(layer.bias)

    def unpatchify(self, x: torch.Tensor, h: int, w: int) -> torch.Tensor:
        p, c = self.config.patch_size, self.config.out_channels
        x = x.reshape(x.shape[0], h, w, p, p, c)
        return torch.einsum("nhwpqc->nchpwq", x).reshape(x.shape[0], c, h * p, w * p)

    def forward(self, x: torch.Tensor, t: torch.Tensor, y: torch.Tensor | None = None,
                context: torch.Tensor | None = None, context_mask: torch.Tensor | None = None) -> torch.Tensor:
        """x (N, C, H, W) noisy latents; t (N,) timesteps (DDPM: 0..999, flow: 0..1000 scaled);
        y (N,) class labels, `num_classes` = null; context (N, L, text_dim) text tokens with
        context_mask (N, L) True where real. Returns (N, out_channels, H, W)."""
        h, w = x.shape[-2] // self.config.patch_size, x.shape[-1] // self.config.patch_size
        x = self.x_embedder.proj(x).flatten(2).transpose(1, 2) + self.pos_embed  # (N, T, D)
        c = self.t_embedder(t)  # (N, D)
        if self.y_embedder is not None:
            if y is None:
                raise ValueError(f"{self.config.name} is class-conditional: pass y (use {self.config.num_classes} "
                                 "for no class)")
            c = c + self.y_embedder(y)
        ctx = None
        if self.text_embedder is not None:
            if context is None:
                raise ValueError(f"{self.config.name} is text-conditional: pass context token embeddings")
            ctx = self.text_embedder(context)  # (N, L, D)
            if context_mask is not None:
                context_mask = context_mask.bool()
        for block in self.blocks:
            x = block(x, c, ctx, context_mask)
        return self.unpatchify(self.final_layer(x, c), h, w)  # (N, out_channels, H, W)

    def fill_null_context(self, context: torch.Tensor, context_mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """The guidance convention of every runtime: a row whose context_mask is all False is "no prompt"
        and gets the learned null context, all tokens attended. -> (context, context_mask)."""
        uncond = ~context_mask.bool().any(dim=1)  # (N,)
        null = self.text_embedder.null_context.to(context.dtype)[None]  # (1, L, D)
        return torch.where(uncond[:, None, None], null, context), context_mask.bool() | uncond[:, None]


# ----------------------------------------------------------------------------------------------
# Presets (Peebles & Xie Table 1), in the paper's notation "DiT-<size>/<patch>".

_SIZES = {  # depth, width, heads
    "S": (12, 384, 6),
    "B": (12, 768, 12),
    "L": (24, 1024, 16),
    "XL": (28, 1152, 16),
}
PRESETS: dict[str, DiTConfig] = {
    f"DiT-{size}/{patch}": DiTConfig(f"DiT-{size}/{patch}", depth, width, heads, patch)
    for size, (depth, width, heads) in _SIZES.items() for patch in (1, 2, 4)
}
# Ours, for small text-to-image models: half of DiT-S in depth, 5/6 in width (14 M parameters with text).
PRESETS["DiT-mini/1"] = DiTConfig("DiT-mini/1", depth=6, hidden_size=320, num_heads=5, patch_size=1)
# DiT-XL/1 on dc-ae-f32c32-in-1.0 at 512px: 256 tokens, 675,184,960 parameters (incl. pos_embed).


def get_config(name: str) -> DiTConfig:
    if name not in PRESETS:
        raise KeyError(f"unknown DiT preset {name!r}; known: {', '.join(PRESETS)}")
    return PRESETS[name]
