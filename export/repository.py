"""Write a Triton model repository from our checkpoints: one model per network, plus `generate`.

    <repo>/encoder/      image -> latent          (autoencoder)
    <repo>/decoder/      latent -> image          (autoencoder)
    <repo>/dit/          one denoiser step        (generator)
    <repo>/text_encoder/ token ids -> embeddings  (text-conditioned generators, or --text-encoder)
    <repo>/generate/     BLS: prompt/class -> images over the models above (generator)
each as `<model>/config.pbtxt` + `<model>/1/model.onnx` (+ `model.py` for python-backend models).

Three variants of the same networks and configs:
  - GPU (default): `backend: "onnxruntime"` with the TensorRT execution accelerator, KIND_GPU
    instances, dynamic batching and warm-up; `fp16=True` puts the fp16 graphs (norms, attention and
    timestep embedding in fp32; inputs and outputs still fp32) in place of the fp32 ones.
  - CPU (`cpu_python_backend=True`): every network a python-backend `model.py` running the same fp32
    ONNX file by the gateway's engine rule (`dcae.contract.cpu`: OpenVINO in bfloat16 with the float32
    regions kept where the CPU multiplies bfloat16, else ONNX Runtime), for the python-only `tritonserver`
    of the nvidia-pytriton wheel or any CPU Triton;
  - CPU with Triton's OpenVINO backend (`cpu_openvino_backend=True`): every network an `openvino` model over
    the same ONNX file, with that backend's documented parameters (it runs OpenVINO's own precision choice).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from dataclasses import asdict, replace
from pathlib import Path

from dcae.contract.generation import sampling_defaults
from dcae.contract.imagenet_classes import CLASS_TABLE_FILE, NUM_CLASSES, ClassTable
from dcae.contract.metadata import METADATA_KEY, GeneratorInfo, Int8Info, RepositoryMetadata, read_metadata
from dcae.contract.sampling import fitting_samplers
from export.precision import convert_to_fp16
from export.quantize import CALIBRATION_DIR, calibration_images, quantize_autoencoder
from export.to_onnx import check_signature, export_onnx
from export.triton_config import ModelConfig, TritonTensor, tensors_from_onnx, write
from export.wrappers import (
    DecoderExport, EncoderExport, ExportWrapper, PreviewDecoderExport, TextEncoderExport, dit_wrapper, MAX_BATCH_DIT,
)

FORMAT = "dcae-triton"
FORMAT_VERSION = 1
QUEUE_DELAY_US = 2000  # dynamic batching: how long a request may wait for others to share a batch
BACKENDS_DIR = Path(__file__).parent / "backends"
REPO_ROOT = Path(__file__).resolve().parent.parent
CONTRACT_DIR = REPO_ROOT / "dcae" / "contract"  # copied into the generate model as the package `dcae_contract`
TEXT_ENCODER_NAME = "all-MiniLM-L6-v2"


def _generator_metadata(dit_cfg, objective, gen_config: dict, ae_cfg) -> dict:
    from dcae.checkpoint.generator import architecture

    defaults = sampling_defaults(objective.kind, gen_config.get("sampling"))
    conditioning = "text" if dit_cfg.text_dim > 0 else "class" if dit_cfg.num_classes > 0 else "none"
    if dit_cfg.in_channels != ae_cfg.latent_channels:
        raise ValueError(f"the DiT takes {dit_cfg.in_channels} latent channels, {ae_cfg.name} makes {ae_cfg.latent_channels}")
    return {
        "dit": dit_cfg.to_dict(),
        "objective": asdict(objective),
        "conditioning": conditioning,
        "latent_shape": [dit_cfg.in_channels, dit_cfg.input_size, dit_cfg.input_size],
        "image_size": dit_cfg.input_size * ae_cfg.compression,
        "out_channels": dit_cfg.out_channels,
        "text_len": dit_cfg.text_len if conditioning == "text" else None,
        "null_class": dit_cfg.num_classes if conditioning == "class" else None,
        "null_context": "context_mask all False" if conditioning == "text" else None,
        "class_names": "imagenet-1k" if dit_cfg.num_classes == 1000 else None,
        "default_steps": int(defaults["steps"]),
        "default_guidance": float(defaults["guidance"]),
        "default_sampler": defaults["sampler"],
        "samplers": fitting_samplers(objective.kind),
        "max_images": MAX_BATCH_DIT // 2,
        "family": architecture(dit_cfg),
    }


def _sana_networks(release: Path, ae) -> tuple[dict[str, ExportWrapper], Path, dict, dict]:
    """A SANA release's transformer (as `dit`) and Gemma-2 (as `text_encoder`), with their metadata entries;
    -> (networks, tokenizer folder, generator entry, text encoder entry)."""
    from dcae.checkpoint import load_sana_transformer
    from dcae.pipelines.sana import SanaTextEncoder, family, read_release, scheduler_defaults
    from export.wrappers import GemmaTextEncoderExport, SanaTransformerExport

    read_release(release)
    transformer = load_sana_transformer(release / "transformer")
    text = SanaTextEncoder(release)
    cfg, prompting, f = transformer.config, text.prompting, ae.config.compression
    if cfg.in_channels != ae.config.latent_channels:
        raise ValueError(f"the transformer takes {cfg.in_channels} latent channels, the VAE makes "
                         f"{ae.config.latent_channels}")
    if cfg.caption_channels != text.model.config.hidden_size:
        raise ValueError(f"the transformer takes captions of width {cfg.caption_channels}, the text encoder makes "
                         f"{text.model.config.hidden_size}")
    objective, defaults = scheduler_defaults(release)
    max_side = 2 * cfg.sample_size  # in latent cells: sizes up to twice the native side
    networks = {"dit": SanaTransformerExport(transformer, prompting.max_sequence_length, max_side),
                "text_encoder": GemmaTextEncoderExport(text.model, prompting.encoder_length())}
    generator = {
        "dit": {"name": cfg.name, **asdict(cfg)}, "objective": asdict(objective), "conditioning": "text",
        "latent_shape": [cfg.in_channels, cfg.sample_size, cfg.sample_size], "image_size": cfg.sample_size * f,
        "out_channels": cfg.out_channels or cfg.in_channels, "text_len": prompting.max_sequence_length,
        "null_class": None, "null_context": ("none: the guidance is the input `guidance`" if cfg.guidance_embeds
                                             else "the negative prompt's caption (default: the empty prompt)"),
        "class_names": None, "default_steps": defaults["steps"], "default_guidance": defaults["guidance"],
        "default_sampler": defaults["sampler"], "samplers": fitting_samplers(objective.kind),
        "max_images": MAX_BATCH_DIT if cfg.guidance_embeds else MAX_BATCH_DIT // 2,
        "weights_sha256": weights_digest(release / "transformer"),
        "family": family(cfg), "max_image_size": max_side * f, "embedded_guidance": cfg.guidance_embeds}
    te = text.model.config
    text_entry = {"name": f"{(te.architectures or ['Gemma2Model'])[0]} ({te.num_hidden_layers} x {te.hidden_size})",
                  "width": te.hidden_size, "max_length": prompting.encoder_length(),
                  "weights_sha256": weights_digest(release / "text_encoder"), "prompting": prompting.to_metadata()}
    return networks, release / "tokenizer", generator, text_entry


def weights_digest(checkpoint_dir: str | Path) -> str:
    """First 16 hex digits of the SHA-256 over a checkpoint's weight files: which weights a graph holds."""
    h = hashlib.sha256()
    files = sorted(Path(checkpoint_dir).glob("*.safetensors")) or sorted(Path(checkpoint_dir).glob("*.bin"))
    if not files:
        raise FileNotFoundError(f"{checkpoint_dir}: no weight files (*.safetensors)")
    for f in files:
        with open(f, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 24), b""):
                h.update(block)
    return h.hexdigest()[:16]


