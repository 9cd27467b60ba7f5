"""`dcae train-ae`: train the autoencoder with the paper's decoupled high-resolution adaptation
(Chen et al. 2025, Sec. 3.3), one phase per run:

  phase 1  low-resolution full training: every parameter, L1 + perceptual loss.
  phase 2  high-resolution latent adaptation: only the end of the encoder and the start of the
           decoder train (`--adapt-stages` deepest stages each side), at high resolution. Cheap:
           the frozen full-resolution encoder stages store no activations, and no frozen weight
           gets gradients or optimiser state.
  phase 3  low-resolution local refinement: only the decoder head trains, with a PatchGAN loss
           added; the latent space cannot move, so the GAN cannot disturb it.

A later phase starts from the previous phase's output (`--init DIR`). `phase_parameter_groups`
names exactly what trains; the selection is printed at start and stored in the checkpoint metadata.

Runs under `torchrun` (DDP: nccl on CUDA, gloo on CPU; `--batch-size` is per process; only rank 0
writes). The run directory holds `checkpoint.pt` (resumable: model, EMA, optimisers,
discriminator, step, RNG; `--resume`), `log.jsonl`, `samples/` (inputs on top, EMA reconstructions
below) and, at the end, the EMA weights in our checkpoint format (`--out`, default RUN_DIR/model)
with the latent scaling factor measured on training crops.

Data order is a pure function of (seed, step, rank), so a resumed run sees the same batches as an
uninterrupted one; with a deterministic backend (CPU) it ends with identical weights.
"""

from __future__ import annotations

import argparse
import copy
import itertools
import json
import math
import os
import platform
import random
import shlex
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import numpy as np
import torch
import torch.distributed as dist
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset, Sampler

from dcae.argtypes import positive_int
from dcae.checkpoint import load_pretrained, read_config, save_pretrained
from dcae.images import to_uint8
from dcae.losses import (PERCEPTUAL_CHOICES, NLayerDiscriminator, adaptive_gan_weight, build_perceptual_loss,
                         hinge_d_loss, hinge_g_loss, last_decoder_weight)
from dcae.models.dc_ae import DCAE, DCAEConfig, create_model, get_config

CHECKPOINT_FILE = "checkpoint.pt"
CHECKPOINT_VERSION = 1

# ----------------------------------------------------------------------------------------------
# Phases


@dataclass(frozen=True)
class PhaseDefaults:
    lr: float
    weight_decay: float
    betas: tuple[float, float]
    resolution: int
    gan: bool


PHASES: dict[int, PhaseDefaults] = {
    # AdamW settings as reported in the paper (Sec. 4.1 / App.); resolutions: 256 low, 1024 high.
    1: PhaseDefaults(lr=6.4e-5, weight_decay=0.1, betas=(0.9, 0.999), resolution=256, gan=False),
    2: PhaseDefaults(lr=1.6e-5, weight_decay=1e-3, betas=(0.9, 0.999), resolution=1024, gan=False),
    # Phase 3's weight decay is not reported: torch's AdamW default.
    3: PhaseDefaults(lr=5.4e-5, weight_decay=1e-2, betas=(0.5, 0.9), resolution=256, gan=True),
}


def model_units(model: DCAE) -> dict[str, nn.Module]:
    """The model cut into the units a phase trains or freezes, in forward order. Together they hold
    every parameter exactly once."""
    enc, dec = model.encoder, model.decoder
    units: dict[str, nn.Module] = {"encoder.project_in": enc.project_in}
    units.update({f"encoder.stages.{s}": st for s, st in enumerate(enc.stages)})
    units["encoder.project_out"] = enc.project_out
    units["decoder.project_in"] = dec.project_in
    # The decoder runs deepest stage first.
    units.update({f"decoder.stages.{s}": dec.stages[s] for s in reversed(range(len(dec.stages)))})
    units["decoder.norm_out"] = dec.norm_out
    units["decoder.project_out"] = dec.project_out
    return units


def phase_parameter_groups(model: DCAE, phase: int, adapt_stages: int = 2, head_stages: int = 2
                           ) -> dict[str, nn.Module]:
    """The units that train in `phase`; everything else is frozen.

    phase 1: all units.
    phase 2: the end of the encoder (its `adapt_stages` deepest stages + project_out) and the start
             of the decoder (project_in + its `adapt_stages` deepest stages). A decoder stage begins
             with the up-sampling block that feeds it, an encoder stage ends with its down-sampling
             block, so the adapted part is symmetric around the latent. The paper names "the middle
             layers" without a count; 2 of 6 stages is our default.
    phase 3: the decoder head: its `head_stages` shallowest stages (stages[0] is the full-resolution
             one, empty in the "in" presets whose project_out does the last up-sampling) + norm_out
             + project_out.
    """
    units = model_units(model)
    n = len(model.encoder.stages)
    if phase == 1:
        return units
    if phase == 2:
        if not 1 <= adapt_stages <= n:
            raise ValueError(f"adapt_stages must be in 1..{n}, got {adapt_stages}")
        deep = range(n - adapt_stages, n)
        names = ([f"encoder.stages.{s}" for s in deep] + ["encoder.project_out", "decoder.project_in"]
                 + [f"decoder.stages.{s}" for s in reversed(deep)])
    elif phase == 3:
        if not 1 <= head_stages <= n:
            raise ValueError(f"head_stages must be in 1..{n}, got {head_stages}")
        names = [f"decoder.stages.{s}" for s in reversed(range(head_stages))] + ["decoder.norm_out",
                                                                                   "decoder.project_out"]
    else:
        raise ValueError(f"phase must be 1, 2 or 3, got {phase}")
    return {k: units[k] for k in names}


