"""Uploaded images are decoded in worker processes, not threads: a thread cannot be stopped, a process
can. A decode whose request is cancelled (its deadline passed, its client left) ends with its worker,
and a fresh worker takes the place; meanwhile at most `workers` decodes run, beside (not in) the thread
pool that runs inference and image encoding.

The cheap structural checks in `decode_image_bytes` (the pixel cap from the header, JPEG scan and TIFF
directory counts) come first in the worker; this pool bounds what the remaining decodes can cost.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from service.errors import APIError
from service.metrics import DECODE_WORKERS_REPLACED


def _serve(conn) -> None:
    """A worker: says it is ready once its decoders are imported, then (bytes, max_pixels) in, ("ok",
    array) or ("error", status, code, message, field) out."""
    from service.images import decode_image_bytes

    conn.send("ready")
    while True:
        try:
            data, max_pixels = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply = ("ok", decode_image_bytes(data, max_pixels))
        except APIError as e:
            reply = ("error", e.status, e.code, e.message, e.field)
        except Exception as e:  # noqa: BLE001 - untrusted bytes; the client's problem, said without internals
            reply = ("error", 422, "invalid_image", f"cannot decode the image ({type(e).__name__})", "image")
        conn.send(reply)


class _Worker:
    def __init__(self, context) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child,), daemon=True, name="dcae-image-decode")
        self.process.start()
        child.close()

    def wait_ready(self) -> _Worker:
        if self.conn.recv() != "ready":
            raise RuntimeError("an image-decode worker did not start")
        return self

    def call(self, data: bytes, max_pixels: int):
        self.conn.send((data, max_pixels))
        return self.conn.recv()

    def stop(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class DecodePool:
    def __init__(self, workers: int) -> None:
        self.size = workers
        self.context = multiprocessing.get_context("spawn")  # no fork of a process with inference threads
        self.idle: asyncio.Queue[_Worker] | None = None  # the ready workers
        self.all: set[_Worker] = set()
        self.waits = ThreadPoolExecutor(2 * workers, thread_name_prefix="dcae-image-decode")
        self.pending: set[asyncio.Future] = set()

    def start(self) -> None:
        """Start the workers (the gateway's lifespan; otherwise the first decode does). Each joins the
        pool once it has imported its decoders."""
        if self.idle is None:
            self.idle = asyncio.Queue()
            for _ in range(self.size):
                self._add()

    def _add(self) -> None:
        worker = _Worker(self.context)
        self.all.add(worker)
        ready = asyncio.get_running_loop().run_in_executor(self.waits, worker.wait_ready)
        ready.add_done_callback(lambda f: self.idle.put_nowait(worker) if not f.exception() else None)
        self.pending.add(ready)
        ready.add_done_callback(self.pending.discard)

    async def decode(self, data: bytes, max_pixels: int) -> np.ndarray:
        """Upload bytes -> (H, W, 3) uint8, or the APIError `decode_image_bytes` raised. Waits for a ready
        worker; a request cancelled while it waits costs nothing, one cancelled mid-decode its worker."""
        self.start()
        worker = await self.idle.get()
        try:
            reply = await asyncio.get_running_loop().run_in_executor(self.waits, worker.call, data, max_pixels)
        except BaseException:  # cancelled (deadline, client gone), or the worker died: a new one replaces it
            worker.stop()
            self.all.discard(worker)
            DECODE_WORKERS_REPLACED.inc()
            self._add()
            raise
        self.idle.put_nowait(worker)
        if reply[0] == "ok":
            return reply[1]
        _, status, code, message, field = reply
        raise APIError(status, code, message, field)

    def close(self) -> None:
        for worker in self.all:
            worker.stop()
        self.all, self.idle = set(), None
        self.waits.shutdown(wait=False, cancel_futures=True)
