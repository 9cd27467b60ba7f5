import json
import math
from pathlib import Path

import numpy as np
import pytest
import torch

from dcae.checkpoint import save_pretrained
from dcae.cli import main
from dcae.evaluation.reconstruction import evaluate_model, evaluate_reconstruction
from dcae.training.losses import LPIPS_WEIGHTS_ENV
from dcae.models.dc_ae import create_model
from support.synthetic import write_images

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
    assert main(["eval-ae", "--model", str(tiny_repository), "--images", str(images), "--resolution", "64",
                 "--precision", "int8", "--json"]) == 2
    assert "dcae export --int8" in capsys.readouterr().err
    assert main(["eval-ae", "--model", str(tiny_repository.parent / "ae"), "--images", str(images),
                 "--precision", "int8"]) == 2
    assert 'model repository' in capsys.readouterr().err


def test_per_image_rows_and_comparison_pictures(images, tmp_path, capsys):
    """Each image gets a row whose means are the summary; the comparison strips hold input,
    reconstruction, bicubic and the two error maps side by side; a one-level error everywhere lies in
    the edge frame in proportion to its pixels, the baseline's error is fine detail."""
    r = evaluate_reconstruction(images, 64, _one_level_off, (32, 2, 2), batch_size=2, per_image=True,
                                comparisons=tmp_path / "cmp")
    rows = r["per_image"]
    assert [row["name"] for row in rows] == sorted(p.name for p in images.iterdir())
    for key in ("psnr", "ssim", "coarse_error_share", "edge_error_share", "bicubic_psnr", "bicubic_edge_error_share"):
        assert r[key] == pytest.approx(sum(row[key] for row in rows) / len(rows))
    assert r["edge_width"] == 8 and r["edge_error_share"] == pytest.approx(1 - (48 / 64) ** 2, abs=0.02)
    # ... and in the seams between the 32-px cells in proportion to theirs: 1 - (44/48)^2 of the inner pixels.
    assert r["seam_band"] == 2 and r["seam_pixel_share"] == pytest.approx(1 - (44 / 48) ** 2)
    assert r["seam_error_share"] == pytest.approx(r["seam_pixel_share"], abs=0.02)
    # Down-and-up-sampling loses fine detail: little of its error is coarse.
    assert 0 <= r["bicubic_coarse_error_share"] < 0.2
    strips = sorted((tmp_path / "cmp").iterdir())
    assert [s.stem for s in strips] == [Path(row["name"]).stem for row in rows]
    from PIL import Image

    strip = np.asarray(Image.open(strips[0]))
    assert strip.shape == (64 + 8, 5 * 64 + 6 * 4, 3)
    panels = [strip[4:68, 4 + i * 68:68 + i * 68].astype(int) for i in range(5)]
    assert np.abs(panels[0] - panels[1]).max() <= 1  # the one-level reconstruction
    assert panels[3].max() <= 4 and panels[4].max() > 4  # its error map is dark, the baseline's is not
    assert "comparisons" not in r and "per_image" not in evaluate_reconstruction(images, 64, _one_level_off,
                                                                                 (32, 2, 2), limit=1)
    save_pretrained(create_model("dc-ae-f32c32-tiny"), tmp_path / "ae")
    assert main(["eval-ae", "--model", str(tmp_path / "ae"), "--images", str(images), "--resolution", "64",
                 "--per-image"]) == 0
    out = capsys.readouterr().out
    assert "gap dB" in out and "seams" in out and all(row["name"] in out for row in rows)


