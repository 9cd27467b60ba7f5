"""Scanning an unpacked Debian package for wallpapers (`dcae data fetch`, dcae/data/corpus.py): which files are
images worth having, which are variants of one artwork (resolutions, light/dark), and their sizes and
digests. Pillow and numpy only."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image
from tqdm import tqdm

from dcae.data.files import oriented_size





@dataclass(frozen=True)
class Candidate:
    """One raster image found in an unpacked package."""

    package: str
    rel_path: str  # path inside the package tree (POSIX), e.g. usr/share/wallpapers/X/...
    path: Path  # the file on disk (possibly a symlink within the tree)
    group: str  # the artwork it shows: all resolutions / light-dark variants share it
    width: int
    height: int
    sha256: str
    is_link: bool = False
    split: str = "train"

    @property
    def pixels(self) -> int:
        return self.width * self.height

    @property
    def key(self) -> str:
        return f"{self.package}:{self.rel_path}"


_PACKAGE_IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp")  # of dcae.data.corpus.IMAGE_EXTENSIONS, what packages ship
_SKIP_NAME = re.compile(r"screenshot|thumb|preview", re.IGNORECASE)


# KDE/Plasma wallpaper packages: usr/share/wallpapers/NAME/contents/images[_dark]/WxH.ext,
# where the file names are target screen sizes, not (always) the real pixel size.
_KDE_LAYOUT = re.compile(r"(?:^|/)wallpapers/(?P<name>[^/]+)/contents/images(?:_dark)?/[^/]+$")
_RESOLUTION_SUFFIX = re.compile(r"[-_ .]?\d{3,5}x\d{3,5}$", re.IGNORECASE)
_VARIANT_SUFFIX = re.compile(r"-(?:l|d|light|dark|day|night)$", re.IGNORECASE)
_COMMON_PREFIX = re.compile(r"^usr/share/(?:backgrounds|wallpapers|pixmaps)/")


def _artwork_group(rel_path: str) -> str:
    """Name shared by all resolutions and light/dark variants of one wallpaper.

    Dark variants are recolourings of the same artwork, so they are grouped with (and
    lose to) the light/default image instead of counting as extra images.
    """
    m = _KDE_LAYOUT.search(rel_path)
    if m:
        return m["name"]
    parent, _, name = rel_path.rpartition("/")
    stem = name.rsplit(".", 1)[0]
    stem = _VARIANT_SUFFIX.sub("", _RESOLUTION_SUFFIX.sub("", stem))
    parent = _COMMON_PREFIX.sub("", parent + "/").rstrip("/")
    return "/".join(p for p in (parent, stem) if p)


def is_dark_variant(rel_path: str) -> bool:
    stem = rel_path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return "/images_dark/" in rel_path or re.search(r"-(?:d|dark|night)$", stem, re.IGNORECASE) is not None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _transparent_fraction(img: Image.Image) -> float:
    if img.mode not in ("RGBA", "LA", "PA", "RGBa", "La") and "transparency" not in img.info:
        return 0.0
    alpha = np.asarray(img.convert("RGBA").getchannel("A"))
    return float((alpha < 255).mean())


def scan_package_tree(
    root: Path | str,
    package: str,
    *,
    min_side: int = 512,
    max_transparent_fraction: float = 0.01,
    on_skip: Callable[[str, str], None] | None = None,
    progress: bool = False,
) -> list[Candidate]:
    """List the usable raster images of an unpacked package (or any folder).

    Skips non-raster files (SVG, XML, ...), screenshots / thumbnails / previews, images
    whose short side is below ``min_side``, unreadable files, symlinks leaving the tree,
    and images with more than ``max_transparent_fraction`` non-opaque pixels (translucent
    overlays meant to sit on a desktop colour are not self-contained pictures).
    ``on_skip(rel_path, reason)`` is called for each skipped image-like file.
    """
    root = Path(root)
    real_root = root.resolve()
    skip = on_skip or (lambda rel, reason: None)
    files = sorted(
        p for p in root.rglob("*") if p.suffix.lower() in _PACKAGE_IMAGE_EXTENSIONS and not p.is_dir()
    )
    # Packages symlink one file under many names: inspect each real file once.
    probed: dict[Path, tuple[int, int, float]] = {}
    hashes: dict[Path, str] = {}
    out: list[Candidate] = []
    for path in tqdm(files, desc=f"scan {package}", unit="file", disable=not progress, leave=False):
        rel = path.relative_to(root).as_posix()
        real = path.resolve()
        if not real.is_relative_to(real_root) or not real.is_file():
            skip(rel, "symlink outside the package tree or broken")
            continue
        if _SKIP_NAME.search(rel):
            skip(rel, "screenshot/thumbnail/preview")
            continue
        if real not in probed:
            try:
                with Image.open(real) as img:
                    width, height = oriented_size(img)
                    # Only decode (for the alpha check) images that are big enough.
                    transparent = _transparent_fraction(img) if min(width, height) >= min_side else 0.0
            except (OSError, ValueError, Image.DecompressionBombError) as err:
                skip(rel, f"unreadable ({err})")
                continue
            probed[real] = (width, height, transparent)
        width, height, transparent = probed[real]
        if min(width, height) < min_side:
            skip(rel, f"too small ({width}x{height})")
            continue
        if transparent > max_transparent_fraction:
            skip(rel, f"translucent ({transparent:.0%} of pixels not opaque)")
            continue
        if real not in hashes:
            hashes[real] = sha256_of(real)
        out.append(
            Candidate(
                package=package,
                rel_path=rel,
                path=path,
                group=_artwork_group(rel),
                width=width,
                height=height,
                sha256=hashes[real],
                is_link=path.is_symlink(),
            )
        )
    return out
