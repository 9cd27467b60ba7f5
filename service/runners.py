"""Where the networks run. The pipelines call `runner.infer(model, inputs)` and do not know which:

- `EmbeddedRunner`: ONNX Runtime in this process over `model_repository/<model>/1/model.onnx`,
  with per-model micro-batching across concurrent requests.
- `TritonRunner`: Triton Inference Server over gRPC (tritonclient's asyncio client), round robin over
  several endpoints; batching is Triton's dynamic batcher.
"""

from __future__ import annotations

import asyncio
import itertools
import os
from typing import Callable

import numpy as np

from dcae.contract.metadata import graph_precision
from service.batching import MicroBatcher
from service.metrics import BATCH_SIZE
from service.repository import ModelRepository
from service.settings import Settings


class RunnerUnavailable(RuntimeError):
    """The backend cannot serve right now (Triton down or restarting)."""


class RunnerRejected(ValueError):
    """The model server refused a request as invalid (Triton's INVALID_ARG), saying why."""

    def __init__(self, model: str, message: str) -> None:
        super().__init__(f"{model}: {message}")
        self.model, self.message = model, message


def create_session(path, settings: Settings):
    """An ONNX Runtime CPU session over one exported network, as the gateway runs it (the benchmarks
    time this very function, called through `session_runner`). Worker threads sleep instead of
    spinning between parallel sections: the gateway shares its cores with the event loop, the image
    codecs and, without micro-batching, other calls; spinning workers took their CPU (on a loaded
    2-core machine, spinning made a 512 px decode 1.2-1.7x slower; docs/BENCHMARKS.md)."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = settings.ort_threads or (os.cpu_count() or 1)
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])


def session_runner(session) -> Callable[[dict[str, np.ndarray]], dict[str, np.ndarray]]:
    """inputs -> {output name: array}. Every call gives the memory arena's unused chunks back to the
    OS when it ends: one call on 8 images of 512 px grows a network's arena by ~0.8 GB, and each of
    the four networks kept its own high-water mark (under the CPU benchmark's load the gateway peaked at
    4.0 GB with micro-batching on; 1.8 GB with the arenas shrunk)."""
    import onnxruntime as ort

    output_names = [o.name for o in session.get_outputs()]
    options = ort.RunOptions()
    if session.get_session_options().enable_cpu_mem_arena:
        options.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")

    def run(inputs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        return dict(zip(output_names, session.run(output_names, inputs, options)))

    return run


def image_pixels(network: str, repo: ModelRepository) -> Callable[[dict[str, np.ndarray]], float] | None:
    """Image pixels one call of an autoencoder network works on (its memory grows with them); None for
    the other networks."""
    tensor, area = {"encoder": ("image", 1), "decoder": ("latent", repo.autoencoder["compression"] ** 2)}.get(
        network, (None, 0))
    if tensor is None:
        return None

    def pixels(inputs: dict[str, np.ndarray]) -> float:
        n, _, h, w = inputs[tensor].shape
        return float(n * h * w * area)

    return pixels


class EmbeddedRunner:
    """ONNX Runtime in this process; subclasses change how each network is called (`_load`)."""

    def __init__(self, repo: ModelRepository, settings: Settings) -> None:
        self.calls = self._load(repo, settings)
        self.batchers: dict[str, MicroBatcher] = {}
        if settings.micro_batching:
            for name, call in self.calls.items():
                limit = repo.metadata["networks"][name].get("max_batch_size", settings.max_batch_size)
                self.batchers[name] = MicroBatcher(name, call, min(settings.max_batch_size, limit),
                                                   settings.max_batch_wait_ms, cost=image_pixels(name, repo),
                                                   max_cost=settings.max_batch_pixels)

    def _load(self, repo: ModelRepository, settings: Settings) -> dict[str, Callable]:
        """{network: inputs -> {output name: array}}; records in `self.loaded` which graph file each
        session was made from (what /v1/models reports)."""
        calls, self.loaded = {}, {}
        for name in repo.networks:
            path = repo.onnx_path(name, settings.precision)
            calls[name] = session_runner(create_session(path, settings))
            self.loaded[name] = {"graph": path.relative_to(repo.root).as_posix(),
                                 "precision": graph_precision(repo.metadata, path)}
        return calls

    @property
    def precision(self) -> str:
        """The autoencoder's precision as loaded: its networks' graph precision, or "mixed"."""
        found = {self.loaded[n]["precision"] for n in ("encoder", "decoder") if n in self.loaded}
        return found.pop() if len(found) == 1 else "mixed"

    async def start(self) -> None:
        for b in self.batchers.values():
            b.start()

    async def close(self) -> None:
        for b in self.batchers.values():
            await b.stop()

    async def infer(self, model: str, inputs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        if model in self.batchers:
            return await self.batchers[model].infer(inputs)
        BATCH_SIZE.labels(model).observe(next(iter(inputs.values())).shape[0])
        return await asyncio.to_thread(self.calls[model], inputs)

    async def ready(self) -> bool:
        return True


_NP_TO_TRITON = {"float32": "FP32", "float16": "FP16", "int64": "INT64", "int32": "INT32", "bool": "BOOL",
                 "uint8": "UINT8", "object": "BYTES"}


class TritonRunner:
    """Fails fast while Triton is away (503 upstream) and reconnects by itself when it returns: gRPC
    keeps redialling in the background, with its backoff capped at `RECONNECT_BACKOFF_MS`."""

    RECONNECT_BACKOFF_MS = 1000

    def __init__(self, repo: ModelRepository, settings: Settings) -> None:
        self.urls = [u.strip() for u in settings.triton_urls.split(",") if u.strip()]
        self.networks = repo.metadata["networks"]
        self.precision = repo.metadata.get("precision", "float32")  # Triton loads the repository's model.onnx
        self.loaded = {name: {"graph": f"{name} on Triton ({', '.join(self.urls)})", "precision": self.precision}
                       for name in repo.networks}
        self._clients = None
        self._next = itertools.cycle(range(len(self.urls)))

    async def start(self) -> None:
        import tritonclient.grpc.aio as grpcclient
        from tritonclient.grpc import KeepAliveOptions

        keepalive = KeepAliveOptions()
        channel_args = [  # tritonclient's defaults, and a short reconnect backoff (gRPC's grows to 120 s)
            ("grpc.max_send_message_length", 2**31 - 1), ("grpc.max_receive_message_length", 2**31 - 1),
            ("grpc.keepalive_time_ms", keepalive.keepalive_time_ms),
            ("grpc.keepalive_timeout_ms", keepalive.keepalive_timeout_ms),
            ("grpc.keepalive_permit_without_calls", keepalive.keepalive_permit_without_calls),
            ("grpc.http2.max_pings_without_data", keepalive.http2_max_pings_without_data),
            ("grpc.initial_reconnect_backoff_ms", self.RECONNECT_BACKOFF_MS // 4),
            ("grpc.min_reconnect_backoff_ms", self.RECONNECT_BACKOFF_MS // 4),
            ("grpc.max_reconnect_backoff_ms", self.RECONNECT_BACKOFF_MS),
        ]
        self._clients = [grpcclient.InferenceServerClient(url, channel_args=channel_args) for url in self.urls]

    async def close(self) -> None:
        for c in self._clients or []:
            await c.close()

    def _order(self) -> list:
        """Every client once, starting from the next in the round robin: a concurrent request moving
        the shared cursor must not make this one try the same (dead) endpoint twice."""
        start, n = next(self._next), len(self._clients)
        return [self._clients[(start + k) % n] for k in range(n)]

    async def infer(self, model: str, inputs: dict[str, np.ndarray], outputs: list[str] | None = None) -> dict[str, np.ndarray]:
        """Batches larger than the model's max_batch_size go as several requests."""
        limit = self.networks.get(model, {}).get("max_batch_size", 0)
        rows = next(iter(inputs.values())).shape[0]
        if limit <= 0 or rows <= limit:
            return await self._infer(model, inputs, outputs)
        parts = [await self._infer(model, {k: v[i:i + limit] for k, v in inputs.items()}, outputs)
                 for i in range(0, rows, limit)]
        return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}

    async def _infer(self, model: str, inputs: dict[str, np.ndarray], outputs: list[str] | None) -> dict[str, np.ndarray]:
        import tritonclient.grpc.aio as grpcclient
        from tritonclient.utils import InferenceServerException

        specs = {i["name"]: i for i in self.networks.get(model, {}).get("inputs", [])}
        infer_inputs = []
        for name, value in inputs.items():
            if specs.get(name, {}).get("shape") == ["N"]:  # per-item scalars travel as (N, 1) (config reshape)
                value = value.reshape(-1, 1)
            tensor = grpcclient.InferInput(name, list(value.shape), _NP_TO_TRITON[value.dtype.name])
            tensor.set_data_from_numpy(np.ascontiguousarray(value))
            infer_inputs.append(tensor)
        requested = [grpcclient.InferRequestedOutput(n) for n in outputs] if outputs else None
        errors = []
        for client in self._order():  # fail over to the next endpoint
            try:
                result = await client.infer(model, infer_inputs, outputs=requested)
            except InferenceServerException as e:
                if _is_unavailable(e):
                    errors.append(str(e))
                    continue
                if "invalid_argument" in str(e.status()).lower():
                    raise RunnerRejected(model, e.message()) from None
                raise
            response = result.get_response()
            return {o.name: result.as_numpy(o.name) for o in response.outputs}
        raise RunnerUnavailable("Triton unavailable: " + "; ".join(errors))

    async def ready(self) -> bool:
        from tritonclient.utils import InferenceServerException

        for client in self._clients or []:
            try:
                if await client.is_server_ready():
                    return True
            except InferenceServerException:
                continue
        return False


# What Triton says while it is away, starting, or its model instances are (re)loading.
_UNAVAILABLE = ("statuscode.unavailable", "connection refused", "failed to connect", "socket closed",
                "connection reset", "stub process is not healthy", "is not ready", "unknown model",
                "is not found", "server is shutting down", "statuscode.cancelled")


def _is_unavailable(e: Exception) -> bool:
    text = str(e).lower()
    return any(s in text for s in _UNAVAILABLE)


def build_runner(repo: ModelRepository, settings: Settings):
    if settings.runtime != "embedded" and settings.precision != "float32":
        raise ValueError(f"DCAE_PRECISION={settings.precision} applies to the embedded runtime; the {settings.runtime} "
                         "runtime serves float32 graphs or weights")
    if settings.runtime == "torch":
        from service.torch_runner import TorchRunner  # the only runtime that imports torch

        return TorchRunner(repo, settings)
    return EmbeddedRunner(repo, settings) if settings.runtime == "embedded" else TritonRunner(repo, settings)
