"""The contract's numpy samplers (dcae/contract/sampling.py) against diffusers' schedulers as the
reference implementation, plus the sampler properties that do not need a reference.

Equivalence runs: each side runs its own loop on the same start noise and the same deterministic
analytic "model" (numpy: the exact eps / v prediction for Gaussian data, plus tanh terms that depend
on x, t and the channel so that no wrong coefficient can hide), the model evaluated on that side's own
state at that side's own timestep; the model times each side visits must be equal step by step, and
the final latents equal to float32 level.

    flow  "euler"     <-> FlowMatchEulerDiscreteScheduler(shift=1), set_timesteps(sigmas=ours)
    ddpm  "ddpm"      <-> DDPMScheduler, set_timesteps(timesteps=ours), "fixed_small" (learn_sigma off)
                          and "learned_range" (learn_sigma on); the same normals on both sides
    ddpm  "ddim"      <-> DDIMScheduler (eta 0): directly at 1 and 1000 steps, otherwise on DiT's
                          respaced schedule given as trained_betas (see `_ddim_reference`)
    ddpm  "dpmpp_2m"  <-> DPMSolverMultistepScheduler(dpmsolver++, order 2, final sigma 0),
                          set_timesteps(timesteps=ours)
    flow  "dpmpp_2m"  <-> DPMSolverMultistepScheduler in flow mode, our sigmas put in place of its
                          own (see `_dpm_reference`)
"""

import numpy as np
import pytest
import torch
from diffusers import (DDIMScheduler, DDPMScheduler, DPMSolverMultistepScheduler,
                       FlowMatchEulerDiscreteScheduler)
from diffusers.schedulers import scheduling_ddpm

from dcae.contract import generation, sampling

SHAPE = (2, 4, 3, 3)  # two images, 4 latent channels
C = SHAPE[1]
STEPS = [1, 7, 30]
TOL = dict(atol=1e-4, rtol=1e-4)

# Written out here rather than taken from the contract: DiT's linear schedule over 1000 steps.
ALPHAS_CUMPROD = np.cumprod(1 - np.linspace(1e-4, 0.02, 1000, dtype=np.float64))

# Per-channel data distribution N(MU, STD^2) of the analytic model.
MU = np.array([0.7, -0.3, 0.1, 0.5]).reshape(1, C, 1, 1)
STD = np.array([0.3, 0.5, 1.0, 0.8]).reshape(1, C, 1, 1)


def _alpha_sigma(kind: str, t: np.ndarray):
    """alpha_t, sigma_t (N, 1, 1, 1) of model time t (N,): ddpm integer step, flow 1000 * sigma."""
    t = np.asarray(t, dtype=np.float64).reshape(-1, 1, 1, 1)
    if kind == "ddpm":
        assert np.all(t == np.round(t)), "a ddpm model is only ever asked about integer steps"
        ab = ALPHAS_CUMPROD[t.astype(np.int64)]
        return np.sqrt(ab), np.sqrt(1 - ab)
    s = t / 1000
    return 1 - s, s


def gaussian_output(kind: str, x: np.ndarray, t: np.ndarray, mu=MU, std=STD) -> np.ndarray:
    """The exact network output for data ~ N(mu, std^2) per element: eps (ddpm) or v = eps - x0 (flow)."""
    x = x.astype(np.float64)
    a, s = _alpha_sigma(kind, t)
    var = a**2 * std**2 + s**2
    x0 = mu + a * std**2 / var * (x - a * mu)  # E[x0 | x_t]
    eps = (x - a * x0) / s
    return eps if kind == "ddpm" else eps - x0


