"""What training adds to the contract's diffusion objectives (`dcae.contract.sampling`, numpy: the
schedules, the network's prediction, the samplers and guidance that every runtime samples with):
the forward process and the loss, in torch.

Paths are x_t = alpha_t * x0 + sigma_t * eps:
  - "ddpm": variance preserving, alpha_t^2 = prod(1 - beta), linear betas 1e-4..0.02 over 1000 steps,
    the model predicts eps (and, with learned sigma, the log-variance interpolation of improved DDPM);
    the published DiT / DC-AE generators;
  - "flow": rectified flow, alpha_t = 1 - t, sigma_t = t, the model predicts v = eps - x0.
"""

from __future__ import annotations

import math
from typing import Callable

import torch

from dcae.contract import sampling

ModelFn = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]  # (x_t, model timesteps (N,)) -> output


class Objective(sampling.Objective):
    """The contract's `Objective` (fields, `schedule`, `predict`) and, in torch, its forward process
    and training loss."""

    def alpha_sigma(self, t: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """t: ddpm integer steps in [0, T); flow continuous in [0, 1]."""
        if self.kind == "ddpm":
            ab = torch.from_numpy(self.alphas_cumprod()).to(t.device)[t.long()]
            return ab.sqrt(), (1 - ab).sqrt()
        return 1 - t.double(), t.double()

    def model_time(self, t: torch.Tensor) -> torch.Tensor:
        """What the network's timestep embedding receives: ddpm step index; flow t scaled to [0, 1000]."""
        return t.float() if self.kind == "ddpm" else t.float() * 1000

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
        ab = torch.from_numpy(self.alphas_cumprod()).to(x0.device)
        ab_prev = torch.cat([torch.ones(1, dtype=ab.dtype, device=ab.device), ab[:-1]])
        mean, var, logvar = _posterior(ab[t], ab_prev[t], x0, x_t)
        x0_pred, _, var_frac = self.predict(out, x_t, _bcast(ab[t].sqrt(), x_t), _bcast((1 - ab[t]).sqrt(), x_t))
        p_mean, _ = _posterior(ab[t], ab_prev[t], x0_pred, x_t)[:2]
        p_logvar = _learned_logvar(var_frac, ab[t], ab_prev[t], logvar)
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
