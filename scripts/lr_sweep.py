"""Short phase-1 runs of one autoencoder preset under several (lr, perceptual weight) settings,
with the held-out PSNR of the EMA weights measured along the way: a cheap way to choose the
phase-1 learning rate before a long run.

    python scripts/lr_sweep.py --data data/gpu --seconds 36 --out docs/training/lr-sweep-h200.json

DATA holds train/ and eval/ (scripts/prepare_gpu_data.py). Crops are cut on the device
(dcae.data.DeviceCrops); PSNR is the paper protocol at 256 px (center crop, uint8).
"""

import argparse
import json
import time
from pathlib import Path

import torch

from dcae.data.datasets import CenterCropDataset, DeviceCrops
from dcae.models.dc_ae import create_model, get_config
from dcae.training.config import TrainConfig
from dcae.training.trainer import Trainer

VARIANTS = [dict(lr=4e-4, pw=1.0), dict(lr=1e-4, pw=1.0), dict(lr=1e-4, pw=0.0), dict(lr=3e-5, pw=1.0)]


def heldout_psnr(model: torch.nn.Module, x: torch.Tensor) -> float:
    with torch.no_grad(), torch.autocast(x.device.type, dtype=torch.bfloat16, enabled=x.device.type == "cuda"):
        y = model(x).float().clamp(-1, 1)
    y = ((y + 1) * 127.5).round() / 255
    return (10 * torch.log10(1 / ((y - (x + 1) / 2) ** 2).mean(dim=(1, 2, 3)))).mean().item()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", default="data/gpu")
    p.add_argument("--preset", default="dc-ae-f32c32-small")
    p.add_argument("--seconds", type=float, default=36.0, help="training time per variant")
    p.add_argument("--resolution", type=int, default=256)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--out", required=True)
    args = p.parse_args()
    eval_set = CenterCropDataset(Path(args.data) / "eval", args.resolution)
    x_eval = torch.stack([eval_set[i][0] for i in range(len(eval_set))]).to(args.device)
    crops = DeviceCrops(Path(args.data) / "train", args.resolution, args.device, seed=0)
    results = []
    for v in VARIANTS:
        torch.manual_seed(0)
        model = create_model(get_config(args.preset)).to(args.device)
        cfg = TrainConfig(phase=1, data=str(Path(args.data) / "train"), run_dir="/tmp/lr-sweep", preset=args.preset,
                          batch_size=args.batch_size, steps=10**9, lr=v["lr"], warmup=100,
                          perceptual_weight=v["pw"], device=args.device, channels_last=True)
        trainer = Trainer(cfg, model)
        curve, step, t0, next_report = [], 0, time.time(), 0.0
        while True:
            elapsed = time.time() - t0
            if step == 1 or elapsed >= next_report or elapsed >= args.seconds:
                curve.append({"step": step, "t": round(elapsed, 1), "psnr_ema": round(heldout_psnr(trainer.ema, x_eval), 2)})
                next_report += args.seconds / 4
            if elapsed >= args.seconds:
                break
            trainer.step(crops.batch(step, args.batch_size))
            step += 1
        results.append({**v, "curve": curve})
        print(json.dumps(results[-1]), flush=True)
        Path(args.out).write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
