"""The CPU's engines side by side, in one run: what each way of running the same weights gets out of this
machine, against its measured matrix peak.

- peak: a GEMM microbenchmark (2048^3, all cores) in float32, bfloat16 and int8, in PyTorch (oneDNN) and
  OpenVINO; the best of each type is the machine's peak that the other rows are a share of;
- autoencoder: encode and decode at 256, 512, 1024 and 2048 px, batch 1, of the shipped dc-ae-f32c32-small and
  the full-size dc-ae-f32c32-in-1.0 (random weights: speed does not depend on the values), by
      ort, ort-int8, ort-int8-asym   ONNX Runtime on the repository's graphs as the gateway runs them (float32,
                                     int8 with symmetric weights as `dcae export --int8` writes them, and the same
                                     quantizer with asymmetric weights)
      openvino, openvino-int8        OpenVINO as the gateway runs it (`create_openvino`): bfloat16 with the
                                     float32 regions, and the int8 graphs (their float ops in float32)
      openvino-static                the same bfloat16 graph compiled for each size's static shape (the
                                     alternative to one dynamic-shape compile: is it faster?)
      torch, torch-bf16              our PyTorch model, float32 and bfloat16 autocast (`dcae decode`)
      diffusers, diffusers-bf16      diffusers' AutoencoderDC on the same weights, float32 and bfloat16 autocast
  with the shipped model's held-out photograph decoded by each (PSNR against ONNX Runtime float32);
- dit: one guided DiT step (batch 2) of the shipped DiT-mini and a full-size DiT-XL/1 on f32c32 latents (random
  weights), by ort, openvino, torch and torch-bf16;
- train: one autoencoder training step of the shipped model (batch 8, 256 px), float32 against bfloat16 autocast;
- gateway: `python -m service` over HTTP on the shipped repository, ONNX Runtime float32 against the default
  (auto: OpenVINO bfloat16 here): a 512-px encode and decode of the held-out photograph, and one generated
  image at the shipped recipe (30 steps).

Each configuration runs in a fresh process. `python -m bench --only engines,report` runs this section and writes
bench/results/cpu-engines.json and its part of docs/BENCHMARKS.md.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np

from bench.common import REPO_ROOT, WORK_DIR, Timing, log, measure, proc_status_kib, run_worker, worker_main

AE_IMPLEMENTATIONS = ("ort", "ort-int8", "ort-int8-asym", "openvino", "openvino-static", "openvino-int8", "torch",
                      "torch-bf16", "diffusers", "diffusers-bf16")
DIT_IMPLEMENTATIONS = ("ort", "openvino", "torch", "torch-bf16")
RESOLUTIONS = (256, 512, 1024, 2048)
HELDOUT_IMAGE = REPO_ROOT / "docs" / "images" / "heldout.png"  # a mate-backgrounds photograph: never trained on
DIT_XL = WORK_DIR / "DiT-XL-1-f32c32"


# ----------------------------------------------------------------------------------------------
# Workers


def _gemm(spec: dict) -> dict:
    """GFLOP/s (int8: GOP/s) of a 2048^3 matrix product, per library and type, all cores."""
    import openvino as ov
    import torch

    n, timing = 2048, Timing(**spec["timing"])
    out = {}
    rng = np.random.default_rng(0)
    a32, b32 = rng.standard_normal((n, n), np.float32), rng.standard_normal((n, n), np.float32)
    for name, dtype in (("float32", torch.float32), ("bfloat16", torch.bfloat16)):
        a, b = torch.from_numpy(a32).to(dtype), torch.from_numpy(b32).to(dtype)
        out[f"torch {name}"] = 2 * n**3 / measure(lambda: a @ b, timing)["min_seconds"] / 1e9
    ai, bi = (torch.randint(-128, 127, (n, n), dtype=torch.int8) for _ in range(2))
    out["torch int8"] = 2 * n**3 / measure(lambda: torch._int_mm(ai, bi), timing)["min_seconds"] / 1e9
    core = ov.Core()
    x = ov.opset13.parameter([n, n], ov.Type.f32, name="x")
    model = ov.Model([ov.opset13.matmul(x, ov.opset13.constant(b32), False, False)], [x])
    for name, hint in (("float32", "f32"), ("bfloat16", "bf16")):
        request = core.compile_model(model, "CPU", {"INFERENCE_PRECISION_HINT": hint,
                                                    "PERFORMANCE_HINT": "LATENCY"}).create_infer_request()
        out[f"openvino {name}"] = 2 * n**3 / measure(lambda: request.infer({"x": a32}), timing)["min_seconds"] / 1e9
    return {"n": n, "threads": torch.get_num_threads(), "gflops": out,
            "peak": {t: max(v for k, v in out.items() if k.endswith(t)) for t in ("float32", "bfloat16", "int8")}}


def engine_call(impl: str, graph: Path, precision: str = "bfloat16"):
    """The graph as the gateway runs it: ONNX Runtime (`impl` "ort...") or OpenVINO in `precision`, with the
    benchmarks' engine cache."""
    from service.runtimes.embedded import create_openvino, create_session, session_runner
    from service.settings import Settings

    settings = Settings(engine_cache=WORK_DIR / "openvino-cache")
    if impl.startswith("ort"):
        return session_runner(create_session(graph, settings))
    return create_openvino(graph, precision, settings)[0]


