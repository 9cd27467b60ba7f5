"""What the gateway knows about the models: read from the model repository's config.pbtxt files
(the `dcae` parameter holds the export's metadata JSON), never from Python imports of the ML code."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from google.protobuf import text_format
from tritonclient.grpc import model_config_pb2

METADATA_KEY = "dcae"


@dataclass(frozen=True)
class ModelRepository:
    root: Path
    metadata: dict  # the export's metadata: autoencoder, generator, text_encoder, networks

    @property
    def autoencoder(self) -> dict:
        return self.metadata["autoencoder"]

    @property
    def generator(self) -> dict | None:
        return self.metadata.get("generator")

    @property
    def networks(self) -> list[str]:
        return [n for n in self.metadata["networks"] if n != "generate"]

    def onnx_path(self, model: str, precision: str = "float32") -> Path:
        """The graph to run for `model`: the int8 one when asked for and exported (encoder, decoder)."""
        if precision == "int8":
            int8 = self.metadata.get("int8")
            if not int8:
                raise ValueError(f"{self.root} holds no int8 graphs (DCAE_PRECISION=int8): export the repository "
                                 "with `dcae export --int8`, or serve float32")
            if model in int8["networks"]:
                return self.root / model / "1" / int8["file"]
        elif precision != "float32":
            raise ValueError(f"unknown precision {precision!r} (float32 or int8)")
        return self.root / model / "1" / "model.onnx"

    def tokenizer_path(self) -> Path | None:
        for model in ("text_encoder", "generate"):
            path = self.root / model / "1" / "tokenizer.json"
            if path.is_file():
                return path
        return None


def parse_config(path: Path) -> model_config_pb2.ModelConfig:
    return text_format.Parse(path.read_text(), model_config_pb2.ModelConfig())


def metadata_of(config: model_config_pb2.ModelConfig) -> dict:
    if METADATA_KEY not in config.parameters:
        raise ValueError(f"model {config.name!r} has no {METADATA_KEY!r} parameter; export it with `dcae export`")
    return json.loads(config.parameters[METADATA_KEY].string_value)


def load_repository(root: str | Path) -> ModelRepository:
    root = Path(root)
    config_path = root / "encoder" / "config.pbtxt"
    if not config_path.is_file():
        raise FileNotFoundError(f"no model repository at {root} (missing encoder/config.pbtxt); "
                                "create it with `make model-repository` or `dcae export`")
    return ModelRepository(root, metadata_of(parse_config(config_path)))
