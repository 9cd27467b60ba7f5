"""The `dcae` command. Each subcommand has `--help`; those that print figures take `--json`."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

from dcae.argtypes import finite_float, positive_int
from dcae.contract.generation import DEFAULT_GUIDANCE, DEFAULT_STEPS
from dcae.contract.sampling import SAMPLERS

# The models this repository ships (trained with `dcae train-ae` / `dcae train-dit`; see their model cards).
WEIGHTS_DIR = Path(__file__).resolve().parent.parent / "weights"
SHIPPED_AUTOENCODER = WEIGHTS_DIR / "dc-ae-f32c32-small"
SHIPPED_GENERATOR = WEIGHTS_DIR / "dit-mini-wallpapers"


def _print(result: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(result, indent=2))
    else:
        width = max(len(k) for k in result)
        for k, v in result.items():
            print(f"{k:<{width}}  {v}")


def _tile_spec(args: argparse.Namespace):
    from dcae.pipelines.autoencoder import TileSpec

    if not args.tile:
        return None
    return TileSpec(args.tile_size, args.tile_overlap)


def _add_precision_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--precision", choices=("auto", "float32", "bfloat16"), default="auto",
                   help="compute precision: auto is bfloat16 autocast on CPUs with bfloat16 matrix instructions "
                        "(AMX, AVX512-BF16; several times faster, norms and sinusoids stay float32), float32 "
                        "elsewhere; float32 opts out")


def _add_tile_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--tile", action="store_true", help="process in overlapping tiles (large images, 4K and up)")
    p.add_argument("--tile-size", type=int, default=512, help="tile side in image pixels (default 512)")
    p.add_argument("--tile-overlap", type=int, default=128, help="overlap between tiles in image pixels (default 128)")


def _progress_bar(desc: str):
    from tqdm import tqdm

    bar = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, desc=desc, unit="tile", leave=False)
        bar.update(done - bar.n)
        if done == total:
            bar.close()

    return update


# ----------------------------------------------------------------------------------------------


def cmd_info(args: argparse.Namespace) -> int:
    import torch

    from dcae.checkpoint import GENERATOR_FORMAT, detect_format, read_checkpoint
    from dcae.models.dc_ae import DCAE, count_parameters, get_config

    from dcae.pipelines.sana import is_sana_release

    if Path(args.preset).is_dir() and is_sana_release(args.preset):
        _print(_sana_info(args.preset), args.json)
        return 0
    if Path(args.preset).is_dir() and detect_format(args.preset) == GENERATOR_FORMAT:
        _print(_generator_info(args.preset), args.json)
        return 0
    if Path(args.preset).is_dir():
        cfg, _ = read_checkpoint(args.preset)
    elif "/" in args.preset or Path(args.preset).exists():
        raise SystemExit(f"error: {args.preset} is no checkpoint directory (and no preset name: `dcae presets`)")
    else:
        cfg = get_config(args.preset)
    with torch.device("meta"):  # shapes only: full-size presets are counted without allocating them
        model = DCAE(cfg)
    result = {
        "name": cfg.name,
        "params": count_parameters(model),
        "compression": cfg.compression,
        "latent_channels": cfg.latent_channels,
        "scaling_factor": cfg.scaling_factor,
        "latent_shape_512px": [cfg.latent_channels, 512 // cfg.compression, 512 // cfg.compression],
        "width_list": list(cfg.width_list),
        "encoder_depths": list(cfg.encoder_depths),
        "decoder_depths": list(cfg.decoder_depths),
    }
    _print(result, args.json)
    return 0


def _generator_info(directory: str) -> dict:
    """A generator checkpoint's facts, with its sampling defaults (what `dcae generate` and the export use)."""
    import torch

    from dcae.checkpoint import CheckpointError, read_checkpoint, read_generator_config
    from dcae.checkpoint.generator import build_generator, generator_config
    from dcae.contract.generation import sampling_defaults

    config = read_generator_config(directory)
    missing = [k for k in ("dit", "objective", "autoencoder") if k not in config]
    if missing:
        raise CheckpointError(f"{directory}/config.json lacks {', '.join(map(repr, missing))}: not a complete "
                              "generator checkpoint")
    cfg = generator_config(config)
    with torch.device("meta"):
        params = sum(p.numel() for p in build_generator(cfg).parameters())
    ae_dir = (Path(directory) / config["autoencoder"]).resolve()
    ae_cfg, _ = read_checkpoint(ae_dir)
    sampling = sampling_defaults(config["objective"]["kind"], config.get("sampling"))
    conditioning = "text" if cfg.text_dim > 0 else f"class ({cfg.num_classes})" if cfg.num_classes > 0 else "none"
    return {"name": cfg.name, "kind": "generator", "params": params, "conditioning": conditioning,
            "objective": config["objective"], "sampling": sampling,
            "latent_shape": [cfg.in_channels, cfg.input_size, cfg.input_size],
            "image_size": cfg.input_size * ae_cfg.compression, "autoencoder": {"name": ae_cfg.name, "path": str(ae_dir)},
            **({"converted_from": config["converted_from"]} if "converted_from" in config else {})}


