import argparse
import dataclasses
import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

import dcae.data.corpus as data  # the corpus builder (`dcae data fetch`)
import dcae.data.scan as corpus_scan
from dcae.data.corpus import compute_fingerprint, deduplicate, list_images, similarity
from dcae.data.scan import scan_package_tree
from dcae.data.datasets import CenterCropDataset, DeviceCrops, RandomCropDataset
from dcae.data.files import load_image
from dcae.data.tensors import to_tensor, to_uint8


def pattern(width: int, height: int, seed: int) -> np.ndarray:
    """A smooth random picture (upsampled noise + detail), uint8 HxWx3, distinct per seed."""
    rng = np.random.default_rng(seed)
    coarse = Image.fromarray(rng.integers(0, 256, (6, 8, 3), dtype=np.uint8))
    base = np.asarray(coarse.resize((width, height), Image.Resampling.BICUBIC), dtype=np.int16)
    detail = rng.integers(-10, 11, (height, width, 3), dtype=np.int16)
    return np.clip(base + detail, 0, 255).astype(np.uint8)


def save(path: Path, img: Image.Image, **kwargs) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, **kwargs)
    return path


@pytest.fixture(scope="module")
def image_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("imgs")
    save(root / "big.jpg", Image.fromarray(pattern(3000, 2000, 1)), quality=90)
    save(root / "portrait.png", Image.fromarray(pattern(300, 500, 2)))
    save(root / "palette.png", Image.fromarray(pattern(200, 150, 3)).convert("P"))
    rgba = np.dstack([pattern(160, 120, 4), np.full((120, 160), 255, np.uint8)])
    rgba[:10, :10, 3] = 0  # transparent corner
    save(root / "rgba.png", Image.fromarray(rgba, mode="RGBA"))
    save(root / "gray.jpg", Image.fromarray(pattern(180, 140, 5)[..., 0]))
    save(root / "sub" / "nested.webp", Image.fromarray(pattern(130, 100, 6)), lossless=True)
    save(root / ".hidden" / "ignored.png", Image.fromarray(pattern(100, 100, 7)))
    (root / "notes.txt").write_text("not an image")
    return root


# ----------------------------------------------------------------------------- helpers


def test_list_images_is_recursive_and_skips_hidden(image_dir):
    names = [p.relative_to(image_dir).as_posix() for p in list_images(image_dir)]
    assert names == sorted(
        ["big.jpg", "portrait.png", "palette.png", "rgba.png", "gray.jpg", "sub/nested.webp"]
    )


def test_load_image_converts_modes_to_rgb(image_dir, tmp_path):
    for path in list_images(image_dir):
        img = load_image(path)
        assert img.mode == "RGB"
        assert img.size == Image.open(path).size
    rgba = np.asarray(load_image(image_dir / "rgba.png"))
    assert (rgba[:10, :10] == 255).all()  # transparency composited over white

    # 16-bit grayscale is scaled, not clipped
    deep = np.array([[0, 257 * 100, 65535, 65535]], dtype=np.uint16).repeat(4, axis=0)
    save(tmp_path / "deep.png", Image.fromarray(deep))
    out = np.asarray(load_image(tmp_path / "deep.png"))
    assert out[0, :, 0].tolist() == [0, 100, 255, 255]

    cmyk = save(tmp_path / "cmyk.jpg", Image.fromarray(pattern(64, 48, 9)).convert("CMYK"))
    assert load_image(cmyk).mode == "RGB"


def test_load_image_applies_exif_orientation(tmp_path):
    img = Image.fromarray(pattern(60, 40, 10))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise for display
    save(tmp_path / "rot.jpg", img, exif=exif)
    assert load_image(tmp_path / "rot.jpg").size == (40, 60)


def test_to_tensor_to_uint8_roundtrip():
    arr = pattern(20, 10, 11)
    x = to_tensor(Image.fromarray(arr))
    assert x.shape == (3, 10, 20) and x.dtype == torch.float32
    assert x.min() >= -1 and x.max() <= 1
    np.testing.assert_array_equal(to_uint8(x), arr)
    batch = to_uint8(torch.stack([x, x]))
    assert batch.shape == (2, 10, 20, 3) and batch.dtype == np.uint8
    # clamps and rounds
    y = torch.tensor([-3.0, -1.0, 0.0, 0.004, 1.0, 2.0]).view(1, 1, 6).expand(3, 1, 6)
    assert to_uint8(y)[0, :, 0].tolist() == [0, 0, 128, 128, 255, 255]


