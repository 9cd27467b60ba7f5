"""The paper's headline claim, measured on this machine: one U-ViT-H 512-px image (30 DPM-Solver++ evaluations with
classifier-free guidance, then the decode) on DC-AE-f64c128 latents (patch 1: 64 tokens) against the same
transformer on SD-VAE-f8 latents (patch 2: 1,024 tokens, SD's AutoencoderKL decoder, `bench/sd_vae.py`, equal to
diffusers'). The paper reports 19.1x the throughput (H100, TensorRT fp16, reference Sec. 6). Random weights (the
time does not depend on them), PyTorch eager in the precision `dcae generate` picks on this CPU, the contract's
sampling loop as every runtime runs it; each configuration in its own process.

    python -m bench --only headline,report
"""

from __future__ import annotations

import sys
import time

import numpy as np

from bench.common import log, proc_status_kib, run_worker, worker_main

CONFIGS = {  # name: (latent channels, latent side, patch, decoder, scaling factor)
    "dc-ae-f64c128 (64 tokens)": (128, 8, 1, "dc-ae-f64c128-in-1.0", 0.2889),
    "sd-vae-f8 (1,024 tokens)": (4, 64, 2, "sd-vae", 0.18215),
}
PAPER_SPEEDUP = 19.1


def _image(spec: dict) -> dict:
    import torch

    from bench.sd_vae import SDVAEDecoder
    from dcae.checkpoint.generator import UVIT_OBJECTIVE
    from dcae.contract import generation
    from dcae.contract.conditioning import class_conditions
    from dcae.models.dc_ae import create_model, get_config
    from dcae.models.random_init import randomize_
    from dcae.models.uvit import PRESETS, UViT
    from dcae.pipelines.autoencoder import autocast, compute_precision

    torch.manual_seed(0)
    channels, side, patch, decoder_name, scaling = CONFIGS[spec["config"]]
    cfg = PRESETS["U-ViT-H"].replace(in_channels=channels, input_size=side, patch_size=patch)
    model = randomize_(UViT(cfg).eval())
    decoder = (SDVAEDecoder() if decoder_name == "sd-vae" else create_model(get_config(decoder_name)).decoder).eval()
    randomize_(decoder)
    cond, uncond = class_conditions(207, 1000, 1)
    loop = generation.GuidedDenoising.start(UVIT_OBJECTIVE, "dpmpp_fast", spec["steps"], (channels, side, side), 0,
                                            1, cond, uncond, 1.5)
    step_seconds = []

    @torch.no_grad()
    def call(inputs: dict) -> np.ndarray:
        t0 = time.perf_counter()
        out = model(*(torch.from_numpy(inputs[k]) for k in ("latent", "timestep", "class_label"))).float().numpy()
        step_seconds.append(time.perf_counter() - t0)
        return out

    precision = compute_precision("cpu", "auto")
    t0 = time.perf_counter()
    with autocast("cpu", precision):
        latent = loop.run(call)
        t1 = time.perf_counter()
        with torch.no_grad():
            image = decoder(torch.from_numpy(latent / scaling))
    t2 = time.perf_counter()
    return {"precision": precision, "params": sum(p.numel() for p in model.parameters()),
            "tokens": cfg.num_tokens, "image": list(image.shape[1:]), "steps": spec["steps"],
            "denoise_seconds": t1 - t0, "decode_seconds": t2 - t1, "total_seconds": t2 - t0,
            "step_seconds_median": float(np.median(step_seconds)), "peak_rss_mib": proc_status_kib()["VmHWM"] / 1024}


def run(steps: int = 30) -> dict:
    rows = {}
    for name in CONFIGS:
        rows[name] = run_worker("bench.headline", {"config": name, "steps": steps}, timeout_seconds=3600)
        r = rows[name]
        log(f"headline: {name}: " + (f"{r['total_seconds']:.1f} s ({r['step_seconds_median'] * 1000:.0f} ms a "
                                      f"guided evaluation, decode {r['decode_seconds']:.1f} s)" if "error" not in r
                                      else r["error"][-300:]))
    return {"model": "U-ViT-H (28 x 1152, 16 heads)", "guidance": 1.5, "sampler": "dpmpp_fast",
            "paper_speedup": PAPER_SPEEDUP, "rows": rows}


if __name__ == "__main__":
    sys.exit(worker_main(__doc__, _image))
