"""`dcae train-ae`'s configuration: every option once, with its default (the CLI reads them from here)."""

from __future__ import annotations

import copy
import shlex
from dataclasses import dataclass, fields
from pathlib import Path


from dcae.training.phases import PHASES


@dataclass
class TrainConfig:
    """One training run (= one phase). None means the phase default (see PHASES)."""

    phase: int
    data: str
    run_dir: str
    preset: str | None = None  # start from random weights of this preset...
    init: str | None = None  # ...or from a checkpoint directory (the previous phase's output)
    out: str | None = None  # default RUN_DIR/model
    resolution: int | None = None
    batch_size: int = 8  # per process
    steps: int = 10_000
    lr: float | None = None
    weight_decay: float | None = None
    betas: tuple[float, float] | None = None
    warmup: int | None = None  # linear lr warm-up steps; default min(500, steps // 10)
    lr_decay: str = "constant"  # after warm-up: constant, or cosine down to min_lr_ratio * lr at `steps`
    min_lr_ratio: float = 0.1
    grad_clip: float = 0.0  # max gradient norm; 0 disables
    ema_decay: float = 0.9999
    perceptual: str = "auto"
    perceptual_weight: float = 1.0
    lpips_weights: str | None = None
    adapt_stages: int = 2
    head_stages: int = 2
    disc_weight: float = 0.5  # LDM autoencoder configs' disc_weight
    disc_start: int = 0
    disc_channels: int = 64
    disc_layers: int = 3
    disc_norm: str = "group"
    precision: str | None = None  # bf16 | fp16 | fp32; default bf16 on CUDA, fp32 on CPU
    device: str | None = None
    seed: int = 0
    num_workers: int | None = None
    max_short_side: int | None = None
    data_on_device: bool = False  # decode the corpus once into device memory and crop there (DeviceCrops)
    log_every: int = 10
    sample_every: int = 500
    checkpoint_every: int = 1000
    scaling_crops: int = 256
    torch_compile: bool = False
    channels_last: bool = False  # NHWC activations and weights (faster convolutions on recent GPUs)
    resume: bool = False
    progress: bool = True
    time_limit: float = 0.0  # seconds of training; > 0 ends the phase early (saving as usual) when spent
    no_shortcuts: bool = False  # the paper's ablation: no residual-autoencoding shortcuts (with --preset)

    def command_line(self) -> str:
        """The `dcae train-ae` command that reproduces this configuration (non-default options only)."""
        parts = ["dcae", "train-ae"]
        for f in fields(self):
            value, default = getattr(self, f.name), f.default
            if f.name == "progress" or value == default or (f.name == "betas" and value and tuple(value) == default):
                continue
            flag = "--" + f.name.replace("_", "-")
            if isinstance(value, bool):
                parts.append(flag)
            elif isinstance(value, (tuple, list)):
                parts += [flag, *map(str, value)]
            else:
                parts += [flag, str(value)]
        return shlex.join(parts)

    def resolved(self) -> TrainConfig:
        """A copy with every phase default filled in."""
        if self.phase not in PHASES:
            raise ValueError(f"phase must be 1, 2 or 3, got {self.phase}")
        if (self.preset is None) == (self.init is None):
            raise ValueError("give exactly one of --preset (random init) or --init (a checkpoint directory)")
        if self.no_shortcuts and self.init:
            raise ValueError("--no-shortcuts builds a new architecture: use it with --preset, not --init")
        if self.lr_decay not in ("constant", "cosine"):
            raise ValueError(f"lr_decay must be constant or cosine, got {self.lr_decay!r}")
        if not 0 <= self.min_lr_ratio <= 1:
            raise ValueError(f"min_lr_ratio must be in [0, 1], got {self.min_lr_ratio}")
        d = PHASES[self.phase]
        c = copy.copy(self)
        c.resolution = c.resolution or d.resolution
        c.lr = d.lr if c.lr is None else c.lr
        c.weight_decay = d.weight_decay if c.weight_decay is None else c.weight_decay
        c.betas = tuple(c.betas) if c.betas is not None else d.betas
        c.warmup = min(500, c.steps // 10) if c.warmup is None else c.warmup
        c.out = c.out or str(Path(c.run_dir) / "model")
        return c
