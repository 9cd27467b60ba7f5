"""The gateway on CPU under load: a real uvicorn process on 127.0.0.1 serving the shipped models
(model_repository/, embedded ONNX Runtime), driven by an asyncio httpx load generator.

For micro-batching on and off (one gateway process each): encode (a 512 px photograph as PNG, raw .npy
latent back), decode (that photograph's latent as .npy, PNG back) and generate (the shipped text-conditioned
generator, one 512 px PNG) at concurrency 1, 4 and 16; client-side latency percentiles and
throughput, the gateway's own per-stage Prometheus histograms over each phase, and the process's
peak RSS. Gateway overhead: HTTP latency of a 512 px decode at concurrency 1 minus the time of the
same ONNX Runtime call made here, in pairs (request, then call, alternately), so that both halves of
a pair see the same machine.

Loopback only; every phase is bounded in requests and seconds. Run through `python -m bench`.
"""

from __future__ import annotations

import asyncio
import io
import os
import re
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass

import httpx
import numpy as np

from bench.common import REPO_ROOT, WORK_DIR, log, percentile, proc_status_kib, summarize

REPOSITORY = REPO_ROOT / "model_repository"
ENDPOINTS = ("encode", "decode", "generate")
CONCURRENCY = (1, 4, 16)
IMAGE_PIXELS = 512
PROMPT = "a mountain lake at sunrise, snow on the peaks"


