"""Test helpers: the two published checkpoint layouts written independently of
`dcae.checkpoint` (from the official grammar, reference Sec. 4)."""

import json
import re
from contextlib import contextmanager

import torch

from dcae.models import dc_ae
from dcae.models.dc_ae import DCAEConfig

_NORMS = {"rms": "rms_norm", "bn": "batch_norm"}


def diffusers_kwargs(cfg: DCAEConfig) -> dict:
    """The AutoencoderDC constructor arguments of one of our configs (the official presets' diffusers
    configs have exactly this shape)."""
    def block_types(kinds):
        return tuple("ResBlock" if k == "res" else "EfficientViTBlock" for k in kinds)

    def scales(kinds):
        return tuple((5,) if k == "evit_ms" else () for k in kinds)

    return dict(
        in_channels=3, latent_channels=cfg.latent_channels, attention_head_dim=cfg.head_dim,
        encoder_block_types=block_types(cfg.encoder_blocks), decoder_block_types=block_types(cfg.decoder_blocks),
        encoder_block_out_channels=cfg.width_list, decoder_block_out_channels=cfg.width_list,
        encoder_layers_per_block=cfg.encoder_depths, decoder_layers_per_block=cfg.decoder_depths,
        encoder_qkv_multiscales=scales(cfg.encoder_blocks), decoder_qkv_multiscales=scales(cfg.decoder_blocks),
        upsample_block_type="interpolate" if cfg.upsample == "interpolate" else "pixel_shuffle",
        downsample_block_type="pixel_unshuffle" if cfg.downsample == "pixel_unshuffle" else "Conv",
        decoder_norm_types=tuple(_NORMS[n] for n in cfg.decoder_norms), decoder_act_fns=cfg.decoder_acts,
        scaling_factor=cfg.scaling_factor,
    )


def diffusers_to_efficientvit(state: dict[str, torch.Tensor], cfg: DCAEConfig) -> dict[str, torch.Tensor]:
    """Rewrite an AutoencoderDC state dict into efficientvit's key names and shapes: ResidualBlock
    (`main`), OpSequential (`op_list`), ConvLayer (`.conv`, `.norm`) wrappers, fused qkv as a 1x1 conv."""
    conv_wrap = "conv.conv" if cfg.downsample == "pixel_unshuffle" else "conv"
    block_rules = [
        (r"conv1\.(weight|bias)", r"main.conv1.conv.\1"),
        (r"conv2\.weight", r"main.conv2.conv.weight"),
        (r"norm\.(\w+)", r"main.conv2.norm.\1"),
        (r"attn\.to_qkv_multiscale\.(\d+)\.proj_in\.weight", r"context_module.main.aggreg.\1.0.weight"),
        (r"attn\.to_qkv_multiscale\.(\d+)\.proj_out\.weight", r"context_module.main.aggreg.\1.1.weight"),
        (r"attn\.to_out\.weight", r"context_module.main.proj.conv.weight"),
        (r"attn\.norm_out\.(\w+)", r"context_module.main.proj.norm.\1"),
        (r"conv_out\.conv_inverted\.(weight|bias)", r"local_module.main.inverted_conv.conv.\1"),
        (r"conv_out\.conv_depth\.(weight|bias)", r"local_module.main.depth_conv.conv.\1"),
        (r"conv_out\.conv_point\.weight", r"local_module.main.point_conv.conv.weight"),
        (r"conv_out\.norm\.(\w+)", r"local_module.main.point_conv.norm.\1"),
    ]
    out = {}
    for key, t in state.items():
        m = re.fullmatch(r"(encoder)\.down_blocks\.(\d+)\.(\d+)\.(.+)|(decoder)\.up_blocks\.(\d+)\.(\d+)\.(.+)", key)
        if m:
            part, s, j, rest = [g for g in m.groups() if g is not None]
            prefix = f"{part}.stages.{s}.op_list.{j}."
            if re.fullmatch(r"attn\.to_[qkv]\.weight", rest):
                if rest.endswith("to_q.weight"):
                    base = key[: -len("to_q.weight")]
                    qkv = torch.cat([state[base + "to_q.weight"], state[base + "to_k.weight"],
                                     state[base + "to_v.weight"]])
                    out[prefix + "context_module.main.qkv.conv.weight"] = qkv[:, :, None, None]
                continue
            if re.fullmatch(r"conv\.(weight|bias)", rest):  # a down/up block
                wrap = conv_wrap if part == "encoder" else "conv.conv"
                out[prefix + "main." + rest.replace("conv", wrap, 1)] = t
                continue
            for pat, rep in block_rules:
                if re.fullmatch(pat, rest):
                    if rest == "attn.to_out.weight":
                        t = t[:, :, None, None]
                    out[prefix + re.sub(pat, rep, rest)] = t
                    break
            else:
                raise AssertionError(f"test grammar misses {key}")
            continue
        fixed = {
            "encoder.conv_in.": "encoder.project_in.conv.",
            "encoder.conv_out.": "encoder.project_out.main.op_list.0.conv.",
            "decoder.conv_in.": "decoder.project_in.main.conv.",
            "decoder.norm_out.": "decoder.project_out.op_list.0.",
            "decoder.conv_out.": "decoder.project_out.op_list.2.conv.",
        }
        for src, dst in fixed.items():
            if key.startswith(src):
                out[dst + key[len(src):]] = t
                break
        else:
            raise AssertionError(f"test grammar misses {key}")
    return out


