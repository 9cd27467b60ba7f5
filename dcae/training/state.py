"""Training state shared by both trainers: EMA, the learning-rate schedule, RNG state, and the resumable
checkpoint format (lists and tensors only, read back with `torch.load(weights_only=True)`; written
atomically)."""

from __future__ import annotations

import math
import os
import random
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn

from dcae.training.config import TrainConfig


CHECKPOINT_FILE = "checkpoint.pt"
CHECKPOINT_VERSION = 1


def ema_decay_at(step: int, decay: float) -> float:
    """Decay ramped up as (1 + step) / (10 + step) (TF's ExponentialMovingAverage num_updates rule):
    early weights are not averaged with the random initialisation for thousands of steps."""
    return min(decay, (1.0 + step) / (10.0 + step))


@torch.no_grad()
def ema_update(ema: nn.Module, model: nn.Module, decay: float) -> None:
    ema_params = [p for p in ema.parameters()]
    params = [p for p in model.parameters()]
    pairs = [(e, p) for e, p in zip(ema_params, params) if p.requires_grad]
    if pairs:
        torch._foreach_lerp_([e for e, _ in pairs], [p.detach().float() for _, p in pairs], 1.0 - decay)
    for e, b in zip(ema.buffers(), model.buffers()):  # BatchNorm statistics are copied, not averaged
        e.copy_(b)


def rng_state() -> dict:
    # Lists and tensors only, so that torch.load(weights_only=True) reads it back.
    py = random.getstate()
    np_state = np.random.get_state()
    return {
        "torch": torch.get_rng_state(),
        "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else [],
        "python": [py[0], list(py[1]), py[2]],
        "numpy": [np_state[0], torch.from_numpy(np_state[1].astype(np.int64)), *np_state[2:]],
    }


def set_rng_state(state: dict) -> None:
    torch.set_rng_state(state["torch"])
    if state["cuda"] and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])
    random.setstate((state["python"][0], tuple(state["python"][1]), state["python"][2]))
    n = state["numpy"]
    np.random.set_state((n[0], n[1].numpy().astype(np.uint32), *n[2:]))


def save_checkpoint(state: dict, path: Path, extra: dict | None = None) -> None:
    """A trainer's state (+ `extra`, e.g. the wall time so far) to `path`. Atomic: a crash mid-save
    leaves the previous checkpoint intact."""
    tmp = path.with_suffix(".tmp")
    torch.save({**state, "extra": extra or {}}, tmp)
    os.replace(tmp, path)


def load_checkpoint(path: Path) -> dict:
    """What `save_checkpoint` wrote, on the CPU (RNG states must be CPU tensors; a trainer's
    load_state_dict moves the rest to its parameters' device); tensors and plain data only."""
    return torch.load(path, map_location="cpu", weights_only=True)


def lr_at_step(cfg: TrainConfig, step: int, time_fraction: float = 0.0) -> float:
    """Linear warm-up over `warmup` steps, then constant or a cosine decay that reaches
    `min_lr_ratio * lr` at step `steps` or, with --time-limit, when the time budget is spent
    (`time_fraction`, the share of it used, decided by rank 0): whichever comes first."""
    if step < cfg.warmup:
        return cfg.lr * (step + 1) / cfg.warmup
    if cfg.lr_decay != "cosine":
        return cfg.lr
    progress = min(1.0, max((step - cfg.warmup) / max(1, cfg.steps - cfg.warmup), time_fraction))
    return cfg.lr * (cfg.min_lr_ratio + (1 - cfg.min_lr_ratio) * 0.5 * (1 + math.cos(math.pi * progress)))
