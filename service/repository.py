"""What the gateway knows about the models: read from the model repository's config.pbtxt files (the
`dcae` parameter holds the export's metadata, `dcae.contract.metadata`), never from Python imports of
the ML code."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dcae.contract.metadata import AutoencoderInfo, GeneratorInfo, RepositoryMetadata, graph_path, read_metadata


@dataclass(frozen=True)
class ModelRepository:
    root: Path
    metadata: RepositoryMetadata  # the export's: autoencoder, generator, text encoder, networks

    @property
    def autoencoder(self) -> AutoencoderInfo:
        return self.metadata.autoencoder

    @property
    def generator(self) -> GeneratorInfo | None:
        return self.metadata.generator

    @property
    def networks(self) -> list[str]:
        return [n for n in self.metadata.networks if n != "generate"]

    def onnx_path(self, model: str, precision: str = "float32") -> Path:
        """The graph to run for `model`: the int8 one when asked for and exported (encoder, decoder)."""
        return graph_path(self.root, self.metadata, model, precision)

    def tokenizer_path(self) -> Path | None:
        for model in ("text_encoder", "generate"):
            path = self.root / model / "1" / "tokenizer.json"
            if path.is_file():
                return path
        return None


def load_repository(root: str | Path) -> ModelRepository:
    root = Path(root)
    config_path = root / "encoder" / "config.pbtxt"
    if not config_path.is_file():
        raise FileNotFoundError(f"no model repository at {root} (missing encoder/config.pbtxt); "
                                "create it with `make model-repository` or `dcae export`")
    return ModelRepository(root, read_metadata(config_path.read_text(), str(config_path)))