def _sana_info(directory: str) -> dict:
    """A SANA release's facts, read from its configs (nothing loaded): the transformer, the text encoder, the
    autoencoder and the sampling defaults its scheduler sets."""
    import dataclasses

    import torch

    from dcae.checkpoint import read_checkpoint
    from dcae.models.sana import SanaConfig, SanaTransformer
    from dcae.pipelines.sana import family, read_release, scheduler_defaults

    read_release(directory)
    root = Path(directory)
    cfg = SanaConfig.from_diffusers(json.loads((root / "transformer" / "config.json").read_text()))
    with torch.device("meta"):
        params = sum(p.numel() for p in SanaTransformer(cfg).parameters())
    ae_cfg, _ = read_checkpoint(root / "vae")
    text = json.loads((root / "text_encoder" / "config.json").read_text())
    objective, sampling = scheduler_defaults(root)
    return {"name": cfg.name, "kind": "sana", "family": family(cfg), "params": params, "conditioning": "text",
            "guidance": "embedded" if cfg.guidance_embeds else "classifier-free",
            "text_encoder": {"architecture": (text.get("architectures") or ["?"])[0],
                             "layers": text.get("num_hidden_layers"), "hidden_size": text.get("hidden_size")},
            "objective": dataclasses.asdict(objective), "sampling": sampling,
            "latent_shape": [cfg.in_channels, cfg.sample_size, cfg.sample_size],
            "image_size": cfg.sample_size * ae_cfg.compression,
            "autoencoder": {"name": ae_cfg.name, "path": str((root / "vae").resolve())}}


def cmd_presets(args: argparse.Namespace) -> int:
    from dcae.models.dc_ae import PRESETS

    if args.json:
        print(json.dumps({n: {"compression": c.compression, "latent_channels": c.latent_channels,
                              "scaling_factor": c.scaling_factor} for n, c in PRESETS.items()}, indent=2))
    else:
        for n, c in PRESETS.items():
            print(f"{n:<26} f{c.compression:<4} c{c.latent_channels:<4} scaling {c.scaling_factor}")
    return 0


def _output_path(path: str, image: bool) -> Path:
    """Check an output path before any work: an image format PIL writes (from the extension), and its
    folder, created when missing."""
    out = Path(path)
    if out.is_dir():
        raise SystemExit(f"error: -o {path} is a folder; give a file name")
    if image:
        from PIL import Image

        if out.suffix.lower() not in Image.registered_extensions():
            raise SystemExit(f"error: -o {path}: unknown image extension {out.suffix or '(none)'!r}; "
                             "use .png, .jpg or .webp")
    out.parent.mkdir(parents=True, exist_ok=True)
    return out


