#!/usr/bin/env bash
# The residual-autoencoding ablation (paper Sec. 3.2): the same f32 and f64 models trained with and
# without the space-to-channel shortcuts, same data, steps and seed, then evaluated on held-out images.
#   scripts/ablation_residual.sh DATA_DIR EVAL_DIR RUNS_DIR
# Defaults are the tiny presets at 128 px so that it runs on a CPU in minutes; on a GPU use
# PRESET_F32=dc-ae-f32c32-small PRESET_F64=dc-ae-f64c128-small RES=256 STEPS=5000.
# ONLY="f64c128-small-shortcuts-off ..." trains and evaluates just those runs (the table still lists
# every evaluation found in RUNS_DIR), to complete an ablation that was cut short.
# PARALLEL=1 runs them side by side (on one GPU the small presets leave it mostly idle); TIME_LIMIT=S
# stops each training after S seconds even if STEPS is not reached (the table says how many ran).
set -euo pipefail
DATA=${1:-data/wallpapers/train}
EVAL=${2:-data/wallpapers/eval}
RUNS=${3:-runs/ablation}
PRESET_F32=${PRESET_F32:-dc-ae-f32c32-tiny}
PRESET_F64=${PRESET_F64:-dc-ae-f64c128-tiny}
RES=${RES:-128}; STEPS=${STEPS:-300}; BATCH=${BATCH:-8}; LR=${LR:-1e-3}; EVAL_RES=${EVAL_RES:-256}
PY=${PY:-python3}
mkdir -p "$RUNS"
run_one() {  # run_one PRESET on|off NAME
  local name=$3 flag=()
  [ "$2" = off ] && flag=(--no-shortcuts)
  [ -n "${TIME_LIMIT:-}" ] && flag+=(--time-limit "$TIME_LIMIT")
  echo "[$(date +%T)] $name"
  $PY -m dcae.cli train-ae --phase 1 --preset "$1" "${flag[@]}" --data "$DATA" --run-dir "$RUNS/$name" \
    --resolution "$RES" --batch-size "$BATCH" --lr "$LR" --warmup 30 --steps "$STEPS" --ema-decay 0.99 \
    --no-progress --sample-every 0 --checkpoint-every 100000 --scaling-crops 0 --json > "$RUNS/$name.json"
  $PY -m dcae.cli eval-ae --model "$RUNS/$name/model" --images "$EVAL" --resolution "$EVAL_RES" --json \
    > "$RUNS/eval-$name.json"
  echo "[$(date +%T)] $name evaluated"
}
pids=()
for preset in "$PRESET_F32" "$PRESET_F64"; do
  for shortcuts in on off; do
    name="${preset#dc-ae-}-shortcuts-$shortcuts"
    [ -n "${ONLY:-}" ] && [[ " $ONLY " != *" $name "* ]] && continue
    if [ "${PARALLEL:-0}" = 1 ]; then run_one "$preset" "$shortcuts" "$name" & pids+=($!); else run_one "$preset" "$shortcuts" "$name"; fi
  done
done
for pid in "${pids[@]}"; do wait "$pid"; done
$PY - "$RUNS" <<'PY'
import json, sys
from pathlib import Path
runs = Path(sys.argv[1])
print("| model | shortcuts | steps | PSNR | SSIM |")
print("|---|---|---|---|---|")
for f in sorted(runs.glob("eval-*.json")):
    e = json.loads(f.read_text()); name = f.stem[5:]
    text = (runs / f"{name}.json").read_text()  # the phase's unit table, then the JSON summary
    t = json.loads(text[text.rindex("\n{") + 1:])
    print(f"| {name.rsplit('-shortcuts-', 1)[0]} | {name.rsplit('-', 1)[1]} | {t['steps']} | {e['psnr']:.2f} | {e['ssim']:.3f} |")
PY
