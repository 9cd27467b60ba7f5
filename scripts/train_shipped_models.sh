#!/usr/bin/env bash
# Train the shipped models in one run on one GPU:
#   1. dc-ae-f32c32-small through the three phases of decoupled high-resolution adaptation
#      (256 px full training -> 512 px latent adaptation -> 256 px head refinement with PatchGAN),
#      then, with REFINE_SECONDS > 0, the whole decoder but project_in refined on L1 (encoder frozen);
#   2. the adaptation claim: the phase-1 and phase-2 models evaluated at 1024 px;
#   3. DiT-mini/1, text-conditioned, on 512-px crops encoded by the model of step 1 (the evaluations
#      of step 2 run beside it).
# Each stage has a wall-clock budget (the models' cards record the steps it reached).
#
#   scripts/train_shipped_models.sh DATA_DIR RUNS_DIR [EXPORT_DIR]
# DATA_DIR holds train/, eval/, captions.json and text.safetensors (scripts/prepare_gpu_data.py).
# EXPORT_DIR, when given, receives each finished model at once (split in parts under 16 MiB), and
# logs.tar.gz (results and logs, no weights) after the autoencoder's evaluation and at the end.
set -euo pipefail
DATA=${1:-data/gpu}
RUNS=${2:-runs/shipped}
EXPORT=${3:-}
[ -n "$EXPORT" ] && mkdir -p "$EXPORT" && EXPORT=$(cd "$EXPORT" && pwd)  # absolute: ship_logs changes directory
AE_PRESET=${AE_PRESET:-dc-ae-f32c32-small}
# AE_INIT=DIR starts phase 1 from a trained model (e.g. weights/dc-ae-f32c32-small) instead of random
# AE_PRESET weights: a GPU allowance too short for the whole training continues the last one's.
AE_INIT=${AE_INIT:-}
DIT_PRESET=${DIT_PRESET:-DiT-mini/1}
RES_LO=${RES_LO:-256}; RES_HI=${RES_HI:-512}; RES_EVAL=${RES_EVAL:-1024}; RES_DIT=${RES_DIT:-512}
BATCH_LO=${BATCH_LO:-32}; BATCH_HI=${BATCH_HI:-16}; BATCH_DIT=${BATCH_DIT:-128}
P1_SECONDS=${P1_SECONDS:-75}; P2_SECONDS=${P2_SECONDS:-20}; P3_SECONDS=${P3_SECONDS:-15}; DIT_SECONDS=${DIT_SECONDS:-45}
REFINE_SECONDS=${REFINE_SECONDS:-0}
SCALING_CROPS=${SCALING_CROPS:-256}
WORKERS=${WORKERS:-14}
# Phase-1 lr: 36-s runs on an H200 (batch 32, 256 px) reached held-out PSNR 21.1 / 21.7 / 22.0 dB
# at lr 4e-4 / 1e-4 / 3e-5, and 22.4 dB at 1e-4 with L1 alone (scripts/lr_sweep.py; docs/training/lr-sweep-h200.json).
LR_P1=${LR_P1:-1e-4}; LR_P2=${LR_P2:-5e-5}; LR_P3=${LR_P3:-5e-5}; LR_REFINE=${LR_REFINE:-1e-4}
WARMUP=${WARMUP:-200}            # lr warm-up steps of each autoencoder phase
# LR_DECAY=cosine decays each autoencoder phase's lr to 0.1x by the end of its time budget (or of
# P1_STEPS etc., if reached first). The refinement always decays by cosine.
# PERCEPTUAL_WEIGHT (default 1) weighs the perceptual term of every phase; 0 trains for PSNR (L1 only).
LR_DECAY=${LR_DECAY:-constant}
PERCEPTUAL_WEIGHT=${PERCEPTUAL_WEIGHT:-1}
P1_STEPS=${P1_STEPS:-1000000}; P2_STEPS=${P2_STEPS:-1000000}; P3_STEPS=${P3_STEPS:-1000000}
DATA_ON_DEVICE=${DATA_ON_DEVICE:-1}  # 1: crops cut on the GPU from the corpus held in its memory
DEVICE=${DEVICE:-cuda}
PY=${PY:-python3}
DCAE="$PY -m dcae.cli"
mkdir -p "$RUNS"
log() { echo "[$(date +%T)] $*" | tee -a "$RUNS/stages.log"; }
ship() {  # ship DIR NAME: a tar of the model directory, in parts small enough to travel
  [ -n "$EXPORT" ] || return 0
  tar -C "$(dirname "$1")" -cf - "$(basename "$1")" | split -b 15900K -d - "$EXPORT/$2.tar.part"
}
ship_logs() {  # what a model card needs, small: results, logs, metrics, reconstruction grids (no weights)
  [ -n "$EXPORT" ] || return 0
  (cd "$RUNS" && find . -type f -size -3M \( -name '*.json' -o -name '*.jsonl' -o -name '*.log' -o -name '*.png' \) \
     -not -path './ship/*' -print0 | tar --null -T - -czf "$EXPORT/logs.tar.gz")
}
COMMON=(--num-workers "$WORKERS" --no-progress --log-every 50 --checkpoint-every 100000 --sample-every 0
        --device "$DEVICE" --scaling-crops "$SCALING_CROPS" --warmup "$WARMUP" --lr-decay "$LR_DECAY"
        --perceptual-weight "$PERCEPTUAL_WEIGHT")
