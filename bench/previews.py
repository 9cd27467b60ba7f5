"""What a streaming preview costs: the tiny preview decoder (TAESANA's layout, `dcae export --preview-decoder`)
against a full decode by dc-ae-f32c32-sana-1.0's decoder, on the same latent, per engine and size, batch 1.
Random weights (the time does not depend on them); each graph exported as `dcae export` exports it. Each
configuration runs in a worker process, so that peak memory is its own.

    python -m bench --only previews,report
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from bench.common import WORK_DIR, Timing, log, measure, proc_status_kib, run_worker, worker_main

PREVIEW_DIR = WORK_DIR / "previews"
FULL = "dc-ae-f32c32-sana-1.0"
SIZES = (512, 1024)
ENGINES = (("onnxruntime", "float32"), ("openvino", "bfloat16"))


def _graphs() -> dict[str, Path]:
    """The full decoder's graph (the SANA benchmark's, when it made one) and the preview decoder's."""
    import torch

    from dcae.models.dc_ae import create_model, get_config
    from dcae.models.random_init import randomize_, randomize_by_name_
    from dcae.models.taesd import TinyDecoder
    from export.to_onnx import export_onnx
    from export.wrappers import DecoderExport, PreviewDecoderExport

    torch.manual_seed(0)
    graphs = {"full": WORK_DIR / "sana-600m-repository" / "decoder" / "1" / "model.onnx",
              "preview": PREVIEW_DIR / "preview_decoder" / "model.onnx"}
    if not graphs["full"].is_file():
        graphs["full"] = PREVIEW_DIR / "decoder" / "model.onnx"
        if not graphs["full"].is_file():
            log(f"previews: exporting {FULL}'s decoder")
            export_onnx(DecoderExport(randomize_(create_model(get_config(FULL)).eval())), graphs["full"])
    if not graphs["preview"].is_file():
        log("previews: exporting the preview decoder")
        export_onnx(PreviewDecoderExport(randomize_by_name_(TinyDecoder().eval())), graphs["preview"])
    return graphs


def _time(spec: dict) -> dict:
    """One graph on one engine at one size: per-call seconds and the process's peak memory."""
    from bench.engines import engine_call

    impl = "ort" if spec["engine"] == "onnxruntime" else "openvino"
    call = engine_call(impl, Path(spec["graph"]), spec["precision"])
    side = spec["size"] // 32
    latent = np.random.default_rng(0).standard_normal((1, 32, side, side)).astype(np.float32)
    timing = Timing(**spec["timing"])
    result = measure(lambda: call({"latent": latent}), timing)
    return {**result, "peak_rss_mib": proc_status_kib().get("VmHWM", 0) / 1024}


def run(timing: Timing) -> dict:
    graphs = _graphs()
    rows = []
    for size in SIZES:
        for engine, precision in ENGINES:
            row = {"size": size, "engine": engine, "precision": precision}
            for which, graph in graphs.items():
                spec = {"graph": str(graph), "engine": engine, "precision": precision, "size": size,
                        "timing": timing.__dict__}
                row[which] = run_worker("bench.previews", spec, timeout_seconds=1800)  # {"error": ...} on failure
                log(f"previews: {size} px {engine} {which}: "
                    f"{row[which].get('median_seconds', float('nan')) * 1000:.1f} ms")
            rows.append(row)
    return {"full_decoder": FULL, "preview_decoder": "TinyDecoder (TAESANA's layout, 8.3 M parameters)",
            "graphs": {k: str(v.relative_to(WORK_DIR)) for k, v in graphs.items()}, "rows": rows}


if __name__ == "__main__":
    sys.exit(worker_main(__doc__, _time))
