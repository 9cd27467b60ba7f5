"""Reduced-precision ONNX variants for GPUs: fp16 everywhere except norms, attention and the
timestep embedding, which stay fp32 (reference Sec. 7: fp16 norms and attention overflow; a sinusoid
of t = 999 in fp16 is off by a whole radian).

TensorRT 10+ builds strongly typed networks, so the precision of every layer comes from this file.
The fp32 regions are found from the module each node came from, by the rule the CPU's bfloat16 shares
(`dcae.contract.precision`): the dynamo exporter records the class hierarchy of every node, so a node
belongs to an fp32 region when the innermost module that emitted it needs float32 (the attention *core*
of LiteMLA or DiT attention, not its qkv/proj projections, which are Conv/Linear children).

Unlike a node-by-node conversion (onnxruntime.transformers.float16 casts every blocked node's
output back to fp16), tensors flowing *inside* a region stay fp32: a linear-attention sum over
4096 tokens that exceeds 65504 never passes through fp16. Casts sit only on region borders. Graph
inputs and outputs keep their fp32 types, so the serving contract is the same for both variants.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import onnx
from onnx import helper, numpy_helper

from dcae.contract.precision import in_fp32_region
from export.to_onnx import EXTERNAL_DATA_BYTES, ExportError

FLOAT, FLOAT16 = onnx.TensorProto.FLOAT, onnx.TensorProto.FLOAT16

KEEP_FLOAT_INPUTS = {"Resize": {1, 2}}  # roi and scales are float32 whatever X is


def _fp16_tensor(t: onnx.TensorProto, name: str | None = None) -> onnx.TensorProto:
    a = numpy_helper.to_array(t).astype(np.float32)
    a = np.clip(a, -65504.0, 65504.0).astype(np.float16)
    return numpy_helper.from_array(a, name if name is not None else t.name)


def convert_to_fp16(src: str | Path, dst: str | Path,
                    keep_fp32: Callable[[onnx.NodeProto], bool | None] = in_fp32_region) -> Path:
    """Write an fp16 variant of the fp32 ONNX file `src` to `dst`. `keep_fp32(node)`: True for fp32
    nodes, False for fp16 ones, None to follow the producer of the node's first float input."""
    src, dst = Path(src), Path(dst)
    model, dtype = _load_typed(src)
    graph = model.graph
    nodes = list(graph.node)  # stable references (protobuf hands out new wrappers on each iteration)
    fp32_node = _fp32_nodes(nodes, dtype, keep_fp32)
    stored: dict[str, int] = {v.name: v.type.tensor_type.elem_type for v in graph.input}  # float tensor -> dtype held
    renamed_fp16 = _split_initializers(graph, nodes, fp32_node, stored)

    casts: dict[tuple[str, int], str] = {}
    new_nodes: list[onnx.NodeProto] = []

    def as_dtype(name: str, want: int) -> str:
        if want == FLOAT16 and name in renamed_fp16:
            return renamed_fp16[name]
        if name not in stored or stored[name] == want:
            return name
        key = (name, want)
        if key not in casts:
            casts[key] = f"{name}__to_{'fp16' if want == FLOAT16 else 'fp32'}"
            new_nodes.append(helper.make_node("Cast", [name], [casts[key]], to=want, name=casts[key] + "_cast"))
        return casts[key]

    unknown = []
    for k, node in enumerate(nodes):
        region = FLOAT if fp32_node[k] else FLOAT16
        for i, name in enumerate(node.input):
            if name and dtype.get(name) == FLOAT:
                want = FLOAT if i in KEEP_FLOAT_INPUTS.get(node.op_type, ()) else region
                node.input[i] = as_dtype(name, want)
        if region == FLOAT16:
            _retype_attributes(node)
        new_nodes.append(node)
        for name in node.output:
            if name and name not in dtype:
                unknown.append(name)
            elif dtype.get(name) == FLOAT:
                stored[name] = region
    if unknown:
        raise ExportError(f"{src}: no inferred type for {unknown[:5]}; cannot place fp16/fp32 casts")

    _outputs_in_fp32(graph, new_nodes, dtype, stored)
    del graph.node[:]
    graph.node.extend(new_nodes)
    del graph.value_info[:]
    _save(model, dst)
    onnx.checker.check_model(str(dst), full_check=True)  # type inference end to end: no dtype clash left
    return dst


def _load_typed(src: Path) -> tuple[onnx.ModelProto, dict[str, int]]:
    """The model (external weights loaded) and the element type of every tensor, inferred before any
    change (inference reads initializer dims, not their data)."""
    model = onnx.load(str(src), load_external_data=False)
    if model.functions:
        raise ExportError(f"{src}: local functions are not supported; export with the functions inlined")
    for node in model.graph.node:
        if any(a.type in (onnx.AttributeProto.GRAPH, onnx.AttributeProto.GRAPHS) for a in node.attribute):
            raise ExportError(f"{src}: node {node.name} ({node.op_type}) has a subgraph; not supported")
    inferred = onnx.shape_inference.infer_shapes(model, strict_mode=True)
    dtype = {v.name: v.type.tensor_type.elem_type
             for v in (*inferred.graph.input, *inferred.graph.output, *inferred.graph.value_info)}
    dtype.update({t.name: t.data_type for t in model.graph.initializer})
    onnx.external_data_helper.load_external_data_for_model(model, str(src.parent))
    return model, dtype