def _clean(repo: Path) -> None:
    """Remove the models an earlier `dcae export` wrote (configs carrying our metadata); keep the rest."""
    if not repo.is_dir():
        return
    for d in repo.iterdir():
        cfg = d / "config.pbtxt"
        if d.is_dir() and cfg.is_file() and f'key: "{METADATA_KEY}"' in cfg.read_text():
            shutil.rmtree(d)


def _warmup(inputs: list[TritonTensor], profile: dict) -> dict[str, tuple[str, tuple[int, ...]]]:
    """Warm-up request dims: the TensorRT profile's optimal shape, without the batch axis."""
    out = {}
    for t in inputs:
        opt = profile[t.name][1][1:]
        dims = t.dims if t.reshape is not None else tuple(o if d == -1 else d for d, o in zip(t.dims, opt))
        out[t.name] = (t.data_type, dims)
    return out


def _trtexec_args(profile: dict) -> str:
    def shapes(k: int) -> str:
        return ",".join(f"{name}:{'x'.join(str(d) for d in dims[k])}" for name, dims in profile.items())

    return f"--minShapes={shapes(0)} --optShapes={shapes(1)} --maxShapes={shapes(2)}\n"


def export_repository(output: str | Path, autoencoder: str | Path | None = None, generator: str | Path | None = None,
                      text_encoder: bool | str | Path = False, fp16: bool = False,
                      cpu_python_backend: bool = False, reuse_onnx: str | Path | None = None,
                      generate_instances: int = 1, int8: bool | str | Path = False,
                      cpu_openvino_backend: bool = False, decoder: str | Path | None = None,
                      preview_decoder: str | Path | None = None, log=print) -> dict[str, Path]:
    """Export the given checkpoints into a model repository at `output`; returns {model: dir}.

    `autoencoder` defaults to the generator's own. `text_encoder`: True for the packaged
    all-MiniLM-L6-v2, a directory for another copy of it; implied by a text-conditioned generator.
    `reuse_onnx`: a float32 repository exported earlier from the same checkpoints (either variant);
    its graphs are taken instead of exporting again (large models take minutes), after checking that
    its metadata names the same models. `generate_instances`: instances of the `generate` model, i.e.
    how many generations it runs at once (each its own python process; their `dit` requests are
    batched together by Triton); further requests queue. `int8`: also write int8 graphs of the
    encoder and decoder for the embedded CPU runtime (export/quantize.py), calibrated on the images in
    the given folder, or for True the `calibration/` folder beside the autoencoder's weights. `decoder`:
    another autoencoder checkpoint whose decoder is served instead of the autoencoder's own (DC-AE-Lite's with a
    SANA release: the same latents, decoded faster); it must take the same latents (compression, channels).
    `preview_decoder`: a tiny decoder's weights (TAESANA's `taesana_decoder.pth`) for streaming previews at every
    step, exported as `preview_decoder`.
    """
    import torch

    from dcae.checkpoint import load_generator, load_pretrained

    if int8 and fp16:
        raise ValueError("--int8 makes CPU graphs from the float32 ones; it does not combine with --fp16")
    if fp16 and (cpu_python_backend or cpu_openvino_backend):
        raise ValueError("--fp16 makes GPU graphs; the CPU repositories run the fp32 ones")
    if cpu_python_backend and cpu_openvino_backend:
        raise ValueError("choose one CPU variant: --cpu-python-backend or --cpu-openvino-backend")
    variant = "cpu-python" if cpu_python_backend else "cpu-openvino" if cpu_openvino_backend else "gpu"
    if autoencoder is None and generator is None:
        raise ValueError("give an autoencoder checkpoint, a generator checkpoint, or both")
    if generate_instances < 1:
        raise ValueError(f"generate_instances must be >= 1, got {generate_instances}")
    from dcae.pipelines.sana import is_sana_release

    torch.manual_seed(0)  # example inputs for tracing are random
    if generator is not None and is_sana_release(generator):  # a SANA release brings its VAE and text encoder
        if text_encoder not in (False, True):
            raise ValueError("a SANA release exports its own text encoder (text_encoder/); give no other")
        ae_dir = Path(autoencoder) if autoencoder is not None else Path(generator) / "vae"
        ae = load_pretrained(ae_dir)
        networks, te_dir, generator_entry, text_entry = _sana_networks(Path(generator), ae)
        networks = {"encoder": EncoderExport(ae), "decoder": DecoderExport(ae), **networks}
    else:
        dit = objective = gen_config = None
        if generator is not None:
            dit, objective, gen_ae, gen_config = load_generator(generator)
        ae = load_pretrained(autoencoder) if autoencoder is not None else gen_ae
        ae_dir = (Path(autoencoder) if autoencoder is not None
                  else (Path(generator) / gen_config["autoencoder"]).resolve())
        if dit is not None and (dit.config.text_dim > 0 or dit.config.num_classes == NUM_CLASSES) and not text_encoder:
            text_encoder = True  # text conditioning; or prompts mapped to the nearest ImageNet class
        networks, te_dir = _networks(ae, dit, text_encoder)
        generator_entry = ({**_generator_metadata(dit.config, objective, gen_config, ae.config),
                            "weights_sha256": weights_digest(generator)} if dit is not None else None)
        text_entry = ({"name": TEXT_ENCODER_NAME, "width": networks["text_encoder"].width,
                       "max_length": networks["text_encoder"].max_length, "weights_sha256": weights_digest(te_dir)}
                      if "text_encoder" in networks else None)
    decoder_entry = None
    if decoder is not None:
        networks["decoder"], decoder_entry = _paired_decoder(ae, Path(decoder))
        log(f"decoder: {decoder_entry['name']} from {decoder}")
    preview_entry = None
    if preview_decoder is not None:
        networks["preview_decoder"], preview_entry = _preview_decoder(ae, Path(preview_decoder))
    metadata = _metadata(networks, ae, ae_dir, generator_entry, text_entry, fp16, variant, decoder_entry,
                         preview_entry)

    reused = _reusable(reuse_onnx, metadata) if reuse_onnx is not None else None
    output = Path(output)
    if reused is not None and reused.resolve() == output.resolve():
        raise ValueError("reuse_onnx must be another repository than the output")
    _clean(output)
    output.mkdir(parents=True, exist_ok=True)
    for name, wrapper in networks.items():
        log(f"exporting {name} -> {output / name / '1' / 'model.onnx'}{' (fp16)' if fp16 else ''}")
        _write_graph(wrapper, output / name / "1" / "model.onnx", reused and reused / name / "1" / "model.onnx", fp16)
    if int8:
        calibration = ae_dir / CALIBRATION_DIR if int8 is True else Path(int8)
        int8_entry = quantize_autoencoder(output / "encoder" / "1" / "model.onnx",
                                          output / "decoder" / "1" / "model.onnx", calibration_images(calibration), log=log)
        metadata = replace(metadata, int8=Int8Info(**int8_entry, calibration=str(calibration)))

    written = {name: _write_model(output / name, wrapper, metadata, variant, fp16, te_dir)
               for name, wrapper in networks.items()}
    if generator is not None:
        written["generate"] = _write_generate(output / "generate", metadata, te_dir, generate_instances)
    if metadata.generator is not None and metadata.generator.class_names == "imagenet-1k":
        _write_class_table(output, te_dir, reused, log)
    log(f"wrote {', '.join(written)} to {output}")
    return written


