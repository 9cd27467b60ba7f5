"""Wrapper -> ONNX file with the torch.export-based (dynamo) exporter, then a check that the file's
inputs and outputs are exactly the wrapper's `TensorSpec`s."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import torch

from export.spec import TensorSpec, value_specs
from export.wrappers import ExportWrapper

OPSET = 18
# Protobuf caps one file at 2 GiB; larger graphs (DiT-XL in fp32, 2.7 GB) keep weights beside it.
EXTERNAL_DATA_BYTES = 1_500_000_000


class ExportError(RuntimeError):
    """An exported graph does not have the serving signature its wrapper declares."""


def parameter_bytes(module: torch.nn.Module) -> int:
    return sum(t.numel() * t.element_size() for t in (*module.parameters(), *module.buffers()))


def export_onnx(wrapper: ExportWrapper, path: str | Path) -> Path:
    """Export `wrapper` (in eval mode, no grad) to `path` with its names and dynamic axes."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wrapper = wrapper.eval()
    logging.getLogger("torch.onnx").setLevel(logging.ERROR)
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the exporter's notes on torchvision ops and deprecations
        program = torch.onnx.export(
            wrapper, wrapper.example_inputs(), dynamo=True, opset_version=OPSET, verbose=False,
            input_names=[s.name for s in wrapper.inputs], output_names=[s.name for s in wrapper.outputs],
            dynamic_shapes=wrapper.dynamic_shapes(),
        )
    external = parameter_bytes(wrapper) > EXTERNAL_DATA_BYTES
    for stale in (path, path.with_name(path.name + ".data")):
        stale.unlink(missing_ok=True)
    program.save(str(path), external_data=external)
    check_signature(path, wrapper.inputs, wrapper.outputs)
    return path


def check_signature(path: str | Path, inputs: tuple[TensorSpec, ...], outputs: tuple[TensorSpec, ...]) -> None:
    """Fail unless the file's inputs and outputs have the declared names, dtypes and ranks, with the
    declared fixed dims fixed and the declared dynamic dims dynamic."""
    got_in, got_out = value_specs(path)
    problems = []
    for kind, want, got in (("input", inputs, got_in), ("output", outputs, got_out)):
        if [s.name for s in want] != [s.name for s in got]:
            problems.append(f"{kind} names {[s.name for s in got]} != {[s.name for s in want]}")
            continue
        for w, g in zip(want, got):
            if w.dtype != g.dtype:
                problems.append(f"{kind} {w.name}: dtype {g.dtype} != {w.dtype}")
            if len(w.shape) != len(g.shape):
                problems.append(f"{kind} {w.name}: rank {len(g.shape)} != {len(w.shape)}")
                continue
            for axis, (wd, gd) in enumerate(zip(w.shape, g.shape)):
                if isinstance(wd, int) != isinstance(gd, int) or (isinstance(wd, int) and wd != gd):
                    problems.append(f"{kind} {w.name} axis {axis}: {gd} != {wd}")
    if problems:
        raise ExportError(f"{path}: " + "; ".join(problems))
