"""GPU benchmark: why DC-AE makes latent diffusion fast, and what it takes to keep the gain.

    python -m bench.gpu --out bench/results/gpu-<card>.json            # on a CUDA machine
    python -m bench.gpu --quick --device cpu --out /tmp/gpu-smoke.json  # a seconds-long smoke run

Measures, with random weights (speed does not depend on them):

* one DiT-XL denoising step (class-conditional, batch 16, bf16) on the latents of three
  autoencoders: SD-VAE-f8 with DiT-XL/2 (the DiT paper's setting), DC-AE-f32c32 and
  DC-AE-f64c128 with DiT-XL/1, at 512 and 1024 px; each in PyTorch eager, CUDA-graph replay of
  the eager model, torch.compile (inductor, no CUDA graphs), and as the gateway's torch runtime
  serves it ("serving": `torch_runtime.cuda_graphs.GraphedModule` over the exported DiT signature, numpy
  float32 inputs copied to the GPU, the bucket's graph replayed, the output copied back; wall
  clock per call, host work included);
* the decoders: DC-AE (dc-ae-f32c32-in-1.0, dc-ae-f64c128-in-1.0) versus SD-VAE
  (bench/sd_vae.py), at the same resolutions.

Timings are CUDA-event medians over `--iters` replays after warm-up; every result is written
to the JSON file as soon as it is measured, so a run cut short keeps what it measured.
torch.compile configurations run last and are skipped when `--budget` seconds are spent.
"""

from __future__ import annotations

import argparse
import functools
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import torch

from bench.sd_vae import SDVAEDecoder
from dcae.models.dc_ae import create_model, get_config
from dcae.models.dit import DiT
from dcae.models.dit import get_config as get_dit_config
from torch_runtime.cuda_graphs import GraphedModule

# (label, DiT preset, latent channels, spatial compression)
LATENTS = [
    ("sd-vae-f8", "DiT-XL/2", 4, 8),
    ("dc-ae-f32c32", "DiT-XL/1", 32, 32),
    ("dc-ae-f64c128", "DiT-XL/1", 128, 64),
]
DECODERS = [("sd-vae", None), ("dc-ae-f32c32-in-1.0", "dc-ae-f32c32-in-1.0"),
            ("dc-ae-f64c128-in-1.0", "dc-ae-f64c128-in-1.0")]


def sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def time_calls(fn: Callable[[], object], device: torch.device, iters: int, warmup: int) -> list[float]:
    """Milliseconds of each of `iters` calls of fn (after `warmup` untimed ones)."""
    for _ in range(warmup):
        fn()
    sync(device)
    times = []
    for _ in range(iters):
        if device.type == "cuda":
            start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            start.record()
            fn()
            end.record()
            end.synchronize()
            times.append(start.elapsed_time(end))
        else:
            t = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t) * 1e3)
    return times


def cuda_graph(fn: Callable[[], torch.Tensor], device: torch.device) -> Callable[[], torch.Tensor]:
    """Capture fn (static inputs) into a CUDA graph; the returned callable replays it."""
    stream = torch.cuda.Stream(device)
    stream.wait_stream(torch.cuda.current_stream(device))
    with torch.cuda.stream(stream):  # warm-up on a side stream, as capture requires
        for _ in range(3):
            fn()
    torch.cuda.current_stream(device).wait_stream(stream)
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        fn()
    return graph.replay


def peak_memory(device: torch.device) -> dict:
    """{"max_memory_gib": ...} since the last call (CUDA only; {} elsewhere)."""
    if device.type != "cuda":
        return {}
    peak = torch.cuda.max_memory_allocated(device) / 2**30
    torch.cuda.reset_peak_memory_stats(device)
    return {"max_memory_gib": round(peak, 2)}


