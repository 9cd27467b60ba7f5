"""Losses for training the autoencoder: a perceptual term, a PatchGAN discriminator with the hinge
loss, and the adaptive GAN weight of taming-transformers (VQGAN).

Perceptual term (paper Sec. 3.3: phase 1 trains with L1 + perceptual loss):
- `LPIPSLoss` (name "lpips-vgg"): LPIPS (`dcae.evaluation.perceptual`, the VGG16 variant of Zhang et al.
  2018, on local weights: `--lpips-weights DIR` or `DCAE_LPIPS_WEIGHTS`).
- `MSSSIMFrequencyLoss` (name "ms-ssim+log-fft-l1") is the no-download substitute:
  (1 - MS-SSIM) + L1 between log-magnitude spectra. MS-SSIM rewards local structure and contrast;
  the spectral term penalises the loss of high-frequency energy (blur) that L1 alone tolerates.
  It is not LPIPS and numbers trained with it are not comparable with the paper's.
`build_perceptual_loss` picks one; its `name` is recorded in the trained checkpoint's metadata.
"""

from __future__ import annotations

from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F

from dcae.evaluation.metrics import ms_ssim
from dcae.evaluation.perceptual import LPIPS, LPIPS_LIN_FILE, LPIPS_WEIGHTS_ENV, find_lpips_weights

# ----------------------------------------------------------------------------------------------
# The no-download substitute


def ms_ssim_loss_term(x: torch.Tensor, y: torch.Tensor, data_range: float = 1.0) -> torch.Tensor:
    """Differentiable MS-SSIM per image, (N,), on [0, data_range] inputs: `dcae.evaluation.metrics.ms_ssim`
    with per-scale terms floored at 1e-4 instead of 0 (relu(t) ** w with a fractional w has an
    infinite derivative at 0, which turns an untrained model's first gradients into NaN)."""
    return ms_ssim(x, y, data_range, floor=1e-4)


