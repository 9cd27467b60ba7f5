"""The latent contract, in one place: diffusion models see `z_raw * scaling_factor`; the decoder takes
`z_diffusion / scaling_factor`. The factor is about 1 / RMS of raw latents over the data. Works on numpy
arrays and torch tensors alike."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LatentSpace:
    scaling_factor: float = 1.0

    def to_diffusion(self, z_raw):
        return z_raw * self.scaling_factor

    def from_diffusion(self, z_diffusion):
        return z_diffusion / self.scaling_factor
