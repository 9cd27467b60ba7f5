"""The tiny random models the gateway tests serve (conftest.py's `tiny_repository`): random in every
tensor, so that what a test checks reaches the output."""

from __future__ import annotations

TINY_SCALING_FACTOR = 0.37  # not 1: scaled and raw latents must be different numbers


def tiny_autoencoder():
    """dc-ae-f32c32-tiny with every tensor random (norms and biases too) and a scaling factor that is not 1."""
    from dcae.models.dc_ae import create_model, get_config
    from dcae.models.random_init import randomize_

    return randomize_(create_model(get_config("dc-ae-f32c32-tiny").replace(scaling_factor=TINY_SCALING_FACTOR)),
                      seed=1).eval()


def tiny_text_dit():
    """A 2-block text-conditioned DiT on 2x2x32 latents, every tensor random: DiT's adaLN-Zero init
    (zero gates, zero output layer) would make it output exactly 0 whatever the prompt, guidance or
    sampler, and a generation test would then check only the seeding and the decoder."""
    from dcae.models.dit import DiT, get_config
    from dcae.models.random_init import randomize_

    return randomize_(DiT(get_config("DiT-S/1").replace(depth=2, hidden_size=64, num_heads=2, in_channels=32,
                                                        input_size=2, num_classes=0, text_dim=384,
                                                        learn_sigma=False)), seed=2).eval()