def test_the_per_image_plot(images, tmp_path):
    """scripts/plot_eval_per_image.py draws `eval-ae --per-image --json` outputs and refuses summaries."""
    import runpy

    plot_main = runpy.run_path(str(Path(__file__).parents[2] / "scripts" / "plot_eval_per_image.py"))["main"]
    files = []
    for resolution in (32, 64):
        r = evaluate_reconstruction(images, resolution, _one_level_off, (32, resolution // 32, resolution // 32),
                                    per_image=resolution == 64)
        files.append(tmp_path / f"eval-{resolution}.json")
        files[-1].write_text(json.dumps(r))
    with pytest.raises(SystemExit):
        plot_main([str(f) for f in files] + ["-o", str(tmp_path / "plot.png")])
    assert plot_main([str(files[1]), "-o", str(tmp_path / "plot.png")]) == 0
    from PIL import Image

    assert Image.open(tmp_path / "plot.png").size == (1210, 506)
    # An image reproduced exactly (infinite PSNR, left out of eval-ae's means) is left off the axes too.
    r["per_image"][0]["bicubic_psnr"] = math.inf
    files[1].write_text(json.dumps(r))
    r["per_image"][1]["psnr"] = math.nan
    files[1].write_text(json.dumps(r))
    assert plot_main([str(files[1]), "-o", str(tmp_path / "inf.png"), "--title", "Training images"]) == 0
    assert Image.open(tmp_path / "inf.png").size == (1210, 506)
    for row in r["per_image"]:
        row["psnr"] = math.inf
    files[1].write_text(json.dumps(r))
    assert plot_main([str(files[1]), "-o", str(tmp_path / "none.png")]) == 0


def test_the_ablation_plot(tmp_path):
    """scripts/plot_ablation.py draws one panel per preset from ablation_residual.sh's run folders and
    refuses folders with no evaluated run."""
    import runpy

    plot_main = runpy.run_path(str(Path(__file__).parents[2] / "scripts" / "plot_ablation.py"))["main"]
    with pytest.raises(SystemExit):
        plot_main([str(tmp_path), "-o", str(tmp_path / "plot.png")])
    for preset in ("f32c32-tiny", "f64c128-tiny"):
        for shortcuts, psnr in (("on", 20.0), ("off", 18.0)):
            run = tmp_path / f"{preset}-shortcuts-{shortcuts}"
            run.mkdir()
            run.joinpath("log.jsonl").write_text("".join(json.dumps({"step": s, "l1": 1 / s}) + "\n" for s in range(10, 60, 10)))
            (tmp_path / f"eval-{run.name}.json").write_text(json.dumps({"psnr": psnr}))
    (tmp_path / "f32c32-tiny-shortcuts-half").mkdir()  # not evaluated: skipped
    assert plot_main([str(tmp_path), "-o", str(tmp_path / "plot.png")]) == 0
    from PIL import Image

    assert Image.open(tmp_path / "plot.png").size == (1210, 462)  # two panels


def test_crop_scale_and_images_reproduced_exactly(tmp_path, capsys):
    """--crop-scale S crops the images resized by S (1: native pixels) instead of the protocol's whole
    short side; an image reproduced exactly (infinite PSNR) is left out of the PSNR means, and named."""
    from PIL import Image

    folder = tmp_path / "imgs"
    folder.mkdir()
    rng = np.random.default_rng(0)
    Image.fromarray(rng.integers(0, 256, (128, 192, 3), dtype=np.uint8)).save(folder / "a_noise.png")
    flat = np.zeros((128, 128, 3), dtype=np.uint8)
    flat[32:96, 32:96] = 200  # a flat centre: its native-pixel 64-px crop is one colour
    Image.fromarray(flat).save(folder / "b_square.png")
    seen = []

    def keep(x):
        seen.append(x.clone())
        return _one_level_off(x)

    whole = evaluate_reconstruction(folder, 64, keep, (32, 2, 2))
    native = evaluate_reconstruction(folder, 64, keep, (32, 2, 2), crop_scale=1.0)
    assert whole["crop_scale"] is None and native["crop_scale"] == 1.0 and "resized by 1" in native["protocol"]
    assert not torch.equal(seen[0][1], seen[1][1])  # the square's edges, then only its inside
    assert seen[1][1].unique().numel() == 1 and whole["reproduced_exactly"] == []
    # The baseline keeps the flat crop exactly: the means are the noise image's.
    assert native["reproduced_exactly"] == ["b_square.png"]
    alone = evaluate_reconstruction(folder / "a_noise.png", 64, _one_level_off, (32, 2, 2), crop_scale=1.0)
    for key in ("psnr", "bicubic_psnr", "ssim", "bicubic_edge_error_share", "seam_error_share"):
        assert native[key] == pytest.approx(alone[key]), key
    # A broken model's NaN is not an exact reproduction: it shows in the mean.
    nan = evaluate_reconstruction(folder, 64, lambda x: x * float("nan"), (32, 2, 2), crop_scale=1.0)
    assert nan["reproduced_exactly"] == ["b_square.png"] and math.isnan(nan["psnr"])
    # Every image exact for the model or the baseline: the means are over all of them, all named.
    identity = evaluate_reconstruction(folder, 64, lambda x: x, (32, 2, 2), crop_scale=1.0)
    assert identity["reproduced_exactly"] == ["a_noise.png", "b_square.png"] and identity["psnr"] == math.inf
    with pytest.raises(ValueError, match="crop scale"):
        evaluate_reconstruction(folder, 64, keep, (32, 2, 2), crop_scale=2.0)
    save_pretrained(create_model("dc-ae-f32c32-tiny"), tmp_path / "ae")
    assert main(["eval-ae", "--model", str(tmp_path / "ae"), "--images", str(folder), "--resolution", "64",
                 "--crop-scale", "1"]) == 0
    out = capsys.readouterr().out
    assert "center crops at scale 1" in out
