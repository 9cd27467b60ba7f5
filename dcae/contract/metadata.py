"""The model repository's metadata: what `dcae export` records about the models (autoencoder, generator,
text encoder, networks, precision, int8 graphs) and every reader relies on: the gateway, the
evaluation of exported graphs, Triton's generate model and the export's own reuse checks.

It is one typed record, `RepositoryMetadata`, and travels as one JSON parameter, `dcae`, of each model's
config.pbtxt: `metadata_parameter` writes it, `read_metadata` (a config.pbtxt's text) and `parse_metadata`
(the parameter's value, e.g. from Triton's model config) read it back, refusing missing or unknown
fields with their names.
"""

from __future__ import annotations

import json
from dataclasses import MISSING, asdict, dataclass, field, fields
from pathlib import Path

METADATA_KEY = "dcae"
FLOAT32_GRAPH = "model.onnx"


@dataclass(frozen=True)
class AutoencoderInfo:
    name: str  # the preset, e.g. dc-ae-f32c32-in-1.0
    compression: int  # f: pixels per latent cell, per side
    latent_channels: int
    scaling_factor: float  # diffusion-space latent = raw latent x scaling_factor (LatentSpace)
    weights_sha256: str  # first 16 hex digits over the checkpoint's weight files
    # another checkpoint's decoder served on these latents (`dcae export --decoder`, e.g. DC-AE-Lite's):
    # {name, weights_sha256, scaling_factor}; None: the autoencoder's own
    decoder: dict | None = None


@dataclass(frozen=True)
class GeneratorInfo:
    dit: dict  # the DiT's config (DiTConfig.to_dict())
    objective: dict  # Objective's fields
    conditioning: str  # "text", "class" or "none"
    latent_shape: list[int]  # (C, h, w) of one image's latent
    image_size: int  # pixels per side
    out_channels: int
    text_len: int | None  # text: tokens per prompt
    null_class: int | None  # class: the unconditional label (= number of classes)
    null_context: str | None  # text: how the exported DiT is told "no prompt"
    class_names: str | None  # "imagenet-1k" for ImageNet generators
    default_steps: int
    default_guidance: float
    default_sampler: str
    samplers: list[str]  # those that fit the objective
    max_images: int  # per request (both guidance halves fit one DiT batch)
    weights_sha256: str
    family: str = "dit"  # "dit" (ours, the DiT-XL release), "uvit" (efficientvit's U-ViT releases) or a SANA
    #                      release's: "sana", "sana-1.5", "sana-sprint"
    max_image_size: int | None = None  # sizes other than image_size: None, none; else up to this per side,
    #                                    multiples of the autoencoder's compression (SANA)
    embedded_guidance: bool = False  # the guidance is the DiT's input `guidance` (SANA-Sprint), not CFG

    @property
    def name(self) -> str:
        return self.dit["name"]

    @property
    def num_classes(self) -> int:
        return self.dit.get("num_classes", 0)


@dataclass(frozen=True)
class TextEncoderInfo:
    name: str
    width: int
    max_length: int
    weights_sha256: str
    # None: all-MiniLM-L6-v2's tokenisation (text_tokenize); else SANA's prompt rules, SanaPrompting's fields
    # but the tokenizer's path (sana_prompt.SanaPrompting.from_metadata)
    prompting: dict | None = None


@dataclass(frozen=True)
class NetworkInfo:
    max_batch_size: int  # 0: no batch axis (the generate model)
    inputs: list[dict] = field(default_factory=list)  # export.spec.TensorSpec fields
    outputs: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class Int8Info:
    file: str  # the int8 graphs' file name beside model.onnx
    networks: list[str]
    calibration_images: int
    calibration_resolution: int
    psnr_float32: float  # the round trip on the calibration images
    psnr_int8: float
    calibration: str | None = None  # the folder calibrated on


