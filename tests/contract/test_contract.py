"""The torch-free contract's small pieces, in process (the gateway tests exercise them through HTTP):
dtypes and shapes that ONNX Runtime and Triton rely on, the seeding rule, padding and pixel edge cases,
tile plans with one tile or many, the metadata's writer and reader, the key tool."""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace

import numpy as np
import pytest

from dcae.contract import conditioning, generation, metadata, pixels, sampling, tiling
from dcae.contract.latents import LatentSpace


@pytest.mark.parametrize("kind,sampler,learn_sigma", [("flow", "euler", False), ("flow", "dpmpp_2m", False),
                                                      ("ddpm", "ddpm", False), ("ddpm", "ddpm", True),
                                                      ("ddpm", "ddim", False)])
def test_sampler_states_stay_float32_with_one_timestep_per_image(kind, sampler, learn_sigma):
    """The DiT graphs take float32 latents and (N,) float32 timesteps: a float64 leak or a timestep
    array of the wrong length would reach ONNX Runtime."""
    objective = sampling.Objective(kind, learn_sigma=learn_sigma)
    state = sampling.SamplerState.start(sampler, objective, 2, generation.start_noise((4, 2, 3), seed=1, n=3),
                                        rng=np.random.default_rng(0))
    assert state.x.dtype == np.float32
    for i in range(2):
        t = state.timestep(i)
        assert t.dtype == np.float32 and t.shape == (3,) and (t == state.schedule.timesteps[i]).all()
        out = np.ones((3, 8 if learn_sigma else 4, 2, 3), np.float64) * 0.1
        assert state.step(i, out).dtype == np.float32 and state.x.shape == (3, 4, 2, 3)
    assert state.schedule.timesteps.dtype == np.float32


def test_ddpm_schedules_space_the_training_steps_evenly():
    assert sampling.Objective("ddpm").schedule(2).timesteps.tolist() == [999, 0]
    assert sampling.Objective("ddpm").schedule(4).timesteps.tolist() == [999, 666, 333, 0]
    flow = sampling.Objective("flow").schedule(4)
    assert flow.timesteps.tolist() == [1000, 750, 500, 250] and flow.sigmas[-1] == 0 and flow.alphas[-1] == 1


def test_the_ancestral_sampler_draws_from_the_rng_it_is_given():
    def run(rng):
        state = sampling.SamplerState.start("ddpm", sampling.Objective("ddpm"), 3, np.zeros((1, 2, 2, 2), np.float32),
                                            rng=rng)
        for i in range(3):
            state.step(i, np.zeros((1, 2, 2, 2)))
        return state.x

    assert np.array_equal(run(np.random.default_rng(5)), run(np.random.default_rng(5)))
    assert not np.array_equal(run(np.random.default_rng(5)), run(np.random.default_rng(6)))
    assert np.isfinite(run(None)).all()  # no rng: a fresh one


def test_samplers_refuse_objectives_they_do_not_fit():
    with pytest.raises(ValueError, match="ddpm sampler needs a ddpm model"):
        sampling.SamplerState.start("ddpm", sampling.Objective("flow"), 2, np.zeros((1, 1, 1, 1), np.float32))
    with pytest.raises(ValueError, match="euler sampler is for flow-matching models"):
        sampling.SamplerState.start("euler", sampling.Objective("ddpm"), 2, np.zeros((1, 1, 1, 1), np.float32))
    with pytest.raises(ValueError, match="unknown sampler 'heun'"):
        sampling.SamplerState.start("heun", sampling.Objective("flow"), 2, np.zeros((1, 1, 1, 1), np.float32))
    with pytest.raises(ValueError, match="steps must be >= 1"):
        sampling.Objective("flow").schedule(0)


