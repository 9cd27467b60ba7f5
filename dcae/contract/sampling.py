"""Noise schedules, objectives, guidance and samplers in numpy: the one implementation the gateway,
Triton's generate model and the ML core's generation share.

Samplers are one step function, so that a caller runs one model evaluation per step (and can batch
those evaluations across concurrent requests); noise comes in from the caller:

    state = SamplerState.start(sampler, objective, steps, noise, rng)
    for i in range(steps):
        out = model(state.x, state.timestep(i), conditioning)   # any runtime
        state.step(i, out)
    latent = state.x

Paths are x_t = alpha_t x0 + sigma_t eps: "ddpm" (variance preserving, eps prediction, optional learned
variance), "flow" (alpha = 1 - t, sigma = t, v = eps - x0 prediction) and "trigflow" (SANA-Sprint's sCM:
alpha = cos theta, sigma = sin theta, in units of the data's deviation sigma_d, which cancels: the state here is
the pipeline's divided by sigma_d; its only sampler, "scm", draws fresh noise after every step but the last),
and "linear" (SiT's: x_t = t x0 + (1 - t) eps, time running from noise at 0 to data at 1, velocity x0 - eps
prediction at the raw model time t; efficientvit's USiT releases).
"dpmpp_fast" is efficientvit's DPM-Solver++ for its U-ViT releases (`dpm_solver.FastPlan`); "dopri5" the adaptive
ODE solver of its USiT releases (`ode.Dopri5`): the number of evaluations is not known in advance, so a caller loops
`while not state.done` (or `for i in GuidedDenoising.steps`), `steps` caps the evaluations of each image, and each
image of a batch is integrated on its own (`active`: the images still integrating, the rows of the next call).
`dcae/training/objective.py` adds what training needs in torch (the forward process and the loss) to the same
`Objective`.
`tests/contract/test_samplers_reference.py` holds the samplers equal to diffusers' schedulers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .dpm_solver import FastPlan
from .ode import F32, Dopri5

SAMPLERS = ("ddpm", "ddim", "dpmpp_2m", "euler", "scm", "dpmpp_fast", "dopri5")
ADAPTIVE_SAMPLERS = ("dopri5",)  # `steps` caps their evaluations per image instead of fixing them
DEFAULT_SAMPLER = {"ddpm": "dpmpp_2m", "flow": "euler", "trigflow": "scm", "linear": "dopri5"}
OBJECTIVES = ("ddpm", "flow", "trigflow", "linear")


@dataclass(frozen=True)
class Objective:
    kind: str = "ddpm"
    learn_sigma: bool = False
    num_timesteps: int = 1000
    beta_start: float = 1e-4
    beta_end: float = 0.02
    # ddpm: "linear" betas from beta_start to beta_end, or "scaled_linear" (their square roots linear: U-ViT's
    # 0.00085 ... 0.012); time_offset: the model's time of level k is k + time_offset (U-ViT counts from 1)
    beta_schedule: str = "linear"
    time_offset: float = 0.0
    # flow: the noise levels visited. sigma_max is the first (1: pure noise); flow_shift > 1 spends more steps
    # at high noise (sigma -> shift sigma / (1 + (shift - 1) sigma), SD3/SANA); integer_timesteps truncates
    # the model's time input (1000 sigma) to integers. SANA's releases, through diffusers' flow DPM-Solver:
    # sigma_max 0.999, flow_shift 3, integer timesteps.
    flow_shift: float = 1.0
    sigma_max: float = 1.0
    integer_timesteps: bool = False
    # flow: None visits sigma_max down to sigma_max / steps; a number visits sigma_max down to it, both ends
    # included (diffusers' FlowMatchEulerDiscreteScheduler: sigma_min = the shifted 1 / 1000), before the shift.
    sigma_min: float | None = None
    # trigflow: the angles visited, theta from max_timestep (pi / 2: pure noise) to 0; 2 steps visit
    # intermediate_timestep between them, other counts (or None) an even spacing (SanaSprintPipeline's defaults).
    max_timestep: float = 1.5708
    intermediate_timestep: float | None = 1.3

    def __post_init__(self) -> None:
        if self.kind not in OBJECTIVES:
            raise ValueError(f"unknown objective {self.kind!r}; expected one of {', '.join(OBJECTIVES)}")
        if not (self.flow_shift > 0 and 0 < self.sigma_max <= 1):
            raise ValueError(f"flow_shift must be > 0 and sigma_max in (0, 1], got {self.flow_shift}, {self.sigma_max}")
        if self.sigma_min is not None and not 0 < self.sigma_min < self.sigma_max:
            raise ValueError(f"sigma_min must be in (0, sigma_max), got {self.sigma_min}")
        if self.beta_schedule not in ("linear", "scaled_linear"):
            raise ValueError(f"beta_schedule {self.beta_schedule!r}: expected 'linear' or 'scaled_linear'")

    def alphas_cumprod(self) -> np.ndarray:
        if self.beta_schedule == "scaled_linear":
            betas = np.linspace(self.beta_start ** 0.5, self.beta_end ** 0.5, self.num_timesteps, dtype=np.float64) ** 2
        else:
            betas = np.linspace(self.beta_start, self.beta_end, self.num_timesteps, dtype=np.float64)
        return np.cumprod(1 - betas)

    def schedule(self, steps: int) -> Schedule:
        """`steps` model evaluations from pure noise to clean. ddpm: `steps` of the 1000 training steps,
        evenly spaced from 999 to 0 and rounded half to even (diffusers' "linspace" spacing; the same
        steps as DiT's `space_timesteps` at 10, 20, 25, 50, 100, 250 and 1000, off by one at some
        .5 ties elsewhere, e.g. 21 steps); flow: t = sigma_max (1) down to sigma_max / steps, evenly, then shifted (flow_shift)."""
        if steps < 1:
            raise ValueError("steps must be >= 1")
        if self.kind == "ddpm":
            stride = (self.num_timesteps - 1) / max(steps - 1, 1)
            t = np.array(sorted({round(i * stride) for i in range(steps)}, reverse=True), dtype=np.int64)
            ab = self.alphas_cumprod()[t]
            a, s, model_t = np.sqrt(ab), np.sqrt(1 - ab), t.astype(np.float64) + self.time_offset
        elif self.kind == "linear":  # SiT's time t from 0 (noise) up: alpha = t, sigma = 1 - t, model time t
            t = np.linspace(0.0, 1.0, steps + 1, dtype=np.float64)[:-1]
            a, s, model_t = t, 1.0 - t, t
        elif self.kind == "trigflow":  # the model's time is SCM's t' = sin / (cos + sin) of the angle
            if steps == 2 and self.intermediate_timestep is not None:
                theta = np.array([self.max_timestep, self.intermediate_timestep, 0.0])
            else:
                theta = np.linspace(self.max_timestep, 0.0, steps + 1)
            a, s = np.cos(theta[:-1]), np.sin(theta[:-1])
            model_t = s / (a + s)
        else:
            if self.sigma_min is not None:
                t = np.linspace(self.sigma_max, self.sigma_min, steps, dtype=np.float64)
            elif self.sigma_max == 1.0:
                t = np.linspace(1, 0, steps + 1, dtype=np.float64)[:-1]
            else:  # as diffusers' flow DPM-Solver computes it, to the last bit (integer model times follow)
                t = (1.0 - np.linspace(1.0, 1.0 - self.sigma_max, steps + 1, dtype=np.float64))[::-1][:-1]
            t = shift_sigma(t, self.flow_shift)
            a, s, model_t = 1 - t, t, t * 1000
            if self.integer_timesteps:
                model_t = np.floor(model_t)
        return Schedule(model_t.astype(np.float32), np.append(a, 1.0), np.append(s, 0.0))

    def first_step(self, steps: int, strength: float) -> int:
        """Image-to-image: the first of `steps` steps that runs at `strength` in [0, 1] (1: all of them). SDEdit's
        rounding; trigflow: SanaSprintImg2ImgPipeline's (the whole steps of steps x (1 - strength), rounded down)."""
        if not 0.0 <= strength <= 1.0:
            raise ValueError(f"strength must be in [0, 1], got {strength}")
        if self.kind == "trigflow":
            return int(max(steps - steps * strength, 0))
        return steps - int(round(strength * steps))

    def model_scale(self, alpha: float, sigma: float) -> float:
        """What the state is multiplied by before the network sees it: 1, except trigflow's sqrt(t'^2 + (1 - t')^2)
        with t' = sigma / (alpha + sigma)."""
        if self.kind != "trigflow":
            return 1.0
        t = sigma / (alpha + sigma)
        return float(np.sqrt(t * t + (1 - t) ** 2))

    def predict(self, out: np.ndarray, x: np.ndarray, alpha: float, sigma: float):
        """Network output -> (x0, eps, var_frac or None); trigflow: eps None (its sampler draws fresh noise)."""
        c = x.shape[1]
        if self.kind == "ddpm":
            eps = out[:, :c]
            return (x - sigma * eps) / alpha, eps, (out[:, c:] if self.learn_sigma else None)
        if self.kind == "trigflow":  # the network's output -> the TrigFlow velocity F, then x0 = cos x - sin F
            t = sigma / (alpha + sigma)
            scale = self.model_scale(alpha, sigma)
            velocity = ((1 - 2 * t) * (x * scale) + (1 - 2 * t + 2 * t * t) * out[:, :c]) / scale
            return alpha * x - sigma * velocity, None, None
        if self.kind == "linear":  # v = x0 - eps, alpha = t, sigma = 1 - t
            v = out[:, :c]
            return x + sigma * v, x - alpha * v, None
        v = out[:, :c]
        return x - sigma * v, x + (1 - sigma) * v, None


