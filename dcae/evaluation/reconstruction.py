"""`dcae eval-ae`: reconstruction quality of an autoencoder with the paper's protocol.

Protocol (DC-AE Sec. 4 / the usual ImageNet-512 reconstruction setup): resize the short side to R
(bicubic), center crop R x R, encode and decode, quantise the output to uint8, then compare with
the (uint8) input: PSNR and SSIM on [0, 1] (`dcae.evaluation.metrics`), LPIPS (VGG) when its weights are
available (see `dcae.training.losses`). The same numbers are given for the bicubic baseline that keeps as
many values as the latent (`dcae.evaluation.metrics.bicubic_baseline`): an autoencoder that cannot beat
down-and-up-sampling has learned nothing worth its compression. Three shares of the squared error say
where it lies: "coarse", in structures of about a latent cell or more (colour drifting over large
areas); "edges", in the frame of f/4 pixels along the image's edges (f: the compression factor); and
"seams", within f/16 pixels of the boundaries between latent cells (a blocking grid of period f).
"""

from __future__ import annotations

import argparse
import json
import math
from contextlib import nullcontext
from pathlib import Path
from typing import Callable

import torch
from torch.utils.data import DataLoader, Subset

from dcae.argtypes import crop_scale, positive_int
from dcae.evaluation.metrics import (baseline_size, bicubic_baseline, coarse_error_share, edge_error_share, psnr,
                          seam_error_share, seam_mask, ssim)
from dcae.models.dc_ae import DCAE

PROTOCOL = ("short side resized to R (bicubic), center crop R x R; reconstructions and baseline "
            "quantised to uint8; PSNR/SSIM on [0, 1], mean over images")


def quantize01(x: torch.Tensor) -> torch.Tensor:
    """[-1, 1] images -> [0, 1] on the uint8 grid (clamped, rounded): what a saved PNG holds."""
    return ((x.float().clamp(-1.0, 1.0) + 1.0) * 127.5).round() / 255.0


def _comparison_strip(ref: torch.Tensor, rec: torch.Tensor, base: torch.Tensor) -> torch.Tensor:
    """(3, R, R) images in [0, 1] -> one picture: input | reconstruction | bicubic | both errors.

    The error panels show the absolute error averaged over channels, times 4 (white: 64 levels or more)."""
    from dcae.data.tensors import image_grid

    def error(out: torch.Tensor) -> torch.Tensor:
        return ((out - ref).abs().mean(dim=0, keepdim=True) * 4).clamp(0, 1).expand(3, -1, -1)

    return image_grid(torch.stack([ref, rec, base, error(rec), error(base)]), nrow=5, padding=4)