def cmd_convert(args: argparse.Namespace) -> int:
    import torch

    from dcae.checkpoint import convert

    dtype = {"float32": None, "float16": torch.float16, "bfloat16": torch.bfloat16}[args.dtype]
    _print(convert(args.src, args.dst, dtype=dtype, to=args.to), args.json)
    return 0


def cmd_encode(args: argparse.Namespace) -> int:
    from dcae.checkpoint import load_pretrained
    from dcae.data.files import load_image
    from dcae.data.tensors import to_tensor
    from dcae.pipelines.autoencoder import autocast, compute_precision, encode_image

    out = _output_path(args.output, image=False)
    if out.suffix != ".npy":  # np.save would add it; the sidecar and the message follow the real name
        out = out.with_name(out.name + ".npy")
    model = load_pretrained(args.model, device=args.device)
    img = load_image(args.image)
    x = to_tensor(img)[None].to(args.device)
    t0 = time.perf_counter()
    with autocast(args.device, args.precision):
        z = encode_image(model, x, tile=_tile_spec(args), progress=_progress_bar("encode") if args.tile else None)
    z = z.float()
    seconds = time.perf_counter() - t0
    if args.scaled:
        z = model.latent_space.to_diffusion(z)
    np.save(out, z.float().cpu().numpy())
    # The sidecar lets `dcae decode` crop the padding back off and undo the scaling.
    sidecar = {"image_size": [img.height, img.width], "model": model.config.name,
               "scaled": bool(args.scaled), "scaling_factor": model.config.scaling_factor}
    out.with_suffix(".json").write_text(json.dumps(sidecar, indent=2) + "\n")
    _print({"latent": str(out), "shape": list(z.shape), "image_size": [img.height, img.width],
            "scaled": bool(args.scaled), "encode_seconds": round(seconds, 4),
            "precision": compute_precision(args.device, args.precision)}, args.json)
    return 0


def cmd_decode(args: argparse.Namespace) -> int:
    import torch

    from dcae.checkpoint import load_pretrained
    from dcae.data.tensors import save_image
    from dcae.pipelines.autoencoder import autocast, compute_precision, decode_latent

    output = _output_path(args.output, image=True)
    model = load_pretrained(args.model, device=args.device)
    try:
        z = np.load(args.latent, allow_pickle=False)
    except (ValueError, EOFError):  # numpy calls anything not an array "pickled data"
        raise SystemExit(f"error: {args.latent} is not a .npy array (the format of np.save and dcae encode)") from None
    if z.ndim == 3:
        z = z[None]
    if z.ndim != 4 or z.shape[1] != model.config.latent_channels:
        raise SystemExit(f"error: {args.latent} has shape {z.shape}; {model.config.name} decodes "
                         f"(N, {model.config.latent_channels}, h, w) latents")
    sidecar_path = Path(args.latent).with_suffix(".json")
    sidecar = json.loads(sidecar_path.read_text()) if sidecar_path.is_file() else {}
    scaled = args.scaled if args.scaled is not None else sidecar.get("scaled", False)
    size = None
    if args.size:
        try:
            h, w = (int(v) for v in args.size.lower().split("x"))
        except ValueError:
            raise SystemExit(f"error: --size {args.size!r}: expected HEIGHTxWIDTH, e.g. 512x768") from None
        size = (h, w)
    elif "image_size" in sidecar:
        size = tuple(sidecar["image_size"])
    z = torch.from_numpy(z.astype(np.float32)).to(args.device)
    if scaled:
        z = model.latent_space.from_diffusion(z)
    t0 = time.perf_counter()
    with autocast(args.device, args.precision):
        x = decode_latent(model, z, image_size=size, tile=_tile_spec(args),
                          progress=_progress_bar("decode") if args.tile else None).float()
    seconds = time.perf_counter() - t0
    outputs = []
    for i in range(x.shape[0]):
        path = output if x.shape[0] == 1 else output.with_stem(f"{output.stem}_{i}")
        save_image(x[i], path)
        outputs.append(str(path))
    _print({"images": outputs, "size": [x.shape[2], x.shape[3]], "decode_seconds": round(seconds, 4),
            "precision": compute_precision(args.device, args.precision)}, args.json)
    return 0


