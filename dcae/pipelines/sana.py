"""SANA text-to-image from a published release in diffusers' layout (`Efficient-Large-Model/Sana_600M_512px_
diffusers`, `Sana_1600M_1024px_diffusers`, `SANA1.5_1.6B_1024px_diffusers`, `Sana_Sprint_0.6B_1024px_diffusers`,
the 2K/4K releases, ...): model_index.json + transformer/ (`dcae.models.sana`), text_encoder/ (Gemma-2,
transformers' `Gemma2Model`), tokenizer/ (tokenizer.json), vae/ (AutoencoderDC, our `DCAE`) and scheduler/ (read
into the contract's `Objective` and sampler).

The prompt rules are the contract's (`dcae.contract.sana_prompt`), the sampling loop is the contract's guided
loop (the same one the gateway and Triton's generate model run): given the same start noise (`latents=`),
the images equal diffusers' `SanaPipeline`'s for the same prompt, negative prompt, steps and guidance
(`tests/pipelines/test_sana.py`). SANA-Sprint (`SanaSprintPipeline`: guidance embedded, the SCM sampler, 2 steps)
also needs the fresh noise of each step (`step_noise=`) to reproduce `SanaSprintPipeline`'s images.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

import numpy as np
import torch

from dcae.checkpoint import load_paired_decoder, load_pretrained, load_sana_transformer
from dcae.contract import generation, sampling
from dcae.contract.conditioning import Conditioning
from dcae.contract.sana_prompt import SanaPrompting
from dcae.contract.tiling import MAX_UNTILED_PIXELS, TileSpec
from dcae.models.sana import SanaConfig
from dcae.pipelines.autoencoder import decode_latent

# The pipelines implemented, with their defaults (the releases' recipes): steps, guidance
PIPELINE_DEFAULTS = {"SanaPipeline": (20, 4.5), "SanaSprintPipeline": (2, 4.5)}
PIPELINE_CLASSES = tuple(PIPELINE_DEFAULTS)


def family(cfg: SanaConfig) -> str:
    """What `/v1/models` and `dcae info` call a release's transformer: sana-sprint, sana-1.5 or sana."""
    return "sana-sprint" if cfg.guidance_embeds else "sana-1.5" if cfg.qk_norm else "sana"


def conditioning(cfg: SanaConfig) -> Conditioning:
    """The contract's conditioning rule for a SANA transformer: negative captions, or the guidance embedded."""
    return Conditioning("text", negative_caption=not cfg.guidance_embeds, embedded_guidance=cfg.guidance_embeds)


def is_sana_release(directory: str | Path) -> bool:
    """A diffusers pipeline folder whose model_index.json names a SANA pipeline (those not implemented, e.g.
    SANA's ControlNet pipelines, are refused by name when loaded)."""
    index = Path(directory) / "model_index.json"
    return index.is_file() and json.loads(index.read_text()).get("_class_name", "").startswith("Sana")


def read_release(directory: str | Path) -> dict:
    """model_index.json, checked: a pipeline this module implements, with its five parts present."""
    directory = Path(directory)
    index = json.loads((directory / "model_index.json").read_text())
    name = index.get("_class_name")
    if name not in PIPELINE_CLASSES:
        raise ValueError(f"{directory}: {name!r} is not implemented (SANA releases: {', '.join(PIPELINE_CLASSES)})")
    missing = [p for p in ("transformer", "text_encoder", "tokenizer", "vae", "scheduler") if not (directory / p).is_dir()]
    if missing:
        raise FileNotFoundError(f"{directory} lacks {', '.join(f'{m}/' for m in missing)}: not a complete SANA release")
    return index


def scheduler_defaults(directory: str | Path) -> tuple[sampling.Objective, dict]:
    """The release's scheduler/ as the contract's objective and the sampling defaults {sampler, steps, guidance}
    (its pipeline's)."""
    directory = Path(directory)
    objective, sampler = sampling.from_diffusers_scheduler(
        json.loads((directory / "scheduler" / "scheduler_config.json").read_text()))
    steps, guidance = PIPELINE_DEFAULTS[read_release(directory)["_class_name"]]
    return objective, {"sampler": sampler, "steps": steps, "guidance": guidance}


