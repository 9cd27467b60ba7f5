"""A SANA release (written by diffusers' SanaPipeline.save_pretrained, random weights) from the folder to served
images: dcae export -> the gateway in every runtime (embedded ONNX Runtime, PyTorch, Triton with the gateway's
loop, Triton's generate model) -> /v1/generate and the OpenAI route, each equal to `dcae generate`
(dcae.pipelines.sana.SanaPipeline) for the same seed, at the native size and at another."""

from __future__ import annotations

import base64
import io

import httpx
import numpy as np
import pytest
from PIL import Image

from dcae.contract.cpu import bf16_matrix, cpu_flags
from dcae.contract.pixels import to_uint8
from support.releases import write_sana_release
from support.stages import cli_stage, peak_rss_gib
from support.served import cpu_triton, gateway, images_of, repository_beside

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

PROMPT, NEGATIVE = "A small red cat on the sea", "blue sky"
REQUESTS = {  # name -> (request fields, SanaPipeline keyword arguments)
    "native": ({"prompt": PROMPT, "n": 2, "seed": 4, "steps": 3}, dict(prompt=PROMPT, n=2, seed=4, steps=3)),
    "wide, negative": ({"prompt": PROMPT, "negative_prompt": NEGATIVE, "seed": 7, "steps": 2, "width": 96,
                        "height": 64, "guidance": 3.0},
                       dict(prompt=PROMPT, negative_prompt=NEGATIVE, seed=7, steps=2, width=96, height=64,
                            guidance=3.0)),
}


@pytest.fixture(scope="module")
def sana_release(tmp_path_factory):
    root = tmp_path_factory.mktemp("sana")
    write_sana_release(root / "Sana_tiny_diffusers", seed=11)
    return root / "Sana_tiny_diffusers"


@pytest.fixture(scope="module")
def sana_repository(sana_release):
    """The GPU repository; the release lies beside it (DCAE_WEIGHTS for the torch runtime: the parent)."""
    return repository_beside(sana_release)


@pytest.fixture(scope="module")
def sana_triton(triton_env, sana_repository, sana_release, tmp_path_factory):
    with cpu_triton(sana_repository, sana_release, tmp_path_factory.mktemp("triton")) as server:
        yield server


@pytest.fixture(scope="module")
def pytorch_images(sana_release):
    """What `dcae generate` (the PyTorch pipeline) gives for REQUESTS."""
    from dcae.pipelines.sana import SanaPipeline

    pipe = SanaPipeline.from_pretrained(sana_release)
    return {name: to_uint8(pipe(**kwargs).numpy()) for name, (_, kwargs) in REQUESTS.items()}


def test_the_export_records_the_release(sana_repository):
    from dcae.contract.metadata import read_metadata
    from dcae.contract.sana_prompt import COMPLEX_HUMAN_INSTRUCTION

    meta = read_metadata((sana_repository / "dit" / "config.pbtxt").read_text())
    gen, te = meta.generator, meta.text_encoder
    assert (gen.family, gen.conditioning, gen.image_size, gen.max_image_size) == ("sana", "text", 64, 128)
    assert (gen.default_sampler, gen.default_steps, gen.default_guidance) == ("dpmpp_2m", 20, 4.5)
    assert gen.objective["flow_shift"] == 3.0 and gen.text_len == 300
    assert te.prompting["instruction"] == list(COMPLEX_HUMAN_INSTRUCTION) and te.width == 24
    assert (sana_repository / "text_encoder" / "1" / "tokenizer.json").is_file()
    assert "dims: [ 32, -1, -1 ]" in (sana_repository / "dit" / "config.pbtxt").read_text()  # any latent size


