"""Diffusion objectives, noise schedules, classifier-free guidance and samplers.

Everything is written for the general Gaussian path x_t = alpha_t * x0 + sigma_t * eps:
  - "ddpm": variance preserving, alpha_t^2 = prod(1 - beta), linear betas 1e-4..0.02 over 1000 steps,
    the model predicts eps (and, with learned sigma, the log-variance interpolation of improved DDPM);
    the published DiT / DC-AE generators;
  - "flow": rectified flow, alpha_t = 1 - t, sigma_t = t, the model predicts v = eps - x0.
A `Schedule` is the list of (model timestep, alpha, sigma) a sampler visits, ending at the clean
image (alpha 1, sigma 0). Samplers are free functions with one signature (k-diffusion style):
    sampler(denoiser, x, schedule, generator=None, callback=None) -> x0
where `denoiser(x, i) -> Prediction` evaluates the model at step i.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, NamedTuple

import torch

ModelFn = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]  # (x_t, model timesteps (N,)) -> output


class Prediction(NamedTuple):
    x0: torch.Tensor
    eps: torch.Tensor
    var_frac: torch.Tensor | None  # learned-sigma output in [-1, 1] (ddpm only), else None


@dataclass(frozen=True)
class Schedule:
    timesteps: torch.Tensor  # (K,) model time inputs, one per model evaluation
    alphas: torch.Tensor  # (K + 1,) alpha at each visited noise level; the last is the clean end (1)
    sigmas: torch.Tensor  # (K + 1,); the last is 0

    def __len__(self) -> int:
        return len(self.timesteps)


# ----------------------------------------------------------------------------------------------
# Objectives


@dataclass(frozen=True)
class Objective:
    kind: str = "ddpm"  # "ddpm" | "flow"
    learn_sigma: bool = False  # ddpm: the model outputs 2C channels (eps, variance interpolation)
    num_timesteps: int = 1000
    beta_start: float = 1e-4
    beta_end: float = 0.02

    def __post_init__(self) -> None:
        if self.kind not in ("ddpm", "flow"):
            raise ValueError(f"unknown objective {self.kind!r}; expected 'ddpm' or 'flow'")

    # -- the forward process
    def alphas_cumprod(self) -> torch.Tensor:
        betas = torch.linspace(self.beta_start, self.beta_end, self.num_timesteps, dtype=torch.float64)
        return torch.cumprod(1 - betas, dim=0)

    def alpha_sigma(self, t: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """t: ddpm integer steps in [0, T); flow continuous in [0, 1]."""
        if self.kind == "ddpm":
            ab = self.alphas_cumprod().to(t.device)[t.long()]
            return ab.sqrt(), (1 - ab).sqrt()
        return 1 - t.double(), t.double()

    def model_time(self, t: torch.Tensor) -> torch.Tensor:
        """What the network's timestep embedding receives: ddpm step index; flow t scaled to [0, 1000]."""
        return t.float() if self.kind == "ddpm" else t.float() * 1000

    # -- reading a network output
    def predict(self, out: torch.Tensor, x: torch.Tensor, alpha: torch.Tensor, sigma: torch.Tensor) -> Prediction:
        c = x.shape[1]
        a, s = _bcast(alpha, x), _bcast(sigma, x)
        if self.kind == "ddpm":
            eps = out[:, :c]
            var_frac = out[:, c:] if self.learn_sigma else None
            return Prediction((x - s * eps) / a, eps, var_frac)
        v = out[:, :c]  # v = eps - x0 and x = (1 - t) x0 + t eps, with sigma = t
        return Prediction(x - s * v, x + (1 - s) * v, None)

    def schedule(self, steps: int, device: torch.device | str = "cpu") -> Schedule:
        """`steps` model evaluations, evenly spaced from pure noise to clean (ddpm: respaced over the
        1000 training steps as DiT's `space_timesteps`, first 999 and last 0)."""
        if steps < 1:
            raise ValueError("steps must be >= 1")
        if self.kind == "ddpm":
            stride = (self.num_timesteps - 1) / max(steps - 1, 1)
            t = torch.tensor(sorted({round(i * stride) for i in range(steps)}, reverse=True), dtype=torch.long)
            a, s = self.alpha_sigma(t)
        else:
            t = torch.linspace(1, 0, steps + 1, dtype=torch.float64)[:-1]
            a, s = self.alpha_sigma(t)
        alphas = torch.cat([a, torch.ones(1, dtype=torch.float64)])
        sigmas = torch.cat([s, torch.zeros(1, dtype=torch.float64)])
        return Schedule(self.model_time(t).to(device), alphas.to(device), sigmas.to(device))

    # -- training
    def training_loss(self, model_fn: ModelFn, x0: torch.Tensor, generator: torch.Generator | None = None) -> torch.Tensor:
        """Per-example loss: ddpm MSE on eps (+ the improved-DDPM variational bound term for learned
        sigma, with the mean's gradient stopped, as DiT trains); flow MSE on v."""
        n = x0.shape[0]
        eps = torch.randn(x0.shape, generator=generator, device=x0.device, dtype=x0.dtype)
        if self.kind == "ddpm":
            t = torch.randint(0, self.num_timesteps, (n,), generator=generator, device=x0.device)
        else:
            # Logit-normal t (SD3): more weight on the middle of the path, where learning is hardest.
            t = torch.sigmoid(torch.randn(n, generator=generator, device=x0.device, dtype=torch.float64))
        a, s = self.alpha_sigma(t)
        x_t = _bcast(a, x0) * x0 + _bcast(s, x0) * eps
        out = model_fn(x_t, self.model_time(t))
        c = x0.shape[1]
        if self.kind == "flow":
            return (out[:, :c] - (eps - x0)).square().mean(dim=(1, 2, 3))
        loss = (out[:, :c] - eps).square().mean(dim=(1, 2, 3))
        if self.learn_sigma:
            frozen = torch.cat([out[:, :c].detach(), out[:, c:]], dim=1)
            loss = loss + self._vlb_term(frozen, x0, x_t, t)
        return loss

    def _vlb_term(self, out: torch.Tensor, x0: torch.Tensor, x_t: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        """KL(q(x_{t-1}|x_t,x0) || p(x_{t-1}|x_t)) in bits per dim (t > 0); -log-likelihood at t = 0
        approximated by the Gaussian NLL (latents are continuous, unlike the 8-bit pixels of DDPM)."""
        ab = self.alphas_cumprod().to(x0.device)
        ab_prev = torch.cat([torch.ones(1, dtype=ab.dtype, device=ab.device), ab[:-1]])
        mean, var, logvar = _posterior(ab[t], ab_prev[t], x0, x_t)
        pred = self.predict(out, x_t, ab[t].sqrt(), (1 - ab[t]).sqrt())
        p_mean, _ = _posterior(ab[t], ab_prev[t], pred.x0, x_t)[:2]
        p_logvar = _learned_logvar(pred.var_frac, ab[t], ab_prev[t], logvar)
        kl = 0.5 * (-1.0 + p_logvar - logvar + torch.exp(logvar - p_logvar) + (mean - p_mean) ** 2 * torch.exp(-p_logvar))
        nll = 0.5 * (math.log(2 * math.pi) + p_logvar + (x0 - p_mean) ** 2 * torch.exp(-p_logvar))
        per = torch.where((t == 0).view(-1, 1, 1, 1), nll, kl).mean(dim=(1, 2, 3)) / math.log(2.0)
        return per.float()


def _bcast(v: torch.Tensor, like: torch.Tensor) -> torch.Tensor:
    return v.reshape(-1, *([1] * (like.dim() - 1))).to(like.dtype)


def _posterior(ab_t, ab_prev, x0, x_t):
    """q(x_prev | x_t, x0) between two noise levels of a VP process: mean, variance, log-variance."""
    beta = 1 - ab_t / ab_prev
    c0 = _bcast(ab_prev.sqrt() * beta / (1 - ab_t), x0)
    ct = _bcast((1 - beta).sqrt() * (1 - ab_prev) / (1 - ab_t), x0)
    var = beta * (1 - ab_prev) / (1 - ab_t)
    logvar = torch.log(torch.clamp(torch.where(var > 0, var, beta), min=1e-20))  # t=0: use beta (DDPM's clip)
    return c0 * x0 + ct * x_t, _bcast(var, x0), _bcast(logvar, x0)


def _learned_logvar(var_frac, ab_t, ab_prev, min_logvar):
    """Improved DDPM: interpolate log variance between beta_tilde (min) and beta (max)."""
    max_logvar = _bcast(torch.log(1 - ab_t / ab_prev), min_logvar)
    if var_frac is None:
        return min_logvar.expand_as(min_logvar)
    frac = (var_frac + 1) / 2
    return frac * max_logvar + (1 - frac) * min_logvar


# ----------------------------------------------------------------------------------------------
# Denoisers and guidance


def make_denoiser(model_fn: ModelFn, objective: Objective, schedule: Schedule) -> Callable[[torch.Tensor, int], Prediction]:
    """Bind a network to a schedule: denoiser(x, i) evaluates it at the schedule's step i."""
    def denoiser(x: torch.Tensor, i: int) -> Prediction:
        t = schedule.timesteps[i].expand(x.shape[0])
        out = model_fn(x, t)
        a, s = schedule.alphas[i].expand(x.shape[0]), schedule.sigmas[i].expand(x.shape[0])
        p = objective.predict(out.float(), x.float(), a, s)
        return Prediction(p.x0.to(x.dtype), p.eps.to(x.dtype), p.var_frac)

    return denoiser


def classifier_free_guidance(cond_fn: ModelFn, uncond_fn: ModelFn | None, scale: float,
                             latent_channels: int, batched: ModelFn | None = None) -> ModelFn:
    """out = uncond + scale * (cond - uncond) on *all* latent channels (DiT's reference guides only
    3 of 4); learned-variance channels are taken from the conditional half. `batched(x2, t2)`, when
    given, runs cond and uncond as one batch of 2N (first half conditional) — one network call."""
    if scale == 1.0:
        return cond_fn

    def guided(x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        if batched is not None:
            cond, uncond = batched(torch.cat([x, x]), torch.cat([t, t])).chunk(2)
        else:
            cond, uncond = cond_fn(x, t), uncond_fn(x, t)
        c = latent_channels
        mixed = uncond[:, :c] + scale * (cond[:, :c] - uncond[:, :c])
        return torch.cat([mixed, cond[:, c:]], dim=1)

    return guided


# ----------------------------------------------------------------------------------------------
# Samplers: sampler(denoiser, x, schedule, generator=None, callback=None) -> x0


Callback = Callable[[int, int, Prediction], None]  # (step, total, prediction)


def _noise(x: torch.Tensor, generator: torch.Generator | None) -> torch.Tensor:
    return torch.randn(x.shape, generator=generator, device=x.device, dtype=x.dtype)


def _call(callback: Callback | None, i: int, n: int, p: Prediction) -> None:
    if callback is not None:
        callback(i, n, p)


@torch.no_grad()
def sample_ddim(denoiser, x, schedule: Schedule, generator=None, callback=None) -> torch.Tensor:
    """DDIM (eta = 0): x_next = alpha_next * x0_hat + sigma_next * eps_hat. Deterministic."""
    for i in range(len(schedule)):
        p = denoiser(x, i)
        _call(callback, i, len(schedule), p)
        x = schedule.alphas[i + 1].to(x.dtype) * p.x0 + schedule.sigmas[i + 1].to(x.dtype) * p.eps
    return x


@torch.no_grad()
def sample_euler(denoiser, x, schedule: Schedule, generator=None, callback=None) -> torch.Tensor:
    """Euler on the rectified-flow ODE dx/dt = v = eps - x0 (flow objectives: alpha + sigma = 1)."""
    if not torch.allclose(schedule.alphas + schedule.sigmas, torch.ones_like(schedule.alphas)):
        raise ValueError("the euler sampler is for flow-matching models; use ddim, dpmpp_2m or ddpm")
    for i in range(len(schedule)):
        p = denoiser(x, i)
        _call(callback, i, len(schedule), p)
        x = x + (schedule.sigmas[i + 1] - schedule.sigmas[i]).to(x.dtype) * (p.eps - p.x0)
    return x


@torch.no_grad()
def sample_dpmpp_2m(denoiser, x, schedule: Schedule, generator=None, callback=None) -> torch.Tensor:
    """DPM-Solver++(2M) (Lu et al. 2022, multistep, data prediction) in lambda = log(alpha / sigma)."""
    a, s = schedule.alphas, schedule.sigmas
    lam = torch.log(a) - torch.log(s)  # -inf at pure flow noise, +inf at the clean end
    prev_x0, prev_h = None, None
    for i in range(len(schedule)):
        p = denoiser(x, i)
        _call(callback, i, len(schedule), p)
        if s[i + 1] == 0:  # last step: the clean end is the data prediction itself
            x = p.x0
            break
        h = lam[i + 1] - lam[i]
        d = p.x0
        if prev_x0 is not None and torch.isfinite(prev_h) and torch.isfinite(h):
            r = prev_h / h
            d = (1 + 1 / (2 * r)).to(x.dtype) * p.x0 - (1 / (2 * r)).to(x.dtype) * prev_x0
        # x_next = (sigma_next / sigma) x - alpha_next (exp(-h) - 1) D, with exp(-h) written as a ratio
        # so that alpha = 0 (pure noise on a flow path) needs no infinities.
        exp_neg_h = (a[i] * s[i + 1]) / (s[i] * a[i + 1])
        x = (s[i + 1] / s[i]).to(x.dtype) * x - (a[i + 1] * (exp_neg_h - 1)).to(x.dtype) * d
        prev_x0, prev_h = p.x0, h
    return x


@torch.no_grad()
def sample_ddpm(denoiser, x, schedule: Schedule, generator=None, callback=None) -> torch.Tensor:
    """Ancestral DDPM over a respaced schedule (DiT's sampler: 250 steps, learned variance when the
    model has it, else the posterior variance; no noise on the last step)."""
    ab = schedule.alphas.square()
    if not torch.allclose(ab + schedule.sigmas.square(), torch.ones_like(ab)):
        raise ValueError("the ddpm sampler needs a variance-preserving (ddpm) model; use euler or dpmpp_2m")
    for i in range(len(schedule)):
        p = denoiser(x, i)
        _call(callback, i, len(schedule), p)
        ab_t, ab_prev = ab[i : i + 1], ab[i + 1 : i + 2]
        mean, _, min_logvar = _posterior(ab_t, ab_prev, p.x0.double(), x.double())
        logvar = _learned_logvar(None if p.var_frac is None else p.var_frac.double(), ab_t, ab_prev, min_logvar)
        x = mean.to(x.dtype)
        if i < len(schedule) - 1:
            x = x + torch.exp(0.5 * logvar).to(x.dtype) * _noise(x, generator)
    return x


SAMPLERS = {"ddpm": sample_ddpm, "ddim": sample_ddim, "dpmpp_2m": sample_dpmpp_2m, "euler": sample_euler}


def get_sampler(name: str):
    if name not in SAMPLERS:
        raise KeyError(f"unknown sampler {name!r}; known: {', '.join(SAMPLERS)}")
    return SAMPLERS[name]
