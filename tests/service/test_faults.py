"""The gateway in front of a real Triton (the CPU python-backend repository, as in test_triton.py)
that is killed and restarted under load: every request either succeeds with a whole, decodable
response or gets a clean 503 with Retry-After, quickly; nothing hangs; readiness follows Triton; and
service resumes by itself when Triton is back on the same address."""

from __future__ import annotations

import base64
import io
import os
import signal
import threading
import time
from dataclasses import dataclass

import httpx
import numpy as np
import pytest
from PIL import Image

from export.triton_env import TritonServer
from support.artifacts import cpu_repository
from support.gateway import Gateway, wait_until
from support.served import npy, png_bytes

CLIENT_TIMEOUT_S = 30.0  # a request still open after this long counts as hung


@dataclass
class Outcome:
    kind: str
    started: float
    seconds: float
    status: int | None  # None: no HTTP response (connection error or client timeout)
    problem: str | None = None  # a 200 that is not a whole response, a 503 not in the error shape, ...


def one_request(client: httpx.Client, url: str, kind: str, rng: np.random.Generator) -> Outcome:
    t0 = time.monotonic()
    try:
        if kind == "encode":
            r = client.post(f"{url}/v1/encode", files={"image": ("x.png", png_bytes(64, 96, seed=int(rng.integers(99))))},
                            headers={"Accept": "application/x-npy"})
        elif kind == "decode":
            z = rng.standard_normal((1, 32, 2, 3)).astype(np.float32)
            r = client.post(f"{url}/v1/decode", content=npy(z), headers={"Content-Type": "application/x-npy"})
        else:
            r = client.post(f"{url}/v1/generate", json={"prompt": "a lighthouse", "steps": 3,
                                                          "seed": int(rng.integers(1000))})
    except httpx.HTTPError as e:
        return Outcome(kind, t0, time.monotonic() - t0, None, f"{type(e).__name__}: {e}")
    outcome = Outcome(kind, t0, time.monotonic() - t0, r.status_code)
    try:
        if r.status_code == 200:
            if kind == "encode":
                assert np.load(io.BytesIO(r.content), allow_pickle=False).shape == (1, 32, 2, 3)
            elif kind == "decode":
                assert Image.open(io.BytesIO(r.content)).size == (96, 64)
            else:
                image = Image.open(io.BytesIO(base64.b64decode(r.json()["data"][0]["b64_json"])))
                assert image.size == (128, 128)
                image.load()
        elif r.status_code == 503:
            assert r.json()["error"]["code"] == "backend_unavailable" and int(r.headers["retry-after"]) >= 1
        else:
            outcome.problem = r.text[:300]
    except Exception as e:  # noqa: BLE001 - any defect of the response is what the test reports
        outcome.problem = f"{type(e).__name__}: {e}"
    return outcome


class Load:
    """`workers` clients sending a mix of encode, decode and generate until stopped."""

    def __init__(self, url: str, workers: int = 4) -> None:
        self.url, self.stop_event, self.outcomes = url, threading.Event(), []
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(workers)]

    def _run(self, i: int) -> None:
        rng = np.random.default_rng(i)
        kinds = ("encode", "decode", "generate")
        with httpx.Client(timeout=CLIENT_TIMEOUT_S) as client:
            n = 0
            while not self.stop_event.is_set():
                outcome = one_request(client, self.url, kinds[(i + n) % 3], rng)
                n += 1
                with self.lock:
                    self.outcomes.append(outcome)
                if outcome.status == 503:
                    time.sleep(0.05)  # a client backing off (briefly: Retry-After would make the test long)

    def count(self, status: int, since: float = 0.0) -> int:
        with self.lock:
            return sum(o.status == status and o.started >= since for o in self.outcomes)

    def __enter__(self) -> Load:
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop_event.set()
        for t in self.threads:
            t.join(timeout=CLIENT_TIMEOUT_S + 10)


def ready_status(url: str) -> int:
    return httpx.get(f"{url}/health/ready", timeout=10).status_code