class SanaTextEncoder:
    """A release's Gemma-2 (text_encoder/) and tokenizer/, with SANA's prompt rules: prompts -> the caption
    the transformer sees, (N, 300, D) float32 and its (N, 300) mask."""

    def __init__(self, directory: str | Path, use_instruction: bool = True, device: str | torch.device = "cpu") -> None:
        from transformers import AutoModel
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # its per-tensor loading bar; ours show the steps
        directory = Path(directory)
        self.prompting = SanaPrompting.from_release(directory / "tokenizer", use_instruction)
        self.model = AutoModel.from_pretrained(str(directory / "text_encoder"), dtype=torch.float32).to(device).eval()

    @torch.no_grad()
    def encode(self, prompts: list[str], negative: bool = False) -> tuple[np.ndarray, np.ndarray]:
        ids, mask = self.prompting.tokenize(prompts, negative)
        device = next(self.model.parameters()).device
        states = self.model(torch.from_numpy(ids).to(device), attention_mask=torch.from_numpy(mask).to(device))[0]
        states, mask = self.prompting.select(states.float().cpu().numpy(), mask, negative)
        return states, mask.astype(bool)


class SanaPipeline:
    """Prompt -> images with a SANA release: `SanaPipeline.from_pretrained(directory)(prompt, ...)`."""

    def __init__(self, transformer, autoencoder, text_encoder: SanaTextEncoder, objective: sampling.Objective,
                 sampling_defaults: dict, decoder=None) -> None:
        self.transformer, self.autoencoder, self.text_encoder = transformer, autoencoder, text_encoder
        self.objective, self.sampling = objective, sampling_defaults
        self.rule = conditioning(transformer.config)
        self.decoder = autoencoder if decoder is None else decoder  # whose decoder makes the images

    @classmethod
    def from_pretrained(cls, directory: str | Path, use_instruction: bool = True,
                        decoder: str | Path | None = None) -> SanaPipeline:
        """`decoder`: another autoencoder checkpoint whose decoder makes the images (DC-AE-Lite's: the same
        latents, decoded ~1.8x faster); its compression and latent channels must be the release's VAE's."""
        read_release(directory)
        directory = Path(directory)
        objective, defaults = scheduler_defaults(directory)
        vae = load_pretrained(directory / "vae")
        other = None if decoder is None else load_paired_decoder(decoder, vae.config)
        return cls(load_sana_transformer(directory / "transformer"), vae, SanaTextEncoder(directory, use_instruction),
                   objective, defaults, other)

    def to(self, device: str | torch.device) -> SanaPipeline:
        for module in (self.transformer, self.autoencoder, self.decoder, self.text_encoder.model):
            module.to(device)
        return self

    @property
    def compression(self) -> int:
        return self.autoencoder.config.compression

    @property
    def image_size(self) -> int:
        """The release's native size in pixels per side (the transformer's sample_size in latent cells)."""
        return self.transformer.config.sample_size * self.compression

    def latent_shape(self, height: int | None = None, width: int | None = None) -> tuple[int, int, int]:
        f = self.compression
        height, width = height or self.image_size, width or self.image_size
        problem = generation.size_problem(height, width, f)
        if problem is not None:
            raise ValueError(f"{problem} (the autoencoder's compression)")
        return (self.transformer.config.in_channels, height // f, width // f)

    def conditioning(self, n: int, prompt: str, negative_prompt: str | None) -> tuple[dict, dict]:
        """The transformer's conditional and unconditional inputs (context, context_mask), by the contract's rule
        (the unconditional half is always a negative prompt's caption) and names."""
        return self.rule.conditions(n, prompt, negative_prompt, None,
                                    lambda text, negative: self.text_encoder.encode([text], negative=negative))

    def denoise(self, inputs: dict[str, np.ndarray]) -> np.ndarray:
        p = next(self.transformer.parameters())
        arg = {k: torch.from_numpy(v).to(p.device) for k, v in inputs.items()}
        out = self.transformer(arg["latent"].to(p.dtype), arg["timestep"], arg["context"].to(p.dtype),
                               arg["context_mask"], arg.get("guidance"))
        return out.float().cpu().numpy()

    @torch.no_grad()
    def sample_latents(self, prompt: str, n: int = 1, seed: int = 0, steps: int | None = None,
                       guidance: float | None = None, sampler: str | None = None, negative_prompt: str | None = None,
                       height: int | None = None, width: int | None = None, latents: np.ndarray | None = None,
                       callback: Callable[[int, int], None] | None = None, step_noise: np.ndarray | None = None,
                       init_latent: np.ndarray | None = None, strength: float = 1.0) -> np.ndarray:
        """Diffusion-space latents (n, C, H/f, W/f) from the contract's guided loop; `latents`: the start noise
        (another implementation's, e.g. diffusers'), else image i's from seed + i; `step_noise`: SANA-Sprint's
        fresh noise per step likewise (steps run, n, C, H/f, W/f); `init_latent` + `strength`: image-to-image
        from an image's diffusion-space latent."""
        if latents is not None:
            n, height, width = latents.shape[0], latents.shape[2] * self.compression, latents.shape[3] * self.compression
        cond, uncond = self.conditioning(n, prompt, negative_prompt)
        d = self.sampling
        loop = generation.GuidedDenoising.start(
            self.objective, sampler or d["sampler"], steps or d["steps"], self.latent_shape(height, width), seed, n,
            cond, uncond, d["guidance"] if guidance is None else guidance,
            noise=None if latents is None else np.asarray(latents, np.float32),
            embedded_guidance=self.rule.embedded_guidance, init_latent=init_latent, strength=strength,
            step_noise=None if step_noise is None else np.asarray(step_noise, np.float32))
        return loop.run(self.denoise, callback)

    @torch.no_grad()
    def __call__(self, prompt: str, n: int = 1, seed: int = 0, steps: int | None = None, guidance: float | None = None,
                 sampler: str | None = None, negative_prompt: str | None = None, height: int | None = None,
                 width: int | None = None, latents: np.ndarray | None = None,
                 callback: Callable[[int, int], None] | None = None, step_noise: np.ndarray | None = None,
                 image: torch.Tensor | None = None, strength: float = 1.0,
                 tile: bool | TileSpec | None = None, final_latents: list | None = None) -> torch.Tensor:
        """Images (n, 3, H, W) in [-1, 1] (not clamped). `image` (1, 3, H, W) in [-1, 1] with `strength` < 1:
        image-to-image at the image's size (SanaSprintImg2ImgPipeline's for SANA-Sprint). `tile`: decode in
        overlapping tiles (True: the contract's default TileSpec); None: for images over MAX_UNTILED_PIXELS (the 4K
        releases)."""
        ae = self.autoencoder
        init = None
        if image is not None and strength < 1.0:
            p = next(ae.parameters())
            height, width = image.shape[-2:]
            init = ae.latent_space.to_diffusion(ae.encode(image.to(p.device, p.dtype)).float().cpu().numpy())
        z = self.sample_latents(prompt, n, seed, steps, guidance, sampler, negative_prompt, height, width, latents,
                                callback, step_noise, init, strength)
        if final_latents is not None:  # diffusion space, before decoding (`dcae generate --save-latents`)
            final_latents.append(np.asarray(z, np.float32))
        p = next(self.decoder.parameters())
        z = torch.from_numpy(ae.latent_space.from_diffusion(z)).to(p.device, p.dtype)  # raw: any decoder of them
        if tile is None:
            tile = z.shape[-2] * z.shape[-1] * self.compression ** 2 > MAX_UNTILED_PIXELS
        return decode_latent(self.decoder, z, tile=tile if isinstance(tile, TileSpec) else TileSpec() if tile else None)
