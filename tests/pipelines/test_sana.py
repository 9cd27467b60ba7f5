"""SANA's transformer against diffusers' `SanaTransformer2DModel` on the same random weights, loaded from the
folder `save_pretrained` writes (a release's `transformer/` layout)."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from dcae.models.random_init import randomize_
from dcae.checkpoint import CheckpointError, load_sana_transformer
from dcae.models.sana import SanaConfig
from support.releases import write_sana_release

diffusers = pytest.importorskip("diffusers")

TINY = dict(in_channels=8, out_channels=8, num_attention_heads=2, attention_head_dim=8, num_layers=2,
            num_cross_attention_heads=2, cross_attention_head_dim=8, cross_attention_dim=16, caption_channels=24,
            mlp_ratio=2.5, sample_size=8, patch_size=1)


def reference(tmp_path, seed: int = 0, **overrides):
    ref = randomize_(diffusers.SanaTransformer2DModel(**{**TINY, **overrides}), seed=seed).eval()
    ref.save_pretrained(tmp_path / "transformer")
    return ref


def rel_err(a: torch.Tensor, b: torch.Tensor) -> float:
    return ((a - b).abs().max() / b.abs().max()).item()


SPRINT = {"qk_norm": "rms_norm_across_heads", "guidance_embeds": True}


@pytest.mark.parametrize("overrides,size", [
    ({"patch_size": 1}, (8, 6)), ({"patch_size": 2}, (8, 6)),
    ({"qk_norm": "rms_norm_across_heads"}, (8, 6)),  # SANA 1.5
    ({**SPRINT}, (8, 6)), ({**SPRINT, "guidance_embeds_scale": 0.3}, (8, 6)),  # SANA-Sprint: guidance embedded
    ({"interpolation_scale": 1.0}, (8, 8)),  # 2K: sin-cos positions at the native grid (diffusers' stored table)
    ({"interpolation_scale": 1.0}, (8, 6)), ({"interpolation_scale": 2.0}, (12, 10)),  # 4K; other grids: recomputed
    ({"interpolation_scale": 2.0, "patch_size": 2}, (12, 8)),
], ids=["sana-1.0", "patch-2", "sana-1.5-qk-norm", "sprint", "sprint-scale", "2k-native", "2k-other-size", "4k",
        "4k-patch-2"])
def test_equals_diffusers_on_the_same_weights(tmp_path, overrides, size):
    ref = reference(tmp_path, **overrides)
    ours = load_sana_transformer(tmp_path / "transformer")
    g = torch.Generator().manual_seed(1)
    x = torch.randn(3, 8, *size, generator=g)  # not square: the token grid keeps its shape
    sprint = overrides.get("guidance_embeds", False)
    t = torch.tensor([1.0, 0.6, 0.01]) if sprint else torch.tensor([999.0, 500.0, 3.0])
    caption = torch.randn(3, 5, 24, generator=g)
    mask = torch.ones(3, 5, dtype=torch.long)
    mask[1, 3:] = 0  # padded caption tokens
    guidance = torch.tensor([4.5, 1.0, 7.0]) if sprint else None
    with torch.no_grad():
        extra = {"guidance": guidance * ref.config.guidance_embeds_scale} if sprint else {}  # as SanaSprintPipeline
        expected = ref(x, encoder_hidden_states=caption, timestep=t, encoder_attention_mask=mask, **extra).sample
        got = ours(x, t, caption, mask.bool(), guidance=guidance)
        if sprint:  # the guidance reaches the output
            assert rel_err(ours(x, t, caption, mask.bool(), guidance=guidance + 2), expected) > 1e-3
        if "interpolation_scale" in overrides:  # the positions reach the output
            without = type(ours)(ours.config.__class__(**{**ours.config.__dict__, "interpolation_scale": None}))
            without.load_state_dict(ours.state_dict())
            assert rel_err(without(x, t, caption, mask.bool()), expected) > 1e-3
    assert got.shape == expected.shape == (3, 8, *size)
    assert rel_err(got, expected) <= 1e-4
    assert expected.abs().max() > 0.1  # random weights everywhere: a non-trivial output
    with torch.no_grad():  # the mask matters: unmasked padding gives another answer
        assert rel_err(ours(x, t, caption, None, guidance=guidance), expected) > 1e-3


def test_strict_loading_names_what_does_not_match(tmp_path):
    reference(tmp_path)
    from safetensors.torch import load_file, save_file

    path = tmp_path / "transformer" / "diffusion_pytorch_model.safetensors"
    state = load_file(str(path))
    del state["transformer_blocks.1.ff.conv_point.weight"]
    state["transformer_blocks.0.extra.weight"] = torch.zeros(1)
    save_file(state, str(path))
    with pytest.raises(CheckpointError, match=r"missing: transformer_blocks.1.ff.conv_point.weight; unexpected: "
                                              r"transformer_blocks.0.extra.weight"):
        load_sana_transformer(tmp_path / "transformer")


def test_configurations_not_implemented_are_refused_by_name(tmp_path):
    for overrides, name in (({"qk_norm": "rms_norm"}, "qk_norm"), ({"interpolation_scale": 0}, "interpolation_scale")):
        config = {**TINY, **overrides}
        with pytest.raises(ValueError, match=f"{name}=.*not implemented"):
            SanaConfig.from_diffusers(json.loads(json.dumps(config)))


# ---- the pipeline: a release saved by diffusers' SanaPipeline, against that pipeline ------------------------

def _diffusers_images(pipe, prompt, noise, **kwargs) -> np.ndarray:
    """diffusers' SanaPipeline from the given start noise -> uint8 (N, H, W, 3), as it saves images."""
    f = pipe.vae_scale_factor
    with torch.no_grad():
        out = pipe(prompt, latents=torch.from_numpy(noise), height=noise.shape[2] * f, width=noise.shape[3] * f,
                   num_images_per_prompt=noise.shape[0], use_resolution_binning=False, output_type="np", **kwargs)
    return (out.images * 255).round().astype(np.uint8)


