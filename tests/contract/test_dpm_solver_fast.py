"""DPM-Solver++ "fast" (the contract's dpmpp_fast sampler) with classifier-free guidance, driving our U-ViT on the
reference's weights, against the final latents efficientvit's own U-ViT + DPM_Solver gave from the same start
noise (tests/data/uvit/README.md says how they were made)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from dcae.contract import generation, sampling
from dcae.contract.conditioning import class_conditions
from dcae.contract.dpm_solver import FastPlan, fast_orders
from dcae.models.random_init import randomize_by_name_
from dcae.models.uvit import UViT, UViTConfig

GOLDEN = np.load(Path(__file__).parent.parent / "data" / "uvit" / "uvit_golden.npz")
UVIT_OBJECTIVE = sampling.Objective("ddpm", beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear",
                                    time_offset=1.0)


def sample(model, noise: np.ndarray, steps: int, scale: float, labels=(3, 7), null: int = 10) -> np.ndarray:
    cond, uncond = class_conditions(0, null, len(labels))
    cond["class_label"] = np.array(labels, np.int64)
    loop = generation.GuidedDenoising.start(UVIT_OBJECTIVE, "dpmpp_fast", steps, noise.shape[1:], 0, len(labels),
                                            cond, uncond, scale, noise=noise)

    def call(inputs):
        with torch.no_grad():
            return model(*(torch.from_numpy(inputs[k]) for k in ("latent", "timestep", "class_label"))).numpy()

    return loop.run(call)


@pytest.mark.parametrize("steps", [30, 10, 11, 5])
def test_final_latents_equal_the_reference(steps):
    cfg = UViTConfig("U-ViT-tiny", depth=4, hidden_size=32, num_heads=2, in_channels=8, input_size=4, num_classes=10)
    model = randomize_by_name_(UViT(cfg).eval(), seed=1)
    noise, scale = GOLDEN[f"sample_{steps}_noise"], float(GOLDEN[f"sample_{steps}_scale"])
    expected = GOLDEN[f"sample_{steps}_latent"]
    got = sample(model, noise, steps, scale)
    err = np.abs(got - expected).max() / np.abs(expected).max()
    assert err <= 1e-4, err
    # the tolerance separates a wrong setting: another guidance scale, or another class, moves the latents further
    assert np.abs(sample(model, noise, steps, scale + 0.5) - expected).max() / np.abs(expected).max() > 20 * max(err, 1e-6)
    assert np.abs(sample(model, noise, steps, scale, labels=(4, 7)) - expected).max() / np.abs(expected).max() > 1e-3


def test_the_plan_spends_the_evaluations_asked():
    assert fast_orders(30) == [3] * 9 + [2, 1] and fast_orders(10) == [3, 3, 3, 1] and fast_orders(11) == [3, 3, 3, 2]
    plan = FastPlan.make(UVIT_OBJECTIVE.alphas_cumprod(), 30)
    times = plan.model_times()
    assert len(times) == 30 and times[0] == pytest.approx(1000.0) and np.all(np.diff(times) < 0)
    # the intermediate evaluations fall on the uniform grid (through lambda and back, to interpolation accuracy)
    np.testing.assert_allclose(times, np.linspace(1000.0, 1.0, 31)[:-1], atol=1e-6)


def test_where_diffusers_singlestep_solver_differs():
    """diffusers' DPMSolverSinglestepScheduler configured to the same schedule (scaled-linear betas, order 3,
    DPM-Solver++) groups its evaluations into the same updates (third-order updates, then one of second order and
    one of first for 30), but it visits integer levels counted from 0 and ends at sigma 0; efficientvit's "fast"
    solver visits fractional times on a uniform grid counted from 1 and ends at level 1 (t = 1/N), not denoised.
    So the two agree on the plan to within one level and differ in those two places, and images from one are
    not the other's."""
    diffusers = pytest.importorskip("diffusers")
    ref = diffusers.DPMSolverSinglestepScheduler(num_train_timesteps=1000, beta_schedule="scaled_linear",
                                                 beta_start=0.00085, beta_end=0.012, solver_order=3,
                                                 algorithm_type="dpmsolver++", lower_order_final=True)
    ref.set_timesteps(30)
    runs, run = [], 0  # diffusers' per-evaluation orders 1, 2, 3, 1, 2, ... grouped into updates
    for order in ref.get_order_list(30):
        if order == 1 and run:
            runs.append(run)
        run = order
    runs.append(run)
    assert runs == fast_orders(30)
    ours = FastPlan.make(UVIT_OBJECTIVE.alphas_cumprod(), 30).model_times()
    theirs = ref.timesteps.numpy().astype(float) + 1  # counted from 1, as U-ViT counts its levels
    assert np.abs(ours - theirs).max() < 1.0 and not np.allclose(ours, theirs)  # fractional against rounded
    assert ref.config.final_sigmas_type == "zero" and ours[-1] > 1.0  # they end at sigma 0; we at level 1
