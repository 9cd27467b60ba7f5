#!/usr/bin/env bash
# Build TensorRT engines from a model repository that `dcae export` wrote (GPU variant).
#
#   export/tensorrt/build_engines.sh [REPO] [OUT]     (defaults: model_repository build/tensorrt)
#
# For each REPO/<model>/1/model.onnx beside a REPO/<model>/trtexec_shapes.txt (written by the export
# from the wrapper's min/opt/max profile, so the shapes cannot drift from the graph), runs
#   trtexec --onnx=... --stronglyTyped --minShapes=... --optShapes=... --maxShapes=... --saveEngine=OUT/<model>.plan
# TensorRT 10+ builds strongly typed networks: every layer's precision is the ONNX file's, so an
# fp16 engine comes from the fp16 export (`dcae export --fp16`: fp16 with norms, attention and the
# timestep embedding in fp32), not from a --fp16 flag. Needs a GPU and TensorRT 10+ (`trtexec` on
# PATH, e.g. in NVIDIA's TensorRT or Triton containers); nothing in CI runs this.
set -euo pipefail

REPO=${1:-model_repository}
OUT=${2:-build/tensorrt}
TRTEXEC=${TRTEXEC:-trtexec}

if ! command -v "$TRTEXEC" >/dev/null 2>&1; then
    echo "error: $TRTEXEC not found; run this where TensorRT 10+ is installed (set TRTEXEC=/path/to/trtexec)" >&2
    exit 2
fi
mkdir -p "$OUT"
built=0
for dir in "$REPO"/*/; do
    model=$(basename "$dir")
    onnx="$dir/1/model.onnx"
    shapes="$dir/trtexec_shapes.txt"
    [[ -f "$onnx" && -f "$shapes" ]] || continue
    echo "== $model"
    # shellcheck disable=SC2046  # the file holds the three shape flags, split on purpose
    "$TRTEXEC" --onnx="$onnx" --stronglyTyped $(cat "$shapes") \
        --saveEngine="$OUT/$model.plan" --timingCacheFile="$OUT/timing.cache" \
        --skipInference 2>&1 | tee "$OUT/$model.log" | grep -E "Engine built|error|Error|FAILED|PASSED" || true
    [[ -s "$OUT/$model.plan" ]] || { echo "error: no engine for $model (see $OUT/$model.log)" >&2; exit 1; }
    built=$((built + 1))
done
if [[ $built -eq 0 ]]; then
    echo "error: no model with 1/model.onnx and trtexec_shapes.txt under $REPO" >&2
    exit 1
fi
echo "built $built engine(s) in $OUT"
