"""The adaptive ODE sampler of efficientvit's USiT releases: the Dormand-Prince 5(4) pair with Hairer's initial
step selection and an RMS error norm, as torchdiffeq's `odeint(method="dopri5")` runs it (Hairer, Norsett and
Wanner, "Solving Ordinary Differential Equations I", II.4 and II.5), one image at a time.

The USiT probability-flow ODE runs forward in SiT's time: x_t = t x1 + (1 - t) eps, so t = 0 is pure noise and
t = 1 the data; the network predicts the velocity dx/dt = x1 - eps at model time t (raw, in [0, 1]). The
reference integrates from 0 to 1 with atol 1e-6 and rtol 1e-3 and reads the state at t = 1 from the last step's
dense output (its steps are not clipped to the end: the last may pass 1; its 250 output times change nothing).

Where the arithmetic sits matters for equality to float precision, so it follows the reference: times and the
step controller in float64; the stages, the error estimate and the dense output in the state's float32, with the
stage times rounded to float32 before the network sees them and the stages that sit at the step's end evaluated
one float32 step below it (torchdiffeq's `Perturb.PREV`). The reference measures the error over the whole batch,
so its images couple (one image's steps depend on the others'); `Dopri5` integrates one image, as a request's
images are integrated here, each on its own: at batch 1 the two are the same computation
(`tests/contract/test_ode_sampler.py`).

`Dopri5` is a state machine over single evaluations, so a serving loop can batch one evaluation of every image
(of every request) into one network call: `t, y = solver.request()`; `solver.tell(model(t, y))` until `done`.
"""

from __future__ import annotations

import numpy as np

F32 = np.float32
# The Dormand-Prince tableau (Dormand and Prince 1980): stage times, stage weights, the 5th-order solution
# (= the last stage's weights: first same as last), its difference from the embedded 4th-order one, and
# Shampine's weights for the state at the step's middle (the dense output's fifth point).
ALPHA = (1 / 5, 3 / 10, 4 / 5, 8 / 9, 1.0, 1.0)
BETA = ((1 / 5,),
        (3 / 40, 9 / 40),
        (44 / 45, -56 / 15, 32 / 9),
        (19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729),
        (9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656),
        (35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84))
C_ERROR = (35 / 384 - 1951 / 21600, 0.0, 500 / 1113 - 22642 / 50085, 125 / 192 - 451 / 720,
           -2187 / 6784 + 12231 / 42400, 11 / 84 - 649 / 6300, -1 / 60)
C_MID = tuple(c / 2 for c in (6025192743 / 30085553152, 0.0, 51252292925 / 65400821598, -2691868925 / 45128329728,
                              187940372067 / 1594534317056, -1776094331 / 19743644256, 11237099 / 235043384))
ORDER = 5
SAFETY, MAX_GROWTH, MAX_SHRINK = 0.9, 10.0, 0.2  # the step controller's bounds (torchdiffeq's defaults)
USIT_ATOL, USIT_RTOL = 1e-6, 1e-3  # efficientvit's `sample_ode(atol=1e-6, rtol=0.001)`


def _rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64))))


def _weighted(k: np.ndarray, weights, dt32: np.float32) -> np.ndarray:
    """sum_j k[..., j] * (w_j dt) in float32, summed in the order PyTorch's CPU kernel sums a last axis of up to
    7 (0, 4, 5, 6, then 1, 2, 3): the error estimate is a difference of near-equal terms, and another order moves
    its step-size choices by about 1 %."""
    coefs = np.asarray(weights, dtype=F32) * dt32
    n = len(coefs)
    total = k[..., 0] * coefs[0]
    for j in [*range(4, n), *range(1, min(n, 4))]:
        total = total + k[..., j] * coefs[j]
    return total


