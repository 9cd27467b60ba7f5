"""Pipelines: what turns inputs into outputs with a loaded model, in PyTorch (the `dcae` command's and the torch
runtime's). One module per family, each with a `...Pipeline` class and `from_pretrained`:

- `autoencoder`: encode and decode with a DC-AE (tiled for large images, bfloat16 where the CPU has it);
- `latent_diffusion`: `LatentDiffusionPipeline`, prompt or class label -> image with a DiT on DC-AE latents
  (ours and the published DiT-XL release);
- `sana`: `SanaPipeline`, prompt -> image with a SANA release in diffusers' layout.

The sampling loop, seeding and conditioning rules are the contract's (`dcae.contract`), shared with the gateway
and Triton's generate model; the pipelines add only PyTorch calls of the networks.
"""