def model(kind: str, learn_sigma: bool = False):
    """A deterministic nonlinear "network": the Gaussian output plus tanh terms in x, t and the channel
    (and a cross-channel term); with learn_sigma, C more channels in (-1, 1), the variance fraction."""
    ch = np.arange(C, dtype=np.float64).reshape(1, C, 1, 1)

    def fn(x: np.ndarray, t: np.ndarray) -> np.ndarray:
        x64 = x.astype(np.float64)
        tf = np.asarray(t, dtype=np.float64).reshape(-1, 1, 1, 1) / 1000
        out = (gaussian_output(kind, x, t)
               + 0.2 * np.tanh(1.3 * x64 + 0.4 * ch - 0.2) * (0.5 + tf)
               + 0.1 * np.tanh(x64.mean(axis=1, keepdims=True) + tf))
        if learn_sigma:
            out = np.concatenate([out, np.tanh(0.8 * x64 - 0.3 * ch + tf - 0.4)], axis=1)
        return out.astype(np.float32)  # a network answers in float32
    return fn


def _noise(seed: int = 0) -> np.ndarray:
    return sampling.initial_noise(SHAPE[1:], seeds=[seed, seed + 1])


def _run_ours(sampler, objective, steps, fn, noise, rng=None):
    """Our loop; returns the final latent and the model times visited (one per step)."""
    state = sampling.SamplerState.start(sampler, objective, steps, noise, rng)
    times = []
    for i in range(len(state.schedule)):
        t = state.timestep(i)
        assert np.all(t == t[0])
        times.append(float(t[0]))
        state.step(i, fn(state.x, t))
    return state.x, np.array(times)


def _run_reference(scheduler, fn, noise, model_time=lambda t: t, **step_kwargs):
    """A diffusers loop over scheduler.timesteps; model_time maps a scheduler timestep to the model's."""
    x = torch.from_numpy(noise)
    times = []
    for t in scheduler.timesteps:
        mt = float(model_time(t))
        times.append(mt)
        out = fn(x.numpy(), np.full((x.shape[0],), mt))
        x = scheduler.step(torch.from_numpy(out), t, x, **step_kwargs).prev_sample
    return x.numpy(), np.array(times)


def _assert_same(ours, ref):
    (x, t), (x_ref, t_ref) = ours, ref
    # The model is asked at the same times, step by step: ddpm's integer steps exactly, flow's
    # 1000 * sigma to float32 rounding (diffusers multiplies in float32, ours in float64).
    np.testing.assert_allclose(t, t_ref, rtol=3e-7, atol=0)
    assert np.all(np.isfinite(x))
    np.testing.assert_allclose(x, x_ref, **TOL)


# --- flow: euler -------------------------------------------------------------------------------

@pytest.mark.parametrize("steps", STEPS)
def test_flow_euler_equals_flow_match_euler_discrete(steps):
    objective = sampling.Objective("flow")
    fn, noise = model("flow"), _noise()
    sched = objective.schedule(steps)
    reference = FlowMatchEulerDiscreteScheduler(num_train_timesteps=1000, shift=1.0)
    reference.set_timesteps(sigmas=sched.sigmas[:-1].tolist())
    np.testing.assert_allclose(reference.sigmas.numpy(), sched.sigmas, atol=1e-7)  # ... 0 appended by both
    _assert_same(_run_ours("euler", objective, steps, fn, noise), _run_reference(reference, fn, noise))


# --- ddpm: ancestral ---------------------------------------------------------------------------

