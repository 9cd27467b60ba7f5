import pytest
import torch

from dcae.training.losses import (LPIPS_WEIGHTS_ENV, MSSSIMFrequencyLoss, NLayerDiscriminator, adaptive_gan_weight,
                         build_perceptual_loss, hinge_d_loss, hinge_g_loss, last_decoder_weight)
from dcae.models.dc_ae import create_model


def _fake_lpips_files(directory):
    """Random weights in the published layouts: torchvision's vgg16 state dict (with its classifier)
    and the lpips package's vgg.pth (Dropout at model.0, the 1x1 conv at model.1)."""
    g = torch.Generator().manual_seed(0)
    vgg, c = {}, 3
    layout = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512]
    idx = 0
    for v in layout:
        if v == "M":
            idx += 1
            continue
        vgg[f"features.{idx}.weight"] = torch.randn(v, c, 3, 3, generator=g) * (2 / (9 * c)) ** 0.5
        vgg[f"features.{idx}.bias"] = torch.zeros(v)
        c, idx = v, idx + 2
    vgg["classifier.0.weight"] = torch.zeros(4, 4)
    lin = {f"lin{k}.model.1.weight": torch.rand(1, ch, 1, 1, generator=g)
           for k, ch in enumerate((64, 128, 256, 512, 512))}
    torch.save(vgg, directory / "vgg16-397923af.pth")
    torch.save(lin, directory / "vgg.pth")
    return vgg, lin


def test_lpips_loads_published_layout(tmp_path, monkeypatch):
    vgg, lin = _fake_lpips_files(tmp_path)
    monkeypatch.setenv(LPIPS_WEIGHTS_ENV, str(tmp_path))
    loss = build_perceptual_loss("auto")
    assert loss.name == "lpips-vgg"
    net = loss.lpips
    assert torch.equal(net.features[28].weight, vgg["features.28.weight"])
    assert torch.equal(net.lins[4].weight, lin["lin4.model.1.weight"])
    x = torch.rand(2, 3, 32, 32) * 2 - 1
    y = (x + 0.2 * torch.randn_like(x)).requires_grad_()
    assert torch.allclose(net(x, x), torch.zeros(2))
    d = loss(y, x)
    d.backward()
    assert d > 0 and torch.isfinite(y.grad).all() and y.grad.abs().sum() > 0
    assert not any(p.requires_grad for p in net.parameters())


def test_perceptual_fallback_and_errors(tmp_path, monkeypatch):
    monkeypatch.delenv(LPIPS_WEIGHTS_ENV, raising=False)
    assert build_perceptual_loss("auto").name == "ms-ssim+log-fft-l1"
    assert build_perceptual_loss("none") is None
    with pytest.raises(FileNotFoundError, match="LPIPS weights"):
        build_perceptual_loss("lpips")
    with pytest.raises(FileNotFoundError):
        build_perceptual_loss("auto", tmp_path)  # an explicit directory without the files is an error


def test_substitute_has_finite_gradients_from_a_bad_start():
    # Constant output vs textured target: MS-SSIM's contrast terms hit 0, where relu(t)**w has an
    # infinite derivative; the loss must still give finite gradients.
    loss = MSSSIMFrequencyLoss()
    target = torch.rand(2, 3, 64, 64) * 2 - 1
    out = torch.zeros_like(target, requires_grad=True)
    v = loss(out, target)
    v.backward()
    assert torch.isfinite(v) and torch.isfinite(out.grad).all()
    assert loss(target, target).abs() < 1e-6


def test_discriminator_hinge_and_adaptive_weight():
    disc = NLayerDiscriminator(channels=16, n_layers=3)
    assert disc(torch.randn(2, 3, 64, 64)).shape == (2, 1, 6, 6)  # one logit per patch
    assert hinge_d_loss(torch.full((4,), 2.0), torch.full((4,), -2.0)) == 0  # confident and right: no loss
    assert hinge_d_loss(torch.zeros(4), torch.zeros(4)) == 1
    model = create_model("dc-ae-f32c32-tiny")
    x = torch.rand(2, 3, 64, 64) * 2 - 1
    recon = model(x)
    rec = (recon - x).abs().mean()
    g = hinge_g_loss(disc(recon))
    last = last_decoder_weight(model)
    w = adaptive_gan_weight(rec, g, last)
    grad_rec = torch.autograd.grad(rec, last, retain_graph=True)[0].norm()
    grad_g = torch.autograd.grad(g, last, retain_graph=True)[0].norm()
    assert w == pytest.approx(float(grad_rec / (grad_g + 1e-4)), rel=1e-5)
    assert not w.requires_grad
