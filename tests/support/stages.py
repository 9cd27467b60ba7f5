"""The slow full-size tests' stage reports: `dcae` commands timed in processes of their own, and peak memory."""

from __future__ import annotations

import resource
import subprocess
import sys
import time


def cli_stage(report: dict, name: str, *argv: str) -> str:
    """`python -m dcae.cli *argv` in a process of its own (it must succeed); its wall time and, when it is the
    largest child so far, its peak resident memory into report[name]. -> its standard output."""
    t0 = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out = subprocess.run([sys.executable, "-m", "dcae.cli", *argv], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-3000:]
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the largest child so far, KiB
    report[name] = {"seconds": round(time.perf_counter() - t0, 1),
                    "peak_rss_gib": round(peak / 2**20, 2) if peak > before else "<= an earlier stage"}
    return out.stdout


def peak_rss_gib(pid: int) -> float:
    """A running process's peak resident memory (VmHWM), GiB."""
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 2**20
    return float("nan")