def log_spectrum_l1(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean L1 distance between log(1 + |FFT|) of x and y (per channel, orthonormal 2-D FFT)."""
    fx = torch.fft.rfft2(x, norm="ortho")
    fy = torch.fft.rfft2(y, norm="ortho")
    # sqrt(re^2 + im^2 + eps) rather than abs(): a finite derivative at a zero coefficient.
    mx = (fx.real.square() + fx.imag.square() + 1e-12).sqrt()
    my = (fy.real.square() + fy.imag.square() + 1e-12).sqrt()
    return (torch.log1p(mx) - torch.log1p(my)).abs().mean()


class MSSSIMFrequencyLoss(nn.Module):
    """(1 - MS-SSIM) + `frequency_weight` * log-spectrum L1, for inputs in [-1, 1]. Scalar output.

    Computed in fp32 whatever the ambient autocast: SSIM's variance terms lose their meaning in bf16.
    """

    name = "ms-ssim+log-fft-l1"

    def __init__(self, frequency_weight: float = 1.0) -> None:
        super().__init__()
        self.frequency_weight = frequency_weight

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        with torch.autocast(x.device.type, enabled=False):
            x, y = x.float(), y.float()
            structural = 1.0 - ms_ssim_loss_term((x + 1) / 2, (y + 1) / 2).mean()
            return structural + self.frequency_weight * log_spectrum_l1(x, y)


class LPIPSLoss(nn.Module):
    """Mean LPIPS over the batch, a scalar."""

    name = LPIPS.name

    def __init__(self, lpips: LPIPS) -> None:
        super().__init__()
        self.lpips = lpips

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return self.lpips(x, y).mean()


PERCEPTUAL_CHOICES = ("auto", "lpips", "ms-ssim-fft", "none")


def build_perceptual_loss(kind: str = "auto", lpips_weights: str | Path | None = None) -> nn.Module | None:
    """"lpips" (weights required), "ms-ssim-fft", "none" (returns None), or "auto": LPIPS when
    weights are found (argument or $DCAE_LPIPS_WEIGHTS), else the substitute."""
    if kind not in PERCEPTUAL_CHOICES:
        raise ValueError(f"unknown perceptual loss {kind!r}; expected one of {PERCEPTUAL_CHOICES}")
    if kind == "none":
        return None
    if kind in ("auto", "lpips"):
        path = find_lpips_weights(lpips_weights)
        if path is not None:
            return LPIPSLoss(LPIPS().load_weights(path))
        if kind == "lpips" or lpips_weights:
            raise FileNotFoundError(
                f"LPIPS weights not found in {lpips_weights or '$' + LPIPS_WEIGHTS_ENV}; "
                f"put vgg16-397923af.pth and {LPIPS_LIN_FILE} in one directory and pass it with "
                f"--lpips-weights or ${LPIPS_WEIGHTS_ENV}, or use --perceptual ms-ssim-fft")
    return MSSSIMFrequencyLoss()


# ----------------------------------------------------------------------------------------------
# PatchGAN discriminator (pix2pix, as used by taming-transformers' NLayerDiscriminator)


def _disc_norm(kind: str, channels: int) -> nn.Module:
    if kind == "batch":
        return nn.BatchNorm2d(channels)
    if kind == "group":
        return nn.GroupNorm(min(32, channels // 4), channels)
    if kind == "none":
        return nn.Identity()
    raise ValueError(f"unknown discriminator norm {kind!r}; expected 'group', 'batch' or 'none'")


class NLayerDiscriminator(nn.Module):
    """PatchGAN: 4x4 convs, `n_layers` stride-2 steps, one logit per ~70x70 patch (n_layers 3).

    taming uses BatchNorm; our default is GroupNorm so that statistics depend neither on the
    per-process batch size nor on real and fake images sharing one forward pass (done here so that
    DDP sees a single forward per backward).
    """

    def __init__(self, in_channels: int = 3, channels: int = 64, n_layers: int = 3, norm: str = "group") -> None:
        super().__init__()
        layers: list[nn.Module] = [nn.Conv2d(in_channels, channels, 4, 2, 1), nn.LeakyReLU(0.2)]
        mult = 1
        for n in range(1, n_layers + 1):
            prev, mult = mult, min(2**n, 8)
            stride = 2 if n < n_layers else 1
            layers += [nn.Conv2d(channels * prev, channels * mult, 4, stride, 1, bias=norm == "none"),
                       _disc_norm(norm, channels * mult), nn.LeakyReLU(0.2)]
        layers.append(nn.Conv2d(channels * mult, 1, 4, 1, 1))
        self.main = nn.Sequential(*layers)
        self.apply(_disc_init)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.main(x)  # (N, 3, H, W) -> (N, 1, ~H/8, ~W/8) logits


def _disc_init(m: nn.Module) -> None:
    # pix2pix / taming weights_init: N(0, 0.02) convs, N(1, 0.02) norm scales.
    if isinstance(m, nn.Conv2d):
        nn.init.normal_(m.weight, 0.0, 0.02)
        if m.bias is not None:
            nn.init.zeros_(m.bias)
    elif isinstance(m, (nn.BatchNorm2d, nn.GroupNorm)):
        nn.init.normal_(m.weight, 1.0, 0.02)
        nn.init.zeros_(m.bias)


def hinge_d_loss(logits_real: torch.Tensor, logits_fake: torch.Tensor) -> torch.Tensor:
    """Discriminator hinge loss: 0.5 * (E[relu(1 - D(x))] + E[relu(1 + D(G(z)))])."""
    return 0.5 * (F.relu(1.0 - logits_real).mean() + F.relu(1.0 + logits_fake).mean())


def hinge_g_loss(logits_fake: torch.Tensor) -> torch.Tensor:
    """Generator side of the hinge GAN: -E[D(G(z))]."""
    return -logits_fake.mean()


def adaptive_gan_weight(rec_loss: torch.Tensor, g_loss: torch.Tensor, last_layer: torch.Tensor,
                        max_weight: float = 1e4) -> torch.Tensor:
    """taming-transformers' (VQGAN, Esser et al. 2021, eq. 7) balance between the reconstruction and
    GAN losses: ||grad rec|| / (||grad gan|| + 1e-4), both w.r.t. the decoder's last layer weight,
    clamped to [0, max_weight] and detached. Multiply by the GAN weight (`--disc-weight`) yourself."""
    rec_grad = torch.autograd.grad(rec_loss, last_layer, retain_graph=True)[0]
    g_grad = torch.autograd.grad(g_loss, last_layer, retain_graph=True)[0]
    weight = rec_grad.norm() / (g_grad.norm() + 1e-4)
    return weight.clamp(0.0, max_weight).detach()


def last_decoder_weight(model: nn.Module) -> nn.Parameter:
    """The weight of the decoder's final conv (the layer the adaptive GAN weight measures at)."""
    out = model.decoder.project_out
    conv = out if isinstance(out, nn.Conv2d) else out.conv  # Conv2d, or UpBlock when depth[0] == 0
    return conv.weight