@pytest.fixture(scope="module")
def sana_release(tmp_path_factory):
    directory = tmp_path_factory.mktemp("sana") / "Sana_tiny_diffusers"
    pipe = write_sana_release(directory)
    return directory, pipe


@pytest.mark.parametrize("case", [
    dict(prompt="A red Cat on the sea", steps=4, guidance=4.5),
    dict(prompt="a small dog", negative_prompt="blue sky", steps=3, guidance=2.0),
    dict(prompt="a dog", steps=2, guidance=4.5, use_instruction=False),
])
def test_images_equal_sana_pipelines_from_the_same_noise(sana_release, case):
    from dcae.contract.pixels import to_uint8
    from dcae.pipelines.sana import SanaPipeline

    directory, pipe = sana_release
    case = dict(case)
    use_instruction = case.pop("use_instruction", True)
    ours = SanaPipeline.from_pretrained(directory, use_instruction=use_instruction)
    noise = np.random.default_rng(5).standard_normal((2, 32, 2, 3)).astype(np.float32)  # 64 x 96 px, two images
    got = to_uint8(ours(case["prompt"], steps=case["steps"], guidance=case["guidance"],
                        negative_prompt=case.get("negative_prompt"), latents=noise).numpy())
    kwargs = {} if use_instruction else {"complex_human_instruction": None}
    expected = _diffusers_images(pipe, case["prompt"], noise, num_inference_steps=case["steps"],
                                 guidance_scale=case["guidance"], negative_prompt=case.get("negative_prompt") or "",
                                 **kwargs)
    assert got.shape == expected.shape == (2, 64, 96, 3)
    assert np.abs(got.astype(int) - expected).max() <= 2
    assert got.std() > 5 and not np.array_equal(got[0], got[1])  # random weights reach the pixels; noise per image
    # the prompt reaches the image: another prompt from the same noise gives another image
    other = to_uint8(ours("a blue sky", steps=case["steps"], guidance=case["guidance"], latents=noise).numpy())
    assert np.abs(other.astype(int) - got).max() > 2


def test_prompts_are_tokenised_as_the_releases_tokenizer_does(sana_release):
    """Our torch-free tokenisation (tokenizers + SANA's rules) against the transformers tokenizer as the
    pipeline calls it: the instruction prefix, lower-casing, <bos>, truncation and right padding."""
    from dcae.contract.sana_prompt import SanaPrompting

    directory, pipe = sana_release
    prompting = SanaPrompting.from_release(directory / "tokenizer")
    chi = "\n".join(prompting.instruction)
    length = len(pipe.tokenizer.encode(chi)) + 300 - 2
    assert prompting.encoder_length() == length
    prompts = ["A RED cat  ", "dog " * 400]  # the second is truncated
    ids, mask = prompting.tokenize(prompts)
    ref = pipe.tokenizer([chi + p.lower().strip() for p in prompts], padding="max_length", max_length=length,
                         truncation=True, add_special_tokens=True, return_tensors="np")
    np.testing.assert_array_equal(ids, ref.input_ids)
    np.testing.assert_array_equal(mask, ref.attention_mask)
    assert ids[0, 0] == 2 and mask[0].sum() < length and mask[1].sum() == length
    ids, mask = prompting.tokenize([""], negative=True)
    assert ids.shape == (1, 300) and ids[0, :2].tolist() == [2, 0] and mask.sum() == 1
    assert prompting.selected(length) == [0] + list(range(length - 299, length))