def _networks(ae, dit, text_encoder: bool | str | Path) -> tuple[dict[str, ExportWrapper], Path | None]:
    """The serving wrappers of what is exported (encoder, decoder, dit, text_encoder), and the text
    encoder's directory."""
    networks: dict[str, ExportWrapper] = {"encoder": EncoderExport(ae), "decoder": DecoderExport(ae)}
    if dit is not None:
        networks["dit"] = dit_wrapper(dit)
    if not text_encoder:
        return networks, None
    from dcae.contract.text_tokenize import DEFAULT_MAX_LENGTH, model_dir
    from dcae.models.text_encoder import load_text_encoder

    te_dir = model_dir() if text_encoder is True else Path(text_encoder)
    max_length = dit.config.text_len if dit is not None and dit.config.text_dim > 0 else DEFAULT_MAX_LENGTH
    te = TextEncoderExport(load_text_encoder(te_dir), max_length)
    if dit is not None and dit.config.text_dim not in (0, te.width):
        raise ValueError(f"the DiT takes text embeddings of width {dit.config.text_dim}, the text encoder makes {te.width}")
    networks["text_encoder"] = te
    return networks, te_dir


def _paired_decoder(ae, directory: Path) -> tuple[DecoderExport, dict]:
    """Another checkpoint's decoder for the autoencoder's latents, and its metadata entry; refused, naming both,
    when it does not take them."""
    from dcae.checkpoint import load_paired_decoder

    b = load_paired_decoder(directory, ae.config)
    return DecoderExport(b), {"name": b.config.name, "weights_sha256": weights_digest(directory),
                              "scaling_factor": b.config.scaling_factor}