# ----------------------------------------------------------------------------------------------
# DiT: facebookresearch/DiT's key names (the published releases' diffusion_model.*) from diffusers'


def diffusers_dit(cfg, seed: int = 0):
    """diffusers' DiTTransformer2DModel in the shape of one of our DiT configs, every tensor random, made to
    compute what facebookresearch/DiT computes (one shared embedder; its timestep frequencies)."""
    import diffusers

    from dcae.models.random_init import randomize_

    ref = diffusers.DiTTransformer2DModel(
        num_attention_heads=cfg.num_heads, attention_head_dim=cfg.hidden_size // cfg.num_heads,
        in_channels=cfg.in_channels, out_channels=cfg.out_channels, num_layers=cfg.depth,
        sample_size=cfg.input_size, patch_size=cfg.patch_size, num_embeds_ada_norm=cfg.num_classes).eval()
    randomize_(ref, seed=seed)
    blocks = ref.transformer_blocks
    for block in blocks[1:]:  # one shared embedder, as in DiT (diffusers' converter copies it per block)
        block.norm1.emb.load_state_dict(blocks[0].norm1.emb.state_dict())
    for block in blocks:
        # facebookresearch/DiT: frequencies exp(-log(1e4) i / half); diffusers' DiT divides by half - 1.
        block.norm1.emb.time_proj.downscale_freq_shift = 0
    return ref


def diffusers_dit_to_ours(state: dict) -> dict:
    """diffusers DiTTransformer2DModel keys -> facebookresearch/DiT keys (what the published files use).
    diffusers gives every block its own copy of the (shared) timestep/class embedders; take block 0's."""
    out = {}
    emb = "transformer_blocks.0.norm1.emb."
    out["t_embedder.mlp.0.weight"] = state[emb + "timestep_embedder.linear_1.weight"]
    out["t_embedder.mlp.0.bias"] = state[emb + "timestep_embedder.linear_1.bias"]
    out["t_embedder.mlp.2.weight"] = state[emb + "timestep_embedder.linear_2.weight"]
    out["t_embedder.mlp.2.bias"] = state[emb + "timestep_embedder.linear_2.bias"]
    out["y_embedder.embedding_table.weight"] = state[emb + "class_embedder.embedding_table.weight"]
    out["x_embedder.proj.weight"], out["x_embedder.proj.bias"] = state["pos_embed.proj.weight"], state["pos_embed.proj.bias"]
    i = 0
    while f"transformer_blocks.{i}.norm1.linear.weight" in state:
        b, o = f"transformer_blocks.{i}.", f"blocks.{i}."
        for p in ("weight", "bias"):
            out[o + f"adaLN_modulation.1.{p}"] = state[b + f"norm1.linear.{p}"]
            out[o + f"attn.qkv.{p}"] = torch.cat([state[b + f"attn1.to_{x}.{p}"] for x in "qkv"])
            out[o + f"attn.proj.{p}"] = state[b + f"attn1.to_out.0.{p}"]
            out[o + f"mlp.fc1.{p}"] = state[b + f"ff.net.0.proj.{p}"]
            out[o + f"mlp.fc2.{p}"] = state[b + f"ff.net.2.{p}"]
        i += 1
    for p in ("weight", "bias"):
        out[f"final_layer.adaLN_modulation.1.{p}"] = state[f"proj_out_1.{p}"]
        out[f"final_layer.linear.{p}"] = state[f"proj_out_2.{p}"]
    return out