def _ae_graph(onnx_repo: Path, impl: str, network: str) -> Path:
    if impl.endswith("int8-asym"):
        return WORK_DIR / "int8-asym" / onnx_repo.name / f"{network}.onnx"
    return onnx_repo / network / "1" / ("model.int8.onnx" if impl.endswith("int8") else "model.onnx")


def _static_calls(onnx_repo: Path) -> dict:
    """encode/decode that compile the marked bfloat16 graph for each input shape they meet (cached per shape)."""
    import onnx
    import openvino as ov

    from dcae.contract.cpu import marked_ir, openvino_call

    calls = {}
    for op, network, key, name in (("encode", "encoder", "image", "latent"), ("decode", "decoder", "latent", "image")):
        path = onnx_repo / network / "1" / "model.onnx"
        xml, _ = marked_ir(ov, path, WORK_DIR / "openvino-cache",
                           read_nodes=lambda path=path: onnx.load(str(path), load_external_data=False).graph.node)
        compiled: dict = {}

        def call(x, xml=xml, key=key, name=name, compiled=compiled):
            if x.shape not in compiled:
                core = ov.Core()
                model = core.read_model(str(xml))
                model.reshape({key: list(x.shape)})
                compiled[x.shape] = openvino_call(core.compile_model(model, "CPU", {
                    "INFERENCE_PRECISION_HINT": "bf16", "PERFORMANCE_HINT": "LATENCY"}))
            return compiled[x.shape]({key: x})[name]
        calls[op] = call
    return calls