@dataclass(frozen=True)
class Schedule:
    timesteps: np.ndarray  # (K,) float32 model time inputs
    alphas: np.ndarray  # (K + 1,) float64, last = 1 (clean)
    sigmas: np.ndarray  # (K + 1,) float64, last = 0

    def __len__(self) -> int:
        return len(self.timesteps)


def shift_sigma(sigma: float, shift: float) -> float:
    return shift * sigma / (1 + (shift - 1) * sigma)


def from_diffusers_scheduler(config: dict) -> tuple[Objective, str]:
    """A release's `scheduler/scheduler_config.json` -> (Objective, sampler) that visit the same noise levels
    with the same updates and model times. Flow-matching schedulers only (SANA's): DPMSolverMultistepScheduler
    (use_flow_sigmas, DPM-Solver++ 2M midpoint, last step to sigma 0) -> dpmpp_2m; FlowMatchEulerDiscrete-
    Scheduler (static shift) -> euler. Any setting that would change the steps is refused by name."""
    name = config.get("_class_name")
    n_train = int(config.get("num_train_timesteps", 1000))
    shift = float(config.get("flow_shift" if name == "DPMSolverMultistepScheduler" else "shift", 1.0))
    if name == "DPMSolverMultistepScheduler":
        expected = {"algorithm_type": "dpmsolver++", "solver_order": 2, "solver_type": "midpoint",
                    "prediction_type": "flow_prediction", "use_flow_sigmas": True, "final_sigmas_type": "zero",
                    "thresholding": False, "use_karras_sigmas": False, "use_exponential_sigmas": False,
                    "use_beta_sigmas": False, "use_lu_lambdas": False, "variance_type": None}
        sampler = "dpmpp_2m"
        objective = Objective("flow", num_timesteps=n_train, flow_shift=shift, sigma_max=1 - 1 / n_train,
                              integer_timesteps=True)
    elif name == "FlowMatchEulerDiscreteScheduler":
        expected = {"use_dynamic_shifting": False, "use_karras_sigmas": False, "use_exponential_sigmas": False,
                    "use_beta_sigmas": False, "invert_sigmas": False, "shift_terminal": None,
                    "stochastic_sampling": False, "time_shift_type": "exponential"}
        sampler = "euler"
        objective = Objective("flow", num_timesteps=n_train, flow_shift=shift,
                              sigma_min=shift_sigma(1 / n_train, shift))
    elif name == "SCMScheduler":  # SANA-Sprint: the angles are SanaSprintPipeline's defaults, not the config's
        expected = {"prediction_type": "trigflow", "max_timesteps": 1.5708, "intermediate_timesteps": 1.3}
        sampler = "scm"
        objective = Objective("trigflow", num_timesteps=n_train)
        if not float(config.get("sigma_data", 0.5)) > 0:
            raise ValueError(f"SCMScheduler with sigma_data={config['sigma_data']!r}: must be > 0")
    else:
        raise ValueError(f"scheduler {name!r}: not implemented (flow-matching releases: DPMSolverMultistepScheduler "
                         "with use_flow_sigmas, FlowMatchEulerDiscreteScheduler; SANA-Sprint: SCMScheduler)")
    wrong = {k: config[k] for k, v in expected.items()
             if k in config and config[k] != v
             and not (isinstance(v, float) and isinstance(config[k], (int, float)) and abs(config[k] - v) < 1e-4)}
    if wrong:
        raise ValueError(f"{name} with {', '.join(f'{k}={v!r}' for k, v in wrong.items())}: not implemented "
                         f"(implemented: {', '.join(f'{k}={v!r}' for k, v in expected.items() if k in wrong)})")
    return objective, sampler