@dataclass(frozen=True)
class RepositoryMetadata:
    format: str
    format_version: int
    variant: str  # "gpu", "cpu-python" or "cpu-openvino" (Triton's OpenVINO backend)
    precision: str  # of the model.onnx graphs: "float32" or "float16"
    int8: Int8Info | None
    autoencoder: AutoencoderInfo
    generator: GeneratorInfo | None
    text_encoder: TextEncoderInfo | None
    networks: dict[str, NetworkInfo]
    # a tiny decoder for streaming previews (`dcae export --preview-decoder`, TAESANA): {name, weights_sha256,
    # params}; its network `preview_decoder` takes diffusion-space latents
    preview_decoder: dict | None = None
    model: str | None = None  # the config.pbtxt's own model, and its role
    role: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> RepositoryMetadata:
        parts = {"autoencoder": AutoencoderInfo, "generator": GeneratorInfo, "text_encoder": TextEncoderInfo,
                 "int8": Int8Info}
        record = _fields_of(cls, data, METADATA_KEY)
        for key, part in parts.items():
            if record[key] is not None:
                record[key] = part(**_fields_of(part, record[key], f"{METADATA_KEY}.{key}"))
        record["networks"] = {name: NetworkInfo(**_fields_of(NetworkInfo, net, f"{METADATA_KEY}.networks.{name}"))
                              for name, net in record["networks"].items()}
        return cls(**record)

    def for_model(self, model: str, role: str) -> RepositoryMetadata:
        return RepositoryMetadata(**{**self.__dict__, "model": model, "role": role})


def _fields_of(cls, data: dict, where: str) -> dict:
    names = {f.name for f in fields(cls)}
    required = {f.name for f in fields(cls) if f.default is MISSING and f.default_factory is MISSING}
    missing, unknown = required - set(data), set(data) - names
    if missing or unknown:
        raise ValueError(f"the {where!r} metadata " + "; ".join(
            x for x in (f"lacks {sorted(missing)}" if missing else "", f"has unknown {sorted(unknown)}" if unknown else "")
            if x) + ": export the repository again with `dcae export`")
    return dict(data)


def pbtxt_quote(s: str) -> str:
    """A protobuf text-format string literal (what config.pbtxt files hold)."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def metadata_parameter(metadata: RepositoryMetadata) -> str:
    """The config.pbtxt line that carries `metadata` (ASCII JSON, keys sorted)."""
    value = json.dumps(metadata.to_dict(), sort_keys=True)
    return f"parameters {{ key: {pbtxt_quote(METADATA_KEY)} value {{ string_value: {pbtxt_quote(value)} }} }}"


def parse_metadata(value: str) -> RepositoryMetadata:
    return RepositoryMetadata.from_dict(json.loads(value))


def read_metadata(config_text: str, where: str = "config.pbtxt") -> RepositoryMetadata:
    """The metadata of a config.pbtxt that `dcae export` rendered (its one parameter line)."""
    prefix = f"parameters {{ key: {pbtxt_quote(METADATA_KEY)} value {{ string_value: "
    for line in config_text.splitlines():
        if line.startswith(prefix) and line.endswith(" } }"):
            return parse_metadata(json.loads(line[len(prefix):-len(" } }")]))  # pbtxt's \\ and \" are JSON's
    raise ValueError(f"{where} has no {METADATA_KEY!r} parameter; export the repository with `dcae export`")


def graph_path(root: Path, metadata: RepositoryMetadata, network: str, precision: str = "float32") -> Path:
    """The ONNX graph to run for `network`: the int8 one when asked for and exported (encoder, decoder)."""
    if precision == "int8":
        if metadata.int8 is None:
            raise ValueError(f"{root} holds no int8 graphs (DCAE_PRECISION=int8): export the repository "
                             "with `dcae export --int8`, or serve float32")
        if network in metadata.int8.networks:
            return Path(root) / network / "1" / metadata.int8.file
    elif precision != "float32":
        raise ValueError(f"unknown precision {precision!r} (float32 or int8)")
    return Path(root) / network / "1" / FLOAT32_GRAPH


def graph_precision(metadata: RepositoryMetadata, path: Path) -> str:
    """int8 for the quantized graph files (`dcae export --int8`), else the export's precision."""
    return "int8" if metadata.int8 is not None and Path(path).name == metadata.int8.file else metadata.precision