def free_cache(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.empty_cache()


def summary(times: list[float]) -> dict:
    return {"ms": round(statistics.median(times), 3), "min_ms": round(min(times), 3),
            "max_ms": round(max(times), 3), "n": len(times)}


class Report:
    """The JSON result file, rewritten after every measurement."""

    def __init__(self, path: Path, meta: dict) -> None:
        self.path, self.data = path, {**meta, "dit_step": [], "decode": [], "skipped": []}
        self.write()

    def add(self, section: str, record: dict) -> None:
        self.data[section].append(record)
        self.write()
        print(json.dumps(record), flush=True)

    def write(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(self.data, indent=2) + "\n")


def dit_model(preset: str, channels: int, side: int, device: torch.device, dtype: torch.dtype,
              shrink: bool) -> DiT:
    cfg = get_dit_config(preset).replace(in_channels=channels, input_size=side)
    if shrink:  # --quick: the same token counts through a 2-block, 64-wide DiT
        cfg = cfg.replace(depth=2, hidden_size=64, num_heads=2)
    return DiT(cfg).to(device, dtype).eval()


def dit_inputs(model: DiT, batch: int, device: torch.device, dtype: torch.dtype) -> tuple:
    cfg = model.config
    x = torch.randn(batch, cfg.in_channels, cfg.input_size, cfg.input_size, device=device, dtype=dtype)
    t = torch.randint(0, 1000, (batch,), device=device)
    y = torch.randint(0, 1000, (batch,), device=device)
    return x, t, y


def time_serving(model: DiT, x: torch.Tensor, t: torch.Tensor, y: torch.Tensor, device: torch.device,
                 dtype: torch.dtype, iters: int, warmup: int) -> list[float]:
    """Wall-clock milliseconds of the torch runtime's DiT call (torch_runtime/): numpy in, numpy out."""
    from export.wrappers import DiTClassExport

    served = GraphedModule(DiTClassExport(model), ["latent", "timestep", "class_label"], device, dtype,
                           max_batch=max(32, x.shape[0]))
    inputs = {"latent": x.float().cpu().numpy(), "timestep": t.float().cpu().numpy(),
              "class_label": y.cpu().numpy()}
    # The call returns host arrays, so it has synchronised: time it by the wall clock, as on a CPU. One more
    # warm-up call than asked: the first captures the bucket's graph.
    return time_calls(functools.partial(served, inputs), torch.device("cpu"), iters, warmup + 1)


def run(args: argparse.Namespace) -> dict:
    device = torch.device(args.device)
    dtype = {"bf16": torch.bfloat16, "fp16": torch.float16, "fp32": torch.float32}[args.dtype]
    t_start = time.perf_counter()
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else platform.processor() or "CPU"
    report = Report(Path(args.out), {
        "device": name, "torch": torch.__version__, "cuda": torch.version.cuda, "dtype": args.dtype,
        "batch": args.batch, "decode_batch": args.decode_batch, "iters": args.iters, "quick": args.quick,
        "command": " ".join(["python -m bench.gpu", *sys.argv[1:]]),
    })
    torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = True
    use_graphs = device.type == "cuda"
    compiled_jobs = []

    for res in args.resolutions:
        for label, preset, channels, factor in LATENTS:
            side = res // factor
            model = dit_model(preset, channels, side, device, dtype, args.quick)
            x, t, y = dit_inputs(model, args.batch, device, dtype)
            record = {"model": preset, "latent": label, "resolution": res, "batch": args.batch,
                      "tokens": model.config.num_tokens, "params": sum(p.numel() for p in model.parameters())}
            with torch.inference_mode():
                step = functools.partial(model, x, t, y)
                record["eager"] = summary(time_calls(step, device, args.iters, args.warmup))
                if use_graphs:
                    record["cuda_graph"] = summary(time_calls(cuda_graph(step, device), device, args.iters, 2))
            record["serving"] = summary(time_serving(model, x, t, y, device, dtype, args.iters, args.warmup))
            record["eager_ms"] = record["eager"]["ms"]
            record["cuda_graph_ms"] = record.get("cuda_graph", {}).get("ms")
            record["serving_ms"] = record["serving"]["ms"]
            record.update(peak_memory(device))
            report.add("dit_step", record)
            if res in args.compile_resolutions:
                compiled_jobs.append((len(report.data["dit_step"]) - 1, preset, channels, side))
            del model, x, t, y
            free_cache(device)

    for res in args.resolutions:
        for label, preset in DECODERS:
            if preset is None:
                decoder = (SDVAEDecoder(channels=(16, 32, 32, 32), groups=8) if args.quick else SDVAEDecoder())
                z_shape = (4, res // 8, res // 8)
                params = sum(p.numel() for p in decoder.parameters())
            else:
                cfg = get_config(preset)
                if args.quick:
                    cfg = cfg.replace(width_list=tuple(min(w, cfg.latent_channels) for w in cfg.width_list),
                                      encoder_depths=tuple(min(d, 1) for d in cfg.encoder_depths),
                                      decoder_depths=tuple(min(d, 1) for d in cfg.decoder_depths))
                ae = create_model(cfg)
                decoder, z_shape = ae.decoder, (cfg.latent_channels, res // cfg.compression, res // cfg.compression)
                params = sum(p.numel() for p in decoder.parameters())
            decoder = decoder.to(device, dtype).eval()
            z = torch.randn(args.decode_batch, *z_shape, device=device, dtype=dtype)
            record = {"autoencoder": label, "resolution": res, "batch": args.decode_batch,
                      "latent_shape": list(z_shape), "params": params}
            with torch.inference_mode():
                step = functools.partial(decoder, z)
                record["eager"] = summary(time_calls(step, device, max(3, args.iters // 2), 2))
                if use_graphs:
                    record["cuda_graph"] = summary(time_calls(cuda_graph(step, device), device,
                                                              max(3, args.iters // 2), 1))
            record["ms"] = record.get("cuda_graph", record["eager"])["ms"]
            record.update(peak_memory(device))
            report.add("decode", record)
            del decoder, z
            free_cache(device)

    # torch.compile last (each takes tens of seconds to compile): the cheapest models first.
    for index, preset, channels, side in sorted(compiled_jobs, key=lambda j: j[3] ** 2 / int(j[1][-1]) ** 2):
        record = report.data["dit_step"][index]
        if time.perf_counter() - t_start > args.budget:
            report.data["skipped"].append(f"torch.compile {record['latent']} {record['resolution']}px: "
                                          f"--budget {args.budget:.0f} s spent")
            report.write()
            continue
        model = dit_model(preset, channels, side, device, dtype, args.quick)
        x, t, y = dit_inputs(model, args.batch, device, dtype)
        compiled = torch.compile(model, dynamic=False)
        with torch.inference_mode():
            t0 = time.perf_counter()
            compiled(x, t, y)
            sync(device)
            record["compile_seconds"] = round(time.perf_counter() - t0, 1)
            record["compile"] = summary(time_calls(functools.partial(compiled, x, t, y), device, args.iters, args.warmup))
        record["compile_ms"] = record["compile"]["ms"]
        report.write()
        print(json.dumps({k: record[k] for k in ("latent", "resolution", "compile_ms", "compile_seconds")}),
              flush=True)
        del model, compiled, x, t, y
        free_cache(device)
    report.data["wall_seconds"] = round(time.perf_counter() - t_start, 1)
    report.write()
    return report.data


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.gpu", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, help="JSON result file (rewritten after each measurement)")
    p.add_argument("--device", default="cuda", help="torch device (default cuda)")
    p.add_argument("--dtype", choices=("bf16", "fp16", "fp32"), default="bf16")
    p.add_argument("--batch", type=int, default=16, help="DiT batch (default 16)")
    p.add_argument("--decode-batch", type=int, default=4, help="decoder batch (default 4)")
    p.add_argument("--resolutions", type=int, nargs="+", default=[512, 1024])
    p.add_argument("--compile-resolutions", type=int, nargs="*", default=[512],
                   help="resolutions whose DiT steps are also timed under torch.compile (default 512)")
    p.add_argument("--iters", type=int, default=20, help="timed calls per configuration (default 20)")
    p.add_argument("--warmup", type=int, default=5, help="untimed calls before timing (default 5)")
    p.add_argument("--budget", type=float, default=240.0,
                   help="seconds after which the remaining torch.compile configurations are skipped")
    p.add_argument("--quick", action="store_true", help="tiny models with the same token counts (smoke test)")
    args = p.parse_args(argv)
    if args.device.startswith("cuda") and not torch.cuda.is_available():
        p.error("no CUDA device: pass --device cpu (with --quick for a smoke run)")
    run(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
