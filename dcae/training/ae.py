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
import itertools
import json
import math
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch
import torch.distributed as dist
from PIL import Image
from torch.utils.data import DataLoader

from dcae.argtypes import positive_int
from dcae.checkpoint import load_pretrained, read_config, save_pretrained
from dcae.data.datasets import loader_workers
from dcae.data.tensors import to_uint8
from dcae.training.losses import PERCEPTUAL_CHOICES
from dcae.models.dc_ae import DCAE, create_model, get_config
from dcae.training.config import TrainConfig
from dcae.training.data_order import build_dataset, EpochIndexed, StepBatchSampler
from dcae.training.distributed import DistInfo, hardware_name, init_distributed
from dcae.training.phases import PhaseSelection
from dcae.training.state import CHECKPOINT_FILE, load_checkpoint, save_checkpoint
from dcae.training.trainer import Trainer


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
    run = _Run(cfg, dist_info)
    run.start()
    log = run.steps()
    out = run.finish()
    if dist_info.world_size > 1:
        dist.barrier()
    ema = run.trainer.ema
    return TrainResult(out, ema, run.trainer.step_count, ema.config.scaling_factor, run.trainer.selection, log)


class _Run:
    """One phase on one rank: start (or resume), the step loop with its logs, samples and checkpoints,
    then the outputs (rank 0 writes)."""

    def __init__(self, cfg: TrainConfig, dist_info: DistInfo) -> None:
        self.cfg, self.dist_info, self.main = cfg, dist_info, dist_info.is_main
        self.t_start = time.perf_counter()
        self.run_dir = Path(cfg.run_dir)
        self.ckpt_path = self.run_dir / CHECKPOINT_FILE
        self.elapsed_before = 0.0

    def wall_seconds(self) -> float:
        return self.elapsed_before + time.perf_counter() - self.t_start

    def save_state(self) -> None:
        save_checkpoint(self.trainer.state_dict(), self.ckpt_path, {"wall_seconds": self.wall_seconds()})

    # -- start

    def start(self) -> None:
        cfg, dist_info = self.cfg, self.dist_info
        torch.manual_seed(cfg.seed)  # identical initial weights on every rank
        model, self.init_training = _load_start_model(cfg)
        if model.config.compression and cfg.resolution % model.config.compression:
            raise ValueError(f"--resolution {cfg.resolution} is not a multiple of the compression factor "
                             f"{model.config.compression}")
        if not Path(cfg.data).exists():  # before the run folder is made: no folder of a run that never started
            raise FileNotFoundError(f"--data {cfg.data}: no such file or folder")
        if cfg.phase > 1 and not cfg.init and self.main:
            print(f"warning: phase {cfg.phase} from random {cfg.preset} weights; normally --init is the "
                  f"previous phase's output", file=sys.stderr)
        model.to(dist_info.device)
        self.trainer = Trainer(cfg, model, dist_info)
        if self.main:
            self.run_dir.mkdir(parents=True, exist_ok=True)
            print(self.trainer.selection.format())
            print(f"perceptual loss: {self.trainer.perceptual_name}; precision {self.trainer.precision}; "
                  f"{dist_info.world_size} process(es) x batch {cfg.batch_size} at {cfg.resolution}px on "
                  f"{hardware_name(dist_info.device, dist_info.world_size)}")
            (self.run_dir / "train_config.json").write_text(json.dumps(asdict(cfg), indent=2) + "\n")
        self.resume()
        self.data_iter, self.fixed_batches = _batch_source(cfg, self.trainer.step_count, dist_info)
        self.sample_inputs = next(self.fixed_batches(min(8, cfg.batch_size), _SAMPLE_EPOCH)) if self.main else None

    def resume(self) -> None:
        if self.cfg.resume:
            if not self.ckpt_path.is_file():
                raise FileNotFoundError(f"--resume: no {CHECKPOINT_FILE} in {self.run_dir}")
            state = load_checkpoint(self.ckpt_path)
            self.trainer.load_state_dict(state)
            self.elapsed_before = float(state["extra"].get("wall_seconds", 0.0))
            if self.main:
                print(f"resumed from {self.ckpt_path} at step {self.trainer.step_count}")
        elif self.ckpt_path.is_file() and self.main:
            print(f"warning: {self.ckpt_path} exists and will be overwritten (pass --resume to continue it)",
                  file=sys.stderr)

    # -- the loop

    def steps(self) -> list[dict]:
        cfg, trainer = self.cfg, self.trainer
        log: list[dict] = []
        log_file = (self.run_dir / "log.jsonl").open("a" if cfg.resume else "w") if self.main else None
        bar = None
        if self.main and cfg.progress:
            from tqdm import tqdm

            bar = tqdm(total=cfg.steps, initial=trainer.step_count, unit="step", dynamic_ncols=True,
                       desc=f"phase {cfg.phase}")
        sums: dict[str, torch.Tensor] = {}
        n_since, t_since = 0, time.perf_counter()
        last_step = False
        while not last_step:
            losses = trainer.step(next(self.data_iter))
            step = trainer.step_count
            trainer.time_fraction = _time_fraction(cfg, self.t_start, self.dist_info)
            last_step = step >= cfg.steps or trainer.time_fraction > 1.0
            for k, v in losses.items():  # summed on the device: no host sync until a log step
                sums[k] = v if k == "lr" else sums.get(k, 0.0) + v.float()
            n_since += 1
            if bar is not None:
                bar.update(1)
            if step % cfg.log_every == 0 or last_step:
                record = self.log_record(step, sums, n_since, time.perf_counter() - t_since)
                log.append(record)
                if log_file is not None:
                    log_file.write(json.dumps(record) + "\n")
                    log_file.flush()
                if bar is not None:
                    bar.set_postfix(loss=f"{record['loss']:.4f}", l1=f"{record['l1']:.4f}",
                                    img_s=f"{record['images_per_second']:.1f}")
                sums, n_since, t_since = {}, 0, time.perf_counter()
            if self.main and ((cfg.sample_every and step % cfg.sample_every == 0) or last_step):
                self.save_samples(step)
            if cfg.checkpoint_every and step % cfg.checkpoint_every == 0 and not last_step and self.main:
                self.save_state()
        if bar is not None:
            bar.close()
        if log_file is not None:
            log_file.close()
        del self.data_iter
        return log

    def log_record(self, step: int, sums: dict[str, torch.Tensor], n_steps: int, seconds: float) -> dict:
        """The mean losses since the last record (averaged over ranks), throughput and memory; a
        non-finite loss stops the run, its last checkpoint intact."""
        world, device = self.dist_info.world_size, self.dist_info.device
        means = {k: (v / n_steps if k != "lr" else v) for k, v in sums.items()}
        if world > 1:  # average the logged losses over ranks
            keys = sorted(means)
            t = torch.stack([means[k].float() for k in keys]).to(device)
            dist.all_reduce(t)
            means = {k: t[i] / world for i, k in enumerate(keys)}
        record = {"step": step, **{k: float(v) for k, v in means.items()},
                  "images_per_second": n_steps * self.cfg.batch_size * world / seconds,
                  "wall_seconds": self.wall_seconds()}
        if device.type == "cuda":
            record["max_memory_gib"] = torch.cuda.max_memory_allocated(device) / 2**30
        if not math.isfinite(record["loss"]):
            precision = self.trainer.precision
            hint = (" fp16 overflows in the DC-AE decoder (reference Sec. 7): use --precision bf16 or fp32."
                    if precision == "fp16" else "")
            raise FloatingPointError(f"non-finite loss at step {step} (precision {precision});{hint} The last "
                                     f"checkpoint in {self.run_dir} is intact.")
        return record

    def save_samples(self, step: int) -> None:
        with torch.no_grad(), self.trainer.autocast():
            recon = self.trainer.ema(self.sample_inputs.to(self.dist_info.device)).float()
        save_sample_grid(self.sample_inputs, recon, self.run_dir / "samples" / f"step-{step:07d}.png")

    # -- outputs

    def finish(self) -> Path | None:
        """The EMA weights with their scaling factor and training metadata (rank 0); -> where written."""
        cfg, trainer, world = self.cfg, self.trainer, self.dist_info.world_size
        ema = trainer.ema
        if world > 1:
            # DDP broadcasts rank 0's BatchNorm statistics at each forward, but each rank then updates
            # them from its own batch: average the final ones so that they reflect every rank's data.
            for buf in ema.buffers():
                if buf.is_floating_point():
                    dist.all_reduce(buf)
                    buf.div_(world)
        if not self.main:
            return None
        self.save_state()  # a longer --steps can --resume from here
        # The encoder only moves in phases 1 and 2; phase 3 keeps the latent contract of its input.
        scaling = {"value": ema.config.scaling_factor, "source": "inherited (encoder frozen)"}
        if cfg.phase in (1, 2) and cfg.scaling_crops > 0:
            factor, crops = estimate_scaling_factor(ema, self.fixed_batches(cfg.scaling_crops, _SCALING_EPOCH),
                                                    self.dist_info.device, trainer.autocast)
            ema.config = ema.config.replace(scaling_factor=factor)
            scaling = {"value": factor, "source": f"1 / RMS of raw latents over {crops} training crops at "
                                                  f"{cfg.resolution}px"}
        out = save_pretrained(ema, cfg.out, metadata={"training": self.training_metadata(scaling)})
        print(f"wrote {out} (scaling factor {ema.config.scaling_factor:.4f}, {trainer.step_count} steps, "
              f"{self.wall_seconds():.0f} s)")
        return out

    def training_metadata(self, scaling: dict) -> dict:
        """How the weights were made, for the checkpoint's config.json (and the model card)."""
        cfg, trainer, world = self.cfg, self.trainer, self.dist_info.world_size
        history = list(self.init_training.get("history", []))
        if self.init_training:
            history.append({k: v for k, v in self.init_training.items() if k != "history"})
        gan = ({"loss": "hinge", "discriminator": f"PatchGAN n_layers={cfg.disc_layers} channels={cfg.disc_channels} "
                f"norm={cfg.disc_norm}", "weight": cfg.disc_weight, "adaptive_weight": True,
                "start_step": cfg.disc_start} if trainer.disc is not None else None)
        return {
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
            "gan": gan,
            "trained_units": trainer.selection.trained,
            "frozen_units": trainer.selection.frozen,
            "scaling_factor": scaling,
            "precision": trainer.precision,
            "hardware": hardware_name(self.dist_info.device, world),
            "wall_seconds": round(self.wall_seconds(), 1),
            "start": cfg.init or cfg.preset,
            "residual_shortcuts": trainer.ema.config.residual_shortcuts,
            "stopped_by": "time limit" if trainer.step_count < cfg.steps else "steps",
            "command": cfg.command_line(),
            "history": history,
        }


