#!/usr/bin/env python3
"""The residual-autoencoding ablation as training curves: one panel per preset, each run's training L1
against its step, labelled with its held-out PSNR.

    scripts/ablation_residual.sh ... runs/ablation        # writes NAME/log.jsonl and eval-NAME.json
    python scripts/plot_ablation.py runs/ablation [more RUNS_DIRs] -o ablation.png

A run is a folder `<preset>-shortcuts-on|off` holding `log.jsonl` (`dcae train-ae`'s log), with
`eval-<name>.json` (`dcae eval-ae --json`) beside it; runs of the same name in several RUNS_DIRs (a
longer repeat, say) are drawn as separate curves. Needs matplotlib (requirements-dev.txt).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def find_runs(runs_dirs: list[Path]) -> list[dict]:
    """[{preset, shortcuts, steps: [...], l1: [...], psnr}] for every evaluated run in `runs_dirs`."""
    runs = []
    for root in runs_dirs:
        for log in sorted(root.glob("*-shortcuts-*/log.jsonl")):
            name = log.parent.name
            evaluation = root / f"eval-{name}.json"
            if not evaluation.is_file():
                continue
            records = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
            preset, shortcuts = name.rsplit("-shortcuts-", 1)
            runs.append({"preset": preset, "shortcuts": shortcuts, "steps": [r["step"] for r in records],
                         "l1": [r["l1"] for r in records], "psnr": json.loads(evaluation.read_text())["psnr"]})
    return runs


def plot(runs: list[dict], out: Path, smooth: int = 5) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    presets = sorted({r["preset"] for r in runs})
    fig, axes = plt.subplots(1, len(presets), figsize=(5.5 * len(presets), 4.2), squeeze=False)
    colors = {"on": "tab:blue", "off": "tab:red"}
    for ax, preset in zip(axes[0], presets):
        longest: dict[str, int] = {}
        for r in sorted((r for r in runs if r["preset"] == preset), key=lambda r: (r["shortcuts"], -r["steps"][-1])):
            # a running mean over `smooth` log records: each record is one logging interval's mean
            l1 = [sum(r["l1"][max(0, i - smooth + 1):i + 1]) / len(r["l1"][max(0, i - smooth + 1):i + 1])
                  for i in range(len(r["l1"]))]
            repeat = longest.setdefault(r["shortcuts"], r["steps"][-1]) != r["steps"][-1]  # a shorter twin
            ax.plot(r["steps"], l1, ":" if repeat else "-", color=colors[r["shortcuts"]], lw=1.2 if repeat else 1.6,
                    alpha=0.6 if repeat else 1.0,
                    label=f"shortcuts {r['shortcuts']}, {r['steps'][-1]} steps: {r['psnr']:.2f} dB held out")
        ax.set(title=preset, xlabel="step", ylabel="training L1 (running mean)", yscale="log")
        ax.grid(alpha=0.3, which="both")
        ax.legend(fontsize=8)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("runs_dirs", nargs="+", type=Path, help="RUNS_DIRs of scripts/ablation_residual.sh")
    parser.add_argument("-o", "--out", type=Path, required=True, help="PNG to write")
    parser.add_argument("--smooth", type=int, default=5, help="running mean over this many log records (default 5)")
    args = parser.parse_args(argv)
    runs = find_runs(args.runs_dirs)
    if not runs:
        parser.error("no evaluated runs (NAME-shortcuts-on|off/log.jsonl with eval-NAME.json beside) in "
                     + ", ".join(map(str, args.runs_dirs)))
    plot(runs, args.out, args.smooth)
    print(f"wrote {args.out} ({len(runs)} runs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
