"""The repository's ONNX graphs at the CPU's speed: which engine runs them (ONNX Runtime or OpenVINO), in
which precision, and OpenVINO's bfloat16 with float32 kept where images need it. Shared by the gateway's
embedded runtime and Triton's CPU python backend.

- `choose_engine`: `auto` picks OpenVINO in bfloat16 on CPUs with bfloat16 matrix instructions (AMX or
  AVX512-BF16) and ONNX Runtime in float32 elsewhere; ONNX Runtime's CPU provider has no bfloat16.
- `compile_openvino`: the graph compiled once, with dynamic shapes. In bfloat16, the float32 regions of
  `precision` (norms, attention cores, timestep sinusoids) keep float32 through OpenVINO's per-layer
  precision: the layers carry its `precise` runtime attribute, which the CPU plugin honours (it leaves
  them in their original precision), written into an IR copy of the graph. That copy and OpenVINO's
  compiled blobs live in a cache folder, so a restart compiles nothing.
- `openvino_call`: inputs -> outputs over a pool of infer requests, one per concurrent caller.

Torch-free; `openvino` and the ONNX nodes come in as arguments, so this package imports neither.
"""

from __future__ import annotations

import hashlib
import os
import queue
import shutil
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NamedTuple, Sequence

from .precision import FP32_MODULES, FP32_OPS, FP32_WITHIN_PREFIXES, float32_nodes

BF16_MATRIX_FLAGS = ("amx_bf16", "avx512_bf16")  # /proc/cpuinfo flags: bfloat16 dot products in hardware
ENGINES = ("auto", "onnxruntime", "openvino")
PRECISIONS = ("auto", "float32", "bfloat16", "int8")
OPENVINO_HINT = {"float32": "f32", "bfloat16": "bf16"}
# Convolutions run in bfloat16 even inside a float32 region: OpenVINO 2026.4's CPU plugin fails a float32
# Convolution in a bfloat16 graph ("Convolution node ... object is not initialized" at the first inference).
# The regions' own work (norms, attention cores, sinusoids) has none; a Conv2d child is a projection.
NEVER_FLOAT32 = frozenset({"Parameter", "Result", "Constant", "Convolution", "GroupConvolution"})
MARK = "#dcae_fp32"  # a friendly-name suffix, only between marking the layers and writing the IR
POLICY_VERSION = 3  # bump when the marking changes: cached IR copies are keyed on it


def cpu_flags(override: str = "") -> frozenset[str]:
    """The CPU's feature flags (the first `flags` line of /proc/cpuinfo; none elsewhere), or `override`
    (space- or comma-separated) when given."""
    if override.strip():
        return frozenset(override.replace(",", " ").split())
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("flags"):
                    return frozenset(line.split(":", 1)[1].split())
    except OSError:
        pass
    return frozenset()


def bf16_matrix(flags: Iterable[str]) -> bool:
    """Does this CPU multiply bfloat16 matrices in hardware (AMX tiles or AVX512-BF16 dot products)?"""
    return any(f in flags for f in BF16_MATRIX_FLAGS)


class EngineChoice(NamedTuple):
    engine: str  # "onnxruntime" or "openvino"
    precision: str  # the autoencoder's: "float32", "bfloat16" or "int8"
    float_precision: str  # every other network's (and OpenVINO's hint around an int8 graph's quantized ops)
    reason: str  # one line for the log


def choose_engine(engine: str, precision: str, flags: Iterable[str], openvino_available: bool,
                  setting: tuple[str, str] = ("DCAE_ENGINE", "DCAE_PRECISION")) -> EngineChoice:
    """Resolve the engine and precision settings on this CPU. `setting`: the names a refusal quotes.
    Raises ValueError for a combination that cannot run, naming the setting or the package."""
    engine_name, precision_name = setting
    if engine not in ENGINES:
        raise ValueError(f"{engine_name}={engine!r} is not an engine; choose one of {', '.join(ENGINES)}")
    if precision not in PRECISIONS:
        raise ValueError(f"{precision_name}={precision!r} is not a precision; choose one of {', '.join(PRECISIONS)}")
    bf16 = bf16_matrix(flags)
    if engine == "openvino" and not openvino_available:
        raise ValueError(f"{engine_name}=openvino, but the package `openvino` is not installed "
                         "(pip install -r requirements-service.txt), or choose onnxruntime")
    if engine == "auto":
        if precision in ("auto", "bfloat16", "int8") and bf16 and openvino_available:
            engine, why = "openvino", "this CPU multiplies bfloat16 matrices (" + \
                          ", ".join(f for f in BF16_MATRIX_FLAGS if f in flags) + ")"
        elif precision == "bfloat16" and not openvino_available:
            raise ValueError(f"{precision_name}=bfloat16 needs the package `openvino` (ONNX Runtime's CPU "
                             "provider has no bfloat16): pip install -r requirements-service.txt")
        else:
            engine = "openvino" if precision == "bfloat16" else "onnxruntime"
            why = ("no bfloat16 matrix instructions on this CPU" if not bf16 else
                   "the package `openvino` is not installed" if not openvino_available else
                   f"{precision_name}={precision}")
    else:
        why = f"{engine_name}={engine}"
    if precision == "bfloat16":
        if engine == "onnxruntime":
            raise ValueError(f"{precision_name}=bfloat16 with {engine_name}=onnxruntime: ONNX Runtime's CPU "
                             "provider has no bfloat16; choose openvino (or auto), or float32")
        if not bf16:
            raise ValueError(f"{precision_name}=bfloat16, but this CPU has no bfloat16 matrix instructions "
                             f"({' or '.join(BF16_MATRIX_FLAGS)}); choose float32 or int8")
    float_precision = "bfloat16" if engine == "openvino" and bf16 and precision != "float32" else "float32"
    resolved = float_precision if precision == "auto" else precision
    return EngineChoice(engine, resolved, float_precision, why)


