"""Trained weights -> serving artifacts: ONNX graphs and a Triton model repository.

    wrappers.py       one nn.Module per served network, with the exact serving signature and I/O names
    spec.py           TensorSpec, and an ONNX file's inputs/outputs as specs (torch-free)
    to_onnx.py        the dynamo exporter with dynamic axes, opset 18, and a parity check helper
    precision.py      fp16 variants that keep norms, attention and timestep embeddings in fp32
    triton_config.py  config.pbtxt rendered from an ONNX file's own inputs and outputs, and the check
    repository.py     the `model_repository/` layout (GPU: onnxruntime + TensorRT; CPU: python backend)
    backends/         the python-backend model files copied into a repository
    triton_env.py     the Triton server's own virtual environment, and a launcher for tests
    cli.py            `dcae export`
    tensorrt/         trtexec engine builds from the exported ONNX files
    gpu_check.py      what the GPU-only parts do on a CUDA machine (results in README.md)

The serving contract (names, dtypes, shapes) is documented in `export/README.md`.
"""
