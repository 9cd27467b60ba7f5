"""The shipped models, served: the gateway over `model_repository/` (exported from `weights/` by
`make model-repository`, which `make test` runs first) reproduces the PyTorch models, in the embedded
runtime and through a real Triton (the CPU python-backend variant of the same graphs), whichever
loop generates."""

from __future__ import annotations

import concurrent.futures
import io
import os
import time
from pathlib import Path

import httpx
import numpy as np
import pytest
import torch
from PIL import Image

from dcae.checkpoint import load_pretrained
from dcae.data.files import load_image
from dcae.data.tensors import to_tensor, to_uint8
from export.triton_env import parse_metrics
from support.served import RUNTIMES, free_port, gateway, images_of, start_server, triton_gateway_env

ROOT = Path(__file__).resolve().parent.parent
REPO = ROOT / "model_repository"
WEIGHTS = ROOT / "weights"
HELDOUT = ROOT / "docs" / "images" / "heldout.png"  # a mate-backgrounds photograph: never trained on
SETTINGS = {"DCAE_ORT_THREADS": "0"}  # 512-px images: every core

pytestmark = pytest.mark.skipif(not (REPO / "encoder" / "config.pbtxt").is_file(),
                                reason="model_repository/ not exported: run `make model-repository`")


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    return float(10 * np.log10(255.0**2 / np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)))


@pytest.fixture(scope="module")
def shipped_repository() -> Path:
    return REPO


@pytest.fixture(scope="module")
def shipped_cpu_repository(tmp_path_factory) -> Path:
    """The CPU python-backend variant of model_repository/ (its graphs, not exported again)."""
    from export.repository import export_repository

    out = tmp_path_factory.mktemp("shipped") / "model_repository_cpu"
    export_repository(out, generator=WEIGHTS / "dit-mini-wallpapers", cpu_python_backend=True, reuse_onnx=REPO,
                      log=lambda *a: None)
    return out


@pytest.fixture(scope="module")
def shipped_triton(triton_env, shipped_cpu_repository, tmp_path_factory):  # triton_env: tests/conftest.py
    from export.triton_env import TritonServer

    log = tmp_path_factory.mktemp("shipped-triton") / "tritonserver.log"
    with TritonServer(shipped_cpu_repository, log_path=log) as server:
        yield server


def shipped_gateway(request, gateways, runtime: str):
    return gateway(request, gateways, runtime, "shipped_repository", "shipped_triton", SETTINGS)


@pytest.fixture(scope="module", params=RUNTIMES[:2])
def server(request, gateways):
    return shipped_gateway(request, gateways, request.param).url


def test_round_trip_of_a_heldout_photograph_reaches_the_models_psnr(server):
    original = np.asarray(Image.open(HELDOUT).convert("RGB"))
    latent = httpx.post(f"{server}/v1/encode", files={"image": ("p.png", HELDOUT.read_bytes())},
                        headers={"Accept": "application/x-npy"}, timeout=120).content
    back = httpx.post(f"{server}/v1/decode", content=latent, headers={"Content-Type": "application/x-npy"},
                      timeout=120).content
    served = np.asarray(Image.open(io.BytesIO(back)).convert("RGB"))
    model = load_pretrained(ROOT / "weights" / "dc-ae-f32c32-small")
    with torch.no_grad():
        expected = to_uint8(model(to_tensor(load_image(HELDOUT))[None])[0])
    assert served.shape == original.shape
    assert psnr(served, original) >= psnr(expected, original) - 0.05  # what the PyTorch model achieves
    diff = np.abs(served.astype(int) - expected.astype(int))
    assert diff.max() <= 2 and diff.mean() < 0.01  # and the same pixels (float32 rounding: ~1e-5 on average)


def test_int8_graphs_cost_little_psnr_on_a_heldout_photograph():
    """DCAE_PRECISION=int8: the gateway runs the int8 encoder and decoder (`dcae export --int8`)."""
    port = free_port()
    proc = start_server({**os.environ, **SETTINGS, "DCAE_MODEL_REPOSITORY": str(REPO), "DCAE_PRECISION": "int8"}, port)
    try:
        url = f"http://127.0.0.1:{port}"
        models = httpx.get(f"{url}/v1/models", timeout=30).json()
        assert models["precision"] == "int8"  # read off the graphs the sessions loaded, not the setting
        loaded = {m["kind"]: m["details"]["loaded"] for m in models["data"]}
        ort = {"engine": "onnxruntime"}  # DCAE_ENGINE=onnxruntime (tests/conftest.py; OpenVINO's: test_cpu_engines.py)
        assert loaded["autoencoder"] == {n: {"graph": f"{n}/1/model.int8.onnx", **ort, "precision": "int8"}
                                         for n in ("encoder", "decoder")}
        assert loaded["generator"] == {"graph": "dit/1/model.onnx", **ort, "precision": "float32"}
        assert loaded["text_encoder"] == {"graph": "text_encoder/1/model.onnx", **ort, "precision": "float32"}
        latent = httpx.post(f"{url}/v1/encode", files={"image": ("p.png", HELDOUT.read_bytes())},
                            headers={"Accept": "application/x-npy"}, timeout=120)
        assert latent.status_code == 200, latent.text
        back = httpx.post(f"{url}/v1/decode", content=latent.content, headers={"Content-Type": "application/x-npy"},
                          timeout=120).content
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    original = np.asarray(Image.open(HELDOUT).convert("RGB"))
    served = np.asarray(Image.open(io.BytesIO(back)).convert("RGB"))
    model = load_pretrained(ROOT / "weights" / "dc-ae-f32c32-small")
    with torch.no_grad():
        expected = to_uint8(model(to_tensor(load_image(HELDOUT))[None])[0])
    assert psnr(served, original) >= psnr(expected, original) - 0.3  # float32: within 0.05 (test above)
    # Other pixels than float32's: the float32 graphs differ from PyTorch by about 1e-5 levels on average
    # (one pixel in 10^5 off by one; test above), the int8 ones by 1.55 (measured). Under 0.5, the gateway
    # would be serving float32 graphs; over 3, more than int8 rounding.
    assert 0.5 < np.abs(served.astype(int) - expected.astype(int)).mean() < 3


