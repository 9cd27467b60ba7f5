"""A full-size SANA on this CPU: Sana-600M at 512 px with Gemma-2-2B and dc-ae-f32c32-sana-1.0, random weights in
the release's layout (diffusers' SanaPipeline.save_pretrained, as tests/helpers.write_sana_release writes it),
exported by `dcae export --generator`, then

- step: one guided transformer step (batch 2, 300 caption tokens, t = 500) and one Gemma-2 prompt encoding
  (1 x 400 tokens: the 300 selected ones plus the complex human instruction) by ONNX Runtime float32 and
  OpenVINO bfloat16 with the float32 regions (`create_openvino`, as the gateway runs them);
- gateway: `python -m service` over HTTP on the exported repository, ONNX Runtime float32 against the default
  (auto: OpenVINO bfloat16 here): time to ready, one readiness probe, and one 512-px image at the release's
  recipe (20 steps, guidance 4.5: the defaults), twice (the first also encodes the default negative caption,
  which the gateway keeps);
- diffusers: diffusers' SanaPipeline on the same release, float32 and bfloat16 (`torch_dtype`, as diffusers'
  documentation loads SANA), one image at the same recipe.

`python -m bench --only sana,report` writes bench/results/cpu-sana.json and its part of docs/BENCHMARKS.md. The
release (about 12 GB) and the repository (about 13 GB) stay under the benchmark's work folder for the next run;
the export peaks at about 16 GB of memory.
"""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np

from bench.common import REPO_ROOT, WORK_DIR, Timing, log, measure, proc_status_kib, run_worker, worker_main

RELEASE = WORK_DIR / "Sana_600M_512px_diffusers"
REPOSITORY = WORK_DIR / "sana-600m-repository"
PROMPT = "a red fox standing in fresh snow at golden hour, photograph"
STEP_IMPLEMENTATIONS = ("ort", "openvino")
STEP_INPUTS = {
    "dit": [("latent", [2, 32, 16, 16], "float32"), ("timestep", [2], "float32"), ("context", [2, 300, 2304], "float32"),
            ("context_mask", [2, 300], "bool")],
    "text_encoder": [("input_ids", [1, 400], "int64"), ("attention_mask", [1, 400], "int64")],
}


# ----------------------------------------------------------------------------------------------
# Workers


def _release(spec: dict) -> dict:
    if not (RELEASE / "model_index.json").is_file():
        sys.path.insert(0, str(REPO_ROOT / "tests"))
        from helpers import write_sana_release

        write_sana_release(RELEASE, seed=1, full_size=True)
    return {"release": str(RELEASE)}


def _step(spec: dict) -> dict:
    """One call of a network of the exported repository by one engine."""
    from bench.engines import engine_call

    rng = np.random.default_rng(0)
    inputs = {}
    for name, shape, dtype in spec["inputs"]:
        inputs[name] = (np.full(shape, 500.0, np.float32) if name == "timestep" else
                        np.ones(shape, dtype) if name.endswith("mask") else
                        rng.integers(4, 1000, shape).astype(np.int64) if dtype == "int64" else
                        rng.standard_normal(shape).astype(np.float32))
    t0 = time.perf_counter()
    run = engine_call(spec["impl"], Path(spec["graph"]))
    load = time.perf_counter() - t0
    result = measure(lambda: run(inputs), Timing(**spec["timing"]))
    return {**{k: v for k, v in result.items() if k != "samples_seconds"}, "load_seconds": load,
            "peak_rss_mib": proc_status_kib()["VmHWM"] / 1024}


def _diffusers(spec: dict) -> dict:
    """diffusers' SanaPipeline, one image at the release's recipe."""
    import diffusers
    import torch

    dtype = torch.bfloat16 if spec["dtype"] == "bfloat16" else torch.float32
    t0 = time.perf_counter()
    pipe = diffusers.SanaPipeline.from_pretrained(str(RELEASE), torch_dtype=dtype)
    load = time.perf_counter() - t0
    pipe.set_progress_bar_config(disable=True)

    def call():
        with torch.inference_mode():
            return pipe(PROMPT, height=512, width=512, num_inference_steps=20, guidance_scale=4.5,
                        generator=torch.Generator().manual_seed(4))

    result = measure(call, Timing(warmup=0, repeats=1, budget_seconds=0))
    return {**{k: v for k, v in result.items() if k != "samples_seconds"}, "load_seconds": load,
            "peak_rss_mib": proc_status_kib()["VmHWM"] / 1024}


