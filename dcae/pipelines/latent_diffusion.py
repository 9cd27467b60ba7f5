"""The text/class -> image pipeline over a generator checkpoint (`dcae.checkpoint` reads and writes
generators: our format, a directory with config.json {"format": "dcae-generator", "dit", "objective",
"autoencoder": <path of its DC-AE checkpoint>, "text_encoder"} + model.safetensors (EMA DiT weights,
facebookresearch/DiT key names); and the published efficientvit single-file releases)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np
import torch

from dcae.checkpoint import load_generator
from dcae.contract import generation
from dcae.contract.conditioning import Conditioning
from dcae.contract.sampling import Objective
from dcae.models.dc_ae import DCAE
from dcae.models.dit import DiT


class LatentDiffusionPipeline:
    """Prompt or class label -> images: text encoder (optional), sampling loop over the DiT with
    classifier-free guidance, DC-AE decoder. Image i of a request uses noise seeded with seed + i,
    so each image is reproducible on its own."""

    def __init__(self, dit: DiT, objective: Objective, autoencoder: DCAE, text_encoder=None,
                 sampling: dict | None = None) -> None:
        self.dit, self.objective, self.autoencoder, self.text_encoder = dit, objective, autoencoder, text_encoder
        # The defaults of a call: the checkpoint's "sampling" (a release's recipe), else the contract's.
        self.sampling = generation.sampling_defaults(objective.kind, sampling)
        if dit.config.text_dim > 0 and text_encoder is None:
            raise ValueError("a text-conditioned DiT needs a text encoder")

    @classmethod
    def from_pretrained(cls, directory: str | Path) -> LatentDiffusionPipeline:
        dit, objective, autoencoder, config = load_generator(directory)
        text_encoder = None
        if config.get("text_encoder"):
            from dcae.models.text_encoder import TextEncoder

            text_encoder = TextEncoder()
        return cls(dit, objective, autoencoder, text_encoder, config.get("sampling"))

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

    @property
    def conditioning_rule(self) -> Conditioning:
        cfg = self.dit.config
        kind = "text" if cfg.text_dim > 0 else "class" if cfg.num_classes > 0 else "none"
        return Conditioning(kind, cfg.num_classes, prompt_classes=cfg.num_classes == 1000)

    def conditioning(self, n: int, prompt: str | None, class_label: int | None,
                     negative_prompt: str | None = None) -> tuple[dict, dict]:
        """The DiT's conditional and unconditional inputs, by the contract's rule and names (numpy)."""
        rule, cfg = self.conditioning_rule, self.dit.config
        if rule.kind == "class" and class_label is None and prompt is not None and not negative_prompt:
            class_label = self.prompt_to_class(prompt)[0]

        def encode(text: str, negative: bool) -> tuple[np.ndarray, np.ndarray]:
            tokens, mask, _ = self.text_encoder.encode([text], max_length=cfg.text_len)
            return tokens.float().cpu().numpy(), mask.cpu().numpy()

        return rule.conditions(n, prompt, negative_prompt, class_label, encode)

    def denoise(self, inputs: dict[str, np.ndarray]) -> np.ndarray:
        """One DiT evaluation on the contract's inputs (latent, timestep, and class_label or context +
        context_mask, where an all-False mask row means no prompt) -> model_output (float32)."""
        p = next(self.dit.parameters())
        arg = {k: torch.from_numpy(v).to(p.device) for k, v in inputs.items()}
        kwargs = {}
        if "class_label" in arg:
            kwargs["y"] = arg["class_label"]
        if "context" in arg:
            kwargs["context"], kwargs["context_mask"] = self.dit.fill_null_context(arg["context"].to(p.dtype),
                                                                                   arg["context_mask"])
        out = self.dit(arg["latent"].to(p.dtype), arg["timestep"], **kwargs)
        return out.float().cpu().numpy()

    @torch.no_grad()
    def sample_latents(self, prompt: str | None = None, class_label: int | None = None, n: int = 1, seed: int = 0,
                       steps: int | None = None, guidance: float | None = None, sampler: str | None = None,
                       callback: Callable[[int, int], None] | None = None,
                       negative_prompt: str | None = None, latents: np.ndarray | None = None) -> torch.Tensor:
        """Diffusion-space latents (n, C, s, s), sampled by the contract's guided loop (the gateway's and
        Triton's): the same seeding, sampler steps and guidance; `callback(done, total)` after each step.
        steps, guidance, sampler: None takes `self.sampling`'s. `latents`: the start noise (n, C, s, s) (another
        implementation's, to reproduce its latents) instead of the seed's; it sets n."""
        if latents is not None:
            n = latents.shape[0]
        cond, uncond = self.conditioning(n, prompt, class_label, negative_prompt)
        d = self.sampling
        loop = generation.GuidedDenoising.start(
            self.objective, sampler or d["sampler"], steps or d["steps"], self.latent_shape, seed, n, cond, uncond,
            d["guidance"] if guidance is None else guidance,
            noise=None if latents is None else np.asarray(latents, np.float32))
        return torch.from_numpy(loop.run(self.denoise, callback)).to(next(self.dit.parameters()).device)

    @torch.no_grad()
    def __call__(self, prompt: str | None = None, class_label: int | None = None, n: int = 1, seed: int = 0,
                 steps: int | None = None, guidance: float | None = None, sampler: str | None = None,
                 callback: Callable[[int, int], None] | None = None,
                 negative_prompt: str | None = None, latents: np.ndarray | None = None,
                 final_latents: list | None = None) -> torch.Tensor:
        """Images (n, 3, H, W) in [-1, 1] (not clamped). `final_latents`: a list the diffusion-space latents are
        appended to before decoding (`dcae generate --save-latents`)."""
        z = self.sample_latents(prompt, class_label, n, seed, steps, guidance, sampler, callback, negative_prompt,
                                latents)
        if final_latents is not None:
            final_latents.append(z.float().cpu().numpy())
        ae = self.autoencoder
        return ae.decode(ae.latent_space.from_diffusion(z).to(next(ae.parameters()).device))
