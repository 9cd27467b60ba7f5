"""Tensor specifications, and reading them back from an ONNX file. Torch-free: the Triton side and
the checks import this without the ML stack (onnx is imported only to read a file)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# onnx.TensorProto data types -> numpy dtype names
ONNX_DTYPES = {1: "float32", 10: "float16", 16: "bfloat16", 7: "int64", 6: "int32", 9: "bool", 2: "uint8"}


@dataclass(frozen=True)
class TensorSpec:
    name: str
    dtype: str  # numpy dtype name: float32, int64, bool
    shape: tuple[int | str, ...]  # ints are fixed, strings name a dynamic axis


def value_specs(path: str | Path) -> tuple[list[TensorSpec], list[TensorSpec]]:
    """(inputs, outputs) of an ONNX file as TensorSpecs: fixed dims as ints, dynamic ones as their
    symbolic names (or "?"). Reads the graph only, not external weights."""
    import onnx

    model = onnx.load(str(path), load_external_data=False)

    def spec(v) -> TensorSpec:
        t = v.type.tensor_type
        dims = tuple(d.dim_value if d.HasField("dim_value") else (d.dim_param or "?") for d in t.shape.dim)
        return TensorSpec(v.name, ONNX_DTYPES.get(t.elem_type, f"onnx:{t.elem_type}"), dims)

    return [spec(v) for v in model.graph.input], [spec(v) for v in model.graph.output]