def _handle(spec: dict) -> dict:
    return {"release": _release, "step": _step, "diffusers": _diffusers}[spec["task"]](spec)


# ----------------------------------------------------------------------------------------------
# The run (parent process: torch-free)


def _gateway(engine: str) -> dict:
    import httpx

    from bench.service import free_port, start_gateway

    port = free_port()
    env = {"DCAE_MODEL_REPOSITORY": str(REPOSITORY), "DCAE_ENGINE": engine, "DCAE_PRECISION": "auto",
           "DCAE_ENGINE_CACHE": str(WORK_DIR / "openvino-cache")}
    t0 = time.perf_counter()
    proc = start_gateway(env, port, ready_within=3600)
    out: dict = {"start_seconds": time.perf_counter() - t0}
    url = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(timeout=3600) as client:
            models = client.get(f"{url}/v1/models").json()
            out.update(engine=models["engine"], precision=models["precision"])
            t0 = time.perf_counter()
            assert client.get(f"{url}/health/ready").status_code == 200
            out["readiness_seconds"] = time.perf_counter() - t0
            for name in ("generate_first", "generate"):
                t0 = time.perf_counter()
                r = client.post(f"{url}/v1/generate", json={"prompt": PROMPT, "seed": 4})
                r.raise_for_status()
                out[name + "_seconds"] = time.perf_counter() - t0
                log(f"  gateway {engine}: {name} {out[name + '_seconds']:.1f} s")
        out["peak_rss_mib"] = proc_status_kib(proc.pid)["VmHWM"] / 1024
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    return out


def run(timing: Timing) -> dict:
    log("sana: the release (random weights)")
    made = run_worker("bench.sana", {"task": "release"}, 3600)
    if "error" in made:
        return {"error": made["error"]}
    if not (REPOSITORY / "generate" / "config.pbtxt").is_file():  # written last
        log("sana: dcae export --generator")
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "dcae.cli", "export", "--generator", str(RELEASE), "-o", str(REPOSITORY)],
                       cwd=REPO_ROOT, check=True)
        log(f"  exported in {time.perf_counter() - t0:.0f} s")
    out: dict = {"timing": asdict(timing), "prompt": PROMPT, "step": {}}
    for network, inputs in STEP_INPUTS.items():
        out["step"][network] = {}
        for impl in STEP_IMPLEMENTATIONS:
            spec = {"task": "step", "impl": impl, "graph": str(REPOSITORY / network / "1" / "model.onnx"),
                    "inputs": inputs, "timing": asdict(timing)}
            out["step"][network][impl] = r = run_worker("bench.sana", spec, 3600)
            log(f"  {network} {impl}: " + (f"{r['median_seconds'] * 1e3:.0f} ms" if "median_seconds" in r
                                           else f"ERROR {r['error'][-300:]}"))
    log("sana: the gateway over HTTP")
    out["gateway"] = {}
    for engine in ("onnxruntime", "auto"):
        try:
            out["gateway"][engine] = _gateway(engine)
        except Exception as e:  # noqa: BLE001 - recorded, the other rows still run
            out["gateway"][engine] = {"error": repr(e)[-1500:]}
            log(f"  gateway {engine}: ERROR {e!r}"[:500])
    log("sana: diffusers' SanaPipeline")
    out["diffusers"] = {}
    for dtype in ("float32", "bfloat16"):
        out["diffusers"][dtype] = r = run_worker("bench.sana", {"task": "diffusers", "dtype": dtype}, 3600)
        log(f"  diffusers {dtype}: " + (f"{r['median_seconds']:.1f} s" if "median_seconds" in r
                                        else f"ERROR {r['error'][-300:]}"))
    return out


if __name__ == "__main__":
    sys.exit(worker_main(__doc__, _handle))
