"""Where the autoencoder's CPU time goes, and what ONNX Runtime's options change.

    ops      ONNX Runtime's per-node profile (time by op type) and torch.profiler over
             diffusers.AutoencoderDC (self time by aten op), one call each, same input
    options  ONNX Runtime options against the gateway's own session and run call: the memory arena
             (shrunk after each call, kept, off), graph optimisation level, intra-op threads, thread
             spinning, the fp16 graph; variants interleaved call by call so that the machine's load
             hits all alike
    flops    floating-point operations per image (torch.utils.flop_counter on our model) and what
             this machine's float32 GEMM reaches: the ceiling convolutions run against

Each task runs in a worker process of its own.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.common import log, proc_status_kib, run_worker, worker_main

TOP_OPS = 8


def _input(paths: dict, op: str, resolution: int, batch: int) -> np.ndarray:
    from bench.autoencoder import _inputs

    config = json.loads((Path(paths["dcae"]) / "config.json").read_text())["config"]
    return _inputs(config["latent_channels"], 2 ** (len(config["width_list"]) - 1), op, resolution, batch,
                   config["scaling_factor"])


def _onnx_path(paths: dict, op: str) -> Path:
    return Path(paths["onnx"]) / ("encoder" if op == "encode" else "decoder") / "1" / "model.onnx"


def _top(times: dict[str, float], counts: dict[str, int]) -> list[dict]:
    total = sum(times.values())
    rows = sorted(times.items(), key=lambda kv: -kv[1])
    return [{"op": k, "ms": v * 1e3, "share": v / total, "calls": counts[k]} for k, v in rows[:TOP_OPS]] + (
        [{"op": "(other)", "ms": sum(v for _, v in rows[TOP_OPS:]) * 1e3,
          "share": sum(v for _, v in rows[TOP_OPS:]) / total, "calls": sum(counts[k] for k, _ in rows[TOP_OPS:])}]
        if len(rows) > TOP_OPS else [])


# ----------------------------------------------------------------------------------------------
# ops


def _ops(spec: dict) -> dict:
    import onnxruntime as ort

    from service.runtimes.embedded import create_session, session_runner
    from service.settings import Settings

    x = _input(spec["paths"], spec["op"], spec["resolution"], spec["batch"])
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = _onnx_path(spec["paths"], spec["op"])
        opts = create_session(path, Settings()).get_session_options()  # the gateway's options, profiler on
        opts.enable_profiling = True
        opts.profile_file_prefix = str(Path(tmp) / "ort")
        session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        run_session, feed = session_runner(session), {session.get_inputs()[0].name: x}
        run_session(feed)  # warm-up
        run_session(feed)
        trace = json.loads(Path(session.end_profiling()).read_text())
    runs = [e for e in trace if e.get("cat") == "Session" and e.get("name") == "model_run"]
    last = runs[-1]
    times: dict[str, float] = {}
    counts: dict[str, int] = {}
    for e in trace:
        if e.get("cat") == "Node" and e["name"].endswith("_kernel_time") and last["ts"] <= e["ts"] <= last["ts"] + last["dur"]:
            op = e["args"].get("op_name", "?")
            times[op] = times.get(op, 0.0) + e["dur"] / 1e6
            counts[op] = counts.get(op, 0) + 1
    out["ort"] = {"run_ms": last["dur"] / 1e3, "top": _top(times, counts)}

    import diffusers
    import torch
    from torch.profiler import ProfilerActivity, profile

    model = diffusers.AutoencoderDC.from_pretrained(spec["paths"]["diffusers"]).eval()
    fn = (lambda t: model.encode(t).latent) if spec["op"] == "encode" else (lambda t: model.decode(t).sample)
    xt = torch.from_numpy(x)
    with torch.inference_mode():
        fn(xt)  # warm-up
        t0 = time.perf_counter()
        with profile(activities=[ProfilerActivity.CPU]) as prof:
            fn(xt)
        wall = time.perf_counter() - t0
    times, counts = {}, {}
    for e in prof.key_averages():
        if e.self_cpu_time_total > 0:
            times[e.key] = e.self_cpu_time_total / 1e6
            counts[e.key] = e.count
    out["diffusers"] = {"run_ms": wall * 1e3, "top": _top(times, counts)}
    return out


# ----------------------------------------------------------------------------------------------
# options


def _variants(paths: dict, op: str, tmp: Path) -> dict[str, object]:
    """name -> call(feed) -> output. The first is the gateway's own (`create_session`, `session_runner`);
    each other changes one thing."""
    import onnxruntime as ort

    from export.precision import convert_to_fp16
    from service.runtimes.embedded import create_session, session_runner
    from service.settings import Settings

    path = _onnx_path(paths, op)
    base = create_session(path, Settings())
    base_opts = base.get_session_options()

    spin_key = "session.intra_op.allow_spinning"
    gateway_spins = _config_entry(base_opts, spin_key, "1") == "1"

    def variant(model: Path = path, level=None, threads: int | None = None, arena: bool = True,
                spinning: bool = gateway_spins):
        o = ort.SessionOptions()
        o.graph_optimization_level = base_opts.graph_optimization_level if level is None else level
        o.intra_op_num_threads = threads or base_opts.intra_op_num_threads
        o.enable_cpu_mem_arena = arena
        o.add_session_config_entry(spin_key, "1" if spinning else "0")
        return session_runner(ort.InferenceSession(str(model), o, providers=["CPUExecutionProvider"]))

    def kept_arena(feed):  # plain session.run: the arena keeps its high-water mark between calls
        return dict(zip([o.name for o in base.get_outputs()], base.run(None, feed)))

    return {
        "gateway (create_session + session_runner)": session_runner(base),
        "arena kept between calls (no shrinkage)": kept_arena,
        "memory arena off": variant(arena=False),
        "graph optimisation: extended (no layout)": variant(level=ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED),
        "graph optimisation: basic": variant(level=ort.GraphOptimizationLevel.ORT_ENABLE_BASIC),
        "1 intra-op thread": variant(threads=1),
        f"thread spinning {'off' if gateway_spins else 'on'}": variant(spinning=not gateway_spins),
        "fp16 graph (export/precision.py)": variant(model=convert_to_fp16(path, tmp / "fp16.onnx")),
    }


GATEWAY = "gateway (create_session + session_runner)"


def _config_entry(options, key: str, default: str) -> str:
    try:
        return options.get_session_config_entry(key)
    except Exception:  # noqa: BLE001 - onnxruntime raises when the entry was never set
        return default


def _options(spec: dict) -> dict:
    x = _input(spec["paths"], spec["op"], spec["resolution"], spec["batch"])
    feed = {"image" if spec["op"] == "encode" else "latent": x}
    with tempfile.TemporaryDirectory() as tmp:
        variants = _variants(spec["paths"], spec["op"], Path(tmp))
        reference = next(iter(variants[GATEWAY](feed).values()))
        samples: dict[str, list[float]] = {name: [] for name in variants}
        errors: dict[str, float] = {}
        for name, call in variants.items():  # warm-up, and each variant's output against the gateway's
            y = next(iter(call(feed).values()))
            errors[name] = float(np.abs(y - reference).max() / np.abs(reference).max())
        started = time.perf_counter()
        for _ in range(spec["rounds"]):
            for name, call in variants.items():
                t0 = time.perf_counter()
                call(feed)
                samples[name].append(time.perf_counter() - t0)
            if time.perf_counter() - started > spec["budget_seconds"]:
                break
    base = statistics.median(samples[GATEWAY])
    return {"variants": [{"variant": name, "median_seconds": statistics.median(v), "n": len(v),
                          "min_seconds": min(v), "max_seconds": max(v),
                          "speed_vs_gateway": base / statistics.median(v), "max_rel_error": errors[name]}
                         for name, v in samples.items()]}


# ----------------------------------------------------------------------------------------------
# flops


def _flops(spec: dict) -> dict:
    import torch
    from torch.utils.flop_counter import FlopCounterMode

    from dcae.checkpoint import load_pretrained

    model = load_pretrained(spec["paths"]["dcae"])
    res = spec["resolution"]
    out = {"resolution": res}
    with torch.inference_mode():
        x = torch.zeros(1, 3, res, res)
        with FlopCounterMode(display=False) as counter:
            z = model.encode(x)
        out["encode_gflop_per_image"] = counter.get_total_flops() / 1e9
        with FlopCounterMode(display=False) as counter:
            model.decode(z)
        out["decode_gflop_per_image"] = counter.get_total_flops() / 1e9
    return out


def _gemm(spec: dict) -> dict:
    """float32 GEMM rate, 2048^3 (torch, MKL/oneDNN), on all cores and on one: the ceiling that
    convolutions run against."""
    import torch

    n, threads = 2048, torch.get_num_threads()
    a, b = torch.randn(n, n), torch.randn(n, n)
    out = {"n": n, "threads": threads}
    for key, t in (("gflops_all_threads", threads), ("gflops_one_thread", 1)):
        torch.set_num_threads(t)
        torch.mm(a, b)
        samples = []
        for _ in range(spec["rounds"]):
            t0 = time.perf_counter()
            torch.mm(a, b)
            samples.append(time.perf_counter() - t0)
        out[key] = 2 * n**3 / statistics.median(samples) / 1e9
    return out


# ----------------------------------------------------------------------------------------------


def run(prepared: dict, quick: bool) -> dict:
    """Op profiles and option sweeps at 512 px (shipped preset) and 256 px (full size), batch 1;
    FLOPs of both presets; the GEMM ceiling."""
    out: dict = {"ops": [], "options": [], "flops": {}, "gemm": None}
    targets = [(preset, 512 if info["weights"] == "shipped" else 256) for preset, info in prepared.items()]
    out["gemm"] = run_worker("bench.profile", {"task": "gemm", "rounds": 5 if quick else 20}, 600)
    for preset, info in prepared.items():
        log(f"profile: FLOPs of {preset}")
        out["flops"][preset] = run_worker("bench.profile", {"task": "flops", "paths": info["paths"],
                                                             "resolution": 256}, 1800)
    for preset, resolution in targets:
        paths = prepared[preset]["paths"]
        for op in ("encode", "decode"):
            base = {"preset": preset, "op": op, "resolution": resolution, "batch": 1, "paths": paths}
            log(f"profile: {preset} {op} {resolution}px: op profiles")
            out["ops"].append({**base, **run_worker("bench.profile", {**base, "task": "ops"}, 3600)})
            log(f"profile: {preset} {op} {resolution}px: ONNX Runtime options")
            sweep = {**base, "task": "options", "rounds": 3 if quick else 10, "budget_seconds": 60 if quick else 600}
            out["options"].append({**base, **run_worker("bench.profile", sweep, 3600)})
    for row in out["ops"] + out["options"]:
        row.pop("paths", None)
    return out


def _handle(spec: dict) -> dict:
    task = {"ops": _ops, "options": _options, "flops": _flops, "gemm": _gemm}[spec["task"]]
    return {**task(spec), "peak_rss_mib": proc_status_kib()["VmHWM"] / 1024}


if __name__ == "__main__":
    sys.exit(worker_main(__doc__, _handle))