@pytest.mark.parametrize("learn_sigma", [False, True], ids=["fixed_small", "learned_range"])
@pytest.mark.parametrize("steps", STEPS)
def test_ddpm_ancestral_equals_ddpm_scheduler(steps, learn_sigma, monkeypatch):
    # With custom timesteps DDPMScheduler steps from t to the next listed timestep with
    # beta = 1 - abar_t / abar_prev and posterior variance beta (1 - abar_prev) / (1 - abar_t): DiT's
    # respacing exactly (betas recomputed from the respaced alphas_cumprod), learned range included
    # (min log = log posterior variance, max log = log beta). The two differ only in the clip of a zero
    # posterior variance (diffusers 1e-20, ours beta), which happens only on the last step (abar_prev = 1),
    # where neither adds noise.
    objective = sampling.Objective("ddpm", learn_sigma=learn_sigma)
    fn, noise = model("ddpm", learn_sigma), _noise()
    timesteps = [int(t) for t in objective.schedule(steps).timesteps]
    reference = DDPMScheduler(num_train_timesteps=1000, beta_start=1e-4, beta_end=0.02, beta_schedule="linear",
                              variance_type="learned_range" if learn_sigma else "fixed_small",
                              clip_sample=False, prediction_type="epsilon")
    reference.set_timesteps(timesteps=timesteps)

    # The same standard normals, in the same order: diffusers draws its variance noise with randn_tensor.
    ref_rng = np.random.default_rng(11)
    monkeypatch.setattr(scheduling_ddpm, "randn_tensor", lambda shape, generator=None, device=None, dtype=None:
                        torch.from_numpy(ref_rng.standard_normal(tuple(shape))).to(dtype))
    our_rng = np.random.default_rng(11)
    _assert_same(_run_ours("ddpm", objective, steps, fn, noise, our_rng), _run_reference(reference, fn, noise))
    assert our_rng.standard_normal() == ref_rng.standard_normal()  # and as many draws (steps - 1)


# --- ddpm: ddim --------------------------------------------------------------------------------

def _ddim_reference(timesteps: list[int]):
    """DDIMScheduler visiting our timesteps, and the map from its timesteps to our model times.

    DDIMScheduler steps from t to t - 1000 // steps, a fixed integer stride, whereas DiT's respacing goes
    to the next respaced step (round(i * 999 / (steps - 1))): the two agree only at 1 step ([0] -> clean)
    and 1000 steps (stride 1). Elsewhere, the reference is set up the way DiT's SpacedDiffusion respaces:
    a DDIMScheduler whose *training* schedule is the respaced one (betas 1 - abar[t_k] / abar[t_k-1] over
    the K respaced steps, so its alphas_cumprod are abar at our timesteps), stepping every one of its K
    steps, its step k answered by the model at our timestep t_k.
    """
    common = dict(clip_sample=False, set_alpha_to_one=True, prediction_type="epsilon")
    if len(timesteps) in (1, 1000):
        ref = DDIMScheduler(num_train_timesteps=1000, beta_start=1e-4, beta_end=0.02, beta_schedule="linear",
                            timestep_spacing="linspace", **common)
        ref.set_timesteps(len(timesteps))
        assert ref.timesteps.tolist() == timesteps
        return ref, lambda t: t
    ascending = np.array(timesteps[::-1])
    ab = ALPHAS_CUMPROD[ascending]
    betas = 1 - ab / np.append(1.0, ab[:-1])
    ref = DDIMScheduler(num_train_timesteps=len(ascending), trained_betas=betas, timestep_spacing="leading",
                        **common)
    ref.set_timesteps(len(ascending))
    assert ref.timesteps.tolist() == list(range(len(ascending)))[::-1]
    return ref, lambda k: ascending[int(k)]


@pytest.mark.parametrize("learn_sigma", [False, True], ids=["eps", "eps+var"])
@pytest.mark.parametrize("steps", STEPS + [1000])
def test_ddpm_ddim_equals_ddim_scheduler(steps, learn_sigma):
    objective = sampling.Objective("ddpm", learn_sigma=learn_sigma)
    fn, noise = model("ddpm", learn_sigma), _noise()
    reference, model_time = _ddim_reference([int(t) for t in objective.schedule(steps).timesteps])
    ref_fn = lambda x, t: fn(x, t)[:, :C]  # noqa: E731 - DDIMScheduler takes eps only
    _assert_same(_run_ours("ddim", objective, steps, fn, noise),
                 _run_reference(reference, ref_fn, noise, model_time, eta=0.0))


# --- dpmpp_2m ----------------------------------------------------------------------------------

