"""`dcae train-dit`: a text-conditioned DiT on DC-AE latents of captioned photographs, and its
prompt-adherence measurement.

1. Latents: every training image yields `views` random multi-scale crops (dcae.data.RandomCropDataset),
   encoded once by the (frozen) autoencoder; a crop inherits its image's caption. A further
   `heldout_views` crops per image are kept out of training: they are the nearest-neighbour
   classifier's references when measuring prompt adherence.
2. Text: each caption is encoded once by the frozen text encoder (all-MiniLM-L6-v2 tokens).
3. Training: rectified flow (velocity prediction) by default, caption dropout for classifier-free
   guidance, AdamW, EMA weights (what is saved), bf16 autocast on CUDA, resumable.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import load_file, save_file
from tqdm import tqdm

from dcae.argtypes import finite_float, positive_int
from dcae.checkpoint import load_pretrained, save_generator
from dcae.training.objective import Objective
from dcae.pipelines.latent_diffusion import LatentDiffusionPipeline
from dcae.data.tensors import image_grid, save_image
from dcae.models.dc_ae import DCAE
from dcae.models.dit import DiT, get_config
from dcae.training.distributed import hardware_name
from dcae.training.state import (CHECKPOINT_FILE, CHECKPOINT_VERSION, ema_decay_at, ema_update, load_checkpoint, rng_state,
                                 save_checkpoint, set_rng_state)


# ----------------------------------------------------------------------------------------------
# Latents and text


def read_captions(path: str | Path) -> dict[str, str]:
    """{"image file name": "one-sentence caption", ...}"""
    captions = json.loads(Path(path).read_text())
    if not isinstance(captions, dict) or not captions:
        raise ValueError(f"{path}: expected a JSON object mapping image file names to captions")
    return captions


@torch.no_grad()
def encode_crops(autoencoder: DCAE, images_dir: str | Path, captions: dict[str, str], resolution: int, views: int,
                 heldout_views: int, seed: int = 0, batch_size: int = 16, device: str = "cpu") -> dict:
    """Latents (raw, fp16) of `views` training and `heldout_views` reference crops per captioned image."""
    from dcae.data.datasets import RandomCropDataset, loader_workers

    dataset = RandomCropDataset(images_dir, resolution, views_per_image=views + heldout_views, seed=seed)
    names = [p.name for p in dataset.paths]
    missing = [n for n in names if n not in captions]
    if missing:
        raise ValueError(f"{len(missing)} images have no caption, e.g. {missing[:3]}; add them to the captions file")
    n_images = len(names)
    autoencoder = autoencoder.to(device).eval()
    latents, labels, heldout = [], [], []
    # Crops are decoded by worker processes (5K photographs are slow to decode); order is kept.
    loader = torch.utils.data.DataLoader(dataset, batch_size=batch_size, shuffle=False, **loader_workers(None))
    for b, x in enumerate(tqdm(loader, desc="encode crops", unit="batch")):
        idx = range(b * batch_size, b * batch_size + len(x))
        latents.append(autoencoder.encode(x.to(device)).half().cpu())
        labels += [i % n_images for i in idx]
        heldout += [i // n_images >= views for i in idx]  # the last `heldout_views` passes over the images
    return {"latents": torch.cat(latents), "labels": torch.tensor(labels), "heldout": torch.tensor(heldout),
            "names": names, "captions": [captions[n] for n in names]}


def save_latent_cache(cache: dict, path: str | Path, source: dict | None = None) -> None:
    """`source`: what the crops were made from (`latent_cache_source`), checked when the cache is reused."""
    tensors = {k: cache[k].contiguous() for k in ("latents", "labels", "heldout")}
    meta = {"names": json.dumps(cache["names"]), "captions": json.dumps(cache["captions"])}
    if source is not None:
        meta["source"] = json.dumps(source, sort_keys=True)
    save_file(tensors, str(path), metadata=meta)


def latent_cache_source(cfg: DiTTrainConfig) -> dict:
    """Everything the cached crops depend on but the captions (stored beside them)."""
    return {"autoencoder": str(Path(cfg.autoencoder).resolve()), "data": str(Path(cfg.data).resolve()),
            "resolution": cfg.resolution, "views": cfg.views, "heldout_views": cfg.heldout_views, "seed": cfg.seed}


def check_latent_cache(path: Path, meta: dict, source: dict, captions: dict[str, str]) -> None:
    """Refuse a cache made from other images, captions or settings than this run's: training on it
    would silently train on the wrong data (a rerun into the same --out with another --data, say)."""
    recorded = json.loads(meta["source"]) if "source" in meta else None
    differ = sorted(k for k in source if recorded is not None and recorded.get(k) != source[k])
    names, cached = json.loads(meta["names"]), json.loads(meta["captions"])
    if any(captions.get(n) != c for n, c in zip(names, cached)):
        differ.append("captions")
    if differ:
        raise ValueError(f"{path} was made with other {', '.join(differ)} than this run's; use another --out "
                         "or delete it (and text.safetensors beside it) to encode the crops again")


def load_latent_cache(path: str | Path) -> dict:
    from safetensors import safe_open

    with safe_open(str(path), "pt") as f:
        meta = f.metadata()
    cache = load_file(str(path))
    cache["heldout"] = cache["heldout"].bool()
    return {**cache, "names": json.loads(meta["names"]), "captions": json.loads(meta["captions"]), "meta": meta}


# ----------------------------------------------------------------------------------------------
# Training


@dataclass
class DiTTrainConfig:
    autoencoder: str
    data: str
    captions: str
    out: str
    preset: str = "DiT-mini/1"
    objective: str = "flow"
    resolution: int = 512
    views: int = 48
    heldout_views: int = 4
    steps: int = 4000
    batch_size: int = 64
    lr: float = 3e-4
    weight_decay: float = 0.0
    warmup: int = 200
    ema_decay: float = 0.999
    caption_dropout: float = 0.1
    text_len: int = 32
    sample_every: int = 1000
    checkpoint_every: int = 1000
    seed: int = 0
    device: str | None = None
    precision: str | None = None  # bf16 on CUDA, fp32 on CPU
    resume: bool = False
    time_limit: float = 0.0  # seconds; > 0 stops early (and saves) when the budget is spent


def _autocast(device: torch.device, precision: str):
    if precision == "fp32":
        return torch.autocast(device.type, enabled=False)
    return torch.autocast(device.type, dtype=torch.bfloat16 if precision == "bf16" else torch.float16)


def _latent_cache(cfg: DiTTrainConfig, autoencoder: DCAE, run: Path, device: torch.device) -> dict:
    """The crops' latents, encoded once into RUN/latents.safetensors and reused while its source (data,
    settings, captions) is unchanged."""
    cache_path = run / "latents.safetensors"
    captions = read_captions(cfg.captions)
    if cache_path.is_file():
        cache = load_latent_cache(cache_path)
        check_latent_cache(cache_path, cache["meta"], latent_cache_source(cfg), captions)
        return cache
    cache = encode_crops(autoencoder, cfg.data, captions, cfg.resolution, cfg.views, cfg.heldout_views,
                         seed=cfg.seed, device=str(device))
    save_latent_cache(cache, cache_path, latent_cache_source(cfg))
    return cache


def _caption_tokens(cfg: DiTTrainConfig, captions: list[str], path: Path, device: torch.device
                    ) -> tuple[torch.Tensor, torch.Tensor]:
    """Caption tokens and masks, computed once; a prepared run dir may carry them (machines without the
    text encoder)."""
    if not path.is_file():
        from dcae.models.text_encoder import TextEncoder

        tokens, mask, _ = TextEncoder(device=device).encode(captions, max_length=cfg.text_len)
        save_file({"tokens": tokens.cpu().contiguous(), "mask": mask.cpu().contiguous()}, str(path))
    text_cache = load_file(str(path))
    tokens, mask = text_cache["tokens"].to(device), text_cache["mask"].to(device).bool()
    if tokens.shape[:2] != (len(captions), cfg.text_len):
        raise ValueError(f"{path} holds {tuple(tokens.shape[:2])} tokens, expected ({len(captions)}, "
                         f"{cfg.text_len}); delete it to recompute")
    return tokens, mask


def _resume(path: Path, model: DiT, ema: DiT, opt: torch.optim.Optimizer) -> int:
    """Model, EMA, optimiser and RNG from a train-dit checkpoint (the shared format); -> its step."""
    state = load_checkpoint(path)
    if state.get("version") != CHECKPOINT_VERSION or state.get("kind") != "dit":
        raise ValueError(f"{path} is not a train-dit checkpoint of version {CHECKPOINT_VERSION}")
    model.load_state_dict(state["model"])
    ema.load_state_dict(state["ema"])
    opt.load_state_dict(state["optimizer"])
    set_rng_state(state["rng"])
    return state["step"]


def _drop_captions(model: DiT, ctx: torch.Tensor, ctx_mask: torch.Tensor, p: float, gen: torch.Generator
                   ) -> tuple[torch.Tensor, torch.Tensor]:
    """Replace each example's caption by the learned null context with probability p (classifier-free
    guidance's unconditional half)."""
    drop = torch.rand(ctx.shape[0], device=ctx.device, generator=gen) < p
    return model.fill_null_context(ctx, ctx_mask.bool() & ~drop[:, None])