def _preview_decoder(ae, path: Path) -> tuple[PreviewDecoderExport, dict]:
    """A tiny preview decoder for the autoencoder's latents, and its metadata entry."""
    from dcae.checkpoint import load_tiny_decoder

    tiny = load_tiny_decoder(path)
    a = ae.config
    if (tiny.upscale, tiny.latent_channels) != (a.compression, a.latent_channels):
        raise ValueError(f"--preview-decoder {path}: decodes f{tiny.upscale}c{tiny.latent_channels} latents; the "
                         f"autoencoder {a.name} makes f{a.compression}c{a.latent_channels}")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    return PreviewDecoderExport(tiny), {"name": f"tiny decoder ({path.name})", "weights_sha256": digest,
                                        "params": sum(p.numel() for p in tiny.parameters())}


def _metadata(networks: dict[str, ExportWrapper], ae, ae_dir: Path, generator: dict | None, text_encoder: dict | None,
              fp16: bool, variant: str, decoder: dict | None = None,
              preview_decoder: dict | None = None) -> RepositoryMetadata:
    """What the repository records about its models (dcae.contract.metadata carries it to every reader)."""
    cfg = ae.config
    metadata = {
        "format": FORMAT, "format_version": FORMAT_VERSION,
        "variant": variant,
        "precision": "float16" if fp16 else "float32",
        "int8": None,
        "autoencoder": {"name": cfg.name, "compression": cfg.compression, "latent_channels": cfg.latent_channels,
                        "scaling_factor": cfg.scaling_factor, "weights_sha256": weights_digest(ae_dir),
                        "decoder": decoder},
        "generator": generator,
        "text_encoder": text_encoder,
        "preview_decoder": preview_decoder,
        "networks": {name: {"max_batch_size": w.max_batch_size, "inputs": [asdict(s) for s in w.inputs],
                            "outputs": [asdict(s) for s in w.outputs]} for name, w in networks.items()},
    }
    metadata["networks"].update({"generate": {"max_batch_size": 0}} if generator is not None else {})
    return RepositoryMetadata.from_dict(json.loads(json.dumps(metadata)))  # as every reader will see it