@pytest.mark.parametrize("runtime", ["embedded", "torch", "triton", "triton-loop"])
def test_the_gateway_serves_sana_as_dcae_generate_does(request, gateways, runtime, pytorch_images):
    served = gateway(request, gateways, runtime, repository="sana_repository", triton="sana_triton")
    models = httpx.get(f"{served.url}/v1/models", timeout=30).json()["data"]
    gen = next(m for m in models if m["kind"] == "generator")["details"]
    assert (gen["family"], gen["default_steps"], gen["default_guidance"], gen["max_image_size"]) == \
        ("sana", 20, 4.5, 128)
    for name, (body, _) in REQUESTS.items():
        r = httpx.post(f"{served.url}/v1/generate", json=body, timeout=120)
        images = images_of(r)
        diff = np.abs(images.astype(int) - pytorch_images[name].astype(int))
        assert diff.max() <= 2 and diff.mean() < 0.05, (name, diff.max(), diff.mean())
    # OpenAI's size is WIDTHxHEIGHT
    r = httpx.post(f"{served.url}/v1/images/generations", timeout=120,
                   json={"prompt": PROMPT, "negative_prompt": NEGATIVE, "seed": 7, "steps": 2, "guidance": 3.0,
                         "size": "96x64"})
    assert r.status_code == 200 and r.json()["size"] == "96x64", r.text
    image = np.asarray(Image.open(io.BytesIO(base64.b64decode(r.json()["data"][0]["b64_json"]))).convert("RGB"))
    assert np.abs(image.astype(int) - pytorch_images["wide, negative"][0]).max() <= 2
    for body, message in (({"width": 50}, "multiples of 32 from 32 to 128"), ({"size": 160}, "from 32 to 128"),
                          ({"size": 64, "width": 64}, "not both")):
        r = httpx.post(f"{served.url}/v1/generate", json={"prompt": PROMPT, "steps": 1, **body}, timeout=30)
        assert r.status_code == 422 and message in r.json()["error"]["message"], r.text


def test_resolution_binning_fits_the_native_area_to_any_size(request, gateways, sana_release):
    from dcae.contract.pixels import fit
    from dcae.pipelines.sana import SanaPipeline

    served = gateway(request, gateways, "embedded", repository="sana_repository")
    body = {"prompt": PROMPT, "seed": 2, "steps": 2, "height": 50, "width": 120, "resolution_binning": True}
    got = images_of(httpx.post(f"{served.url}/v1/generate", json=body, timeout=120))
    generated = to_uint8(SanaPipeline.from_pretrained(sana_release)(PROMPT, seed=2, steps=2, height=32,
                                                                     width=96).numpy())[0]  # binned: 32 x 96
    assert got.shape == (1, 50, 120, 3) and np.abs(got[0].astype(int) - fit(generated, 50, 120)).max() <= 2
    r = httpx.post(f"{served.url}/v1/generate", json={**body, "resolution_binning": False}, timeout=30)
    assert r.status_code == 422 and "multiples of 32" in r.json()["error"]["message"]
    r = httpx.post(f"{served.url}/v1/images/generations", timeout=120,
                   json={"prompt": PROMPT, "seed": 2, "steps": 2, "size": "120x50", "resolution_binning": True})
    assert r.status_code == 200 and r.json()["size"] == "120x50", r.status_code


def test_the_negative_prompt_reaches_the_image(request, gateways, pytorch_images):
    served = gateway(request, gateways, "embedded", repository="sana_repository")
    body = {**REQUESTS["wide, negative"][0], "negative_prompt": "a dog"}
    other = images_of(httpx.post(f"{served.url}/v1/generate", json=body, timeout=120))
    assert np.abs(other.astype(int) - pytorch_images["wide, negative"].astype(int)).max() > 10


