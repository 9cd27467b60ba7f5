"""A gateway process for the request-handling tests (`uvicorn service.main:app` on a free port, its log in a file),
the API keys they configure, and their assertions on error answers."""

from __future__ import annotations

import hashlib
import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
from PIL import Image
from support.served import free_port, wait_live

ADMIN_KEY, ENCODER_KEY, METERED_KEY = "admin-key-7f3a", "encoder-key-2b9c", "metered-key-91d0"
ENV_METERED_KEY = "env-metered-key-5c21"  # rate_per_minute from DCAE_API_KEYS
NPY_HEADERS = {"Content-Type": "application/x-npy"}
ROOT = Path(__file__).resolve().parents[2]


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class Gateway:
    """`uvicorn service.main:app` on a free port, its log in a file (a pipe nobody reads would fill
    up and stall the server under many requests)."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.env = {**os.environ, "DCAE_ORT_THREADS": "1", **env}

    def start(self, timeout_s: float = 60.0) -> Gateway:
        log = open(self.log_path, "wb")
        self.process = subprocess.Popen([sys.executable, "-m", "service", "--host", "127.0.0.1",
                                         "--port", str(self.port)], env=self.env, stdout=log,
                                        stderr=subprocess.STDOUT, cwd=ROOT)
        log.close()
        if wait_live(self.process, self.url, timeout_s, lambda: self.log()[-3000:]):
            return self
        self.stop()
        raise RuntimeError(f"gateway not up within {timeout_s} s: {self.log()[-3000:]}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def cpu_seconds(self) -> float:
        """User + system CPU time of the gateway process so far (whatever else loads the machine)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_bytes(self) -> int:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        raise RuntimeError("no VmRSS")

    def metric(self, prefix: str, headers: dict | None = None) -> float:
        headers = headers or ({"X-API-Key": ADMIN_KEY} if "DCAE_API_KEYS" in self.env else {})
        text = httpx.get(f"{self.url}/metrics", headers=headers).text
        return sum(float(line.split()[-1]) for line in text.splitlines() if line.startswith(prefix))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def wait_until(condition, timeout_s: float = 20.0, what: str = "condition"):
    """Poll `condition` (bounded); its first truthy value."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")


def assert_error(r: httpx.Response, status: int, code: str | None = None, field: str | None = None) -> dict:
    assert r.status_code == status, (r.status_code, r.text[:300])
    err = r.json()["error"]
    assert set(err) <= {"code", "message", "field"} and err["message"]
    assert code is None or err["code"] == code, err
    assert field is None or err.get("field") == field, err
    assert not re.search(r"Traceback|File \"|/work/|site-packages|\.py\b", r.text), r.text  # nothing internal
    return err


def saved(img: Image.Image, fmt: str, **kwargs) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **kwargs)
    return buf.getvalue()
