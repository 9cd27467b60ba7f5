"""One optimisation step of the autoencoder (AdamW, mixed precision, perceptual and GAN losses, EMA),
and its resumable state."""

from __future__ import annotations

import copy
from contextlib import AbstractContextManager, nullcontext

import torch

from dcae.training.losses import (
    NLayerDiscriminator, adaptive_gan_weight, build_perceptual_loss, hinge_d_loss, hinge_g_loss, last_decoder_weight,
)
from dcae.models.dc_ae import DCAE, DCAEConfig
from dcae.training.config import TrainConfig
from dcae.training.distributed import DistInfo
from dcae.training.phases import apply_phase, PHASES, set_train_mode
from dcae.training.state import CHECKPOINT_VERSION, ema_decay_at, ema_update, lr_at_step, rng_state, set_rng_state


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
            "kind": "autoencoder",
            "phase": self.cfg.phase,
            "model_config": self.model.config.to_dict(),
            "step": self.step_count,
            "model": self.model.state_dict(),
            "ema": self.ema.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "scaler": self.scaler.state_dict(),
            "rng": rng_state(),
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
        set_rng_state(state["rng"])