def test_the_default_negative_caption_is_encoded_once(request, gateways, pytorch_images):
    """Gemma-2 runs once per request after the first: the default negative prompt's caption is kept (the images are
    those of a fresh encoding)."""
    from support.served import count

    served = gateway(request, gateways, "embedded", repository="sana_repository")
    body = {"prompt": "a red sky over the sea", "seed": 5, "steps": 1}

    def passes() -> float:
        return count(httpx.get(f"{served.url}/metrics", timeout=30).text,
                     'dcae_stage_duration_seconds_count{stage="text_encoder"}')

    httpx.post(f"{served.url}/v1/generate", json=body, timeout=120)  # the default negative caption, if not yet kept
    before = passes()
    first = images_of(httpx.post(f"{served.url}/v1/generate", json=body, timeout=120))
    second = images_of(httpx.post(f"{served.url}/v1/generate", json=body, timeout=120))
    assert passes() - before == 2  # the prompt's, twice; the negative one's, never
    assert np.array_equal(first, second)


def test_concurrent_requests_share_denoising_steps(request, gateways, pytorch_images):
    """Two requests of each size at once: those of one size share `dit` executions (micro-batching groups
    rows of one shape), and every image is still the one it is alone."""
    import concurrent.futures

    from support.served import count

    served = gateway(request, gateways, "embedded", repository="sana_repository")
    names = [name for name in REQUESTS for _ in range(2)]

    def executions() -> float:
        return count(httpx.get(f"{served.url}/metrics", timeout=30).text, 'dcae_batch_size_count{model="dit"}')

    before = executions()
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        responses = list(pool.map(lambda name: httpx.post(f"{served.url}/v1/generate", json=REQUESTS[name][0],
                                                           timeout=120), names))
    for name, r in zip(names, responses):
        assert np.abs(images_of(r).astype(int) - pytorch_images[name].astype(int)).max() <= 2, name
    alone = sum(2 * REQUESTS[name][0]["steps"] for name in REQUESTS)  # executions if no step were shared
    assert executions() - before < alone


def test_tritons_generate_model_takes_a_size(sana_triton, pytorch_images):
    """A Triton client calling the generate model directly: prompt, negative prompt, height and width."""
    from support.triton import run_client

    arrays = {"seed": np.array([7], np.int64), "steps": np.array([2], np.int32),
              "guidance": np.array([3.0], np.float32), "n": np.array([1], np.int32),
              "height": np.array([64], np.int32), "width": np.array([96], np.int32)}
    call = {"model": "generate", "outputs": ["images"],
            "inputs": {**{k: {"array": k} for k in arrays}, "prompt": {"bytes": [PROMPT]},
                       "negative_prompt": {"bytes": [NEGATIVE]}}}
    out, extra = run_client(sana_triton, [{**call, "id": "sana", "protocol": "grpc"}], arrays)
    assert not extra["errors"], extra["errors"]
    assert np.abs(out["sana/images"].astype(int) - pytorch_images["wide, negative"].astype(int)).max() <= 2


# ----------------------------------------------------------------------------------------------
# Slow tier: Sana-600M at 512 px with Gemma-2-2B and dc-ae-f32c32-sana-1.0, full size, random weights


FULL_SIZE = {  # release folder name, write_sana_release's arguments, family, image size, the recipe's steps
    "sana-600m": ("Sana_600M_512px_diffusers", {}, "sana", 512, 20),
    "sprint-0.6b": ("Sana_Sprint_0.6B_1024px_diffusers", {"scheduler": "scm", "transformer": {"sample_size": 32}},
                    "sana-sprint", 1024, 2),
}


