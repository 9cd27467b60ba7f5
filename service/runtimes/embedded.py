"""The embedded runtime: the repository's graphs in the gateway's process, with per-model micro-batching
across concurrent requests. OpenVINO runs them on CPUs that multiply bfloat16 matrices in hardware
(bfloat16 with float32 kept where images need it), ONNX Runtime elsewhere (`DCAE_ENGINE`,
`DCAE_PRECISION`; the rule is `dcae.contract.cpu.choose_engine`)."""

from __future__ import annotations

import asyncio
import logging
import os
from functools import lru_cache
from typing import Callable, Sequence

import numpy as np

from dcae.contract.cpu import EngineChoice, choose_engine, compile_openvino, cpu_flags, openvino_call
from dcae.contract.metadata import graph_precision
from service.batching import MicroBatcher
from service.metrics import BATCH_SIZE
from service.repository import ModelRepository
from service.settings import Settings

log = logging.getLogger("dcae.service")


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


def engine_choice(settings: Settings) -> EngineChoice:
    """The engine and precision the settings resolve to on this CPU (ValueError names a bad setting)."""
    # ONNX Runtime chosen by name never needs OpenVINO: not even imported (its libraries cost ~100 MB resident).
    wanted = settings.engine.strip().lower() != "onnxruntime"
    return choose_engine(settings.engine, settings.precision, cpu_flags(settings.cpu_flags),
                         wanted and openvino_available())


def openvino_available() -> bool:
    try:
        import openvino  # noqa: F401
    except ImportError:
        return False
    return True


def create_openvino(path, precision: str, settings: Settings, outputs: Sequence[str] = ()):
    """-> (inputs -> outputs, layers kept in float32 or None): the graph compiled by OpenVINO for this CPU,
    cached in `settings.openvino_cache()` (the benchmarks time this very function). `outputs`: the graph's
    output names."""
    import onnx
    import openvino as ov

    compiled, marked = compile_openvino(
        ov, path, precision, settings.ort_threads, settings.openvino_cache(),
        read_nodes=lambda: onnx.load(str(path), load_external_data=False).graph.node, log=_log_once)
    return openvino_call(compiled, outputs), marked


@lru_cache(maxsize=None)
def _log_once(message: str) -> None:
    """OpenVINO's compile messages, each once (the cache warning would come once per graph)."""
    (log.warning if message.startswith("WARNING: ") else log.info)(message.removeprefix("WARNING: "))


def image_pixels(network: str, repo: ModelRepository) -> Callable[[dict[str, np.ndarray]], float] | None:
    """Image pixels one call of an autoencoder network works on (its memory grows with them); None for
    the other networks."""
    tensor, area = {"encoder": ("image", 1), "decoder": ("latent", repo.autoencoder.compression ** 2)}.get(
        network, (None, 0))
    if tensor is None:
        return None

    def pixels(inputs: dict[str, np.ndarray]) -> float:
        n, _, h, w = inputs[tensor].shape
        return float(n * h * w * area)

    return pixels


class EmbeddedRunner:
    """OpenVINO or ONNX Runtime in this process; subclasses change how each network is called (`_load`)."""

    def __init__(self, repo: ModelRepository, settings: Settings) -> None:
        self.calls = self._load(repo, settings)
        self.batchers: dict[str, MicroBatcher] = {}
        if settings.micro_batching:
            for name, call in self.calls.items():
                limit = repo.metadata.networks[name].max_batch_size
                self.batchers[name] = MicroBatcher(name, call, min(settings.max_batch_size, limit),
                                                   settings.max_batch_wait_ms, cost=image_pixels(name, repo),
                                                   max_cost=settings.max_batch_pixels)

    def _load(self, repo: ModelRepository, settings: Settings) -> dict[str, Callable]:
        """{network: inputs -> {output name: array}}; records in `self.loaded` which graph file each
        network runs, on which engine, in which precision (what /v1/models reports)."""
        choice = engine_choice(settings)
        log.info("embedded runtime: %s, %s (%s)", choice.engine, choice.precision, choice.reason)
        calls, self.loaded = {}, {}
        for name in repo.networks:
            path = repo.onnx_path(name, "int8" if choice.precision == "int8" else "float32")
            graph = graph_precision(repo.metadata, path)
            entry = {"graph": path.relative_to(repo.root).as_posix(), "engine": choice.engine}
            if choice.engine == "openvino":
                # An int8 graph's float ops in float32: OpenVINO 2026.4's CPU plugin fails the int8 encoder in
                # bfloat16 ("GroupConvolution node ... object is not initialized" at the first inference).
                compute = ("float32" if graph == "int8" else
                           choice.precision if name in ("encoder", "decoder") else choice.float_precision)
                calls[name], marked = create_openvino(
                    path, compute, settings, [o["name"] for o in repo.metadata.networks[name].outputs])
                entry["precision"] = "int8" if graph == "int8" else compute
                if marked is not None:
                    entry["float32_layers"] = marked
            else:
                calls[name] = session_runner(create_session(path, settings))
                entry["precision"] = graph
            self.loaded[name] = entry
        return calls

    @property
    def engine(self) -> str:
        found = {entry.get("engine", "onnxruntime") for entry in self.loaded.values()}
        return found.pop() if len(found) == 1 else "mixed"

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