# ----------------------------------------------------------------------------- datasets


def test_random_crop_shapes_and_range(image_dir):
    ds = RandomCropDataset(image_dir, 64, views_per_image=3, seed=0)
    assert len(ds) == 6 * 3
    for i in range(len(ds)):
        x = ds[i]
        assert x.shape == (3, 64, 64) and x.dtype == torch.float32
        assert x.min() >= -1 and x.max() <= 1
    with pytest.raises(IndexError):
        ds[len(ds)]


def test_random_crop_upsamples_images_smaller_than_resolution(image_dir):
    ds = RandomCropDataset(image_dir, 256, views_per_image=1, seed=0)
    assert all(ds[i].shape == (3, 256, 256) for i in range(len(ds)))


def test_random_crop_is_reproducible(image_dir):
    a = RandomCropDataset(image_dir, 48, views_per_image=2, seed=123)
    b = RandomCropDataset(image_dir, 48, views_per_image=2, seed=123)
    c = RandomCropDataset(image_dir, 48, views_per_image=2, seed=124)
    for i in range(len(a)):
        assert torch.equal(a[i], b[i])
    assert any(not torch.equal(a[i], c[i]) for i in range(len(a)))
    first = [a[i] for i in range(len(a))]
    a.set_epoch(1)
    assert any(not torch.equal(first[i], a[i]) for i in range(len(a)))


def test_random_crop_flips(tmp_path):
    arr = np.zeros((32, 32, 3), np.uint8)
    arr[:, 16:] = 255  # right half white: a flip moves it to the left
    save(tmp_path / "half.png", Image.fromarray(arr))
    ds = RandomCropDataset(tmp_path, 32, views_per_image=40, seed=0)
    left_white = [bool((ds[i][:, :, 0] > 0).all()) for i in range(len(ds))]
    assert any(left_white) and not all(left_white)
    no_flip = RandomCropDataset(tmp_path, 32, views_per_image=40, seed=0, flip=False)
    assert not any(bool((no_flip[i][:, :, 0] > 0).all()) for i in range(len(no_flip)))


def test_random_crop_native_scale_is_pixel_exact(tmp_path):
    arr = np.random.default_rng(0).integers(0, 256, (50, 70, 3), dtype=np.uint8)
    save(tmp_path / "noise.png", Image.fromarray(arr))
    ds = RandomCropDataset(tmp_path, 16, scales=(1.0,), views_per_image=5, flip=False, seed=3)
    windows = np.lib.stride_tricks.sliding_window_view(arr, (16, 16, 3))[:, :, 0]
    for i in range(len(ds)):
        crop = to_uint8(ds[i])
        assert (windows == crop).all(axis=(2, 3, 4)).any()


def test_random_crop_smallest_scale_covers_short_side(tmp_path):
    # Vertical gradient: a crop spanning the whole (short) height goes from dark to bright.
    ramp = np.linspace(0, 255, 100).astype(np.uint8)[:, None].repeat(300, axis=1)
    save(tmp_path / "ramp.png", Image.fromarray(np.dstack([ramp] * 3)))
    ds = RandomCropDataset(tmp_path, 25, scales=(0.01,), views_per_image=4, seed=0)
    for i in range(len(ds)):
        column = to_uint8(ds[i])[:, 12, 0].astype(int)
        assert column[0] < 15 and column[-1] > 240


def test_random_crop_max_short_side(image_dir):
    ds = RandomCropDataset(image_dir, 64, views_per_image=2, max_short_side=128, seed=0)
    assert all(ds[i].shape == (3, 64, 64) for i in range(len(ds)))


def test_device_crops_shapes_range_and_determinism(image_dir):
    crops = DeviceCrops(image_dir, 32, "cpu", max_short_side=256, seed=5)
    a = crops.batch(7, 6)
    assert a.shape == (6, 3, 32, 32) and a.min() >= -1 and a.max() <= 1
    assert torch.equal(a, crops.batch(7, 6))  # a pure function of (seed, step, rank): resumable
    assert not torch.equal(a, crops.batch(8, 6))
    assert not torch.equal(a, crops.batch(7, 6, rank=1))  # ranks see different crops
    assert max(min(img.shape[1:]) for img in crops.images) <= 256


