"""SANA's transformer (Xie et al., ICLR 2025): a linear-attention DiT on DC-AE latents, as the published
releases in diffusers' layout hold it (`transformer/config.json` + `diffusion_pytorch_model*.safetensors`).

One block: adaLN-single modulation (a shared timestep embedding, a per-block 6 x D table added to it) of
  - self-attention with ReLU linear attention (softmax-free: O(N) in the tokens), ReLU(q), ReLU(k),
    out = (v k^T) q / (1^T k^T q), in float32;
  - cross-attention to the projected, RMS-normalised caption tokens (softmax, masked padding);
  - Mix-FFN (GLUMBConv): 1x1 conv to 2 x hidden, SiLU, 3x3 depthwise conv, a SiLU gate, 1x1 conv back,
    on the token grid.
Module names are diffusers' (`transformer_blocks.i.attn1.to_q`, `caption_projection.linear_1`, ...), so a
release's weights load as they are (`dcae.checkpoint.generator.load_sana_transformer`). Equality with diffusers' `SanaTransformer2DModel` on the same random
weights: `tests/pipelines/test_sana.py`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import torch
import torch.nn.functional as F
from torch import nn


# SANA 1.5 normalises queries and keys (self- and cross-attention) by one RMSNorm over all heads, before the heads
# are split, with diffusers' Attention's eps.
QK_NORMS = (None, "rms_norm_across_heads")
QK_NORM_EPS = 1e-5


@dataclass(frozen=True)
class SanaConfig:
    """The fields of diffusers' `SanaTransformer2DModel` config that shape the network."""

    in_channels: int = 32
    out_channels: int | None = 32
    num_attention_heads: int = 70
    attention_head_dim: int = 32
    num_layers: int = 20
    num_cross_attention_heads: int = 20
    cross_attention_head_dim: int = 112
    cross_attention_dim: int = 2240
    caption_channels: int = 2304
    mlp_ratio: float = 2.5
    attention_bias: bool = False
    sample_size: int = 32
    patch_size: int = 1
    norm_elementwise_affine: bool = False
    norm_eps: float = 1e-6
    interpolation_scale: float | None = None  # 2K/4K releases: sin-cos position embeddings (1.0 at 2K, 2.0 at 4K)
    guidance_embeds: bool = False  # SANA-Sprint: guidance is an input of the network (an embedding), not CFG
    guidance_embeds_scale: float = 0.1  # the guidance embedded is guidance x this
    qk_norm: str | None = None
    timestep_scale: float = 1.0  # the model's time input is the sampler's timestep x this (1 in SANA 1.0)

    @property
    def time_input_scale(self) -> float:
        """What the sampler's timestep is multiplied by before its embedding: `timestep_scale` (diffusers'
        SanaPipeline applies it), 1 for a guidance-embedding model (SanaSprintPipeline passes the SCM time as is)."""
        return 1.0 if self.guidance_embeds else self.timestep_scale

    @property
    def dim(self) -> int:
        return self.num_attention_heads * self.attention_head_dim

    @property
    def name(self) -> str:
        return f"the SANA transformer ({self.num_layers} x {self.dim})"

    @classmethod
    def from_diffusers(cls, config: dict) -> SanaConfig:
        """From a release's `transformer/config.json`; configurations this module does not implement are
        refused by name rather than loaded wrong."""
        known = {f.name for f in fields(cls)}
        cfg = cls(**{k: v for k, v in config.items() if k in known})
        unsupported = {"qk_norm": cfg.qk_norm not in QK_NORMS,
                       "interpolation_scale": cfg.interpolation_scale is not None and not cfg.interpolation_scale > 0}
        named = [k for k, v in unsupported.items() if v]
        if named:
            raise ValueError(f"SANA transformer config with {', '.join(f'{k}={config.get(k)!r}' for k in named)}: "
                             f"not implemented (qk_norm one of {sorted(map(str, QK_NORMS))}; interpolation_scale "
                             "None or > 0)")
        return cfg


def timestep_features(t: torch.Tensor, channels: int = 256) -> torch.Tensor:
    """Sinusoidal features of the timesteps, cosines first (diffusers' `Timesteps(256, flip_sin_to_cos=True,
    downscale_freq_shift=0)`)."""
    half = channels // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32, device=t.device) / half)
    args = t.float()[:, None] * freqs[None]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)


