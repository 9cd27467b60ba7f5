"""Gateways over real HTTP for the tests: a uvicorn server on 127.0.0.1 in one of RUNTIMES, and the
request/response helpers the gateway tests share. The fixtures (`gateways`, `server`) are in conftest.py."""

from __future__ import annotations

import base64
import io
import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import numpy as np
from PIL import Image

RUNTIMES = ("embedded", "triton", "triton-loop")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env: dict, port: int, timeout_s: float = 60) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "service", "--host", "127.0.0.1",
                             "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            cwd=Path(__file__).resolve().parents[2])
    if wait_live(proc, f"http://127.0.0.1:{port}", timeout_s, lambda: proc.stdout.read().decode()[-2000:], poll_s=0.2):
        return proc
    proc.kill()
    raise RuntimeError(f"gateway did not start within {timeout_s:.0f} s")


def wait_live(proc: subprocess.Popen, url: str, timeout_s: float, output, poll_s: float = 0.1) -> bool:
    """Until the gateway at `url` answers /health/live: True, or False after `timeout_s`. If its
    process exits first, RuntimeError with `output()` (its last output)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gateway exited with {proc.returncode}: {output()}")
        try:
            if httpx.get(f"{url}/health/live", timeout=1).status_code == 200:
                return True
        except httpx.HTTPError:
            time.sleep(poll_s)
    return False


def triton_gateway_env(triton, generate_loop: str = "gateway") -> dict[str, str]:
    """Gateway settings for the Triton runtime in front of `triton` (an export.triton_env.TritonServer)."""
    return {"DCAE_MODEL_REPOSITORY": str(triton.repository), "DCAE_RUNTIME": "triton",
            "DCAE_TRITON_URLS": triton.grpc_url, "DCAE_GENERATE_LOOP": generate_loop}


@contextmanager
def cpu_triton(repository: Path, generator: Path, log_dir: Path, **export):
    """A tritonserver over the CPU python-backend variant of `repository` (written beside it, as repo_cpu, from
    `generator` and `export`'s other arguments, with the repository's float32 graphs reused), stopped on exit."""
    from export.repository import export_repository
    from export.triton_env import TritonServer

    cpu = repository.parent / "repo_cpu"
    export_repository(cpu, generator=generator, cpu_python_backend=True, reuse_onnx=repository, log=lambda *a: None,
                      **export)
    with TritonServer(cpu, log_path=log_dir / "tritonserver.log") as server:
        yield server


def repository_beside(generator: Path) -> Path:
    """`generator` (our checkpoint or a release folder) exported to the model repository `repo` beside it, so that
    the torch runtime finds the generator in the repository's parent (DCAE_WEIGHTS)."""
    from export.repository import export_repository

    export_repository(generator.parent / "repo", generator=generator, log=lambda *a: None)
    return generator.parent / "repo"


def release_fixtures(prefix: str, checkpoint: str):
    """Module fixtures `<prefix>_repository` (the generator of the fixture named `checkpoint`, exported beside it)
    and `<prefix>_triton` (a CPU Triton over that repository), for `gateway(..., repository=, triton=)`. Assign
    both in the test module: `a_repository, a_triton = release_fixtures("a", "converted")`."""
    import pytest

    @pytest.fixture(scope="module", name=f"{prefix}_repository")
    def repository(request):
        return repository_beside(request.getfixturevalue(checkpoint))

    @pytest.fixture(scope="module", name=f"{prefix}_triton")
    def triton(request, triton_env, tmp_path_factory):
        repo, generator = request.getfixturevalue(f"{prefix}_repository"), request.getfixturevalue(checkpoint)
        with cpu_triton(repo, generator, tmp_path_factory.mktemp("triton")) as server:
            yield server

    return repository, triton


def runtime_env(runtime: str, repository: Path | None = None, triton=None) -> dict[str, str]:
    """The settings of one of RUNTIMES (or "torch"): the embedded runtime over `repository`, the torch runtime
    over it and the checkpoints beside it, or Triton's over `triton`."""
    if runtime == "embedded":
        return {"DCAE_MODEL_REPOSITORY": str(repository)}
    if runtime == "torch":
        return {"DCAE_MODEL_REPOSITORY": str(repository), "DCAE_RUNTIME": "torch", "DCAE_WEIGHTS": str(repository.parent)}
    return triton_gateway_env(triton, "triton" if runtime == "triton-loop" else "gateway")


@dataclass
class Served:
    url: str
    runtime: str  # one of RUNTIMES
    process: subprocess.Popen
    triton: object | None = None  # the TritonServer behind it


def gateway(request, gateways: dict, runtime: str, repository: str = "tiny_repository", triton: str = "tiny_triton",
            settings: dict[str, str] | None = None) -> Served:
    """The module's gateway of `runtime`, started on first use: embedded or torch over the fixture named
    `repository`, or in front of the TritonServer of the fixture named `triton`."""
    if runtime not in gateways:
        in_process = runtime in ("embedded", "torch")
        triton = request.getfixturevalue(triton) if not in_process else None
        repository = request.getfixturevalue(repository) if in_process else None
        env = {**os.environ, "DCAE_MAX_BATCH_WAIT_MS": "20", "DCAE_ORT_THREADS": "1", **(settings or {}),
               **runtime_env(runtime, repository, triton)}
        port = free_port()
        gateways[runtime] = Served(f"http://127.0.0.1:{port}", runtime, start_server(env, port), triton)
    return gateways[runtime]


def png(image: np.ndarray) -> bytes:
    """(H, W, 3) pixels -> PNG bytes."""
    buf = io.BytesIO()
    Image.fromarray(image.astype(np.uint8)).save(buf, "PNG")
    return buf.getvalue()


def png_bytes(h: int = 70, w: int = 100, seed: int = 0) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(np.random.default_rng(seed).integers(0, 256, (h, w, 3), dtype=np.uint8)).save(buf, "PNG")
    return buf.getvalue()


def npy(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, array, allow_pickle=False)
    return buf.getvalue()


def count(text: str, prefix: str) -> float:
    """Sum of the samples of a Prometheus exposition whose line starts with `prefix`."""
    return sum(float(line.split()[-1]) for line in text.splitlines() if line.startswith(prefix))


def images_of(response: httpx.Response) -> np.ndarray:
    """A generate response (b64_json) -> (n, H, W, 3) uint8."""
    assert response.status_code == 200, response.text
    return np.stack([np.asarray(Image.open(io.BytesIO(base64.b64decode(d["b64_json"]))))
                     for d in response.json()["data"]])