def _dpm_reference(kind: str, sched: sampling.Schedule):
    """DPMSolverMultistepScheduler (DPM-Solver++ 2M, midpoint, last step first order to sigma 0).

    ddpm: set_timesteps(timesteps=ours) visits exactly our integer steps.
    flow: in flow mode (use_flow_sigmas) set_timesteps takes neither custom timesteps nor sigmas and
    builds sigmas = (1 - 1/1000) * (1 - k / steps), starting at 0.999 (ours: at 1, pure noise), with the
    model times truncated to integers. So, as set_timesteps(sigmas=...) does for FlowMatchEuler, our
    sigmas and model times replace its own after set_timesteps; its step reads nothing else of them
    (sigmas by step index, timesteps only to find the first index).
    """
    ref = DPMSolverMultistepScheduler(
        num_train_timesteps=1000, beta_start=1e-4, beta_end=0.02, beta_schedule="linear",
        algorithm_type="dpmsolver++", solver_order=2, solver_type="midpoint", lower_order_final=True,
        final_sigmas_type="zero", prediction_type="flow_prediction" if kind == "flow" else "epsilon",
        use_flow_sigmas=kind == "flow", flow_shift=1.0)
    if kind == "ddpm":
        ref.set_timesteps(timesteps=[int(t) for t in sched.timesteps])
    else:
        ref.set_timesteps(num_inference_steps=len(sched))
        assert ref.sigmas[0].item() == pytest.approx(0.999)  # the mismatch described above
        ref.sigmas = torch.from_numpy(sched.sigmas.astype(np.float32))
        ref.timesteps = torch.from_numpy(sched.timesteps)
    # Its sigmas are ddpm's sigma / alpha (variance exploding), flow's sigma; ours converted alike. Up to
    # its float32 alphas_cumprod: at t = 0, 1 - abar = 1e-4 comes out of a float32 0.9999 (~1e-4 relative).
    ours = sched.sigmas / sched.alphas if kind == "ddpm" else sched.sigmas
    np.testing.assert_allclose(ref.sigmas.numpy(), ours, rtol=2e-4)
    return ref


@pytest.mark.parametrize("kind,learn_sigma", [("ddpm", False), ("ddpm", True), ("flow", False)])
@pytest.mark.parametrize("steps", STEPS)
def test_dpmpp_2m_equals_dpm_solver_multistep(kind, learn_sigma, steps):
    objective = sampling.Objective(kind, learn_sigma=learn_sigma)
    fn, noise = model(kind, learn_sigma), _noise()
    reference = _dpm_reference(kind, objective.schedule(steps))
    # diffusers' own learned-variance handling keeps model_output[:, :3] (RGB-pixel assumption): give it eps.
    ref_fn = lambda x, t: fn(x, t)[:, :C]  # noqa: E731
    _assert_same(_run_ours("dpmpp_2m", objective, steps, fn, noise), _run_reference(reference, ref_fn, noise))


@pytest.mark.parametrize("shift", [1.0, 3.0])
@pytest.mark.parametrize("steps", [1, 7, 20, 30])
def test_flow_dpmpp_2m_with_shift_is_sanas_scheduler_as_released(shift, steps):
    """SANA's releases sample with DPMSolverMultistepScheduler(use_flow_sigmas, flow_shift 3): with the
    objective's sigma_max 0.999, flow_shift and integer_timesteps, ours visits its own schedule (no sigmas
    swapped in): the same noise levels, the same integer model times, the same latents."""
    objective = sampling.Objective("flow", flow_shift=shift, sigma_max=0.999, integer_timesteps=True)
    ref = DPMSolverMultistepScheduler(num_train_timesteps=1000, algorithm_type="dpmsolver++", solver_order=2,
                                      solver_type="midpoint", lower_order_final=True, final_sigmas_type="zero",
                                      prediction_type="flow_prediction", use_flow_sigmas=True, flow_shift=shift)
    ref.set_timesteps(num_inference_steps=steps)
    sched = objective.schedule(steps)
    np.testing.assert_allclose(ref.sigmas.numpy(), sched.sigmas, rtol=1e-6)
    assert ref.timesteps.tolist() == sched.timesteps.astype(np.int64).tolist()
    fn, noise = model("flow"), _noise()
    x, t = _run_ours("dpmpp_2m", objective, steps, fn, noise)
    x_ref, t_ref = _run_reference(ref, fn, noise)
    np.testing.assert_array_equal(t, t_ref)
    np.testing.assert_allclose(x, x_ref, **TOL)