def test_device_crops_native_scale_is_pixel_exact(tmp_path):
    arr = np.random.default_rng(0).integers(0, 256, (50, 70, 3), dtype=np.uint8)
    save(tmp_path / "noise.png", Image.fromarray(arr))
    crops = DeviceCrops(tmp_path, 16, "cpu", scales=(1.0,), flip=False, seed=3)
    windows = np.lib.stride_tricks.sliding_window_view(arr, (16, 16, 3))[:, :, 0]
    for crop in crops.batch(0, 5):
        assert (windows == to_uint8(crop)).all(axis=(2, 3, 4)).any()


def test_device_crops_smallest_scale_covers_short_side(tmp_path):
    ramp = np.linspace(0, 255, 100).astype(np.uint8)[:, None].repeat(300, axis=1)
    save(tmp_path / "ramp.png", Image.fromarray(np.dstack([ramp] * 3)))
    for crop in DeviceCrops(tmp_path, 25, "cpu", scales=(0.01,), seed=0).batch(0, 4):
        column = to_uint8(crop)[:, 12, 0].astype(int)
        assert column[0] < 15 and column[-1] > 240


def test_center_crop_matches_manual(image_dir):
    ds = CenterCropDataset(image_dir, 64)
    items = {name: x for x, name in (ds[i] for i in range(len(ds)))}
    assert set(items) == {"big.jpg", "portrait.png", "palette.png", "rgba.png", "gray.jpg", "sub/nested.webp"}

    big = load_image(image_dir / "big.jpg").resize((96, 64), Image.Resampling.BICUBIC)
    expected = big.crop((16, 0, 80, 64))
    assert torch.equal(items["big.jpg"], to_tensor(expected))

    portrait = load_image(image_dir / "portrait.png").resize((64, 106), Image.Resampling.BICUBIC)
    expected = portrait.crop((0, 21, 64, 85))
    assert torch.equal(items["portrait.png"], to_tensor(expected))


# ----------------------------------------------------------------------------- corpus


def make_package(root: Path) -> Path:
    """A fake unpacked wallpaper package with KDE and plain layouts."""
    kde = root / "usr/share/wallpapers"
    foo = Image.fromarray(pattern(320, 180, 20))
    save(kde / "Foo/contents/images/5120x2880.png", foo)
    save(kde / "Foo/contents/images/1920x1080.png", foo.resize((256, 144), Image.Resampling.BICUBIC))
    os.symlink("5120x2880.png", kde / "Foo/contents/images/1280x800.png")
    dark = Image.fromarray((np.asarray(foo) * 0.4).astype(np.uint8))
    save(kde / "Foo/contents/images_dark/5120x2880.png", dark)
    save(kde / "Foo/contents/screenshot.png", foo.resize((200, 112)))
    save(kde / "Bar/contents/images/1024x768.jpg", Image.fromarray(pattern(200, 150, 21)), quality=95)

    bg = root / "usr/share/backgrounds/x"
    thing = Image.fromarray(pattern(400, 300, 22))
    save(bg / "Thing.jpg", thing.resize((200, 150), Image.Resampling.BICUBIC), quality=90)
    save(bg / "Thing_400x300.jpg", thing, quality=90)
    shutil.copyfile(kde / "Bar/contents/images/1024x768.jpg", bg / "bar-copy.jpg")
    save(bg / "tiny.png", Image.fromarray(pattern(90, 60, 23)))
    (bg / "logo.svg").write_text("<svg/>")
    overlay = np.dstack([pattern(200, 150, 24), np.full((150, 200), 128, np.uint8)])
    save(bg / "overlay.png", Image.fromarray(overlay, mode="RGBA"))
    return root


def test_scan_package_tree(tmp_path):
    tree = make_package(tmp_path / "pkg")
    skipped = {}
    found = scan_package_tree(tree, "pkg", min_side=100, on_skip=lambda rel, why: skipped.update({rel: why}))
    by_rel = {c.rel_path: c for c in found}
    assert set(by_rel) == {
        "usr/share/wallpapers/Foo/contents/images/5120x2880.png",
        "usr/share/wallpapers/Foo/contents/images/1920x1080.png",
        "usr/share/wallpapers/Foo/contents/images/1280x800.png",
        "usr/share/wallpapers/Foo/contents/images_dark/5120x2880.png",
        "usr/share/wallpapers/Bar/contents/images/1024x768.jpg",
        "usr/share/backgrounds/x/Thing.jpg",
        "usr/share/backgrounds/x/Thing_400x300.jpg",
        "usr/share/backgrounds/x/bar-copy.jpg",
    }
    assert "screenshot" in skipped["usr/share/wallpapers/Foo/contents/screenshot.png"]
    assert "too small" in skipped["usr/share/backgrounds/x/tiny.png"]
    assert "translucent" in skipped["usr/share/backgrounds/x/overlay.png"]
    assert not any(rel.endswith(".svg") for rel in skipped)

    groups = {rel: c.group for rel, c in by_rel.items()}
    assert {groups[r] for r in groups if "/Foo/" in r} == {"Foo"}
    assert groups["usr/share/backgrounds/x/Thing.jpg"] == groups["usr/share/backgrounds/x/Thing_400x300.jpg"] == "x/Thing"
    link = by_rel["usr/share/wallpapers/Foo/contents/images/1280x800.png"]
    real = by_rel["usr/share/wallpapers/Foo/contents/images/5120x2880.png"]
    assert link.is_link and link.sha256 == real.sha256
    # sizes come from the pixels, not from the KDE file names
    assert (real.width, real.height) == (320, 180)


