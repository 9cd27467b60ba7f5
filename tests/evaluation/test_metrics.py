import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dcae.evaluation.metrics import (baseline_size, bicubic_baseline, coarse_error_share, edge_error_share, ms_ssim, psnr,
                          seam_error_share, seam_mask,
                          ssim)


def smooth_images(n: int, h: int, w: int, seed: int = 0) -> torch.Tensor:
    """Natural-ish test images in [0, 1]: upsampled noise plus a little fine noise."""
    g = torch.Generator().manual_seed(seed)
    coarse = torch.rand(n, 3, max(2, h // 8), max(2, w // 8), generator=g)
    x = F.interpolate(coarse, size=(h, w), mode="bicubic", align_corners=False)
    x = x + 0.05 * torch.randn(n, 3, h, w, generator=g)
    return x.clamp(0, 1)


def add_noise(x: torch.Tensor, sigma: float, seed: int = 1) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    return (x + sigma * torch.randn(x.shape, generator=g)).clamp(0, 1)


def test_psnr_identical_is_inf():
    x = smooth_images(2, 32, 32)
    out = psnr(x, x)
    assert out.shape == (2,)
    assert torch.isinf(out).all() and (out > 0).all()


def test_psnr_known_mse():
    x = torch.rand(3, 3, 16, 24) * 0.5
    for offset in (0.1, 0.01, 0.003):
        out = psnr(x, x + offset)
        expected = 10 * math.log10(1.0 / offset**2)
        assert torch.allclose(out, torch.full((3,), expected), atol=1e-4)
    # data_range scales the peak: same images in [0, 255]
    assert torch.allclose(psnr(x * 255, (x + 0.1) * 255, data_range=255.0), torch.full((3,), 20.0), atol=1e-3)


def test_psnr_per_image():
    x = torch.zeros(2, 3, 8, 8)
    y = x.clone()
    y[1] += 0.1
    out = psnr(x, y)
    assert torch.isinf(out[0]) and abs(out[1].item() - 20.0) < 1e-4


def test_ssim_identity_and_monotonic_in_noise():
    x = smooth_images(2, 64, 48)
    assert torch.allclose(ssim(x, x), torch.ones(2), atol=1e-6)
    values = [ssim(x, add_noise(x, s)).mean().item() for s in (0.01, 0.05, 0.1, 0.3)]
    assert all(a > b for a, b in zip(values, values[1:]))
    assert 0 < values[-1] < 1


def test_ssim_symmetric_and_batched():
    x, y = smooth_images(3, 40, 40, seed=2), smooth_images(3, 40, 40, seed=3)
    assert torch.allclose(ssim(x, y), ssim(y, x), atol=1e-6)
    single = torch.stack([ssim(x[i : i + 1], y[i : i + 1])[0] for i in range(3)])
    assert torch.allclose(ssim(x, y), single, atol=1e-6)


def test_ssim_small_images_do_not_fail():
    x = smooth_images(1, 7, 9)
    y = add_noise(x, 0.1)
    out = ssim(x, y)
    assert out.shape == (1,) and torch.isfinite(out).all()
    assert torch.allclose(ssim(x, x), torch.ones(1), atol=1e-6)


def test_shape_mismatch_raises():
    with pytest.raises(ValueError):
        ssim(torch.rand(1, 3, 16, 16), torch.rand(1, 3, 16, 15))
    with pytest.raises(ValueError):
        psnr(torch.rand(3, 16, 16), torch.rand(3, 16, 16))


@pytest.mark.parametrize("shape", [(64, 64), (50, 83), (11, 30)])
@pytest.mark.parametrize("sigma", [0.02, 0.2])
def test_ssim_matches_skimage(shape, sigma):
    skm = pytest.importorskip("skimage.metrics")
    h, w = shape
    x = smooth_images(2, h, w, seed=h + w)
    y = add_noise(x, sigma, seed=7)
    ours = ssim(x.double(), y.double())
    for i in range(2):
        ref = skm.structural_similarity(
            x[i].permute(1, 2, 0).double().numpy(),
            y[i].permute(1, 2, 0).double().numpy(),
            gaussian_weights=True,
            sigma=1.5,
            use_sample_covariance=False,
            data_range=1.0,
            channel_axis=2,
        )
        assert abs(ours[i].item() - ref) < 1e-4
    # float32 path agrees too
    assert torch.allclose(ssim(x, y).double(), ours, atol=1e-4)


def test_ms_ssim_identity_and_monotonic():
    x = smooth_images(2, 192, 200)
    assert torch.allclose(ms_ssim(x, x), torch.ones(2), atol=1e-5)
    values = [ms_ssim(x, add_noise(x, s)).mean().item() for s in (0.01, 0.05, 0.2)]
    assert all(a > b for a, b in zip(values, values[1:]))
    assert all(0 < v <= 1 for v in values)


@pytest.mark.parametrize("size", [8, 16, 40, 100])
def test_ms_ssim_small_images(size):
    x = smooth_images(1, size, size)
    y = add_noise(x, 0.1)
    out = ms_ssim(x, y)
    assert torch.isfinite(out).all() and 0 <= out.item() <= 1
    assert torch.allclose(ms_ssim(x, x), torch.ones(1), atol=1e-5)


def test_ms_ssim_below_two_scales_is_ssim():
    x = smooth_images(1, 20, 20)
    y = add_noise(x, 0.1)
    assert torch.allclose(ms_ssim(x, y), ssim(x, y).clamp(min=0), atol=1e-6)


def test_baseline_size_matches_latent_value_count():
    assert baseline_size((512, 512), (32, 16, 16)) == (52, 52)  # 3*52^2 = 8112 ~ 8192
    h, w = baseline_size((512, 1024), (32, 16, 32))
    assert abs(w / h - 2) < 0.05
    assert abs(3 * h * w - 32 * 16 * 32) / (32 * 16 * 32) < 0.03


def test_bicubic_baseline():
    x = smooth_images(2, 64, 96)
    out = bicubic_baseline(x, (32, 2, 3))
    assert out.shape == x.shape and out.dtype == x.dtype
    assert out.min() >= 0 and out.max() <= 1
    # fewer latent values -> worse reconstruction
    coarse = psnr(x, bicubic_baseline(x, (4, 2, 3))).mean()
    fine = psnr(x, out).mean()
    assert fine > coarse
    # a constant image survives unchanged
    const = torch.full((1, 3, 32, 32), 0.25)
    assert torch.allclose(bicubic_baseline(const, (8, 2, 2)), const, atol=1e-5)
    # same value count as the latent: 3 * 32 * 32 = C * h * w keeps detail reasonably
    assert np.isfinite(fine.item())


def test_coarse_error_share_separates_drift_from_fine_detail():
    """A brightness offset is all coarse error, a one-pixel checkerboard none; the split does not
    depend on the error's size, and no error gives 0."""
    ref = torch.rand(2, 3, 64, 48, generator=torch.Generator().manual_seed(0)) * 0.8 + 0.1
    yy, xx = torch.meshgrid(torch.arange(64), torch.arange(48), indexing="ij")
    checker = ((yy + xx) % 2 * 2 - 1).to(ref.dtype)
    share = coarse_error_share(torch.cat([ref[:1] + 0.05, ref[1:] + 0.05 * checker]), ref, sigma=4.0)
    assert share[0] == pytest.approx(1.0, abs=1e-6)
    assert share[1] < 1e-3
    mixed = ref + 0.03 + 0.03 * checker
    assert coarse_error_share(mixed, ref, 4.0) == pytest.approx(torch.tensor([0.5, 0.5]), abs=0.01)
    assert coarse_error_share(ref + 0.3 + 0.3 * checker, ref, 4.0) == pytest.approx(
        coarse_error_share(mixed, ref, 4.0), abs=1e-6)
    assert torch.equal(coarse_error_share(ref, ref, 4.0), torch.zeros(2))
    # A filter wider than the image still works (edges replicated instead of mirrored).
    assert coarse_error_share(ref[..., :8, :8] + 0.1, ref[..., :8, :8], 8.0) == pytest.approx(
        torch.ones(2), abs=1e-6)
    with pytest.raises(ValueError, match="sigma"):
        coarse_error_share(ref, ref, 0.0)


def test_edge_error_share():
    ref = torch.full((1, 3, 32, 32), 0.5)
    inner = ref.clone()
    inner[..., 4:-4, 4:-4] += 0.1
    frame = ref + 0.1 - (inner - ref)
    assert edge_error_share(inner, ref, 4).item() == 0.0
    assert edge_error_share(frame, ref, 4).item() == pytest.approx(1.0)
    # An even error: the frame's share of the pixels, 1 - (24/32)^2.
    assert edge_error_share(ref + 0.1, ref, 4).item() == pytest.approx(1 - (24 / 32) ** 2)
    assert edge_error_share(ref, ref, 4).item() == 0.0
    with pytest.raises(ValueError, match="does not fit"):
        edge_error_share(ref, ref, 16)


def test_seam_mask_and_share():
    """The seams are the pixels within `band` of the lines between latent cells (inside the edge frame);
    an error on those lines counts whole, an even error counts as the mask's share of the pixels."""
    mask = seam_mask(96, 96, 32, 2, frame=8)
    assert mask[40].nonzero().flatten().tolist() == [30, 31, 32, 33, 62, 63, 64, 65]
    assert not mask[:8].any() and not mask[:, -8:].any()  # the frame belongs to edge_error_share
    assert seam_mask(8, 8, 4, 2)[0].int().tolist() == [0, 0, 1, 1, 1, 1, 0, 0]  # the image's edges are no seam
    ref = torch.full((2, 3, 96, 96), 0.5)
    grid = ref + 0.1 * mask
    assert seam_error_share(grid, ref, 32, 2, 8) == pytest.approx(torch.ones(2))
    even = seam_error_share(ref + 0.1, ref, 32, 2, 8)
    assert even == pytest.approx(torch.full((2,), mask[8:88, 8:88].float().mean().item()))
    assert torch.equal(seam_error_share(ref, ref, 32, 2, 8), torch.zeros(2))
    with pytest.raises(ValueError, match="does not fit"):
        seam_mask(96, 96, 32, 17)