def _batch_source(cfg: TrainConfig, start_step: int, dist_info: DistInfo
                  ) -> tuple[Iterator[torch.Tensor], Callable[[int, int], Iterator[torch.Tensor]]]:
    """The training batches from `start_step` on (this rank's), and `fixed_batches(n, epoch)`: n crops of
    a reserved epoch (the sample grid, the scaling-factor estimate), the same on every run."""
    if cfg.data_on_device:
        from dcae.data.datasets import DeviceCrops

        crops = DeviceCrops(cfg.data, cfg.resolution, dist_info.device, max_short_side=cfg.max_short_side,
                            seed=cfg.seed)

        def fixed_device_batches(n: int, epoch: int) -> Iterator[torch.Tensor]:
            for i in range(0, n, cfg.batch_size):
                yield crops.batch(epoch + i, min(cfg.batch_size, n - i))

        return ((crops.batch(step, cfg.batch_size, dist_info.rank) for step in itertools.count(start_step)),
                fixed_device_batches)
    dataset = EpochIndexed(build_dataset(cfg))
    world = dist_info.world_size
    workers = loader_workers(cfg.num_workers, world)
    loader = DataLoader(dataset, batch_sampler=StepBatchSampler(len(dataset), cfg.batch_size, dist_info.rank, world,
                                                                cfg.seed, start_step),
                        pin_memory=dist_info.device.type == "cuda", persistent_workers=workers["num_workers"] > 0, **workers)
    return iter(loader), lambda n, epoch: _fixed_batches(dataset, n, cfg.batch_size, epoch)


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