@dataclass(frozen=True)
class LoadPlan:
    """Requests per phase (at least `min_requests`, `requests_per_client` per concurrent client),
    a wall-clock cap per phase after which no new request starts, and the sampler steps of generate."""

    min_requests: int = 24
    requests_per_client: int = 4
    phase_seconds: float = 60.0
    generate_steps: int = 30
    generate_requests_per_client: int = 2
    overhead_pairs: int = 30

    def requests(self, endpoint: str, concurrency: int) -> int:
        per_client = self.generate_requests_per_client if endpoint == "generate" else self.requests_per_client
        floor = max(4, self.min_requests // 3) if endpoint == "generate" else self.min_requests
        return max(floor, per_client * concurrency)


# ----------------------------------------------------------------------------------------------
# Payloads


def _metadata() -> dict:
    from service.repository import load_repository

    return load_repository(REPOSITORY).metadata


TEST_IMAGE = REPO_ROOT / "docs" / "images" / "heldout.png"  # a 512 px photograph (the README's held-out image)


def _test_image() -> bytes:
    from PIL import Image

    with Image.open(TEST_IMAGE) as im:
        if im.size != (IMAGE_PIXELS, IMAGE_PIXELS):
            raise RuntimeError(f"{TEST_IMAGE} is {im.size}, not {IMAGE_PIXELS} px square")
    return TEST_IMAGE.read_bytes()


def _test_latent(png: bytes) -> np.ndarray:
    """The raw latent of the test image, made by the exported encoder as the gateway runs it: decode
    requests carry the latent of a real picture (PNG encoding time depends on the picture)."""
    from dcae.contract.pixels import to_model
    from service.images import decode_image_bytes
    from service.runtimes.embedded import create_session, session_runner
    from service.settings import Settings

    encoder = session_runner(create_session(REPOSITORY / "encoder" / "1" / "model.onnx", Settings()))
    return encoder({"image": to_model(decode_image_bytes(png, IMAGE_PIXELS**2))})["latent"]


def _npy(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, array, allow_pickle=False)
    return buf.getvalue()


def _request(endpoint: str, payloads: dict, steps: int, i: int) -> dict:
    if endpoint == "encode":
        return {"url": "/v1/encode", "files": {"image": ("image.png", payloads["png"], "image/png")},
                "headers": {"Accept": "application/x-npy"}}
    if endpoint == "decode":
        return {"url": "/v1/decode", "content": payloads["npy"], "headers": {"Content-Type": "application/x-npy"}}
    return {"url": "/v1/generate", "json": {"prompt": PROMPT, "steps": steps, "seed": i, "response_format": "png"}}


# ----------------------------------------------------------------------------------------------
# The gateway process and its metrics


def start_gateway(env_overrides: dict[str, str], port: int, ready_within: float = 120) -> subprocess.Popen:
    """uvicorn on 127.0.0.1, as tests/service/test_service.py starts it; returns once /health/ready says the
    models answer (the readiness probe runs one real inference per network)."""
    env = {**os.environ, "DCAE_MODEL_REPOSITORY": str(REPOSITORY), **env_overrides}
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    log_path = WORK_DIR / f"gateway-{port}.log"
    with open(log_path, "wb") as log_file:  # the child keeps its own descriptor
        proc = subprocess.Popen([sys.executable, "-m", "service", "--host", "127.0.0.1",
                                 "--port", str(port), "--log-level", "warning"], env=env, cwd=REPO_ROOT,
                                stdout=log_file, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + ready_within
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gateway exited: " + log_path.read_text()[-2000:])
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health/ready", timeout=30).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"gateway not ready within {ready_within:.0f} s")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_SAMPLE = re.compile(r'^(\w+)\{([^}]*)\} ([0-9.eE+-]+|NaN)$')


def scrape(base: str) -> dict[tuple[str, tuple], float]:
    """The gateway's /metrics as {(name, sorted labels): value} (sums and counts of histograms)."""
    text = httpx.get(f"{base}/metrics", timeout=30).text
    out = {}
    for line in text.splitlines():
        m = _SAMPLE.match(line)
        if m and (m.group(1).endswith(("_sum", "_count"))):
            labels = tuple(sorted(re.findall(r'(\w+)="([^"]*)"', m.group(2))))
            out[(m.group(1), labels)] = float(m.group(3))
    return out


def stage_means(before: dict, after: dict) -> dict:
    """Mean seconds per observation of each pipeline stage, and mean rows per model execution,
    over the interval between two scrapes."""
    def delta(name: str, labels: tuple) -> float:
        return after.get((name, labels), 0.0) - before.get((name, labels), 0.0)

    stages, batches = {}, {}
    for (name, labels), _ in after.items():
        if name == "dcae_stage_duration_seconds_count":
            n = delta(name, labels)
            if n > 0:
                stages[dict(labels)["stage"]] = {
                    "count": n, "mean_seconds": delta("dcae_stage_duration_seconds_sum", labels) / n}
        if name == "dcae_batch_size_count":
            n = delta(name, labels)
            if n > 0:
                batches[dict(labels)["model"]] = {"executions": n, "mean_rows": delta("dcae_batch_size_sum", labels) / n}
    return {"stages": stages, "batches": batches}


# ----------------------------------------------------------------------------------------------
# The load generator


async def _phase(base: str, endpoint: str, payloads: dict, concurrency: int, total: int, cap_seconds: float,
                 steps: int, seed0: int) -> dict:
    """`concurrency` clients sending `total` requests back to back (no new one after `cap_seconds`)."""
    latencies: list[float] = []
    errors: dict[str, int] = {}
    issued = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=300, limits=limits) as client:
        started = time.perf_counter()

        async def one_client() -> None:
            nonlocal issued
            while issued < total and time.perf_counter() - started < cap_seconds:
                i = issued
                issued += 1
                req = _request(endpoint, payloads, steps, seed0 + i)
                t0 = time.perf_counter()
                try:
                    r = await client.post(req.pop("url"), **req)
                    ok = r.status_code == 200
                    key = str(r.status_code)
                except httpx.HTTPError as e:
                    ok, key = False, type(e).__name__
                if ok:
                    latencies.append(time.perf_counter() - t0)
                else:
                    errors[key] = errors.get(key, 0) + 1

        await asyncio.gather(*(one_client() for _ in range(concurrency)))
        wall = time.perf_counter() - started
    out = {"endpoint": endpoint, "concurrency": concurrency, "requests": issued, "ok": len(latencies),
           "errors": errors, "wall_seconds": wall, "throughput_rps": len(latencies) / wall}
    if latencies:
        out.update({"p50_seconds": percentile(latencies, 50), "p95_seconds": percentile(latencies, 95),
                    "p99_seconds": percentile(latencies, 99), "mean_seconds": sum(latencies) / len(latencies),
                    **{k: v for k, v in summarize(latencies).items() if k in ("samples_seconds", "min_seconds",
                                                                                 "max_seconds")}})
    return out


async def _overhead(base: str, payloads: dict, pairs: int, run_model, feed: dict) -> dict:
    """512 px decode, concurrency 1: each HTTP request is followed by the same ONNX Runtime call made
    in this process (`create_session` + `session_runner`, as the gateway makes it); the overhead is
    the median of the pairwise differences. The first pair warms up."""
    http, model = [], []
    async with httpx.AsyncClient(base_url=base, timeout=300) as client:
        for i in range(pairs + 1):
            req = _request("decode", payloads, 0, i)
            t0 = time.perf_counter()
            r = await client.post(req.pop("url"), **req)
            t1 = time.perf_counter()
            r.raise_for_status()
            run_model(feed)
            t2 = time.perf_counter()
            if i:
                http.append(t1 - t0)
                model.append(t2 - t1)
    diffs = [h - m for h, m in zip(http, model)]
    return {"pairs": pairs, "http": summarize(http), "model": summarize(model),
            "overhead_median_seconds": statistics.median(diffs), "overhead_p10_seconds": percentile(diffs, 10),
            "overhead_p90_seconds": percentile(diffs, 90)}


def run_gateway(micro_batching: bool, plan: LoadPlan, payloads: dict) -> dict:
    port = free_port()
    env = {"DCAE_MICRO_BATCHING": "true" if micro_batching else "false"}
    proc = start_gateway(env, port)
    base = f"http://127.0.0.1:{port}"
    phases = []
    try:
        rss_ready = proc_status_kib(proc.pid)
        from service.runtimes.embedded import create_session, session_runner
        from service.settings import Settings

        run_model = session_runner(create_session(REPOSITORY / "decoder" / "1" / "model.onnx", Settings()))
        before = scrape(base)
        overhead = asyncio.run(_overhead(base, payloads, plan.overhead_pairs, run_model,
                                         {"latent": payloads["latent"]}))
        overhead.update(stage_means(before, scrape(base)))
        del run_model
        log(f"  gateway batching={'on' if micro_batching else 'off'} overhead: "
            f"{overhead['overhead_median_seconds'] * 1e3:.1f} ms (HTTP {overhead['http']['median_seconds'] * 1e3:.0f} "
            f"ms, model {overhead['model']['median_seconds'] * 1e3:.0f} ms)")
        for endpoint in ENDPOINTS:
            for c in CONCURRENCY:
                total = plan.requests(endpoint, c)
                # warm-up: the batch shapes this phase will see, so that no phase pays for a first allocation
                asyncio.run(_phase(base, endpoint, payloads, c, c, plan.phase_seconds, plan.generate_steps, 10_000))
                before = scrape(base)
                result = asyncio.run(_phase(base, endpoint, payloads, c, total, plan.phase_seconds,
                                            plan.generate_steps, 0))
                result.update(stage_means(before, scrape(base)))
                phases.append(result)
                log(f"  gateway batching={'on' if micro_batching else 'off'} {endpoint:8s} c={c:2d}: "
                    f"{result['ok']}/{result['requests']} ok, {result['throughput_rps']:.2f} req/s, "
                    f"p50 {result.get('p50_seconds', float('nan')) * 1e3:.0f} ms, "
                    f"p95 {result.get('p95_seconds', float('nan')) * 1e3:.0f} ms")
        rss = proc_status_kib(proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return {"micro_batching": micro_batching, "settings": env, "rss_ready_mib": rss_ready["VmRSS"] / 1024,
            "peak_rss_mib": rss["VmHWM"] / 1024, "overhead": overhead, "phases": phases}


def run(plan: LoadPlan) -> dict:
    from service.settings import Settings

    meta = _metadata()
    if meta.generator is None:
        raise RuntimeError(f"{REPOSITORY} has no generator; run `make model-repository`")
    png = _test_image()
    latent = _test_latent(png)
    payloads = {"png": png, "latent": latent, "npy": _npy(latent)}
    defaults = Settings()
    runs = [run_gateway(on, plan, payloads) for on in (True, False)]
    return {"plan": asdict(plan), "image_pixels": IMAGE_PIXELS, "prompt": PROMPT,
            "settings": {"max_batch_size": defaults.max_batch_size, "max_batch_wait_ms": defaults.max_batch_wait_ms,
                         "ort_threads": defaults.ort_threads or os.cpu_count(), "max_queue": defaults.max_queue},
            "models": {"autoencoder": meta.autoencoder.name, "generator": meta.generator.name,
                       "generate_steps": plan.generate_steps},
            "runs": runs}


