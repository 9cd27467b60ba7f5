"""The torch-free contract's numpy samplers (dcae/contract/sampling.py, which the gateway and Triton's
generate model run) equal the torch ones (dcae/diffusion.py)."""

import numpy as np
import pytest
import torch

from dcae import diffusion
from dcae.contract import generation, sampling
from test_dit import gaussian_model


@pytest.mark.parametrize("kind,sampler", [("ddpm", "ddim"), ("ddpm", "dpmpp_2m"), ("flow", "euler"),
                                          ("flow", "dpmpp_2m"), ("flow", "ddim")])
@pytest.mark.parametrize("steps", [1, 7, 30])
def test_numpy_sampler_equals_torch(kind, sampler, steps):
    obj_t, obj_n = diffusion.Objective(kind), sampling.Objective(kind)
    model = gaussian_model(obj_t, 0.3, 0.5)
    noise = sampling.initial_noise((2, 3, 3), seeds=[0, 1])
    sched = obj_t.schedule(steps)
    expected = diffusion.get_sampler(sampler)(diffusion.make_denoiser(model, obj_t, sched), torch.from_numpy(noise), sched)
    state = sampling.SamplerState.start(sampler, obj_n, steps, noise)
    np.testing.assert_allclose(state.schedule.timesteps, sched.timesteps.numpy(), rtol=1e-6)
    for i in range(steps):
        out = model(torch.from_numpy(state.x), torch.from_numpy(state.timestep(i))).numpy()
        state.step(i, out)
    np.testing.assert_allclose(state.x, expected.numpy(), atol=1e-4, rtol=1e-4)


def test_ddpm_ancestral_learned_variance_matches_torch_given_the_same_noise(monkeypatch):
    # Same draws on both sides: feed the torch sampler the numpy generator's normals.
    obj_t, obj_n = diffusion.Objective("ddpm", learn_sigma=True), sampling.Objective("ddpm", learn_sigma=True)
    base = gaussian_model(obj_t, 0.0, 0.5)
    model = lambda x, t: torch.cat([base(x, t), torch.tanh(x)], 1)  # noqa: E731 - some learned-variance output
    noise = sampling.initial_noise((1, 2, 2), seeds=[3])
    rng_draws = np.random.default_rng(9)
    draws = [rng_draws.standard_normal(noise.shape) for _ in range(10)]
    it = iter(draws)
    monkeypatch.setattr(diffusion, "_noise", lambda x, g: torch.from_numpy(next(it)).to(x.dtype))
    sched = obj_t.schedule(10)
    expected = diffusion.sample_ddpm(diffusion.make_denoiser(model, obj_t, sched), torch.from_numpy(noise).double(), sched)
    state = sampling.SamplerState.start("ddpm", obj_n, 10, noise, rng=np.random.default_rng(9))
    for i in range(10):
        state.step(i, model(torch.from_numpy(state.x).double(), torch.from_numpy(state.timestep(i))).numpy())
    np.testing.assert_allclose(state.x, expected.numpy(), atol=1e-4, rtol=1e-4)


def test_guidance_matches_torch():
    cond, uncond = np.random.default_rng(0).standard_normal((2, 2, 8, 3, 3)).astype(np.float32)
    got = sampling.guide(cond, uncond, 3.5, 4)
    want = diffusion.classifier_free_guidance(lambda x, t: torch.from_numpy(cond), lambda x, t: torch.from_numpy(uncond),
                                              3.5, 4)(None, None)
    np.testing.assert_allclose(got, want.numpy(), rtol=1e-6)


def test_start_noise_is_one_seed_per_image():
    both = generation.start_noise((2, 3, 3), seed=5, n=2)
    assert np.array_equal(both[1], generation.start_noise((2, 3, 3), seed=6, n=1)[0])  # image i: seed + i
    assert np.array_equal(both, np.stack([np.random.default_rng(s).standard_normal((2, 3, 3)) for s in (5, 6)]
                                         ).astype(np.float32))


def test_the_torch_samplers_are_the_contracts_samplers():
    assert tuple(diffusion.SAMPLERS) == sampling.SAMPLERS


def test_bad_sampler_choices_are_refused():
    with pytest.raises(ValueError, match="flow-matching"):
        sampling.SamplerState.start("euler", sampling.Objective("ddpm"), 5, np.zeros((1, 1, 1, 1)))
    with pytest.raises(ValueError, match="unknown sampler"):
        sampling.SamplerState.start("heun", sampling.Objective("flow"), 5, np.zeros((1, 1, 1, 1)))
