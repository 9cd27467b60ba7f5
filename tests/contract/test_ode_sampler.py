"""The contract's dopri5 sampler (efficientvit's USiT releases): against efficientvit's own USiT sampling (its SiT
sampler over torchdiffeq) on the reference's weights and start noise (tests/data/uvit/README.md says how the
golden outputs were made), and against torchdiffeq's dopri5 itself where steps are rejected."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from dcae.contract import generation, sampling
from dcae.contract.conditioning import class_conditions
from dcae.contract.ode import Dopri5
from dcae.models.random_init import randomize_by_name_
from dcae.models.uvit import UViT, UViTConfig

GOLDEN = np.load(Path(__file__).parent.parent / "data" / "uvit" / "usit_golden.npz")
LINEAR = sampling.Objective("linear")
NULL_CLASS = 10


@pytest.fixture(scope="module")
def model():
    """The reference's network, on one thread as the golden arrays were made (PyTorch's float32 matmuls round
    differently on two threads, and dopri5's step sizes follow the low bits of its error estimate)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    cfg = UViTConfig("U-ViT-tiny", depth=4, hidden_size=32, num_heads=2, in_channels=8, input_size=4, num_classes=10)
    yield randomize_by_name_(UViT(cfg).eval(), seed=1)
    torch.set_num_threads(threads)


def sample(model, noise: np.ndarray, labels, scale: float, steps: int = 1000, sampler: str = "dopri5"):
    """-> (final latents, the model times of each call, the batch of each call)."""
    cond, uncond = class_conditions(0, NULL_CLASS, len(labels))
    cond["class_label"] = np.array(labels, np.int64)
    loop = generation.GuidedDenoising.start(LINEAR, sampler, steps, noise.shape[1:], 0, len(labels), cond, uncond,
                                            scale, noise=noise)
    times, batches = [], []

    def call(inputs):
        times.append(inputs["timestep"][0])
        batches.append(len(inputs["latent"]))
        with torch.no_grad():
            return model(*(torch.from_numpy(inputs[k]) for k in ("latent", "timestep", "class_label"))).numpy()

    return loop.run(call), np.array(times), batches


def rel(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a - b).max() / np.abs(b).max())


# Bit for bit on the machine that made the golden arrays (one thread). Another CPU's float32 matmuls round the
# network's outputs differently in the last bits, and dopri5's step sizes follow the low bits of its error estimate
# (a difference of near-equal terms): two threads here move the step times by 0.4 % and the latents by 6e-5.
# A guidance scale 0.5 off moves them by 2e-2, another class by 1.
TIMES_RTOL, LATENTS_RTOL = 1e-2, 5e-4


@pytest.mark.parametrize("case", ["a", "b", "c", "d", "e"])
def test_batch_1_equals_the_reference(model, case):
    """The same evaluations at the same model times (2 to pick the first step, 6 per step; the last step passes
    t = 1 and the state there comes from its dense output), and the same latents."""
    noise, scale = GOLDEN[f"{case}_noise"], float(GOLDEN[f"{case}_scale"])
    expected, expected_times = GOLDEN[f"{case}_latent"], GOLDEN[f"{case}_times"]
    got, times, _ = sample(model, noise, list(GOLDEN[f"{case}_labels"]), scale)
    assert len(times) == len(expected_times) and (len(times) - 2) % 6 == 0 and expected_times[-1] > 1.0
    np.testing.assert_allclose(times, expected_times, rtol=TIMES_RTOL, atol=1e-7)
    err = rel(got, expected)
    assert err <= LATENTS_RTOL, err
    if case == "d":  # the tolerance separates a wrong setting: a scale 0.5 off, or another class
        wrong_scale = rel(sample(model, noise, [2], scale + 0.5)[0], expected)
        wrong_class = rel(sample(model, noise, [3], scale)[0], expected)
        assert wrong_scale > 20 * LATENTS_RTOL and wrong_class > 1e-1, (wrong_scale, wrong_class)


