"""The model repository's metadata: what `dcae export` records about the models (autoencoder, generator,
text encoder, networks, precision, int8 graphs) and every reader relies on: the gateway, the
evaluation of exported graphs, Triton's generate model and the export's own reuse checks.

It travels as one JSON parameter, `dcae`, of each model's config.pbtxt: `metadata_parameter` writes it,
`read_metadata` (a config.pbtxt's text) and `parse_metadata` (the parameter's value, e.g. from Triton's
model config) read it.
"""

from __future__ import annotations

import json
from pathlib import Path

METADATA_KEY = "dcae"
FLOAT32_GRAPH = "model.onnx"


def _quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def metadata_parameter(metadata: dict) -> str:
    """The config.pbtxt line that carries `metadata` (ASCII JSON, keys sorted)."""
    return f"parameters {{ key: {_quote(METADATA_KEY)} value {{ string_value: {_quote(json.dumps(metadata, sort_keys=True))} }} }}"


def parse_metadata(value: str) -> dict:
    metadata = json.loads(value)
    missing = {"autoencoder", "networks"} - set(metadata)
    if missing:
        raise ValueError(f"the {METADATA_KEY!r} metadata lacks {sorted(missing)}; export the repository again with "
                         "`dcae export`")
    return metadata


def read_metadata(config_text: str, where: str = "config.pbtxt") -> dict:
    """The metadata of a config.pbtxt that `dcae export` rendered (its one parameter line)."""
    prefix = f"parameters {{ key: {_quote(METADATA_KEY)} value {{ string_value: "
    for line in config_text.splitlines():
        if line.startswith(prefix) and line.endswith(" } }"):
            return parse_metadata(json.loads(line[len(prefix):-len(" } }")]))  # pbtxt's \\ and \" are JSON's
    raise ValueError(f"{where} has no {METADATA_KEY!r} parameter; export the repository with `dcae export`")


def graph_path(root: Path, metadata: dict, network: str, precision: str = "float32") -> Path:
    """The ONNX graph to run for `network`: the int8 one when asked for and exported (encoder, decoder)."""
    if precision == "int8":
        int8 = metadata.get("int8")
        if not int8:
            raise ValueError(f"{root} holds no int8 graphs (DCAE_PRECISION=int8): export the repository "
                             "with `dcae export --int8`, or serve float32")
        if network in int8["networks"]:
            return Path(root) / network / "1" / int8["file"]
    elif precision != "float32":
        raise ValueError(f"unknown precision {precision!r} (float32 or int8)")
    return Path(root) / network / "1" / FLOAT32_GRAPH


def graph_precision(metadata: dict, path: Path) -> str:
    """int8 for the quantized graph files (`dcae export --int8`), else the export's precision."""
    int8 = metadata.get("int8") or {}
    return "int8" if Path(path).name == int8.get("file") else metadata.get("precision", "float32")