def train_dit(cfg: DiTTrainConfig) -> dict:
    if not 0 <= cfg.caption_dropout <= 1:
        raise ValueError(f"caption_dropout {cfg.caption_dropout}: a probability, in [0, 1]")
    t_start = time.time()
    device = torch.device(cfg.device or ("cuda" if torch.cuda.is_available() else "cpu"))
    precision = cfg.precision or ("bf16" if device.type == "cuda" else "fp32")
    torch.manual_seed(cfg.seed)
    out = Path(cfg.out)
    run = out / "run"
    run.mkdir(parents=True, exist_ok=True)
    autoencoder = load_pretrained(cfg.autoencoder, device=device)
    cache = _latent_cache(cfg, autoencoder, run, device)
    train_idx = torch.nonzero(~cache["heldout"]).flatten()
    z_all = autoencoder.latent_space.to_diffusion(cache["latents"].float()).to(device)
    labels = cache["labels"].to(device)
    c, s = z_all.shape[1], z_all.shape[2]
    tokens, mask = _caption_tokens(cfg, cache["captions"], run / "text.safetensors", device)

    dit_cfg = get_config(cfg.preset).replace(in_channels=c, input_size=s, learn_sigma=False, num_classes=0,
                                             text_dim=tokens.shape[-1], text_len=cfg.text_len)
    objective = Objective(cfg.objective)
    model = DiT(dit_cfg).to(device)
    ema = copy.deepcopy(model).eval().requires_grad_(False)
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    n_params = sum(p.numel() for p in model.parameters() if p.requires_grad)
    print(f"train-dit: {dit_cfg.name} {n_params / 1e6:.1f}M params, {dit_cfg.num_tokens} tokens, "
          f"{len(train_idx)} training crops of {len(cache['names'])} images, {objective.kind} objective, "
          f"{device} {precision}", file=sys.stderr)

    ckpt_path = run / CHECKPOINT_FILE
    step = _resume(ckpt_path, model, ema, opt) if cfg.resume and ckpt_path.is_file() else 0
    gen = torch.Generator(device=device).manual_seed(cfg.seed + step)  # noise, times, caption dropout
    pick_gen = torch.Generator().manual_seed(cfg.seed + step + 1)  # which crops form a batch

    def model_fn(x, t, ctx, ctx_mask):
        with _autocast(device, precision):
            return model(x, t, context=ctx, context_mask=ctx_mask).float()

    def save_state() -> None:  # what --resume continues from: the shared format (dcae.training.state)
        save_checkpoint({"version": CHECKPOINT_VERSION, "kind": "dit", "step": step, "model": model.state_dict(),
                         "ema": ema.state_dict(), "optimizer": opt.state_dict(), "rng": rng_state(),
                         "config": asdict(cfg)}, ckpt_path)

    bar = tqdm(total=cfg.steps, initial=step, desc="train-dit", unit="step", dynamic_ncols=True)
    losses, t_last = [], time.time()
    t_train = time.time()  # the time limit counts training steps, not the latent encoding before them
    model.train()
    while step < cfg.steps and not (cfg.time_limit and time.time() - t_train > cfg.time_limit):
        pick = train_idx[torch.randint(len(train_idx), (cfg.batch_size,), generator=pick_gen)].to(device)
        x0, lab = z_all[pick], labels[pick]
        ctx, ctx_mask = _drop_captions(model, tokens[lab], mask[lab], cfg.caption_dropout, gen)
        for g in opt.param_groups:
            g["lr"] = cfg.lr * min(1.0, (step + 1) / max(cfg.warmup, 1))
        loss = objective.training_loss(lambda x, t: model_fn(x, t, ctx, ctx_mask), x0, generator=gen).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        ema_update(ema, model, ema_decay_at(step, cfg.ema_decay))
        step += 1
        losses.append(loss.item())
        bar.update(1)
        if step % 20 == 0 or step == cfg.steps:
            rate = 20 * cfg.batch_size / max(time.time() - t_last, 1e-9)
            t_last = time.time()
            bar.set_postfix(loss=f"{np.mean(losses[-20:]):.4f}", latents_per_s=f"{rate:.0f}")
        if step % cfg.checkpoint_every == 0:
            save_state()
        if cfg.sample_every and step % cfg.sample_every == 0 and step < cfg.steps:
            _sample_grid(ema, objective, autoencoder, tokens[:4], mask[:4], run / f"samples_{step:06d}.png")
    bar.close()
    save_state()
    _sample_grid(ema, objective, autoencoder, tokens[:4], mask[:4], run / "samples_final.png")

    wall = time.time() - t_start
    save_generator(ema.cpu(), objective, out, dtype=torch.float16, autoencoder_path=os.path.relpath(Path(cfg.autoencoder).resolve(), out.resolve()),
                   text_encoder="all-MiniLM-L6-v2",
                   metadata={"training": {**asdict(cfg), "final_loss": float(np.mean(losses[-100:])) if losses else None,
                                          "steps_done": step, "stopped_by": "time limit" if step < cfg.steps else "steps",
                                          "wall_seconds": round(wall, 1), "hardware": hardware_name(device),
                                          "command": " ".join(sys.argv)}})
    return {"steps": step, "wall_seconds": wall, "final_loss": float(np.mean(losses[-100:])) if losses else None}