def test_a_gemma_style_tokenizer_gives_the_ids_transformers_gemma_tokenizer_gives(tmp_path):
    """transformers 5's GemmaTokenizer builds its own pipeline (normalizer, BPE with byte fallback) from the file's
    vocabulary and merges; we read tokenizer.json as written. On a Gemma-shaped file the two give the same ids, with
    SANA's rules on top as the pipeline calls it: spaces, punctuation, capitals, non-ASCII, truncation, padding."""
    from transformers import GemmaTokenizer

    from dcae.contract.sana_prompt import SanaPrompting
    from support.releases import gemma_style_tokenizer

    directory = gemma_style_tokenizer(tmp_path / "tokenizer")
    theirs = GemmaTokenizer.from_pretrained(str(directory))
    prompting = SanaPrompting.from_release(directory)
    chi = "\n".join(prompting.instruction)
    length = len(theirs.encode(chi)) + 300 - 2
    prompts = ["a photo of a red cat", "A  Dog,   under the BLUE sky!", " leading and trailing  ",
               "Café über naïve 東京 🐈", "tabs\tand\nnew lines", "ÉCOLE sea-cat's", "cat " * 500]
    ids, mask = prompting.tokenize(prompts)
    ref = theirs([chi + p.lower().strip() for p in prompts], padding="max_length", max_length=length,
                 truncation=True, add_special_tokens=True, return_tensors="np")
    np.testing.assert_array_equal(ids, ref.input_ids)
    np.testing.assert_array_equal(mask, ref.attention_mask)
    assert (ids > 260).any() and (ids[:, 1:] < 261).any()  # merged pieces and byte-fallback tokens both occur
    neg_ids, _ = prompting.tokenize(["Ünïcode, Négatif!"], negative=True)  # lower-cased, as the pipeline does
    neg_ref = theirs(["Ünïcode, Négatif!".lower()], padding="max_length", max_length=300, truncation=True,
                     add_special_tokens=True, return_tensors="np")
    np.testing.assert_array_equal(neg_ids, neg_ref.input_ids)


def test_the_release_scheduler_sets_the_defaults(sana_release, tmp_path):
    from dcae.pipelines.sana import scheduler_defaults

    directory, _ = sana_release
    objective, defaults = scheduler_defaults(directory)
    assert defaults == {"sampler": "dpmpp_2m", "steps": 20, "guidance": 4.5}
    assert (objective.flow_shift, objective.sigma_max, objective.integer_timesteps) == (3.0, 0.999, True)


def test_a_sana_1_5_release_equals_its_pipeline(tmp_path):
    """SANA 1.5 (normalised queries and keys, diffusers' SanaPipeline): the same images from the same noise."""
    from dcae.contract.pixels import to_uint8
    from dcae.pipelines.sana import SanaPipeline

    pipe = write_sana_release(tmp_path / "Sana_1.5_tiny", seed=5, transformer={"qk_norm": "rms_norm_across_heads"})
    noise = np.random.default_rng(2).standard_normal((2, 32, 2, 2)).astype(np.float32)
    expected = _diffusers_images(pipe, "a red cat", noise, num_inference_steps=3, guidance_scale=4.5)
    ours = SanaPipeline.from_pretrained(tmp_path / "Sana_1.5_tiny")
    assert ours.transformer.config.qk_norm == "rms_norm_across_heads"
    got = to_uint8(ours("a red cat", latents=noise, steps=3, guidance=4.5).numpy())
    assert np.abs(got.astype(int) - expected.astype(int)).max() <= 2