def test_flow_shift_spends_the_steps_at_high_noise():
    plain, shifted = sampling.Objective("flow").schedule(10), sampling.Objective("flow", flow_shift=3.0).schedule(10)
    assert shifted.sigmas[0] == plain.sigmas[0] == 1.0 and shifted.sigmas[-1] == 0.0
    assert np.all(shifted.sigmas[1:-1] > plain.sigmas[1:-1])  # 3 s / (1 + 2 s) > s on (0, 1)
    with pytest.raises(ValueError, match="flow_shift"):
        sampling.Objective("flow", flow_shift=0.0)


# --- properties --------------------------------------------------------------------------------

# Step counts where discretisation error on this sharp toy distribution (std 0.3 against unit noise) is
# below the tolerance; all converge as steps grow (DiT's DDPM spacing makes the last steps large).
@pytest.mark.parametrize("kind,sampler,steps", [("ddpm", "ddpm", 250), ("ddpm", "ddim", 100),
                                                ("ddpm", "dpmpp_2m", 100), ("flow", "euler", 100),
                                                ("flow", "dpmpp_2m", 25), ("flow", "ddim", 100)])
def test_samplers_recover_a_known_distribution(kind, sampler, steps):
    fn = lambda x, t: gaussian_output(kind, x, t, mu=0.7, std=0.3).astype(np.float32)  # noqa: E731
    noise = np.random.default_rng(0).standard_normal((4000, 1, 1, 1)).astype(np.float32)
    out, _ = _run_ours(sampler, sampling.Objective(kind), steps, fn, noise, np.random.default_rng(1))
    assert abs(out.mean() - 0.7) < 0.02
    assert abs(out.std() - 0.3) < 0.02


def test_flow_ddim_equals_euler_exactly():
    fn, noise = model("flow"), _noise()
    ddim, _ = _run_ours("ddim", sampling.Objective("flow"), 10, fn, noise)
    euler, _ = _run_ours("euler", sampling.Objective("flow"), 10, fn, noise)
    assert np.array_equal(ddim, euler)


def test_ddpm_sampler_is_seeded():
    fn, noise, objective = model("ddpm"), _noise(), sampling.Objective("ddpm")
    a, _ = _run_ours("ddpm", objective, 20, fn, noise, np.random.default_rng(5))
    b, _ = _run_ours("ddpm", objective, 20, fn, noise, np.random.default_rng(5))
    c, _ = _run_ours("ddpm", objective, 20, fn, noise, np.random.default_rng(6))
    assert np.array_equal(a, b)
    assert not np.allclose(a, c)


def test_bad_sampler_choices_are_refused():
    x = np.zeros((1, 1, 1, 1), np.float32)
    with pytest.raises(ValueError, match="flow-matching"):
        sampling.SamplerState.start("euler", sampling.Objective("ddpm"), 5, x)
    with pytest.raises(ValueError, match="needs a ddpm model"):
        sampling.SamplerState.start("ddpm", sampling.Objective("flow"), 5, x)
    with pytest.raises(ValueError, match="unknown sampler"):
        sampling.SamplerState.start("heun", sampling.Objective("flow"), 5, x)
    with pytest.raises(ValueError, match="unknown objective"):
        sampling.Objective("edm")


def test_ddpm_respacing():
    t = sampling.Objective("ddpm").schedule(250).timesteps
    assert len(t) == 250 and t[0] == 999 and t[-1] == 0  # DiT's space_timesteps(1000, "250")
    assert np.all(np.diff(t) < 0)
    # round(i * 999 / (steps - 1)) is diffusers' "linspace" spacing, at every step count. (DiT's
    # space_timesteps rounds an accumulated sum instead, which lands on the other side of a .5 tie at
    # some step counts, e.g. 21 steps: DiT 499, here 500; at 10, 20, 25, 50, 100, 250, 1000 the two agree.)
    reference = DDPMScheduler(num_train_timesteps=1000, timestep_spacing="linspace")
    for steps in range(1, 1001):
        reference.set_timesteps(steps)
        assert sampling.Objective("ddpm").schedule(steps).timesteps.tolist() == reference.timesteps.tolist(), steps