def sincos_position_embedding(height: int, width: int, dim: int, base_size: int, scale: float,
                               device: torch.device | None = None) -> torch.Tensor:
    """(height * width, dim) float32 sin-cos embeddings of a token grid, row-major, for the 2K/4K releases
    (diffusers' `get_2d_sincos_pos_embed`): token (i, j) gets [sin, cos](w_j omega) then [sin, cos](h_i omega),
    with positions h_i = i / (height / base_size) / scale (the grid spans base_size / scale whatever its size)
    and omega = 10000^(-k / (dim / 4)). Positions in float32, the sinusoids in float64, as diffusers computes them."""
    quarter = dim // 4
    omega = 1.0 / 10000 ** (torch.arange(quarter, dtype=torch.float64, device=device) / quarter)
    ys = torch.arange(height, dtype=torch.float32, device=device) / (height / base_size) / scale
    xs = torch.arange(width, dtype=torch.float32, device=device) / (width / base_size) / scale

    def embed(pos: torch.Tensor) -> torch.Tensor:
        args = pos.double()[:, None] * omega[None]
        return torch.cat([torch.sin(args), torch.cos(args)], dim=-1)

    ex, ey = embed(xs), embed(ys)  # (W, dim/2), (H, dim/2)
    grid = torch.cat([ex[None].expand(height, -1, -1), ey[:, None].expand(-1, width, -1)], dim=-1)
    return grid.reshape(height * width, 2 * ex.shape[-1]).float()


class RMSNorm(nn.Module):
    def __init__(self, dim: int, eps: float) -> None:
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        rms = torch.rsqrt(x.float().pow(2).mean(-1, keepdim=True) + self.eps)
        return (x.float() * rms).to(self.weight.dtype) * self.weight


class Mlp(nn.Module):
    """linear_1, activation, linear_2 (diffusers' TimestepEmbedding and PixArtAlphaTextProjection)."""

    def __init__(self, d_in: int, d: int, act: nn.Module) -> None:
        super().__init__()
        self.linear_1, self.act, self.linear_2 = nn.Linear(d_in, d), act, nn.Linear(d, d)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.linear_2(self.act(self.linear_1(x)))


class TimestepEmbedder(nn.Module):
    def __init__(self, dim: int) -> None:
        super().__init__()
        self.timestep_embedder = Mlp(256, dim, nn.SiLU())


class AdaLayerNormSingle(nn.Module):
    """The timestep embedding every block is modulated by: (6 x D modulation, D embedding)."""

    def __init__(self, dim: int) -> None:
        super().__init__()
        self.emb = TimestepEmbedder(dim)
        self.linear = nn.Linear(dim, 6 * dim)

    def forward(self, t: torch.Tensor, dtype: torch.dtype, guidance: torch.Tensor | None = None
                ) -> tuple[torch.Tensor, torch.Tensor]:
        emb = self.emb.timestep_embedder(timestep_features(t).to(dtype))
        return self.linear(F.silu(emb)), emb


class TimestepGuidanceEmbedding(nn.Module):
    """SANA-Sprint's: the timestep's embedding plus the guidance's (the same sinusoid, its own MLP), then the
    6 x D modulation (diffusers' `SanaCombinedTimestepGuidanceEmbeddings` names)."""

    def __init__(self, dim: int) -> None:
        super().__init__()
        self.timestep_embedder = Mlp(256, dim, nn.SiLU())
        self.guidance_embedder = Mlp(256, dim, nn.SiLU())
        self.linear = nn.Linear(dim, 6 * dim)

    def forward(self, t: torch.Tensor, dtype: torch.dtype, guidance: torch.Tensor | None = None
                ) -> tuple[torch.Tensor, torch.Tensor]:
        if guidance is None:
            raise ValueError("this SANA transformer embeds the guidance (SANA-Sprint): give `guidance`")
        emb = (self.timestep_embedder(timestep_features(t).to(dtype))
               + self.guidance_embedder(timestep_features(guidance).to(dtype)))
        return self.linear(F.silu(emb)), emb