def write_release(directory, name: str, ae_cfg, dit_cfg, seed: int = 0):
    """An efficientvit single-file generator release with random weights, written from the official
    grammar without `dcae.checkpoint`: config.json {"model_name"} + model.safetensors holding
    autoencoder.* (efficientvit names, from diffusers' AutoencoderDC) and diffusion_model.*
    (facebookresearch/DiT names, from diffusers' DiTTransformer2DModel). -> the two diffusers models."""
    import json
    from pathlib import Path

    import diffusers
    from safetensors.torch import save_file

    from dcae.models.random_init import randomize_

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    ref_ae = randomize_(diffusers.AutoencoderDC(**diffusers_kwargs(ae_cfg)), seed=seed).eval()
    ref_dit = diffusers_dit(dit_cfg, seed=seed + 1)
    dit_state = diffusers_dit_to_ours(ref_dit.state_dict())
    dit_state["pos_embed"] = ref_dit.pos_embed.pos_embed.detach().clone()  # fixed sin-cos, stored in the file
    state = {f"autoencoder.{k}": v for k, v in diffusers_to_efficientvit(ref_ae.state_dict(), ae_cfg).items()}
    state.update({f"diffusion_model.{k}": v for k, v in dit_state.items()})
    save_file({k: v.detach().contiguous() for k, v in state.items()}, str(directory / "model.safetensors"))
    (directory / "config.json").write_text(json.dumps({"model_name": name}) + "\n")
    return ref_ae, ref_dit


SANA_WORDS = ("a photo of the cat dog red blue green sky sea over under on in with and small large user prompt given "
              "generate enhanced detailed visual description image scene").split()


def sana_tokenizer():
    """A Gemma-like tokenizer built with `tokenizers` (word level; <pad> 0, <eos> 1, <bos> 2 first, as Gemma's)."""
    from tokenizers import Tokenizer, models, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    vocab = {"<pad>": 0, "<eos>": 1, "<bos>": 2, "<unk>": 3}
    for w in SANA_WORDS:
        vocab.setdefault(w, len(vocab))
    tok = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.post_processor = processors.TemplateProcessing(single="<bos> $A", pair="<bos> $A $B",
                                                       special_tokens=[("<bos>", 2)])
    return PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<bos>", eos_token="<eos>", pad_token="<pad>",
                                   unk_token="<unk>", padding_side="right")


def gemma_style_tokenizer(directory):
    """A tokenizer.json shaped like Gemma's (the normalizer replacing spaces by "▁", no pre-tokenizer, BPE with byte
    fallback over <0x00>..<0xFF>, <bos> prepended by the post-processor; <pad> 0, <eos> 1, <bos> 2), trained by
    `tokenizers` on a few sentences (a vocabulary of 400), with a tokenizer_config.json naming GemmaTokenizer."""
    import json
    from pathlib import Path

    from tokenizers import Tokenizer, decoders, models, normalizers, processors, trainers

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    specials = ["<pad>", "<eos>", "<bos>", "<unk>", "<mask>"] + [f"<0x{b:02X}>" for b in range(256)]
    tok = Tokenizer(models.BPE(unk_token="<unk>", byte_fallback=True, fuse_unk=True))
    tok.normalizer = normalizers.Replace(" ", "▁")
    tok.decoder = decoders.Sequence([decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse()])
    corpus = ["a photo of a red cat on the sea", "A dog, under the blue sky!", "green hills over the sea",
              "small large cat dog", "given a user prompt, generate an enhanced prompt"] * 20
    tok.train_from_iterator(corpus, trainers.BpeTrainer(vocab_size=400, special_tokens=specials, show_progress=False))
    tok.post_processor = processors.TemplateProcessing(single="<bos> $A", pair="<bos> $A $B",
                                                       special_tokens=[("<bos>", 2)])
    tok.save(str(directory / "tokenizer.json"))
    (directory / "tokenizer_config.json").write_text(json.dumps({
        "tokenizer_class": "GemmaTokenizer", "bos_token": "<bos>", "eos_token": "<eos>", "pad_token": "<pad>",
        "unk_token": "<unk>", "add_bos_token": True, "add_eos_token": False, "padding_side": "right"}))
    return directory


