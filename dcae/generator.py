"""Generators on disk, and the text/class -> image pipeline.

Our generator format is a directory with
    config.json        {"format": "dcae-generator", "dit": {...DiTConfig...}, "objective": {...},
                        "autoencoder": "<path to a DC-AE checkpoint, relative to this directory>",
                        "text_encoder": "all-MiniLM-L6-v2" | null, ...provenance...}
    model.safetensors  DiT weights (EMA), facebookresearch/DiT key names
The published DC-AE generators (efficientvit, e.g. `dc-ae-f32c32-in-1.0-dit-xl-in-512px`) are one
safetensors file holding `autoencoder.*` (efficientvit DC-AE keys) and `diffusion_model.*` (DiT keys);
`load_published` reads that layout.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Callable

import torch
from safetensors.torch import load_file

from dcae.checkpoint import (CheckpointError, efficientvit_key, load_pretrained, load_state_strict, rename_state,
                             write_safetensors)
from dcae.contract import generation
from dcae.contract.sampling import DEFAULT_SAMPLER
from dcae.diffusion import Objective, classifier_free_guidance, get_sampler, make_denoiser
from dcae.models.dc_ae import DCAE, get_config as get_ae_config
from dcae.models.dit import DiT, DiTConfig, get_config as get_dit_config

FORMAT_NAME = "dcae-generator"

# Published class-conditional ImageNet-512 generators (reference Sec. 5): autoencoder preset, DiT config.
PUBLISHED = {
    "dc-ae-f32c32-in-1.0-dit-xl-in-512px": (
        "dc-ae-f32c32-in-1.0",
        get_dit_config("DiT-XL/1").replace(in_channels=32, input_size=16, learn_sigma=True, num_classes=1000),
        Objective("ddpm", learn_sigma=True),
    ),
}


def save_generator(dit: DiT, objective: Objective, directory: str | Path, autoencoder_path: str,
                   text_encoder: str | None = None, metadata: dict | None = None,
                   dtype: torch.dtype | None = None) -> Path:
    """`dtype` (e.g. torch.float16) sets the storage precision; loading casts back to float32."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    state = {k: (v.to(dtype) if dtype is not None and v.is_floating_point() else v).detach().cpu().contiguous()
             for k, v in dit.state_dict().items()}
    write_safetensors(state, directory / "model.safetensors", metadata={"format": FORMAT_NAME})
    config = {"format": FORMAT_NAME, "dit": dit.config.to_dict(), "objective": asdict(objective),
              "autoencoder": autoencoder_path, "text_encoder": text_encoder, **(metadata or {})}
    (directory / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    return directory


def load_generator(directory: str | Path) -> tuple[DiT, Objective, DCAE, dict]:
    """Our generator format -> (DiT, objective, its autoencoder, config dict), in eval mode."""
    directory = Path(directory)
    config = json.loads((directory / "config.json").read_text())
    if config.get("format") != FORMAT_NAME:
        raise CheckpointError(f"{directory} is not a generator checkpoint (config.json format "
                              f"{config.get('format')!r}, expected {FORMAT_NAME!r})")
    dit = DiT(DiTConfig.from_dict(config["dit"]))
    load_state_strict(dit, load_file(str(directory / "model.safetensors")), source=str(directory))
    autoencoder = load_pretrained((directory / config["autoencoder"]).resolve())
    return dit.eval(), Objective(**config["objective"]), autoencoder, config


def load_published(path: str | Path, name: str = "dc-ae-f32c32-in-1.0-dit-xl-in-512px") -> tuple[DiT, Objective, DCAE]:
    """The efficientvit single-file layout: `autoencoder.*` + `diffusion_model.*` in one safetensors.
    `path` is the file or a directory holding `model.safetensors`."""
    path = Path(path)
    if path.is_dir():
        path = path / "model.safetensors"
    if name not in PUBLISHED:
        raise CheckpointError(f"unknown published generator {name!r}; known: {', '.join(PUBLISHED)}")
    ae_preset, dit_cfg, objective = PUBLISHED[name]
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
        raise CheckpointError(f"{path}: keys outside autoencoder.*/diffusion_model.*: {', '.join(stray[:8])}")
    ae_cfg = get_ae_config(ae_preset)
    autoencoder = DCAE(ae_cfg)
    load_state_strict(autoencoder, rename_state(groups["autoencoder"], efficientvit_key(ae_cfg)), source=f"{path} autoencoder.*")
    dit = DiT(dit_cfg)
    load_state_strict(dit, groups["diffusion_model"], source=f"{path} diffusion_model.*")
    return dit.eval(), objective, autoencoder.eval()


class LatentDiffusionPipeline:
    """Prompt or class label -> images: text encoder (optional), sampling loop over the DiT with
    classifier-free guidance, DC-AE decoder. Image i of a request uses noise seeded with seed + i,
    so each image is reproducible on its own."""

    def __init__(self, dit: DiT, objective: Objective, autoencoder: DCAE, text_encoder=None) -> None:
        self.dit, self.objective, self.autoencoder, self.text_encoder = dit, objective, autoencoder, text_encoder
        if dit.config.text_dim > 0 and text_encoder is None:
            raise ValueError("a text-conditioned DiT needs a text encoder")

    @classmethod
    def from_pretrained(cls, directory: str | Path) -> LatentDiffusionPipeline:
        dit, objective, autoencoder, config = load_generator(directory)
        text_encoder = None
        if config.get("text_encoder"):
            from dcae.models.text_encoder import TextEncoder

            text_encoder = TextEncoder()
        return cls(dit, objective, autoencoder, text_encoder)

    def prompt_to_class(self, prompt: str) -> tuple[int, str, float]:
        """The ImageNet class whose "a photo of a {name}" embedding is nearest to the prompt's
        (all-MiniLM-L6-v2 pooled, cosine): lets class-conditional ImageNet generators answer text."""
        if self.dit.config.num_classes != 1000:
            raise ValueError("prompts map to classes for ImageNet-1k generators only; give a class label")
        if self.text_encoder is None:
            from dcae.models.text_encoder import TextEncoder

            self.text_encoder = TextEncoder()
        return self.text_encoder.nearest_class(prompt)

    @property
    def latent_shape(self) -> tuple[int, int, int]:
        c = self.dit.config
        return (c.in_channels, c.input_size, c.input_size)

    def conditioning(self, n: int, prompt: str | None, class_label: int | None) -> tuple[dict, dict]:
        """Keyword arguments of the DiT for the conditional and the unconditional half."""
        cfg = self.dit.config
        if cfg.text_dim > 0:
            if prompt is None:
                raise ValueError("this generator is text-conditioned: give a prompt")
            tokens, mask, _ = self.text_encoder.encode([prompt] * n, max_length=cfg.text_len)
            null, null_mask = self.dit.null_context(n)
            return {"context": tokens, "context_mask": mask}, {"context": null, "context_mask": null_mask}
        if cfg.num_classes > 0:
            if class_label is None and prompt is not None:
                class_label = self.prompt_to_class(prompt)[0]
            if class_label is None:
                raise ValueError("this generator is class-conditional: give a class label (or a prompt)")
            if not 0 <= class_label < cfg.num_classes:
                raise ValueError(f"class_label must be in [0, {cfg.num_classes})")
            return ({"y": torch.full((n,), class_label, dtype=torch.long)},
                    {"y": torch.full((n,), cfg.num_classes, dtype=torch.long)})
        return {}, {}

    @torch.no_grad()
    def sample_latents(self, prompt: str | None = None, class_label: int | None = None, n: int = 1, seed: int = 0,
                       steps: int = 30, guidance: float = 4.0, sampler: str | None = None,
                       callback: Callable[[int, int], None] | None = None) -> torch.Tensor:
        """Diffusion-space latents (n, C, s, s); `callback(done, total)` after each model evaluation."""
        device = next(self.dit.parameters()).device
        cond, uncond = self.conditioning(n, prompt, class_label)
        cond = {k: v.to(device) for k, v in cond.items()}
        uncond = {k: v.to(device) for k, v in uncond.items()}
        noise = torch.from_numpy(generation.start_noise(self.latent_shape, seed, n)).to(device)  # the contract's seeding

        def run(kwargs):
            return lambda x, t: self.dit(x, t, **kwargs)

        def batched(x2, t2):
            return self.dit(x2, t2, **{k: torch.cat([cond[k], uncond[k]]) for k in cond})

        model_fn = classifier_free_guidance(run(cond), run(uncond), guidance, self.dit.config.in_channels,
                                            batched=batched if cond else None)
        schedule = self.objective.schedule(steps, device=device)
        denoiser = make_denoiser(model_fn, self.objective, schedule)
        sample = get_sampler(sampler or DEFAULT_SAMPLER[self.objective.kind])
        gen = torch.Generator(device=device).manual_seed(seed + generation.ANCESTRAL_SEED_OFFSET)
        return sample(denoiser, noise, schedule, generator=gen,
                      callback=None if callback is None else (lambda i, total, p: callback(i + 1, total)))

    @torch.no_grad()
    def __call__(self, prompt: str | None = None, class_label: int | None = None, n: int = 1, seed: int = 0,
                 steps: int = 30, guidance: float = 4.0, sampler: str | None = None,
                 callback: Callable[[int, int], None] | None = None) -> torch.Tensor:
        """Images (n, 3, H, W) in [-1, 1] (not clamped)."""
        z = self.sample_latents(prompt, class_label, n, seed, steps, guidance, sampler, callback)
        ae = self.autoencoder
        return ae.decode(ae.latent_space.from_diffusion(z).to(next(ae.parameters()).device))
