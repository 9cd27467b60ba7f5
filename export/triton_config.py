"""Triton `config.pbtxt`, rendered from an ONNX file's own inputs and outputs (so names, dtypes and
dims cannot drift from the graph), and the check that reads a config back and compares it.

Batched models (max_batch_size > 0) leave the batch axis out of `dims`. A per-item scalar (ONNX shape
(N,), e.g. `timestep`) is `dims: [ 1 ]` with `reshape { shape: [ ] }`: clients send (N, 1), the
model sees (N,). Metadata the gateway needs travels in each config as
`parameters { key: "dcae" value { string_value: "<JSON>" } }`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from dcae.contract.metadata import METADATA_KEY, RepositoryMetadata, metadata_parameter, parse_metadata, pbtxt_quote
from export.spec import TensorSpec, value_specs

TRITON_DTYPES = {"float32": "TYPE_FP32", "float16": "TYPE_FP16", "int64": "TYPE_INT64", "int32": "TYPE_INT32",
                 "bool": "TYPE_BOOL", "uint8": "TYPE_UINT8", "bytes": "TYPE_STRING"}


@dataclass(frozen=True)
class TritonTensor:
    name: str
    data_type: str  # TYPE_FP32 ...
    dims: tuple[int, ...]  # without the batch axis when batched; -1 = dynamic
    reshape: tuple[int, ...] | None = None
    optional: bool = False


@dataclass
class ModelConfig:
    """What one config.pbtxt says. `backend` is "onnxruntime", "openvino" or "python"."""

    name: str
    backend: str
    max_batch_size: int
    inputs: list[TritonTensor]
    outputs: list[TritonTensor]
    metadata: RepositoryMetadata
    instance_kind: str = "KIND_CPU"
    instance_count: int = 1
    queue_delay_us: int | None = None  # dynamic batching when set (needs max_batch_size > 0)
    warmup: dict[str, tuple[str, tuple[int, ...]]] | None = None  # input -> (data_type, dims)
    tensorrt_precision: str | None = None  # "FP16" | "FP32": ORT's TensorRT execution accelerator
    parameters: dict[str, str] = field(default_factory=dict)


def tensors_from_specs(specs: list[TensorSpec], batched: bool) -> list[TritonTensor]:
    out = []
    for s in specs:
        shape = s.shape
        if batched:
            if not shape or isinstance(shape[0], int):
                raise ValueError(f"{s.name}: a batched model needs a dynamic first axis, got {shape}")
            shape = shape[1:]
        dims = tuple(d if isinstance(d, int) else -1 for d in shape)
        reshape = None
        if batched and not dims:  # per-item scalar
            dims, reshape = (1,), ()
        out.append(TritonTensor(s.name, TRITON_DTYPES[s.dtype], dims, reshape))
    return out


def tensors_from_onnx(path: str | Path, batched: bool) -> tuple[list[TritonTensor], list[TritonTensor]]:
    inputs, outputs = value_specs(path)
    return tensors_from_specs(inputs, batched), tensors_from_specs(outputs, batched)


def _dims(d: tuple[int, ...]) -> str:
    return "[ " + ", ".join(str(x) for x in d) + " ]" if d else "[ ]"


def _tensor(t: TritonTensor) -> str:
    parts = [f"name: {pbtxt_quote(t.name)}", f"data_type: {t.data_type}", f"dims: {_dims(t.dims)}"]
    if t.reshape is not None:
        parts.append(f"reshape {{ shape: {_dims(t.reshape)} }}")
    if t.optional:
        parts.append("optional: true")
    return "  {\n    " + "\n    ".join(parts) + "\n  }"


def render(cfg: ModelConfig) -> str:
    lines = [f"name: {pbtxt_quote(cfg.name)}", f"backend: {pbtxt_quote(cfg.backend)}",
             f"max_batch_size: {cfg.max_batch_size}"]
    if cfg.backend in ("onnxruntime", "openvino"):
        lines.append('default_model_filename: "model.onnx"')
    lines.append("input [\n" + ",\n".join(_tensor(t) for t in cfg.inputs) + "\n]")
    lines.append("output [\n" + ",\n".join(_tensor(t) for t in cfg.outputs) + "\n]")
    lines.append(f"instance_group [ {{ kind: {cfg.instance_kind} count: {cfg.instance_count} }} ]")
    if cfg.queue_delay_us is not None:
        lines.append(f"dynamic_batching {{ max_queue_delay_microseconds: {cfg.queue_delay_us} }}")
    if cfg.tensorrt_precision:
        trt = {"precision_mode": cfg.tensorrt_precision, "max_workspace_size_bytes": str(8 << 30),
               "trt_engine_cache_enable": "1", "trt_engine_cache_path": f"/tmp/dcae_trt_cache/{cfg.name}"}
        params = "\n".join(f"        parameters {{ key: {pbtxt_quote(k)} value: {pbtxt_quote(v)} }}"
                           for k, v in trt.items())
        lines.append("optimization { execution_accelerators {\n  gpu_execution_accelerator : [ {\n"
                     '        name : "tensorrt"\n' + params + "\n  } ]\n} }")
    if cfg.warmup:
        inputs = []
        for name, (data_type, dims) in cfg.warmup.items():
            data = "random_data: true" if data_type in ("TYPE_FP32", "TYPE_FP16") else "zero_data: true"
            inputs.append(f"    inputs {{ key: {pbtxt_quote(name)} value {{ data_type: {data_type} "
                          f"dims: {_dims(dims)} {data} }} }}")
        batch = 1 if cfg.max_batch_size > 0 else 0
        lines.append("model_warmup [ {\n    name: \"warmup\"\n    batch_size: " + str(batch) + "\n"
                     + "\n".join(inputs) + "\n} ]")
    lines.append(metadata_parameter(cfg.metadata))
    for k, v in cfg.parameters.items():
        lines.append(f"parameters {{ key: {pbtxt_quote(k)} value {{ string_value: {pbtxt_quote(v)} }} }}")
    return "\n".join(lines) + "\n"


def write(cfg: ModelConfig, model_dir: str | Path) -> Path:
    path = Path(model_dir) / "config.pbtxt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(cfg))
    return path


# ----------------------------------------------------------------------------------------------
# Reading back and checking. Parsing needs tritonclient's protobuf classes (what Triton itself
# parses); where the running environment lacks them, the Triton environment (.venv-triton) parses.


def parse(path: str | Path):
    """config.pbtxt -> tritonclient's ModelConfig protobuf."""
    from google.protobuf import text_format
    from tritonclient.grpc import model_config_pb2

    return text_format.Parse(Path(path).read_text(), model_config_pb2.ModelConfig())


