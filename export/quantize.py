"""int8 graphs of the autoencoder for CPUs: static quantization with ONNX Runtime, calibrated on
photographs.

Convolutions get int8 weights (per output channel, symmetric) and uint8 activations (per tensor,
ranges from the calibration images); norms, activations, the attention and the residual adds stay
float32 between QuantizeLinear/DequantizeLinear pairs (QDQ format), which ONNX Runtime's CPU provider
fuses into QLinearConv. The attention's matrix products stay float32 because their values grow with
the image: the linear attention sums keys times values over every token, so ranges calibrated on
256-px crops clipped them at larger sizes (held-out PSNR cost of the shipped model with them in int8:
-0.36 dB at 512 px and -1.10 dB at 1024; without: -0.20 and -0.35, at the same speed; its model card). On x86 CPUs with
AVX512-VNNI or AVX-VNNI (and ARM with dot-product instructions) these run 1.3-2.2x faster than the
float32 graphs (docs/BENCHMARKS.md); the quality cost is measured at export time on the calibration
images and written into the repository's metadata (`int8`).

The space<->channel rearrangements are one-hot convolutions in the exported graphs
(`dcae.models.dc_ae._one_hot_kernel`); they are left in float32: quantizing them would only add
rounding to a copy.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import onnx
from onnx import numpy_helper

INT8_FILENAME = "model.int8.onnx"
CALIBRATION_DIR = "calibration"  # beside a checkpoint's weights: its default calibration images
CALIBRATION_RESOLUTION = 256
# An int8 pair that loses more than this against the float32 pair on the calibration images is refused.
MAX_PSNR_DROP_DB = 1.0


class QuantizationError(RuntimeError):
    """The int8 graphs could not be made, or lose too much quality."""


def calibration_images(folder: str | Path, resolution: int = CALIBRATION_RESOLUTION, limit: int = 32) -> np.ndarray:
    """(N, 3, R, R) float32 in [-1, 1]: the evaluation protocol's center crops of the folder's images."""
    from dcae.data.datasets import CenterCropDataset

    folder = Path(folder)
    if not folder.exists():
        raise QuantizationError(f"no calibration images at {folder}: give a folder of photographs like the "
                                "ones the service will see (16-32 are enough)")
    dataset = CenterCropDataset(folder, resolution)
    return np.stack([dataset[i][0].numpy() for i in range(min(limit, len(dataset)))]).astype(np.float32)


def _one_hot_convolutions(model: onnx.ModelProto) -> list[str]:
    """Names of the grouped convolutions whose filters each hold a single 1 (pixel (un)shuffle)."""
    weights = {t.name: t for t in model.graph.initializer}
    names = []
    for node in model.graph.node:
        if node.op_type not in ("Conv", "ConvTranspose") or len(node.input) < 2 or node.input[1] not in weights:
            continue
        group = next((a.i for a in node.attribute if a.name == "group"), 1)
        w = numpy_helper.to_array(weights[node.input[1]])
        if group > 1 and np.isin(w, (0, 1)).all() and (w.reshape(w.shape[0], -1).sum(axis=1) == 1).all():
            names.append(node.name)
    return names


def quantize_graph(fp32: str | Path, out: str | Path, rows: np.ndarray, weight_symmetric: bool = True) -> Path:
    """Write the int8 (QDQ) version of the one-input graph `fp32` to `out`, calibrated on `rows`. Symmetric
    weights are what `dcae export --int8` writes; asymmetric ones (a zero point per channel) are what the
    benchmark compares, because ONNX Runtime's QLinearConv takes its AMX kernel only for them."""
    from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static
    from onnxruntime.quantization.shape_inference import quant_pre_process

    fp32, out = Path(fp32), Path(out)
    (input_name,) = [i.name for i in onnx.load(str(fp32), load_external_data=False).graph.input]

    class Feed(CalibrationDataReader):  # one row at a time
        def __init__(self) -> None:
            self.rows = ({input_name: rows[i:i + 1]} for i in range(len(rows)))

        def get_next(self) -> dict[str, np.ndarray] | None:
            return next(self.rows, None)

    with tempfile.TemporaryDirectory() as tmp:
        prepared = Path(tmp) / "prepared.onnx"
        # Shape inference and graph cleanup first, as ONNX Runtime recommends for static quantization.
        quant_pre_process(str(fp32), str(prepared), skip_symbolic_shape=True)
        quantize_static(str(prepared), str(out), Feed(), quant_format=QuantFormat.QDQ,
                        activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8, per_channel=True,
                        op_types_to_quantize=["Conv"],  # not MatMul: see the module's docstring
                        nodes_to_exclude=_one_hot_convolutions(onnx.load(str(prepared))),
                        extra_options={"WeightSymmetric": weight_symmetric})
    return out


def quantize_autoencoder(encoder: str | Path, decoder: str | Path, images: np.ndarray,
                         log: Callable[[str], None] = print, check_quality: bool = True) -> dict:
    """Write model.int8.onnx beside the float32 encoder and decoder graphs; returns the metadata entry
    (calibration size and the round trip's PSNR on the calibration images, float32 vs int8). Refused
    when int8 loses more than MAX_PSNR_DROP_DB there, unless `check_quality` is False (random weights in
    benchmarks, whose quality means nothing).

    The decoder is calibrated on the float32 encoder's latents of the same images."""
    import onnxruntime as ort
    import torch

    from dcae.evaluation.reconstruction import quantize01
    from dcae.evaluation.metrics import psnr

    encoder, decoder = Path(encoder), Path(decoder)

    def session(path: Path):
        return ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])

    def run(sess, rows: np.ndarray) -> np.ndarray:
        name = sess.get_inputs()[0].name
        return np.concatenate([sess.run(None, {name: rows[i:i + 1]})[0] for i in range(len(rows))])

    enc32, dec32 = session(encoder), session(decoder)
    latents = run(enc32, images)
    log(f"quantizing encoder and decoder to int8 (calibration: {len(images)} images, "
        f"{images.shape[-1]} px)")
    enc8 = quantize_graph(encoder, encoder.with_name(INT8_FILENAME), images)
    dec8 = quantize_graph(decoder, decoder.with_name(INT8_FILENAME), latents)
    enc8, dec8 = session(enc8), session(dec8)
    def mean_psnr(reconstructions: np.ndarray) -> float:  # the evaluation protocol's: outputs on the uint8 grid
        return float(psnr(quantize01(torch.from_numpy(reconstructions)), quantize01(torch.from_numpy(images))).mean())

    psnr32, psnr8 = mean_psnr(run(dec32, latents)), mean_psnr(run(dec8, run(enc8, images)))
    entry = {"file": INT8_FILENAME, "networks": ["encoder", "decoder"], "calibration_images": len(images),
             "calibration_resolution": int(images.shape[-1]),
             "psnr_float32": round(float(psnr32), 3), "psnr_int8": round(float(psnr8), 3)}
    log(f"int8 round trip on the calibration images: PSNR {psnr8:.2f} dB (float32 {psnr32:.2f} dB)")
    if check_quality and psnr32 - psnr8 > MAX_PSNR_DROP_DB:
        raise QuantizationError(f"the int8 graphs lose {psnr32 - psnr8:.2f} dB PSNR on the calibration images "
                                f"(more than {MAX_PSNR_DROP_DB} dB): serve the float32 ones")
    return entry