def _fp32_nodes(nodes: list[onnx.NodeProto], dtype: dict[str, int],
                keep_fp32: Callable[[onnx.NodeProto], bool | None]) -> list[bool]:
    """Per node, in topological order: stays fp32? A node `keep_fp32` leaves open (None) follows the
    producer of its first float input."""
    fp32_node: list[bool] = []
    fp32_producer: dict[str, bool] = {}
    for node in nodes:
        keep = keep_fp32(node)
        if keep is None:
            keep = next((fp32_producer[i] for i in node.input if dtype.get(i) == FLOAT and i in fp32_producer), False)
        fp32_node.append(keep)
        fp32_producer.update({o: keep for o in node.output})
    return fp32_node


def _split_initializers(graph: onnx.GraphProto, nodes: list[onnx.NodeProto], fp32_node: list[bool],
                        stored: dict[str, int]) -> dict[str, str]:
    """Float initializers: an fp16 copy for fp16 consumers, the fp32 original kept only where fp32 nodes
    read it. Records each one's stored type in `stored`; -> {name: its fp16 copy's name} for those kept
    in both."""
    initializers = {t.name: t for t in graph.initializer if t.data_type == FLOAT}
    wants: dict[str, set[int]] = {name: set() for name in initializers}
    for k, node in enumerate(nodes):
        for i, name in enumerate(node.input):
            if name in wants:
                keep = fp32_node[k] or i in KEEP_FLOAT_INPUTS.get(node.op_type, ())
                wants[name].add(FLOAT if keep else FLOAT16)
    renamed_fp16: dict[str, str] = {}
    for name, t in initializers.items():
        if wants[name] == {FLOAT16}:
            t.CopyFrom(_fp16_tensor(t))
            stored[name] = FLOAT16
        else:
            stored[name] = FLOAT
            if FLOAT16 in wants[name]:
                renamed_fp16[name] = name + "__fp16"
                graph.initializer.append(_fp16_tensor(t, renamed_fp16[name]))
    return renamed_fp16


def _outputs_in_fp32(graph: onnx.GraphProto, nodes: list[onnx.NodeProto], dtype: dict[str, int],
                     stored: dict[str, int]) -> None:
    """Graph outputs keep float32: an fp16 producer's output is renamed and cast back under the old name."""
    for out in graph.output:
        if dtype.get(out.name) == FLOAT and stored.get(out.name) == FLOAT16:
            inner = out.name + "__fp16"
            for node in nodes:
                node.output[:] = [inner if o == out.name else o for o in node.output]
                node.input[:] = [inner if i == out.name else i for i in node.input]
            nodes.append(helper.make_node("Cast", [inner], [out.name], to=FLOAT, name=out.name + "_to_fp32"))


def _retype_attributes(node: onnx.NodeProto) -> None:
    """Inside an fp16 region, ops whose float output type comes from an attribute produce fp16."""
    for attr in node.attribute:
        if node.op_type == "Cast" and attr.name == "to" and attr.i == FLOAT:
            attr.i = FLOAT16
        elif node.op_type in ("Constant", "ConstantOfShape") and attr.name == "value" and attr.t.data_type == FLOAT:
            attr.t.CopyFrom(_fp16_tensor(attr.t, attr.t.name))
        elif node.op_type == "Constant" and attr.name in ("value_float", "value_floats"):
            raise ExportError(f"node {node.name}: Constant {attr.name} in an fp16 region is not supported")


def _save(model: onnx.ModelProto, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    data = dst.with_name(dst.name + ".data")
    for stale in (dst, data):
        stale.unlink(missing_ok=True)
    size = sum(len(t.raw_data) for t in model.graph.initializer)
    if size > EXTERNAL_DATA_BYTES:
        onnx.save_model(model, str(dst), save_as_external_data=True, all_tensors_to_one_file=True, location=data.name)
    else:
        onnx.save_model(model, str(dst))


def precision_report(path: str | Path) -> dict[str, dict[str, int]]:
    """{op_type: {"float32": n, "float16": m}}: how many nodes of each op compute in which float type
    (by their first float input or output). For tests and for a person checking a variant."""
    model = onnx.shape_inference.infer_shapes(onnx.load(str(path), load_external_data=False))
    g = model.graph
    types = {v.name: v.type.tensor_type.elem_type for v in (*g.input, *g.output, *g.value_info)}
    types.update({t.name: t.data_type for t in g.initializer})
    names = {FLOAT: "float32", FLOAT16: "float16"}
    report: dict[str, dict[str, int]] = {}
    for node in g.node:
        for name in (*node.input, *node.output):
            if types.get(name) in names:
                counts = report.setdefault(node.op_type, {"float32": 0, "float16": 0})
                counts[names[types[name]]] += 1
                break
    return report
