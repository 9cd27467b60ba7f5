"""What every benchmark shares: the timing scheme, statistics, memory readings, the machine's
description and the results folder. Torch-free (the ONNX Runtime and gateway measurements run
without it, as the service does)."""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = REPO_ROOT / "bench" / "results"
WORK_DIR = REPO_ROOT / "build" / "bench"  # checkpoints and ONNX files made for the benchmarks (not tracked)


@dataclass(frozen=True)
class Timing:
    """The repeat scheme: `warmup` untimed calls, then timed calls until `repeats` calls or
    `budget_seconds` of timed calls, whichever comes first (always at least one)."""

    warmup: int = 1
    repeats: int = 10
    budget_seconds: float = 30.0


def measure(call: Callable[[], object], timing: Timing) -> dict:
    """Run `call` under the scheme; returns the per-call seconds and their statistics."""
    first_call_seconds = None
    for i in range(timing.warmup):
        t0 = time.perf_counter()
        call()
        if i == 0:
            first_call_seconds = time.perf_counter() - t0
    samples: list[float] = []
    started = time.perf_counter()
    while len(samples) < timing.repeats:
        t0 = time.perf_counter()
        call()
        samples.append(time.perf_counter() - t0)
        if time.perf_counter() - started >= timing.budget_seconds:
            break
    return {"first_call_seconds": first_call_seconds, **summarize(samples)}


def summarize(samples_seconds: list[float]) -> dict:
    s = sorted(samples_seconds)
    return {"samples_seconds": samples_seconds, "n": len(s), "median_seconds": statistics.median(s),
            "min_seconds": s[0], "max_seconds": s[-1], "p10_seconds": percentile(s, 10),
            "p90_seconds": percentile(s, 90)}


def percentile(values: list[float], q: float) -> float:
    """Linear-interpolated percentile (numpy's default), without numpy."""
    s = sorted(values)
    if not s:
        return float("nan")
    k = (len(s) - 1) * q / 100
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def proc_status_kib(pid: int | str = "self") -> dict[str, int]:
    """VmRSS (resident now) and VmHWM (peak resident) of a process, in KiB, from /proc."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0])
    return out


def reset_peak_rss() -> bool:
    """Restart the process's peak-RSS count (VmHWM) from its current RSS (Linux `clear_refs` 5), so
    that a later reading is the peak of what ran since. False where the kernel refuses."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def cpu_busy_fraction(seconds: float = 2.0) -> float:
    """Share of all cores' time spent busy over `seconds` (from /proc/stat), sampled while the suite
    itself runs nothing: other work on the machine. The load average cannot tell: it still counts the
    suite's own previous section for minutes."""
    def sample() -> tuple[int, int]:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = fields[3] + fields[4]  # idle + iowait
        return sum(fields) - idle, sum(fields)

    busy0, total0 = sample()
    time.sleep(seconds)
    busy1, total1 = sample()
    return (busy1 - busy0) / max(total1 - total0, 1)


def machine() -> dict:
    """What the numbers were measured on: CPU model, cores, memory, load, other work on the CPU at the
    start, library versions."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem_kib = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal"))
    versions = {}
    for name in ("onnxruntime", "openvino", "torch", "diffusers", "numpy", "httpx", "uvicorn"):
        try:
            from importlib.metadata import version

            versions[name] = version(name)
        except Exception:  # noqa: BLE001 - a package not installed is simply not listed
            pass
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(mem_kib / 2**20, 1),
            "load_average_1_5_15": list(os.getloadavg()), "cpu_busy_at_start": round(cpu_busy_fraction(), 3),
            "python": platform.python_version(),
            "versions": versions, "git_commit": _git_commit()}


def _git_commit() -> str | None:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def write_results(name: str, payload: dict) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    path.write_text(json.dumps(payload, indent=1) + "\n")
    return path


def run_worker(module: str, spec: dict, timeout_seconds: float) -> dict:
    """Run `python -m <module> --worker <spec JSON>` in a fresh process (isolated memory and
    allocator state) and return the JSON it prints last, or {"error": ...}."""
    cmd = [sys.executable, "-m", module, "--worker", json.dumps(spec)]
    try:
        proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout_seconds)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout_seconds:.0f} s"}
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        return {"error": f"exit {proc.returncode}: {proc.stderr.strip()[-1500:]}"}
    return json.loads(lines[-1])


def worker_main(doc: str, handle: Callable[[dict], dict], argv: list[str] | None = None) -> int:
    """The `--worker <spec JSON>` entry point that run_worker calls: print handle(spec) as JSON."""
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    p = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--worker", help="one task as JSON (internal)")
    args = p.parse_args(argv)
    if not args.worker:
        p.error("run the benchmarks with `python -m bench`")
    print(json.dumps(handle(json.loads(args.worker))))
    return 0


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)
