"""Serving a network from PyTorch: numpy in, numpy out, CUDA-graph replay on GPUs.

A DiT step on DC-AE latents is tiny (64-256 tokens): eager PyTorch spends most of it launching
kernels, which throws away the speed-up the autoencoder's compression buys (docs/BENCHMARKS.md,
GPU section). `GraphedModule` captures one CUDA graph per batch bucket (1, 2, 4, ... up to
`max_batch`) and input shape, the first time a call needs it, then serves every call of that bucket
by copying its inputs into the graph's static buffers and replaying it:

    step = GraphedModule(dit_wrapper(dit), ["latent", "timestep", "class_label"], "cuda", torch.bfloat16)
    eps = step({"latent": x, "timestep": t, "class_label": y})      # numpy arrays, batch first

A call of n rows runs the smallest bucket >= n (the extra rows hold the previous call's inputs and
their outputs are dropped: every network served here treats rows independently); calls larger than
`max_batch` run in chunks. Floating inputs of 2 or more dimensions are cast to the serving dtype, 1-D
ones (timesteps) stay float32, as the models upcast their timestep embedding, norms and attention
themselves. On a CPU, or with `graphs=False`, the module simply runs eagerly. Calls are serialised
by a lock (the static buffers are shared), so one instance may be called from several threads.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np
import torch
from torch import nn


def batch_buckets(max_batch: int) -> list[int]:
    """Powers of two below max_batch, then max_batch itself: [1, 2, 4, 8, 12] for 12."""
    buckets, b = [], 1
    while b < max_batch:
        buckets.append(b)
        b *= 2
    return buckets + [max_batch]


class GraphedModule:
    def __init__(self, module: nn.Module, input_names: Sequence[str], device: str | torch.device = "cpu",
                 dtype: torch.dtype = torch.float32, max_batch: int = 32, graphs: bool | None = None,
                 warmup: int = 2) -> None:
        self.device = torch.device(device)
        self.dtype = dtype
        self.module = module.to(self.device, dtype).eval().requires_grad_(False)
        self.input_names = list(input_names)
        self.buckets = batch_buckets(max_batch)
        self.max_batch = max_batch
        self.graphs = self.device.type == "cuda" if graphs is None else graphs
        if self.graphs and self.device.type != "cuda":
            raise ValueError(f"CUDA graphs need a CUDA device, not {self.device}")
        self.warmup = warmup
        self._captured: dict[tuple, tuple[torch.cuda.CUDAGraph, list[torch.Tensor], torch.Tensor]] = {}
        self._pool = torch.cuda.graph_pool_handle() if self.graphs else None
        self._lock = threading.Lock()

    @property
    def captured(self) -> list[tuple]:
        """The (bucket, shapes) keys captured so far."""
        return list(self._captured)

    def _to_device(self, array: np.ndarray) -> torch.Tensor:
        t = torch.from_numpy(np.ascontiguousarray(array))
        if t.is_floating_point() and t.dim() >= 2:
            t = t.to(self.dtype)
        return t.to(self.device, non_blocking=False)

    def __call__(self, inputs: dict[str, np.ndarray]) -> np.ndarray:
        missing = [n for n in self.input_names if n not in inputs]
        if missing:
            raise KeyError(f"missing inputs {missing}; this network takes {self.input_names}")
        arrays = [inputs[n] for n in self.input_names]
        rows = arrays[0].shape[0]
        if rows > self.max_batch:  # chunks of max_batch rows
            parts = [self({n: a[i:i + self.max_batch] for n, a in zip(self.input_names, arrays)})
                     for i in range(0, rows, self.max_batch)]
            return np.concatenate(parts)
        with self._lock, torch.inference_mode():
            if not self.graphs:
                out = self.module(*(self._to_device(a) for a in arrays))
                return out.float().cpu().numpy()
            bucket = next(b for b in self.buckets if b >= rows)
            graph, static_in, static_out = self._graph(bucket, arrays)
            for buf, a in zip(static_in, arrays):
                buf[:rows].copy_(torch.from_numpy(np.ascontiguousarray(a)))
            graph.replay()
            return static_out[:rows].float().cpu().numpy()

    def _graph(self, bucket: int, arrays: list[np.ndarray]):
        key = (bucket, tuple((a.shape[1:], a.dtype.str) for a in arrays))
        if key not in self._captured:
            static_in = []
            for a in arrays:
                t = self._to_device(np.zeros((bucket, *a.shape[1:]), a.dtype))
                static_in.append(t)
            stream = torch.cuda.Stream(self.device)
            stream.wait_stream(torch.cuda.current_stream(self.device))
            with torch.cuda.stream(stream):  # capture needs its warm-up calls on a side stream
                for _ in range(self.warmup):
                    self.module(*static_in)
            torch.cuda.current_stream(self.device).wait_stream(stream)
            graph = torch.cuda.CUDAGraph()
            with torch.cuda.graph(graph, pool=self._pool):
                static_out = self.module(*static_in)
            self._captured[key] = (graph, static_in, static_out)
        return self._captured[key]