@dataclass(frozen=True)
class PhaseSelection:
    """Parameter counts per unit, trained and frozen (units without parameters omitted)."""

    phase: int
    trained: dict[str, int]
    frozen: dict[str, int]

    @property
    def trained_total(self) -> int:
        return sum(self.trained.values())

    @property
    def frozen_total(self) -> int:
        return sum(self.frozen.values())

    def format(self) -> str:
        total = self.trained_total + self.frozen_total
        lines = [f"phase {self.phase}: training {self.trained_total:,} of {total:,} parameters "
                 f"({100.0 * self.trained_total / max(total, 1):.1f}%) in {len(self.trained)} units"]
        for label, group in (("train ", self.trained), ("frozen", self.frozen)):
            lines += [f"  {label} {name:<24} {count:>12,}" for name, count in group.items()]
        return "\n".join(lines)


def apply_phase(model: DCAE, phase: int, adapt_stages: int = 2, head_stages: int = 2) -> PhaseSelection:
    """Set requires_grad for `phase` and report what trains."""
    groups = phase_parameter_groups(model, phase, adapt_stages, head_stages)
    model.requires_grad_(False)
    for module in groups.values():
        module.requires_grad_(True)
    trained, frozen = {}, {}
    for name, module in model_units(model).items():
        count = sum(p.numel() for p in module.parameters())
        if count:
            (trained if name in groups else frozen)[name] = count
    return PhaseSelection(phase, trained, frozen)


def set_train_mode(model: DCAE, phase: int, adapt_stages: int = 2, head_stages: int = 2) -> None:
    """Train mode for the training units only: frozen BatchNorm layers must keep their running
    statistics (in train mode they would normalise with batch statistics and update them)."""
    model.eval()
    for module in phase_parameter_groups(model, phase, adapt_stages, head_stages).values():
        module.train()


# ----------------------------------------------------------------------------------------------
# Configuration


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


# ----------------------------------------------------------------------------------------------
# Distributed setup


@dataclass(frozen=True)
class DistInfo:
    rank: int
    world_size: int
    device: torch.device
    owns_process_group: bool

    @property
    def is_main(self) -> bool:
        return self.rank == 0


