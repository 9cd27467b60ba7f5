"""The soak's traffic: one client's endless mix of encode, decode, generate, readiness and model-list
requests against a gateway, shared by the soak test (tests/service/test_reliability.py) and the memory study
(scripts/soak_memory.py)."""

from __future__ import annotations

import io
import threading
from typing import Callable

import httpx
import numpy as np
from PIL import Image


def payloads() -> tuple[dict[int, bytes], dict[int, bytes]]:
    """(PNG images by height, .npy latents by height): three sizes each."""
    def npy(a: np.ndarray) -> bytes:
        buf = io.BytesIO()
        np.save(buf, a, allow_pickle=False)
        return buf.getvalue()

    def png(h: int, w: int, seed: int) -> bytes:
        buf = io.BytesIO()
        Image.fromarray(np.random.default_rng(seed).integers(0, 256, (h, w, 3), dtype=np.uint8)).save(buf, "PNG")
        return buf.getvalue()

    images = {s: png(s, s + 17, s) for s in (48, 96, 200)}
    latents = {s: npy(np.random.default_rng(s).standard_normal((1, 32, s, s + 1)).astype(np.float32)) for s in (1, 2, 4)}
    return images, latents


def mixed_client(url: str, i: int, stop: threading.Event, record: Callable[[int], None]) -> None:
    """Client i: requests in turn until `stop`, each status passed to `record`."""
    images, latents = payloads()
    with httpx.Client(timeout=60) as c:
        n = 0
        while not stop.is_set():
            k = (i + n) % 5
            if k == 0:
                r = c.post(f"{url}/v1/encode", files={"image": ("x.png", images[(48, 96, 200)[n % 3]])})
            elif k == 1:
                r = c.post(f"{url}/v1/decode", content=latents[(1, 2, 4)[n % 3]],
                           headers={"Content-Type": "application/x-npy"})
            elif k == 2:
                r = c.post(f"{url}/v1/generate", json={"prompt": f"soak {n}", "n": 1 + n % 2, "steps": 4})
            elif k == 3:
                r = c.get(f"{url}/health/ready")
            else:
                r = c.get(f"{url}/v1/models")
            record(r.status_code)
            n += 1