def summary(path: str | Path) -> dict:
    """The parts of a parsed config.pbtxt that the checks compare, as plain JSON-able data."""
    from tritonclient.grpc import model_config_pb2

    cfg = parse(path)
    dtype = model_config_pb2.DataType.Name

    def tensors(ts) -> list[dict]:
        return [{"name": t.name, "data_type": dtype(t.data_type), "dims": list(t.dims),
                 "reshape": list(t.reshape.shape) if t.HasField("reshape") else None,
                 "optional": bool(getattr(t, "optional", False))} for t in ts]

    return {
        "name": cfg.name, "backend": cfg.backend, "platform": cfg.platform, "max_batch_size": cfg.max_batch_size,
        "default_model_filename": cfg.default_model_filename,
        "input": tensors(cfg.input), "output": tensors(cfg.output),
        "parameters": {k: v.string_value for k, v in cfg.parameters.items()},
        "warmup": [{k: {"data_type": dtype(t.data_type), "dims": list(t.dims)} for k, t in w.inputs.items()}
                   for w in cfg.model_warmup],
        "dynamic_batching": cfg.HasField("dynamic_batching"),
        "instance_kinds": [model_config_pb2.ModelInstanceGroup.Kind.Name(g.kind) for g in cfg.instance_group],
    }


def summaries(repo: str | Path, python: str | Path | None = None) -> dict[str, dict]:
    """{model: summary} for every `<repo>/<model>/config.pbtxt`; parsed here, or by `python` (an
    interpreter that has tritonclient, e.g. .venv-triton/bin/python) when given."""
    if python is not None:
        import subprocess

        root = str(Path(__file__).resolve().parent.parent)
        out = subprocess.run([str(python), "-m", "export.triton_config", str(repo)], cwd=root, check=True,
                             capture_output=True, text=True, timeout=120)
        return json.loads(out.stdout)
    return {d.name: summary(d / "config.pbtxt") for d in sorted(Path(repo).iterdir()) if (d / "config.pbtxt").is_file()}


def check_model(model_dir: str | Path, config: dict) -> list[str]:
    """Problems (empty when none) between a config summary and `<model_dir>/1/model.onnx`."""
    model_dir = Path(model_dir)
    onnx_path = model_dir / "1" / "model.onnx"
    problems = []
    if config["name"] != model_dir.name:
        problems.append(f"name {config['name']!r} is not the directory name {model_dir.name!r}")
    if METADATA_KEY not in config["parameters"]:
        problems.append(f"no {METADATA_KEY!r} parameter")
    else:
        try:
            parse_metadata(config["parameters"][METADATA_KEY])
        except ValueError as e:  # JSON or fields
            problems.append(f"the {METADATA_KEY!r} parameter: {e}")
    if not onnx_path.is_file():
        return problems + [f"{onnx_path} is missing"]
    want_in, want_out = tensors_from_onnx(onnx_path, batched=config["max_batch_size"] > 0)
    for kind, want, got in (("input", want_in, config["input"]), ("output", want_out, config["output"])):
        got_names = [t["name"] for t in got]
        if got_names != [t.name for t in want]:
            problems.append(f"{kind} names {got_names} != ONNX {[t.name for t in want]}")
            continue
        for w, g in zip(want, got):
            if g["data_type"] != w.data_type:
                problems.append(f"{kind} {w.name}: {g['data_type']} != ONNX {w.data_type}")
            if tuple(g["dims"]) != w.dims:
                problems.append(f"{kind} {w.name}: dims {g['dims']} != ONNX {list(w.dims)}")
            want_reshape = None if w.reshape is None else list(w.reshape)
            if g["reshape"] != want_reshape:
                problems.append(f"{kind} {w.name}: reshape {g['reshape']} != ONNX {want_reshape}")
    for warm in config["warmup"]:
        for name, t in warm.items():
            spec = next((w for w in want_in if w.name == name), None)
            if spec is None:
                problems.append(f"warmup input {name!r} is not an ONNX input")
            elif t["data_type"] != spec.data_type or len(t["dims"]) != len(spec.dims) or any(
                    s not in (-1, d) for s, d in zip(spec.dims, t["dims"])):
                problems.append(f"warmup input {name}: {t['data_type']} {t['dims']} does not fit "
                                f"{spec.data_type} {list(spec.dims)}")
    return problems


def read_metadata(config: dict) -> RepositoryMetadata:
    """Our metadata from a config summary (`summaries`) or Triton's model config JSON."""
    return parse_metadata(config["parameters"][METADATA_KEY])


if __name__ == "__main__":  # python -m export.triton_config REPO: the summaries as JSON
    import sys

    print(json.dumps(summaries(sys.argv[1])))