def test_guided_loop_batches_both_halves_conditional_first():
    cond, uncond = conditioning.class_conditions(3, 10, 2)
    loop = generation.GuidedDenoising.start(sampling.Objective("flow"), "euler", 2, (4, 1, 1), 7, 2, cond, uncond, 3.0)
    inputs = loop.inputs(0)
    assert inputs["latent"].shape == (4, 4, 1, 1) and inputs["timestep"].shape == (4,)
    assert inputs["class_label"].tolist() == [3, 3, 10, 10]
    assert np.array_equal(inputs["latent"][:2], inputs["latent"][2:])
    cond_out, uncond_out = np.full((2, 4, 1, 1), 1.0), np.full((2, 4, 1, 1), 0.5)
    expected = loop.x + (0.5 - 1.0) * (0.5 + 3.0 * (1.0 - 0.5))  # euler: x + (s1 - s0) * v, v guided
    loop.advance(0, np.concatenate([cond_out, uncond_out]))
    np.testing.assert_allclose(loop.x, expected, rtol=1e-6)
    unguided = generation.GuidedDenoising.start(sampling.Objective("flow"), "euler", 2, (4, 1, 1), 7, 2, cond, uncond,
                                                1.0)
    assert unguided.inputs(0)["latent"].shape == (2, 4, 1, 1) and unguided.inputs(0)["class_label"].tolist() == [3, 3]


def test_learned_variance_channels_come_from_the_conditional_half():
    cond, uncond = conditioning.class_conditions(1, 10, 1)
    objective = sampling.Objective("ddpm", learn_sigma=True)
    loop = generation.GuidedDenoising.start(objective, "ddpm", 3, (2, 1, 1), 0, 1, cond, uncond, 4.0)
    seen = []
    real = loop.state.step

    def spy(i, out):
        seen.append(out.copy())
        return real(i, out)

    loop.state.step = spy
    out = np.concatenate([np.full((1, 4, 1, 1), 0.25), np.full((1, 4, 1, 1), -0.75)])
    loop.advance(0, out)
    np.testing.assert_allclose(seen[0][0, :2, 0, 0], -0.75 + 4.0 * (0.25 + 0.75))  # eps: guided
    np.testing.assert_allclose(seen[0][0, 2:, 0, 0], 0.25)  # variance: the conditional half's


def test_the_ddpm_samplers_noise_comes_from_the_seed():
    cond, uncond = conditioning.class_conditions(1, 10, 2)

    def run(seed: int) -> np.ndarray:
        loop = generation.GuidedDenoising.start(sampling.Objective("ddpm"), "ddpm", 3, (2, 2, 2), seed, 2, cond,
                                                uncond, 1.0)
        for i in range(len(loop)):
            loop.advance(i, np.zeros((2, 2, 2, 2)))  # the model predicts no noise: the rest is the sampler's
        return loop.x

    assert np.array_equal(run(4), run(4)) and not np.array_equal(run(4), run(5))
    state = sampling.SamplerState.start("ddpm", sampling.Objective("ddpm"), 3, generation.start_noise((2, 2, 2), 4, 2),
                                        rng=np.random.default_rng(4 + generation.ANCESTRAL_SEED_OFFSET))
    for i in range(3):
        state.step(i, np.zeros((2, 2, 2, 2)))
    np.testing.assert_array_equal(run(4), state.x)


def test_text_conditions_use_the_all_false_mask_as_no_prompt():
    tokens, mask = np.ones((1, 5, 8), np.float16), np.array([[1, 1, 0, 0, 0]])
    cond, uncond = conditioning.text_conditions(tokens, mask, 3)
    assert cond["context"].dtype == np.float32 and cond["context"].shape == (3, 5, 8)
    assert cond["context_mask"].dtype == bool and cond["context_mask"].sum() == 6
    assert not uncond["context_mask"].any() and not uncond["context"].any()


class _Encoder:
    """A prompt encoder that records what it is asked for: tokens filled with the call's number."""

    def __init__(self):
        self.calls = []

    def __call__(self, text, negative):
        self.calls.append((text, negative))
        return np.full((1, 2, 3), len(self.calls), np.float32), np.array([[True, bool(text)]])


