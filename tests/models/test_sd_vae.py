"""bench/sd_vae.py (the SD-VAE decoder timed against DC-AE by bench/gpu.py) is diffusers' AutoencoderKL decoder."""

import torch

from bench.sd_vae import SDVAEDecoder


def test_sd_vae_decoder_equals_diffusers_autoencoder_kl():
    diffusers = __import__("pytest").importorskip("diffusers")
    torch.manual_seed(0)
    ref = diffusers.AutoencoderKL(block_out_channels=(32, 64), down_block_types=("DownEncoderBlock2D",) * 2,
                                  up_block_types=("UpDecoderBlock2D",) * 2, layers_per_block=2,
                                  norm_num_groups=8, latent_channels=4).eval()
    ours = SDVAEDecoder(channels=(32, 64), layers_per_block=2, groups=8).eval()
    for p in ours.parameters():  # non-trivial norms and biases too
        torch.nn.init.normal_(p, std=0.05)
    missing, unexpected = ref.load_state_dict(ours.state_dict(), strict=False)
    assert not unexpected and all(k.startswith(("encoder.", "quant_conv.")) for k in missing)
    z = torch.randn(2, 4, 8, 6)
    with torch.no_grad():
        expected, got = ref.decode(z).sample, ours(z)
    assert got.shape == (2, 3, 16, 12)
    assert (got - expected).abs().max() <= 1e-5 * expected.abs().max()


def test_sd_vae_default_is_stable_diffusion_size():
    # Stable Diffusion's VAE: 49,490,199 parameters in post_quant_conv + decoder.
    assert sum(p.numel() for p in SDVAEDecoder().parameters()) == 49_490_199