@pytest.mark.parametrize("size", [(2, 2), (3, 2)], ids=["native", "other-size"])
def test_a_4k_style_release_equals_its_pipeline(tmp_path, size):
    """The 4K recipe (sin-cos positions with interpolation_scale 2, flow shift 6) at the native grid and another,
    from the same noise; decoding in tiles (as the 4K releases' images are) changes the image but little."""
    from dcae.contract.pixels import to_uint8
    from dcae.pipelines.sana import SanaPipeline

    pipe = write_sana_release(tmp_path / "Sana_4K_tiny", seed=9, transformer={"interpolation_scale": 2.0}, flow_shift=6.0)
    noise = np.random.default_rng(3).standard_normal((1, 32, *size)).astype(np.float32)
    expected = _diffusers_images(pipe, "a red cat", noise, num_inference_steps=3)
    ours = SanaPipeline.from_pretrained(tmp_path / "Sana_4K_tiny")
    assert ours.objective.flow_shift == 6.0 and ours.transformer.config.interpolation_scale == 2.0
    got = to_uint8(ours("a red cat", latents=noise, steps=3).numpy())
    assert np.abs(got.astype(int) - expected.astype(int)).max() <= 2
    if size == (3, 2):
        from dcae.contract.tiling import TileSpec

        tiled = to_uint8(ours("a red cat", latents=noise, steps=3, tile=TileSpec(64, 32)).numpy()).astype(int)
        assert tiled.shape == got.shape and not np.array_equal(tiled, got)  # two tiles, blended
        assert np.abs(tiled - got).mean() < 40  # random weights, 1-cell tiles: near, not equal


def test_a_flow_euler_release_equals_its_pipeline(tmp_path):
    from dcae.contract.pixels import to_uint8
    from dcae.pipelines.sana import SanaPipeline

    pipe = write_sana_release(tmp_path / "euler", seed=3, scheduler="euler")
    ours = SanaPipeline.from_pretrained(tmp_path / "euler")
    assert ours.sampling["sampler"] == "euler"
    noise = np.random.default_rng(1).standard_normal((1, 32, 2, 2)).astype(np.float32)
    got = to_uint8(ours("a green sea", steps=3, latents=noise).numpy())
    expected = _diffusers_images(pipe, "a green sea", noise, num_inference_steps=3)
    assert np.abs(got.astype(int) - expected).max() <= 2


def test_incomplete_and_unimplemented_releases_are_named(sana_release, tmp_path):
    import shutil

    from dcae.pipelines.sana import SanaPipeline

    directory, _ = sana_release
    broken = tmp_path / "broken"
    shutil.copytree(directory, broken)
    shutil.rmtree(broken / "text_encoder")
    with pytest.raises(FileNotFoundError, match="lacks text_encoder/"):
        SanaPipeline.from_pretrained(broken)
    index = json.loads((broken / "model_index.json").read_text())
    (broken / "model_index.json").write_text(json.dumps({**index, "_class_name": "SanaControlNetPipeline"}))
    with pytest.raises(ValueError, match="'SanaControlNetPipeline' is not implemented"):
        SanaPipeline.from_pretrained(broken)


