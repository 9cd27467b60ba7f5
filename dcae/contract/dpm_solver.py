"""DPM-Solver++ "fast" (Lu et al. 2022) as efficientvit samples its U-ViT releases: singlestep updates of orders
3, ..., 3, then 2 and/or 1 so that `steps` model evaluations are spent in all, on a grid uniform in continuous time
from 1 to 1/N, data prediction (x0), over the discrete noise schedule read as DPM-Solver reads it (log alpha
interpolated linearly between the N training levels, at t = 1/N ... 1). An evaluation at t sits at level t x N
counted from 1 (fractional); the model's time is that level's 0-based index plus the objective's time_offset, so
t x N for U-ViT (trained on the levels 1 ... N) and t x N - 1 for a DiT. The result is the state at t = 1/N, as the reference
returns it (not a final denoising).

`FastPlan` lists the evaluations: for each, its model time, and how its input is made from the update's start
state and the earlier evaluations' x0 (singlestep: the intermediate points have their own inputs). The contract's
`SamplerState` (sampler "dpmpp_fast") walks it one evaluation at a time, like every other sampler. Equal to
efficientvit's DPM_Solver(predict_x0=True).sample(method="fast") to float precision:
`tests/contract/test_dpm_solver_fast.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np


class DiscreteVP:
    """The discrete schedule (N levels of alphas_cumprod) in continuous time: log alpha at t = (k + 1) / N is
    level k's, linear in between and extended linearly beyond the ends; lambda = log(alpha / sigma)."""

    def __init__(self, alphas_cumprod: np.ndarray) -> None:
        self.n = len(alphas_cumprod)
        self.t = np.linspace(1.0 / self.n, 1.0, self.n)
        self.log_alpha = 0.5 * np.log(alphas_cumprod)

    def log_alpha_at(self, t: float) -> float:
        return _extrapolating_interp(t, self.t, self.log_alpha)

    def alpha(self, t: float) -> float:
        return float(np.exp(self.log_alpha_at(t)))

    def sigma(self, t: float) -> float:
        return float(np.sqrt(1.0 - np.exp(2.0 * self.log_alpha_at(t))))

    def lam(self, t: float) -> float:
        la = self.log_alpha_at(t)
        return la - 0.5 * np.log(1.0 - np.exp(2.0 * la))

    def inverse_lam(self, lam: float) -> float:
        log_alpha = -0.5 * np.logaddexp(0.0, -2.0 * lam)
        return _extrapolating_interp(log_alpha, self.log_alpha[::-1], self.t[::-1])


def _extrapolating_interp(x: float, xp: np.ndarray, fp: np.ndarray) -> float:
    """Piecewise-linear through (xp, fp), xp increasing, the outer segments extended (DPM-Solver's interpolate_fn)."""
    i = int(np.clip(np.searchsorted(xp, x) - 1, 0, len(xp) - 2))
    return float(fp[i] + (x - xp[i]) * (fp[i + 1] - fp[i]) / (xp[i + 1] - xp[i]))


def fast_orders(steps: int) -> list[int]:
    """The orders of the updates that spend `steps` evaluations: 3s, then [2, 1], [1] or [2] by steps mod 3."""
    if steps < 1:
        raise ValueError("steps must be >= 1")
    k = steps // 3 + 1
    tail = {0: [2, 1], 1: [1], 2: [2]}[steps % 3]
    return [3] * (k - len(tail)) + tail


@dataclass(frozen=True)
class Update:
    """One singlestep update from time s to t of `order` evaluations at s, s1, s2 (r1, r2: their place in lambda)."""

    order: int
    s: float
    t: float
    h: float
    r1: float | None
    r2: float | None
    times: tuple[float, ...]  # the evaluation times: s, s1, s2 (as many as the order)


@dataclass(frozen=True)
class FastPlan:
    schedule: DiscreteVP
    updates: tuple[Update, ...]

    @classmethod
    def make(cls, alphas_cumprod: np.ndarray, steps: int) -> FastPlan:
        vp = DiscreteVP(alphas_cumprod)
        grid = np.linspace(1.0, 1.0 / vp.n, steps + 1)
        updates, i = [], 0
        for order in fast_orders(steps):
            s, t = grid[i], grid[i + order]
            lam_s = vp.lam(s)
            h = vp.lam(t) - lam_s
            r1 = (vp.lam(grid[i + 1]) - lam_s) / h if order >= 2 else None
            r2 = (vp.lam(grid[i + 2]) - lam_s) / h if order >= 3 else None
            times = (s,) + tuple(vp.inverse_lam(lam_s + r * h) for r in (r1, r2)[: order - 1])
            updates.append(Update(order, s, t, h, r1, r2, times))
            i += order
        return cls(vp, tuple(updates))

    @cached_property
    def evaluations(self) -> tuple[tuple[int, int], ...]:
        """(update index, evaluation index within it) of each model call, in order."""
        return tuple((u, j) for u, update in enumerate(self.updates) for j in range(update.order))

    def model_times(self) -> np.ndarray:
        """Each evaluation's t x N: the level it sits at, counted from 1 (fractional)."""
        return np.array([t * self.schedule.n for update in self.updates for t in update.times])

    def eval_input(self, update: Update, j: int, x: np.ndarray, x0s: list[np.ndarray]) -> np.ndarray:
        """The input of evaluation j of `update` from its start state x and the x0 of evaluations 0 ... j - 1."""
        if j == 0:
            return x
        vp, s = self.schedule, update.s
        at = update.times[j]
        ratio, alpha = vp.sigma(at) / vp.sigma(s), vp.alpha(at)
        r = update.r1 if j == 1 else update.r2
        phi = np.expm1(-r * update.h)
        out = ratio * x - alpha * phi * x0s[0]
        if j == 2:
            phi_22 = np.expm1(-update.r2 * update.h) / (update.r2 * update.h) + 1.0
            out = out + (update.r2 / update.r1) * alpha * phi_22 * (x0s[1] - x0s[0])
        return out

    def x0(self, update: Update, j: int, x_in: np.ndarray, eps: np.ndarray) -> np.ndarray:
        at = update.times[j]
        return (x_in - self.schedule.sigma(at) * eps) / self.schedule.alpha(at)

    def finish(self, update: Update, x: np.ndarray, x0s: list[np.ndarray]) -> np.ndarray:
        """The state at the update's end time t (DPM-Solver++ of the update's order; "dpm_solver" form)."""
        vp = self.schedule
        ratio, alpha, h = vp.sigma(update.t) / vp.sigma(update.s), vp.alpha(update.t), update.h
        phi_1 = np.expm1(-h)
        out = ratio * x - alpha * phi_1 * x0s[0]
        if update.order == 2:
            out = out - (0.5 / update.r1) * alpha * phi_1 * (x0s[1] - x0s[0])
        elif update.order == 3:
            phi_2 = phi_1 / h + 1.0
            out = out + (1.0 / update.r2) * alpha * phi_2 * (x0s[2] - x0s[0])
        return out