def cmd_generate(args: argparse.Namespace) -> int:
    from dcae.pipelines.latent_diffusion import LatentDiffusionPipeline
    from dcae.pipelines.autoencoder import autocast
    from dcae.pipelines.sana import is_sana_release

    output = _output_path(args.output, image=True)
    if args.model and is_sana_release(args.model):
        return _generate_sana(args, output)
    if args.height or args.width or args.step_noise or args.image or args.decoder:
        raise SystemExit("error: --height, --width, --step-noise, --image and --decoder are for SANA releases (a DiT "
                         "or U-ViT generator has one size)")
    pipe = LatentDiffusionPipeline.from_pretrained(args.model or SHIPPED_GENERATOR)
    pipe.dit.to(args.device)
    pipe.autoencoder.to(args.device)
    chosen = {}
    if pipe.dit.config.num_classes > 0 and args.prompt is not None:  # an ImageNet generator: the nearest class
        index, name, cosine = pipe.prompt_to_class(args.prompt)
        chosen = {"class_label": index, "class_name": name, "cosine": round(cosine, 4)}
        args.class_label, args.prompt = index, None
    sampling = {**pipe.sampling, **{k: v for k, v in (("steps", args.steps), ("guidance", args.guidance),
                                                       ("sampler", args.sampler)) if v is not None}}
    bar = _steps_bar(sampling)
    t0 = time.perf_counter()
    latents = _start_noise(args, pipe.latent_shape)
    final: list = []
    with autocast(args.device, args.precision):
        images = pipe(prompt=args.prompt, class_label=args.class_label, n=args.n, seed=args.seed,
                      negative_prompt=args.negative_prompt, callback=lambda done, total: bar.update(1),
                      latents=latents, final_latents=final, **sampling)
    bar.close()
    _save_latents(args, final)
    _save_generated(images.float(), output, args, {**chosen, **sampling}, time.perf_counter() - t0)
    return 0


def _steps_bar(sampling: dict):
    """The sampling's steps; an adaptive sampler's (dopri5) counted as they come (its total is not known ahead)."""
    from tqdm import tqdm

    from dcae.contract.sampling import ADAPTIVE_SAMPLERS

    total = None if sampling["sampler"] in ADAPTIVE_SAMPLERS else sampling["steps"]
    return tqdm(total=total, desc="generate", unit="step", leave=False)


def _start_noise(args: argparse.Namespace, shape: tuple[int, ...] | None = None):
    """--latents: the start noise (n, C, h, w), checked against the generator's latent shape when it has one."""
    import numpy as np

    if not args.latents:
        return None
    latents = np.load(args.latents, allow_pickle=False)
    if latents.ndim != 4 or (shape is not None and tuple(latents.shape[1:]) != tuple(shape)):
        want = "(n, C, h, w)" if shape is None else f"(n, {', '.join(map(str, shape))})"
        raise SystemExit(f"error: --latents {args.latents}: expected {want} start noise, got shape {latents.shape}")
    return latents


def _save_latents(args: argparse.Namespace, final: list) -> None:
    """--save-latents: the final diffusion-space latents, before decoding."""
    import numpy as np

    if args.save_latents and final:
        np.save(args.save_latents, final[0])


def _save_generated(images, output: Path, args: argparse.Namespace, facts: dict, seconds: float) -> None:
    from dcae.data.tensors import save_image

    outputs = []
    for i in range(images.shape[0]):
        path = output if images.shape[0] == 1 else output.with_stem(f"{output.stem}_{i}")
        save_image(images[i], path)
        outputs.append({"path": str(path), "seed": args.seed + i})
    from dcae.pipelines.autoencoder import compute_precision

    _print({"images": outputs, "size": list(images.shape[2:]), **facts, "generate_seconds": round(seconds, 3),
            "precision": compute_precision(args.device, args.precision)}, args.json)


