"""Export artifacts shared by the export, Triton, fault and deployment tests, each built once per process: tiny random
checkpoints in our formats and the CPU model repository exported from them (in a scratch folder removed when the
session ends)."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest
from support.scratch import scratch_dir  # noqa: E402
from support.synthetic import write_images  # noqa: E402

from dcae.checkpoint import (
    save_generator,  # noqa: E402
    save_pretrained,  # noqa: E402
)
from dcae.contract.sampling import Objective  # noqa: E402
from dcae.models.dc_ae import create_model, get_config  # noqa: E402
from dcae.models.dit import DiT  # noqa: E402
from dcae.models.dit import get_config as dit_config
from dcae.models.random_init import randomize_  # noqa: E402
from export import triton_config  # noqa: E402
from export.repository import export_repository  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[2]
TEXT_DIT = dit_config("DiT-S/1").replace(depth=2, hidden_size=64, num_heads=2, in_channels=32, input_size=4,
                                         num_classes=0, text_dim=384, learn_sigma=False)
CLASS_DIT = dit_config("DiT-S/1").replace(depth=2, hidden_size=64, num_heads=2, in_channels=32, input_size=4,
                                          num_classes=10, learn_sigma=True)


@functools.cache
def workdir() -> Path:
    return scratch_dir("dcae-export-test-")


@functools.cache
def checkpoints() -> Path:
    """Tiny random checkpoints in our formats: ae/, gen_text/ (flow, text), gen_class/ (ddpm, classes)."""
    root = workdir() / "checkpoints"
    ae = randomize_(create_model(get_config("dc-ae-f32c32-tiny").replace(scaling_factor=0.5)), seed=1)
    save_pretrained(ae, root / "ae")
    save_generator(randomize_(DiT(TEXT_DIT), seed=2), Objective("flow"), root / "gen_text", autoencoder_path="../ae",
                   text_encoder="all-MiniLM-L6-v2")
    save_generator(randomize_(DiT(CLASS_DIT), seed=3), Objective("ddpm", learn_sigma=True), root / "gen_class",
                   autoencoder_path="../ae")
    return root


@functools.cache
def cpu_repository() -> Path:
    """`dcae export --generator gen_text --cpu-python-backend`: encoder, decoder, dit, text_encoder, generate."""
    out = workdir() / "model_repository_cpu"
    export_repository(out, generator=checkpoints() / "gen_text", cpu_python_backend=True, log=lambda *a: None)
    return out


def session(path: Path) -> ort.InferenceSession:
    return ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])


def rel_err(got: np.ndarray, ref: np.ndarray) -> float:
    """Max abs error relative to the output's scale (max abs)."""
    assert got.shape == ref.shape, (got.shape, ref.shape)
    return float(np.abs(got - ref).max() / max(np.abs(ref).max(), 1e-12))


def config_summaries(repo: Path) -> dict[str, dict]:
    """Parsed configs: here if tritonclient is installed, else by the Triton environment's Python."""
    try:
        import tritonclient.grpc  # noqa: F401

        return triton_config.summaries(repo)
    except ImportError:
        from export.triton_env import TritonUnavailable, environment

        try:
            return triton_config.summaries(repo, python=environment()["python"])
        except TritonUnavailable as e:
            pytest.skip(f"parsing config.pbtxt needs tritonclient (not installed here) or the Triton environment: {e}")


@functools.cache
def int8_repository() -> Path:
    """The tiny autoencoder exported with `--int8`, calibrated on synthetic photographs."""
    images = write_images(workdir() / "calibration", count=6, size=(96, 80), seed=3)
    out = workdir() / "model_repository_int8"
    export_repository(out, autoencoder=checkpoints() / "ae", int8=images, log=lambda *a: None)
    return out