def test_conditioning_rule_chooses_the_unconditional_half():
    """One rule for every runtime: a negative prompt's encoding, else SANA's default negative (the empty prompt's
    caption, by the negative prompts' rule), else "no prompt"; classes take the null class."""
    plain, sana = conditioning.Conditioning("text"), conditioning.Conditioning("text", negative_caption=True)
    enc = _Encoder()
    cond, uncond = plain.conditions(2, "a lake", None, None, enc)
    assert enc.calls == [("a lake", False)] and not uncond["context_mask"].any() and cond["context"].shape[0] == 2
    enc = _Encoder()
    _, uncond = plain.conditions(1, "a lake", "blur", None, enc)
    assert enc.calls == [("a lake", False), ("blur", False)] and uncond["context"].max() == 2
    enc = _Encoder()
    _, uncond = sana.conditions(1, "a lake", None, None, enc)
    assert enc.calls == [("a lake", False), ("", True)] and uncond["context_mask"].tolist() == [[True, False]]
    assert sana.prompts("a lake", "blur") == [("a lake", False), ("blur", True)]
    assert plain.prompts("a lake", None) == [("a lake", False)] and plain.prompts(None, "x") == []
    cond, uncond = conditioning.Conditioning("class", 10).conditions(3, None, None, 4, _Encoder())
    assert cond["class_label"].tolist() == [4] * 3 and uncond["class_label"].tolist() == [10] * 3
    assert conditioning.Conditioning("none").conditions(2, None, None, None, _Encoder()) == ({}, {})


@pytest.mark.parametrize("rule, args, message", [
    (conditioning.Conditioning("text"), (None, None, None), "give a prompt"),
    (conditioning.Conditioning("text"), ("", None, None), "give a prompt"),
    (conditioning.Conditioning("class", 10), (None, "blur", 1), "negative prompts are for text"),
    (conditioning.Conditioning("class", 10), (None, None, None), "give a class label"),
    (conditioning.Conditioning("class", 1000, prompt_classes=True), (None, None, None), "(or a prompt)"),
    (conditioning.Conditioning("class", 10), (None, None, 10), "must be in [0, 10)"),
    (conditioning.Conditioning("none"), (None, "blur", None), "negative prompts are for text"),
])
def test_conditioning_rule_refuses_what_does_not_fit(rule, args, message):
    with pytest.raises(conditioning.ConditioningError, match=re.escape(message)):
        rule.conditions(1, *args, _Encoder())


def test_image_i_starts_from_seed_plus_i_and_ancestral_noise_apart():
    assert generation.image_seeds(9, 3) == [9, 10, 11]
    noise = generation.start_noise((2, 2), seed=9, n=3)
    assert noise.dtype == np.float32 and np.array_equal(noise[2], generation.start_noise((2, 2), seed=11, n=1)[0])
    assert generation.ANCESTRAL_SEED_OFFSET == 1_000_003  # published images depend on it


def test_latent_space_scales_both_ways():
    z = np.array([2.0, -4.0])
    space = LatentSpace(0.25)
    assert space.to_diffusion(z).tolist() == [0.5, -1.0] and space.from_diffusion(z).tolist() == [8.0, -16.0]


