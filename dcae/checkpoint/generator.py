"""Generator weights on disk: our format, and the published efficientvit single-file releases.

Our format is a directory with
    config.json        {"format": "dcae-generator", "architecture": "dit" (default) or "uvit",
                        "dit": {...DiTConfig or UViTConfig...}, "objective": {...},
                        "autoencoder": its autoencoder checkpoint, relative to this directory,
                        "text_encoder": null or "all-MiniLM-L6-v2",
                        "sampling": {"sampler", "steps", "guidance"} (optional: the defaults of
                        `dcae generate`, the export and the gateway), ...provenance...}
    model.safetensors  the DiT (EMA weights when trained here) in facebookresearch/DiT key names

A release (mit-han-lab/dc-ae-<autoencoder>-<arch>-<size>-in-<resolution>px, reference Sec. 5) is
    config.json        {"model_name": "dc-ae-f32c32-in-1.0-dit-xl-in-512px", ...}
    model.safetensors  autoencoder.* (efficientvit DC-AE names) + diffusion_model.* (DiT names)
`convert_release` writes one in our format: the generator at DST, its autoencoder at DST/autoencoder,
the recipe the release's FID was measured with as the sampling defaults. SANA's releases (diffusers'
layout) load their transformer with `load_sana_transformer`.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
from safetensors.torch import load_file

from dcae.checkpoint.autoencoder import (
    CONFIG_FILE, DIFFUSERS_WEIGHTS_FILE, GENERATOR_FORMAT, RELEASE_FORMAT, RELEASE_NAME, WEIGHTS_FILE, CheckpointError, efficientvit_key,
    load_pretrained, load_state_strict, read_config, rename_state, save_pretrained, write_safetensors,
)
from dcae.contract.sampling import Objective
from dcae.models.dc_ae import DCAE, get_config
from dcae.models.dit import DiT, DiTConfig, GeneratorConfig, get_config as get_dit_config
from dcae.models.sana import SanaConfig, SanaTransformer
from dcae.models.uvit import PRESETS as UVIT_PRESETS, UViT, UViTConfig

ARCHITECTURES = {"dit": (DiTConfig, DiT), "uvit": (UViTConfig, UViT)}  # our format's "architecture" -> classes


def architecture(cfg: GeneratorConfig) -> str:
    return "uvit" if isinstance(cfg, UViTConfig) else "dit"


def build_generator(cfg: GeneratorConfig) -> DiT | UViT:
    return ARCHITECTURES[architecture(cfg)][1](cfg)


@dataclass(frozen=True)
class Release:
    autoencoder: str  # the DC-AE preset its latents come from
    dit: GeneratorConfig
    objective: Objective
    sampling: dict  # the recipe of the release's reported FID: sampler, steps, guidance


# Published class-conditional ImageNet-512 generators that we implement (reference Sec. 5).
PUBLISHED = {
    "dc-ae-f32c32-in-1.0-dit-xl-in-512px": Release(
        "dc-ae-f32c32-in-1.0",
        get_dit_config("DiT-XL/1").replace(in_channels=32, input_size=16, learn_sigma=True, num_classes=1000),
        Objective("ddpm", learn_sigma=True),
        {"sampler": "ddpm", "steps": 250, "guidance": 1.3},  # FID 2.84
    ),
}
# efficientvit's U-ViT releases (reference Sec. 8): eps prediction on the scaled-linear schedule, levels counted from
# 1, sampled by DPM-Solver++ "fast" in 30 evaluations with guidance 1.5 (its `UViT.generate`).
UVIT_OBJECTIVE = Objective("ddpm", beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear", time_offset=1.0)
UVIT_SAMPLING = {"sampler": "dpmpp_fast", "steps": 30, "guidance": 1.5}
for _ae, _side, _sizes, _suffixes in (("dc-ae-f32c32-in-1.0", 16, ("s", "h", "2b"), ("",)),
                                      ("dc-ae-f64c128-in-1.0", 8, ("h", "2b"), ("", "-train2000k"))):
    for _size in _sizes:
        for _suffix in _suffixes:
            _cfg = UVIT_PRESETS[f"U-ViT-{_size.upper()}"]
            PUBLISHED[f"{_ae}-uvit-{_size}-in-512px{_suffix}"] = Release(
                _ae, _cfg.replace(in_channels=get_config(_ae).latent_channels, input_size=_side), UVIT_OBJECTIVE,
                dict(UVIT_SAMPLING))
# efficientvit's USiT releases: the same network trained on SiT's linear path to predict the velocity, sampled by
# dopri5 (atol 1e-6, rtol 1e-3) from t = 0 to 1 with guidance 1.5 (`UViT.generate`'s default); `steps` caps the
# evaluations of an image (the reference has no cap; its num_inference_steps=250 are output times that change nothing).
USIT_OBJECTIVE = Objective("linear")
USIT_SAMPLING = {"sampler": "dopri5", "steps": 1000, "guidance": 1.5}
for _size in ("h", "2b"):
    PUBLISHED[f"dc-ae-f32c32-in-1.0-usit-{_size}-in-512px"] = Release(
        "dc-ae-f32c32-in-1.0",
        UVIT_PRESETS[f"U-ViT-{_size.upper()}"].replace(name=f"USiT-{_size.upper()}", in_channels=32, input_size=16),
        USIT_OBJECTIVE, dict(USIT_SAMPLING))


def release(name: str) -> Release:
    """The release called `name` (config.json's model_name), or an error naming what is missing."""
    if name in PUBLISHED:
        return PUBLISHED[name]
    raise CheckpointError(f"unknown generator release {name!r}; releases that convert: {', '.join(PUBLISHED)}")


def save_generator(dit: DiT | UViT, objective: Objective, directory: str | Path, autoencoder_path: str,
                   text_encoder: str | None = None, metadata: dict | None = None,
                   dtype: torch.dtype | None = None) -> Path:
    """`dtype` (e.g. torch.float16) sets the storage precision; loading casts back to float32."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    state = {k: (v.to(dtype) if dtype is not None and v.is_floating_point() else v).detach().cpu().contiguous()
             for k, v in dit.state_dict().items()}
    write_safetensors(state, directory / WEIGHTS_FILE, metadata={"format": GENERATOR_FORMAT})
    config = {"format": GENERATOR_FORMAT, "architecture": architecture(dit.config), "dit": dit.config.to_dict(),
              "objective": asdict(objective),
              "autoencoder": autoencoder_path, "text_encoder": text_encoder, **(metadata or {})}
    (directory / CONFIG_FILE).write_text(json.dumps(config, indent=2) + "\n")
    return directory


def read_generator_config(directory: str | Path) -> dict:
    config = read_config(directory)
    if config.get("format") != GENERATOR_FORMAT:
        hint = (f"; `dcae convert {directory} DST` converts the release {config['model_name']}"
                if RELEASE_NAME.match(str(config.get("model_name", ""))) else "")
        raise CheckpointError(f"{directory} is not a generator checkpoint (config.json format "
                              f"{config.get('format')!r}, expected {GENERATOR_FORMAT!r}){hint}")
    return config


def generator_config(config: dict) -> GeneratorConfig:
    """Our generator format's config.json -> the network's config, by its "architecture" (DiT when absent)."""
    arch = config.get("architecture", "dit")
    if arch not in ARCHITECTURES:
        raise CheckpointError(f"generator architecture {arch!r}: expected one of {', '.join(ARCHITECTURES)}")
    return ARCHITECTURES[arch][0].from_dict(config["dit"])


def load_generator(directory: str | Path) -> tuple[DiT, Objective, DCAE, dict]:
    """Our generator format -> (DiT, objective, its autoencoder, config dict), in eval mode, float32."""
    directory = Path(directory)
    config = read_generator_config(directory)
    with torch.device("meta"):  # the weights are the file's tensors: one copy in memory
        dit = build_generator(generator_config(config))
    load_state_strict(dit, load_file(str(directory / WEIGHTS_FILE)), source=str(directory))
    autoencoder = load_pretrained((directory / config["autoencoder"]).resolve())
    return dit.float().eval(), Objective(**config["objective"]), autoencoder, config


def load_published(path: str | Path, name: str | None = None) -> tuple[DiT, Objective, DCAE]:
    """A single-file release: `path` is its directory (config.json names it) or its model.safetensors
    (then give `name`). Every key of both parts is checked: missing, unexpected and mis-shaped ones
    are named."""
    path = Path(path)
    if path.is_dir():
        name = name or str(read_config(path).get("model_name", ""))
        path = path / WEIGHTS_FILE
    if name is None:
        raise CheckpointError(f"{path}: give the release's name (its config.json model_name)")
    spec = release(name)
    state = load_file(str(path))
    groups: dict[str, dict[str, torch.Tensor]] = {"autoencoder": {}, "diffusion_model": {}}
    stray = []
    for key, tensor in state.items():
        prefix, _, rest = key.partition(".")
        if prefix in groups:
            groups[prefix][rest] = tensor
        else:
            stray.append(key)
    if stray:
        raise CheckpointError(f"{path}: keys outside autoencoder.*/diffusion_model.*: {', '.join(stray[:8])}"
                              + (f", ... ({len(stray)} in all)" if len(stray) > 8 else ""))
    ae_cfg = get_config(spec.autoencoder)
    with torch.device("meta"):
        autoencoder, dit = DCAE(ae_cfg), build_generator(spec.dit)
    load_state_strict(autoencoder, rename_state(groups["autoencoder"], efficientvit_key(ae_cfg)),
                      source=f"{path} autoencoder.*")
    load_state_strict(dit, groups["diffusion_model"], source=f"{path} diffusion_model.*")
    return dit.float().eval(), spec.objective, autoencoder.float().eval()


def convert_release(src: str | Path, dst: str | Path, dtype: torch.dtype | None = None) -> dict:
    """A release directory -> our generator at `dst` and its autoencoder at `dst`/autoencoder, with the
    release's sampling recipe as the defaults. -> a summary (names, parameters, sampling, paths)."""
    src, dst = Path(src), Path(dst)
    name = str(read_config(src).get("model_name", ""))
    spec = release(name)
    dit, objective, autoencoder = load_published(src, name)
    provenance = {"converted_from": {"format": RELEASE_FORMAT, "path": str(src), "release": name}}
    if dtype is not None:
        provenance["storage"] = str(dtype).removeprefix("torch.")
    save_pretrained(autoencoder, dst / "autoencoder", dtype=dtype, metadata=dict(provenance))
    save_generator(dit, objective, dst, autoencoder_path="autoencoder", dtype=dtype,
                   metadata={"sampling": dict(spec.sampling), **provenance})
    return {"release": name, "generator": dit.config.name, "autoencoder": spec.autoencoder,
            "params": sum(p.numel() for p in dit.parameters()),
            "autoencoder_params": sum(p.numel() for p in autoencoder.parameters()),
            "sampling": dict(spec.sampling), "written": str(dst)}


def load_sana_transformer(directory: str | Path) -> SanaTransformer:
    """A SANA release's `transformer/` folder in diffusers' layout (config.json and the safetensors, sharded
    or not), strictly (`load_state_strict`), built on the meta device. Float32, eval."""
    directory = Path(directory)
    cfg = SanaConfig.from_diffusers(json.loads((directory / CONFIG_FILE).read_text()))
    index = directory / f"{DIFFUSERS_WEIGHTS_FILE}.index.json"
    files = (sorted({directory / f for f in json.loads(index.read_text())["weight_map"].values()}) if index.is_file()
             else [directory / DIFFUSERS_WEIGHTS_FILE])
    state = {}
    for f in files:
        state.update(load_file(str(f)))
    with torch.device("meta"):
        model = SanaTransformer(cfg)
    load_state_strict(model, state, source=str(directory))
    return model.float().eval()