def test_a_batch_integrates_each_image_on_its_own(model):
    """The reference measures the error over the whole batch, so its two images couple: in one batch, image e
    ends 1e-2 (of its largest value) away from e alone. Here each image is integrated on its own: a batch of 2
    gives each image's batch-1 latents (the reference's), the images sharing every model call until the one with
    fewer steps (e: 38 evaluations alone, d: 44) is done and leaves the batch."""
    got, _, batches = sample(model, GOLDEN["de_noise"], [2, 7], 12.0)
    for j, case in enumerate("de"):
        err = rel(got[j:j + 1], GOLDEN[f"{case}_latent"])
        assert err <= LATENTS_RTOL, (case, err)
    coupled = rel(GOLDEN["de_latent"][1:], GOLDEN["e_latent"])
    assert coupled > 10 * LATENTS_RTOL, coupled  # the reference's batch of 2 is not its batches of 1
    assert batches == [4] * 38 + [2] * (44 - 38)  # both images (both halves of guidance), then d alone


def test_dopri5_equals_torchdiffeq_with_rejected_steps():
    """torchdiffeq's odeint (the reference's integrator) on a stiff-ish ODE whose steps it rejects 11 times: the same
    number of evaluations and the same state at t = 1, bit for bit (the test's ODE is computed by torch on both
    sides)."""
    torchdiffeq = pytest.importorskip("torchdiffeq")

    def f(t, y):
        return -25.0 * (y - torch.tanh(40.0 * (t - 0.5)) * torch.cos(3.0 * y))

    y0 = torch.randn(2, 3, 3, generator=torch.Generator().manual_seed(0))
    calls = []
    expected = torchdiffeq.odeint(lambda t, y: calls.append(t) or f(t, y), y0, torch.linspace(0, 1, 250),
                                  method="dopri5", atol=[1e-6], rtol=[1e-3])[-1].numpy()
    solver = Dopri5(y0.numpy())
    while not solver.done:
        t, y = solver.request()
        solver.tell(f(torch.tensor(t), torch.from_numpy(y)).numpy())
    assert solver.evaluations == len(calls) and solver.steps_rejected > 0
    assert rel(solver.result, expected) <= 1e-6


def test_the_evaluations_are_capped_by_steps(model):
    with pytest.raises(sampling.SamplerBudgetError, match="spent the 20 evaluations allowed"):
        sample(model, GOLDEN["d_noise"], [2], 12.0, steps=20)


def test_fixed_step_samplers_run_the_linear_path(model):
    """euler on SiT's path is Euler's method on the velocity ODE from t = 0 (x += v dt), so with enough steps it
    approaches the adaptive solution; ddim is the same update."""
    noise = GOLDEN["a_noise"]
    euler, times, _ = sample(model, noise, [3], 1.5, steps=200, sampler="euler")
    assert times[0] == 0.0 and times[-1] == pytest.approx(199 / 200)
    assert rel(euler, GOLDEN["a_latent"]) < 2e-2
    ddim, _, _ = sample(model, noise, [3], 1.5, steps=200, sampler="ddim")
    assert rel(ddim, euler) < 1e-5
    with pytest.raises(ValueError, match="does not fit a linear model"):
        sample(model, noise, [3], 1.5, sampler="dpmpp_fast")


def test_image_to_image_starts_the_integration_later(model):
    """Strength s: the image's latent noised to SiT time 1 - s with the seed's noise, integrated from there;
    strength 0 gives the latent back without a model call."""
    image = np.random.default_rng(5).standard_normal((1, 8, 4, 4)).astype(np.float32)
    cond, uncond = class_conditions(0, NULL_CLASS, 1)
    cond["class_label"] = np.array([3], np.int64)
    loop = generation.GuidedDenoising.start(LINEAR, "dopri5", 1000, (8, 4, 4), 0, 1, cond, uncond, 1.5,
                                            init_latent=image, strength=0.0)
    assert list(loop.steps) == [] and np.array_equal(loop.x, image)
    loop = generation.GuidedDenoising.start(LINEAR, "dopri5", 1000, (8, 4, 4), 0, 1, cond, uncond, 1.5,
                                            init_latent=image, strength=0.4)
    noise = generation.start_noise((8, 4, 4), 0, 1)
    assert np.allclose(loop.x, 0.6 * image + 0.4 * noise, atol=1e-6)
    assert loop.inputs(0)["timestep"][0] == pytest.approx(0.6) and loop.fraction == 0.0