def test_deduplicate_package(tmp_path):
    tree = make_package(tmp_path / "pkg")
    found = scan_package_tree(tree, "pkg", min_side=100)
    drops = {}
    kept = deduplicate(found, on_drop=lambda c, why, k: drops.update({c.rel_path: (why, k.rel_path)}))
    assert sorted(c.rel_path for c in kept) == [
        "usr/share/backgrounds/x/Thing_400x300.jpg",  # largest resolution of the group
        "usr/share/backgrounds/x/bar-copy.jpg",  # byte-identical to Bar, first by name
        "usr/share/wallpapers/Foo/contents/images/5120x2880.png",  # real file, not the link
    ]
    foo = "usr/share/wallpapers/Foo/contents/"
    assert drops[foo + "images/1280x800.png"][0] == "identical file"
    assert "variant" in drops[foo + "images_dark/5120x2880.png"][0]
    assert "variant" in drops[foo + "images/1920x1080.png"][0]
    assert drops["usr/share/wallpapers/Bar/contents/images/1024x768.jpg"] == (
        "identical file",
        "usr/share/backgrounds/x/bar-copy.jpg",
    )


def test_deduplicate_across_splits_keeps_eval(tmp_path):
    train = [dataclasses.replace(c, split="train") for c in scan_package_tree(make_package(tmp_path / "a"), "a", min_side=100)]
    ev = tmp_path / "b"
    # eval package ships a re-encoded, resized copy of train's "Bar" plus a new picture
    bar = Image.open(tmp_path / "a/usr/share/wallpapers/Bar/contents/images/1024x768.jpg")
    save(ev / "pics/bar.png", bar.resize((180, 135), Image.Resampling.BICUBIC))
    save(ev / "pics/new.png", Image.fromarray(pattern(220, 160, 30)))
    evals = [dataclasses.replace(c, split="eval") for c in scan_package_tree(ev, "b", min_side=100)]
    drops = []
    kept = deduplicate(train + evals, on_drop=lambda c, why, k: drops.append((c.key, why, k.key)))
    kept_keys = {c.key for c in kept}
    assert {"b:pics/bar.png", "b:pics/new.png"} <= kept_keys
    assert "a:usr/share/wallpapers/Bar/contents/images/1024x768.jpg" not in kept_keys
    assert any(k == "b:pics/bar.png" and "eval" in why for _, why, k in drops)


def test_fingerprint_similarity(tmp_path):
    a = Image.fromarray(pattern(300, 200, 40))
    save(tmp_path / "a.png", a)
    save(tmp_path / "a_small.jpg", a.resize((150, 100)), quality=80)
    save(tmp_path / "a_dim.png", Image.fromarray((np.asarray(a) * 0.7).astype(np.uint8)))
    save(tmp_path / "b.png", Image.fromarray(pattern(300, 200, 41)))
    save(tmp_path / "flat1.png", Image.new("RGB", (64, 64), (10, 20, 30)))
    save(tmp_path / "flat2.png", Image.new("RGB", (64, 64), (200, 20, 30)))
    fp = {p.stem: compute_fingerprint(p) for p in tmp_path.iterdir()}
    assert similarity(fp["a"], fp["a_small"]) > 0.95
    assert similarity(fp["a"], fp["a_dim"]) > 0.95
    assert similarity(fp["a"], fp["b"]) < 0.5
    assert similarity(fp["flat1"], fp["flat1"]) == 1.0
    assert similarity(fp["flat1"], fp["flat2"]) == 0.0
    assert similarity(fp["flat1"], fp["a"]) == 0.0


