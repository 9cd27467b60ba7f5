"""`DCAE_RUNTIME=torch`: the networks in PyTorch in this process, for a GPU box without Triton.

The repository still says what is served (its metadata names the autoencoder, the generator and the
SHA-256 of their weights); the PyTorch checkpoints with those digests are looked up under
`DCAE_WEIGHTS` (default `weights/`, where the shipped models live). On a GPU the networks run in
bfloat16 (`DCAE_TORCH_DTYPE`), and the DiT step is replayed from CUDA graphs, one per batch bucket
(torch_runtime/cuda_graphs.py): eager PyTorch is launch-bound on the few tokens of DC-AE latents. The encoder and
decoder run eagerly (their shapes vary with every image size). The text encoder is the repository's
ONNX graph on ONNX Runtime (CPU; it runs once per request). Micro-batching works as in the embedded
runtime, so concurrent generations share DiT steps.

Only this runtime imports torch. It lives outside the gateway's package (`service/` imports no torch,
an import-linter contract checks it); the gateway imports it by name when DCAE_RUNTIME=torch.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable

import numpy as np

from dcae.contract.metadata import graph_precision
from service.repository import ModelRepository
from service.runtimes.embedded import EmbeddedRunner, create_session, session_runner
from service.settings import Settings

log = logging.getLogger("dcae.gateway")


def checkpoints_by_digest(weights: Path) -> dict[str, Path]:
    """{weights digest: folder} of the checkpoints under `weights` (itself, or one or two levels down)."""
    from export.repository import weights_digest

    found = {}
    configs = [weights / "config.json", *sorted(weights.glob("*/config.json")),
               *sorted(weights.glob("*/*/config.json"))]
    for config in configs:
        if config.is_file():
            try:
                found.setdefault(weights_digest(config.parent), config.parent)
            except FileNotFoundError:  # a config without weight files
                continue
    return found


def find_checkpoint(checkpoints: dict[str, Path], weights: Path, digest: str, what: str) -> Path:
    """The folder of `checkpoints` (from checkpoints_by_digest(weights)) whose weights have `digest`."""
    if digest in checkpoints:
        return checkpoints[digest]
    seen = ", ".join(f"{folder} ({d})" for d, folder in checkpoints.items()) or "none"
    raise FileNotFoundError(
        f"DCAE_RUNTIME=torch: no checkpoint under {weights} holds the {what} weights the repository was exported "
        f"from (sha256 {digest}); found {seen}. Point DCAE_WEIGHTS at the checkpoints, or "
        "export the repository from them (`dcae export`)")


class TorchRunner(EmbeddedRunner):
    def _load(self, repo: ModelRepository, settings: Settings) -> dict[str, Callable]:
        import torch

        from dcae.checkpoint import load_pretrained
        from dcae.pipelines.autoencoder import compute_precision
        from dcae.checkpoint import load_generator
        from torch_runtime.cuda_graphs import GraphedModule
        from export.wrappers import DecoderExport, EncoderExport, dit_wrapper

        device = settings.torch_device
        if device == "auto":
            device = "cuda" if torch.cuda.is_available() else "cpu"
        if device.startswith("cuda") and not torch.cuda.is_available():
            raise ValueError(f"DCAE_TORCH_DEVICE={device}, but torch sees no CUDA device")
        dtype_name = settings.torch_dtype
        if dtype_name == "auto":  # bfloat16 on CUDA, and on CPUs that multiply it in hardware (AMX, AVX512-BF16)
            dtype_name = "bfloat16" if device.startswith("cuda") else compute_precision(device, "auto")
        dtype = getattr(torch, dtype_name)
        graphs = settings.cuda_graphs and device.startswith("cuda")

        weights = Path(settings.weights)
        checkpoints = checkpoints_by_digest(weights)
        ae_dir = find_checkpoint(checkpoints, weights, repo.autoencoder.weights_sha256, "autoencoder")
        ae = load_pretrained(ae_dir)
        modules = {"encoder": EncoderExport(ae), "decoder": DecoderExport(ae)}
        dec_dir = ae_dir
        if repo.autoencoder.decoder is not None:  # another checkpoint's decoder on these latents (dcae export --decoder)
            dec_dir = find_checkpoint(checkpoints, weights, repo.autoencoder.decoder["weights_sha256"], "decoder")
            modules["decoder"] = DecoderExport(load_pretrained(dec_dir))
        gen = repo.generator
        if gen is not None and "dit" in repo.networks:
            gen_dir = find_checkpoint(checkpoints, weights, gen.weights_sha256, "generator")
            if gen.family.startswith("sana"):  # a SANA release's transformer/ folder
                from dcae.checkpoint import load_sana_transformer
                from export.wrappers import SanaTransformerExport

                modules["dit"] = SanaTransformerExport(load_sana_transformer(gen_dir), gen.text_len,
                                                       gen.max_image_size // repo.autoencoder.compression)
            else:
                dit, *_ = load_generator(gen_dir)
                modules["dit"] = dit_wrapper(dit)
        log.info("torch runtime: %s on %s, %s, CUDA graphs for the DiT %s", ", ".join(modules), device, dtype_name,
                 "on" if graphs else "off")

        calls: dict[str, Callable] = {}
        self.loaded = {}
        for name, module in modules.items():
            served = GraphedModule(module, [s.name for s in module.inputs], device, dtype,
                                   max_batch=module.max_batch_size, graphs=graphs and name == "dit")
            calls[name] = _named(served, module.outputs[0].name)
            source = gen_dir if name == "dit" else dec_dir if name == "decoder" else ae_dir
            self.loaded[name] = {"graph": f"PyTorch on {device}: {source}", "engine": "torch", "precision": dtype_name}
        for name in repo.networks:  # the text encoder: ONNX Runtime, once per request
            if name not in calls:
                path = repo.onnx_path(name)
                calls[name] = session_runner(create_session(path, settings))
                self.loaded[name] = {"graph": path.relative_to(repo.root).as_posix(), "engine": "onnxruntime",
                                     "precision": graph_precision(repo.metadata, path)}
        return calls


def _named(served, output: str) -> Callable[[dict[str, np.ndarray]], dict[str, np.ndarray]]:
    def call(inputs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        return {output: served(inputs)}

    return call