@torch.no_grad()
def _sample_grid(dit: DiT, objective: Objective, autoencoder: DCAE, tokens: torch.Tensor, mask: torch.Tensor,
                 path: Path, seeds: tuple[int, ...] = (0, 1, 2, 3), steps: int = 20, guidance: float = 4.0) -> None:
    """Rows: the first captions; columns: seeds. Uses cached caption tokens (no text encoder needed)."""
    pipe = LatentDiffusionPipeline(dit.eval(), objective, autoencoder, text_encoder=_CachedText(tokens, mask))
    rows = [pipe(prompt=i, n=len(seeds), seed=seeds[0], steps=steps, guidance=guidance) for i in range(len(tokens))]
    save_image(image_grid(torch.cat(rows).float().cpu(), nrow=len(seeds)), path)


class _CachedText:
    """Stands in for the text encoder during training: a "prompt" is an index into the cached captions."""

    def __init__(self, tokens: torch.Tensor, mask: torch.Tensor) -> None:
        self.tokens, self.mask = tokens, mask

    def encode(self, prompts: list[int], max_length: int) -> tuple[torch.Tensor, torch.Tensor, None]:
        return self.tokens[prompts], self.mask[prompts], None


# ----------------------------------------------------------------------------------------------
# Prompt adherence


@torch.no_grad()
def prompt_adherence(pipe: LatentDiffusionPipeline, cache: dict, samples_per_caption: int = 4, steps: int = 20,
                     guidance: float = 4.0, seed: int = 1000) -> dict:
    """For each captioned image, generate samples from its caption and classify each generated latent
    by its nearest neighbour (L2) among the held-out crops' latents of all images. Accuracy = how often
    the neighbour comes from the captioned image; chance = 1 / number of images."""
    ls = pipe.autoencoder.latent_space
    ref = ls.to_diffusion(cache["latents"][cache["heldout"]].float()).flatten(1)
    ref_labels = cache["labels"][cache["heldout"]]
    n_images = len(cache["names"])
    hits, per_image = 0, []
    for label, caption in enumerate(tqdm(cache["captions"], desc="prompt adherence", unit="caption")):
        z = pipe.sample_latents(prompt=caption, n=samples_per_caption, seed=seed + label * 100, steps=steps,
                                guidance=guidance).cpu().flatten(1)
        nearest = ref_labels[torch.cdist(z, ref).argmin(dim=1)]
        correct = int((nearest == label).sum())
        hits += correct
        per_image.append(correct / samples_per_caption)
    return {"accuracy": hits / (n_images * samples_per_caption), "chance": 1 / n_images, "images": n_images,
            "samples_per_caption": samples_per_caption, "steps": steps, "guidance": guidance}