def test_triton_killed_and_restarted_under_load(triton_env, tmp_path):
    repo = cpu_repository()
    triton = TritonServer(repo, log_path=tmp_path / "triton-1.log").start()
    ports = dict(http_port=triton.http_port, grpc_port=triton.grpc_port, metrics_port=triton.metrics_port)
    gateway = Gateway({"DCAE_MODEL_REPOSITORY": str(repo), "DCAE_RUNTIME": "triton",
                       "DCAE_TRITON_URLS": triton.grpc_url, "DCAE_READINESS_TTL_SECONDS": "0.25"},
                      tmp_path / "gateway.log").start()
    url, timeline = gateway.url, {}
    try:
        wait_until(lambda: ready_status(url) == 200, 30, "the gateway to be ready")
        with Load(url) as load:
            wait_until(lambda: load.count(200) >= 12, 60, "traffic to flow")

            # 1. SIGKILL: Triton and its python-backend stubs vanish mid-request.
            timeline["kill"] = time.monotonic()
            os.killpg(os.getpgid(triton.process.pid), signal.SIGKILL)
            triton.process.wait(timeout=10)
            wait_until(lambda: ready_status(url) == 503, 10, "readiness to turn false")
            wait_until(lambda: load.count(503, since=timeline["kill"] + 0.5) >= 12, 20, "clean 503s while Triton is down")

            # 2. Triton back on the same ports: the gateway reconnects by itself.
            triton = TritonServer(repo, log_path=tmp_path / "triton-2.log", **ports).start()
            timeline["restart"] = time.monotonic()
            wait_until(lambda: ready_status(url) == 200, 30, "readiness to come back")
            wait_until(lambda: load.count(200, since=timeline["restart"]) >= 12, 30, "service to resume")

            # 3. SIGTERM: Triton's own graceful stop, then back once more.
            timeline["term"] = time.monotonic()
            triton.stop()
            wait_until(lambda: load.count(503, since=timeline["term"] + 0.5) >= 6, 20, "503s after a graceful stop")
            triton = TritonServer(repo, log_path=tmp_path / "triton-3.log", **ports).start()
            timeline["restart-2"] = time.monotonic()
            wait_until(lambda: load.count(200, since=timeline["restart-2"]) >= 12, 30, "service to resume again")
        outcomes = load.outcomes
    finally:
        gateway.stop()
        triton.stop()

    statuses = {}
    for o in outcomes:
        statuses[o.status] = statuses.get(o.status, 0) + 1
    print(f"{len(outcomes)} requests: {statuses}; "
          f"slowest 503 {max(o.seconds for o in outcomes if o.status == 503):.3f} s, "
          f"slowest 200 {max(o.seconds for o in outcomes if o.status == 200):.3f} s")
    assert set(statuses) <= {200, 503}, statuses  # nothing else: no 500, no connection error, no timeout
    assert not [o for o in outcomes if o.problem], [o for o in outcomes if o.problem][:5]  # whole responses
    assert max(o.seconds for o in outcomes) < CLIENT_TIMEOUT_S / 3  # nothing hung
    down = [o for o in outcomes if o.status == 503 and o.started > timeline["kill"] + 0.5]
    assert down and max(o.seconds for o in down) < 2.0  # refused quickly, not after a long wait
    for kind in ("encode", "decode", "generate"):  # every endpoint resumed
        assert any(o.kind == kind and o.status == 200 and o.started > timeline["restart-2"] for o in outcomes), kind
    log = gateway.log()
    assert "Traceback" not in log, log[-3000:]


@pytest.mark.parametrize("urls", ["127.0.0.1:1"])  # nothing listens on port 1
def test_gateway_starts_without_triton_and_says_not_ready(urls, tmp_path):
    """Triton absent from the start: the gateway comes up, is live but not ready, and answers 503 fast."""
    repo = cpu_repository()
    gateway = Gateway({"DCAE_MODEL_REPOSITORY": str(repo), "DCAE_RUNTIME": "triton", "DCAE_TRITON_URLS": urls},
                      tmp_path / "gateway.log").start()
    try:
        assert httpx.get(f"{gateway.url}/health/live").status_code == 200
        r = httpx.get(f"{gateway.url}/health/ready")
        assert r.status_code == 503 and r.json()["error"]["message"] == "the model server is unavailable"
        t0 = time.perf_counter()
        r = httpx.post(f"{gateway.url}/v1/generate", json={"prompt": "x", "steps": 2})
        assert r.status_code == 503 and r.headers["retry-after"] and time.perf_counter() - t0 < 2.0
        assert "127.0.0.1:1" not in r.text  # the address stays in the log
    finally:
        gateway.stop()