def test_fetch_corpus_without_apt(tmp_path, monkeypatch):
    trees = {"trainpkg": make_package(tmp_path / "trees/trainpkg")}
    evtree = tmp_path / "trees/evalpkg"
    save(evtree / "usr/share/backgrounds/e/photo.webp", Image.fromarray(pattern(260, 180, 50)))
    save(evtree / "usr/share/backgrounds/e/other.jpg", Image.fromarray(pattern(260, 180, 51)), quality=95)
    trees["evalpkg"] = evtree

    def fake_download(package: str, deb_dir: Path) -> Path:
        if package not in trees:
            raise data.FetchError("Unable to locate package")
        return deb_dir / f"{package}_1.0_all.deb"

    monkeypatch.setattr(data, "download_deb", fake_download)
    monkeypatch.setattr(data, "extract_deb", lambda deb, root: trees[deb.name.split("_")[0]])

    out = tmp_path / "corpus"
    summary = data.fetch_corpus(out, ["trainpkg", "missing"], ["evalpkg"], min_side=100, progress=False)
    assert summary["images"] == {"train": 3, "eval": 2}
    assert summary["failed"] == ["missing"]
    manifest = json.loads((out / "manifest.json").read_text())
    files = sorted(e["file"] for e in manifest["images"])
    assert files == [
        "eval/evalpkg__e-other.jpg",
        "eval/evalpkg__e-photo.png",  # webp converted to RGB PNG
        "train/trainpkg__Foo.png",
        "train/trainpkg__x-Thing.jpg",
        "train/trainpkg__x-bar-copy.jpg",
    ]
    for e in manifest["images"]:
        path = out / e["file"]
        with Image.open(path) as img:
            assert img.mode == "RGB" and img.size == (e["width"], e["height"])
        assert corpus_scan.sha256_of(path) == e["sha256"]
    assert set(data.format_summary(summary).splitlines()[0].split()) >= {"corpus"}

    # idempotent: same manifest, outputs untouched
    mtimes = {f: (out / f).stat().st_mtime_ns for f in files}
    again = data.fetch_corpus(out, ["trainpkg"], ["evalpkg"], min_side=100, progress=False)
    assert again["images"] == summary["images"] and again["failed"] == []
    assert {f: (out / f).stat().st_mtime_ns for f in files} == mtimes

    # training datasets pointed at the corpus root ignore the hidden .cache
    assert len(list_images(out)) == 5


def test_register_cli(capsys):
    parser = argparse.ArgumentParser(prog="dcae")
    sub = parser.add_subparsers(dest="command")
    data.register_cli(sub)
    args = parser.parse_args(
        ["data", "fetch", "--out", "x", "--train-packages", "a", "b", "--eval-packages", "c", "--json"]
    )
    assert args.out == Path("x") and args.train_packages == ["a", "b"] and args.eval_packages == ["c"]
    assert args.json and args.func is data._cmd_fetch
    defaults = parser.parse_args(["data", "fetch"])
    assert defaults.train_packages == list(data.DEFAULT_TRAIN_PACKAGES)
    assert defaults.out == Path("data/wallpapers")
    with pytest.raises(SystemExit):
        parser.parse_args(["data", "fetch", "--help"])
    help_text = capsys.readouterr().out
    assert "apt-get download" in help_text and "--eval-packages" in help_text


def test_cli_fetch_json(tmp_path, monkeypatch, capsys):
    """`dcae data fetch --json` builds the corpus (apt replaced by package trees on disk) and prints the
    summary that the manifest and the written files agree with."""
    trees = {"trainpkg": make_package(tmp_path / "trees/trainpkg")}
    monkeypatch.setattr(data, "download_deb", lambda package, deb_dir: deb_dir / f"{package}_1.0_all.deb")
    monkeypatch.setattr(data, "extract_deb", lambda deb, root: trees[deb.name.split("_")[0]])
    parser = argparse.ArgumentParser()
    data.register_cli(parser.add_subparsers())
    out = tmp_path / "corpus"
    args = parser.parse_args(["data", "fetch", "--out", str(out), "--train-packages", "trainpkg", "--eval-packages",
                              "--min-side", "100", "--json", "-q"])
    assert args.func(args) == 0
    summary = json.loads(capsys.readouterr().out)
    written = sorted(p.name for p in (out / "train").iterdir())
    assert summary["images"] == {"train": 3, "eval": 0} and len(written) == 3 and summary["failed"] == []
    manifest = json.loads((out / "manifest.json").read_text())
    assert sorted(Path(e["file"]).name for e in manifest["images"]) == written