def _write_graph(wrapper: ExportWrapper, onnx_path: Path, reused: Path | None, fp16: bool) -> None:
    """The network's ONNX graph at `onnx_path`: exported (or a reused float32 graph, its signature
    checked), converted to fp16 when asked; external weights travel with the graph."""
    with tempfile.TemporaryDirectory() as tmp:
        if reused is not None:
            fp32 = reused
            check_signature(fp32, wrapper.inputs, wrapper.outputs)
        else:
            fp32 = export_onnx(wrapper, Path(tmp) / "model.onnx" if fp16 else onnx_path)
        if fp16:
            convert_to_fp16(fp32, onnx_path)
        elif fp32 != onnx_path:
            onnx_path.parent.mkdir(parents=True, exist_ok=True)
            for f in fp32.parent.glob("model.onnx*"):  # the graph and any external weights
                shutil.copyfile(f, onnx_path.parent / f.name)


def _write_model(model_dir: Path, wrapper: ExportWrapper, metadata: RepositoryMetadata, variant: str, fp16: bool,
                 te_dir: Path | None) -> Path:
    """One model's config.pbtxt (rendered from its ONNX file) and backend files."""
    name = model_dir.name
    inputs, outputs = tensors_from_onnx(model_dir / "1" / "model.onnx", batched=True)
    profile = wrapper.profile()
    model_meta = metadata.for_model(name, wrapper.role)
    if variant == "cpu-openvino":  # Triton's OpenVINO backend reads the same ONNX file
        config = ModelConfig(name, "openvino", wrapper.max_batch_size, inputs, outputs, model_meta,
                             queue_delay_us=QUEUE_DELAY_US, warmup=_warmup(inputs, profile),
                             parameters=OPENVINO_BACKEND_PARAMETERS)
    elif variant == "cpu-python":
        shutil.copyfile(BACKENDS_DIR / "onnx_model.py", model_dir / "1" / "model.py")
        _copy_contract(model_dir / "1")
        config = ModelConfig(name, "python", wrapper.max_batch_size, inputs, outputs, model_meta,
                             queue_delay_us=QUEUE_DELAY_US, warmup=_warmup(inputs, profile),
                             parameters={"intra_op_threads": "0", "engine": "auto", "precision": "auto"})
    else:
        config = ModelConfig(name, "onnxruntime", wrapper.max_batch_size, inputs, outputs, model_meta,
                             instance_kind="KIND_GPU", queue_delay_us=QUEUE_DELAY_US,
                             warmup=_warmup(inputs, profile), tensorrt_precision="FP16" if fp16 else "FP32")
        (model_dir / "trtexec_shapes.txt").write_text(_trtexec_args(profile))
    if name == "text_encoder":  # callers tokenise with the model's own vocabulary
        shutil.copyfile(te_dir / "tokenizer.json", model_dir / "1" / "tokenizer.json")
    write(config, model_dir)
    return model_dir


