"""Where the gateway's memory goes under a long mixed load: the soak test's traffic (4 clients: encode,
decode, generate, readiness, model list) against a gateway running in this process, with tracemalloc
snapshots after warm-up and at the end, resident memory (VmRSS) and glibc's heap statistics (mallinfo2:
bytes in use vs held by the allocator) sampled along the way.

    python scripts/soak_memory.py MODEL_REPOSITORY [--seconds 600] [--warmup 60] [--trim]

`--trim` calls malloc_trim(0) before each sample (what returning freed heap pages to the OS changes).
The clients run in this process too: their allocations are filtered out of the tracemalloc report by
file (httpx, h11, anyio and this script)."""

from __future__ import annotations

import argparse
import ctypes
import os
import socket
import sys
import threading
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # bench/ (not installed)


class MallInfo2(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                                               "fsmblks", "uordblks", "fordblks", "keepcost")]


LIBC = ctypes.CDLL("libc.so.6")
LIBC.mallinfo2.restype = MallInfo2


def rss_mib() -> float:
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def heap() -> dict[str, float]:
    m = LIBC.mallinfo2()
    return {"heap_in_use_mib": m.uordblks / 2**20, "heap_free_held_mib": m.fordblks / 2**20,
            "mmapped_mib": m.hblkhd / 2**20, "arena_mib": m.arena / 2**20}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("repository")
    ap.add_argument("--seconds", type=float, default=600)
    ap.add_argument("--warmup", type=float, default=60)
    ap.add_argument("--trim", action="store_true")
    args = ap.parse_args()
    os.environ.update({"DCAE_MODEL_REPOSITORY": args.repository, "DCAE_ORT_THREADS": "1"})
    tracemalloc.start(12)

    import uvicorn

    from bench.soak import mixed_client
    from service.main import app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    url = f"http://127.0.0.1:{port}"
    while not server.started:
        time.sleep(0.1)

    stop, counts, lock = threading.Event(), {}, threading.Lock()

    def record(status: int) -> None:
        with lock:
            counts[status] = counts.get(status, 0) + 1

    threads = [threading.Thread(target=mixed_client, args=(url, i, stop, record), daemon=True) for i in range(4)]
    for t in threads:
        t.start()
    t0, samples, first = time.monotonic(), [], None
    while (elapsed := time.monotonic() - t0) < args.seconds:
        if args.trim:
            LIBC.malloc_trim(0)
        traced, _ = tracemalloc.get_traced_memory()
        samples.append({"t": round(elapsed), "rss_mib": rss_mib(), "traced_mib": traced / 2**20, **heap()})
        print(" ".join(f"{k}={v:.1f}" if isinstance(v, float) else f"{k}={v}" for k, v in samples[-1].items()),
              flush=True)
        if first is None and elapsed >= args.warmup:
            first = tracemalloc.take_snapshot()
        stop.wait(10)
    last = tracemalloc.take_snapshot()
    stop.set()
    for t in threads:
        t.join(timeout=60)
    server.should_exit = True
    print(f"requests: {counts}")
    noise = [tracemalloc.Filter(False, f"*{m}*") for m in ("httpx", "h11", "anyio", "soak", "tracemalloc")]
    print("tracemalloc growth from the end of warm-up to the end, by line (clients filtered out):")
    for stat in last.filter_traces(noise).compare_to(first.filter_traces(noise), "lineno")[:15]:
        print(f"  {stat}")
    print("... by call path, the largest three:")
    for stat in last.filter_traces(noise).compare_to(first.filter_traces(noise), "traceback")[:3]:
        print(f"  {stat.size_diff / 1024:+.1f} KiB in {stat.count_diff:+d} blocks:")
        for line in stat.traceback.format()[-12:]:
            print("    " + line)


if __name__ == "__main__":
    main()