def test_pixels_round_clamp_and_pad():
    x = np.array([-1.5, -1.0, -0.9961, 0.0, 0.99, 1.0, 2.0], np.float32).reshape(1, 1, 1, 7).repeat(3, 1)
    assert pixels.to_uint8(x)[0, 0, :, 0].tolist() == [0, 0, 0, 128, 254, 255, 255]
    assert pixels.to_uint8(x).shape == (1, 1, 7, 3)
    assert pixels.to_uint8(x).dtype == np.uint8
    image = np.array([[[0, 51, 255], [127, 128, 204]]], np.uint8)  # (1, 2, 3)
    model = pixels.to_model(image)
    assert model.shape == (1, 3, 1, 2) and model.dtype == np.float32
    np.testing.assert_allclose(model[0, :, 0, 0], [-1.0, 51 / 127.5 - 1, 1.0], rtol=1e-6)
    np.testing.assert_array_equal(pixels.to_uint8(model)[0], image)  # the round trip is exact
    wide = np.arange(40, dtype=np.float32).reshape(1, 1, 4, 10)
    padded = pixels.pad_to_multiple(wide, 4)  # rows fit, columns pad: reflected
    assert padded.shape == (1, 1, 4, 12) and np.array_equal(padded[..., 10], wide[..., 8])
    assert np.array_equal(pixels.pad_to_multiple(wide[..., :8], 4), wide[..., :8])  # a multiple already
    tall = np.arange(40, dtype=np.float32).reshape(1, 1, 10, 4)  # columns fit, rows pad
    assert pixels.pad_to_multiple(tall, 4).shape == (1, 1, 12, 4)
    for h, w in ((2, 10), (10, 2), (4, 10), (10, 4)):  # one side too small to reflect its padding: replicate
        a = np.arange(h * w, dtype=np.float32).reshape(1, 1, h, w)
        np.testing.assert_array_equal(pixels.pad_to_multiple(a, 8), np.pad(a, ((0, 0), (0, 0), (0, -h % 8), (0, -w % 8)),
                                                                          mode="edge"))
    tiny = np.arange(4, dtype=np.float32).reshape(1, 1, 2, 2)  # too small to reflect 6 rows: replicate the edge
    big = pixels.pad_to_multiple(tiny, 8)
    assert big.shape == (1, 1, 8, 8)
    assert (big[0, 0, 2:, :2] == tiny[0, 0, 1]).all() and (big[0, 0, :2, 2:] == tiny[0, 0, :, 1:]).all()


def test_to_rgb_scales_sixteen_bit_and_composites_alpha():
    from PIL import Image

    grey16 = Image.fromarray(np.array([[0, 257 * 100, 65535]], np.uint16))
    assert np.asarray(pixels.to_rgb(grey16))[0, :, 0].tolist() == [0, 100, 255]
    rgba = Image.new("RGBA", (1, 1), (0, 0, 0, 0))
    assert np.asarray(pixels.to_rgb(rgba)).tolist() == [[[255, 255, 255]]]  # transparent over white


@pytest.mark.parametrize("length,tile,overlap,starts", [(100, 512, 128, [0]), (512, 512, 128, [0]),
                                                        (1000, 512, 128, [0, 384, 488]),
                                                        (1408, 512, 128, [0, 384, 768, 896])])
def test_tile_starts(length, tile, overlap, starts):
    assert tiling.tile_starts(length, tile, overlap) == starts


def test_a_one_pixel_overlap_blends_half_and_half():
    plan = tiling.TilePlan(1, 96, 64, 32, 1 / 32)  # encoding at f = 32: the tiles overlap by one latent cell
    first, second = list(plan)
    assert [(t.x0, t.ox) for t in plan] == [(0, 0), (32, 1)]
    np.testing.assert_array_equal(plan.weights(first, 1, 2), [[1.0, 0.5]])
    np.testing.assert_array_equal(plan.weights(second, 1, 2), [[0.5, 1.0]])


def test_tile_plans_cover_the_image_with_any_number_of_tiles():
    """One tile on one axis and three on the other, non-square: every output pixel is covered, the
    output has the map's size, and the blend of an identity map is the identity."""
    import asyncio

    x = np.random.default_rng(0).standard_normal((2, 3, 40, 100)).astype(np.float32)
    plan = tiling.TilePlan(40, 100, 48, 16, 2)
    assert len(plan) == len(list(plan)) == 3 and plan.output_size == (80, 200)

    async def up(t):  # a local map: 2x nearest upsampling
        return t.repeat(2, axis=2).repeat(2, axis=3)

    out = asyncio.run(tiling.blend_tiles(up, x, 48, 16, 2))
    assert out.shape == (2, 3, 80, 200) and out.dtype == np.float32
    np.testing.assert_allclose(out, x.repeat(2, axis=2).repeat(2, axis=3), rtol=1e-6)


