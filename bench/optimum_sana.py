"""Time optimum-intel's `OVSanaPipeline` on a SANA release, as a CPU peer for the gateway.

What it measures: the wall time of one full text-to-image call of optimum-intel's OpenVINO SANA
pipeline -- text encoding of the prompt and of the pipeline's default negative prompt (with the
pipeline's default complex-human instruction), `--steps` denoising steps of the transformer at
`--guidance` (classifier-free guidance, so the transformer runs on a batch of 2), the DC-AE decode
and the conversion to a PIL image -- for a release folder in diffusers' layout (model_index.json,
transformer/, vae/, text_encoder/, tokenizer/, scheduler/). The export from PyTorch to OpenVINO IR,
the save/reload of that IR and the compilation are timed on their own and kept out of the
per-image numbers; with `--runs` > 1 the first call is a warm-up and is not counted.

Why: optimum-intel is what a CPU user would pick to run SANA with OpenVINO, so its seconds per
image at the release's recipe (512 px, 20 steps, guidance 4.5) is the number our gateway has to be
compared with on the same machine and the same OpenVINO version. The release may hold random
weights: the work per image does not depend on the weights' values.

Defaults are optimum-intel's own (what a user gets from `from_pretrained(..., export=True)`):
dynamic shapes, PERFORMANCE_HINT=LATENCY, OpenVINO's default inference precision for the device
(bf16 on CPUs with AMX / avx512_bf16, f32 elsewhere; read back from the compiled models and
recorded), and int8 weight-only compression of any submodel with >= 1e9 weights (Gemma-2-2B's
text encoder, not the 600M transformer). The JSON records all of these.

This script must run in its own environment (optimum-intel pins other diffusers/transformers
versions than the project) and imports nothing from the project:

    /tmp/optimum-venv/bin/python bench/optimum_sana.py --release DIR --height 512 --width 512 \
        --steps 20 --guidance 4.5 --runs 2 --out result.json [--cache DIR]
"""

from __future__ import annotations

import os
import sys

# Run as `python bench/optimum_sana.py`, this folder comes first on sys.path, and its profile.py would
# shadow the standard library's `profile` (which torch._dynamo imports through cProfile): drop it.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [entry for entry in sys.path if os.path.abspath(entry or os.curdir) != _HERE]

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import resource  # noqa: E402
import time  # noqa: E402
from importlib import metadata  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

# Offline before anything from the Hugging Face stack is imported: the release is a local folder.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

PACKAGES = ("optimum-intel", "optimum", "openvino", "openvino-tokenizers", "nncf", "torch", "diffusers",
            "transformers", "tokenizers", "huggingface-hub", "numpy")
COMPONENTS = ("text_encoder", "transformer", "vae_decoder")
PROPERTIES = ("INFERENCE_PRECISION_HINT", "EXECUTION_MODE_HINT", "PERFORMANCE_HINT", "INFERENCE_NUM_THREADS",
              "NUM_STREAMS", "KV_CACHE_PRECISION")
# SanaPipeline's resolution binning only knows these transformer sample sizes (512..4096 px releases).
BINNED_SAMPLE_SIZES = (16, 32, 64, 128)