class Dopri5:
    """One image's integration of dy/dt = f(t, y) from t_start to t_end (float32 state, float64 time), one
    evaluation of f at a time. `evaluations` counts them: 2 to pick the first step, then 6 per step tried
    (the 7th stage of a step is the next step's first: FSAL). Starting at t_end, it is done with y0."""

    def __init__(self, y0: np.ndarray, t_start: float = 0.0, t_end: float = 1.0, atol: float = USIT_ATOL,
                 rtol: float = USIT_RTOL) -> None:
        if not t_start <= t_end:
            raise ValueError(f"the integration runs forward: t_start {t_start} must not pass t_end {t_end}")
        self.y = np.asarray(y0, dtype=F32)
        self.t, self.t_end, self.atol, self.rtol = float(t_start), float(t_end), float(atol), float(rtol)
        self.t_start = self.t
        self.f: np.ndarray | None = None  # f at (t, y)
        self.dt = 0.0
        self.evaluations, self.steps_accepted, self.steps_rejected = 0, 0, 0
        self.result: np.ndarray | None = self.y if self.t == self.t_end else None  # the state at t_end, once done
        self._phase = "start"  # start -> first_step -> stages
        self._h0 = 0.0
        self._k: np.ndarray | None = None  # (*y.shape, 7) the step's stages
        self._stage = 0
        self._next: tuple[np.float32, np.ndarray] = (F32(self.t), self.y)

    @property
    def done(self) -> bool:
        return self.result is not None

    @property
    def fraction(self) -> float:
        """How far the integration has come, in [0, 1] of its interval."""
        if self.done:
            return 1.0
        return min((self.t - self.t_start) / (self.t_end - self.t_start), 1.0)

    def request(self) -> tuple[np.float32, np.ndarray]:
        """The next evaluation's (model time in float32, state)."""
        if self.done:
            raise RuntimeError("the integration is done")
        return self._next

    def tell(self, f: np.ndarray) -> None:
        """f at the point `request()` gave."""
        f = np.asarray(f, dtype=F32)
        self.evaluations += 1
        if self._phase == "start":
            self.f = f
            self._first_trial(f)
        elif self._phase == "first_step":
            self.dt = self._first_step(f)
            self._begin_step()
        else:
            self._k[..., self._stage + 1] = f
            self._stage += 1
            if self._stage < len(ALPHA):
                self._next_stage()
            else:
                self._end_step()

    # -- the initial step (Hairer I, II.4: the derivative's scale, and one explicit Euler trial) --
    def _first_trial(self, f0: np.ndarray) -> None:
        self._scale = self.atol + np.abs(self.y).astype(np.float64) * self.rtol
        self._d0, self._d1 = _rms(self.y / self._scale), _rms(f0 / self._scale)
        # (a tiny state or slope: a float32 1e-6, as the reference makes it)
        h0 = float(F32(1e-6)) if self._d0 < 1e-5 or self._d1 < 1e-5 else 0.01 * self._d0 / self._d1
        self._h0 = h0
        self._phase = "first_step"
        self._next = (F32(self.t + h0), self.y + F32(h0) * f0)

    def _first_step(self, f1: np.ndarray) -> float:
        h0, d1 = self._h0, self._d1
        d2 = abs(_rms((f1 - self.f) / self._scale) / h0)
        if d1 <= 1e-15 and d2 <= 1e-15:
            h1 = max(1e-6, h0 * 1e-3)
        else:
            h1 = (0.01 / max(d1, d2)) ** (1.0 / ORDER)  # the error constant of the 4th-order embedded method
        return min(100 * h0, h1)

    # -- one Runge-Kutta step of 6 new stages --
    def _begin_step(self) -> None:
        self._phase = "stages"
        self._t1 = self.t + self.dt
        self._t0_32, self._dt32, self._t1_32 = F32(self.t), F32(self.dt), F32(self._t1)
        self._k = np.empty((*self.y.shape, len(ALPHA) + 1), dtype=F32)
        self._k[..., 0] = self.f
        self._stage = 0
        self._next_stage()

    def _next_stage(self) -> None:
        i = self._stage
        if ALPHA[i] == 1.0:  # at the step's end, evaluated one float32 step before it (the reference's PREV)
            t = np.nextafter(self._t1_32, self._t1_32 - F32(1))
        else:
            t = self._t0_32 + F32(ALPHA[i]) * self._dt32
        self._next = (F32(t), self.y + _weighted(self._k[..., :i + 1], BETA[i], self._dt32))

    def _end_step(self) -> None:
        k, y0 = self._k, self.y
        y1 = self._next[1]  # the last stage's state is the 5th-order solution (first same as last)
        error = _weighted(k, C_ERROR, self._dt32)
        tolerance = self.atol + self.rtol * np.maximum(np.abs(y0), np.abs(y1)).astype(np.float64)
        ratio = _rms(error / tolerance)
        if ratio <= 1:
            self.steps_accepted += 1
            t0 = self.t
            self.t, self.y, self.f = self._t1, y1, k[..., -1].copy()
            if self.t >= self.t_end:  # the state at t_end from the step's dense output
                self.result = self._dense_output(y0, y1, k, t0, self.t)
        else:
            self.steps_rejected += 1
        self.dt = self._next_dt(self.dt, ratio)
        if not self.done:
            self._begin_step()

    @staticmethod
    def _next_dt(dt: float, ratio: float) -> float:
        if ratio == 0:
            return dt * MAX_GROWTH
        shrink = 1.0 if ratio < 1 else MAX_SHRINK
        return dt * min(MAX_GROWTH, max(SAFETY / ratio ** (1.0 / ORDER), shrink))

    def _dense_output(self, y0: np.ndarray, y1: np.ndarray, k: np.ndarray, t0: float, t1: float) -> np.ndarray:
        """The quartic through y0, y1, the step's middle state and the end slopes, at t_end."""
        dt = self._dt32
        y_mid = y0 + _weighted(k, C_MID, dt)
        f0, f1 = k[..., 0], k[..., -1]
        coefs = (y0, dt * f0,
                 dt * (f1 - 4 * f0) - 11 * y0 - 5 * y1 + 16 * y_mid,
                 dt * (5 * f0 - 3 * f1) + 18 * y0 + 14 * y1 - 32 * y_mid,
                 2 * dt * (f1 - f0) - 8 * (y1 + y0) + 16 * y_mid)
        x = F32((self.t_end - t0) / (t1 - t0))
        total, power = coefs[0] + x * coefs[1], x
        for c in coefs[2:]:
            power = power * x
            total = total + power * c
        return total.astype(F32)