def test_dcae_generate_from_diffusers_noise_and_info(sana_release, tmp_path, capsys):
    """The command line: `dcae generate --model <release> --latents noise.npy` writes diffusers' images;
    `dcae info` shows the release's defaults; sizes that are no multiple of the compression are refused."""
    from PIL import Image

    from dcae.cli import main

    directory, pipe = sana_release
    noise = np.random.default_rng(2).standard_normal((1, 32, 3, 2)).astype(np.float32)
    np.save(tmp_path / "noise.npy", noise)
    assert main(["generate", "--model", str(directory), "--prompt", "a cat with a dog", "--negative-prompt", "sky",
                 "--steps", "3", "--latents", str(tmp_path / "noise.npy"), "-o", str(tmp_path / "cat.png")]) == 0
    got = np.asarray(Image.open(tmp_path / "cat.png"))
    expected = _diffusers_images(pipe, "a cat with a dog", noise, num_inference_steps=3, negative_prompt="sky")[0]
    assert got.shape == (96, 64, 3) and np.abs(got.astype(int) - expected).max() <= 2
    capsys.readouterr()
    assert main(["info", str(directory), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["sampling"] == {"sampler": "dpmpp_2m", "steps": 20, "guidance": 4.5}
    assert info["kind"] == "sana" and info["image_size"] == 64 and info["text_encoder"]["architecture"] == "Gemma2Model"
    assert main(["generate", "--model", str(directory), "--prompt", "a cat", "--height", "50", "-o",
                 str(tmp_path / "x.png")]) == 2
    assert "multiples of 32" in capsys.readouterr().err


def test_resolution_binning_gives_diffusers_sizes_for_most_of_its_table(sana_release, tmp_path, capsys):
    """binned_size against diffusers' hand-made 512 and 1024 tables (their own sizes asked), and `dcae generate
    --resolution-binning`: any size, generated at the native area, resized and center-cropped to it."""
    from diffusers.pipelines.pixart_alpha.pipeline_pixart_alpha import ASPECT_RATIO_512_BIN, ASPECT_RATIO_1024_BIN
    from PIL import Image

    from dcae.cli import main
    from dcae.contract.generation import binned_size
    from dcae.contract.pixels import fit, to_uint8
    from dcae.pipelines.sana import SanaPipeline

    for table, native in ((ASPECT_RATIO_512_BIN, 512), (ASPECT_RATIO_1024_BIN, 1024)):
        sizes = [(int(h), int(w)) for h, w in table.values()]
        same = [s for s in sizes if binned_size(*s, native, 32) == s]
        assert len(same) == 30 and (native, native) in same, len(same)
        for h, w in sizes:  # the others: the same aspect ratio within 5 %, the area within 10 %
            bh, bw = binned_size(h, w, native, 32)
            assert abs(bh / bw / (h / w) - 1) < 0.05 and abs(bh * bw / native**2 - 1) < 0.1
    directory, _ = sana_release
    assert main(["generate", "--model", str(directory), "--prompt", "a cat", "--height", "50", "--width", "130",
                 "--resolution-binning", "--steps", "2", "--seed", "5", "-o", str(tmp_path / "b.png"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["generated_size"] == [32, 96] and out["size"] == [50, 130]
    expected = fit(to_uint8(SanaPipeline.from_pretrained(directory)("a cat", seed=5, steps=2, height=32,
                                                                       width=96).numpy())[0], 50, 130)
    assert np.array_equal(np.asarray(Image.open(tmp_path / "b.png")), expected)


# ---- SANA-Sprint: guidance embedded, the SCM sampler, fresh noise per step --------------------------------------

@pytest.fixture(scope="module")
def sprint_release(tmp_path_factory):
    directory = tmp_path_factory.mktemp("sprint") / "Sana_Sprint_tiny_diffusers"
    return directory, write_sana_release(directory, seed=7, scheduler="scm")


def _sprint_noise(shape, steps: int, seed: int) -> tuple[torch.Generator, np.ndarray]:
    """The generator SanaSprintPipeline draws its fresh noise from, and the same draws (one per step, as
    SCMScheduler.step draws them) for ours."""
    g = torch.Generator().manual_seed(seed)
    return torch.Generator().manual_seed(seed), np.stack([torch.randn(shape, generator=g).numpy() for _ in range(steps)])


@pytest.mark.parametrize("steps,guidance", [(1, 4.5), (2, 4.5), (4, 2.0)])
def test_sprint_images_equal_sana_sprint_pipelines(sprint_release, steps, guidance):
    """Given the same start noise and the same fresh noise per step: 1 step (deterministic), the 2-step recipe
    (angles 1.5708, 1.3, 0) and 4 evenly spaced steps."""
    from dcae.contract.pixels import to_uint8
    from dcae.pipelines.sana import SanaPipeline

    directory, pipe = sprint_release
    ours = SanaPipeline.from_pretrained(directory)
    assert ours.sampling == {"sampler": "scm", "steps": 2, "guidance": 4.5}
    assert ours.rule.embedded_guidance and ours.objective.kind == "trigflow"
    noise = np.random.default_rng(3).standard_normal((2, 32, 2, 3)).astype(np.float32)
    generator, step_noise = _sprint_noise(noise.shape, steps, seed=11)
    kwargs = {} if steps == 2 else {"intermediate_timesteps": None}
    expected = _diffusers_images(pipe, "a red cat", noise, num_inference_steps=steps, guidance_scale=guidance,
                                 generator=generator, **kwargs)
    got = to_uint8(ours("a red cat", steps=steps, guidance=guidance, latents=noise, step_noise=step_noise).numpy())
    assert got.shape == expected.shape == (2, 64, 96, 3)
    assert np.abs(got.astype(int) - expected).max() <= 2
    assert got.std() > 5 and not np.array_equal(got[0], got[1])
    # the guidance is the network's input: another guidance gives another image, still one pass per step
    other = to_uint8(ours("a red cat", steps=steps, guidance=guidance + 3, latents=noise, step_noise=step_noise).numpy())
    assert np.abs(other.astype(int) - got).max() > 2
    if steps > 1:  # the fresh noise reaches the image (a 1-step run is deterministic given the start noise)
        again = to_uint8(ours("a red cat", steps=steps, guidance=guidance, latents=noise, step_noise=-step_noise).numpy())
        assert np.abs(again.astype(int) - got).max() > 2


def test_sprint_takes_no_negative_prompt_and_runs_one_pass_per_step(sprint_release):
    from dcae.contract.conditioning import ConditioningError
    from dcae.pipelines.sana import SanaPipeline

    ours = SanaPipeline.from_pretrained(sprint_release[0])
    calls = []
    denoise = ours.denoise
    ours.denoise = lambda inputs: calls.append({k: v.shape for k, v in inputs.items()}) or denoise(inputs)
    ours.sample_latents("a dog", n=3, steps=2)
    assert len(calls) == 2 and calls[0]["latent"][0] == 3 and calls[0]["guidance"] == (3,)
    with pytest.raises(ConditioningError, match="no negative prompt"):
        ours.sample_latents("a dog", negative_prompt="sky")


@pytest.mark.parametrize("steps,strength", [(2, 0.5), (4, 0.6), (2, 0.6)])
def test_sprint_image_to_image_equals_sana_sprint_img2img(sprint_release, steps, strength):
    """SanaSprintImg2ImgPipeline's: the image's latent noised to the first angle run (its rounding: 2 steps at
    0.6 start from pure noise), given its start noise and fresh noise."""
    from dcae.contract.pixels import to_uint8
    from dcae.pipelines.sana import SanaPipeline

    directory, pipe = sprint_release
    img2img = diffusers.SanaSprintImg2ImgPipeline(**pipe.components)
    image = torch.from_numpy(np.random.default_rng(4).uniform(-1, 1, (1, 3, 64, 96)).astype(np.float32))
    noise = np.random.default_rng(6).standard_normal((1, 32, 2, 3)).astype(np.float32)
    run = steps - int(max(steps - steps * strength, 0))
    kwargs = {} if steps == 2 else {"intermediate_timesteps": None}
    g = torch.Generator().manual_seed(21)
    torch_noise = torch.randn(noise.shape, generator=g)  # prepare_latents' start noise, drawn first
    step_noise = np.stack([torch.randn(noise.shape, generator=g).numpy() for _ in range(run)])
    with torch.no_grad():
        out = img2img("a red cat", image=(image + 1) / 2, strength=strength, num_inference_steps=steps,
                      generator=torch.Generator().manual_seed(21), height=64, width=96, use_resolution_binning=False,
                      output_type="np", **kwargs)
    expected = (out.images * 255).round().astype(np.uint8)
    ours = SanaPipeline.from_pretrained(directory)
    got = to_uint8(ours("a red cat", steps=steps, image=image, strength=strength, latents=torch_noise.numpy(),
                        step_noise=step_noise).numpy())
    assert got.shape == expected.shape == (1, 64, 96, 3)
    assert np.abs(got.astype(int) - expected).max() <= 2


def test_dcae_generate_sprint_from_diffusers_noise(sprint_release, tmp_path, capsys):
    """`dcae generate --latents --step-noise` writes SanaSprintPipeline's image; `dcae info` names the family."""
    from PIL import Image

    from dcae.cli import main

    directory, pipe = sprint_release
    noise = np.random.default_rng(8).standard_normal((1, 32, 2, 2)).astype(np.float32)
    generator, step_noise = _sprint_noise(noise.shape, 2, seed=5)
    np.save(tmp_path / "noise.npy", noise)
    np.save(tmp_path / "steps.npy", step_noise)
    assert main(["generate", "--model", str(directory), "--prompt", "a small dog", "--latents",
                 str(tmp_path / "noise.npy"), "--step-noise", str(tmp_path / "steps.npy"), "-o",
                 str(tmp_path / "dog.png")]) == 0
    got = np.asarray(Image.open(tmp_path / "dog.png"))
    expected = _diffusers_images(pipe, "a small dog", noise, generator=generator)[0]  # its defaults: 2 steps, 4.5
    assert np.abs(got.astype(int) - expected).max() <= 2
    capsys.readouterr()
    assert main(["info", str(directory), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert (info["family"], info["guidance"]) == ("sana-sprint", "embedded")
    assert info["sampling"] == {"sampler": "scm", "steps": 2, "guidance": 4.5}
    np.save(tmp_path / "bad.npy", step_noise[0])
    assert main(["generate", "--model", str(directory), "--prompt", "a dog", "--step-noise", str(tmp_path / "bad.npy"),
                 "-o", str(tmp_path / "x.png")]) == 2
    assert "expected (steps, n, C, h, w)" in capsys.readouterr().err
