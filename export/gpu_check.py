"""What the GPU-only parts do on a CUDA machine (CI never runs this; results go in export/README.md).

    python -m export.gpu_check [--repo REPO] [--out DIR]

1. Tools: the GPU, `trtexec`, the `tensorrt` module, ONNX Runtime's execution providers.
2. TensorRT: `export/tensorrt/build_engines.sh REPO OUT` (a GPU repository from `dcae export --fp16`).
3. The reduced-precision recipe at full size: `dc-ae-f32c32-in-1.0` (decoder, then encoder) and
   DiT-XL/1 with random weights, in fp16 and bf16 with norms, attention and the timestep embedding in
   fp32 (the models upcast those themselves) against fp32: max error relative to the output's scale,
   finiteness, and milliseconds per call (eager PyTorch, TF32 off).
"""

from __future__ import annotations

import argparse
import copy
import json
import shutil
import subprocess
import time
from pathlib import Path

import torch

from dcae.models.dc_ae import create_model
from dcae.models.dit import DiT, get_config
from dcae.models.random_init import randomize_


def timed(fn, *args, repeats: int = 5) -> tuple[torch.Tensor, float]:
    with torch.no_grad():
        out = fn(*args)
        torch.cuda.synchronize()
        t0 = time.perf_counter()
        for _ in range(repeats):
            out = fn(*args)
        torch.cuda.synchronize()
    return out, (time.perf_counter() - t0) / repeats * 1000


def compare(name: str, module: torch.nn.Module, args: tuple, call=None) -> list[dict]:
    call = call or (lambda m, *a: m(*a))
    module = module.cuda().eval()
    ref, ms32 = timed(lambda *a: call(module, *a), *args)
    rows = [{"case": name, "dtype": "float32", "ms": round(ms32, 2), "max_abs": float(ref.abs().max())}]
    for dtype in (torch.float16, torch.bfloat16):
        half = copy.deepcopy(module).to(dtype)
        cast = tuple(a.to(dtype) if a.is_floating_point() and a.dim() > 1 else a for a in args)
        out, ms = timed(lambda *a: call(half, *a), *cast)
        err = float((out.float() - ref).abs().max() / ref.abs().max())
        rows.append({"case": name, "dtype": str(dtype).split(".")[1], "ms": round(ms, 2), "rel_err": err,
                     "finite": bool(torch.isfinite(out).all())})
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", type=Path, help="GPU model repository for the TensorRT build")
    parser.add_argument("--out", type=Path, default=Path("build/gpu_check"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    report: dict = {"gpu": torch.cuda.get_device_name() if torch.cuda.is_available() else None,
                    "torch": torch.__version__, "trtexec": shutil.which("trtexec")}
    try:
        import tensorrt

        report["tensorrt"] = tensorrt.__version__
    except ImportError as e:
        report["tensorrt"] = f"not importable ({e})"
    try:
        import onnxruntime

        report["onnxruntime"] = {"version": onnxruntime.__version__, "providers": onnxruntime.get_available_providers()}
    except ImportError as e:
        report["onnxruntime"] = f"not importable ({e})"
    if args.repo is not None:
        script = Path(__file__).parent / "tensorrt" / "build_engines.sh"
        run = subprocess.run(["bash", str(script), str(args.repo), str(args.out / "engines")], capture_output=True,
                             text=True, timeout=1200)
        report["build_engines"] = {"returncode": run.returncode, "output": (run.stdout + run.stderr)[-2000:]}
    print(json.dumps(report, indent=2), flush=True)
    if not torch.cuda.is_available():
        print("no CUDA device: precision check skipped")
        return 0
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    rows = []
    ae = randomize_(create_model("dc-ae-f32c32-in-1.0"), seed=0)
    g = torch.Generator().manual_seed(0)
    for side in (512, 1024):
        z = torch.randn(1, 32, side // 32, side // 32, generator=g).cuda()
        rows += compare(f"decoder {side}px", ae, (z,), call=lambda m, z: m.decode(z))
    x = (torch.rand(1, 3, 1024, 1024, generator=g) * 2 - 1).cuda()
    rows += compare("encoder 1024px", ae, (x,), call=lambda m, x: m.encode(x))
    del ae
    dit = randomize_(DiT(get_config("DiT-XL/1").replace(in_channels=32, input_size=16, learn_sigma=True)), seed=1)
    latent = torch.randn(16, 32, 16, 16, generator=g).cuda()
    t = torch.linspace(999, 0, 16).cuda()
    y = torch.arange(16).cuda()
    rows += compare("DiT-XL/1 batch 16, 512px", dit, (latent, t, y))
    for r in rows:
        print(json.dumps(r), flush=True)
    (args.out / "report.json").write_text(json.dumps({**report, "precision": rows}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
