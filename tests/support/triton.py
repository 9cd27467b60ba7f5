"""Calls of a real Triton through tritonclient, run in the Triton environment (support/triton_client.py there)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
from support.artifacts import workdir

from export.triton_env import TritonServer, environment

CLIENT = Path(__file__).with_name("triton_client.py")


def run_client(server: TritonServer, calls: list[dict], arrays: dict[str, np.ndarray], configs=()) -> tuple[dict, dict]:
    """Send `calls` through tritonclient in the Triton environment; (outputs by "id/name", extras)."""
    work = Path(workdir())
    np.savez(work / "inputs.npz", **arrays)
    job = {"http": server.http_url, "grpc": server.grpc_url, "arrays": str(work / "inputs.npz"),
           "result": str(work / "result.npz"), "calls": calls, "configs": list(configs)}
    (work / "job.json").write_text(json.dumps(job))
    run = subprocess.run([environment()["python"], str(CLIENT), str(work / "job.json")], capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    return dict(np.load(work / "result.npz")), json.loads((work / "result.npz.json").read_text())