def _reusable(repo: str | Path, metadata: RepositoryMetadata) -> Path:
    """`repo` if its float32 graphs were exported from the checkpoints `metadata` describes."""
    repo = Path(repo)
    for name in metadata.networks:
        if name == "generate":
            continue
        cfg = repo / name / "config.pbtxt"
        if not (repo / name / "1" / "model.onnx").is_file() or not cfg.is_file():
            raise ValueError(f"{repo} has no exported {name} model to reuse")
        theirs = read_metadata(cfg.read_text(), str(cfg))
        source = {"encoder": "autoencoder", "decoder": "autoencoder", "dit": "generator"}.get(name, name)
        if _graph_identity(getattr(theirs, source)) != _graph_identity(getattr(metadata, source)):
            raise ValueError(f"{repo}/{name} was exported from another {source}; cannot reuse it")
        if theirs.precision != "float32":
            raise ValueError(f"{repo}/{name} holds {theirs.precision} graphs; reuse needs float32 ones")
    return repo


def _graph_identity(info) -> object:
    """What a graph is made from: a generator's DiT and weights (its sampling defaults and objective are
    metadata beside the graph, free to differ), anything else's whole record."""
    return (info.dit, info.weights_sha256) if isinstance(info, GeneratorInfo) else info


def _write_class_table(output: Path, te_dir: Path, reused: Path | None, log) -> None:
    """The ImageNet class names and their prompts' pooled embeddings by this text encoder, beside its graph
    and in the generate model: how the gateway and Triton map a prompt to a class, without torch."""
    earlier = reused / "text_encoder" / "1" / CLASS_TABLE_FILE if reused is not None else None
    if earlier is not None and earlier.is_file():
        table = ClassTable.load(earlier)
    else:
        from dcae.models.text_encoder import TextEncoder

        log(f"embedding the {NUM_CLASSES} ImageNet class prompts -> {CLASS_TABLE_FILE}")
        table = ClassTable.imagenet(TextEncoder(te_dir).class_embeddings().numpy())
    for model in ("text_encoder", "generate"):
        table.save(output / model / "1" / CLASS_TABLE_FILE)