def init_distributed(device: str | None = None) -> DistInfo:
    """Single process, or one process of a `torchrun` job (WORLD_SIZE/RANK/LOCAL_RANK set)."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    use_cuda = torch.cuda.is_available() and (device is None or device.startswith("cuda"))
    if world == 1:
        return DistInfo(0, 1, torch.device(device or ("cuda" if use_cuda else "cpu")), False)
    rank, local_rank = int(os.environ["RANK"]), int(os.environ.get("LOCAL_RANK", os.environ["RANK"]))
    dev = torch.device("cuda", local_rank) if use_cuda else torch.device("cpu")
    if use_cuda:
        torch.cuda.set_device(dev)
    owns = not dist.is_initialized()
    if owns:
        dist.init_process_group("nccl" if use_cuda else "gloo")
    return DistInfo(rank, world, dev, owns)


def hardware_name(device: torch.device, world_size: int = 1) -> str:
    if device.type == "cuda":
        return f"{world_size} x {torch.cuda.get_device_name(device)}"
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{world_size} x CPU process ({cpu}, {torch.get_num_threads()} threads, {os.cpu_count()} logical CPUs)"


# ----------------------------------------------------------------------------------------------
# Data: the batch of step s on rank r is a pure function of (seed, s, r)


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
    from dcae.data import RandomCropDataset

    return RandomCropDataset(cfg.data, cfg.resolution, seed=cfg.seed, max_short_side=cfg.max_short_side)


# ----------------------------------------------------------------------------------------------
# EMA


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


# ----------------------------------------------------------------------------------------------
# The trainer


class Trainer:
    """Optimiser state, EMA, losses and the discriminator for one phase; `step(x)` is one update.
    `model` must already be on the device."""

    def __init__(self, cfg: TrainConfig, model: DCAE, dist_info: DistInfo | None = None) -> None:
        self.cfg = cfg = cfg.resolved()
        self.dist = dist_info or DistInfo(0, 1, next(model.parameters()).device, False)
        self.device = self.dist.device
        self.model = model
        self.time_fraction = 0.0  # share of --time-limit spent, set by the training loop (lr decay)
        self.memory_format = torch.channels_last if cfg.channels_last else torch.contiguous_format
        model.to(memory_format=self.memory_format)
        self.selection = apply_phase(model, cfg.phase, cfg.adapt_stages, cfg.head_stages)
        set_train_mode(model, cfg.phase, cfg.adapt_stages, cfg.head_stages)
        self.params = [p for p in model.parameters() if p.requires_grad]
        self.ema = copy.deepcopy(model).float().eval().requires_grad_(False)
        self.step_count = 0

        precision = cfg.precision or ("bf16" if self.device.type == "cuda" else "fp32")
        if precision not in ("bf16", "fp16", "fp32"):
            raise ValueError(f"precision must be bf16, fp16 or fp32, got {precision!r}")
        self.precision = precision
        self.autocast_dtype = {"bf16": torch.bfloat16, "fp16": torch.float16, "fp32": None}[precision]
        # fp16 needs loss scaling; bf16 has fp32's exponent range and does not.
        self.scaler = torch.amp.GradScaler(self.device.type, enabled=precision == "fp16")

        self.perceptual = build_perceptual_loss(cfg.perceptual, cfg.lpips_weights)
        if self.perceptual is not None:
            self.perceptual.to(self.device)
        self.perceptual_name = self.perceptual.name if self.perceptual is not None else "none"

        self.optimizer = torch.optim.AdamW(self.params, lr=cfg.lr, betas=cfg.betas, weight_decay=cfg.weight_decay)
        ae = model
        if self.dist.world_size > 1:
            from torch.nn.parallel import DistributedDataParallel as DDP

            # Built after apply_phase: DDP only reduces parameters that require gradients.
            ae = DDP(model, device_ids=[self.device.index] if self.device.type == "cuda" else None)
        self.ae = torch.compile(ae) if cfg.torch_compile else ae

        self.disc = self.disc_ddp = self.disc_optimizer = None
        if PHASES[cfg.phase].gan and cfg.disc_weight > 0:
            self.disc = NLayerDiscriminator(channels=cfg.disc_channels, n_layers=cfg.disc_layers,
                                            norm=cfg.disc_norm).to(self.device)
            # Same lr and betas as the generator side (taming-transformers).
            self.disc_optimizer = torch.optim.AdamW(self.disc.parameters(), lr=cfg.lr, betas=cfg.betas,
                                                    weight_decay=cfg.weight_decay)
            self.disc_ddp = self.disc
            if self.dist.world_size > 1:
                from torch.nn.parallel import DistributedDataParallel as DDP

                self.disc_ddp = DDP(self.disc, device_ids=[self.device.index] if self.device.type == "cuda" else None)
            self.last_layer = last_decoder_weight(model)

    def autocast(self) -> AbstractContextManager:
        if self.autocast_dtype is None:
            return nullcontext()
        return torch.autocast(self.device.type, dtype=self.autocast_dtype)

    def lr_at(self, step: int) -> float:
        return lr_at_step(self.cfg, step, self.time_fraction)

    def step(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """One update on a batch x (N, 3, R, R) in [-1, 1]; returns detached scalar losses."""
        cfg = self.cfg
        lr = self.lr_at(self.step_count)
        for opt in (self.optimizer, self.disc_optimizer):
            if opt is not None:
                for g in opt.param_groups:
                    g["lr"] = lr
        x = x.to(self.device, non_blocking=True, memory_format=self.memory_format)
        use_gan = self.disc is not None and self.step_count >= cfg.disc_start

        with self.autocast():
            recon = self.ae(x)
        recon = recon.float()  # losses in fp32
        l1 = (recon - x).abs().mean()
        rec_loss = l1
        out = {"l1": l1.detach()}
        if self.perceptual is not None and cfg.perceptual_weight > 0:
            with self.autocast():  # LPIPS' VGG runs in the autocast dtype; the substitute opts out
                perc = self.perceptual(recon, x).float()
            rec_loss = rec_loss + cfg.perceptual_weight * perc
            out["perceptual"] = perc.detach()
        loss = rec_loss
        if use_gan:
            self.disc.requires_grad_(False)  # the generator's GAN term must not touch D's gradients
            with self.autocast():
                g_loss = hinge_g_loss(self.disc(recon).float())
            weight = adaptive_gan_weight(rec_loss, g_loss, self.last_layer) * cfg.disc_weight
            loss = loss + weight * g_loss
            out.update(g_loss=g_loss.detach(), gan_weight=weight.detach())
        out["loss"] = loss.detach()

        self.optimizer.zero_grad(set_to_none=True)
        self.scaler.scale(loss).backward()
        if cfg.grad_clip > 0:
            self.scaler.unscale_(self.optimizer)
            out["grad_norm"] = torch.nn.utils.clip_grad_norm_(self.params, cfg.grad_clip).detach()
        self.scaler.step(self.optimizer)

        if use_gan:
            self.disc.requires_grad_(True)
            with self.autocast():
                # Real and fake in one forward: DDP expects one forward per backward.
                logits = self.disc_ddp(torch.cat([x, recon.detach()])).float()
            logits_real, logits_fake = logits.chunk(2)
            d_loss = hinge_d_loss(logits_real, logits_fake)
            self.disc_optimizer.zero_grad(set_to_none=True)
            self.scaler.scale(d_loss).backward()
            self.scaler.step(self.disc_optimizer)
            out.update(d_loss=d_loss.detach(), logits_real=logits_real.detach().mean(),
                       logits_fake=logits_fake.detach().mean())
        self.scaler.update()

        self.step_count += 1
        ema_update(self.ema, self.model, ema_decay_at(self.step_count, cfg.ema_decay))
        out["lr"] = torch.tensor(lr)
        return out

    # -- state ---------------------------------------------------------------------------------

    def state_dict(self) -> dict:
        state = {
            "version": CHECKPOINT_VERSION,
            "phase": self.cfg.phase,
            "model_config": self.model.config.to_dict(),
            "step": self.step_count,
            "model": self.model.state_dict(),
            "ema": self.ema.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "scaler": self.scaler.state_dict(),
            "rng": _rng_state(),
        }
        if self.disc is not None:
            state["disc"] = self.disc.state_dict()
            state["disc_optimizer"] = self.disc_optimizer.state_dict()
        return state

    def load_state_dict(self, state: dict) -> None:
        if state.get("version") != CHECKPOINT_VERSION:
            raise ValueError(f"checkpoint version {state.get('version')} is not {CHECKPOINT_VERSION}")
        if state["phase"] != self.cfg.phase:
            raise ValueError(f"the run directory holds a phase {state['phase']} checkpoint; this is phase "
                             f"{self.cfg.phase}: use another --run-dir")
        if DCAEConfig.from_dict(state["model_config"]) != self.model.config:
            raise ValueError("the checkpoint's model config differs from this run's (--preset/--init)")
        self.model.load_state_dict(state["model"])
        self.ema.load_state_dict(state["ema"])
        self.optimizer.load_state_dict(state["optimizer"])
        self.scaler.load_state_dict(state["scaler"])
        if self.disc is not None:
            self.disc.load_state_dict(state["disc"])
            self.disc_optimizer.load_state_dict(state["disc_optimizer"])
        self.step_count = state["step"]
        _set_rng_state(state["rng"])


def _rng_state() -> dict:
    # Lists and tensors only, so that torch.load(weights_only=True) reads it back.
    py = random.getstate()
    np_state = np.random.get_state()
    return {
        "torch": torch.get_rng_state(),
        "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else [],
        "python": [py[0], list(py[1]), py[2]],
        "numpy": [np_state[0], torch.from_numpy(np_state[1].astype(np.int64)), *np_state[2:]],
    }


def _set_rng_state(state: dict) -> None:
    torch.set_rng_state(state["torch"])
    if state["cuda"] and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])
    random.setstate((state["python"][0], tuple(state["python"][1]), state["python"][2]))
    n = state["numpy"]
    np.random.set_state((n[0], n[1].numpy().astype(np.uint32), *n[2:]))


def save_checkpoint(trainer: Trainer, path: Path, extra: dict | None = None) -> None:
    """Atomic write: a crash mid-save leaves the previous checkpoint intact."""
    state = trainer.state_dict()
    state["extra"] = extra or {}
    tmp = path.with_suffix(".tmp")
    torch.save(state, tmp)
    os.replace(tmp, path)


def load_checkpoint(trainer: Trainer, path: Path) -> dict:
    # On the CPU: RNG states must be CPU tensors; load_state_dict moves the rest to the parameters' device.
    state = torch.load(path, map_location="cpu", weights_only=True)
    trainer.load_state_dict(state)
    return state.get("extra", {})


# ----------------------------------------------------------------------------------------------
# Outputs


def save_sample_grid(inputs: torch.Tensor, recons: torch.Tensor, path: str | Path) -> None:
    """Inputs in the top row, reconstructions in the bottom row, as a PNG."""
    top = np.concatenate([to_uint8(x) for x in inputs], axis=1)
    bottom = np.concatenate([to_uint8(x) for x in recons], axis=1)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.concatenate([top, bottom], axis=0)).save(path)


@torch.no_grad()
def estimate_scaling_factor(model: DCAE, batches: Iterable[torch.Tensor], device: torch.device,
                            autocast: Callable[[], AbstractContextManager] = nullcontext) -> tuple[float, int]:
    """1 / RMS of the raw latents over the given batches (reference Sec. 3: z_diffusion = z * factor).
    Returns (factor, number of crops)."""
    sum_sq, count, crops = 0.0, 0, 0
    for x in batches:
        with autocast():
            z = model.encode(x.to(device))
        z = z.double()
        sum_sq += z.square().sum().item()
        count += z.numel()
        crops += x.shape[0]
    return 1.0 / math.sqrt(sum_sq / count), crops


def _fixed_batches(dataset: EpochIndexed, n: int, batch_size: int, epoch: int) -> Iterator[torch.Tensor]:
    """n crops from a reserved epoch of the seeded dataset, batched (same crops in every run)."""
    keys = [(epoch, i % len(dataset)) for i in range(n)]
    for i in range(0, n, batch_size):
        yield torch.stack([dataset[k] for k in keys[i:i + batch_size]])


# Reserved epochs (training never reaches them) for the sample grid and the scaling-factor crops.
_SAMPLE_EPOCH = 2**30
_SCALING_EPOCH = 2**30 + 1


@dataclass
class TrainResult:
    out: Path | None  # written by rank 0 only
    ema_model: DCAE
    steps: int
    scaling_factor: float
    selection: PhaseSelection
    log: list[dict] = field(default_factory=list)


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


def _time_fraction(cfg: TrainConfig, t_start: float, dist_info: DistInfo) -> float:
    """The share of --time-limit spent (0 without one), decided by rank 0 so that every rank stops
    after the same step and follows the same learning rate."""
    if not cfg.time_limit:
        return 0.0
    fraction = (time.perf_counter() - t_start) / cfg.time_limit
    if dist_info.world_size > 1:
        value = torch.tensor(fraction, dtype=torch.float64, device=dist_info.device)
        dist.broadcast(value, src=0)
        fraction = float(value.item())
    return fraction


def _load_start_model(cfg: TrainConfig) -> tuple[DCAE, dict]:
    if cfg.init:
        meta = read_config(cfg.init)
        model = load_pretrained(cfg.init).train()
        return model, meta.get("training", {}) if isinstance(meta.get("training"), dict) else {}
    arch = get_config(cfg.preset)
    return create_model(arch.replace(residual_shortcuts=False) if cfg.no_shortcuts else arch), {}


def train(cfg: TrainConfig) -> TrainResult:
    """Run one phase end to end (see the module docstring)."""
    cfg = cfg.resolved()
    dist_info = init_distributed(cfg.device)
    try:
        return _train(cfg, dist_info)
    finally:
        if dist_info.owns_process_group:
            dist.destroy_process_group()


def _train(cfg: TrainConfig, dist_info: DistInfo) -> TrainResult:
    t_start = time.perf_counter()
    main = dist_info.is_main
    run_dir = Path(cfg.run_dir)
    torch.manual_seed(cfg.seed)  # identical initial weights on every rank
    model, init_training = _load_start_model(cfg)
    if model.config.compression and cfg.resolution % model.config.compression:
        raise ValueError(f"--resolution {cfg.resolution} is not a multiple of the compression factor "
                         f"{model.config.compression}")
    if not Path(cfg.data).exists():  # before the run folder is made: no folder of a run that never started
        raise FileNotFoundError(f"--data {cfg.data}: no such file or folder")
    if cfg.phase > 1 and not cfg.init and main:
        print(f"warning: phase {cfg.phase} from random {cfg.preset} weights; normally --init is the "
              f"previous phase's output", file=sys.stderr)
    model.to(dist_info.device)
    trainer = Trainer(cfg, model, dist_info)
    world = dist_info.world_size
    if main:
        run_dir.mkdir(parents=True, exist_ok=True)
        print(trainer.selection.format())
        print(f"perceptual loss: {trainer.perceptual_name}; precision {trainer.precision}; "
              f"{world} process(es) x batch {cfg.batch_size} at {cfg.resolution}px on "
              f"{hardware_name(dist_info.device, world)}")
        (run_dir / "train_config.json").write_text(json.dumps(asdict(cfg), indent=2) + "\n")

    ckpt_path = run_dir / CHECKPOINT_FILE
    elapsed_before = 0.0
    if cfg.resume:
        if not ckpt_path.is_file():
            raise FileNotFoundError(f"--resume: no {CHECKPOINT_FILE} in {run_dir}")
        extra = load_checkpoint(trainer, ckpt_path)
        elapsed_before = float(extra.get("wall_seconds", 0.0))
        if main:
            print(f"resumed from {ckpt_path} at step {trainer.step_count}")
    elif ckpt_path.is_file() and main:
        print(f"warning: {ckpt_path} exists and will be overwritten (pass --resume to continue it)",
              file=sys.stderr)

    if cfg.data_on_device:
        from dcae.data import DeviceCrops

        crops = DeviceCrops(cfg.data, cfg.resolution, dist_info.device, max_short_side=cfg.max_short_side,
                            seed=cfg.seed)
        data_iter = (crops.batch(step, cfg.batch_size, dist_info.rank) for step in itertools.count(trainer.step_count))

        def fixed_batches(n: int, epoch: int) -> Iterator[torch.Tensor]:
            for i in range(0, n, cfg.batch_size):
                yield crops.batch(epoch + i, min(cfg.batch_size, n - i))
    else:
        dataset = EpochIndexed(build_dataset(cfg))
        workers = (cfg.num_workers if cfg.num_workers is not None
                   else min(8, max(0, (os.cpu_count() or 1) // world - 1)))
        loader = DataLoader(dataset, batch_sampler=StepBatchSampler(len(dataset), cfg.batch_size, dist_info.rank,
                                                                    world, cfg.seed, trainer.step_count),
                            num_workers=workers, pin_memory=dist_info.device.type == "cuda",
                            persistent_workers=workers > 0)
        data_iter = iter(loader)

        def fixed_batches(n: int, epoch: int) -> Iterator[torch.Tensor]:
            return _fixed_batches(dataset, n, cfg.batch_size, epoch)
    sample_inputs = next(fixed_batches(min(8, cfg.batch_size), _SAMPLE_EPOCH)) if main else None

    def wall_seconds() -> float:
        return elapsed_before + time.perf_counter() - t_start

    def extra_state() -> dict:
        return {"wall_seconds": wall_seconds()}

    log: list[dict] = []
    log_file = (run_dir / "log.jsonl").open("a" if cfg.resume else "w") if main else None
    bar = None
    if main and cfg.progress:
        from tqdm import tqdm

        bar = tqdm(total=cfg.steps, initial=trainer.step_count, unit="step", dynamic_ncols=True,
                   desc=f"phase {cfg.phase}")
    sums: dict[str, torch.Tensor] = {}
    n_since, t_since = 0, time.perf_counter()
    last_step = False
    while not last_step:
        x = next(data_iter)
        losses = trainer.step(x)
        step = trainer.step_count
        trainer.time_fraction = _time_fraction(cfg, t_start, dist_info)
        last_step = step >= cfg.steps or trainer.time_fraction > 1.0
        for k, v in losses.items():  # summed on the device: no host sync until a log step
            sums[k] = v if k == "lr" else sums.get(k, 0.0) + v.float()
        n_since += 1
        if bar is not None:
            bar.update(1)
        if step % cfg.log_every == 0 or last_step:
            means = {k: (v / n_since if k != "lr" else v) for k, v in sums.items()}
            if world > 1:  # average the logged losses over ranks
                keys = sorted(means)
                t = torch.stack([means[k].float() for k in keys]).to(dist_info.device)
                dist.all_reduce(t)
                means = {k: t[i] / world for i, k in enumerate(keys)}
            seconds = time.perf_counter() - t_since
            record = {"step": step, **{k: float(v) for k, v in means.items()},
                      "images_per_second": n_since * cfg.batch_size * world / seconds,
                      "wall_seconds": wall_seconds()}
            if dist_info.device.type == "cuda":
                record["max_memory_gib"] = torch.cuda.max_memory_allocated(dist_info.device) / 2**30
            log.append(record)
            if not math.isfinite(record["loss"]):
                hint = (" fp16 overflows in the DC-AE decoder (reference Sec. 7): use --precision bf16 or fp32."
                        if trainer.precision == "fp16" else "")
                raise FloatingPointError(f"non-finite loss at step {step} (precision {trainer.precision});"
                                         f"{hint} The last checkpoint in {run_dir} is intact.")
            if main:
                log_file.write(json.dumps(record) + "\n")
                log_file.flush()
                if bar is not None:
                    bar.set_postfix(loss=f"{record['loss']:.4f}", l1=f"{record['l1']:.4f}",
                                    img_s=f"{record['images_per_second']:.1f}")
            sums, n_since, t_since = {}, 0, time.perf_counter()
        if main and ((cfg.sample_every and step % cfg.sample_every == 0) or last_step):
            with torch.no_grad(), trainer.autocast():
                recon = trainer.ema(sample_inputs.to(dist_info.device)).float()
            save_sample_grid(sample_inputs, recon, run_dir / "samples" / f"step-{step:07d}.png")
        if cfg.checkpoint_every and step % cfg.checkpoint_every == 0 and not last_step and main:
            save_checkpoint(trainer, ckpt_path, extra_state())
    if bar is not None:
        bar.close()
    if log_file is not None:
        log_file.close()
    del data_iter

    ema = trainer.ema
    if world > 1:
        # DDP broadcasts rank 0's BatchNorm statistics at each forward, but each rank then updates
        # them from its own batch: average the final ones so that they reflect every rank's data.
        for buf in ema.buffers():
            if buf.is_floating_point():
                dist.all_reduce(buf)
                buf.div_(world)
    # The encoder only moves in phases 1 and 2; phase 3 keeps the latent contract of its input.
    scaling = {"value": ema.config.scaling_factor, "source": "inherited (encoder frozen)"}
    out = None
    if main:
        save_checkpoint(trainer, ckpt_path, extra_state())  # a longer --steps can --resume from here
        if cfg.phase in (1, 2) and cfg.scaling_crops > 0:
            factor, crops = estimate_scaling_factor(
                ema, fixed_batches(cfg.scaling_crops, _SCALING_EPOCH),
                dist_info.device, trainer.autocast)
            ema.config = ema.config.replace(scaling_factor=factor)
            scaling = {"value": factor, "source": f"1 / RMS of raw latents over {crops} training crops at "
                                                  f"{cfg.resolution}px"}
        history = list(init_training.get("history", []))
        if init_training:
            history.append({k: v for k, v in init_training.items() if k != "history"})
        metadata = {"training": {
            "phase": cfg.phase,
            "phases": [h.get("phase") for h in history] + [cfg.phase],
            "steps": trainer.step_count,
            "data": str(Path(cfg.data).resolve()),
            "resolution": cfg.resolution,
            "batch_size_per_process": cfg.batch_size,
            "world_size": world,
            "optimizer": {"name": "AdamW", "lr": cfg.lr, "weight_decay": cfg.weight_decay,
                          "betas": list(cfg.betas), "warmup_steps": cfg.warmup, "grad_clip": cfg.grad_clip,
                          "lr_decay": cfg.lr_decay, "min_lr_ratio": cfg.min_lr_ratio},
            "ema_decay": cfg.ema_decay,
            "perceptual_loss": trainer.perceptual_name,
            "perceptual_weight": cfg.perceptual_weight if trainer.perceptual is not None else 0.0,
            "gan": ({"loss": "hinge", "discriminator": f"PatchGAN n_layers={cfg.disc_layers} "
                     f"channels={cfg.disc_channels} norm={cfg.disc_norm}", "weight": cfg.disc_weight,
                     "adaptive_weight": True, "start_step": cfg.disc_start} if trainer.disc is not None else None),
            "trained_units": trainer.selection.trained,
            "frozen_units": trainer.selection.frozen,
            "scaling_factor": scaling,
            "precision": trainer.precision,
            "hardware": hardware_name(dist_info.device, world),
            "wall_seconds": round(wall_seconds(), 1),
            "start": cfg.init or cfg.preset,
            "residual_shortcuts": ema.config.residual_shortcuts,
            "stopped_by": "time limit" if trainer.step_count < cfg.steps else "steps",
            "command": cfg.command_line(),
            "history": history,
        }}
        out = save_pretrained(ema, cfg.out, metadata=metadata)
        print(f"wrote {out} (scaling factor {ema.config.scaling_factor:.4f}, {trainer.step_count} steps, "
              f"{wall_seconds():.0f} s)")
    if world > 1:
        dist.barrier()
    return TrainResult(out, ema, trainer.step_count, ema.config.scaling_factor, trainer.selection, log)


# ----------------------------------------------------------------------------------------------
# CLI


def register_cli(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "train-ae", help="train the autoencoder (one phase of decoupled high-resolution adaptation)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=__doc__.split("\n\n", 1)[1],
        epilog="examples:\n"
               "  dcae train-ae --phase 1 --preset dc-ae-f32c32-small --data data/wallpapers/train --run-dir runs/p1\n"
               "  dcae train-ae --phase 2 --init runs/p1/model --data data/wallpapers/train --run-dir runs/p2\n"
               "  dcae train-ae --phase 3 --init runs/p2/model --data data/wallpapers/train --run-dir runs/p3\n"
               "  torchrun --nproc_per_node 8 -m dcae.cli train-ae --phase 1 ... (DDP)")
    p.add_argument("--phase", type=int, choices=(1, 2, 3), required=True, help="training phase (see above)")
    p.add_argument("--data", required=True, help="folder of training images (searched recursively)")
    p.add_argument("--run-dir", required=True, help="checkpoint, log, samples go here")
    start = p.add_mutually_exclusive_group(required=True)
    start.add_argument("--preset", help="start from random weights of this preset (phase 1)")
    start.add_argument("--init", help="start from this checkpoint directory (the previous phase's output)")
    p.add_argument("--out", help="where the EMA weights are saved (default RUN_DIR/model)")
    p.add_argument("--resolution", type=int, help="crop side in pixels (default 256 / 1024 / 256 by phase)")
    p.add_argument("--batch-size", type=positive_int, default=8, help="images per process and step (default 8)")
    p.add_argument("--steps", type=positive_int, default=10_000, help="total optimiser steps of this phase (default 10000)")
    p.add_argument("--lr", type=float, help="AdamW lr (paper: 6.4e-5 / 1.6e-5 / 5.4e-5; small models on CPU "
                                            "train faster with ~1e-4..5e-4)")
    p.add_argument("--weight-decay", type=float, help="AdamW weight decay (default 0.1 / 1e-3 / 1e-2)")
    p.add_argument("--betas", type=float, nargs=2, metavar=("B1", "B2"),
                   help="AdamW betas (default 0.9 0.999 / 0.9 0.999 / 0.5 0.9)")
    p.add_argument("--warmup", type=int, help="linear lr warm-up steps (default min(500, steps/10))")
    p.add_argument("--lr-decay", choices=("constant", "cosine"), default="constant",
                   help="after warm-up: constant lr, or cosine decay to --min-lr-ratio x lr at --steps or at "
                        "the end of --time-limit, whichever comes first (default constant)")
    p.add_argument("--min-lr-ratio", type=float, default=0.1, help="cosine decay's final lr / lr (default 0.1)")
    p.add_argument("--grad-clip", type=float, default=0.0, help="max gradient norm (default 0: off)")
    p.add_argument("--ema-decay", type=float, default=0.9999,
                   help="EMA decay (ramped up as (1+t)/(10+t)); the EMA weights are what is saved")
    p.add_argument("--perceptual", choices=PERCEPTUAL_CHOICES, default="auto",
                   help="perceptual term: lpips (VGG16 LPIPS, needs local weights), ms-ssim-fft "
                        "((1 - MS-SSIM) + log-spectrum L1, no download), none; auto: lpips when its "
                        "weights are found, else ms-ssim-fft")
    p.add_argument("--perceptual-weight", type=float, default=1.0, help="weight of the perceptual term (default 1)")
    p.add_argument("--lpips-weights", help="directory with vgg16-397923af.pth and LPIPS' vgg.pth "
                                           "(default $DCAE_LPIPS_WEIGHTS)")
    p.add_argument("--adapt-stages", type=int, default=2,
                   help="phase 2: deepest encoder/decoder stages that train (default 2)")
    p.add_argument("--head-stages", type=int, default=2,
                   help="phase 3: shallowest decoder stages that train, with norm_out and project_out (default 2)")
    p.add_argument("--disc-weight", type=float, default=0.5,
                   help="phase 3: GAN weight on top of the adaptive one (0: no discriminator; the head "
                        "refines on the reconstruction losses alone)")
    p.add_argument("--disc-start", type=int, default=0, help="phase 3: step at which the GAN terms start")
    p.add_argument("--disc-channels", type=int, default=64, help="PatchGAN base width (default 64)")
    p.add_argument("--disc-layers", type=int, default=3, help="PatchGAN stride-2 layers (default 3: 70px patches)")
    p.add_argument("--disc-norm", choices=("group", "batch", "none"), default="group",
                   help="PatchGAN normalisation (default group; taming uses batch)")
    p.add_argument("--precision", choices=("bf16", "fp16", "fp32"),
                   help="autocast precision (default bf16 on CUDA, fp32 on CPU; bf16 is faster on CPUs with "
                        "AVX512-BF16 or AMX; fp16 uses loss scaling but trained DC-AE decoders overflow in it)")
    p.add_argument("--device", help="torch device (default cuda if available; torchrun: cuda:LOCAL_RANK)")
    p.add_argument("--seed", type=int, default=0, help="initial weights and data order (default 0)")
    p.add_argument("--num-workers", type=int, help="data loader processes per rank (default: CPUs per rank - 1, max 8)")
    p.add_argument("--max-short-side", type=int, help="treat larger images as downscaled to this short side")
    p.add_argument("--data-on-device", action="store_true",
                   help="decode the corpus once into the training device's memory and cut the crops there "
                        "(GPU: removes the JPEG-decoding bottleneck; needs the corpus to fit)")
    p.add_argument("--log-every", type=int, default=10, help="steps between log.jsonl records (default 10)")
    p.add_argument("--sample-every", type=int, default=500, help="steps between sample grids; 0: only at the end")
    p.add_argument("--checkpoint-every", type=int, default=1000, help="steps between checkpoints (default 1000)")
    p.add_argument("--scaling-crops", type=int, default=256,
                   help="training crops for the latent scaling factor (phases 1, 2; 0 keeps the old one)")
    p.add_argument("--torch-compile", action="store_true", help="torch.compile the autoencoder")
    p.add_argument("--channels-last", action="store_true",
                   help="NHWC memory format for weights and activations (faster convolutions on GPUs)")
    p.add_argument("--resume", action="store_true", help="continue from RUN_DIR/checkpoint.pt")
    p.add_argument("--no-progress", dest="progress", action="store_false", help="no progress bar")
    p.add_argument("--time-limit", type=float, default=0.0,
                   help="seconds; end the phase early when spent, saving as usual (default 0: no limit)")
    p.add_argument("--no-shortcuts", action="store_true",
                   help="ablation: train the preset without residual-autoencoding shortcuts (paper Sec. 3.2)")
    p.add_argument("--json", action="store_true", help="print a JSON summary at the end")
    p.set_defaults(func=cmd_train_ae)
    return p


def cmd_train_ae(args: argparse.Namespace) -> int:
    names = {f.name for f in TrainConfig.__dataclass_fields__.values()}
    cfg = TrainConfig(**{k: v for k, v in vars(args).items() if k in names})
    if cfg.betas is not None:
        cfg.betas = tuple(cfg.betas)
    result = train(cfg)
    if args.json and result.out is not None:
        last = result.log[-1] if result.log else {}
        print(json.dumps({"out": str(result.out), "steps": result.steps, "scaling_factor": result.scaling_factor,
                          "trained_parameters": result.selection.trained_total,
                          "final_loss": last.get("loss"), "images_per_second": last.get("images_per_second")},
                         indent=2))
    return 0