[ "$DATA_ON_DEVICE" = 1 ] && COMMON+=(--data-on-device)
[ "${CHANNELS_LAST:-1}" = 1 ] && COMMON+=(--channels-last)  # NHWC convolutions (tensor cores prefer them)

log "phase 1"
START=(--preset "$AE_PRESET"); [ -n "$AE_INIT" ] && START=(--init "$AE_INIT")
$DCAE train-ae --phase 1 "${START[@]}" --data "$DATA/train" --run-dir "$RUNS/ae-p1" \
  --resolution "$RES_LO" --batch-size "$BATCH_LO" --lr "$LR_P1" --steps "$P1_STEPS" --time-limit "$P1_SECONDS" "${COMMON[@]}" --json \
  > "$RUNS/ae-p1.json"
log "phase 2"
$DCAE train-ae --phase 2 --init "$RUNS/ae-p1/model" --data "$DATA/train" --run-dir "$RUNS/ae-p2" \
  --resolution "$RES_HI" --batch-size "$BATCH_HI" --lr "$LR_P2" --steps "$P2_STEPS" --time-limit "$P2_SECONDS" "${COMMON[@]}" --json \
  > "$RUNS/ae-p2.json"
log "phase 3"
FINAL="$RUNS/dc-ae-f32c32-small"
P3_OUT=$FINAL; [ "$REFINE_SECONDS" != 0 ] && P3_OUT="$RUNS/ae-p3/model"
$DCAE train-ae --phase 3 --init "$RUNS/ae-p2/model" --data "$DATA/train" --run-dir "$RUNS/ae-p3" \
  --out "$P3_OUT" --resolution "$RES_LO" --batch-size "$BATCH_LO" --lr "$LR_P3" \
  --steps "$P3_STEPS" --time-limit "$P3_SECONDS" "${COMMON[@]}" --json > "$RUNS/ae-p3.json"
if [ "$REFINE_SECONDS" != 0 ]; then
  log "decoder refinement"
  $DCAE train-ae --phase 3 --init "$P3_OUT" --data "$DATA/train" --run-dir "$RUNS/ae-refine" --out "$FINAL" \
    --head-stages 6 --perceptual none --disc-weight 0 --resolution "$RES_LO" --batch-size "$BATCH_LO" \
    --lr "$LR_REFINE" --steps 1000000 --time-limit "$REFINE_SECONDS" "${COMMON[@]}" --warmup 20 --lr-decay cosine \
    --json > "$RUNS/ae-refine.json"
fi
$DCAE convert "$FINAL" "$RUNS/ship/dc-ae-f32c32-small" --dtype float16 > /dev/null
ship "$RUNS/ship/dc-ae-f32c32-small" autoencoder
ship_logs  # the training logs so far, in case a later stage fails

evaluate() {
  log "adaptation: phase 1 vs phase 2 at $RES_EVAL px; every stage at $RES_LO px"
  for m in ae-p1 ae-p2; do
    $DCAE eval-ae --model "$RUNS/$m/model" --images "$DATA/eval" --resolution "$RES_EVAL" --device "$DEVICE" \
      --json > "$RUNS/eval-$m-$RES_EVAL.json"
  done
  for m in ae-p1/model ae-p2/model ae-p3/model dc-ae-f32c32-small; do
    [ -d "$RUNS/$m" ] || continue
    $DCAE eval-ae --model "$RUNS/$m" --images "$DATA/eval" --resolution "$RES_LO" --device "$DEVICE" \
      --json > "$RUNS/eval-$(echo "$m" | cut -d/ -f1)-$RES_LO.json"
  done
  log "evaluations done"
}
evaluate &  # beside the DiT: both are small next to the GPU
EVAL_PID=$!

log "DiT"
mkdir -p "$RUNS/dit-mini-wallpapers/run"
cp "$DATA/text.safetensors" "$RUNS/dit-mini-wallpapers/run/text.safetensors"
$DCAE train-dit --autoencoder "$RUNS/dc-ae-f32c32-small" --data "$DATA/train" --captions "$DATA/captions.json" \
  --out "$RUNS/dit-mini-wallpapers" --preset "$DIT_PRESET" --resolution "$RES_DIT" --batch-size "$BATCH_DIT" --views 32 \
  --lr 3e-4 --steps 1000000 --time-limit "$DIT_SECONDS" --sample-every 0 --checkpoint-every 100000 \
  --device "$DEVICE" --adherence-samples 0 --json > "$RUNS/dit.json"
if [ -n "$EXPORT" ]; then  # the generator without its run state (its logs and samples go in logs.tar.gz)
  tar -C "$RUNS" --exclude run -cf - dit-mini-wallpapers \
    | split -b 15900K -d - "$EXPORT/generator.tar.part"
fi
wait "$EVAL_PID" || log "evaluations failed"
log "done"
ship_logs