# Sana_600M_512px_diffusers' transformer/config.json and Gemma-2-2B's text_encoder/config.json (the full sizes)
SANA_600M_512PX = dict(in_channels=32, out_channels=32, num_attention_heads=36, attention_head_dim=32, num_layers=28,
                       num_cross_attention_heads=16, cross_attention_head_dim=72, cross_attention_dim=1152,
                       caption_channels=2304, mlp_ratio=2.5, sample_size=16, patch_size=1)
GEMMA_2_2B = dict(vocab_size=256000, hidden_size=2304, intermediate_size=9216, num_hidden_layers=26,
                  num_attention_heads=8, num_key_value_heads=4, head_dim=256, max_position_embeddings=8192,
                  sliding_window=4096, query_pre_attn_scalar=256)


def write_sana_release(directory, seed: int = 0, scheduler: str = "dpm", sample_size: int = 2,
                       full_size: bool = False, transformer: dict | None = None, flow_shift: float = 3.0):
    """A SANA release in diffusers' layout with random weights, written by diffusers' own SanaPipeline.save_pretrained:
    a 2-layer transformer, a 2-layer Gemma-2 (hidden 24), the tokenizer above, dc-ae-f32c32-tiny as the VAE
    (scaling factor 0.37) and the releases' flow DPM-Solver (flow shift 3) or a flow Euler scheduler.
    `full_size`: Sana-600M at 512 px, Gemma-2-2B (stored in bfloat16, as the releases store it) and
    dc-ae-f32c32-sana-1.0, with the tokenizer above (the real Gemma tokenizer is not available offline).
    `transformer`: overrides of the transformer's config (SANA 1.5: qk_norm="rms_norm_across_heads"; 4K:
    interpolation_scale=2.0, with flow_shift=6).
    scheduler "scm": a SANA-Sprint release (SanaSprintPipeline, SCMScheduler, qk_norm and the guidance embedded).
    -> the diffusers pipeline (eval)."""
    from pathlib import Path

    import diffusers
    from transformers import Gemma2Config, Gemma2Model

    from dcae.models.dc_ae import get_config
    from dcae.models.random_init import randomize_

    torch.manual_seed(seed)
    ae_cfg = get_config("dc-ae-f32c32-sana-1.0" if full_size else "dc-ae-f32c32-tiny")
    if not full_size:
        ae_cfg = ae_cfg.replace(scaling_factor=0.37)
    vae = randomize_(diffusers.AutoencoderDC(**diffusers_kwargs(ae_cfg)), seed=seed).eval()
    special = dict(pad_token_id=0, bos_token_id=2, eos_token_id=1)
    if full_size:
        text_encoder = Gemma2Model._from_config(Gemma2Config(**GEMMA_2_2B, **special), dtype=torch.bfloat16).eval()
    else:
        text_encoder = Gemma2Model(Gemma2Config(vocab_size=len(SANA_WORDS) + 4, hidden_size=24, intermediate_size=32,
                                                num_hidden_layers=2, num_attention_heads=2, num_key_value_heads=1,
                                                head_dim=12, max_position_embeddings=512, sliding_window=64,
                                                **special)).eval()
        randomize_(text_encoder, seed=seed + 1)
    shape = SANA_600M_512PX if full_size else dict(
        in_channels=32, out_channels=32, num_attention_heads=2, attention_head_dim=8, num_layers=2,
        num_cross_attention_heads=2, cross_attention_head_dim=8, cross_attention_dim=16, caption_channels=24,
        mlp_ratio=2.5, sample_size=sample_size, patch_size=1)
    overrides = dict(transformer or {})
    if scheduler == "scm":
        overrides = {"qk_norm": "rms_norm_across_heads", "guidance_embeds": True, **overrides}
    transformer = randomize_(diffusers.SanaTransformer2DModel(**{**shape, **overrides}), seed=seed + 2).eval()
    pipeline = diffusers.SanaPipeline
    if scheduler == "scm":
        sched, pipeline = diffusers.SCMScheduler(num_train_timesteps=1000, prediction_type="trigflow",
                                                 sigma_data=0.5), diffusers.SanaSprintPipeline
    elif scheduler == "dpm":
        sched = diffusers.DPMSolverMultistepScheduler(num_train_timesteps=1000, algorithm_type="dpmsolver++",
                                                      solver_order=2, prediction_type="flow_prediction",
                                                      use_flow_sigmas=True, flow_shift=flow_shift)
    else:
        sched = diffusers.FlowMatchEulerDiscreteScheduler(num_train_timesteps=1000, shift=3.0)
    pipe = pipeline(tokenizer=sana_tokenizer(), text_encoder=text_encoder, vae=vae, transformer=transformer,
                    scheduler=sched)
    pipe.save_pretrained(str(Path(directory)))
    return pipe