def evaluate_reconstruction(images: str | Path, resolution: int, reconstruct: Callable[[torch.Tensor], torch.Tensor],
                            latent_shape: tuple[int, int, int], limit: int | None = None, batch_size: int = 8,
                            device: str | torch.device = "cpu", lpips: torch.nn.Module | None = None,
                            progress: bool = False, per_image: bool = False,
                            comparisons: str | Path | None = None, crop_scale: float | None = None) -> dict:
    """Metrics of `reconstruct` ((N, 3, R, R) in [-1, 1] -> same) over the center crops of a folder,
    and of the bicubic baseline holding `latent_shape` (C, h, w) values. Returns a flat dict.

    Three shares of the squared error say where it lies, with the compression factor f: in structures
    coarser than f / 4 pixels (`coarse_error_share`: colour or brightness drifting over areas of about a
    latent cell or more), in the frame of f / 4 pixels along the edges (`edge_error_share`; the
    frame's share of the pixels when the error is spread evenly) and, inside that frame, within f / 16
    pixels of the boundaries between latent cells (`seam_error_share`; `seam_pixel_share` when spread
    evenly).
    `per_image` adds one row of metrics per image; `comparisons` writes, per image, a PNG strip: input,
    reconstruction, bicubic baseline, and their absolute errors (x4). `crop_scale` replaces the
    protocol's resize with a resize by that factor (1: native pixels; `CenterCropDataset`). Images
    that the model or the baseline reproduces exactly (infinite PSNR) are left out of the means and
    named in `reproduced_exactly`."""
    from dcae.data.tensors import save_image

    loader = _crops(images, resolution, crop_scale, limit, batch_size, progress)
    if comparisons is not None:
        comparisons = Path(comparisons)
        comparisons.mkdir(parents=True, exist_ok=True)
    cell = resolution // latent_shape[1]
    frame, band = max(1, round(cell / 4)), max(1, cell // 16)  # as _metrics measures them
    scores: dict[str, list[torch.Tensor]] = {
        f"{prefix}{metric}": [] for prefix in ("", "bicubic_")
        for metric in ("psnr", "ssim", "lpips", "coarse_error_share", "edge_error_share", "seam_error_share")}
    names: list[str] = []
    for x, batch_names in loader:
        x = x.to(device)
        ref = quantize01(x)
        with torch.no_grad():
            rec = quantize01(reconstruct(x))
            base = (bicubic_baseline(ref, latent_shape) * 255.0).round() / 255.0
            for prefix, out in (("", rec), ("bicubic_", base)):
                for metric, value in _metrics(out, ref, cell, lpips).items():
                    scores[prefix + metric].append(value)
        if comparisons is not None:
            for name, r, o, b in zip(batch_names, ref.cpu(), rec.cpu(), base.cpu()):
                save_image(_comparison_strip(r, o, b) * 2 - 1,
                           comparisons / (Path(name).with_suffix("").as_posix().replace("/", "__") + ".png"))
        names.extend(batch_names)
    if not names:
        raise FileNotFoundError(f"no images to evaluate in {images}")
    values = {k: torch.cat(v).double() for k, v in scores.items() if v}

    # An image reproduced exactly (a flat crop through the baseline, say) has an infinite PSNR and no
    # error to share out: the means are over the images neither the model nor the baseline reproduces
    # exactly, for the two to be compared on the same images (a NaN still shows in them). Where each
    # image is reproduced exactly by one or the other, the means are over all of them.
    exact = values["psnr"].isposinf() | values["bicubic_psnr"].isposinf()
    kept = ~exact if not exact.all() else torch.ones_like(exact)

    def mean(key: str) -> float | None:
        return float(values[key][kept].mean()) if key in values else None

    bh, bw = baseline_size((resolution, resolution), latent_shape)
    result = {
        "images": len(names),
        "resolution": resolution,
        "crop_scale": crop_scale,
        "latent_shape": list(latent_shape),
        **{key: mean(key) for key in scores},
        "reproduced_exactly": [name for name, e in zip(names, exact.tolist()) if e],
        "baseline_shape": [3, bh, bw],
        "edge_width": frame,
        "seam_band": band,
        "seam_pixel_share": float(seam_mask(resolution, resolution, cell, band, frame)[frame:resolution - frame,
                                                                                      frame:resolution - frame]
                                  .double().mean()),
        "lpips_available": lpips is not None,
        "protocol": PROTOCOL if crop_scale is None else PROTOCOL.replace(
            "short side resized to R", f"image resized by {crop_scale:g} (short side at least R)"),
    }
    if per_image:
        result["per_image"] = [{"name": name, **{k: float(v[i]) for k, v in values.items()}}
                               for i, name in enumerate(names)]
    return result


def _crops(images: str | Path, resolution: int, crop_scale: float | None, limit: int | None, batch_size: int,
           progress: bool):
    """Batches of (center crops in [-1, 1], names) of the evaluation protocol."""
    from dcae.data.datasets import CenterCropDataset

    dataset = CenterCropDataset(images, resolution, scale=crop_scale)
    if limit is not None:
        dataset = Subset(dataset, range(min(limit, len(dataset))))
    loader = DataLoader(dataset, batch_size=batch_size, shuffle=False)
    if progress:
        from tqdm import tqdm

        return tqdm(loader, desc="eval", unit="batch", leave=False)
    return loader


def _metrics(out: torch.Tensor, ref: torch.Tensor, cell: int, lpips: torch.nn.Module | None) -> dict[str, torch.Tensor]:
    """Per-image metrics of `out` against `ref` (both [0, 1] on the uint8 grid), latent cells of `cell` px."""
    quarter_cell = cell / 4
    frame, band = max(1, round(quarter_cell)), max(1, cell // 16)
    metrics = {"psnr": psnr(out, ref), "ssim": ssim(out, ref),
               "coarse_error_share": coarse_error_share(out, ref, quarter_cell),
               "edge_error_share": edge_error_share(out, ref, frame),
               "seam_error_share": seam_error_share(out, ref, cell, band, frame)}
    if lpips is not None:
        metrics["lpips"] = lpips(out * 2 - 1, ref * 2 - 1).float()
    return {k: v.cpu() for k, v in metrics.items()}


def evaluate_model(model: DCAE | str | Path, images: str | Path, resolution: int, limit: int | None = None,
                   batch_size: int = 8, device: str | torch.device = "cpu", precision: str = "fp32",
                   lpips_weights: str | Path | None = None, progress: bool = False, per_image: bool = False,
                   comparisons: str | Path | None = None, crop_scale: float | None = None) -> dict:
    """`evaluate_reconstruction` for a DC-AE (an instance or a checkpoint directory in any supported
    format). LPIPS is reported when weights are found (argument or $DCAE_LPIPS_WEIGHTS), else None."""
    from dcae.checkpoint import load_pretrained
    from dcae.evaluation.perceptual import load_lpips

    name = None
    if not isinstance(model, DCAE):
        name = str(model)
        model = load_pretrained(model, device=device)
    model = model.to(device).eval()
    f = model.config.compression
    if resolution % f:
        raise ValueError(f"resolution {resolution} is not a multiple of the compression factor {f}")
    latent_shape = (model.config.latent_channels, resolution // f, resolution // f)
    lpips = load_lpips(lpips_weights)
    if lpips is not None:
        lpips = lpips.to(device)
    device_type = torch.device(device).type
    autocast = (torch.autocast(device_type, dtype=torch.bfloat16) if precision == "bf16" else nullcontext())

    def reconstruct(x: torch.Tensor) -> torch.Tensor:
        with autocast:
            return model.decode(model.encode(x)).float()

    result = evaluate_reconstruction(images, resolution, reconstruct, latent_shape, limit=limit,
                                     batch_size=batch_size, device=device, lpips=lpips, progress=progress,
                                     per_image=per_image, comparisons=comparisons, crop_scale=crop_scale)
    return {"model": name or model.config.name, "preset": model.config.name, **result}


def is_model_repository(path: str | Path) -> bool:
    return (Path(path) / "encoder" / "config.pbtxt").is_file()


def evaluate_repository(repository: str | Path, images: str | Path, resolution: int, limit: int | None = None,
                        batch_size: int = 8, precision: str = "fp32", progress: bool = False,
                        per_image: bool = False, comparisons: str | Path | None = None,
                        crop_scale: float | None = None) -> dict:
    """`evaluate_reconstruction` of the exported graphs the gateway serves (`dcae export`), run with ONNX
    Runtime on CPU: `precision` fp32 for model.onnx, int8 for the `--int8` graphs."""
    import onnxruntime as ort

    from dcae.contract.metadata import graph_path, read_metadata

    config = Path(repository) / "encoder" / "config.pbtxt"
    if not config.is_file():
        raise FileNotFoundError(f"no model repository at {repository} (missing encoder/config.pbtxt)")
    metadata = read_metadata(config.read_text(), str(config))
    runtime_precision = {"fp32": "float32", "int8": "int8"}.get(precision)
    if runtime_precision is None:
        raise ValueError(f"a model repository is evaluated in fp32 or int8, not {precision}")
    ae = metadata.autoencoder
    f = ae.compression
    if resolution % f:
        raise ValueError(f"resolution {resolution} is not a multiple of the compression factor {f}")
    encoder, decoder = (ort.InferenceSession(str(graph_path(repository, metadata, n, runtime_precision)),
                                             providers=["CPUExecutionProvider"]) for n in ("encoder", "decoder"))

    def reconstruct(x: torch.Tensor) -> torch.Tensor:
        latent = encoder.run(["latent"], {"image": x.numpy()})[0]
        return torch.from_numpy(decoder.run(["image"], {"latent": latent})[0])

    result = evaluate_reconstruction(images, resolution, reconstruct, (ae.latent_channels, resolution // f,
                                                                       resolution // f),
                                     limit=limit, batch_size=batch_size, progress=progress,
                                     per_image=per_image, comparisons=comparisons, crop_scale=crop_scale)
    return {"model": str(repository), "preset": ae.name, "graphs": precision, **result}


def register_cli(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = subparsers.add_parser("eval-ae", help="reconstruction PSNR/SSIM(/LPIPS) vs the bicubic baseline",
                              description=__doc__.split("\n\n", 1)[1])
    p.add_argument("--model", required=True, help="checkpoint directory (any supported format), or a model "
                                                    "repository (`dcae export`): its ONNX graphs, run with ONNX Runtime")
    p.add_argument("--images", required=True, help="folder of evaluation images (searched recursively)")
    p.add_argument("--resolution", type=int, default=512, help="crop side R (default 512)")
    p.add_argument("--crop-scale", type=crop_scale, metavar="S",
                   help="instead of the protocol's resize (short side to R), resize each image by S (output "
                        "pixels per source pixel; 1 = native pixels, as training's close-up crops) before the "
                        "center crop (default: the protocol)")
    p.add_argument("--limit", type=int, help="evaluate only the first N images (sorted by path)")
    p.add_argument("--batch-size", type=positive_int, default=8, help="images per forward pass (default 8)")
    p.add_argument("--device", default="cpu", help="torch device (default cpu)")
    p.add_argument("--precision", choices=("auto", "fp32", "bf16", "int8"), default="auto",
                   help="checkpoints: autocast precision (fp32, bf16; auto: bf16 on CPUs with bfloat16 matrix "
                        "instructions, 57 dB from fp32 on the held-out photograph, else fp32); model repositories: "
                        "fp32 graphs (auto) or the int8 ones of `dcae export --int8` (default auto)")
    p.add_argument("--lpips-weights", help="directory with vgg16-397923af.pth and LPIPS' vgg.pth "
                                           "(default $DCAE_LPIPS_WEIGHTS; without them LPIPS is skipped)")
    p.add_argument("--per-image", action="store_true",
                   help="also give each image's metrics (a table, or a per_image list in the JSON)")
    p.add_argument("--comparisons", metavar="DIR",
                   help="write one PNG per image to DIR: input, reconstruction, bicubic baseline, and the "
                        "absolute error of each (x4)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_eval_ae)
    return p


def cmd_eval_ae(args: argparse.Namespace) -> int:
    options = {"per_image": args.per_image, "comparisons": args.comparisons, "progress": not args.json,
               "crop_scale": args.crop_scale}
    if args.precision == "auto":
        from dcae.pipelines.autoencoder import compute_precision

        bf16 = not is_model_repository(args.model) and compute_precision(args.device) == "bfloat16"
        args.precision = "bf16" if bf16 else "fp32"
    if is_model_repository(args.model):
        result = evaluate_repository(args.model, args.images, args.resolution, limit=args.limit,
                                     batch_size=args.batch_size, precision=args.precision, **options)
    elif args.precision == "int8":
        raise SystemExit("--precision int8 evaluates the int8 graphs of a model repository (dcae export --int8); "
                         f"{args.model} is a checkpoint")
    else:
        result = evaluate_model(args.model, args.images, args.resolution, limit=args.limit,
                                batch_size=args.batch_size, device=args.device, precision=args.precision,
                                lpips_weights=args.lpips_weights, **options)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    crops = "center crops" if args.crop_scale is None else f"center crops at scale {args.crop_scale:g}"
    print(f"{result['model']}: {result['images']} images, {args.resolution}px {crops}, latent "
          f"{'x'.join(map(str, result['latent_shape']))}")
    print(f"{'':<22}{'PSNR':>8}{'SSIM':>8}{'LPIPS':>8}{'coarse':>8}{'edges':>8}{'seams':>8}")

    def fmt(v: float | None, digits: int) -> str:
        return f"{v:>8.{digits}f}" if v is not None and math.isfinite(v) else f"{'-' if v is None else v:>8}"

    for label, prefix in (("model", ""), (f"bicubic {'x'.join(map(str, result['baseline_shape']))}", "bicubic_")):
        print(f"{label:<22}{fmt(result[prefix + 'psnr'], 2)}{fmt(result[prefix + 'ssim'], 4)}"
              f"{fmt(result[prefix + 'lpips'], 4)}{result[prefix + 'coarse_error_share']:>8.1%}"
              f"{result[prefix + 'edge_error_share']:>8.1%}{result[prefix + 'seam_error_share']:>8.1%}")
    edge = result["edge_width"]
    frame = 1 - (1 - 2 * edge / args.resolution) ** 2
    print(f"(shares of the squared error: coarse, in structures of about a latent cell or more; edges, in the "
          f"{edge}-px frame, {frame:.1%} of the pixels; seams, inside the frame within {result['seam_band']} px "
          f"of the boundaries between latent cells, {result['seam_pixel_share']:.1%} of its pixels)")
    exact = result["reproduced_exactly"]
    if exact and len(exact) < result["images"]:
        print(f"(means over the {result['images'] - len(exact)} images neither the model nor the baseline "
              f"reproduces exactly; left out: {', '.join(exact)})")
    if not result["lpips_available"]:
        print("(LPIPS skipped: no weights; see `dcae train-ae --help` on --lpips-weights)")
    if args.per_image:
        width = max(len(row["name"]) for row in result["per_image"])
        print(f"\n{'image':<{width}}{'PSNR':>8}{'SSIM':>8}{'coarse':>8}{'edges':>8}{'seams':>8}{'bicubic':>9}"
              f"{'gap dB':>8}")
        for row in result["per_image"]:
            print(f"{row['name']:<{width}}{fmt(row['psnr'], 2)}{fmt(row['ssim'], 4)}"
                  f"{row['coarse_error_share']:>8.1%}{row['edge_error_share']:>8.1%}{row['seam_error_share']:>8.1%}"
                  f"{fmt(row['bicubic_psnr'], 2):>9}"
                  f"{fmt(row['psnr'] - row['bicubic_psnr'], 2)}")
    if args.comparisons:
        print(f"comparisons (input | reconstruction | bicubic | errors x4) in {args.comparisons}")
    return 0
