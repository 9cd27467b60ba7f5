import os
import subprocess
from pathlib import Path

import pytest
import torch


# Gateways and Triton's python-backend models started by the tests compute in float32 on ONNX Runtime, as on a
# CPU without bfloat16, so that their equality with PyTorch holds to float32 rounding on every machine. The
# engines' choice and OpenVINO's bfloat16 gates are tests/service/test_cpu_engines.py's, which set these themselves.
os.environ.setdefault("DCAE_ENGINE", "onnxruntime")
os.environ.setdefault("DCAE_TORCH_DTYPE", "float32")  # the torch runtime likewise
os.environ.setdefault("DCAE_TORCH_PRECISION", "float32")  # and `dcae encode/decode/generate/eval-ae`


@pytest.fixture(autouse=True)
def _deterministic_fp32():
    # Parity tolerances assume true fp32 matmuls (reference Sec. 4: TF32 off).
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.manual_seed(0)
    yield


@pytest.fixture
def one_thread():
    """Tiny models: one intra-op thread is as fast as several on an idle machine and far faster on a
    busy one (OpenMP threads spin-waiting on shared cores)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="session")
def tiny_repository(tmp_path_factory) -> Path:
    """A model repository exported from tiny random models (a text-conditioned flow DiT on
    dc-ae-f32c32-tiny), shared by every test that runs a gateway or a Triton server on it."""
    from dcae.checkpoint import save_pretrained
    from dcae.contract.sampling import Objective
    from dcae.checkpoint import save_generator
    from export.repository import export_repository
    from support.tiny import tiny_autoencoder, tiny_text_dit

    root = tmp_path_factory.mktemp("svc")
    save_pretrained(tiny_autoencoder(), root / "ae")
    save_generator(tiny_text_dit(), Objective("flow"), root / "gen", autoencoder_path="../ae",
                   text_encoder="all-MiniLM-L6-v2")
    export_repository(root / "repo", generator=root / "gen", log=lambda *a: None)
    return root / "repo"


# ----------------------------------------------------------------------------------------------
# A real Triton (export/triton_env.py): its environment, and servers over the tiny repository


@pytest.fixture(scope="session")
def triton_env() -> dict:
    """The Triton environment (.venv-triton), made on first use; skips, saying why, where it cannot be."""
    from export.triton_env import TritonUnavailable, environment, setup

    try:
        return environment()
    except TritonUnavailable:
        pass
    try:
        return setup()
    except (TritonUnavailable, subprocess.CalledProcessError, OSError) as e:
        pytest.skip(f"no Triton environment: `python -m export.triton_env setup` failed here ({e})")


@pytest.fixture(scope="session")
def tiny_cpu_repository(tiny_repository) -> Path:
    """`tiny_repository`'s models (the same ONNX files) as the CPU python-backend repository that the
    tritonserver here can serve."""
    from export.repository import export_repository

    out = tiny_repository.parent / "repo_cpu"
    export_repository(out, generator=tiny_repository.parent / "gen", cpu_python_backend=True,
                      reuse_onnx=tiny_repository, log=lambda *a: None)
    return out


@pytest.fixture(scope="module")
def tiny_triton(triton_env, tiny_cpu_repository, tmp_path_factory):
    """tritonserver on free loopback ports over `tiny_cpu_repository`, for one test module."""
    from export.triton_env import TritonServer

    log = tmp_path_factory.mktemp("triton") / "tritonserver.log"
    with TritonServer(tiny_cpu_repository, log_path=log) as server:  # stopped (process group) on exit
        yield server


# ----------------------------------------------------------------------------------------------
# Gateways (tests/support/served.py): one per runtime and module, started on first use


@pytest.fixture(scope="module")
def gateways():
    """The module's gateways by runtime, each started on first use; all stopped at the end."""
    started = {}
    yield started
    for g in started.values():
        g.process.terminate()
        g.process.wait(timeout=10)


@pytest.fixture(scope="module", params=["embedded", "triton"])
def server(request, gateways):
    """A gateway per runtime for encode and decode over the tiny repository (the two Triton gateways
    differ in generate only)."""
    from support.served import gateway

    return gateway(request, gateways, request.param)


# The interpreter's own teardown after the last test sometimes crashes (SIGSEGV, exit 139) with torch's OpenMP
# beside OpenVINO's and ONNX Runtime's thread pools in one process: seen once here after every test had passed
# and the summary was printed. The run's real result is kept by leaving without that teardown once pytest has
# finished everything else. (A crash in the middle of a run is another matter: the one seen, a DataLoader
# worker forked from this process, is why workers start from a fork server: dcae.data.loader_workers.)
@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    from support.scratch import remove_all

    remove_all()
    session.config._dcae_exitstatus = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    import sys

    if hasattr(config, "_dcae_exitstatus"):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(config._dcae_exitstatus)