def test_generation_is_deterministic_and_prompt_dependent(request, gateways):
    server = shipped_gateway(request, gateways, "embedded").url

    def gen(prompt: str, seed: int) -> np.ndarray:
        r = httpx.post(f"{server}/v1/generate", json={"prompt": prompt, "seed": seed, "steps": 8,
                                                      "response_format": "png"}, timeout=300)
        assert r.status_code == 200, r.text
        return np.asarray(Image.open(io.BytesIO(r.content)).convert("RGB"))

    a = gen("Black and white photograph of a wooden jetty in thick grey fog", 5)
    assert a.shape == (512, 512, 3)
    assert np.array_equal(a, gen("Black and white photograph of a wooden jetty in thick grey fog", 5))
    b = gen("Vector illustration of a pink and magenta goldfish on a deep blue background", 5)
    assert np.abs(a.astype(int) - b.astype(int)).mean() > 10  # the prompt changes the picture


def test_both_loops_on_triton_generate_the_embedded_image(request, gateways):
    """The shipped generator through a real Triton: the gateway's loop and Triton's generate model
    give the same image for a seed, and it is the embedded runtime's image (to ONNX Runtime's rounding)."""
    req = {"prompt": "Black and white photograph of a wooden jetty in thick grey fog", "seed": 5, "steps": 8}
    images = {runtime: images_of(httpx.post(f"{shipped_gateway(request, gateways, runtime).url}/v1/generate",
                                            json=req, timeout=300)) for runtime in RUNTIMES}
    assert images["embedded"].shape == (1, 512, 512, 3)
    np.testing.assert_array_equal(images["triton"], images["triton-loop"])
    diff = np.abs(images["triton"].astype(int) - images["embedded"].astype(int))
    assert diff.max() <= 2 and diff.mean() < 0.05, (diff.max(), diff.mean())


# ----------------------------------------------------------------------------------------------
# Which loop serves generation faster (the measurement behind DCAE_GENERATE_LOOP's default)

LOOP_PROMPT = "Low-poly vector illustration of snow-capped blue mountains reflected in a still lake"
LOOP_ROUNDS = 4  # per configuration: one request alone, then 4 clients with one request each


def cpu_seconds(pids: list[int] = (), pgid: int | None = None) -> float:
    """User + system CPU time of the given processes and of every process in group `pgid` (Triton
    and its python-backend stubs): the work a configuration did, whatever else shares the machine."""
    ticks, total = os.sysconf("SC_CLK_TCK"), 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            pid, fields = int(stat.parent.name), stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, ValueError):
            continue  # the process ended meanwhile
        if pid in pids or (pgid is not None and int(fields[2]) == pgid):
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


