"""Data order: the batch of step s on rank r is a pure function of (seed, s, r), so a resumed run sees the
same batches as an uninterrupted one."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import numpy as np
import torch
from torch.utils.data import Dataset, Sampler

from dcae.training.config import TrainConfig


class EpochIndexed(Dataset):
    """Wrap a seeded `RandomCropDataset` so that items are addressed by (epoch, index): each
    DataLoader worker holds its own copy, so the epoch must travel with the index."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset

    def __len__(self) -> int:
        return len(self.dataset)

    def __getitem__(self, key: tuple[int, int]) -> torch.Tensor:
        epoch, index = key
        self.dataset.set_epoch(epoch)
        return self.dataset[index]


class StepBatchSampler(Sampler):
    """Endless batches of (epoch, index) keys: one shuffled permutation per epoch, global batch
    `step` split across ranks. Starts at `start_step`, so resuming needs no sampler state."""

    def __init__(self, size: int, batch_size: int, rank: int, world_size: int, seed: int,
                 start_step: int = 0) -> None:
        self.size, self.batch_size = size, batch_size
        self.rank, self.world_size = rank, world_size
        self.seed, self.start_step = seed, start_step
        self._perm_epoch, self._perm = -1, None

    def _key(self, k: int) -> tuple[int, int]:
        epoch, pos = divmod(k, self.size)
        if epoch != self._perm_epoch:
            self._perm_epoch, self._perm = epoch, np.random.default_rng([self.seed, epoch]).permutation(self.size)
        return epoch, int(self._perm[pos])

    def __iter__(self) -> Iterator[list[tuple[int, int]]]:
        for step in itertools.count(self.start_step):
            first = (step * self.world_size + self.rank) * self.batch_size
            yield [self._key(first + j) for j in range(self.batch_size)]


def build_dataset(cfg: TrainConfig) -> Dataset:
    from dcae.data.datasets import RandomCropDataset

    return RandomCropDataset(cfg.data, cfg.resolution, seed=cfg.seed, max_short_side=cfg.max_short_side)
