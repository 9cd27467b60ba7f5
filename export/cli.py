"""`dcae export`: checkpoints -> ONNX graphs in a Triton model repository."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def cmd_export(args: argparse.Namespace) -> int:
    from export.repository import export_repository

    te = args.text_encoder
    text_encoder = False if te is None else True if te == "" else Path(te)
    if args.int8 and not Path(args.int8).is_dir():  # checked before minutes of float32 export, not after
        raise FileNotFoundError(f"--int8 {args.int8}: no such folder of calibration images")
    written = export_repository(args.output, autoencoder=args.autoencoder, generator=args.generator,
                                text_encoder=text_encoder, fp16=args.fp16, decoder=args.decoder,
                                preview_decoder=args.preview_decoder,
                                cpu_python_backend=args.cpu_python_backend, reuse_onnx=args.reuse_onnx,
                                cpu_openvino_backend=args.cpu_openvino_backend,
                                generate_instances=args.generate_instances,
                                int8=False if args.int8 is None else True if args.int8 == "" else Path(args.int8),
                                log=(lambda *a: None) if args.json else print)
    result = {"repository": str(args.output), "models": {k: str(v) for k, v in written.items()},
              "variant": ("cpu-python" if args.cpu_python_backend else "cpu-openvino" if args.cpu_openvino_backend
                          else "gpu"),
              "precision": "float16" if args.fp16 else "float32", "int8": args.int8 is not None}
    if args.json:
        print(json.dumps(result, indent=2))
    return 0


def register_cli(subparsers) -> None:
    p = subparsers.add_parser(
        "export", help="export checkpoints to ONNX and a Triton model repository",
        description="Export the DC-AE encoder and decoder (dynamic batch, height, width), a generator's DiT "
                    "denoiser step (fixed latent size, dynamic batch) and the text encoder to ONNX (opset 18) "
                    "through explicit wrappers, and write a Triton model repository around them: one model per "
                    "network plus a `generate` model (python backend, BLS). The I/O names are the serving "
                    "contract (export/README.md).")
    p.add_argument("--autoencoder", type=Path, help="DC-AE checkpoint directory (default: the generator's)")
    p.add_argument("--generator", type=Path, help="generator checkpoint directory (adds dit and generate)")
    p.add_argument("--decoder", type=Path, metavar="DIR",
                   help="serve another autoencoder's decoder on the same latents (e.g. DC-AE-Lite's, ~1.8x faster, "
                        "with a SANA release): its compression and latent channels must match the encoder's")
    p.add_argument("--preview-decoder", type=Path, metavar="FILE",
                   help="a tiny decoder for streaming previews at every step (TAESANA's taesana_decoder.pth, or a "
                        "safetensors copy): exported as preview_decoder")
    p.add_argument("--text-encoder", nargs="?", const="", default=None, metavar="DIR",
                   help="also export the text encoder (all-MiniLM-L6-v2 from its package, or DIR); "
                        "implied by a text-conditioned generator")
    p.add_argument("-o", "--output", type=Path, required=True, help="model repository directory to write")
    p.add_argument("--fp16", action="store_true",
                   help="GPU graphs in fp16 with norms, attention and timestep embedding in fp32 (I/O stays fp32)")
    p.add_argument("--int8", nargs="?", const="", default=None, metavar="DIR",
                   help="also write int8 encoder and decoder graphs (model.int8.onnx) for the embedded CPU runtime "
                        "(DCAE_PRECISION=int8), statically quantized and calibrated on the photographs in DIR "
                        "(default: the autoencoder's calibration/ folder); refused if the round trip loses "
                        "more than 1 dB PSNR on them")
    p.add_argument("--cpu-python-backend", action="store_true",
                   help="write the CPU variant: each network a python-backend model running the ONNX file "
                        "with OpenVINO in bfloat16 where the CPU has it (float32 kept in norms, attention cores and "
                        "timestep sinusoids), else ONNX Runtime (for the python-only tritonserver of the "
                        "nvidia-pytriton wheel, or any CPU Triton)")
    p.add_argument("--cpu-openvino-backend", action="store_true",
                   help="write the CPU variant for a Triton with the OpenVINO backend: each network an "
                        "`openvino` model over the same ONNX file (OpenVINO's own precision: bfloat16 on AMX for "
                        "every layer)")
    p.add_argument("--reuse-onnx", type=Path, metavar="REPO",
                   help="take the float32 graphs from a repository exported earlier from the same checkpoints "
                        "(e.g. write the CPU variant after the GPU one without exporting again)")
    p.add_argument("--generate-instances", type=int, default=1, metavar="N",
                   help="instances of the generate model: generations it runs at once (default 1; the "
                        "gateway's default sampling loop does not use it, see DCAE_GENERATE_LOOP)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_export)
