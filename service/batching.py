"""Micro-batching for the embedded runtime: concurrent requests for one model are concatenated
along the batch axis (up to `max_batch_size` rows, waiting at most `max_wait_ms` for company) and run
as one ONNX Runtime call off the event loop. Requests whose per-row shapes differ (images of other
sizes) never share a call. With a `cost` function and `max_cost` (the autoencoder's image pixels), a
call also stops taking requests once their summed cost would pass `max_cost`: memory per call grows
with pixels (one ONNX Runtime call on 8 images of 1024 px peaks near 4 GB), rows alone do not bound
it. A request over either limit is split along its rows into parts that fit (a single row over the
pixel limit runs alone); its parts may share calls with other requests, and its outputs come back
whole, in order."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from service.metrics import BATCH_SIZE, QUEUE_DEPTH

RunFn = Callable[[dict[str, np.ndarray]], dict[str, np.ndarray]]


@dataclass
class _Item:
    inputs: dict[str, np.ndarray]
    rows: int
    key: tuple
    cost: float
    future: asyncio.Future = field(repr=False)


class MicroBatcher:
    def __init__(self, model: str, run: RunFn, max_batch_size: int, max_wait_ms: float,
                 cost: Callable[[dict[str, np.ndarray]], float] | None = None, max_cost: float | None = None) -> None:
        self.model, self.run = model, run
        self.max_batch_size, self.max_wait = max_batch_size, max_wait_ms / 1000
        self.cost, self.max_cost = cost, max_cost
        self.queue: asyncio.Queue[_Item] = asyncio.Queue()
        self.task: asyncio.Task | None = None

    def start(self) -> None:
        self.task = asyncio.get_running_loop().create_task(self._loop(), name=f"batcher-{self.model}")

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            await asyncio.gather(self.task, return_exceptions=True)

    async def infer(self, inputs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        rows = next(iter(inputs.values())).shape[0]
        cost = self.cost(inputs) if self.cost is not None else 0.0
        per_part = self.max_batch_size
        if self.max_cost is not None and cost > self.max_cost and rows > 1:
            per_part = min(per_part, max(1, int(self.max_cost // (cost / rows))))
        if rows > per_part:
            parts = await asyncio.gather(*(self.infer({k: v[i:i + per_part] for k, v in inputs.items()})
                                           for i in range(0, rows, per_part)))
            return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
        key = tuple((k, v.dtype.str, v.shape[1:]) for k, v in sorted(inputs.items()))
        item = _Item(inputs, rows, key, cost, asyncio.get_running_loop().create_future())
        self.queue.put_nowait(item)
        QUEUE_DEPTH.labels(self.model).set(self.queue.qsize())
        return await item.future

    async def _loop(self) -> None:
        pending: list[_Item] = []
        while True:
            if not pending:
                pending.append(await self.queue.get())
            first = pending[0]
            batch, rows, cost, rest = [first], first.rows, first.cost, []

            def fits(item: _Item) -> bool:
                return (item.key == first.key and rows + item.rows <= self.max_batch_size
                        and (self.max_cost is None or cost + item.cost <= self.max_cost))

            deadline = asyncio.get_running_loop().time() + self.max_wait
            for other in pending[1:]:  # left over from the previous round
                if fits(other):
                    batch.append(other)
                    rows, cost = rows + other.rows, cost + other.cost
                else:
                    rest.append(other)
            while rows < self.max_batch_size:
                timeout = deadline - asyncio.get_running_loop().time()
                if timeout <= 0:
                    break
                try:
                    item = await asyncio.wait_for(self.queue.get(), timeout)
                except asyncio.TimeoutError:
                    break
                if fits(item):
                    batch.append(item)
                    rows, cost = rows + item.rows, cost + item.cost
                else:
                    rest.append(item)
            pending = rest
            QUEUE_DEPTH.labels(self.model).set(self.queue.qsize() + len(pending))
            batch = [i for i in batch if not i.future.cancelled()]
            if not batch:
                continue
            await self._run(batch)

    async def _run(self, batch: list[_Item]) -> None:
        inputs = {k: np.concatenate([i.inputs[k] for i in batch]) for k in batch[0].inputs}
        BATCH_SIZE.labels(self.model).observe(sum(i.rows for i in batch))
        try:
            outputs = await asyncio.to_thread(self.run, inputs)
        except Exception as e:  # every waiting request learns of the failure
            for i in batch:
                if not i.future.done():
                    i.future.set_exception(e)
            return
        start = 0
        for i in batch:
            part = {k: v[start:start + i.rows] for k, v in outputs.items()}
            start += i.rows
            if not i.future.done():
                i.future.set_result(part)