def write_uvit_release(directory, name: str, ae_cfg, uvit_cfg, seed: int = 0) -> None:
    """An efficientvit U-ViT or USiT release (the same network): config.json {"model_name"} + model.safetensors:
    autoencoder.* (efficientvit names, from diffusers' AutoencoderDC) and diffusion_model.* (a U-ViT's tensors under
    efficientvit's names)."""
    import diffusers
    from safetensors.torch import save_file

    from dcae.models.random_init import randomize_, randomize_by_name_
    from dcae.models.uvit import UViT

    directory.mkdir(parents=True)
    ae = randomize_(diffusers.AutoencoderDC(**diffusers_kwargs(ae_cfg)), seed=seed).eval()
    state = {f"autoencoder.{k}": v for k, v in diffusers_to_efficientvit(ae.state_dict(), ae_cfg).items()}
    del ae
    state.update({f"diffusion_model.{k}": v for k, v in randomize_by_name_(UViT(uvit_cfg), seed).state_dict().items()})
    save_file({k: v.detach().contiguous() for k, v in state.items()}, str(directory / "model.safetensors"))
    (directory / "config.json").write_text(json.dumps({"model_name": name}) + "\n")


def check_cli_latents(checkpoint, tmp_path, noise_shape: tuple[int, ...], class_label: int = 3):
    """`dcae generate --latents/--save-latents` on a class-conditional generator: the saved final latents are the
    pipeline's from that noise (within 1e-5) -> the generated image (H, W, 3)."""
    import numpy as np
    from PIL import Image

    from dcae.cli import main
    from dcae.pipelines.latent_diffusion import LatentDiffusionPipeline

    noise = np.random.default_rng(0).standard_normal(noise_shape).astype(np.float32)
    np.save(tmp_path / "noise.npy", noise)
    assert main(["generate", "--model", str(checkpoint), "--class", str(class_label), "--latents",
                 str(tmp_path / "noise.npy"), "--save-latents", str(tmp_path / "final.npy"), "-o",
                 str(tmp_path / "x.png")]) == 0
    expected = LatentDiffusionPipeline.from_pretrained(checkpoint).sample_latents(class_label=class_label,
                                                                                  latents=noise).numpy()
    assert np.allclose(np.load(tmp_path / "final.npy"), expected, rtol=1e-5, atol=1e-5)
    return np.asarray(Image.open(tmp_path / "x.png"))


# dc-ae-f32c32-in-1.0 narrowed to the tiny widths under its own name and scaling factor (2x2 latents at 64 px): the
# autoencoder of the narrowed ImageNet releases (DiT-XL, U-ViT, USiT).
NARROW_AE = dc_ae.get_config("dc-ae-f32c32-tiny").replace(name="dc-ae-f32c32-in-1.0", scaling_factor=0.3189)


@contextmanager
def narrowed_release(name: str, ae_cfg, network_cfg):
    """The published release `name` narrowed for a test, in this process: its autoencoder preset replaced by
    `ae_cfg` and its network config by `network_cfg`, undone on exit (a subprocess sees the real ones)."""
    import dataclasses

    import pytest

    from dcae.checkpoint import PUBLISHED

    mp = pytest.MonkeyPatch()
    mp.setitem(dc_ae.PRESETS, PUBLISHED[name].autoencoder, ae_cfg)
    mp.setitem(PUBLISHED, name, dataclasses.replace(PUBLISHED[name], dit=network_cfg))
    try:
        yield
    finally:
        mp.undo()