@pytest.mark.slow
def test_generate_loops_latency_and_throughput(request, gateways, shipped_triton, tmp_path):
    """The shipped generator (default steps, n = 1) through a real CPU Triton on loopback, three ways:
    the gateway's loop (one `dit` request per step; Triton batches concurrent requests' steps), Triton's
    generate model as exported (one instance: one generation at a time), and the same model with four
    instances (`dcae export --generate-instances 4`). Each round runs every configuration, in a rotating
    order, once alone and once with 4 concurrent clients; prints wall-clock latency and throughput, and
    the CPU seconds per image of the gateway, Triton and its stubs together (the machine is shared)."""
    from export.repository import export_repository
    from export.triton_env import TritonServer

    four = tmp_path / "model_repository_cpu_4"
    export_repository(four, generator=WEIGHTS / "dit-mini-wallpapers", cpu_python_backend=True, reuse_onnx=REPO,
                      generate_instances=4, log=lambda *a: None)
    with TritonServer(four, log_path=tmp_path / "triton-4.log") as triton_four:
        port = free_port()
        proc = start_server({**os.environ, **SETTINGS, **triton_gateway_env(triton_four, "triton")}, port)
        try:
            gw, tl = shipped_gateway(request, gateways, "triton"), shipped_gateway(request, gateways, "triton-loop")
            configs = {  # name: (gateway URL, gateway pid, Triton's process group)
                "gateway loop": (gw.url, gw.process.pid, gw.triton.process.pid),
                "Triton generate, 1 instance": (tl.url, tl.process.pid, tl.triton.process.pid),
                "Triton generate, 4 instances": (f"http://127.0.0.1:{port}", proc.pid, triton_four.process.pid)}

            def generate(url: str, seed: int) -> float:
                t0 = time.perf_counter()
                r = httpx.post(f"{url}/v1/generate", json={"prompt": LOOP_PROMPT, "seed": seed}, timeout=600)
                assert r.status_code == 200, r.text
                return time.perf_counter() - t0

            servers = {"gateway loop": gw.triton, "Triton generate, 1 instance": tl.triton,
                       "Triton generate, 4 instances": triton_four}
            dit_calls = {name: {"requests": 0.0, "executions": 0.0} for name in configs}  # with 4 clients

            def dit_counts(name: str) -> tuple[float, float]:
                text = servers[name].metrics()
                return (parse_metrics(text, "nv_inference_request_success").get("dit", 0.0),
                        parse_metrics(text, "nv_inference_exec_count").get("dit", 0.0))

            def run(name: str, clients: int, seed: int) -> tuple[float, list[float], float]:
                url, pid, pgid = configs[name]
                before = dit_counts(name)
                cpu0, t0 = cpu_seconds([pid], pgid), time.perf_counter()
                with concurrent.futures.ThreadPoolExecutor(clients) as pool:
                    latencies = list(pool.map(lambda s: generate(url, s), range(seed, seed + clients)))
                wall, cpu = time.perf_counter() - t0, cpu_seconds([pid], pgid) - cpu0
                if clients > 1:
                    after = dit_counts(name)
                    dit_calls[name]["requests"] += after[0] - before[0]
                    dit_calls[name]["executions"] += after[1] - before[1]
                return wall, latencies, cpu

            for name in configs:
                generate(configs[name][0], 0)  # warm-up (first inferences, connections)
            steps_per_image = httpx.get(f"{gw.url}/v1/models").json()
            steps_per_image = next(m for m in steps_per_image["data"] if m["kind"] == "generator")["details"][
                "default_steps"]
            results = {name: {1: [], 4: []} for name in configs}
            loads = []
            for r in range(LOOP_ROUNDS):
                names = list(configs)[r % 3:] + list(configs)[:r % 3]
                for clients in (1, 4):
                    for name in names:
                        results[name][clients].append(run(name, clients, 100 * (r + 1)))
                loads.append(float(open("/proc/loadavg").read().split()[0]))
        finally:
            proc.terminate()
            proc.wait(timeout=10)

    print(f"\nshipped generator, default steps and guidance, n = 1, CPU Triton on loopback, {LOOP_ROUNDS} rounds "
          f"(1-minute load average after each: {', '.join(f'{x:.1f}' for x in loads)})")
    print("| loop | 1 client: latency, median (min-max) | 1 client: CPU s/image | 4 clients: images/min "
          "| 4 clients: latency, median | 4 clients: CPU s/image |")
    print("|---|---|---|---|---|---|")
    for name, by_clients in results.items():
        alone = sorted(lat for _, lats, _ in by_clients[1] for lat in lats)
        wall = sum(w for w, _, _ in by_clients[4])
        images = 4 * len(by_clients[4])
        print(f"| {name} | {np.median(alone):.2f} s ({alone[0]:.2f}-{alone[-1]:.2f}) "
              f"| {sum(c for _, _, c in by_clients[1]) / len(alone):.1f} | {60 * images / wall:.1f} "
              f"| {np.median([lat for _, lats, _ in by_clients[4] for lat in lats]):.2f} s "
              f"| {sum(c for _, _, c in by_clients[4]) / images:.1f} |")
    print("dit requests / Triton executions with 4 clients:",
          {name: f"{c['requests']:.0f} / {c['executions']:.0f}" for name, c in dit_calls.items()})

    # What the default (docs/runtimes.md) (DCAE_GENERATE_LOOP=gateway) rests on:
    # 1. with concurrent clients the gateway's loop batches their steps: Triton ran its dit requests in
    #    fewer executions; the generate model as exported (one instance) runs one generation at a time,
    #    so its dit calls run alone;
    loop, one = dit_calls["gateway loop"], dit_calls["Triton generate, 1 instance"]
    assert loop["requests"] == LOOP_ROUNDS * 4 * steps_per_image and loop["executions"] < 0.8 * loop["requests"]
    assert one["requests"] == LOOP_ROUNDS * 4 * steps_per_image and one["executions"] == one["requests"]

    # 2. it is about as fast alone and not slower with 4 clients (coarse bounds: a shared 2-core machine).
    def alone(name: str) -> float:
        return float(np.median([lat for _, lats, _ in results[name][1] for lat in lats]))

    def per_minute(name: str) -> float:
        return 60 * 4 * len(results[name][4]) / sum(w for w, _, _ in results[name][4])

    assert alone("gateway loop") < 1.25 * alone("Triton generate, 1 instance")
    assert per_minute("gateway loop") > 0.9 * per_minute("Triton generate, 1 instance")
