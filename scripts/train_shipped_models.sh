#!/usr/bin/env bash
# Train the shipped models and the paper-claim measurements in one run on one GPU:
#   1. dc-ae-f32c32-small, the three phases of decoupled high-resolution adaptation
#      (256 px full training -> 512 px latent adaptation -> 256 px head refinement with PatchGAN);
#   2. the adaptation claim: phase-1 and phase-2 models evaluated at 1024 px;
#   3. the residual-autoencoding ablation: f32 and f64 small models, with and without shortcuts,
#      same data and steps, evaluated at 256 and 512 px;
#   4. DiT-mini/1, text-conditioned, on 512-px crops encoded by the model of step 1.
# Each stage has a wall-clock budget (the shipped models' cards record the steps reached).
#
#   scripts/train_shipped_models.sh DATA_DIR RUNS_DIR
# DATA_DIR holds train/, eval/, captions.json and text.safetensors (scripts/prepare_gpu_data.py).
set -euo pipefail
DATA=${1:-data/gpu}
RUNS=${2:-runs/shipped}
P1_SECONDS=${P1_SECONDS:-150}
P2_SECONDS=${P2_SECONDS:-35}
P3_SECONDS=${P3_SECONDS:-35}
ABLATION_STEPS=${ABLATION_STEPS:-1200}
ABLATION_SECONDS=${ABLATION_SECONDS:-30}
DIT_SECONDS=${DIT_SECONDS:-110}
WORKERS=${WORKERS:-14}
DCAE="python -m dcae.cli"
mkdir -p "$RUNS"
log() { echo "[$(date +%T)] $*" | tee -a "$RUNS/stages.log"; }

log "phase 1"
$DCAE train-ae --phase 1 --preset dc-ae-f32c32-small --data "$DATA/train" --run-dir "$RUNS/ae-p1" \
  --resolution 256 --batch-size 32 --lr 4e-4 --steps 1000000 --time-limit "$P1_SECONDS" \
  --num-workers "$WORKERS" --no-progress --log-every 100 --checkpoint-every 100000 --json > "$RUNS/ae-p1.json"
log "phase 2"
$DCAE train-ae --phase 2 --init "$RUNS/ae-p1/model" --data "$DATA/train" --run-dir "$RUNS/ae-p2" \
  --resolution 512 --batch-size 16 --lr 1e-4 --steps 1000000 --time-limit "$P2_SECONDS" \
  --num-workers "$WORKERS" --no-progress --log-every 100 --checkpoint-every 100000 --json > "$RUNS/ae-p2.json"
log "phase 3"
$DCAE train-ae --phase 3 --init "$RUNS/ae-p2/model" --data "$DATA/train" --run-dir "$RUNS/ae-p3" \
  --out "$RUNS/dc-ae-f32c32-small" --resolution 256 --batch-size 32 --lr 1e-4 --steps 1000000 \
  --time-limit "$P3_SECONDS" --num-workers "$WORKERS" --no-progress --log-every 100 \
  --checkpoint-every 100000 --json > "$RUNS/ae-p3.json"

log "adaptation: phase 1 vs phase 2 at 1024 px"
for m in ae-p1 ae-p2; do
  $DCAE eval-ae --model "$RUNS/$m/model" --images "$DATA/eval" --resolution 1024 --device cuda --json \
    > "$RUNS/eval-$m-1024.json"
done

log "DiT"
mkdir -p "$RUNS/dit-mini-wallpapers/run"
cp "$DATA/text.safetensors" "$RUNS/dit-mini-wallpapers/run/text.safetensors"
$DCAE train-dit --autoencoder "$RUNS/dc-ae-f32c32-small" --data "$DATA/train" --captions "$DATA/captions.json" \
  --out "$RUNS/dit-mini-wallpapers" --preset DiT-mini/1 --resolution 512 --batch-size 128 --lr 3e-4 \
  --steps 1000000 --time-limit "$DIT_SECONDS" --sample-every 0 --checkpoint-every 100000 \
  --adherence-samples 0 --json > "$RUNS/dit.json"

log "ablation: residual autoencoding"
for preset in dc-ae-f32c32-small dc-ae-f64c128-small; do
  for shortcuts in on off; do
    name="abl-${preset#dc-ae-}-shortcuts-$shortcuts"
    flag=""; [ "$shortcuts" = off ] && flag="--no-shortcuts"
    $DCAE train-ae --phase 1 --preset "$preset" $flag --data "$DATA/train" --run-dir "$RUNS/$name" \
      --resolution 256 --batch-size 16 --lr 4e-4 --steps "$ABLATION_STEPS" --time-limit "$ABLATION_SECONDS" \
      --num-workers "$WORKERS" --no-progress --log-every 100 --checkpoint-every 100000 --scaling-crops 0 \
      --json > "$RUNS/$name.json"
    for res in 256 512; do
      $DCAE eval-ae --model "$RUNS/$name/model" --images "$DATA/eval" --resolution $res --device cuda --json \
        > "$RUNS/eval-$name-$res.json"
    done
  done
done
log "done"
