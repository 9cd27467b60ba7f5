import json
import math

import pytest
import torch

from dcae.checkpoint import save_pretrained
from dcae.cli import main
from dcae.evaluate import evaluate_model, evaluate_reconstruction
from dcae.losses import LPIPS_WEIGHTS_ENV
from dcae.models.dc_ae import create_model
from synthetic import write_images

KEYS = {"images", "resolution", "latent_shape", "psnr", "ssim", "lpips", "bicubic_psnr", "bicubic_ssim",
        "bicubic_lpips", "baseline_shape", "lpips_available", "protocol"}


@pytest.fixture(scope="module")
def images(tmp_path_factory):
    return write_images(tmp_path_factory.mktemp("eval_images"), count=5, size=(112, 96), seed=1)


pytestmark = pytest.mark.usefixtures("one_thread")


@pytest.fixture(autouse=True)
def _no_lpips(monkeypatch):
    monkeypatch.delenv(LPIPS_WEIGHTS_ENV, raising=False)


def _one_level_off(x: torch.Tensor) -> torch.Tensor:
    """Every uint8 value moved by exactly one level (up below 128, down from 128): MSE = (1/255)^2."""
    u = ((x + 1) * 127.5).round()
    u = u + torch.where(u < 128, 1.0, -1.0)
    return u / 127.5 - 1


def test_identity_like_reconstruction(images):
    r = evaluate_reconstruction(images, 64, _one_level_off, latent_shape=(32, 2, 2), batch_size=2)
    assert KEYS <= set(r)
    assert r["images"] == 5 and r["lpips"] is None and not r["lpips_available"]
    assert r["psnr"] == pytest.approx(20 * math.log10(255), abs=1e-3)  # 48.13 dB
    assert r["ssim"] > 0.99
    # The baseline keeps 32*2*2 = 128 values: a 7x7 RGB thumbnail, far worse than one level of error.
    assert r["baseline_shape"] == [3, 7, 7]
    assert 10 < r["bicubic_psnr"] < r["psnr"] and 0 < r["bicubic_ssim"] < r["ssim"]


def test_evaluate_checkpoint_and_cli(images, tmp_path, capsys):
    model = create_model("dc-ae-f32c32-tiny")
    save_pretrained(model, tmp_path / "ae")
    r = evaluate_model(tmp_path / "ae", images, 64, limit=3, batch_size=2)
    assert KEYS <= set(r) and r["images"] == 3 and r["latent_shape"] == [32, 2, 2]
    assert math.isfinite(r["psnr"]) and math.isfinite(r["bicubic_psnr"])
    # The baseline does not depend on the model: same crops, same numbers as with any reconstruction.
    base = evaluate_reconstruction(images, 64, _one_level_off, (32, 2, 2), limit=3)
    assert r["bicubic_psnr"] == pytest.approx(base["bicubic_psnr"])
    assert main(["eval-ae", "--model", str(tmp_path / "ae"), "--images", str(images), "--resolution", "64",
                 "--limit", "2", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["images"] == 2 and printed["preset"] == "dc-ae-f32c32-tiny"
    assert main(["eval-ae", "--model", str(tmp_path / "ae"), "--images", str(images), "--resolution", "64"]) == 0
    assert "bicubic 3x7x7" in capsys.readouterr().out
    with pytest.raises(ValueError, match="multiple"):
        evaluate_model(model, images, 48)


def test_a_model_repository_evaluates_like_its_checkpoint(images, tiny_repository, capsys):
    """eval-ae on exported graphs (ONNX Runtime) gives the checkpoint's numbers; int8 needs int8 graphs."""
    checkpoint = evaluate_model(tiny_repository.parent / "ae", images, 64)
    assert main(["eval-ae", "--model", str(tiny_repository), "--images", str(images), "--resolution", "64",
                 "--json"]) == 0
    served = json.loads(capsys.readouterr().out)
    assert served["graphs"] == "fp32" and served["images"] == checkpoint["images"] == 5
    assert served["psnr"] == pytest.approx(checkpoint["psnr"], abs=0.01)
    assert served["bicubic_psnr"] == checkpoint["bicubic_psnr"]
    with pytest.raises(ValueError, match="dcae export --int8"):
        main(["eval-ae", "--model", str(tiny_repository), "--images", str(images), "--resolution", "64",
              "--precision", "int8", "--json"])
    with pytest.raises(SystemExit, match="model repository"):
        main(["eval-ae", "--model", str(tiny_repository.parent / "ae"), "--images", str(images),
              "--precision", "int8"])
