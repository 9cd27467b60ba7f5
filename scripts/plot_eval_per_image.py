#!/usr/bin/env python3
"""Where an autoencoder loses to the bicubic baseline, image by image.

    dcae eval-ae --model weights/dc-ae-f32c32-small --images data/wallpapers/eval --resolution 256 \\
        --per-image --json > eval-256.json            # and the same at 512, 1024
    python scripts/plot_eval_per_image.py eval-256.json eval-512.json eval-1024.json -o per-image.png

Left: each image's PSNR against the baseline's (below the diagonal: the baseline wins). Right: how
far below, against the share of the model's error that is coarse (colour or brightness drifting over
a latent cell or more; `dcae.evaluation.metrics.coarse_error_share`). Needs matplotlib (requirements-dev.txt).
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path


def short_name(name: str) -> str:
    """mate-backgrounds__mate-nature-Blinds.jpg -> Blinds; ...-Ubuntu-Mate-Dark-no-logo.png -> Dark"""
    return Path(name).stem.removesuffix("-no-logo").rsplit("-", 1)[-1]


def plot(evaluations: list[dict], out: Path, label_gap: float = 6.0, title: str = "Held-out images") -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.6))
    lo, hi = float("inf"), float("-inf")
    worst: dict[str, tuple[float, float]] = {}  # image -> (gap, coarse %) at the resolution it loses most
    for e in sorted(evaluations, key=lambda e: e["resolution"]):
        # As in eval-ae's means: images reproduced exactly (infinite PSNR) have no place on the axes.
        rows = [r for r in e["per_image"] if math.isfinite(r["psnr"]) and math.isfinite(r["bicubic_psnr"])]
        exact = sum(math.inf in (r["psnr"], r["bicubic_psnr"]) for r in e["per_image"])
        broken = len(e["per_image"]) - len(rows) - exact  # NaN: said, not hidden
        if not rows:
            continue
        base = [r["bicubic_psnr"] for r in rows]
        model = [r["psnr"] for r in rows]
        gap = [m - b for m, b in zip(model, base)]
        coarse = [100 * r["coarse_error_share"] for r in rows]
        label = (f"{e['resolution']} px: mean {e['psnr']:.2f} dB vs {e['bicubic_psnr']:.2f} "
                 f"({e['psnr'] - e['bicubic_psnr']:+.2f})" + (f"; {exact} reproduced exactly" if exact else "")
                 + (f"; {broken} NaN" if broken else ""))
        points = left.scatter(base, model, s=22, label=label)
        right.scatter(coarse, gap, s=22, color=points.get_facecolor()[0])
        lo, hi = min([lo, *base, *model]), max([hi, *base, *model])
        for r, c, g in zip(rows, coarse, gap):
            if g < min(-label_gap, worst.get(r["name"], (0.0,))[0]):
                worst[r["name"]] = (g, c)
    for name, (g, c) in worst.items():
        right.annotate(short_name(name), (c, g), fontsize=7, xytext=(4, -2), textcoords="offset points")
    if lo <= hi:
        left.plot([lo - 1, hi + 1], [lo - 1, hi + 1], color="grey", lw=0.8, ls="--")
    left.set(xlabel="bicubic baseline PSNR (dB)", ylabel="autoencoder PSNR (dB)",
             title=f"{title} (below the line: the baseline wins)")
    if left.get_legend_handles_labels()[0]:  # nothing to draw where every image was reproduced exactly
        left.legend(fontsize=8, loc="upper left")
    right.axhline(0, color="grey", lw=0.8, ls="--")
    right.set(xlabel="coarse share of the autoencoder's squared error (%)",
              ylabel="autoencoder − baseline (dB)", title="How far below, against how coarse the error is")
    for ax in (left, right):
        ax.grid(alpha=0.3)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("evaluations", nargs="+", type=Path, help="`dcae eval-ae --per-image --json` outputs")
    parser.add_argument("-o", "--out", type=Path, required=True, help="PNG to write")
    parser.add_argument("--title", default="Held-out images", help="what the images are (default: Held-out images)")
    parser.add_argument("--label-gap", type=float, default=6.0,
                        help="name the images whose PSNR is this many dB or more below the baseline (at the "
                             "resolution where it is furthest below)")
    args = parser.parse_args(argv)
    evaluations = [json.loads(p.read_text()) for p in args.evaluations]
    missing = [str(p) for p, e in zip(args.evaluations, evaluations) if "per_image" not in e]
    if missing:
        parser.error(f"no per-image rows in {', '.join(missing)}: run `dcae eval-ae` with --per-image --json")
    plot(evaluations, args.out, args.label_gap, args.title)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