def _ae(spec: dict) -> dict:
    """One implementation of one preset: encode and decode times at every resolution, and for the shipped
    model the held-out photograph's decode."""
    impl, paths, timing = spec["impl"], {k: Path(v) for k, v in spec["paths"].items()}, Timing(**spec["timing"])
    config = json.loads((paths["dcae"] / "config.json").read_text())["config"]
    f, c = 2 ** (len(config["width_list"]) - 1), config["latent_channels"]
    calls = {}
    if impl == "openvino-static":
        calls = _static_calls(paths["onnx"])
    elif impl.startswith(("ort", "openvino")):
        for op, network, name in (("encode", "encoder", "latent"), ("decode", "decoder", "image")):
            run = engine_call(impl, _ae_graph(paths["onnx"], impl, network),
                               "float32" if impl == "openvino-int8" else "bfloat16")  # as the gateway runs int8
            key = "image" if op == "encode" else "latent"
            calls[op] = (lambda run, key, name: lambda x: run({key: x})[name])(run, key, name)
    else:
        import torch

        if impl.startswith("torch"):
            from dcae.checkpoint import load_pretrained

            model = load_pretrained(paths["dcae"])
            enc, dec = model.encode, model.decode
        else:
            import diffusers

            model = diffusers.AutoencoderDC.from_pretrained(paths["diffusers"]).eval()
            enc, dec = (lambda t: model.encode(t).latent), (lambda t: model.decode(t).sample)
        bf16 = impl.endswith("bf16")

        def wrap(fn):
            def call(x: np.ndarray) -> np.ndarray:
                with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                    return fn(torch.from_numpy(x)).float().numpy()
            return call

        calls = {"encode": wrap(enc), "decode": wrap(dec)}
    rng, rows, last = np.random.default_rng(0), [], {}
    for resolution in spec["resolutions"]:
        for op in ("encode", "decode"):
            x = (rng.uniform(-1, 1, (1, 3, resolution, resolution)) if op == "encode" else
                 rng.standard_normal((1, c, resolution // f, resolution // f)) / config["scaling_factor"])
            x = x.astype(np.float32)
            predicted = last.get(op, 0.0) * 4  # seconds per call: 4x the pixels of the size before
            if predicted > spec["max_call_seconds"]:
                rows.append({"op": op, "resolution": resolution, "skipped": f"predicted {predicted:.0f} s per call"})
                continue
            t0 = time.perf_counter()
            try:
                result = measure(lambda: calls[op](x), timing if resolution < 2048 else Timing(1, 1, 0))
                last[op] = result["min_seconds"]
            except Exception as e:  # noqa: BLE001 - out of memory at 2048 px is a result
                rows.append({"op": op, "resolution": resolution, "error": str(e)[-300:]})
                continue
            rows.append({"op": op, "resolution": resolution, **{k: v for k, v in result.items() if k != "samples_seconds"}})
            log(f"  {impl:15s} {op} {resolution:4d}px: {result['median_seconds'] * 1e3:8.1f} ms "
                f"({time.perf_counter() - t0:.0f} s)")
    quality = None
    if spec.get("reference_latent"):
        latent = np.load(spec["reference_latent"])
        decoded = calls["decode"](latent)
        np.save(WORK_DIR / f"heldout-{impl}.npy", decoded)
        quality = str(WORK_DIR / f"heldout-{impl}.npy")
    return {"rows": rows, "decoded_heldout": quality, "peak_rss_mib": proc_status_kib()["VmHWM"] / 1024}


def _dit(spec: dict) -> dict:
    """One guided step (batch 2, t = 500) of a DiT by one implementation."""
    impl, timing, graph = spec["impl"], Timing(**spec["timing"]), Path(spec["graph"])
    rng = np.random.default_rng(0)
    inputs = {}
    for name, shape, dtype in spec["inputs"]:
        inputs[name] = (np.full(shape, 500.0, np.float32) if name == "timestep" else
                        np.ones(shape, bool) if dtype == "bool" else
                        rng.integers(0, 1000, shape).astype(np.int64) if dtype == "int64" else
                        rng.standard_normal(shape).astype(np.float32))
    if impl in ("ort", "openvino"):
        run = engine_call(impl, graph)
        call = (lambda: run(inputs))
    else:
        import torch

        from export.wrappers import dit_wrapper
        if spec["checkpoint"] is None:
            from dcae.models.dit import DiT, get_config as get_dit_config

            torch.manual_seed(0)
            wrapper = dit_wrapper(DiT(get_dit_config("DiT-XL/1").replace(in_channels=32, input_size=16)).eval())
        else:
            from dcae.checkpoint import load_generator

            wrapper = dit_wrapper(load_generator(spec["checkpoint"])[0].eval())
        feeds = [torch.from_numpy(inputs[s.name]) for s in wrapper.inputs]
        bf16 = impl == "torch-bf16"

        def call():
            with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                return wrapper(*feeds)
    result = measure(call, timing)
    return {**{k: v for k, v in result.items() if k != "samples_seconds"},
            "peak_rss_mib": proc_status_kib()["VmHWM"] / 1024}


def _prepare_dit_xl(spec: dict) -> dict:
    """A full-size DiT-XL/1 on f32c32 latents (class-conditional, random weights) exported as the repository's
    dit graph (external data)."""
    import torch

    from dcae.models.dit import DiT, get_config as get_dit_config
    from export.to_onnx import export_onnx
    from export.wrappers import dit_wrapper

    path = DIT_XL / "model.onnx"
    if not path.is_file():
        torch.manual_seed(0)
        dit = DiT(get_dit_config("DiT-XL/1").replace(in_channels=32, input_size=16)).eval()
        export_onnx(dit_wrapper(dit), path)
    return {"graph": str(path)}


def _prepare_asym(spec: dict) -> dict:
    """int8 graphs from the same quantizer with asymmetric weights (ONNX Runtime's QLinearConv takes its AMX
    kernel only for them), calibrated like `dcae export --int8`."""
    from export.quantize import CALIBRATION_DIR, calibration_images, quantize_graph

    onnx_repo, out = Path(spec["onnx"]), WORK_DIR / "int8-asym" / Path(spec["onnx"]).name
    if not (out / "decoder.onnx").is_file():
        import onnxruntime as ort

        images = calibration_images(REPO_ROOT / "weights" / "dc-ae-f32c32-small" / CALIBRATION_DIR, limit=8)
        out.mkdir(parents=True, exist_ok=True)
        encoder = onnx_repo / "encoder" / "1" / "model.onnx"
        quantize_graph(encoder, out / "encoder.onnx", images, weight_symmetric=False)
        session = ort.InferenceSession(str(encoder))
        latents = np.concatenate([session.run(None, {"image": images[i:i + 1]})[0] for i in range(len(images))])
        quantize_graph(onnx_repo / "decoder" / "1" / "model.onnx", out / "decoder.onnx", latents, weight_symmetric=False)
    return {"folder": str(out)}


def _train(spec: dict) -> dict:
    """One autoencoder training step (the project's Trainer, phase 1: L1 + the perceptual substitute, AdamW) of the
    shipped model on a batch of 8 crops of 256 px, float32 against bfloat16 autocast."""
    import torch

    from dcae.checkpoint import load_pretrained
    from dcae.training.config import TrainConfig
    from dcae.training.trainer import Trainer

    out = {}
    x = torch.rand(8, 3, 256, 256, generator=torch.Generator().manual_seed(0)) * 2 - 1
    for precision in ("fp32", "bf16"):
        torch.manual_seed(0)
        model = load_pretrained(REPO_ROOT / "weights" / "dc-ae-f32c32-small").train()
        trainer = Trainer(TrainConfig(phase=1, data="-", run_dir=str(WORK_DIR / "train"), precision=precision,
                                      init=str(REPO_ROOT / "weights" / "dc-ae-f32c32-small"), device="cpu",
                                      progress=False), model)
        result = measure(lambda: trainer.step(x), Timing(**spec["timing"]))
        out[precision] = {k: v for k, v in result.items() if k != "samples_seconds"}
        log(f"  train step {precision}: {result['median_seconds']:.2f} s")
    return out


def _handle(spec: dict) -> dict:
    return {"gemm": _gemm, "ae": _ae, "dit": _dit, "dit-xl": _prepare_dit_xl, "asym": _prepare_asym,
            "train": _train}[spec["task"]](spec)


# ----------------------------------------------------------------------------------------------
# The run (parent process: torch-free)


def _psnr(a: np.ndarray, b: np.ndarray) -> float:
    a, b = (np.clip(np.round((v + 1) * 127.5), 0, 255) for v in (a, b))
    return float(10 * np.log10(255.0**2 / max(np.mean((a - b) ** 2), 1e-12)))


def _heldout_latent() -> Path:
    """The held-out photograph encoded by ONNX Runtime float32 (every implementation decodes this latent)."""
    from PIL import Image

    from service.runtimes.embedded import create_session, session_runner
    from service.settings import Settings

    x = np.asarray(Image.open(HELDOUT_IMAGE).convert("RGB"), np.float32).transpose(2, 0, 1)[None] / 127.5 - 1
    enc = session_runner(create_session(REPO_ROOT / "model_repository" / "encoder" / "1" / "model.onnx", Settings()))
    path = WORK_DIR / "heldout-latent.npy"
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, enc({"image": np.ascontiguousarray(x)})["latent"])
    return path


def _gateway(engine: str, timing: Timing) -> dict:
    """The shipped repository behind `python -m service` with DCAE_ENGINE=engine; HTTP encode and decode of the
    512-px held-out photograph, and one generated image at the shipped recipe."""
    import httpx

    from bench.service import free_port, start_gateway

    port = free_port()
    env = {"DCAE_MODEL_REPOSITORY": str(REPO_ROOT / "model_repository"), "DCAE_ENGINE": engine,
           "DCAE_PRECISION": "auto", "DCAE_ENGINE_CACHE": str(WORK_DIR / "openvino-cache")}
    t0 = time.perf_counter()
    proc = start_gateway(env, port)
    started = time.perf_counter() - t0
    url = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(timeout=600) as client:
            models = client.get(f"{url}/v1/models").json()
            png = HELDOUT_IMAGE.read_bytes()
            encode = lambda: client.post(f"{url}/v1/encode", files={"image": ("p.png", png)},  # noqa: E731
                                         headers={"Accept": "application/x-npy"}).content
            latent = encode()
            decode = lambda: client.post(f"{url}/v1/decode", content=latent,  # noqa: E731
                                         headers={"Content-Type": "application/x-npy"}).content
            generate = lambda: client.post(f"{url}/v1/generate", json={"prompt": "a mountain lake at dawn",  # noqa: E731
                                                                       "seed": 1})
            out = {"engine": models["engine"], "precision": models["precision"], "start_seconds": started}
            for name, call, t in (("encode", encode, timing), ("decode", decode, timing),
                                  ("generate", generate, Timing(1, 3, 60))):
                result = measure(call, t)
                out[name] = {k: v for k, v in result.items() if k != "samples_seconds"}
                log(f"  gateway {engine}: {name} {result['median_seconds'] * 1e3:.0f} ms")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return out


def run_dit(timing: Timing) -> dict:
    """The DiT step section alone (shipped DiT-mini and the full-size DiT-XL/1)."""
    log("engines: DiT step")
    xl = run_worker("bench.engines", {"task": "dit-xl"}, 3600)
    shipped = REPO_ROOT / "model_repository" / "dit" / "1" / "model.onnx"
    models = {"DiT-mini/1 (shipped)": (shipped, str(REPO_ROOT / "weights" / "dit-mini-wallpapers"),
                                       [("latent", [2, 32, 16, 16], "float32"), ("timestep", [2], "float32"),
                                        ("context", [2, 32, 384], "float32"), ("context_mask", [2, 32], "bool")]),
              "DiT-XL/1 (random weights)": (Path(xl.get("graph", "")), None,
                                            [("latent", [2, 32, 16, 16], "float32"), ("timestep", [2], "float32"),
                                             ("class_label", [2], "int64")])}
    out: dict = {}
    for name, (graph, checkpoint, inputs) in models.items():
        out[name] = {}
        for impl in DIT_IMPLEMENTATIONS:
            spec = {"task": "dit", "impl": impl, "graph": str(graph), "checkpoint": checkpoint, "inputs": inputs,
                    "timing": asdict(timing)}
            out[name][impl] = r = run_worker("bench.engines", spec, 3600)
            log(f"  {name} {impl}: " + (f"{r['median_seconds'] * 1e3:.1f} ms" if "median_seconds" in r
                                        else f"ERROR {r['error'][-300:]}"))
    # The XL step's matrix work, for its share of the GEMM peak: per block and item, 12 h^2 weights (qkv,
    # proj, 4h MLP) over T tokens and the attention's two T x T x h products, 2 FLOPs each.
    h, depth, tokens, batch = 1152, 28, 256, 2
    flops = 2 * batch * depth * (12 * h * h * tokens + 2 * tokens * tokens * h)
    for r in out["DiT-XL/1 (random weights)"].values():
        r["flops"] = flops
    return out


def run(timing: Timing, presets: list[str], dit: bool = True, max_call_seconds: float = 40.0) -> dict:
    from bench.autoencoder import SHIPPED, prepare

    out: dict = {"timing": asdict(timing), "resolutions": list(RESOLUTIONS), "max_call_seconds": max_call_seconds}
    log("engines: GEMM peak")
    out["gemm"] = run_worker("bench.engines", {"task": "gemm", "timing": asdict(timing)}, 900)
    reference = _heldout_latent()
    out["autoencoder"] = {}
    for preset in presets:
        log(f"engines: {preset}")
        info = prepare(preset)
        run_worker("bench.engines", {"task": "asym", "onnx": info["paths"]["onnx"]}, 3600)
        rows = {}
        for impl in AE_IMPLEMENTATIONS:
            spec = {"task": "ae", "impl": impl, "paths": info["paths"], "timing": asdict(timing),
                    "resolutions": list(RESOLUTIONS), "max_call_seconds": max_call_seconds,
                    "reference_latent": str(reference) if preset == SHIPPED else None}
            rows[impl] = run_worker("bench.engines", spec, 7200)
            if "error" in rows[impl]:
                log(f"  {impl}: ERROR {rows[impl]['error'][-300:]}")
        decoded = {impl: np.load(r["decoded_heldout"]) for impl, r in rows.items() if r.get("decoded_heldout")}
        if "ort" in decoded:
            for impl, image in decoded.items():
                rows[impl]["heldout_psnr_vs_ort_float32"] = _psnr(image, decoded["ort"])
        out["autoencoder"][preset] = rows
    if dit:
        out["dit"] = run_dit(timing)
    log("engines: a training step")
    out["train"] = run_worker("bench.engines", {"task": "train", "timing": asdict(Timing(1, 3, 60))}, 3600)
    log("engines: the gateway over HTTP")
    out["gateway"] = {engine: _gateway(engine, timing) for engine in ("onnxruntime", "auto")}
    return out


if __name__ == "__main__":
    sys.exit(worker_main(__doc__, _handle))