# ----------------------------------------------------------------------------------------------
# CLI


def register_cli(subparsers: argparse._SubParsersAction) -> None:
    defaults = DiTTrainConfig("", "", "", "")
    p = subparsers.add_parser("train-dit", help="train a text-conditioned DiT on DC-AE latents",
                              description="Encode captioned crops with a frozen DC-AE, then train a text-conditioned "
                                          "DiT (cross-attention over all-MiniLM-L6-v2 tokens) with EMA; writes a "
                                          "generator checkpoint and measures prompt adherence.")
    p.add_argument("--autoencoder", required=True, help="DC-AE checkpoint directory")
    p.add_argument("--data", required=True, help="folder of training images")
    p.add_argument("--captions", required=True, help='JSON {"file name": "caption"}')
    p.add_argument("--out", required=True, help="output generator directory (run state in OUT/run)")
    for name in ("preset", "objective", "resolution", "views", "heldout_views", "steps", "batch_size", "lr",
                 "warmup", "ema_decay", "caption_dropout", "text_len", "sample_every", "checkpoint_every", "seed",
                 "time_limit"):
        value = getattr(defaults, name)
        kind = positive_int if name in ("views", "heldout_views", "steps", "batch_size", "text_len") else type(value)
        p.add_argument("--" + name.replace("_", "-"), type=kind, default=value, help=f"(default {value})")
    p.add_argument("--device", default=None, help="torch device (default: cuda if available)")
    p.add_argument("--precision", choices=["bf16", "fp16", "fp32"], default=None)
    p.add_argument("--resume", action="store_true", help="continue from OUT/run/checkpoint.pt")
    p.add_argument("--adherence-samples", type=int, default=4, help="samples per caption for the adherence metric")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=_cmd_train_dit)

    p = subparsers.add_parser("eval-dit", help="prompt adherence of a text-conditioned generator",
                              description="For each caption, generate samples and classify each generated latent by "
                                          "its nearest neighbour among reference crops' latents of every captioned "
                                          "image; report how often it lands on the captioned image, against chance.")
    p.add_argument("--model", required=True, help="generator directory")
    p.add_argument("--data", required=True, help="folder of the captioned images")
    p.add_argument("--captions", required=True, help='JSON {"file name": "caption"}')
    p.add_argument("--resolution", type=int,
                   help="side of the reference crops (default: the generator's image size)")
    p.add_argument("--reference-views", type=positive_int, default=4, help="reference crops per image (default 4)")
    p.add_argument("--samples", type=positive_int, default=4, help="samples per caption (default 4)")
    p.add_argument("--steps", type=positive_int, default=20, help="sampler steps (default 20)")
    p.add_argument("--guidance", type=finite_float, default=4.0, help="guidance scale (default 4.0)")
    p.add_argument("--seed", type=int, default=1234, help="reference crops' seed (default 1234, not training's)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_cmd_eval_dit)


def _cmd_eval_dit(args: argparse.Namespace) -> int:
    pipe = LatentDiffusionPipeline.from_pretrained(args.model)
    native = pipe.latent_shape[1] * pipe.autoencoder.config.compression
    if args.resolution is None:
        args.resolution = native
    elif args.resolution != native:
        # Reference latents of another size than the generated ones cannot be compared.
        raise SystemExit(f"--resolution {args.resolution}: this generator makes {native}px images")
    # Reference crops from another seed than training used: views of the images the model never saw.
    cache = encode_crops(pipe.autoencoder, args.data, read_captions(args.captions), args.resolution, views=0,
                         heldout_views=args.reference_views, seed=args.seed)
    result = prompt_adherence(pipe, cache, samples_per_caption=args.samples, steps=args.steps,
                              guidance=args.guidance)
    print(json.dumps(result, indent=2) if args.json else result)
    return 0


def _cmd_train_dit(args: argparse.Namespace) -> int:
    fields = {k: v for k, v in vars(args).items() if k in DiTTrainConfig.__dataclass_fields__}
    cfg = DiTTrainConfig(**fields)
    result = train_dit(cfg)
    if args.adherence_samples > 0:
        pipe = LatentDiffusionPipeline.from_pretrained(cfg.out)
        result["prompt_adherence"] = prompt_adherence(pipe, load_latent_cache(Path(cfg.out) / "run" / "latents.safetensors"),
                                                      samples_per_caption=args.adherence_samples)
        config_path = Path(cfg.out) / "config.json"
        config = json.loads(config_path.read_text())
        config["prompt_adherence"] = result["prompt_adherence"]
        config_path.write_text(json.dumps(config, indent=2) + "\n")
    print(json.dumps(result, indent=2) if args.json else result)
    return 0
