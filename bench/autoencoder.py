"""Autoencoder on CPU: encode and decode latency and images/s, three implementations on the same
weights, each configuration in a fresh process (its peak RSS is that configuration's memory).

    ort        the exported ONNX graphs (export/), run as the gateway runs them (`create_session` and
               `session_runner` of service/runtimes/embedded.py); this process never imports torch, as the service
    ort-int8   the same for the int8 graphs (`dcae export --int8`, DCAE_PRECISION=int8)
    torch      our PyTorch eager model (dcae.models.dc_ae), torch.inference_mode
    diffusers  diffusers.AutoencoderDC eager, loaded from our weights written in its layout
               (`dcae.checkpoint.save_diffusers`, which checks that the key mapping inverts exactly)

Presets: the shipped dc-ae-f32c32-small (weights/, graphs from model_repository/ as `make run` serves
them) and the full-size dc-ae-f32c32-in-1.0 with random weights (speed does not depend on the values;
its checkpoints and graphs are made once under build/bench/).

Run through `python -m bench`; `python -m bench.autoencoder --worker SPEC` is one measurement.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np

from bench.common import (REPO_ROOT, WORK_DIR, Timing, log, measure, proc_status_kib, reset_peak_rss, run_worker,
                          worker_main)

IMPLEMENTATIONS = ("ort", "ort-int8", "torch", "diffusers")
HELDOUT = REPO_ROOT / "data" / "wallpapers" / "eval"  # `dcae data fetch`: the int8 quality check's photographs
QUALITY_RESOLUTIONS = (256, 512, 1024)
OPS = ("encode", "decode")
RESOLUTIONS = (256, 512, 1024)
BATCHES = (1, 8)
SHIPPED = "dc-ae-f32c32-small"
FULL_SIZE = "dc-ae-f32c32-in-1.0"
SHIPPED_WEIGHTS = REPO_ROOT / "weights" / SHIPPED
SHIPPED_REPOSITORY = REPO_ROOT / "model_repository"


# ----------------------------------------------------------------------------------------------
# Artifacts: for each preset our checkpoint, the same weights in diffusers' layout, and ONNX graphs.


def artifacts(preset: str) -> dict[str, Path]:
    if preset == SHIPPED:
        return {"dcae": SHIPPED_WEIGHTS, "diffusers": WORK_DIR / preset / "diffusers", "onnx": SHIPPED_REPOSITORY}
    root = WORK_DIR / preset
    return {"dcae": root / "dcae", "diffusers": root / "diffusers", "onnx": root / "onnx"}


def prepare(preset: str, rebuild: bool = False) -> dict:
    """Make what is missing (in a worker: the parent stays torch-free) and check that the three
    implementations compute the same function on a small input."""
    paths = artifacts(preset)
    spec = {"task": "prepare", "preset": preset, "rebuild": rebuild, **{k: str(v) for k, v in paths.items()}}
    info = run_worker("bench.autoencoder", spec, timeout_seconds=3600)
    if "error" in info:
        raise RuntimeError(f"preparing {preset} failed: {info['error']}")
    return info


def _prepare(spec: dict) -> dict:
    import torch

    from dcae.checkpoint import load_pretrained, save_diffusers, save_pretrained
    from dcae.models.dc_ae import count_parameters, create_model
    from export.quantize import CALIBRATION_DIR, INT8_FILENAME, calibration_images, quantize_autoencoder
    from export.repository import export_repository, weights_digest

    preset, rebuild = spec["preset"], spec["rebuild"]
    dcae_dir, diffusers_dir, onnx_repo = Path(spec["dcae"]), Path(spec["diffusers"]), Path(spec["onnx"])
    if preset != SHIPPED and (rebuild or not (dcae_dir / "model.safetensors").is_file()):
        torch.manual_seed(0)
        model = create_model(preset).eval()  # PyTorch's default init; its outputs are finite (checked below)
        save_pretrained(model, dcae_dir, metadata={"weights": "random (benchmark)"})
        rebuild = True
    model = load_pretrained(dcae_dir)
    digest = weights_digest(dcae_dir)
    stamp = diffusers_dir / "weights_sha256"
    if rebuild or not stamp.is_file() or stamp.read_text() != digest:
        save_diffusers(model, diffusers_dir)
        stamp.write_text(digest)
    if preset == SHIPPED:
        meta = _repository_digest(onnx_repo)
        if meta != digest:
            raise RuntimeError(f"{onnx_repo} holds graphs of other weights ({meta} != {digest}); run "
                               "`make model-repository`")
    else:  # exported again when the weights, the model code or the export code changed
        stamp, sources = onnx_repo / "traced_from_sha256", _sources_digest()
        if (rebuild or _repository_digest(onnx_repo) != digest or not stamp.is_file() or stamp.read_text() != sources
                or not (onnx_repo / "decoder" / "1" / INT8_FILENAME).is_file()):
            export_repository(onnx_repo, autoencoder=dcae_dir, log=lambda m: log(f"{preset}: {m}"))
            # Random weights: the speed of int8 graphs, calibrated on the shipped model's images, with
            # no quality bar (the quality table is the shipped model's).
            quantize_autoencoder(*(onnx_repo / n / "1" / "model.onnx" for n in ("encoder", "decoder")),
                                 calibration_images(SHIPPED_WEIGHTS / CALIBRATION_DIR, limit=4),
                                 log=lambda m: log(f"{preset}: {m}"), check_quality=False)
            stamp.write_text(sources)
    return {"preset": preset, "parameters": count_parameters(model), "weights_sha256": digest,
            "weights": "shipped" if preset == SHIPPED else "random", "paths": {k: spec[k] for k in
                                                                                ("dcae", "diffusers", "onnx")},
            "agreement": _agreement(model, diffusers_dir, onnx_repo),
            "int8_quality": _int8_quality(onnx_repo) if preset == SHIPPED else None}


def _int8_quality(repo: Path) -> list[dict] | None:
    """Held-out PSNR/SSIM of the float32 and int8 graphs (`dcae eval-ae` on the repository), when the
    corpus is here."""
    from dcae.evaluation.reconstruction import evaluate_repository

    if not HELDOUT.is_dir():
        log(f"int8 quality: no held-out photographs at {HELDOUT} (`dcae data fetch`); not measured")
        return None
    out = []
    for resolution in QUALITY_RESOLUTIONS:
        fp32, int8 = (evaluate_repository(repo, HELDOUT, resolution, batch_size=1, precision=p) for p in ("fp32", "int8"))
        out.append({"resolution": resolution, "images": fp32["images"], "psnr_float32": fp32["psnr"],
                    "psnr_int8": int8["psnr"], "ssim_float32": fp32["ssim"], "ssim_int8": int8["ssim"]})
        log(f"int8 quality at {resolution} px: PSNR {int8['psnr']:.2f} dB (float32 {fp32['psnr']:.2f})")
    return out


def _sources_digest() -> str:
    """SHA-256 over the code a graph is traced from: dcae/models/ and export/."""
    import hashlib

    h = hashlib.sha256()
    for path in sorted([*(REPO_ROOT / "dcae" / "models").glob("*.py"), *(REPO_ROOT / "export").glob("*.py")]):
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _repository_digest(repo: Path) -> str | None:
    cfg = repo / "decoder" / "config.pbtxt"
    if not cfg.is_file() or not (repo / "encoder" / "1" / "model.onnx").is_file():
        return None
    from dcae.contract.metadata import read_metadata

    return read_metadata(cfg.read_text()).autoencoder.weights_sha256


def _agreement(model, diffusers_dir: Path, onnx_repo: Path) -> dict:
    """Max |difference| / max |reference| of each implementation against diffusers, 64x96 px."""
    import diffusers
    import torch

    from service.runtimes.embedded import create_session, session_runner
    from service.settings import Settings

    ref = diffusers.AutoencoderDC.from_pretrained(diffusers_dir).eval()
    x = torch.rand(2, 3, 64, 96, generator=torch.Generator().manual_seed(0)) * 2 - 1
    with torch.inference_mode():
        z_ref = ref.encode(x).latent
        x_ref = ref.decode(z_ref).sample
        z_ours, x_ours = model.encode(x), model.decode(z_ref)
    enc, dec = (session_runner(create_session(onnx_repo / n / "1" / "model.onnx", Settings()))
                for n in ("encoder", "decoder"))
    z_ort = enc({"image": x.numpy()})["latent"]
    x_ort = dec({"latent": z_ref.numpy()})["image"]

    def rel(a, b) -> float:
        a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
        return float(np.abs(a - b).max() / np.abs(b).max())

    return {"encode": {"torch": rel(z_ours, z_ref), "ort": rel(z_ort, z_ref)},
            "decode": {"torch": rel(x_ours, x_ref), "ort": rel(x_ort, x_ref)},
            "finite": bool(np.isfinite(x_ref.numpy()).all())}


# ----------------------------------------------------------------------------------------------
# One measurement (worker process)


def _inputs(preset_latent_channels: int, compression: int, op: str, resolution: int, batch: int,
            scaling_factor: float) -> np.ndarray:
    rng = np.random.default_rng(0)
    if op == "encode":
        return rng.uniform(-1, 1, (batch, 3, resolution, resolution)).astype(np.float32)
    side = resolution // compression  # raw latents have RMS ~ 1 / scaling_factor
    return (rng.standard_normal((batch, preset_latent_channels, side, side)) / scaling_factor).astype(np.float32)


def _measure(spec: dict) -> dict:
    """Load one implementation, time one (op, resolution, batch); report timings and memory."""
    impl, op = spec["impl"], spec["op"]
    paths = {k: Path(v) for k, v in spec["paths"].items()}
    config = json.loads((paths["dcae"] / "config.json").read_text())["config"]
    compression = 2 ** (len(config["width_list"]) - 1)
    x = _inputs(config["latent_channels"], compression, op, spec["resolution"], spec["batch"],
                config["scaling_factor"])
    timing = Timing(**spec["timing"])
    if impl in ("ort", "ort-int8"):
        from service.runtimes.embedded import create_session, session_runner
        from service.settings import Settings

        network = "encoder" if op == "encode" else "decoder"
        graph = "model.int8.onnx" if impl == "ort-int8" else "model.onnx"
        session = create_session(paths["onnx"] / network / "1" / graph, Settings())
        run_session, feed = session_runner(session), {session.get_inputs()[0].name: x}
        threads = session.get_session_options().intra_op_num_threads

        def call():
            return run_session(feed)
    else:
        import torch

        threads = torch.get_num_threads()
        xt = torch.from_numpy(x)
        if impl == "torch":
            from dcae.checkpoint import load_pretrained

            model = load_pretrained(paths["dcae"])
            fn = model.encode if op == "encode" else model.decode
        else:
            import diffusers

            model = diffusers.AutoencoderDC.from_pretrained(paths["diffusers"]).eval()
            fn = (lambda t: model.encode(t).latent) if op == "encode" else (lambda t: model.decode(t).sample)

        def call():
            with torch.inference_mode():
                return fn(xt)
    loaded = proc_status_kib()
    reset = reset_peak_rss()  # from here on VmHWM is the peak while running (weights included)
    result = measure(call, timing)
    if "torch" in sys.modules and impl.startswith("ort"):
        raise RuntimeError("the ONNX Runtime measurement imported torch")
    peak = proc_status_kib()["VmHWM"]
    return {**result, "threads": threads, "rss_after_load_mib": loaded["VmRSS"] / 1024,
            "load_peak_rss_mib": loaded["VmHWM"] / 1024, "peak_rss_mib": peak / 1024,
            "peak_rss_covers": "running" if reset else "loading and running"}


# ----------------------------------------------------------------------------------------------
# The grid (parent process)


def configurations() -> list[tuple[int, int]]:
    """(resolution, batch), smallest work first: each one's time predicts the next one's."""
    return sorted(((r, b) for r in RESOLUTIONS for b in BATCHES), key=lambda rb: (rb[0] ** 2 * rb[1], rb[1]))


def run(presets: list[str], timing: Timing, max_call_seconds: float, warmup_limit_seconds: float,
        rebuild: bool = False) -> dict:
    """Every (preset, op, resolution, batch, implementation); implementations interleaved per
    configuration so that slow drifts of the machine's load hit all of them alike. A configuration whose
    predicted single-call time (this implementation's fastest seconds per pixel at the largest smaller
    configuration) exceeds `max_call_seconds` is skipped and reported with the prediction; one predicted
    to exceed `warmup_limit_seconds` runs without a warm-up call."""
    prepared, rows = {}, []
    for preset in presets:
        log(f"autoencoder: preparing {preset}")
        prepared[preset] = prepare(preset, rebuild)
        paths = prepared[preset]["paths"]
        for op in OPS:
            seconds_per_pixel: dict[str, float] = {}
            for resolution, batch in configurations():
                pixels = resolution * resolution * batch
                for impl in IMPLEMENTATIONS:
                    row = {"preset": preset, "impl": impl, "op": op, "resolution": resolution, "batch": batch}
                    predicted = seconds_per_pixel[impl] * pixels if impl in seconds_per_pixel else None
                    row["predicted_call_seconds"] = predicted
                    if impl in seconds_per_pixel and seconds_per_pixel[impl] < 0:
                        rows.append({**row, "status": "skipped", "reason": "a smaller configuration failed"})
                        log(f"  {preset} {op} {impl} {resolution}px x{batch}: skipped (a smaller one failed)")
                        continue
                    if predicted is not None and predicted > max_call_seconds:
                        rows.append({**row, "status": "skipped",
                                     "reason": f"predicted {predicted:.0f} s per call > the {max_call_seconds:.0f} s "
                                               f"call limit"})
                        log(f"  {preset} {op} {impl} {resolution}px x{batch}: skipped ({rows[-1]['reason']})")
                        continue
                    this = timing
                    if predicted is not None and predicted > warmup_limit_seconds:
                        this = replace(timing, warmup=0)  # a long call's one-time costs are a small part of it
                    call_bound = predicted if predicted is not None else max_call_seconds
                    timeout = 600 + (this.warmup + 2) * call_bound * 2 + this.budget_seconds
                    spec = {"task": "measure", "impl": impl, "op": op, "resolution": resolution, "batch": batch,
                            "paths": paths, "timing": asdict(this)}
                    out = run_worker("bench.autoencoder", spec, timeout)
                    if "error" in out:
                        rows.append({**row, "status": "error", "reason": out["error"]})
                        seconds_per_pixel[impl] = -1.0
                        log(f"  {preset} {op} {impl} {resolution}px x{batch}: ERROR {out['error'][-300:]}")
                        continue
                    rows.append({**row, "status": "ok", "warmup": this.warmup, **out,
                                 "images_per_second": batch / out["median_seconds"]})
                    seconds_per_pixel[impl] = out["min_seconds"] / pixels  # the least load-inflated call
                    log(f"  {preset} {op} {impl:9s} {resolution:4d}px x{batch}: {out['median_seconds'] * 1e3:9.1f} ms "
                        f"(n={out['n']}), {batch / out['median_seconds']:7.2f} img/s, peak {out['peak_rss_mib']:.0f} MiB")
    for info in prepared.values():  # the record names paths inside the repository, not on this machine
        info["paths"] = {k: str(Path(v).relative_to(REPO_ROOT)) for k, v in info["paths"].items()}
    return {"presets": prepared, "timing": asdict(timing), "max_call_seconds": max_call_seconds,
            "warmup_limit_seconds": warmup_limit_seconds, "rows": rows}


def _handle(spec: dict) -> dict:
    return _prepare(spec) if spec["task"] == "prepare" else _measure(spec)


if __name__ == "__main__":
    sys.exit(worker_main(__doc__, _handle))
