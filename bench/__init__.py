"""Benchmarks. `python -m bench` (or `make bench`) runs the CPU suite: the autoencoder (ONNX Runtime,
our PyTorch eager, diffusers eager, same weights) and the gateway under load, writing
bench/results/cpu-*.json and docs/BENCHMARKS.md; `--quick` shrinks repeats and call limits.
`python -m bench.gpu` writes bench/results/gpu-*.json, which the report renders when present."""