def _generate_sana(args: argparse.Namespace, output: Path) -> int:
    """`dcae generate --model <SANA release>`: the release's pipeline (dcae.pipelines.sana), its defaults over the flags."""
    import numpy as np
    import torch

    from dcae.contract.generation import binned_size
    from dcae.contract.pixels import fit, to_uint8
    from dcae.pipelines.autoencoder import autocast
    from dcae.pipelines.sana import SanaPipeline

    if args.prompt is None:
        raise SystemExit("error: SANA is text-conditioned: give --prompt")
    step_noise = image = None
    latents = _start_noise(args)
    if args.step_noise:
        step_noise = np.load(args.step_noise, allow_pickle=False)
        if step_noise.ndim != 5:
            raise SystemExit(f"error: --step-noise {args.step_noise}: expected (steps, n, C, h, w) noise, got shape "
                             f"{step_noise.shape}")
    if args.image:
        from dcae.data.files import load_image
        from dcae.data.tensors import to_tensor

        image = to_tensor(load_image(args.image))[None]
    pipe = SanaPipeline.from_pretrained(args.model, use_instruction=not args.no_instruction,
                                        decoder=args.decoder).to(args.device)
    sampling = {**pipe.sampling, **{k: v for k, v in (("steps", args.steps), ("guidance", args.guidance),
                                                       ("sampler", args.sampler)) if v is not None}}
    height, width, facts = args.height, args.width, dict(sampling)
    if args.resolution_binning:
        if latents is not None:
            raise SystemExit("error: --resolution-binning picks the generated size; --latents fixes it")
        asked = (height or pipe.image_size, width or pipe.image_size)
        height, width = binned_size(*asked, pipe.image_size, pipe.compression)
        facts["generated_size"] = [height, width]
    bar = _steps_bar(sampling)
    t0 = time.perf_counter()
    final: list = []
    with autocast(args.device, args.precision):
        images = pipe(args.prompt, n=args.n, seed=args.seed, negative_prompt=args.negative_prompt, height=height,
                      width=width, latents=latents, callback=lambda done, total: bar.update(1), step_noise=step_noise,
                      image=image, strength=args.strength, final_latents=final, **sampling).float()
    bar.close()
    _save_latents(args, final)
    if args.resolution_binning and tuple(images.shape[2:]) != asked:  # resized and center-cropped to the size asked
        fitted = np.stack([fit(image, *asked) for image in to_uint8(images.numpy())])
        images = torch.from_numpy(fitted.transpose(0, 3, 1, 2).astype(np.float32) / 127.5 - 1)
    _save_generated(images, output, args, facts, time.perf_counter() - t0)
    return 0