class Attention(nn.Module):
    """Projections in diffusers' names: to_q, to_k, to_v, to_out.0 (to_out.1 is dropout, no weights)."""

    def __init__(self, dim: int, heads: int, head_dim: int, kv_dim: int, bias: bool, out_bias: bool = True,
                 qk_norm: str | None = None) -> None:
        super().__init__()
        inner = heads * head_dim
        self.heads = heads
        self.to_q = nn.Linear(dim, inner, bias=bias)
        self.to_k = nn.Linear(kv_dim, inner, bias=bias)
        self.to_v = nn.Linear(kv_dim, inner, bias=bias)
        if qk_norm == "rms_norm_across_heads":  # SANA 1.5: norm_q, norm_k over all heads (diffusers' names)
            self.norm_q, self.norm_k = RMSNorm(inner, QK_NORM_EPS), RMSNorm(inner, QK_NORM_EPS)
        else:
            self.norm_q = self.norm_k = None
        self.to_out = nn.ModuleList([nn.Linear(inner, dim, bias=out_bias), nn.Identity()])

    def qk(self, x: torch.Tensor, kv: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        q, k = self.to_q(x), self.to_k(kv)
        if self.norm_q is not None:
            q, k = self.norm_q(q), self.norm_k(k)
        return q, k

    def forward(self, x: torch.Tensor, context: torch.Tensor | None = None,
                bias: torch.Tensor | None = None) -> torch.Tensor:
        """Self-attention (linear) without `context`, cross-attention with it. One forward, so that the exported
        graph's nodes name this module (the fp16 export keeps its cores in fp32 by that name)."""
        return self.linear(x) if context is None else self.cross(x, context, bias)

    def linear(self, x: torch.Tensor) -> torch.Tensor:
        """ReLU linear self-attention over (N, T, D), accumulated in float32."""
        n, t, _ = x.shape
        q, k = self.qk(x, x)
        q, k, v = F.relu(q), F.relu(k), self.to_v(x)
        q, k, v = (y.float().view(n, t, self.heads, -1).transpose(1, 2) for y in (q, k, v))  # (N, H, T, d)
        kv = torch.einsum("nhtd,nhte->nhde", k, v)  # sum over tokens of k v^T: (N, H, d, d)
        numerator = torch.einsum("nhtd,nhde->nhte", q, kv)
        denominator = torch.einsum("nhtd,nhd->nht", q, k.sum(dim=2))[..., None]
        # max(., 1e-15) rather than + 1e-15: the ONNX exporter folds the addition away (0 / 0 = NaN in the graph)
        out = (numerator / denominator.clamp_min(1e-15)).transpose(1, 2).reshape(n, t, -1).to(x.dtype)
        return self.to_out[0](out)

    def cross(self, x: torch.Tensor, context: torch.Tensor, bias: torch.Tensor | None) -> torch.Tensor:
        """Softmax attention from the image tokens to the caption tokens; `bias` (N, 1, 1, L) masks padding."""
        n = x.shape[0]
        (q, k), v = self.qk(x, context), self.to_v(context)
        q, k, v = (y.view(n, y.shape[1], self.heads, -1).transpose(1, 2) for y in (q, k, v))
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
        return self.to_out[0](out.transpose(1, 2).reshape(n, x.shape[1], -1))


class GLUMBConv(nn.Module):
    """Mix-FFN on the token grid (N, C, H, W)."""

    def __init__(self, dim: int, ratio: float) -> None:
        super().__init__()
        hidden = int(ratio * dim)
        self.conv_inverted = nn.Conv2d(dim, 2 * hidden, 1)
        self.conv_depth = nn.Conv2d(2 * hidden, 2 * hidden, 3, padding=1, groups=2 * hidden)
        self.conv_point = nn.Conv2d(hidden, dim, 1, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.conv_depth(F.silu(self.conv_inverted(x)))
        x, gate = x.chunk(2, dim=1)
        return self.conv_point(x * F.silu(gate))


class SanaBlock(nn.Module):
    def __init__(self, cfg: SanaConfig) -> None:
        super().__init__()
        d = cfg.dim
        self.norm1 = nn.LayerNorm(d, elementwise_affine=False, eps=cfg.norm_eps)
        self.attn1 = Attention(d, cfg.num_attention_heads, cfg.attention_head_dim, d, cfg.attention_bias,
                               qk_norm=cfg.qk_norm)
        self.norm2 = nn.LayerNorm(d, elementwise_affine=cfg.norm_elementwise_affine, eps=cfg.norm_eps)
        self.attn2 = Attention(d, cfg.num_cross_attention_heads, cfg.cross_attention_head_dim, cfg.cross_attention_dim,
                               bias=True, qk_norm=cfg.qk_norm)
        self.ff = GLUMBConv(d, cfg.mlp_ratio)
        self.scale_shift_table = nn.Parameter(torch.randn(6, d) / d**0.5)

    def forward(self, x: torch.Tensor, mod: torch.Tensor, context: torch.Tensor, bias: torch.Tensor | None,
                grid: tuple[int, int]) -> torch.Tensor:
        shift1, scale1, gate1, shift2, scale2, gate2 = (self.scale_shift_table[None] + mod.view(x.shape[0], 6, -1)).chunk(6, 1)
        x = x + gate1 * self.attn1(self.norm1(x) * (1 + scale1) + shift1)
        x = x + self.attn2(x, context, bias)
        h = (self.norm2(x) * (1 + scale2) + shift2).unflatten(1, grid).permute(0, 3, 1, 2)
        return x + gate2 * self.ff(h).flatten(2).transpose(1, 2)


class PatchEmbed(nn.Module):
    """latent (N, C, H, W) -> tokens (N, T, D), row-major, with the sin-cos positions of the 2K/4K releases added,
    computed for the grid at hand (so that any size is served); a float32 region in 16-bit graphs."""

    def __init__(self, cfg: SanaConfig) -> None:
        super().__init__()
        self.proj = nn.Conv2d(cfg.in_channels, cfg.dim, cfg.patch_size, stride=cfg.patch_size)
        self.base_size, self.interpolation_scale = cfg.sample_size // cfg.patch_size, cfg.interpolation_scale

    def forward(self, latent: torch.Tensor) -> torch.Tensor:
        x = self.proj(latent)
        h, w = x.shape[-2:]
        x = x.flatten(2).transpose(1, 2)
        if self.interpolation_scale is None:
            return x
        pos = sincos_position_embedding(h, w, x.shape[-1], self.base_size, self.interpolation_scale, x.device)
        return (x.float() + pos[None]).to(x.dtype)


class SanaTransformer(nn.Module):
    """latent (N, C, H, W), timestep (N,) in [0, 1000] (SANA-Sprint: the SCM time in [0, 1]), caption
    (N, L, caption_channels) with mask (N, L) True on real tokens, and for a guidance-embedding model (SANA-Sprint)
    guidance (N,) as asked (e.g. 4.5; embedded x guidance_embeds_scale) -> (N, out_channels, H, W), the flow
    velocity (SANA-Sprint: the TrigFlow network output)."""

    def __init__(self, cfg: SanaConfig) -> None:
        super().__init__()
        self.config = cfg
        d = cfg.dim
        self.patch_embed = PatchEmbed(cfg)
        self.time_embed = TimestepGuidanceEmbedding(d) if cfg.guidance_embeds else AdaLayerNormSingle(d)
        self.caption_projection = Mlp(cfg.caption_channels, d, nn.GELU(approximate="tanh"))
        self.caption_norm = RMSNorm(d, eps=1e-5)
        self.transformer_blocks = nn.ModuleList([SanaBlock(cfg) for _ in range(cfg.num_layers)])
        self.scale_shift_table = nn.Parameter(torch.randn(2, d) / d**0.5)
        self.norm_out = nn.LayerNorm(d, elementwise_affine=False, eps=1e-6)
        self.proj_out = nn.Linear(d, cfg.patch_size**2 * (cfg.out_channels or cfg.in_channels))

    def forward(self, latent: torch.Tensor, timestep: torch.Tensor, caption: torch.Tensor,
                caption_mask: torch.Tensor | None = None, guidance: torch.Tensor | None = None) -> torch.Tensor:
        n, _, h, w = latent.shape
        cfg = self.config
        p = cfg.patch_size
        grid = (h // p, w // p)
        x = self.patch_embed(latent)  # (N, T, D)
        if guidance is not None:
            guidance = guidance * cfg.guidance_embeds_scale
        mod, emb = self.time_embed(timestep * cfg.time_input_scale, x.dtype, guidance)
        context = self.caption_norm(self.caption_projection(caption))
        bias = None
        if caption_mask is not None:  # padding tokens: -10000 before the softmax, as the releases were trained
            bias = ((1 - caption_mask.to(x.dtype)) * -10000.0)[:, None, None, :]
        for block in self.transformer_blocks:
            x = block(x, mod, context, bias, grid)
        shift, scale = (self.scale_shift_table[None] + emb[:, None]).chunk(2, dim=1)
        x = self.proj_out(self.norm_out(x) * (1 + scale) + shift)
        x = x.reshape(n, grid[0], grid[1], p, p, -1).permute(0, 5, 1, 3, 2, 4)
        return x.reshape(n, -1, grid[0] * p, grid[1] * p)
