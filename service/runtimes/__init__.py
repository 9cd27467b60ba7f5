"""Where the networks run: one small protocol, a runtime per module, chosen by name (`DCAE_RUNTIME`).
The pipelines call `runner.infer(model, inputs)` and do not know which runs it:

- `embedded` (`service.runtimes.embedded`): OpenVINO (bfloat16 on CPUs that multiply it in hardware) or
  ONNX Runtime in this process over `model_repository/<model>/1/model.onnx` (`DCAE_ENGINE`,
  `dcae.contract.cpu`), with per-model micro-batching across concurrent requests;
- `triton` (`service.runtimes.triton`): Triton Inference Server over gRPC (tritonclient's asyncio
  client), round robin over several endpoints; batching is Triton's dynamic batcher;
- `torch` (the top-level package `torch_runtime`, outside the gateway: it imports torch, the ML core and
  export's wrappers): the PyTorch checkpoints the repository was exported from, imported only when chosen.
"""

from __future__ import annotations

import importlib
from typing import Protocol

import numpy as np

from service.repository import ModelRepository
from service.settings import Settings

# DCAE_RUNTIME -> "module:class". The gateway imports a runtime's module only when it is chosen.
RUNTIMES = {"embedded": "service.runtimes.embedded:EmbeddedRunner", "triton": "service.runtimes.triton:TritonRunner",
            "torch": "torch_runtime:TorchRunner"}


class Runtime(Protocol):
    """What the gateway needs of a runtime."""

    loaded: dict[str, dict]  # network -> {"graph": what runs it, "engine": ..., "precision": ...}, for /v1/models
    precision: str  # the autoencoder's, as loaded
    engine: str  # what runs the networks: onnxruntime, openvino, triton, torch (or "mixed")

    def __init__(self, repo: ModelRepository, settings: Settings) -> None: ...

    async def start(self) -> None: ...

    async def close(self) -> None: ...

    async def infer(self, model: str, inputs: dict[str, np.ndarray]) -> dict[str, np.ndarray]: ...

    async def ready(self) -> bool: ...


class RunnerUnavailable(RuntimeError):
    """The backend cannot serve right now (Triton down or restarting)."""


class RunnerRejected(ValueError):
    """The model server refused a request as invalid (Triton's INVALID_ARG), saying why."""

    def __init__(self, model: str, message: str) -> None:
        super().__init__(f"{model}: {message}")
        self.model, self.message = model, message


def build_runner(repo: ModelRepository, settings: Settings) -> Runtime:
    if settings.runtime != "embedded" and settings.precision not in ("auto", "float32"):
        raise ValueError(f"DCAE_PRECISION={settings.precision} applies to the embedded runtime; the {settings.runtime} "
                         "runtime serves float32 graphs or weights")
    module, cls = RUNTIMES[settings.runtime].split(":")
    return getattr(importlib.import_module(module), cls)(repo, settings)