# ----------------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dcae", description="DC-AE: deep compression autoencoder tools.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("info", help="architecture facts of a preset or checkpoint",
                       description="Print parameter count (incl. BatchNorm statistics), compression, latent "
                                   "channels and scaling factor of a preset name or checkpoint directory; for a "
                                   "generator checkpoint, its DiT, conditioning, objective and sampling defaults.")
    p.add_argument("preset", help="preset name (see `dcae presets`) or a checkpoint directory")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_info)

    p = sub.add_parser("presets", help="list the presets", description="List every DC-AE preset.")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_presets)

    p = sub.add_parser("convert", help="convert an efficientvit or diffusers checkpoint, or a generator release, to ours",
                       description="Read a checkpoint directory in the efficientvit format (model.safetensors + "
                                   "config.json with model_name) or the diffusers format (config.json + "
                                   "diffusion_pytorch_model.safetensors), detect which, check every tensor, "
                                   "and write our format (config.json + model.safetensors). An efficientvit "
                                   "generator release (e.g. dc-ae-f32c32-in-1.0-dit-xl-in-512px: autoencoder.* + "
                                   "diffusion_model.* in one file) becomes a generator checkpoint at DST with its "
                                   "autoencoder at DST/autoencoder and the release's sampling recipe as defaults. "
                                   "--to diffusers writes an autoencoder in diffusers' layout instead, for "
                                   "AutoencoderDC.from_pretrained (e.g. one trained here).")
    p.add_argument("src", help="source checkpoint directory")
    p.add_argument("dst", help="output directory")
    p.add_argument("--dtype", choices=["float32", "float16", "bfloat16"], default="float32",
                   help="storage precision (default float32)")
    p.add_argument("--to", choices=["dcae", "diffusers"], default="dcae",
                   help="the layout written: ours (default), or diffusers' AutoencoderDC (autoencoders)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_convert)

    p = sub.add_parser("encode", help="image -> latent .npy",
                       description="Encode an image of any size to a latent .npy (padded to the compression "
                                   "factor; a .json sidecar records the original size for `dcae decode`).")
    p.add_argument("image", help="input image (any format PIL reads)")
    p.add_argument("--model", required=True, help="checkpoint directory (any supported format)")
    p.add_argument("-o", "--output", required=True, help="output .npy")
    p.add_argument("--scaled", action="store_true",
                   help="multiply by the model's scaling factor (the diffusion-space latent)")
    p.add_argument("--device", default="cpu", help="torch device (default cpu)")
    p.add_argument("--json", action="store_true", help="print JSON")
    _add_tile_args(p)
    _add_precision_arg(p)
    p.set_defaults(func=cmd_encode)

    p = sub.add_parser("decode", help="latent .npy -> image",
                       description="Decode a latent .npy to an image (PNG, JPEG or WebP by extension).")
    p.add_argument("latent", help="input .npy, (C, h, w) or (N, C, h, w)")
    p.add_argument("--model", required=True, help="checkpoint directory (any supported format)")
    p.add_argument("-o", "--output", required=True, help="output image; _0, _1... appended for batches")
    p.add_argument("--size", help="crop to HEIGHTxWIDTH, as the gateway's ?size= and the sidecar's image_size "
                                  "(default: the size in the encode sidecar, if any)")
    p.add_argument("--scaled", action=argparse.BooleanOptionalAction, default=None,
                   help="the latent is in diffusion space (divide by the scaling factor); default from the sidecar")
    p.add_argument("--device", default="cpu", help="torch device (default cpu)")
    p.add_argument("--json", action="store_true", help="print JSON")
    _add_tile_args(p)
    _add_precision_arg(p)
    p.set_defaults(func=cmd_decode)

    p = sub.add_parser("generate", help="text or class -> images with a latent diffusion generator",
                       description="Sample images from a generator checkpoint (ours, text- or class-conditioned) or "
                                   "a SANA release in diffusers' layout. Without --model, the shipped text-to-image "
                                   "model is used.")
    p.add_argument("--model", default=None,
                   help=f"generator directory or SANA release folder (default {SHIPPED_GENERATOR})")
    cond = p.add_mutually_exclusive_group(required=True)
    cond.add_argument("--prompt", help="text prompt (text-conditioned models; ImageNet class-conditioned ones "
                                       "generate the nearest class)")
    cond.add_argument("--class", dest="class_label", type=int, help="class index (class-conditioned models)")
    p.add_argument("-n", type=positive_int, default=1, help="number of images (default 1)")
    p.add_argument("--seed", type=int, default=0, help="image i uses seed + i (default 0)")
    p.add_argument("--steps", type=positive_int, default=None,
                   help=f"sampler steps (default: the checkpoint's, else {DEFAULT_STEPS})")
    p.add_argument("--guidance", type=finite_float, default=None,
                   help=f"classifier-free guidance scale (default: the checkpoint's, else {DEFAULT_GUIDANCE})")
    p.add_argument("--sampler", choices=SAMPLERS, default=None,
                   help="default: the checkpoint's, else euler for flow models and dpmpp_2m for ddpm models")
    p.add_argument("--negative-prompt", default=None,
                   help="what not to generate: the unconditional half of guidance (text-conditioned models)")
    p.add_argument("--height", type=positive_int, default=None,
                   help="SANA: image height in pixels, a multiple of the autoencoder's compression unless "
                        "--resolution-binning (default: the release's size)")
    p.add_argument("--width", type=positive_int, default=None, help="SANA: image width (as --height)")
    p.add_argument("--latents", default=None, metavar="FILE.npy",
                   help="the start noise, (n, C, h, w) float in the model's latent space (e.g. another "
                        "implementation's, to reproduce its images); sets n (and SANA's size)")
    p.add_argument("--save-latents", default=None, metavar="FILE.npy",
                   help="also write the final diffusion-space latents (n, C, h, w), before decoding")
    p.add_argument("--step-noise", default=None, metavar="FILE.npy",
                   help="SANA-Sprint: the fresh noise of each step run, (steps, n, C, h, w) (e.g. another "
                        "implementation's, to reproduce its images; default: from the seed)")
    p.add_argument("--image", default=None, metavar="FILE",
                   help="SANA: image-to-image from this image (generated at its size; sides multiples of the "
                        "autoencoder's compression)")
    p.add_argument("--strength", type=finite_float, default=0.6,
                   help="with --image: how much of the image is re-generated, 0 to 1 (default 0.6)")
    p.add_argument("--decoder", default=None, metavar="DIR",
                   help="SANA: decode with another autoencoder's decoder on the same latents (e.g. DC-AE-Lite's)")
    p.add_argument("--resolution-binning", action="store_true",
                   help="SANA: generate at the native area with the aspect ratio of --height/--width (any sizes), "
                        "then resize and center-crop to them")
    p.add_argument("--no-instruction", action="store_true",
                   help="SANA: prompts without the release's default complex human instruction")
    p.add_argument("-o", "--output", required=True, help="output image; _0, _1... appended when n > 1")
    p.add_argument("--device", default="cpu", help="torch device (default cpu)")
    p.add_argument("--json", action="store_true", help="print JSON")
    _add_precision_arg(p)
    p.set_defaults(func=cmd_generate)

    from dcae import client
    from dcae.data import corpus
    from dcae.evaluation import reconstruction as evaluate
    from dcae.training import ae as train_ae, dit as train_dit

    client.register_cli(sub)
    corpus.register_cli(sub)
    train_ae.register_cli(sub)
    evaluate.register_cli(sub)
    train_dit.register_cli(sub)

    try:  # `dcae export` lives in the export/ package, installed beside dcae (pyproject packages)
        from export.cli import register_cli as register_export
    except ModuleNotFoundError as e:
        if e.name != "export":
            raise
    else:
        register_export(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from dcae.checkpoint import CheckpointError
    from dcae.client import ClientError

    try:
        return args.func(args) or 0
    except SystemExit as e:  # the commands' own refusals: the same one line and exit code as the rest
        if not isinstance(e.code, str):
            raise
        print(e.code if e.code.startswith("error:") else f"error: {e.code}", file=sys.stderr)
        return 2
    except (CheckpointError, ClientError, KeyError, ValueError, OSError, RuntimeError) as e:
        # What a user can fix (a path, a file, a value) in one line; DCAE_DEBUG=1 shows the traceback.
        if os.environ.get("DCAE_DEBUG"):
            raise
        message = e.args[0] if isinstance(e, KeyError) and e.args else e
        hint = "" if isinstance(e, (CheckpointError, ClientError, FileNotFoundError)) else " (DCAE_DEBUG=1 shows where)"
        print(f"error: {message or type(e).__name__}{hint}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
