"""The guided generation loop over an injected model call, and the seeding rule: what the gateway's
loop, Triton's `generate` model and the ML core's pipeline share.

    loop = GuidedDenoising.start(objective, sampler, steps, latent_shape, seed, n, cond, uncond, guidance)
    for i in loop.steps:
        loop.advance(i, dit(**loop.inputs(i)))        # the caller runs the DiT, sync or async, batched or not
    latent = loop.x                                   # diffusion space: decode LatentSpace.from_diffusion(latent)

An adaptive sampler (dopri5) decides its evaluations as it goes: `loop.steps` then yields until every image is
done, `loop.total` is None and `loop.fraction` says how far it is; a model call holds the images still integrating.

Seeding: image i of a request starts from `numpy.random.default_rng(seed + i)`, so each image is
reproducible on its own; the ddpm sampler's ancestral noise comes from `seed + ANCESTRAL_SEED_OFFSET`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Callable, Iterable

import numpy as np

from .sampling import ADAPTIVE_SAMPLERS, DEFAULT_SAMPLER, Objective, SamplerState, guide, initial_noise

ANCESTRAL_SEED_OFFSET = 1_000_003  # the ddpm sampler's noise, seeded apart from the start noise
DEFAULT_STEPS, DEFAULT_GUIDANCE = 30, 4.0  # a generator's defaults unless its checkpoint says otherwise


def sampling_defaults(objective_kind: str, given: dict | None = None) -> dict:
    """A generator's defaults {sampler, steps, guidance}: its checkpoint's `sampling` (a release's recipe)
    over the contract's."""
    return {"sampler": DEFAULT_SAMPLER[objective_kind], "steps": DEFAULT_STEPS, "guidance": DEFAULT_GUIDANCE,
            **(given or {})}


def binned_size(height: int, width: int, native: int, multiple: int, max_ratio: float = 4.0) -> tuple[int, int]:
    """Resolution binning: the size to generate a (height, width) request at, for models trained at one area
    (SANA, PixArt): the request's aspect ratio r (clamped to [1/max_ratio, max_ratio]) at the native area,
    sides native·√r and native/√r rounded down to a step of native/16 (at least `multiple`, the
    autoencoder's compression). The caller resizes and center-crops the images to the size asked
    (`pixels.fit`). diffusers' pipelines pick from hand-made tables instead; asked for the sizes in their 512
    and 1024 tables, this gives the same size for 30 of their 33 ratios (`tests/pipelines/test_sana.py`)."""
    if height < 1 or width < 1:
        raise ValueError(f"height and width must be positive, got {height}x{width}")
    ratio = min(max(height / width, 1 / max_ratio), max_ratio)
    step = max(multiple, native // 16 // multiple * multiple)
    return (max(step, int(native * ratio ** 0.5 // step) * step), max(step, int(native / ratio ** 0.5 // step) * step))


def size_problem(height: int, width: int, multiple: int, largest: int | None = None) -> str | None:
    """Why a model whose sides are multiples of `multiple` (1: any size) up to `largest` pixels (None: no bound)
    cannot generate (height, width), as "<side>: <value> px; this model takes ..."; None when it can."""
    for name, value in (("height", height), ("width", width)):
        if value % multiple or value < multiple or (largest is not None and value > largest):
            takes = "sizes from 1" if multiple == 1 else f"multiples of {multiple} from {multiple}"
            return f"{name}: {value} px; this model takes {takes}{'' if largest is None else f' to {largest}'}"
    return None


def image_seeds(seed: int, n: int) -> list[int]:
    """The start-noise seed of each of a request's n images."""
    return [seed + i for i in range(n)]


def start_noise(latent_shape: tuple[int, ...], seed: int, n: int) -> np.ndarray:
    """(n, *latent_shape) float32: image i from `default_rng(seed + i)`."""
    return initial_noise(tuple(latent_shape), image_seeds(seed, n))


@dataclass
class GuidedDenoising:
    """One request's sampling loop with classifier-free guidance: both halves in one model call of
    batch 2n (conditional first) when guided, the conditional half alone when not (guidance 1, or an
    unconditional generator). A generator that embeds the guidance (SANA-Sprint) gets it as an input,
    `guidance` (n,) float32, in one call of batch n: no unconditional half."""

    state: SamplerState
    cond: dict[str, np.ndarray]
    uncond: dict[str, np.ndarray]
    guidance: float
    latent_channels: int

    first: int = 0  # the first step run: > 0 when starting from an image (img2img)
    embedded_guidance: bool = False

    @classmethod
    def start(cls, objective: Objective, sampler: str, steps: int, latent_shape: tuple[int, ...], seed: int, n: int,
              cond: dict, uncond: dict, guidance: float, init_latent: np.ndarray | None = None,
              strength: float = 1.0, noise: np.ndarray | None = None, embedded_guidance: bool = False,
              step_noise: np.ndarray | None = None) -> GuidedDenoising:
        """From the seed's noise; or, given `init_latent` (an image's diffusion-space latent, (1 or n, C, h, w))
        and `strength` in [0, 1], SDEdit: the image noised to the level of step `objective.first_step(steps,
        strength)` with the same noise, and only the steps from there run. Strength 1 is plain generation
        (the image unused), strength 0 runs no step and gives the image's latent back. `noise` (n, *latent_shape):
        the start noise given (another implementation's, to reproduce its images) instead of the seed's;
        `step_noise`: the scm sampler's fresh noise of each step run, likewise (else from the seed).
        `embedded_guidance`: the generator takes the guidance as an input (SANA-Sprint)."""
        if noise is None:
            noise = start_noise(latent_shape, seed, n)
        elif noise.shape != (n, *latent_shape):
            raise ValueError(f"start noise of shape {tuple(noise.shape)}; this generation needs {(n, *latent_shape)}")
        if sampler in ADAPTIVE_SAMPLERS:  # image-to-image: the integration starts at SiT time 1 - strength
            t_start = 0.0  # (strength 0 starts at the end: the image's latent back, no evaluation)
            if init_latent is not None and strength < 1.0:
                objective.first_step(steps, strength)  # the strength's check
                t_start = 1.0 - strength
                init = np.broadcast_to(init_latent.astype(np.float64), noise.shape)
                noise = (t_start * init + (1.0 - t_start) * noise.astype(np.float64)).astype(np.float32)
            return cls(SamplerState.start(sampler, objective, steps, noise, t_start=t_start), cond, uncond, guidance,
                       latent_shape[0], 0, embedded_guidance)
        state = SamplerState.start(sampler, objective, steps, noise,
                                   rng=np.random.default_rng(seed + ANCESTRAL_SEED_OFFSET), step_noise=step_noise)
        first = 0
        if init_latent is not None and strength < 1.0:
            if sampler == "dpmpp_fast":  # its evaluations are not noise levels one can start from
                raise ValueError("image-to-image with the dpmpp_fast sampler is not implemented; use dpmpp_2m or ddim")
            first = objective.first_step(steps, strength)
            a, s = state.schedule.alphas[first], state.schedule.sigmas[first]
            init = np.broadcast_to(init_latent.astype(np.float64), state.x.shape)
            state.x = (a * init + s * state.x.astype(np.float64)).astype(np.float32)
        return cls(state, cond, uncond, guidance, latent_shape[0], first, embedded_guidance)

    @property
    def steps(self) -> Iterable[int]:
        """The step indices to run, in order: `for i in loop.steps: loop.advance(i, model(**loop.inputs(i)))`.
        An adaptive sampler's: 0, 1, ... until it is done (advance each before asking for the next)."""
        if self.state.adaptive:
            return itertools.takewhile(lambda _: not self.state.done, itertools.count())
        return range(self.first, len(self))

    @property
    def total(self) -> int | None:
        """How many steps `steps` runs; None for an adaptive sampler (not known in advance)."""
        return None if self.state.adaptive else len(self) - self.first

    @property
    def fraction(self) -> float:
        """How far the loop has come, in [0, 1] (an adaptive sampler's: its least advanced image's time)."""
        if self.state.adaptive:
            return self.state.fraction
        return min(self.state.evaluations / max(self.total, 1), 1.0)

    @property
    def guided(self) -> bool:
        """Classifier-free guidance: two halves per model call."""
        return bool(self.cond) and self.guidance != 1.0 and not self.embedded_guidance

    @property
    def x(self) -> np.ndarray:
        """The current latent (n, C, h, w) float32, diffusion space."""
        return self.state.x

    def __len__(self) -> int:
        """The fixed sampler's schedule length (for an adaptive one, see `total`)."""
        return len(self.state.schedule)

    def inputs(self, i: int) -> dict[str, np.ndarray]:
        """The DiT's inputs at step i: latent, timestep (N,) and the conditioning."""
        x, t = self.state.model_input(i), self.state.timestep(i)
        if self.state.adaptive:  # the rows of the images still integrating
            active = self.state.active
            return self._inputs(x, t, {k: v[active] for k, v in self.cond.items()},
                                {k: v[active] for k, v in self.uncond.items()})
        return self._inputs(x, t, self.cond, self.uncond)

    def _inputs(self, x: np.ndarray, t: np.ndarray, cond: dict, uncond: dict) -> dict[str, np.ndarray]:
        if self.embedded_guidance:
            return {"latent": x, "timestep": t, **cond,
                    "guidance": np.full((x.shape[0],), self.guidance, dtype=np.float32)}
        if not self.guided:
            return {"latent": x, "timestep": t, **cond}
        return {"latent": np.concatenate([x, x]), "timestep": np.concatenate([t, t]),
                **{k: np.concatenate([cond[k], uncond[k]]) for k in cond}}

    def run(self, model: Callable[[dict[str, np.ndarray]], np.ndarray],
            callback: Callable[[int, int], None] | None = None) -> np.ndarray:
        """Every step with a synchronous model call (the PyTorch pipelines); `callback(done, total)` after each
        (total None for an adaptive sampler). -> the final latent."""
        for done, i in enumerate(self.steps, 1):
            self.advance(i, model(self.inputs(i)))
            if callback is not None:
                callback(done, self.total)
        return self.x

    def advance(self, i: int, model_output: np.ndarray) -> np.ndarray:
        """Step i given the DiT's output for `inputs(i)`; -> the new latent."""
        if self.guided:
            n = len(model_output) // 2
            model_output = guide(model_output[:n], model_output[n:], self.guidance, self.latent_channels)
        return self.state.step(i, model_output)