def guide(out_cond: np.ndarray, out_uncond: np.ndarray, scale: float, latent_channels: int) -> np.ndarray:
    """Classifier-free guidance on all latent channels; learned-variance channels from the conditional."""
    c = latent_channels
    mixed = out_uncond[:, :c] + scale * (out_cond[:, :c] - out_uncond[:, :c])
    return np.concatenate([mixed, out_cond[:, c:]], axis=1)


def _ddpm_posterior(ab_t: float, ab_prev: float, x0: np.ndarray, x: np.ndarray):
    beta = 1 - ab_t / ab_prev
    mean = (np.sqrt(ab_prev) * beta / (1 - ab_t)) * x0 + (np.sqrt(1 - beta) * (1 - ab_prev) / (1 - ab_t)) * x
    var = beta * (1 - ab_prev) / (1 - ab_t)
    return mean, np.log(max(var if var > 0 else beta, 1e-20)), np.log(beta)


@dataclass
class SamplerState:
    """One request's sampling loop, advanced one model evaluation at a time."""

    sampler: str
    objective: Objective
    schedule: Schedule
    x: np.ndarray  # (N, C, s, s) float32, diffusion-space latent
    rng: np.random.Generator | None = None
    # scm: the fresh noise of each step run, in order ((steps run, N, C, h, w), another implementation's, to
    # reproduce its images); None draws it from rng
    step_noise: np.ndarray | None = None
    x0: np.ndarray | None = None  # the clean-latent estimate of the last step (previews), float32
    _prev_x0: np.ndarray | None = field(default=None, repr=False)
    _prev_h: float | None = field(default=None, repr=False)
    _steps_run: int = field(default=0, repr=False)
    _plan: FastPlan | None = field(default=None, repr=False)  # dpmpp_fast: its updates and evaluations
    _x0s: list = field(default_factory=list, repr=False)  # dpmpp_fast: the x0 of the current update's evaluations
    _odes: list[Dopri5] | None = field(default=None, repr=False)  # dopri5: each image's integration
    _max_evaluations: int = field(default=0, repr=False)  # dopri5: `steps`, per image

    @classmethod
    def start(cls, sampler: str, objective: Objective, steps: int, noise: np.ndarray,
              rng: np.random.Generator | None = None, step_noise: np.ndarray | None = None,
              t_start: float = 0.0) -> SamplerState:
        """`t_start`: dopri5 only, the SiT time the integration starts at (0: from pure noise; image-to-image starts
        later from a noised image, given as `noise`)."""
        if sampler not in SAMPLERS:
            raise ValueError(f"unknown sampler {sampler!r}; known: {', '.join(SAMPLERS)}")
        fitting = fitting_samplers(objective.kind)
        if sampler == "euler" and objective.kind == "ddpm":
            raise ValueError("the euler sampler is for flow-matching models; use ddim, dpmpp_2m or ddpm")
        if sampler == "ddpm" and objective.kind == "flow":
            raise ValueError("the ddpm sampler needs a ddpm model; use euler, ddim or dpmpp_2m")
        if sampler not in fitting:
            raise ValueError(f"the {sampler} sampler does not fit a {objective.kind} model; use {', '.join(fitting)}")
        sched = objective.schedule(steps)
        if step_noise is not None and (step_noise.ndim != noise.ndim + 1 or step_noise.shape[1:] != noise.shape
                                       or len(step_noise) < steps - 1):
            raise ValueError(f"step noise of shape {tuple(step_noise.shape)}; {steps} steps of {tuple(noise.shape)} "
                             f"need ({steps - 1} or {steps}, {', '.join(map(str, noise.shape))})")
        plan = None
        if sampler == "dpmpp_fast":
            plan = FastPlan.make(objective.alphas_cumprod(), steps)
            vp, times = plan.schedule, [t for u in plan.updates for t in u.times] + [1.0 / objective.num_timesteps]
            # continuous t x N is level t x N counted from 1 (DPM-Solver's discrete reading); the model's time of a
            # level is its 0-based index + time_offset (U-ViT: + 1, so t x N; DiT: t x N - 1)
            model_t = plan.model_times() - 1.0 + objective.time_offset
            sched = Schedule(model_t.astype(np.float32), np.array([vp.alpha(t) for t in times]),
                             np.array([vp.sigma(t) for t in times]))
        odes = None
        if sampler == "dopri5":
            odes = [Dopri5(x, t_start) for x in noise.astype(np.float32)]
        return cls(sampler, objective, sched, noise.astype(np.float32), rng, step_noise, _plan=plan, _odes=odes,
                   _max_evaluations=steps)

    @property
    def adaptive(self) -> bool:
        """The sampler picks its evaluations as it goes (dopri5): loop `while not done`."""
        return self._odes is not None

    @property
    def done(self) -> bool:
        """An adaptive sampler's images have all reached the end (a fixed one is done when its steps are run)."""
        if self._odes is None:
            return self._steps_run >= len(self.schedule)
        return all(ode.done for ode in self._odes)

    @property
    def active(self) -> np.ndarray:
        """The images the next model call is for: all of them, except for an adaptive sampler's finished ones."""
        if self._odes is None:
            return np.arange(len(self.x))
        return np.array([j for j, ode in enumerate(self._odes) if not ode.done], dtype=np.int64)

    @property
    def fraction(self) -> float:
        """How far the sampling has come, in [0, 1]: an adaptive sampler's least advanced image's share of its time
        interval; a fixed one's steps run."""
        if self._odes is None:
            return min(self._steps_run / len(self.schedule), 1.0)
        return min(ode.fraction for ode in self._odes)

    @property
    def evaluations(self) -> int:
        """The model evaluations spent so far (an adaptive sampler's most evaluated image's)."""
        if self._odes is None:
            return self._steps_run
        return max(ode.evaluations for ode in self._odes)

    def timestep(self, i: int) -> np.ndarray:
        """The model time of each row of the next call ((active images,) for dopri5)."""
        if self._odes is not None:
            return np.array([self._odes[j].request()[0] for j in self.active], dtype=np.float32)
        return np.full((self.x.shape[0],), self.schedule.timesteps[i], dtype=np.float32)

    def model_input(self, i: int) -> np.ndarray:
        """The latent the network sees at step i: the state, scaled for trigflow; dpmpp_fast: the input of its
        evaluation i (the update's start state, or an intermediate point made from it)."""
        if self._odes is not None:
            return np.stack([self._odes[j].request()[1] for j in self.active])
        if self._plan is not None:
            u, j = self._plan.evaluations[i]
            x = self._plan.eval_input(self._plan.updates[u], j, self.x.astype(np.float64), self._x0s)
            return x.astype(np.float32)
        scale = self.objective.model_scale(self.schedule.alphas[i], self.schedule.sigmas[i])
        return self.x if scale == 1.0 else (self.x * np.float32(scale)).astype(np.float32)

    def _fresh_noise(self, shape: tuple[int, ...]) -> np.ndarray:
        k = self._steps_run
        if self.step_noise is not None and k < len(self.step_noise):
            return self.step_noise[k].astype(np.float64)
        rng = self.rng if self.rng is not None else np.random.default_rng()
        return rng.standard_normal(shape)

    def step(self, i: int, model_output: np.ndarray) -> np.ndarray:
        """Advance from noise level i to i + 1 given the (guided) network output at level i."""
        if self._plan is not None:
            return self._fast_step(i, model_output)
        if self._odes is not None:
            return self._ode_step(model_output)
        a, s = self.schedule.alphas, self.schedule.sigmas
        x0, eps, var_frac = self.objective.predict(model_output.astype(np.float64), self.x.astype(np.float64),
                                                   a[i], s[i])
        x = self.x.astype(np.float64)
        self.x0 = x0.astype(np.float32)
        if self.sampler in ("ddim", "euler"):  # equal on flow paths (DDIM is exact Euler there)
            x = a[i + 1] * x0 + s[i + 1] * eps
        elif self.sampler == "scm":  # to the next angle with fresh noise (none needed on the last step: sin 0 = 0)
            x = x0 if s[i + 1] == 0 else a[i + 1] * x0 + s[i + 1] * self._fresh_noise(x.shape)
        elif self.sampler == "dpmpp_2m":
            if s[i + 1] == 0:
                x = x0
            else:
                with np.errstate(divide="ignore"):
                    h = (np.log(a[i + 1]) - np.log(s[i + 1])) - (np.log(a[i]) - np.log(s[i]))
                d = x0
                if self._prev_x0 is not None and np.isfinite(self._prev_h) and np.isfinite(h):
                    r = self._prev_h / h
                    d = (1 + 1 / (2 * r)) * x0 - (1 / (2 * r)) * self._prev_x0
                exp_neg_h = (a[i] * s[i + 1]) / (s[i] * a[i + 1])
                x = (s[i + 1] / s[i]) * x - a[i + 1] * (exp_neg_h - 1) * d
                self._prev_x0, self._prev_h = x0, h
        else:  # ddpm ancestral
            ab_t, ab_prev = a[i] ** 2, a[i + 1] ** 2
            mean, min_logvar, max_logvar = _ddpm_posterior(ab_t, ab_prev, x0, x)
            if var_frac is None:
                logvar = min_logvar
            else:
                frac = (var_frac.astype(np.float64) + 1) / 2
                logvar = frac * max_logvar + (1 - frac) * min_logvar
            x = mean
            if i < len(self.schedule) - 1:
                rng = self.rng if self.rng is not None else np.random.default_rng()
                x = x + np.exp(0.5 * logvar) * rng.standard_normal(x.shape)
        self.x = x.astype(np.float32)
        self._steps_run += 1
        return self.x


    def _ode_step(self, model_output: np.ndarray) -> np.ndarray:
        """dopri5: each active image's velocity to its integration; the state of each image is its last accepted one
        (its result once done), the clean estimate x0 = x + (1 - t) v there."""
        c = self.x.shape[1]
        for row, j in enumerate(self.active):
            self._odes[j].tell(model_output[row, :c])
        for j, ode in enumerate(self._odes):
            if not ode.done and ode.evaluations >= self._max_evaluations:
                raise SamplerBudgetError(
                    f"dopri5 spent the {self._max_evaluations} evaluations allowed (steps) with image {j} at t = "
                    f"{ode.t:.3f} of 1; allow more steps, or use a fixed-step sampler (euler)")
        self.x = np.stack([ode.result if ode.done else ode.y for ode in self._odes])
        self.x0 = np.stack([ode.result if ode.done else ode.y if ode.f is None else ode.y + F32(1.0 - ode.t) * ode.f
                            for ode in self._odes])
        self._steps_run += 1
        return self.x

    def _fast_step(self, i: int, model_output: np.ndarray) -> np.ndarray:
        """dpmpp_fast: evaluation i's x0 kept; after an update's last evaluation, the state moves to its end."""
        u, j = self._plan.evaluations[i]
        update = self._plan.updates[u]
        x_in = self.model_input(i).astype(np.float64)
        eps = model_output[:, :self.x.shape[1]].astype(np.float64)
        self._x0s.append(self._plan.x0(update, j, x_in, eps))
        self.x0 = self._x0s[-1].astype(np.float32)
        if j == update.order - 1:
            self.x = self._plan.finish(update, self.x.astype(np.float64), self._x0s).astype(np.float32)
            self._x0s = []
        self._steps_run += 1
        return self.x


class SamplerBudgetError(ValueError):
    """An adaptive sampler needed more evaluations than the request's `steps` allow."""


def fitting_samplers(kind: str) -> list[str]:
    """The samplers that run a model of this objective kind."""
    if kind == "trigflow":
        return ["scm"]
    return [s for s in SAMPLERS if s != "scm" and not (s == "euler" and kind not in ("flow", "linear"))
            and not (s in ("ddpm", "dpmpp_fast") and kind != "ddpm") and not (s == "dopri5" and kind != "linear")]


def initial_noise(shape: tuple[int, ...], seeds: list[int]) -> np.ndarray:
    """(len(seeds), *shape) standard normal, image i from its own seed (reproducible on its own)."""
    return np.stack([np.random.default_rng(seed).standard_normal(shape) for seed in seeds]).astype(np.float32)