def test_start_noise_is_one_seed_per_image():
    both = generation.start_noise((2, 3, 3), seed=5, n=2)
    assert np.array_equal(both[1], generation.start_noise((2, 3, 3), seed=6, n=1)[0])  # image i: seed + i
    assert np.array_equal(both, np.stack([np.random.default_rng(s).standard_normal((2, 3, 3)) for s in (5, 6)]
                                         ).astype(np.float32))


def test_guidance():
    cond, uncond = np.random.default_rng(0).standard_normal((2, 2, 8, 3, 3)).astype(np.float32)
    g = sampling.guide(cond, uncond, 4.0, 4)
    # guidance moves all latent channels; the learned-variance channels come from the conditional half
    np.testing.assert_allclose(g[:, :4], uncond[:, :4] + 4.0 * (cond[:, :4] - uncond[:, :4]), rtol=1e-6)
    assert np.array_equal(g[:, 4:], cond[:, 4:])
    np.testing.assert_allclose(sampling.guide(cond, uncond, 1.0, 4), cond, atol=1e-6)  # scale 1: conditional


@pytest.mark.parametrize("shift", [1.0, 3.0])
@pytest.mark.parametrize("steps", [1, 7, 20])
def test_a_flow_match_euler_release_config_is_its_scheduler(shift, steps):
    """A release's FlowMatchEulerDiscreteScheduler config, read by from_diffusers_scheduler, visits that
    scheduler's own noise levels and model times (its sigma_min is the shifted 1/1000, shifted again)."""
    config = FlowMatchEulerDiscreteScheduler(num_train_timesteps=1000, shift=shift).config
    objective, sampler = sampling.from_diffusers_scheduler(dict(config, _class_name="FlowMatchEulerDiscreteScheduler"))
    assert sampler == "euler"
    ref = FlowMatchEulerDiscreteScheduler(num_train_timesteps=1000, shift=shift)
    ref.set_timesteps(num_inference_steps=steps)
    sched = objective.schedule(steps)
    np.testing.assert_allclose(ref.sigmas.numpy(), sched.sigmas, rtol=1e-6)
    np.testing.assert_allclose(ref.timesteps.numpy(), sched.timesteps, rtol=1e-6)
    fn, noise = model("flow"), _noise()
    x, _ = _run_ours("euler", objective, steps, fn, noise)
    x_ref, _ = _run_reference(ref, fn, noise)
    np.testing.assert_allclose(x, x_ref, **TOL)


def test_a_flow_dpm_solver_release_config_is_its_scheduler():
    config = dict(DPMSolverMultistepScheduler(num_train_timesteps=1000, algorithm_type="dpmsolver++", solver_order=2,
                                              prediction_type="flow_prediction", use_flow_sigmas=True,
                                              flow_shift=3.0).config, _class_name="DPMSolverMultistepScheduler")
    objective, sampler = sampling.from_diffusers_scheduler(config)
    assert (sampler, objective) == ("dpmpp_2m", sampling.Objective("flow", flow_shift=3.0, sigma_max=0.999,
                                                                   integer_timesteps=True))
    for change, name in (({"solver_order": 3}, "solver_order=3"), ({"use_karras_sigmas": True}, "use_karras_sigmas"),
                         ({"prediction_type": "epsilon"}, "prediction_type='epsilon'")):
        with pytest.raises(ValueError, match=name):
            sampling.from_diffusers_scheduler({**config, **change})
    with pytest.raises(ValueError, match="'EulerDiscreteScheduler': not implemented"):
        sampling.from_diffusers_scheduler({"_class_name": "EulerDiscreteScheduler"})
