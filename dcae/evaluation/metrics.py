"""Offline full-reference image metrics in pure torch.

All metrics take float image batches ``(N, 3, H, W)`` with values in ``[0, data_range]``
(``[0, 1]`` by default) and return one value per image, shape ``(N,)``. They run on
whatever device the inputs live on and need no third-party metric package.

SSIM follows Wang et al. 2004 as implemented by scikit-image with
``gaussian_weights=True, sigma=1.5, use_sample_covariance=False`` (11x11 Gaussian
window, K1=0.01, K2=0.03, mean of the SSIM map over the "valid" region, averaged over
channels). Unlike piq's default, images are *not* implicitly downsampled first.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import Tensor

__all__ = [
    "psnr",
    "ssim",
    "ms_ssim",
    "bicubic_baseline",
    "baseline_size",
    "coarse_error_share",
    "edge_error_share",
    "seam_mask",
    "seam_error_share",
    "MS_SSIM_WEIGHTS",
]

# Per-scale exponents from Wang, Simoncelli & Bovik 2003 (finest scale first).
MS_SSIM_WEIGHTS: tuple[float, ...] = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)

_WIN_SIZE = 11
_SIGMA = 1.5
_K1 = 0.01
_K2 = 0.03


def _check_pair(x: Tensor, y: Tensor) -> None:
    if x.shape != y.shape:
        raise ValueError(f"shape mismatch: {tuple(x.shape)} vs {tuple(y.shape)}")
    if x.ndim != 4:
        raise ValueError(f"expected (N, C, H, W) batches, got shape {tuple(x.shape)}")


def _as_float(x: Tensor) -> Tensor:
    # Half precision loses too much in E[x^2] - E[x]^2; compute in at least fp32.
    if not x.is_floating_point() or x.dtype in (torch.float16, torch.bfloat16):
        return x.float()
    return x


def psnr(x: Tensor, y: Tensor, data_range: float = 1.0) -> Tensor:
    """Peak signal-to-noise ratio in dB per image; ``inf`` where the images are identical."""
    _check_pair(x, y)
    # Accumulate the MSE in float64 so very high PSNRs (tiny errors) stay accurate.
    mse = (x.double() - y.double()).pow(2).flatten(1).mean(dim=1)
    out = 10.0 * torch.log10(data_range**2 / mse)  # mse == 0 -> +inf, as intended
    return out.to(_as_float(x).dtype)


def _gaussian_kernel(size: int, sigma: float, dtype: torch.dtype, device: torch.device) -> Tensor:
    coords = torch.arange(size, dtype=torch.float64) - (size - 1) / 2
    g = torch.exp(-(coords**2) / (2 * sigma**2))
    return (g / g.sum()).to(dtype=dtype, device=device)


def _blur(x: Tensor, kernel: Tensor) -> Tensor:
    """Separable depthwise Gaussian filter over the 'valid' region only."""
    c = x.shape[1]
    k = kernel.numel()
    x = F.conv2d(x, kernel.view(1, 1, 1, k).expand(c, 1, 1, k), groups=c)
    return F.conv2d(x, kernel.view(1, 1, k, 1).expand(c, 1, k, 1), groups=c)


def _window_size(h: int, w: int) -> int:
    # Images smaller than the 11x11 window get the largest odd window that fits,
    # instead of failing like skimage does.
    size = min(_WIN_SIZE, h, w)
    return size if size % 2 == 1 else size - 1


def _ssim_and_cs(x: Tensor, y: Tensor, data_range: float) -> tuple[Tensor, Tensor]:
    """Per-image, per-channel mean SSIM and mean contrast-structure term, each (N, C)."""
    size = _window_size(x.shape[-2], x.shape[-1])
    kernel = _gaussian_kernel(size, _SIGMA, x.dtype, x.device)
    c1 = (_K1 * data_range) ** 2
    c2 = (_K2 * data_range) ** 2

    mu_x = _blur(x, kernel)
    mu_y = _blur(y, kernel)
    # Population (biased) moments, as in Wang et al. 2004.
    var_x = _blur(x * x, kernel) - mu_x**2
    var_y = _blur(y * y, kernel) - mu_y**2
    cov = _blur(x * y, kernel) - mu_x * mu_y

    cs_map = (2 * cov + c2) / (var_x + var_y + c2)
    luminance = (2 * mu_x * mu_y + c1) / (mu_x**2 + mu_y**2 + c1)
    ssim_map = luminance * cs_map
    return ssim_map.mean(dim=(-2, -1)), cs_map.mean(dim=(-2, -1))


def ssim(x: Tensor, y: Tensor, data_range: float = 1.0) -> Tensor:
    """Structural similarity per image (Gaussian 11x11, sigma 1.5), averaged over channels.

    Matches ``skimage.metrics.structural_similarity(..., gaussian_weights=True, sigma=1.5,
    use_sample_covariance=False, data_range=data_range, channel_axis=...)``.
    """
    _check_pair(x, y)
    x, y = _as_float(x), _as_float(y)
    s, _ = _ssim_and_cs(x, y, data_range)
    return s.mean(dim=1)


def ms_ssim(
    x: Tensor,
    y: Tensor,
    data_range: float = 1.0,
    weights: tuple[float, ...] = MS_SSIM_WEIGHTS,
    floor: float = 0.0,
) -> Tensor:
    """Multi-scale SSIM per image (Wang et al. 2003), 5 dyadic scales by default.

    Computed per channel then averaged (like pytorch_msssim). Per-scale terms are clamped
    to at least ``floor`` (0 by default) so fractional powers stay real; a loss wants a small
    positive floor, since t ** w with a fractional w has an infinite derivative at 0. Images too small for all scales
    (coarsest scale must still hold an 11x11 window, i.e. short side < 176 px for 5
    scales) use as many scales as fit, with their weights renormalised to sum to 1;
    below 22 px this reduces to plain SSIM.
    """
    _check_pair(x, y)
    x, y = _as_float(x), _as_float(y)
    short = min(x.shape[-2], x.shape[-1])
    fit = 1 + int(math.log2(short / _WIN_SIZE)) if short >= _WIN_SIZE else 1
    levels = min(len(weights), fit)
    w = torch.tensor(weights[:levels], dtype=x.dtype, device=x.device)
    w = w / w.sum()

    terms = []
    for level in range(levels):
        s, cs = _ssim_and_cs(x, y, data_range)
        if level < levels - 1:
            terms.append(cs.clamp(min=floor))
            x = F.avg_pool2d(x, kernel_size=2)
            y = F.avg_pool2d(y, kernel_size=2)
        else:
            terms.append(s.clamp(min=floor))
    stacked = torch.stack(terms, dim=0)  # (levels, N, C)
    per_channel = torch.prod(stacked ** w.view(-1, 1, 1), dim=0)
    return per_channel.mean(dim=1)


def coarse_error_share(x: Tensor, y: Tensor, sigma: float) -> Tensor:
    """Fraction of the squared error ``x - y`` that lies in structures coarser than ``sigma`` pixels.

    The error is low-passed with a Gaussian of standard deviation ``sigma`` (edges mirrored, or
    replicated where the image is smaller than the filter's radius) and
    the energy of that low-pass is divided by the energy of the whole error, per image. 0 means the
    error is all fine detail (what down-and-up-sampling loses), values near 1 mean colour or
    brightness drifting over large areas. Identical images give 0.
    """
    _check_pair(x, y)
    if sigma <= 0:
        raise ValueError(f"sigma must be positive, got {sigma}")
    err = x.double() - y.double()
    radius = math.ceil(3 * sigma)
    kernel = _gaussian_kernel(2 * radius + 1, sigma, err.dtype, err.device)
    mode = "reflect" if radius < min(err.shape[-2:]) else "replicate"
    low = _blur(F.pad(err, (radius,) * 4, mode=mode), kernel)
    total = err.pow(2).flatten(1).sum(dim=1)
    share = low.pow(2).flatten(1).sum(dim=1) / total.clamp(min=torch.finfo(err.dtype).tiny)
    return share.to(_as_float(x).dtype)


def edge_error_share(x: Tensor, y: Tensor, width: int) -> Tensor:
    """Fraction of the squared error ``x - y`` in the frame of ``width`` pixels along the image's edges,
    per image (identical images give 0). An error spread evenly gives the frame's share of the pixels;
    more than that means the reconstruction is worse at the edges, as a convolution's padding makes it.
    """
    _check_pair(x, y)
    h, w = x.shape[-2:]
    if not 0 < 2 * width < min(h, w):
        raise ValueError(f"an edge width of {width} px does not fit a {h}x{w} image")
    err = (x.double() - y.double()).pow(2).sum(dim=1)
    total = err.flatten(1).sum(dim=1)
    inner = err[:, width:h - width, width:w - width].flatten(1).sum(dim=1)
    share = (total - inner) / total.clamp(min=torch.finfo(err.dtype).tiny)
    return share.to(_as_float(x).dtype)


def seam_mask(height: int, width: int, cell: int, band: int, frame: int = 0) -> Tensor:
    """Boolean (H, W) mask of the pixels within ``band`` pixels of a boundary between latent cells of
    ``cell`` x ``cell`` pixels (the lines at the multiples of ``cell`` inside the image), without the
    frame of ``frame`` pixels along the image's edges (which `edge_error_share` covers)."""
    if cell <= 0 or not 0 < 2 * band <= cell:
        raise ValueError(f"a band of {band} px on each side of a boundary does not fit {cell}-px cells")
    if not 0 <= 2 * frame < min(height, width):
        raise ValueError(f"a frame of {frame} px does not fit a {height}x{width} image")

    def axis(n: int) -> tuple[Tensor, Tensor]:
        pos = torch.arange(n)
        offset = pos % cell
        # The boundary before pixel k * cell: `band` pixels on each side of it.
        boundary = torch.where(offset < band, pos - offset, pos - offset + cell)
        near = ((offset < band) | (offset >= cell - band)) & (boundary > 0) & (boundary < n)
        inside = (pos >= frame) & (pos < n - frame)
        return near, inside

    rows, rows_in = axis(height)
    cols, cols_in = axis(width)
    return (rows[:, None] | cols[None, :]) & rows_in[:, None] & cols_in[None, :]


def seam_error_share(x: Tensor, y: Tensor, cell: int, band: int, frame: int = 0) -> Tensor:
    """Fraction of the squared error ``x - y`` lying within ``band`` pixels of the boundaries between
    latent cells (`seam_mask`), out of the error inside the frame of ``frame`` pixels, per image
    (identical images give 0). An error spread evenly gives the mask's share of those pixels; more
    means the decoder leaves seams between the cells it decodes, a blocking grid of period ``cell``.
    """
    _check_pair(x, y)
    h, w = x.shape[-2:]
    mask = seam_mask(h, w, cell, band, frame).to(x.device)
    err = (x.double() - y.double()).pow(2).sum(dim=1)
    total = err[:, frame:h - frame, frame:w - frame].flatten(1).sum(dim=1)
    seams = (err * mask).flatten(1).sum(dim=1)
    share = seams / total.clamp(min=torch.finfo(err.dtype).tiny)
    return share.to(_as_float(x).dtype)


def baseline_size(image_hw: tuple[int, int], latent_shape: tuple[int, int, int]) -> tuple[int, int]:
    """Size (h, w) of a 3-channel image holding about as many values as a latent (C, h, w).

    Keeps the aspect ratio of ``image_hw``: 3 * h * w ~= C * h_lat * w_lat.
    """
    if len(latent_shape) != 3:
        raise ValueError(f"latent_shape must be (C, h, w), got {latent_shape}")
    height, width = image_hw
    c, lh, lw = latent_shape
    scale = math.sqrt(c * lh * lw / (3 * height * width))
    return max(1, round(height * scale)), max(1, round(width * scale))


def bicubic_baseline(x: Tensor, latent_shape: tuple[int, int, int]) -> Tensor:
    """Naive "compression" baseline with the same number of values as a latent.

    Bicubically downsamples ``x`` (N, 3, H, W in [0, 1]) with antialiasing to the
    size given by :func:`baseline_size`, upsamples it back bicubically to (H, W) and
    clamps to [0, 1]. An autoencoder should beat this at equal value count.
    """
    if x.ndim != 4:
        raise ValueError(f"expected (N, C, H, W) batch, got shape {tuple(x.shape)}")
    height, width = x.shape[-2:]
    small_hw = baseline_size((height, width), latent_shape)
    xf = _as_float(x)
    small = F.interpolate(xf, size=small_hw, mode="bicubic", align_corners=False, antialias=True)
    up = F.interpolate(small, size=(height, width), mode="bicubic", align_corners=False)
    return up.clamp(0.0, 1.0).to(xf.dtype)
