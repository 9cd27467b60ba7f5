"""The Triton runtime: Triton Inference Server over gRPC (tritonclient's asyncio client), round robin
over several endpoints, failing fast while Triton is away; batching is Triton's dynamic batcher."""

from __future__ import annotations

import itertools

import numpy as np

from service.repository import ModelRepository
from service.runtimes import RunnerRejected, RunnerUnavailable
from service.settings import Settings


_NP_TO_TRITON = {"float32": "FP32", "float16": "FP16", "int64": "INT64", "int32": "INT32", "bool": "BOOL",
                 "uint8": "UINT8", "object": "BYTES"}


class TritonRunner:
    """Fails fast while Triton is away (503 upstream) and reconnects by itself when it returns: gRPC
    keeps redialling in the background, with its backoff capped at `RECONNECT_BACKOFF_MS`."""

    RECONNECT_BACKOFF_MS = 1000

    def __init__(self, repo: ModelRepository, settings: Settings) -> None:
        self.urls = [u.strip() for u in settings.triton_urls.split(",") if u.strip()]
        self.networks = repo.metadata.networks
        self.precision = repo.metadata.precision  # Triton loads the repository's model.onnx
        self.engine = "triton"
        self.loaded = {name: {"graph": f"{name} on Triton ({', '.join(self.urls)})", "engine": "triton",
                              "precision": self.precision}
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
        limit = self.networks[model].max_batch_size if model in self.networks else 0
        rows = next(iter(inputs.values())).shape[0]
        if limit <= 0 or rows <= limit:
            return await self._infer(model, inputs, outputs)
        parts = [await self._infer(model, {k: v[i:i + limit] for k, v in inputs.items()}, outputs)
                 for i in range(0, rows, limit)]
        return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}

    async def _infer(self, model: str, inputs: dict[str, np.ndarray], outputs: list[str] | None) -> dict[str, np.ndarray]:
        import tritonclient.grpc.aio as grpcclient
        from tritonclient.utils import InferenceServerException

        specs = {i["name"]: i for i in (self.networks[model].inputs if model in self.networks else [])}
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
