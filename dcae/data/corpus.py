"""The training and held-out corpora (`dcae data fetch`): real high-resolution wallpapers taken from
Debian packages (downloaded with ``apt-get download`` and unpacked with ``dpkg -x``; nothing is
installed). Training and held-out evaluation images come from *different packages*, so the split is by
source image, never by crop. Resolutions and light/dark variants of one wallpaper are collapsed to a
single image, exact and near-duplicates are removed, and no evaluation image has a near-duplicate in
train. Pillow and numpy only (no torch); `dcae.data.datasets` holds the torch datasets over any folder of images.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image
from tqdm import tqdm

from dcae.data.scan import Candidate, is_dark_variant, scan_package_tree, sha256_of
from dcae.data.files import decode_file, exif_orientation, load_image


DEFAULT_TRAIN_PACKAGES: tuple[str, ...] = (
    "plasma-workspace-wallpapers",
    "ukui-wallpapers",
    "gnome-backgrounds",
)
DEFAULT_EVAL_PACKAGES: tuple[str, ...] = ("mate-backgrounds",)

# Formats the datasets read. The package scanner (scan) only takes the first four: packages
# ship nothing else worth having, and SVG/XML "backgrounds" are not rasters.
IMAGE_EXTENSIONS: tuple[str, ...] = (".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff")

MANIFEST_VERSION = 1


def list_images(root: Path | str) -> list[Path]:
    """All image files under ``root`` (recursive, sorted), skipping hidden files/folders."""
    root = Path(root)
    if root.is_file():
        return [root]
    found = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        # Hidden folders hold caches (e.g. the raw package trees under .cache/).
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            if not name.startswith(".") and name.lower().endswith(IMAGE_EXTENSIONS):
                found.append(Path(dirpath) / name)
    return sorted(found)


# --------------------------------------------------------------------------------------
# Corpus: de-duplication
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fingerprint:
    """Tiny perceptual summary of an image for near-duplicate detection."""

    luma: np.ndarray  # 32x32 luminance thumbnail, zero-mean, unit-norm (zeros if flat)
    edges: np.ndarray  # its horizontal+vertical differences, unit-norm (zeros if flat)
    mean_rgb: np.ndarray  # average colour in [0, 1]
    flat: bool  # (almost) a single colour: the structure vectors are meaningless


_THUMB = 32


def _unit(v: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(v))
    return v / norm if norm > 1e-9 else np.zeros_like(v)


def compute_fingerprint(path: Path | str) -> Fingerprint:
    """Fingerprint an image from a 32x32 thumbnail of its luminance.

    The thumbnail ignores aspect ratio and absolute brightness/contrast (it is
    normalised), so other resolutions, re-encodings and recolourings of one picture
    match, while the difference (edge) component keeps smooth but different gradients
    apart.
    """
    with Image.open(path) as probe:
        short = min(probe.size)
    img = decode_file(path, scale=min(1.0, 4 * _THUMB / short))
    small = img.resize((_THUMB + 1, _THUMB + 1), Image.Resampling.BILINEAR)
    rgb = np.asarray(small, dtype=np.float64) / 255.0
    luma = rgb @ np.array([0.299, 0.587, 0.114])
    centered = luma - luma.mean()
    flat = float(centered.std()) < 2.0 / 255.0
    edges = np.concatenate([np.diff(luma, axis=0).ravel(), np.diff(luma, axis=1).ravel()])
    return Fingerprint(
        luma=np.zeros(centered.size) if flat else _unit(centered.ravel()),
        edges=np.zeros(edges.size) if flat else _unit(edges - edges.mean()),
        mean_rgb=rgb.reshape(-1, 3).mean(axis=0),
        flat=flat,
    )


def similarity(a: Fingerprint, b: Fingerprint) -> float:
    """Perceptual similarity in [-1, 1]; about 1 for two versions of one picture.

    The smaller of the luminance and edge correlations, so both the overall layout and
    the fine structure must agree. Flat images only match flat images of similar colour.
    """
    if a.flat or b.flat:
        same = a.flat and b.flat and float(np.abs(a.mean_rgb - b.mean_rgb).max()) < 8 / 255
        return 1.0 if same else 0.0
    return min(float(a.luma @ b.luma), float(a.edges @ b.edges))


def deduplicate(
    candidates: Iterable[Candidate],
    *,
    near_duplicate_threshold: float = 0.9,
    leak_threshold: float = 0.8,
    fingerprint_fn: Callable[[Path], Fingerprint] = compute_fingerprint,
    on_drop: Callable[[Candidate, str, Candidate], None] | None = None,
) -> list[Candidate]:
    """Keep one image per picture.

    Candidates are visited best-first: evaluation images first (the held-out set is
    defined by its packages, so on a conflict the training copy goes), default before
    dark variants, then by pixel count (largest resolution wins), real files before
    symlinks, then by name for stability. A candidate is dropped if it matches an already kept image by

    1. identical content (sha256),
    2. the same artwork group within the same package (another resolution or a
       light/dark variant of one wallpaper),
    3. perceptual similarity (:func:`similarity`) >= ``near_duplicate_threshold`` within
       a split (also across packages), or >= the looser ``leak_threshold`` between
       train and eval, since a leaked near-copy would flatter the eval metrics.

    ``on_drop(dropped, reason, kept)`` reports each removal. Returns the kept candidates
    in visiting order.
    """
    ordered = sorted(
        candidates,
        key=lambda c: (
            c.split != "eval",
            is_dark_variant(c.rel_path),
            -c.pixels,
            c.is_link,
            c.package,
            c.rel_path,
        ),
    )
    report = on_drop or (lambda dropped, reason, kept: None)
    kept: list[Candidate] = []
    by_hash: dict[str, Candidate] = {}
    by_group: dict[tuple[str, str], Candidate] = {}
    prints: list[Fingerprint] = []
    for cand in ordered:
        if cand.sha256 in by_hash:
            report(cand, "identical file", by_hash[cand.sha256])
            continue
        group_key = (cand.package, cand.group)
        if group_key in by_group:
            report(cand, "other resolution/variant of the same wallpaper", by_group[group_key])
            continue
        fp = fingerprint_fn(cand.path)
        match: tuple[Candidate, float] | None = None
        for other, other_fp in zip(kept, prints):
            threshold = near_duplicate_threshold if other.split == cand.split else leak_threshold
            sim = similarity(fp, other_fp)
            if sim >= threshold:
                match = (other, sim)
                break
        if match is not None:
            other, sim = match
            where = "eval image" if other.split != cand.split else "image"
            report(cand, f"near-duplicate of an {where} (similarity {sim:.3f})", other)
            continue
        kept.append(cand)
        prints.append(fp)
        by_hash[cand.sha256] = cand
        by_group[group_key] = cand
    return kept


# --------------------------------------------------------------------------------------
# Corpus: fetching and exporting
# --------------------------------------------------------------------------------------


class FetchError(RuntimeError):
    """A package could not be downloaded or unpacked."""


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def download_deb(package: str, deb_dir: Path) -> Path:
    """``apt-get download`` a package into ``deb_dir``, reusing an earlier download."""
    deb_dir.mkdir(parents=True, exist_ok=True)
    cached = sorted(deb_dir.glob(f"{package}_*.deb"), key=lambda p: p.stat().st_mtime)
    if cached:
        return cached[-1]
    if shutil.which("apt-get") is None:
        raise FetchError("apt-get not found (a Debian/Ubuntu system is needed to fetch packages)")
    # Download into a scratch folder so an interrupted download never looks cached.
    with tempfile.TemporaryDirectory(dir=deb_dir, prefix=".partial-") as tmp:
        # As root, apt drops to the _apt user, which can't write here; stay root instead.
        cmd = ["apt-get", "download", "-o", "APT::Sandbox::User=root", package]
        proc = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True)
        if proc.returncode != 0:
            detail = (proc.stderr or proc.stdout).strip().splitlines()
            hint = " (run `apt-get update` first?)" if "Unable to locate" in proc.stderr else ""
            raise FetchError(f"apt-get download failed: {detail[-1] if detail else proc.returncode}{hint}")
        debs = list(Path(tmp).glob("*.deb"))
        if len(debs) != 1:
            raise FetchError(f"apt-get download produced {len(debs)} .deb files")
        target = deb_dir / debs[0].name
        os.replace(debs[0], target)
    return target


def extract_deb(deb: Path, extract_root: Path) -> Path:
    """Unpack a .deb with ``dpkg -x`` (no install) into a cached folder; return it."""
    target = extract_root / deb.stem
    marker = target / ".extracted"
    if marker.exists():
        return target
    if shutil.which("dpkg") is None:
        raise FetchError("dpkg not found")
    extract_root.mkdir(parents=True, exist_ok=True)
    if target.exists():
        shutil.rmtree(target)  # leftover of an interrupted extraction
    tmp = Path(tempfile.mkdtemp(dir=extract_root, prefix=".partial-"))
    try:
        proc = subprocess.run(["dpkg", "-x", str(deb), str(tmp)], capture_output=True, text=True)
        if proc.returncode != 0:
            raise FetchError(f"dpkg -x {deb.name} failed: {proc.stderr.strip()}")
        (tmp / ".extracted").write_text(deb.name + "\n")
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return target


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text.replace("/", "-")).strip("-.") or "image"


def _output_plan(cand: Candidate) -> tuple[str, bool]:
    """(file extension, copy verbatim?) for exporting a candidate.

    RGB JPEGs and PNGs are copied byte for byte (no re-encoding loss). Everything else
    (WebP, alpha, palette, grayscale, 16-bit, EXIF-rotated) is converted once to an RGB
    PNG at full resolution, so every corpus file opens as plain 8-bit RGB in any reader.
    """
    with Image.open(cand.path) as img:
        fmt, mode, orientation = img.format, img.mode, exif_orientation(img)
    if fmt in ("JPEG", "PNG") and mode == "RGB" and orientation == 1:
        return (".jpg" if fmt == "JPEG" else ".png"), True
    return ".png", False


def _write_atomic(dest: Path, write: Callable[[Path], None]) -> None:
    fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=".tmp-", suffix=dest.suffix)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


def _export(
    kept: Sequence[Candidate], out_dir: Path, previous: dict[str, dict[str, Any]], progress: bool
) -> list[dict[str, Any]]:
    """Copy/convert the kept images into out_dir/{train,eval}/; returns manifest entries."""
    plans = []
    used: set[str] = set()
    for cand in sorted(kept, key=lambda c: (c.split, c.package, c.group, c.rel_path)):
        ext, verbatim = _output_plan(cand)
        base = f"{cand.package}__{_slug(cand.group)}"
        name, n = base + ext, 2
        while f"{cand.split}/{name}" in used:  # distinct groups that slugify alike
            name, n = f"{base}-{n}{ext}", n + 1
        used.add(f"{cand.split}/{name}")
        plans.append((cand, f"{cand.split}/{name}", verbatim))

    entries = []
    for cand, rel_file, verbatim in tqdm(plans, desc="export", unit="img", disable=not progress):
        dest = out_dir / rel_file
        dest.parent.mkdir(parents=True, exist_ok=True)
        old = previous.get(rel_file)
        up_to_date = (
            old is not None
            and old.get("source_sha256") == cand.sha256
            and dest.is_file()
            and sha256_of(dest) == old.get("sha256")
        )
        if not up_to_date:
            if verbatim:
                _write_atomic(dest, lambda tmp: shutil.copyfile(cand.path, tmp))
            else:
                image = load_image(cand.path)
                _write_atomic(dest, lambda tmp: image.save(tmp, format="PNG", compress_level=6))
        with Image.open(dest) as img:
            width, height = img.size
        entries.append(
            {
                "file": rel_file,
                "split": cand.split,
                "package": cand.package,
                "source": cand.rel_path,
                "width": width,
                "height": height,
                "sha256": old["sha256"] if up_to_date else sha256_of(dest),
                "source_sha256": cand.sha256,
                "bytes": dest.stat().st_size,
                "converted": not verbatim,
            }
        )
    return entries


def _load_manifest(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text())
    except (OSError, json.JSONDecodeError):
        return {}


def fetch_corpus(
    out_dir: Path | str,
    train_packages: Sequence[str] = DEFAULT_TRAIN_PACKAGES,
    eval_packages: Sequence[str] = DEFAULT_EVAL_PACKAGES,
    *,
    min_side: int = 512,
    near_duplicate_threshold: float = 0.9,
    leak_threshold: float = 0.8,
    progress: bool = True,
) -> dict[str, Any]:
    """Build a train/eval corpus of wallpapers from Debian packages in ``out_dir``.

    Downloads (``apt-get download``) and unpacks (``dpkg -x``) each package under
    ``out_dir/.cache``, scans it (:func:`scan_package_tree`), de-duplicates everything
    together (:func:`deduplicate`) and writes ``out_dir/train/``, ``out_dir/eval/`` and
    ``out_dir/manifest.json`` (one entry per image: file, split, package, source path in
    the package, width, height, sha256, ...; plus the packages' status and every skipped or
    dropped file with the reason). Re-running reuses the cache and unchanged outputs, and
    removes outputs of a previous run that are no longer selected.

    A package that fails to download/unpack is reported (``summary["failed"]``) and the
    rest of the corpus is still built. Progress goes to stderr. Returns the summary dict
    (see :func:`format_summary`).
    """
    out_dir = Path(out_dir)
    overlap = set(train_packages) & set(eval_packages)
    if overlap:
        raise ValueError(f"packages in both splits: {sorted(overlap)}")
    log = _log if progress else (lambda message: None)
    packages, candidates, skipped = _scan_packages(out_dir / ".cache", train_packages, eval_packages, min_side,
                                                   progress, log)
    dropped: list[dict[str, str]] = []

    def note_drop(cand: Candidate, reason: str, kept: Candidate) -> None:
        dropped.append({"package": cand.package, "source": cand.rel_path, "reason": reason, "kept": kept.key})

    log(f"de-duplicating {len(candidates)} candidates ...")
    kept = deduplicate(
        candidates,
        near_duplicate_threshold=near_duplicate_threshold,
        leak_threshold=leak_threshold,
        on_drop=note_drop,
    )

    manifest_path = out_dir / "manifest.json"
    previous_manifest = _load_manifest(manifest_path)
    previous = {e["file"]: e for e in previous_manifest.get("images", []) if "file" in e}
    entries = _export(kept, out_dir, previous, progress)
    current = {e["file"] for e in entries}
    for rel_file in previous.keys() - current:  # selected last time, not any more
        (out_dir / rel_file).unlink(missing_ok=True)

    for name, info in packages.items():
        mine = [e for e in entries if e["package"] == name]
        if info["status"] == "ok":
            info.update(images=len(mine), megapixels=round(sum(e["width"] * e["height"] for e in mine) / 1e6, 1))

    manifest = {
        "version": MANIFEST_VERSION,
        "min_side": min_side,
        "near_duplicate_threshold": near_duplicate_threshold,
        "leak_threshold": leak_threshold,
        "packages": packages,
        "images": entries,
        "dropped": dropped,
        "skipped": skipped,
    }
    _write_atomic(manifest_path, lambda tmp: tmp.write_text(json.dumps(manifest, indent=2) + "\n"))
    summary = summarize_manifest(manifest, out_dir)
    log(f"done: {summary['images']['train']} train / {summary['images']['eval']} eval images in {out_dir}")
    return summary


def _scan_packages(cache: Path, train_packages: Sequence[str], eval_packages: Sequence[str], min_side: int,
                   progress: bool, log: Callable[[str], None]
                   ) -> tuple[dict[str, dict[str, Any]], list[Candidate], list[dict[str, str]]]:
    """Download, unpack and scan every package -> (package status by name, candidate images with their
    split, skipped files with the reason). A package that fails is recorded as failed, not raised."""
    packages: dict[str, dict[str, Any]] = {}
    skipped: list[dict[str, str]] = []
    candidates: list[Candidate] = []
    for split, names in (("train", train_packages), ("eval", eval_packages)):
        for name in names:
            info: dict[str, Any] = {"split": split}
            packages[name] = info
            try:
                deb = download_deb(name, cache / "debs")
                tree = extract_deb(deb, cache / "extracted")
            except (FetchError, OSError) as err:
                info.update(status="failed", error=str(err))
                log(f"warning: {name}: {err}")
                continue

            def note_skip(rel: str, reason: str, package: str = name) -> None:
                skipped.append({"package": package, "source": rel, "reason": reason})

            found = scan_package_tree(tree, name, min_side=min_side, on_skip=note_skip, progress=progress)
            candidates += [dataclasses.replace(c, split=split) for c in found]
            info.update(status="ok", deb=deb.name, candidates=len(found))
            log(f"{name}: {len(found)} candidate images")
    return packages, candidates, skipped


def summarize_manifest(manifest: dict[str, Any], out_dir: Path | str) -> dict[str, Any]:
    """Counts, megapixels, size ranges and disk usage per split, from a manifest dict."""
    images = manifest.get("images", [])
    splits: dict[str, Any] = {}
    for split in ("train", "eval"):
        mine = [e for e in images if e["split"] == split]
        splits[split] = {
            "images": len(mine),
            "megapixels": round(sum(e["width"] * e["height"] for e in mine) / 1e6, 1),
            "bytes": sum(e["bytes"] for e in mine),
            "min_size": min(((e["width"], e["height"]) for e in mine), key=lambda s: min(s), default=None),
            "max_size": max(((e["width"], e["height"]) for e in mine), key=lambda s: s[0] * s[1], default=None),
        }
    packages = manifest.get("packages", {})
    return {
        "out_dir": str(out_dir),
        "manifest": str(Path(out_dir) / "manifest.json"),
        "images": {s: splits[s]["images"] for s in splits},
        "splits": splits,
        "packages": packages,
        "failed": sorted(n for n, p in packages.items() if p.get("status") != "ok"),
        "dropped": len(manifest.get("dropped", [])),
        "skipped": len(manifest.get("skipped", [])),
    }


def format_summary(summary: dict[str, Any]) -> str:
    """Human-readable multi-line version of a :func:`fetch_corpus` summary."""
    lines = [f"corpus in {summary['out_dir']}"]
    for split, s in summary["splits"].items():
        size = ""
        if s["images"]:
            lo, hi = s["min_size"], s["max_size"]
            size = f", {lo[0]}x{lo[1]} .. {hi[0]}x{hi[1]}"
        lines.append(
            f"  {split:5s}: {s['images']:4d} images, {s['megapixels']:8.1f} MP, "
            f"{s['bytes'] / 2**20:7.1f} MiB{size}"
        )
    for name, p in summary["packages"].items():
        if p.get("status") == "ok":
            lines.append(
                f"    {p['split']:5s} {name}: {p['images']} images ({p['megapixels']} MP)"
                f" from {p['candidates']} candidates"
            )
        else:
            lines.append(f"    {p['split']:5s} {name}: FAILED: {p.get('error')}")
    lines.append(
        f"  dropped {summary['dropped']} duplicates/variants, skipped {summary['skipped']} files "
        f"(details in {summary['manifest']})"
    )
    return "\n".join(lines)


# --------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------


def _cmd_fetch(args: argparse.Namespace) -> int:
    try:
        summary = fetch_corpus(
            args.out,
            train_packages=args.train_packages,
            eval_packages=args.eval_packages,
            min_side=args.min_side,
            progress=not args.quiet,
        )
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(json.dumps(summary, indent=2) if args.json else format_summary(summary))
    return 1 if summary["failed"] else 0


def register_cli(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``data`` command (with ``fetch``) to an argparse subparsers object.

    Each leaf parser sets ``func``: call ``args.func(args)``, which returns an exit code.
    """
    data = subparsers.add_parser(
        "data",
        help="build image corpora for training and evaluation",
        description="Build and inspect image corpora for training and evaluation.",
    )
    data_sub = data.add_subparsers(dest="data_command", metavar="SUBCOMMAND", required=True)
    fetch = data_sub.add_parser(
        "fetch",
        help="build a train/eval corpus of real wallpapers from Debian packages",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=(
            "Download Debian wallpaper packages with `apt-get download` (nothing is\n"
            "installed; run `apt-get update` once first), unpack them with `dpkg -x`, keep\n"
            "raster images with a short side >= --min-side, collapse resolutions and\n"
            "light/dark variants of each wallpaper, drop exact and near-duplicates, and\n"
            "write OUT/train/, OUT/eval/ and OUT/manifest.json.\n\n"
            "Train and eval images come from different packages (split by source image),\n"
            "and no eval image has a near-duplicate in train. Downloads are cached in\n"
            "OUT/.cache, so re-running is cheap. Any folder of images can serve as a corpus\n"
            "for the datasets instead; this command just provides a reproducible one."
        ),
        epilog=(
            "example:\n"
            "  dcae data fetch --out data/wallpapers\n"
            "  dcae data fetch --train-packages plasma-workspace-wallpapers --eval-packages mate-backgrounds --json"
        ),
    )
    fetch.add_argument(
        "--out", type=Path, default=Path("data/wallpapers"), metavar="DIR",
        help="output folder (default: %(default)s)",
    )
    fetch.add_argument(
        "--train-packages", nargs="*", default=list(DEFAULT_TRAIN_PACKAGES), metavar="PKG",
        help="Debian packages for the training split (default: %(default)s)",
    )
    fetch.add_argument(
        "--eval-packages", nargs="*", default=list(DEFAULT_EVAL_PACKAGES), metavar="PKG",
        help="Debian packages for the held-out eval split (default: %(default)s)",
    )
    fetch.add_argument(
        "--min-side", type=int, default=512, metavar="PX",
        help="skip images whose short side is below PX pixels (default: %(default)s)",
    )
    fetch.add_argument("--json", action="store_true", help="print the summary as JSON on stdout")
    fetch.add_argument("-q", "--quiet", action="store_true", help="no progress output on stderr")
    fetch.set_defaults(func=_cmd_fetch)
    return data