def peak_rss_mib() -> float:
    """This process's peak resident memory so far (Linux reports ru_maxrss in KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def is_exported(folder: Path) -> bool:
    """Whether `folder` holds an OpenVINO IR export of the pipeline (as written by save_pretrained)."""
    return (folder / "model_index.json").is_file() and (folder / "transformer" / "openvino_model.xml").is_file()


def weight_elements(model: Any) -> dict[str, int]:
    """Number of constant elements per element type in an `openvino.Model` (u8/i8/u4 = compressed weights)."""
    counts: dict[str, int] = {}
    for op in model.get_ops():
        if op.get_type_name() != "Constant":
            continue
        n = 1
        for dim in op.get_output_shape(0):
            n *= int(dim)
        key = op.get_element_type().get_type_name()
        counts[key] = counts.get(key, 0) + n
    return dict(sorted(counts.items(), key=lambda kv: -kv[1]))


def plain(value: Any) -> Any:
    """An OpenVINO property value as JSON: element types as 'bf16'/'f32', enums by name."""
    if hasattr(value, "get_type_name"):
        return value.get_type_name()
    if hasattr(value, "name") and not isinstance(value, (str, int, float)):
        return value.name
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value if isinstance(value, (str, int, float, bool)) or value is None else str(value)


def compiled_properties(pipe: Any) -> dict[str, dict[str, Any]]:
    """What OpenVINO actually compiled each submodel with (precision, threads, ...) and its weight types."""
    out: dict[str, dict[str, Any]] = {}
    for name in COMPONENTS:
        part = getattr(pipe, name, None)
        if part is None:
            continue
        props: dict[str, Any] = {}
        request = getattr(part, "request", None)  # an openvino.CompiledModel once compiled
        if request is not None:
            for prop in PROPERTIES:
                try:
                    props[prop] = plain(request.get_property(prop))
                except Exception:  # a property the device does not report
                    pass
        if getattr(part, "model", None) is not None:
            props["weight_elements"] = weight_elements(part.model)
            props["dynamic_inputs"] = [inp.get_any_name() for inp in part.model.inputs
                                       if inp.get_partial_shape().is_dynamic]
        out[name] = props
    return out


def device_info(device: str) -> dict[str, Any]:
    import openvino as ov

    core = ov.Core()
    info: dict[str, Any] = {"device": device, "python": platform.python_version(), "cpu_count": os.cpu_count()}
    for prop in ("FULL_DEVICE_NAME", "OPTIMIZATION_CAPABILITIES", "INFERENCE_PRECISION_HINT"):
        try:
            info[prop] = plain(core.get_property(device, prop))
        except Exception:
            pass
    return info


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--release", required=True, type=Path, help="SANA release folder in diffusers' layout")
    p.add_argument("--height", type=int, default=512)
    p.add_argument("--width", type=int, default=512)
    p.add_argument("--steps", type=int, default=20, help="num_inference_steps")
    p.add_argument("--guidance", type=float, default=4.5, help="guidance_scale (> 1 runs CFG with the default "
                                                                 "empty negative prompt)")
    p.add_argument("--runs", type=int, default=2, help="calls; with more than one the first is a warm-up")
    p.add_argument("--out", type=Path, default=None, help="where to write the JSON (it is printed as well)")
    p.add_argument("--cache", type=Path, default=None,
                   help="folder for the exported OpenVINO IR: reused when it holds one, else written after the "
                        "export, so later runs skip the export")
    p.add_argument("--prompt", default="a cyberpunk cat with a neon sign that says Sana")
    p.add_argument("--seed", type=int, default=0, help="seed of the torch generator for the initial latents")
    p.add_argument("--device", default="CPU", help="OpenVINO device")
    p.add_argument("--threads", type=int, default=None,
                   help="INFERENCE_NUM_THREADS for OpenVINO (and torch's thread count); default: OpenVINO's own")
    p.add_argument("--precision", default=None, choices=("f32", "bf16", "f16"),
                   help="force INFERENCE_PRECISION_HINT; default: OpenVINO's own for the device")
    p.add_argument("--static-shapes", action="store_true",
                   help="reshape the pipeline to batch 1 at --height x --width before compiling (optimum-intel's "
                        "`reshape`), instead of its default dynamic shapes")
    p.add_argument("--no-instruction", action="store_true",
                   help="pass complex_human_instruction=None (default: SanaPipeline's own instruction, as the "
                        "releases' recipe and the gateway use it)")
    args = p.parse_args(argv)
    if args.runs < 1:
        p.error("--runs must be at least 1")
    return args


def load_pipeline(args: argparse.Namespace, ov_config: dict[str, str]) -> tuple[Any, dict[str, Any]]:
    """The pipeline, uncompiled, and the timings of getting it: the export (or the reload of a cached IR)."""
    from optimum.intel import OVSanaPipeline

    timings: dict[str, Any] = {"export_s": None, "save_s": None, "load_cached_s": None, "from_cache": False}
    common = dict(device=args.device, ov_config=ov_config, compile=False)
    if args.cache is not None and is_exported(args.cache):
        t0 = time.perf_counter()
        pipe = OVSanaPipeline.from_pretrained(str(args.cache), **common)
        timings["load_cached_s"] = time.perf_counter() - t0
        timings["from_cache"] = True
        return pipe, timings
    t0 = time.perf_counter()
    pipe = OVSanaPipeline.from_pretrained(str(args.release), export=True, **common)
    timings["export_s"] = time.perf_counter() - t0
    if args.cache is not None:
        t0 = time.perf_counter()
        pipe.save_pretrained(str(args.cache))
        timings["save_s"] = time.perf_counter() - t0
    return pipe, timings


def make_static(pipe: Any, height: int, width: int) -> None:
    """optimum-intel's `reshape` to batch 1 at height x width (the transformer gets batch 2: CFG).

    optimum-intel keeps the text encoder's sequence length dynamic only when the tokenizer's class name
    says Gemma (the releases ship GemmaTokenizer(Fast), whose model_max_length is "infinite"); any other
    tokenizer class (the random test releases save a plain `TokenizersBackend`) makes it reshape the
    text encoder to model_max_length (1e30 here), which OpenVINO rejects. SanaPipeline pads the prompt
    to max_sequence_length (+ the instruction's tokens), not to model_max_length, so the sequence stays
    dynamic here whatever the tokenizer's class, as it would for a real release.
    """
    if "Gemma" not in type(pipe.tokenizer).__name__:
        reshape_text_encoder = pipe._reshape_text_encoder
        pipe._reshape_text_encoder = lambda model, batch_size=-1, tokenizer_max_length=-1: reshape_text_encoder(
            model, batch_size, -1)
    pipe.reshape(batch_size=1, height=height, width=width, num_images_per_prompt=1)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    import torch

    if args.threads is not None:
        torch.set_num_threads(args.threads)
    ov_config: dict[str, str] = {}
    if args.threads is not None:
        ov_config["INFERENCE_NUM_THREADS"] = str(args.threads)
    if args.precision is not None:
        ov_config["INFERENCE_PRECISION_HINT"] = args.precision

    pipe, timings = load_pipeline(args, ov_config)
    if args.static_shapes:
        make_static(pipe, args.height, args.width)
    timings["peak_rss_mib_after_load"] = peak_rss_mib()
    t0 = time.perf_counter()
    pipe.compile()
    timings["compile_s"] = time.perf_counter() - t0
    timings["peak_rss_mib_after_compile"] = peak_rss_mib()

    call: dict[str, Any] = dict(height=args.height, width=args.width, num_inference_steps=args.steps,
                                guidance_scale=args.guidance, output_type="pil")
    sample_size = pipe.transformer.config.get("sample_size")
    if sample_size not in BINNED_SAMPLE_SIZES:
        call["use_resolution_binning"] = False  # SanaPipeline raises on other sizes (tiny test releases)
    if args.no_instruction:
        call["complex_human_instruction"] = None

    seconds: list[float] = []
    image_size = None
    for _ in range(args.runs):
        generator = torch.Generator("cpu").manual_seed(args.seed)
        t0 = time.perf_counter()
        image = pipe(args.prompt, generator=generator, **call).images[0]
        seconds.append(time.perf_counter() - t0)
        image_size = list(image.size)
    timed = seconds[1:] if len(seconds) > 1 else seconds

    result: dict[str, Any] = {
        "what": "optimum-intel OVSanaPipeline, seconds per text-to-image call (batch 1)",
        "release": str(args.release.resolve()),
        "cache": None if args.cache is None else str(args.cache.resolve()),
        "recipe": {"height": args.height, "width": args.width, "steps": args.steps, "guidance": args.guidance,
                   "prompt": args.prompt, "negative_prompt": "(pipeline default: empty)", "seed": args.seed,
                   "complex_human_instruction": "none" if args.no_instruction else "(pipeline default)",
                   "use_resolution_binning": call.get("use_resolution_binning", True),
                   "static_shapes": args.static_shapes, "image_size": image_size},
        "runs": args.runs,
        "warmup_excluded": len(seconds) > 1,
        "seconds_each": [round(s, 4) for s in seconds],
        "seconds_per_image": round(sum(timed) / len(timed), 4),
        "seconds_per_image_min": round(min(timed), 4),
        "setup": {k: (round(v, 3) if isinstance(v, float) else v) for k, v in timings.items()},
        "peak_rss_mib": peak_rss_mib(),
        "ov_config": dict(pipe.ov_config),
        "compiled": compiled_properties(pipe),
        "device": device_info(args.device),
        "versions": versions(),
        "torch_threads": torch.get_num_threads(),
        "argv": sys.argv,
    }
    text = json.dumps(result, indent=2)
    print(text)
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n")
    return result


if __name__ == "__main__":
    main()
