"""The text/class -> image pipeline over a generator checkpoint (`dcae.checkpoint` reads and writes
generators: our format, a directory with config.json {"format": "dcae-generator", "dit", "objective",
"autoencoder": <path of its DC-AE checkpoint>, "text_encoder"} + model.safetensors (EMA DiT weights,
facebookresearch/DiT key names); and the published efficientvit single-file releases)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import torch

from dcae.checkpoint import load_generator
from dcae.contract import generation
from dcae.contract.sampling import DEFAULT_SAMPLER
from dcae.diffusion import Objective, classifier_free_guidance, get_sampler, make_denoiser
from dcae.models.dc_ae import DCAE
from dcae.models.dit import DiT


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
                       steps: int = generation.DEFAULT_STEPS, guidance: float = generation.DEFAULT_GUIDANCE,
                       sampler: str | None = None,
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
                 steps: int = generation.DEFAULT_STEPS, guidance: float = generation.DEFAULT_GUIDANCE,
                 sampler: str | None = None,
                 callback: Callable[[int, int], None] | None = None) -> torch.Tensor:
        """Images (n, 3, H, W) in [-1, 1] (not clamped)."""
        z = self.sample_latents(prompt, class_label, n, seed, steps, guidance, sampler, callback)
        ae = self.autoencoder
        return ae.decode(ae.latent_space.from_diffusion(z).to(next(ae.parameters()).device))