def _file_key(path: Path) -> list:
    """What identifies a graph file and its external data without reading gigabytes: names, sizes, times."""
    files = [path, *sorted(path.parent.glob(path.name + ".data")), *sorted(path.parent.glob("*.onnx.data"))]
    return [(f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in dict.fromkeys(files) if f.is_file()]


def _policy_key() -> list:
    return [POLICY_VERSION, sorted(FP32_MODULES), list(FP32_WITHIN_PREFIXES), sorted(FP32_OPS), sorted(NEVER_FLOAT32)]


def mark_float32_layers(ov: Any, model: Any, nodes: Iterable[Any]) -> int:
    """Append `MARK` to the friendly name of every layer of the OpenVINO `model` (read from an ONNX
    file) in a float32 region of that file's `nodes`; -> how many. OpenVINO's ONNX reader names a layer
    after its node or output tensor; the layers it adds when it splits a node (a LayerNormalization's
    MVN, a Linear's MatMul before its bias) carry neither and join the region of the layer they feed.

    The CPU plugin turns an Unsqueeze or Squeeze into a Reshape, and the new layer does not inherit the
    mark: the timestep's Unsqueeze before the sinusoid then rounds t to bfloat16 (999 -> 1000). Those
    layers are written as the Reshape they become, which keeps it."""
    names, tensors = float32_nodes(nodes, "bfloat16")
    fp32: dict[Any, bool] = {}
    marked = 0
    for op in reversed(model.get_ordered_ops()):  # consumers first
        if op.get_type_name() in NEVER_FLOAT32:
            continue
        out_names = {n for out in op.outputs() for n in out.get_names()}
        if op.get_friendly_name() in names or out_names & tensors:
            keep = True
        elif out_names:
            keep = False
        else:
            consumers = [t.get_node() for out in op.outputs() for t in out.get_target_inputs()]
            keep = next((fp32[c] for c in consumers if c in fp32), False)
        if keep and op.get_type_name() in ("Unsqueeze", "Squeeze"):
            op = _as_reshape(ov, op)
        fp32[op] = keep
        if keep:
            op.set_friendly_name(op.get_friendly_name() + MARK)
            marked += 1
    return marked


def _as_reshape(ov: Any, op: Any) -> Any:
    """A Reshape in place of an Unsqueeze or Squeeze whose output has at most one dynamic dimension (the
    batch), with its name and output tensor names; other ones are left as they are."""
    shape = op.get_output_partial_shape(0)
    if shape.rank.is_dynamic or sum(d.is_dynamic for d in shape) > 1:
        return op
    target = [d.get_length() if d.is_static else -1 for d in shape]
    reshape = ov.opset13.reshape(op.input_value(0), ov.opset13.constant(target, ov.Type.i64), special_zero=False)
    reshape.set_friendly_name(op.get_friendly_name())
    names = op.output(0).get_names()
    op.output(0).replace(reshape.output(0))
    reshape.output(0).get_tensor().set_names(names)
    return reshape


def _precise_ir(xml_in: Path, xml_out: Path) -> None:
    """The IR with OpenVINO's `precise` attribute (DisablePrecisionConversion: keep the original type)
    on every layer whose name ends in MARK, and the mark taken off again."""
    tree = ET.parse(xml_in)
    for layer in tree.getroot().iter("layer"):
        name = layer.get("name", "")
        if name.endswith(MARK):
            layer.set("name", name[: -len(MARK)])
            rt_info = layer.find("rt_info")
            if rt_info is None:
                rt_info = ET.SubElement(layer, "rt_info")
            ET.SubElement(rt_info, "attribute", name="precise", version="0")
    tree.write(xml_out)


def compile_openvino(ov: Any, path: str | Path, precision: str, threads: int = 0, cache_dir: str | Path | None = None,
                     read_nodes: Callable[[], Iterable[Any]] | None = None, log: Callable[[str], None] = lambda _: None):
    """The ONNX graph at `path` compiled for this CPU in `precision` (float32 or bfloat16; an int8 graph's
    quantized ops run int8 whatever its float ops run), dynamic shapes, latency-bound. bfloat16 keeps
    the float32 regions of the nodes `read_nodes()` gives (`onnx.load(path, load_external_data=False)
    .graph.node`): an IR copy of the graph carries the marks, cached under `cache_dir/ir` with
    OpenVINO's compiled blobs in `cache_dir/blobs`. -> (compiled model, layers kept in float32 or None)."""
    path = Path(path)
    core = ov.Core()
    config: dict[str, Any] = {"INFERENCE_PRECISION_HINT": OPENVINO_HINT[precision], "PERFORMANCE_HINT": "LATENCY"}
    if threads:
        config["INFERENCE_NUM_THREADS"] = int(threads)
    cache = writable(Path(cache_dir), log) if cache_dir else None
    if cache is not None:
        config["CACHE_DIR"] = str(cache / "blobs")
    if precision != "bfloat16" or read_nodes is None:
        return core.compile_model(str(path), "CPU", config), None
    root = cache if cache is not None else Path(tempfile.mkdtemp(prefix="dcae-openvino-"))
    try:
        xml, marked = marked_ir(ov, path, root, read_nodes, log)
        return core.compile_model(str(xml), "CPU", config), marked
    finally:
        if cache is None:
            shutil.rmtree(root, ignore_errors=True)


def writable(folder: Path, log: Callable[[str], None] = lambda _: None) -> Path | None:
    """`folder`, made if need be; None (compile without a cache) when it cannot be written, as in a container
    whose root filesystem is read-only and whose user has no home: the models still load, every start compiles."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".write-{os.getpid()}"
        probe.touch()
        probe.unlink()
        return folder
    except OSError as e:
        log(f"WARNING: the engine cache {folder} cannot be written ({e.strerror}): OpenVINO compiles every graph at "
            f"each start; set DCAE_ENGINE_CACHE to a writable folder (a volume) to keep them")
        return None


def marked_ir(ov: Any, path: str | Path, root: str | Path, read_nodes: Callable[[], Iterable[Any]],
              log: Callable[[str], None] = lambda _: None) -> tuple[Path, int]:
    """(model.xml, layers kept in float32): the IR copy of the ONNX graph at `path` with its float32 regions
    marked, made once under `root/ir/<key>` (the key: the graph files' names, sizes and times, OpenVINO's
    version and this marking's rule)."""
    path, root = Path(path), Path(root)
    key = hashlib.sha256(repr([str(path.resolve()), _file_key(path), ov.__version__, _policy_key()]).encode())
    folder = root / "ir" / key.hexdigest()[:24]
    if not (folder / "model.xml").is_file():
        log(f"{path}: marking the float32 layers for bfloat16 (an IR copy in {folder})")
        model = ov.Core().read_model(str(path))
        marked = mark_float32_layers(ov, model, read_nodes())
        folder.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".tmp-", dir=folder.parent))
        ov.save_model(model, str(work / "marked.xml"), compress_to_fp16=False)
        _precise_ir(work / "marked.xml", work / "model.xml")
        (work / "marked.xml").unlink()
        (work / "marked.bin").rename(work / "model.bin")
        (work / "float32_layers.txt").write_text(f"{marked}\n")
        try:
            os.replace(work, folder)
        except OSError:  # another process wrote it first
            shutil.rmtree(work, ignore_errors=True)
    return folder / "model.xml", int((folder / "float32_layers.txt").read_text())


def port_names(ports: Any, wanted: Sequence[str] = ()) -> list[str]:
    """Each port's name as the ONNX graph calls it. OpenVINO gives a port every name its tensor had, and its
    `get_any_name()` may be another one when an output tensor also carries an inner name: the name in
    `wanted` wins."""
    wanted = set(wanted)
    return [next(iter(sorted(set(p.get_names()) & wanted)), None) or p.get_any_name() for p in ports]


def openvino_call(compiled: Any, outputs: Sequence[str] = ()) -> Callable[[dict], dict]:
    """inputs -> {output name: array} on a compiled model, from any number of threads at once: each call
    borrows an infer request from a pool (made on demand: one per concurrent caller) and the outputs
    are copied out of it before it goes back. `outputs`: the graph's output names (see `port_names`)."""
    pool: queue.SimpleQueue = queue.SimpleQueue()
    names = port_names(compiled.outputs, outputs)

    def run(inputs: dict) -> dict:
        try:
            request = pool.get_nowait()
        except queue.Empty:
            request = compiled.create_infer_request()
        try:
            result = request.infer(inputs)  # outputs copied out of the request (share_outputs=False)
            return {name: result[out] for name, out in zip(names, compiled.outputs)}
        finally:
            pool.put(request)

    return run