# Triton's OpenVINO backend (its README's parameters). It compiles with OpenVINO's defaults beyond these: bfloat16
# on CPUs with AMX or AVX512-BF16 for every layer (it cannot keep our float32 regions: the python-backend
# variant, which runs OpenVINO through dcae_contract.cpu, does), so its images are those of OpenVINO's own choice.
OPENVINO_BACKEND_PARAMETERS = {
    "PERFORMANCE_HINT": "LATENCY",  # one request at a time per instance, every core on it (as the gateway)
    "INFERENCE_NUM_THREADS": "0",  # 0: every core
    "COMPILATION_CACHE_DIRECTORY": "/tmp/dcae_openvino_cache",  # compiled graphs: a restart compiles nothing
    "RESHAPE_IO_LAYERS": "NO",  # keep the graph's dynamic height and width
}


def _copy_contract(version: Path) -> None:
    """dcae/contract/ into a python-backend model's version folder, as the package `dcae_contract`."""
    package = version / "dcae_contract"
    shutil.rmtree(package, ignore_errors=True)
    package.mkdir(parents=True)
    for source in sorted(CONTRACT_DIR.glob("*.py")):
        shutil.copyfile(source, package / source.name)


def _write_generate(model_dir: Path, metadata: RepositoryMetadata, text_encoder_dir: Path | None, instances: int = 1) -> Path:
    version = model_dir / "1"
    version.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(BACKENDS_DIR / "generate_model.py", version / "model.py")
    _copy_contract(version)
    if text_encoder_dir is not None:  # prompts: text conditioning, or the nearest ImageNet class
        shutil.copyfile(text_encoder_dir / "tokenizer.json", version / "tokenizer.json")

    def scalar(name: str, data_type: str, optional: bool = False) -> TritonTensor:
        return TritonTensor(name, data_type, (1,), optional=optional)

    inputs = [scalar("prompt", "TYPE_STRING", optional=True), scalar("class_label", "TYPE_INT64", optional=True),
              scalar("seed", "TYPE_INT64"), scalar("steps", "TYPE_INT32"), scalar("guidance", "TYPE_FP32"),
              scalar("sampler", "TYPE_STRING", optional=True), scalar("n", "TYPE_INT32"),
              scalar("negative_prompt", "TYPE_STRING", optional=True),
              TritonTensor("image", "TYPE_UINT8", (-1, -1, 3), optional=True), scalar("strength", "TYPE_FP32", optional=True),
              scalar("height", "TYPE_INT32", optional=True), scalar("width", "TYPE_INT32", optional=True)]
    outputs = [TritonTensor("images", "TYPE_UINT8", (-1, -1, -1, 3)),
               TritonTensor("class_label", "TYPE_INT64", (1,))]  # the class generated (-1: none)
    config = ModelConfig("generate", "python", 0, inputs, outputs, metadata.for_model("generate", "generate"),
                         instance_kind="KIND_CPU", instance_count=instances)
    write(config, model_dir)
    (model_dir / "README.md").write_text(
        "Python backend (BLS): text_encoder -> dit x steps -> decoder. Generated by `dcae export`; "
        "dcae_contract/ is a copy of dcae/contract/ (sampling, the guided loop, tokenisation, pixels).\n")
    return model_dir