@pytest.mark.slow
@pytest.mark.parametrize("release_name", FULL_SIZE)
def test_full_size_release_to_a_served_image(tmp_path, release_name):
    """A full-size release (diffusers' layout, random weights: Sana-600M at 512 px, or Sana-Sprint-0.6B at 1024 px)
    -> dcae info -> dcae generate -> dcae export (the transformer's ONNX graph equals PyTorch within 1e-4;
    Gemma-2-2B's graph past 2 GB in external data) -> the embedded gateway: its image equals `dcae generate`'s for
    the same seed within 2 levels. Prints each stage's time and peak memory, and a request at the release's
    defaults (Sana: 20 steps, guidance 4.5; Sprint: 2 steps, guidance 4.5 embedded)."""
    import json
    import os
    import subprocess
    import sys
    import time
    from pathlib import Path

    import onnxruntime as ort
    import torch

    from support.served import free_port, runtime_env, start_server

    folder, options, family, size, recipe_steps = FULL_SIZE[release_name]
    release, report = tmp_path / folder, {}
    here = Path(__file__).parents[1]  # tests/, which holds the support package
    subprocess.run([sys.executable, "-c", "import sys, json; sys.path.insert(0, sys.argv[1]); from support.releases "
                    "import write_sana_release; write_sana_release(sys.argv[2], seed=1, full_size=True, "
                    "**json.loads(sys.argv[3]))", str(here), str(release), json.dumps(options)],
                   check=True)  # in its own process: its memory is given back

    info = json.loads(cli_stage(report, "info", "info", str(release), "--json"))
    assert 0.55e9 < info["params"] < 0.65e9 and (info["image_size"], info["family"]) == (size, family), info
    cli_stage(report, "generate", "generate", "--model", str(release), "--prompt", PROMPT, "--seed", "3", "--steps",
              "2", "-o", str(tmp_path / "cli.png"))
    expected = np.asarray(Image.open(tmp_path / "cli.png"))
    cli_stage(report, "export", "export", "--generator", str(release), "-o", str(tmp_path / "repo"))
    graphs = {name: round(sum(f.stat().st_size for f in (tmp_path / "repo" / name / "1").glob("model.onnx*")) / 2**30, 2)
              for name in ("dit", "text_encoder", "encoder", "decoder")}
    report["graphs_gib"] = graphs
    assert (tmp_path / "repo" / "text_encoder" / "1" / "model.onnx.data").is_file()  # 10 GB: external data

    from dcae.checkpoint import load_sana_transformer

    transformer = load_sana_transformer(release / "transformer")
    g = torch.Generator().manual_seed(0)
    sprint = transformer.config.guidance_embeds
    x = torch.randn(2, 32, size // 32, size // 32, generator=g)
    t = torch.tensor([1.0, 0.42]) if sprint else torch.tensor([999.0, 421.0])
    caption, mask = torch.randn(2, 300, 2304, generator=g), torch.ones(2, 300, dtype=torch.bool)
    mask[1, 40:] = False
    feeds = {"latent": x, "timestep": t, "context": caption, "context_mask": mask}
    if sprint:
        feeds["guidance"] = torch.tensor([4.5, 2.0])
    with torch.no_grad():
        want = transformer(x, t, caption, mask, feeds.get("guidance")).numpy()
    del transformer
    session = ort.InferenceSession(str(tmp_path / "repo" / "dit" / "1" / "model.onnx"))
    got = session.run(None, {k: v.numpy() for k, v in feeds.items()})[0]
    del session
    report["dit_onnx_relative_error"] = float(np.abs(got - want).max() / np.abs(want).max())
    assert report["dit_onnx_relative_error"] <= 1e-4

    port = free_port()
    proc = start_server({**os.environ, **runtime_env("embedded", tmp_path / "repo")}, port, timeout_s=900)
    try:
        url = f"http://127.0.0.1:{port}"
        t0 = time.perf_counter()
        r = httpx.post(f"{url}/v1/generate", json={"prompt": PROMPT, "seed": 3, "steps": 2, "response_format": "png"},
                       timeout=1800)
        report["gateway_2_steps_seconds"] = round(time.perf_counter() - t0, 1)
        assert r.status_code == 200, r.text
        diff = np.abs(np.asarray(Image.open(io.BytesIO(r.content))).astype(int) - expected.astype(int))
        assert diff.max() <= 2, diff.max()
        t0 = time.perf_counter()
        r = httpx.post(f"{url}/v1/generate", json={"prompt": PROMPT, "seed": 4}, timeout=3600)  # the recipe
        assert r.status_code == 200, r.text
        report[f"gateway_defaults_{recipe_steps}_steps_seconds_per_image"] = round(time.perf_counter() - t0, 1)
        report["gateway_peak_rss_gib"] = round(peak_rss_gib(proc.pid), 2)
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    print(f"\nfull-size {release_name}:", json.dumps(report, indent=1))


def _graph_feeds() -> dict[str, dict[str, np.ndarray]]:
    """Inputs of the tiny SANA's transformer (t = 999 and 10, captions of 7 and 1 tokens) and text encoder."""
    rng = np.random.default_rng(0)
    mask = np.arange(300)[None].repeat(2, 0) < np.array([[7], [1]])
    return {"dit": {"latent": rng.standard_normal((2, 32, 3, 2)).astype(np.float32),
                    "timestep": np.array([999.0, 10.0], np.float32),
                    "context": rng.standard_normal((2, 300, 24)).astype(np.float32), "context_mask": mask},
            "text_encoder": {"input_ids": rng.integers(4, 30, (2, 9)), "attention_mask": np.ones((2, 9), np.int64)}}


def test_the_fp16_variant_keeps_sanas_attention_and_gemma_in_fp32(sana_repository, tmp_path):
    """--fp16: the transformer's projections and Mix-FFN in fp16, its attention cores, caption norm and timestep
    sinusoid in fp32; Gemma-2 all fp32. It runs on ONNX Runtime and agrees with fp32 to fp16 accuracy."""
    import onnx
    import onnxruntime as ort

    from dcae.contract import precision as fp32_rule
    from export import precision

    FLOAT16 = onnx.TensorProto.FLOAT16
    feeds = _graph_feeds()
    for name, fp16_expected in (("dit", True), ("text_encoder", False)):
        src = sana_repository / name / "1" / "model.onnx"
        dst = precision.convert_to_fp16(src, tmp_path / f"{name}.onnx")
        graph = onnx.load(str(dst)).graph
        halves = [t.name for t in graph.initializer if t.data_type == FLOAT16]
        assert bool(halves) == fp16_expected, (name, len(halves))
        classes = {fp32_rule.module_class(n) for n in graph.node}
        if name == "dit":
            assert {"dcae.models.sana.Attention", "dcae.models.sana.RMSNorm"} <= classes
        ref = ort.InferenceSession(str(src)).run(None, feeds[name])[0]
        half = ort.InferenceSession(str(dst)).run(None, feeds[name])[0]
        assert half.dtype == np.float32 and np.isfinite(half).all()
        assert np.abs(half - ref).max() <= 2e-2 * np.abs(ref).max()


@pytest.mark.skipif(not bf16_matrix(cpu_flags()), reason="this CPU has no bfloat16 matrix instructions")
@pytest.mark.openvino
def test_bfloat16_on_the_cpu_keeps_sanas_linear_attention_and_gemma_close_to_float32(sana_repository, tmp_path):
    """OpenVINO's bfloat16 (the gateway's default on this CPU) on SANA's transformer (its ReLU linear attention
    summing over the tokens, divided by max(denominator, 1e-15)) and Gemma-2 (its norms, attention cores and rotary
    sinusoid in float32, the rest in bfloat16, the type it was trained in): finite, and within bfloat16's accuracy
    of ONNX Runtime's float32 on the same graphs, at t = 999 and at 10."""
    import onnx
    import onnxruntime as ort
    import openvino as ov

    from dcae.contract.cpu import compile_openvino, openvino_call

    feeds = _graph_feeds()
    for name in ("dit", "text_encoder"):
        src = sana_repository / name / "1" / "model.onnx"
        ref = ort.InferenceSession(str(src)).run(None, feeds[name])[0]
        compiled, kept = compile_openvino(ov, src, "bfloat16", cache_dir=tmp_path,
                                          read_nodes=lambda: onnx.load(str(src), load_external_data=False).graph.node)
        out = openvino_call(compiled)(feeds[name])
        got = out["model_output" if name == "dit" else "tokens"]
        assert kept > 0 and np.isfinite(got).all()
        assert np.linalg.norm(got - ref) / np.linalg.norm(ref) < 0.02, name
