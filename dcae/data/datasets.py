"""Torch datasets over any directory of images (searched recursively; hidden files and folders such as
``.cache`` are ignored): :class:`RandomCropDataset` for multi-scale random-crop training,
:class:`DeviceCrops` for crops drawn on the training device, and :class:`CenterCropDataset` for the
DC-AE evaluation protocol (resize the short side, center crop). The corpus they usually read is built
by `dcae.data.corpus` (``dcae data fetch``). PIL + numpy + torch only (no torchvision).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from torch import Tensor
from torch.utils.data import Dataset

from dcae.data.corpus import list_images
from dcae.contract.pixels import center_crop, resize_short_side
from dcae.data.files import decode_file, load_image, oriented_size
from dcae.data.tensors import to_tensor


# --------------------------------------------------------------------------------------
# Datasets
# --------------------------------------------------------------------------------------


def loader_workers(requested: int | None, share: int = 1) -> dict:
    """DataLoader arguments for decoding in worker processes: `requested` workers (None: one per core in this
    rank's `share` of the machine, less the one that trains, at most 8), started by a fork server. A plain fork
    copies a process whose thread pools (OpenMP, OpenVINO's TBB, ONNX Runtime) hold locks mid-flight, and runs
    their fork handlers in it: in a process that had run them all (the test suite), a worker's fork left the
    parent's Python heap corrupt (SIGSEGV in the next frame, at the same test twice). The fork server is a fresh
    process with none of them; each worker then imports torch once (about a second)."""
    import os

    workers = requested if requested is not None else min(8, max(0, (os.cpu_count() or 1) // share - 1))
    return {"num_workers": workers, "multiprocessing_context": "forkserver" if workers > 0 else None}


def sample_scale(u: float, min_scale: float, scales: Sequence[float] | None = None) -> float:
    """Map a U[0, 1) draw to a crop scale (output pixels per source pixel): one of `scales`
    (each clamped to at least `min_scale`) or, by default, log-uniform in [min_scale, 1]."""
    if scales is not None:
        return max(scales[min(int(u * len(scales)), len(scales) - 1)], min_scale)
    if min_scale >= 1.0:  # image smaller than the crop: take the whole short side
        return min_scale
    return math.exp(math.log(min_scale) * (1.0 - u))


class RandomCropDataset(Dataset[Tensor]):
    """Multi-scale random square crops for training; each item is (3, R, R) in [-1, 1].

    For every sample a scale ``s`` (output pixels per source pixel) is drawn, a square
    window of ``R / s`` source pixels is cut at a random position, resized to ``R`` x ``R``
    (bicubic, antialiased) and flipped horizontally with probability 1/2. ``s = 1`` is a
    crop at native resolution; the smallest scale, ``R / short_side``, sees the whole
    short side. So one 5K photograph yields many distinct views from texture close-ups
    to the full scene.

    Args:
        root: directory searched recursively for images (or a single image file).
        resolution: output side ``R``.
        scales: discrete scales to pick from uniformly; each is clamped to at least
            ``R / short_side`` (a window can't exceed the image). ``None`` (default) draws
            ``s`` log-uniformly from ``[R / short_side, 1]``, i.e. equally often per octave.
            Images whose short side is below ``R`` are upsampled to fit.
        views_per_image: ``len(dataset) = n_images * views_per_image``.
        flip: random horizontal flips.
        max_short_side: treat larger images as if pre-downscaled to this short side, which
            caps the finest detail level (and, for JPEG, speeds up decoding).
        seed: if given, sample ``i`` of epoch ``e`` is a pure function of
            ``(seed, e, i)``: reproducible and safe with DataLoader workers (call
            :meth:`set_epoch` to get new crops each epoch). If ``None``, torch's global
            RNG is used, which DataLoader seeds differently per worker.

    Nothing is cached: each item decodes its file, using reduced-size JPEG decoding
    whenever the crop is going to be downsampled.
    """

    def __init__(
        self,
        root: Path | str,
        resolution: int,
        scales: Sequence[float] | None = None,
        views_per_image: int = 64,
        flip: bool = True,
        max_short_side: int | None = None,
        seed: int | None = None,
    ) -> None:
        if resolution <= 0 or views_per_image <= 0:
            raise ValueError("resolution and views_per_image must be positive")
        if scales is not None and (not scales or min(scales) <= 0):
            raise ValueError("scales must be a non-empty sequence of positive numbers")
        self.root = Path(root)
        self.paths = list_images(self.root)
        if not self.paths:
            raise FileNotFoundError(f"no images found under {self.root}")
        self.resolution = resolution
        self.scales = tuple(float(s) for s in scales) if scales is not None else None
        self.views_per_image = views_per_image
        self.flip = flip
        self.max_short_side = max_short_side
        self.seed = seed
        self.epoch = 0

    def set_epoch(self, epoch: int) -> None:
        """Select the epoch whose crops a seeded dataset returns."""
        self.epoch = epoch

    def __len__(self) -> int:
        return len(self.paths) * self.views_per_image

    def _uniforms(self, index: int) -> list[float]:
        """Four U[0, 1) draws: scale, x offset, y offset, flip."""
        if self.seed is None:
            return torch.rand(4, dtype=torch.float64).tolist()
        return np.random.default_rng([self.seed, self.epoch, index]).random(4).tolist()

    def _sample_scale(self, u: float, min_scale: float) -> float:
        return sample_scale(u, min_scale, self.scales)

    def __getitem__(self, index: int) -> Tensor:
        if not 0 <= index < len(self):
            raise IndexError(index)
        u_scale, u_x, u_y, u_flip = self._uniforms(index)
        path = self.paths[index % len(self.paths)]
        res = self.resolution

        with Image.open(path) as probe:
            width0, height0 = oriented_size(probe)
        short0 = min(width0, height0)
        eff_short = min(short0, self.max_short_side) if self.max_short_side else short0
        scale = self._sample_scale(u_scale, res / eff_short)
        window0 = min(res / scale * short0 / eff_short, short0)  # crop side, native pixels

        img = decode_file(path, scale=res / window0)
        # Decoding may have been reduced (JPEG draft): map the window into decoded pixels.
        win_x = window0 * img.width / width0
        win_y = window0 * img.height / height0
        x0 = u_x * (img.width - win_x)
        y0 = u_y * (img.height - win_y)
        if abs(win_x - res) < 1e-6 and abs(win_y - res) < 1e-6:
            # Native-resolution crop: integer offsets keep pixels exact (no resampling).
            left, top = round(x0), round(y0)
            crop = img.crop((left, top, left + res, top + res))
        else:
            crop = img.resize(
                (res, res), Image.Resampling.BICUBIC, box=(x0, y0, x0 + win_x, y0 + win_y)
            )
        if self.flip and u_flip < 0.5:
            crop = crop.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
        return to_tensor(crop)


class DeviceCrops:
    """The crops of :class:`RandomCropDataset`, cut where the model trains.

    The corpus is decoded once into ``device`` memory as uint8 (optionally with the short
    side capped at ``max_short_side``); each batch draws, per sample, an image uniformly, a
    scale (same law as :class:`RandomCropDataset`), an offset and a flip, then cuts the window
    and resizes it there (bicubic, antialiased). On a GPU this replaces JPEG decoding in
    loader processes, which caps a small autoencoder's training speed at a few hundred
    crops per second. Batch ``step`` of ``rank`` is a pure function of
    ``(seed, step, rank)``, so a resumed run sees the same data.
    """

    def __init__(self, root: Path | str, resolution: int, device: torch.device | str,
                 scales: Sequence[float] | None = None, flip: bool = True,
                 max_short_side: int | None = None, seed: int = 0) -> None:
        if resolution <= 0:
            raise ValueError("resolution must be positive")
        self.paths = list_images(Path(root))
        if not self.paths:
            raise FileNotFoundError(f"no images found under {root}")
        self.resolution, self.scales, self.flip, self.seed = resolution, scales, flip, seed
        self.device = torch.device(device)
        self.images: list[Tensor] = []
        for path in self.paths:
            img = load_image(path)
            if max_short_side and min(img.size) > max_short_side:
                img = resize_short_side(img, max_short_side)
            if min(img.size) < resolution:
                img = resize_short_side(img, resolution)
            array = torch.from_numpy(np.asarray(img, dtype=np.uint8).copy())
            self.images.append(array.permute(2, 0, 1).to(self.device))

    def __len__(self) -> int:
        return len(self.images)

    def batch(self, step: int, batch_size: int, rank: int = 0) -> Tensor:
        """(batch_size, 3, R, R) in [-1, 1], on the device."""
        res = self.resolution
        u = np.random.default_rng([self.seed, step, rank]).random((batch_size, 5))
        crops = []
        for u_image, u_scale, u_x, u_y, u_flip in u.tolist():
            img = self.images[min(int(u_image * len(self.images)), len(self.images) - 1)]
            height, width = img.shape[1:]
            scale = sample_scale(u_scale, res / min(height, width), self.scales)
            window = min(round(res / scale), height, width)
            top, left = round(u_y * (height - window)), round(u_x * (width - window))
            crop = img[None, :, top:top + window, left:left + window].float()
            if window != res:
                crop = torch.nn.functional.interpolate(crop, size=(res, res), mode="bicubic",
                                                       antialias=True, align_corners=False)
            if self.flip and u_flip < 0.5:
                crop = crop.flip(-1)
            crops.append(crop)
        return torch.cat(crops).clamp_(0, 255).div_(127.5).sub_(1.0)


class CenterCropDataset(Dataset[tuple[Tensor, str]]):
    """DC-AE evaluation protocol: resize short side to ``R`` (bicubic), center crop R x R.

    Items are ``(image, name)``: image (3, R, R) in [-1, 1] and ``name`` the path relative
    to ``root`` (POSIX style; just the file name for a flat folder).

    ``scale`` (output pixels per source pixel, as in :class:`RandomCropDataset`; 1 = native pixels)
    replaces the protocol's resize: the image is resized by ``scale`` before the center crop, so
    the crop shows detail at that scale instead of the whole short side. An image whose short
    side would fall below ``R`` is resized to ``R`` instead (the protocol).
    """

    def __init__(self, root: Path | str, resolution: int, scale: float | None = None) -> None:
        self.root = Path(root)
        self.paths = list_images(self.root)
        if not self.paths:
            raise FileNotFoundError(f"no images found under {self.root}")
        if scale is not None and not 0 < scale <= 1:
            raise ValueError(f"a crop scale is in (0, 1] (output pixels per source pixel), got {scale}")
        self.resolution = resolution
        self.scale = scale

    def __len__(self) -> int:
        return len(self.paths)

    def __getitem__(self, index: int) -> tuple[Tensor, str]:
        path = self.paths[index]
        # Full decode on purpose: reduced JPEG decoding would change the protocol's pixels.
        img = load_image(path)
        short = self.resolution
        if self.scale is not None:
            short = max(self.resolution, round(min(img.size) * self.scale))
        img = center_crop(resize_short_side(img, short), self.resolution)
        name = path.name if self.root.is_file() else path.relative_to(self.root).as_posix()
        return to_tensor(img), name