def test_metadata_round_trips_through_the_config_line():
    meta = metadata.RepositoryMetadata(
        format="dcae-triton", format_version=1, variant="gpu", precision="float32",
        int8=metadata.Int8Info("model.int8.onnx", ["encoder"], 4, 64, 20.0, 19.5),
        autoencoder=metadata.AutoencoderInfo('a "quoted" \\ name', 32, 32, 0.37, "0123456789abcdef"),
        generator=None, text_encoder=None, networks={"encoder": metadata.NetworkInfo(8)})
    text = "name: \"encoder\"\n" + metadata.metadata_parameter(meta) + "\n"
    assert metadata.read_metadata(text) == meta
    assert metadata.read_metadata(metadata.metadata_parameter(meta.for_model("encoder", "encoder"))).model == "encoder"
    with pytest.raises(ValueError, match="no 'dcae' parameter"):
        metadata.read_metadata("name: \"encoder\"\n")
    with pytest.raises(ValueError, match=r"lacks \['networks'\]"):
        metadata.parse_metadata(json.dumps({k: v for k, v in meta.to_dict().items() if k != "networks"}))
    with pytest.raises(ValueError, match=r"'dcae.autoencoder' metadata has unknown \['colour'\]"):
        metadata.parse_metadata(json.dumps({**meta.to_dict(), "autoencoder": {**meta.to_dict()["autoencoder"],
                                                                             "colour": 1}}))
    assert metadata.graph_path("r", meta, "encoder", "int8").as_posix() == "r/encoder/1/model.int8.onnx"
    assert metadata.graph_path("r", meta, "decoder", "int8").as_posix() == "r/decoder/1/model.onnx"
    assert metadata.graph_precision(meta, metadata.graph_path("r", meta, "encoder", "int8")) == "int8"
    assert metadata.graph_precision(meta, metadata.graph_path("r", meta, "encoder")) == "float32"
    with pytest.raises(ValueError, match="dcae export --int8"):
        metadata.graph_path("r", replace(meta, int8=None), "encoder", "int8")
    with pytest.raises(ValueError, match="unknown precision"):
        metadata.graph_path("r", meta, "encoder", "fp8")


def test_the_key_tool_hashes_stdin(monkeypatch, capsys):
    from service import security

    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret\n"))
    assert security.main(["hash"]) == 0 and capsys.readouterr().out.strip() == security.hash_key("s3cret")
    monkeypatch.setattr("sys.stdin", io.StringIO("\n"))
    assert security.main(["hash"]) == 1 and "no key on stdin" in capsys.readouterr().err
    assert security.main([]) == 2 and "python -m service.security hash" in capsys.readouterr().err


def test_a_bearer_token_does_not_override_the_x_api_key_header():
    from service.security import AccessControl, hash_key
    from service.settings import Settings

    control = AccessControl.from_settings(Settings(api_keys=f"a:{hash_key('a-key')}:*,b:{hash_key('b-key')}:decode"))
    assert control.authenticate({"x-api-key": "a-key", "authorization": "Bearer b-key"}).name == "a"
    assert control.authenticate({"authorization": "bearer b-key"}).name == "b"
    assert control.authenticate({"authorization": "Basic b-key"}) is None


def test_an_engine_cache_that_cannot_be_written_is_no_cache(tmp_path):
    """A read-only root and no home (the containers): OpenVINO compiles without a cache, saying so, instead of the
    models failing to load."""
    from dcae.contract.cpu import writable

    said = []
    (tmp_path / "file").write_text("")
    assert writable(tmp_path / "file" / "cache", said.append) is None
    assert "cannot be written" in said[0] and "DCAE_ENGINE_CACHE" in said[0]
    assert writable(tmp_path / "ok" / "cache", said.append) == tmp_path / "ok" / "cache" and len(said) == 1
    assert list((tmp_path / "ok" / "cache").iterdir()) == []  # the probe is gone
