"""DC-AE: the Deep Compression Autoencoder (Chen et al., ICLR 2025, arXiv 2410.10733).

One file, read top to bottom: helpers -> residual-autoencoding shortcuts -> blocks -> encoder and
decoder -> the model -> presets. Module boundaries follow the official efficientvit implementation
(so that its checkpoints map onto ours tensor for tensor), but the names are our own; the key
mapping for both published formats lives in `dcae/checkpoint/`.

Conventions: images are (N, 3, H, W) in [-1, 1]; H and W are multiples of the compression factor
(`dcae.pipelines.autoencoder` pads other sizes); the decoder's output is not clamped.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

import torch
import torch.nn as nn
import torch.nn.functional as F

from dcae.contract.latents import LatentSpace


# ----------------------------------------------------------------------------------------------
# Helpers


def _one_hot_kernel(channels: int, factor: int, like: torch.Tensor) -> torch.Tensor:
    """(channels*f^2, 1, f, f) with a single 1 per filter, at (i, j) for filter c*f^2 + i*f + j: as a
    grouped stride-f convolution it is pixel_unshuffle, as a grouped transposed one pixel_shuffle.

    The exported graphs use these instead of reshape/6-D transpose/reshape: ONNX Runtime's generic
    Transpose moved 6-D tensors 5-7x slower than these convolutions (12-16 % of a 512 px encode or
    decode), and a product with one 1 and zeros is exact for finite inputs."""
    eye = torch.eye(factor * factor, dtype=like.dtype, device=like.device)
    return eye.repeat(channels, 1).reshape(channels * factor * factor, 1, factor, factor)


def pixel_unshuffle(x: torch.Tensor, factor: int) -> torch.Tensor:
    """Space-to-channel with PyTorch's channel order: out channel = c * f^2 + i * f + j.

    Written as reshape/permute rather than `F.pixel_unshuffle` so that ONNX export does not turn it
    into SpaceToDepth, whose channel order is (i * f + j) * C + c (a known porting trap).
    """
    if factor == 1:
        return x
    n, c, h, w = x.shape
    if torch.compiler.is_exporting():
        return F.conv2d(x, _one_hot_kernel(c, factor, x), stride=factor, groups=c)
    x = x.reshape(n, c, h // factor, factor, w // factor, factor)
    x = x.permute(0, 1, 3, 5, 2, 4)
    return x.reshape(n, c * factor * factor, h // factor, w // factor)


def pixel_shuffle(x: torch.Tensor, factor: int) -> torch.Tensor:
    """Channel-to-space, the exact inverse of `pixel_unshuffle` (PyTorch's order)."""
    if factor == 1:
        return x
    n, c, h, w = x.shape
    if torch.compiler.is_exporting():
        return F.conv_transpose2d(x, _one_hot_kernel(c // factor**2, factor, x), stride=factor, groups=c // factor**2)
    x = x.reshape(n, c // (factor * factor), factor, factor, h, w)
    x = x.permute(0, 1, 4, 2, 5, 3)
    return x.reshape(n, c // (factor * factor), h * factor, w * factor)


class RMSNorm2d(nn.Module):
    """RMS normalisation over channels at each pixel, with a weight and a bias (efficientvit "trms2d")."""

    def __init__(self, channels: int, eps: float = 1e-5) -> None:
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(channels))
        self.bias = nn.Parameter(torch.zeros(channels))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # The statistic in fp32: half-precision sums of squares overflow (reference Sec. 7).
        rms = torch.rsqrt(x.float().square().mean(dim=1, keepdim=True) + self.eps)
        x = (x.float() * rms).to(x.dtype)
        return x * self.weight.view(1, -1, 1, 1).to(x.dtype) + self.bias.view(1, -1, 1, 1).to(x.dtype)


def build_norm(kind: str, channels: int) -> nn.Module:
    if kind == "rms":
        return RMSNorm2d(channels)
    if kind == "bn":
        return nn.BatchNorm2d(channels)
    raise ValueError(f"unknown norm {kind!r}; expected 'rms' or 'bn'")


ACTIVATIONS = {"relu": nn.ReLU, "silu": nn.SiLU}


def build_act(kind: str) -> nn.Module:
    if kind not in ACTIVATIONS:
        raise ValueError(f"unknown activation {kind!r}; expected one of {sorted(ACTIVATIONS)}")
    return ACTIVATIONS[kind]()


def conv3x3(in_channels: int, out_channels: int, bias: bool = True, stride: int = 1) -> nn.Conv2d:
    return nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=bias)


# ----------------------------------------------------------------------------------------------
# Residual-autoencoding shortcuts (paper Sec. 3.2): parameter-free paths that let every
# down/up-sampling block learn a residual on top of a space<->channel rearrangement.


class SpaceToChannelAverage(nn.Module):
    """Down shortcut: pixel_unshuffle by `factor`, then average groups of consecutive channels."""

    def __init__(self, in_channels: int, out_channels: int, factor: int) -> None:
        super().__init__()
        self.factor = factor
        self.group_size = in_channels * factor**2 // out_channels
        if self.group_size * out_channels != in_channels * factor**2:
            raise ValueError(f"{in_channels}*{factor}^2 channels do not average into {out_channels}")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = pixel_unshuffle(x, self.factor)  # (N, C*f^2, H/f, W/f)
        n, c, h, w = x.shape
        return x.reshape(n, c // self.group_size, self.group_size, h, w).mean(dim=2)


class ChannelToSpaceDuplicate(nn.Module):
    """Up shortcut: repeat each channel (repeat_interleave, not repeat), then pixel_shuffle by `factor`."""

    def __init__(self, in_channels: int, out_channels: int, factor: int) -> None:
        super().__init__()
        self.factor = factor
        self.repeats = out_channels * factor**2 // in_channels
        if self.repeats * in_channels != out_channels * factor**2:
            raise ValueError(f"{in_channels} channels do not duplicate into {out_channels}*{factor}^2")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return pixel_shuffle(x.repeat_interleave(self.repeats, dim=1), self.factor)


# ----------------------------------------------------------------------------------------------
# Blocks


class ResBlock(nn.Module):
    """x + norm(conv(act(conv(x))))."""

    def __init__(self, channels: int, norm: str, act: str) -> None:
        super().__init__()
        self.conv1 = conv3x3(channels, channels, bias=True)
        self.act = build_act(act)
        self.conv2 = conv3x3(channels, channels, bias=False)
        self.norm = build_norm(norm, channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.norm(self.conv2(self.act(self.conv1(x))))


class LiteMLA(nn.Module):
    """ReLU linear attention with optional multi-scale token aggregation (EfficientViT).

    Heads have `head_dim` channels each for q, k and v; each head owns 3 * head_dim *contiguous*
    channels of the fused qkv projection, laid out [q | k | v]. Multi-scale branches (depthwise
    k x k then grouped 1x1 on qkv) add heads after the base heads.
    """

    def __init__(self, channels: int, norm: str, scales: tuple[int, ...] = (), head_dim: int = 32,
                 eps: float = 1e-15) -> None:
        super().__init__()
        self.head_dim, self.eps = head_dim, eps
        heads = channels // head_dim
        inner = heads * head_dim
        self.qkv = nn.Conv2d(channels, 3 * inner, 1, bias=False)
        self.multiscale = nn.ModuleList(
            nn.ModuleDict({
                "depthwise": nn.Conv2d(3 * inner, 3 * inner, k, padding=k // 2, groups=3 * inner, bias=False),
                "pointwise": nn.Conv2d(3 * inner, 3 * inner, 1, groups=3 * heads, bias=False),
            })
            for k in scales
        )
        self.proj = nn.Conv2d(inner * (1 + len(scales)), channels, 1, bias=False)
        self.norm = build_norm(norm, channels)

    def attend(self, qkv: torch.Tensor, linear: bool | None = None) -> torch.Tensor:
        """(N, heads*3*d, H, W) -> (N, heads*d, H, W), in fp32 (half-precision sums overflow).
        `linear` forces a form; None picks as described below."""
        n, _, h, w = qkv.shape
        qkv = qkv.float().reshape(n, -1, 3 * self.head_dim, h * w)  # (N, heads, 3d, HW)
        q, k, v = qkv.split(self.head_dim, dim=2)
        q, k = F.relu(q), F.relu(k)
        # Both forms compute out_j = sum_i v_i (k_i . q_j) / max(sum_i k_i . q_j, eps), only the
        # association order differs. Like the reference, pick the cheaper one per input size; an
        # exported graph always takes the linear form, which is exact for every size.
        # The reference adds eps to the normaliser instead. In float32 that is the same number for
        # every normaliser above ~1e-8 and 0 -> eps alike, but ONNX optimisers drop an Add of a
        # constant that small as a no-op: the exported graph then divided 0 by 0 (NaN images) wherever
        # a token's normaliser is 0, as on flat image regions. A floor survives export.
        if linear is None:
            linear = torch.compiler.is_exporting() or h * w > self.head_dim
        if linear:
            v = F.pad(v, (0, 0, 0, 1), value=1.0)  # a row of ones yields the normaliser
            out = (v @ k.transpose(-1, -2)) @ q  # (N, heads, d+1, HW)
            out = out[:, :, :-1] / out[:, :, -1:].clamp_min(self.eps)
        else:
            att = k.transpose(-1, -2) @ q  # (N, heads, HW, HW)
            att = att / att.sum(dim=2, keepdim=True).clamp_min(self.eps)
            out = v @ att
        return out.reshape(n, -1, h, w)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        qkv = self.qkv(x)
        branches = [qkv] + [m["pointwise"](m["depthwise"](qkv)) for m in self.multiscale]
        out = self.attend(torch.cat(branches, dim=1)).to(x.dtype)
        return self.norm(self.proj(out))


class GLUMBConv(nn.Module):
    """Gated inverted bottleneck: 1x1 expand (+SiLU), 3x3 depthwise, value * SiLU(gate), 1x1 project."""

    def __init__(self, channels: int, norm: str, expand: int = 4) -> None:
        super().__init__()
        hidden = channels * expand
        self.inverted_conv = nn.Conv2d(channels, 2 * hidden, 1, bias=True)
        self.depth_conv = nn.Conv2d(2 * hidden, 2 * hidden, 3, padding=1, groups=2 * hidden, bias=True)
        self.point_conv = nn.Conv2d(hidden, channels, 1, bias=False)
        self.norm = build_norm(norm, channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.depth_conv(F.silu(self.inverted_conv(x)))
        value, gate = x.chunk(2, dim=1)
        return self.norm(self.point_conv(value * F.silu(gate)))


class EfficientViTBlock(nn.Module):
    """x + LiteMLA(x), then x + GLUMBConv(x)."""

    def __init__(self, channels: int, norm: str, scales: tuple[int, ...], head_dim: int) -> None:
        super().__init__()
        self.attn = LiteMLA(channels, norm, scales, head_dim)
        self.mlp = GLUMBConv(channels, norm)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(x)
        return x + self.mlp(x)


class DownBlock(nn.Module):
    """Halve H and W: 3x3 conv + pixel_unshuffle ("in" presets) or a stride-2 conv ("sana"),
    plus the averaging shortcut when `shortcut` is set."""

    def __init__(self, in_channels: int, out_channels: int, kind: str, shortcut: bool) -> None:
        super().__init__()
        self.kind = kind
        if kind == "pixel_unshuffle":
            self.conv = conv3x3(in_channels, out_channels // 4)
        elif kind == "conv":
            self.conv = conv3x3(in_channels, out_channels, stride=2)
        else:
            raise ValueError(f"unknown downsample {kind!r}")
        self.shortcut = SpaceToChannelAverage(in_channels, out_channels, 2) if shortcut else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.conv(x)
        if self.kind == "pixel_unshuffle":
            y = pixel_unshuffle(y, 2)
        return y if self.shortcut is None else y + self.shortcut(x)


class UpBlock(nn.Module):
    """Double H and W: 3x3 conv + pixel_shuffle ("in") or nearest x2 + 3x3 conv ("sana"),
    plus the duplicating shortcut when `shortcut` is set."""

    def __init__(self, in_channels: int, out_channels: int, kind: str, shortcut: bool) -> None:
        super().__init__()
        self.kind = kind
        if kind == "pixel_shuffle":
            self.conv = conv3x3(in_channels, out_channels * 4)
        elif kind == "interpolate":
            self.conv = conv3x3(in_channels, out_channels)
        else:
            raise ValueError(f"unknown upsample {kind!r}")
        self.shortcut = ChannelToSpaceDuplicate(in_channels, out_channels, 2) if shortcut else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.kind == "pixel_shuffle":
            y = pixel_shuffle(self.conv(x), 2)
        else:
            y = self.conv(F.interpolate(x, scale_factor=2.0, mode="nearest"))
        return y if self.shortcut is None else y + self.shortcut(x)


def build_block(kind: str, channels: int, norm: str, act: str, head_dim: int) -> nn.Module:
    if kind == "res":
        return ResBlock(channels, norm, act)
    if kind == "evit":
        return EfficientViTBlock(channels, norm, (), head_dim)
    if kind == "evit_ms":  # multi-scale aggregation, sana presets
        return EfficientViTBlock(channels, norm, (5,), head_dim)
    raise ValueError(f"unknown block type {kind!r}; expected 'res', 'evit' or 'evit_ms'")


# ----------------------------------------------------------------------------------------------
# Configuration


@dataclass(frozen=True)
class DCAEConfig:
    """Everything that determines the architecture, plus the latent scaling factor."""

    name: str
    width_list: tuple[int, ...]
    encoder_depths: tuple[int, ...]
    encoder_blocks: tuple[str, ...]  # per stage: "res" | "evit" | "evit_ms"
    decoder_depths: tuple[int, ...]
    decoder_blocks: tuple[str, ...]
    decoder_norms: tuple[str, ...]  # per stage: "bn" | "rms"
    decoder_acts: tuple[str, ...]  # per stage: "relu" | "silu"
    latent_channels: int
    scaling_factor: float = 1.0  # z_diffusion = encode(x) * scaling_factor (~ 1 / RMS of latents)
    downsample: str = "pixel_unshuffle"  # | "conv"
    upsample: str = "pixel_shuffle"  # | "interpolate"
    residual_shortcuts: bool = True  # False: the paper's ablation without residual autoencoding
    in_channels: int = 3
    head_dim: int = 32
    # diffusers' AutoencoderDC options (DC-AE-Lite's decoder: decoder_out_act "silu"): the shortcut from the last
    # encoder stage to the latent and from the latent to the first decoder stage, the activation before the
    # decoder's output convolution.
    encoder_out_shortcut: bool = True
    decoder_in_shortcut: bool = True
    decoder_out_act: str = "relu"  # | "silu"

    def __post_init__(self) -> None:
        n = len(self.width_list)
        for f in ("encoder_depths", "encoder_blocks", "decoder_depths", "decoder_blocks", "decoder_norms",
                  "decoder_acts"):
            if len(getattr(self, f)) != n:
                raise ValueError(f"{self.name}: {f} has {len(getattr(self, f))} entries, width_list has {n}")
        for f, value in [("decoder_out_act", self.decoder_out_act)] + [("decoder_acts", a) for a in self.decoder_acts]:
            if value not in ACTIVATIONS:
                raise ValueError(f"{self.name}: {f} {value!r} is not one of {sorted(ACTIVATIONS)}")

    @property
    def compression(self) -> int:
        """Spatial down-sampling factor per side (f32, f64, f128)."""
        return 2 ** (len(self.width_list) - 1)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> DCAEConfig:
        known = {f.name for f in fields(cls)}
        unknown = set(d) - known
        if unknown:
            raise ValueError(f"unknown DC-AE config fields: {sorted(unknown)}")
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in d.items()})

    def replace(self, **changes) -> DCAEConfig:
        return DCAEConfig.from_dict({**self.to_dict(), **changes})


# ----------------------------------------------------------------------------------------------
# Encoder, decoder, model


class Stage(nn.Module):
    """Blocks at one resolution; the encoder's stages end with a DownBlock, the decoder's start
    with an UpBlock (`resample`, None for the outermost and innermost stage)."""

    def __init__(self, blocks: list[nn.Module], resample: nn.Module | None, resample_first: bool) -> None:
        super().__init__()
        self.blocks = nn.ModuleList(blocks)
        self.resample = resample
        self.resample_first = resample_first

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.resample is not None and self.resample_first:
            x = self.resample(x)
        for block in self.blocks:
            x = block(x)
        if self.resample is not None and not self.resample_first:
            x = self.resample(x)
        return x


class Encoder(nn.Module):
    def __init__(self, cfg: DCAEConfig) -> None:
        super().__init__()
        widths, depths = cfg.width_list, cfg.encoder_depths
        if depths[0] > 0:
            self.project_in = conv3x3(cfg.in_channels, widths[0])
        else:  # no full-resolution stage: the first down-sampling happens here, without shortcut
            self.project_in = DownBlock(cfg.in_channels, widths[1], cfg.downsample, shortcut=False)
        self.stages = nn.ModuleList()
        for s, (width, depth) in enumerate(zip(widths, depths)):
            blocks = [build_block(cfg.encoder_blocks[s], width, "rms", "silu", cfg.head_dim) for _ in range(depth)]
            down = None
            if s < len(widths) - 1 and depth > 0:
                down = DownBlock(width, widths[s + 1], cfg.downsample, cfg.residual_shortcuts)
            self.stages.append(Stage(blocks, down, resample_first=False))
        self.project_out = conv3x3(widths[-1], cfg.latent_channels)
        self.out_shortcut = (SpaceToChannelAverage(widths[-1], cfg.latent_channels, 1)
                             if cfg.residual_shortcuts and cfg.encoder_out_shortcut else None)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.project_in(x)
        for stage in self.stages:
            x = stage(x)
        z = self.project_out(x)  # no norm or activation before the latent
        return z if self.out_shortcut is None else z + self.out_shortcut(x)


class Decoder(nn.Module):
    def __init__(self, cfg: DCAEConfig) -> None:
        super().__init__()
        widths, depths = cfg.width_list, cfg.decoder_depths
        self.project_in = conv3x3(cfg.latent_channels, widths[-1])
        self.in_shortcut = (ChannelToSpaceDuplicate(cfg.latent_channels, widths[-1], 1)
                            if cfg.residual_shortcuts and cfg.decoder_in_shortcut else None)
        # Stored shallow-to-deep like the encoder (stages[0] is the full-resolution head); run deep-to-shallow.
        self.stages = nn.ModuleList()
        for s, (width, depth) in enumerate(zip(widths, depths)):
            up = None
            if s < len(widths) - 1 and depth > 0:
                up = UpBlock(widths[s + 1], width, cfg.upsample, cfg.residual_shortcuts)
            blocks = [build_block(cfg.decoder_blocks[s], width, cfg.decoder_norms[s], cfg.decoder_acts[s],
                                  cfg.head_dim) for _ in range(depth)]
            self.stages.append(Stage(blocks, up, resample_first=True))
        head_width = widths[0] if depths[0] > 0 else widths[1]
        self.norm_out = RMSNorm2d(head_width)
        if depths[0] > 0:
            self.project_out = conv3x3(head_width, cfg.in_channels)
        else:  # mirror of the encoder's project_in: the last up-sampling, without shortcut
            self.project_out = UpBlock(head_width, cfg.in_channels, cfg.upsample, shortcut=False)
        self.out_act = F.silu if cfg.decoder_out_act == "silu" else F.relu

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        x = self.project_in(z)
        if self.in_shortcut is not None:
            x = x + self.in_shortcut(z)
        for stage in reversed(self.stages):
            x = stage(x)
        return self.project_out(self.out_act(self.norm_out(x)))


class DCAE(nn.Module):
    """The autoencoder. `encode` and `decode` are pure tensor functions on raw (unscaled) latents;
    the scaling convention lives in `LatentSpace` (`model.latent_space`)."""

    def __init__(self, cfg: DCAEConfig) -> None:
        super().__init__()
        self.config = cfg
        self.encoder = Encoder(cfg)
        self.decoder = Decoder(cfg)

    @property
    def compression(self) -> int:
        return self.config.compression

    @property
    def latent_space(self) -> LatentSpace:
        return LatentSpace(self.config.scaling_factor)

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        return self.encoder(x)  # (N, 3, H, W) -> (N, C, H/f, W/f)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return self.decoder(z)  # (N, C, h, w) -> (N, 3, h*f, w*f)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decode(self.encode(x))


def count_parameters(model: nn.Module) -> int:
    """Parameters plus BatchNorm running mean/var: the tensor elements a published file holds
    (the integer `num_batches_tracked` counters excluded)."""
    n = sum(p.numel() for p in model.parameters())
    return n + sum(b.numel() for name, b in model.named_buffers() if not name.endswith("num_batches_tracked"))


# ----------------------------------------------------------------------------------------------
# Presets: the published names (mit-han-lab/dc-ae-*), then small ones of our own.

R, E, S = "res", "evit", "evit_ms"
_IN_ENC_DEPTHS = {6: (0, 4, 8, 2, 2, 2), 7: (0, 4, 8, 2, 2, 2, 2), 8: (0, 4, 8, 2, 2, 2, 2, 2)}
_IN_DEC_DEPTHS = {6: (0, 5, 10, 2, 2, 2), 7: (0, 5, 10, 2, 2, 2, 2), 8: (0, 5, 10, 2, 2, 2, 2, 2)}
_IN_WIDTHS = {6: (128, 256, 512, 512, 1024, 1024), 7: (128, 256, 512, 512, 1024, 1024, 2048),
              8: (128, 256, 512, 512, 1024, 1024, 2048, 2048)}


def _in_preset(name: str, stages: int, latent: int, scaling: float) -> DCAEConfig:
    """The ImageNet ("in") and mixed-data ("mix") family: R R R then EfficientViT stages,
    decoder BN+ReLU at the three shallowest stages and RMS+SiLU deeper."""
    deep = stages - 3
    return DCAEConfig(
        name=name, width_list=_IN_WIDTHS[stages], latent_channels=latent, scaling_factor=scaling,
        encoder_depths=_IN_ENC_DEPTHS[stages], encoder_blocks=(R,) * 3 + (E,) * deep,
        decoder_depths=_IN_DEC_DEPTHS[stages], decoder_blocks=(R,) * 3 + (E,) * deep,
        decoder_norms=("bn",) * 3 + ("rms",) * deep, decoder_acts=("relu",) * 3 + ("silu",) * deep,
    )


def _sana_preset(name: str, scaling: float) -> DCAEConfig:
    return DCAEConfig(
        name=name, width_list=(128, 256, 512, 512, 1024, 1024), latent_channels=32, scaling_factor=scaling,
        encoder_depths=(2, 2, 2, 3, 3, 3), encoder_blocks=(R, R, R, S, S, S),
        decoder_depths=(3, 3, 3, 3, 3, 3), decoder_blocks=(R, R, R, S, S, S),
        decoder_norms=("rms",) * 6, decoder_acts=("silu",) * 6, downsample="conv", upsample="interpolate",
    )


def _small_preset(name: str, widths: tuple[int, ...], enc: tuple[int, ...], dec: tuple[int, ...],
                  latent: int) -> DCAEConfig:
    """Our own narrow, shallow variants of the "in" family, for CPU training and tests."""
    n = len(widths)
    return DCAEConfig(
        name=name, width_list=widths, latent_channels=latent,
        encoder_depths=enc, encoder_blocks=(R,) * 3 + (E,) * (n - 3),
        decoder_depths=dec, decoder_blocks=(R,) * 3 + (E,) * (n - 3),
        decoder_norms=("bn",) * 3 + ("rms",) * (n - 3), decoder_acts=("relu",) * 3 + ("silu",) * (n - 3),
    )


PRESETS: dict[str, DCAEConfig] = {c.name: c for c in [
    _in_preset("dc-ae-f32c32-in-1.0",    6,  32, 0.3189),   # 323,369,260 params + BN stats
    _in_preset("dc-ae-f32c32-mix-1.0",   6,  32, 0.4552),
    _in_preset("dc-ae-f64c128-in-1.0",   7, 128, 0.2889),   # 676,908,940
    _in_preset("dc-ae-f64c128-mix-1.0",  7, 128, 0.4538),
    _in_preset("dc-ae-f128c512-in-1.0",  8, 512, 0.4883),
    _in_preset("dc-ae-f128c512-mix-1.0", 8, 512, 0.3620),
    _sana_preset("dc-ae-f32c32-sana-1.0", 0.41407),
    _sana_preset("dc-ae-f32c32-sana-1.1", 0.41407),
    # Ours. "small" is what we train and ship; "tiny" exists for tests.
    _small_preset("dc-ae-f32c32-small", (32, 64, 128, 128, 256, 256), (0, 1, 2, 2, 2, 2), (0, 2, 3, 2, 2, 2), 32),
    _small_preset("dc-ae-f64c128-small", (32, 64, 128, 128, 256, 256, 512), (0, 1, 2, 2, 2, 2, 1),
                  (0, 2, 3, 2, 2, 2, 1), 128),
    _small_preset("dc-ae-f32c32-tiny", (8, 16, 32, 32, 64, 64), (0, 1, 1, 1, 1, 1), (0, 1, 1, 1, 1, 1), 32),
    _small_preset("dc-ae-f64c128-tiny", (8, 16, 32, 32, 64, 64, 128), (0, 1, 1, 1, 1, 1, 1),
                  (0, 1, 1, 1, 1, 1, 1), 128),
]}


def get_config(name: str) -> DCAEConfig:
    if name not in PRESETS:
        raise KeyError(f"unknown DC-AE preset {name!r}; known presets: {', '.join(PRESETS)}")
    return PRESETS[name]


def create_model(name_or_config: str | DCAEConfig) -> DCAE:
    cfg = get_config(name_or_config) if isinstance(name_or_config, str) else name_or_config
    return DCAE(cfg)
