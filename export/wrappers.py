"""Export wrappers: one module per served network, whose `forward` *is* the serving signature.

Each wrapper holds the trained module (no copy, no monkeypatching) and declares its inputs and
outputs as `TensorSpec`s. Those names are the serving contract (export/README.md): the ONNX files are
exported with them, the Triton configs are rendered from the ONNX files, and the gateway calls them.

Shapes use symbolic names for dynamic axes: N batch, H/W image pixels, h/w latent pixels, L tokens.
"""

from __future__ import annotations

import torch
import torch.nn as nn

from dcae.models.dc_ae import DCAE
from dcae.models.dit import DiT
from export.spec import TensorSpec

# Largest batch per network that Triton schedules and TensorRT profiles cover. The DiT sees twice
# the images of a request (guidance runs cond and uncond in one batch).
MAX_BATCH_AUTOENCODER = 8
MAX_BATCH_DIT = 32
MAX_BATCH_TEXT = 32
# Image sides the autoencoder profiles cover (TensorRT) and warm up with (Triton).
MAX_IMAGE_PIXELS_SIDE = 1024
OPT_IMAGE_PIXELS_SIDE = 512


Profile = dict[str, tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]]  # name -> (min, opt, max)


class ExportWrapper(nn.Module):
    """Base: `inputs`/`outputs` specs, example inputs for tracing, torch.export dynamic shapes, and
    TensorRT min/opt/max shapes."""

    role: str = ""
    max_batch_size: int = 1
    inputs: tuple[TensorSpec, ...] = ()
    outputs: tuple[TensorSpec, ...] = ()

    def example_inputs(self) -> tuple[torch.Tensor, ...]:
        raise NotImplementedError

    def dynamic_shapes(self) -> tuple[dict[int, object], ...]:
        raise NotImplementedError

    def profile(self) -> Profile:
        raise NotImplementedError


def _batch_dim(max_batch: int) -> torch.export.Dim:
    return torch.export.Dim("N", min=1, max=max(max_batch, 1024))


# ----------------------------------------------------------------------------------------------
# DC-AE


class EncoderExport(ExportWrapper):
    """image (N, 3, H, W) float32 in [-1, 1], H and W multiples of the compression factor f ->
    latent (N, C, H/f, W/f) float32, raw (not multiplied by the scaling factor).

    DC-AE's attention picks its quadratic or linear form by token count; both compute the same
    normalised sums, and the exported graph always holds the linear form (`LiteMLA.attend` checks
    `torch.compiler.is_exporting()`), which is exact for every size the graph accepts. The
    pixel-unshuffle is a reshape/transpose in the model, never ONNX SpaceToDepth (different order).
    """

    role = "encoder"
    max_batch_size = MAX_BATCH_AUTOENCODER

    def __init__(self, autoencoder: DCAE) -> None:
        super().__init__()
        self.encoder = autoencoder.encoder
        self.compression = autoencoder.config.compression
        self.latent_channels = autoencoder.config.latent_channels
        self.inputs = (TensorSpec("image", "float32", ("N", 3, "H", "W")),)
        self.outputs = (TensorSpec("latent", "float32", ("N", self.latent_channels, "h", "w")),)

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        return self.encoder(image)  # (N, C, H/f, W/f)

    def example_inputs(self) -> tuple[torch.Tensor, ...]:
        f = self.compression
        return (torch.rand(2, 3, 2 * f, 3 * f) * 2 - 1,)

    def dynamic_shapes(self) -> tuple[dict[int, object], ...]:
        f, side = self.compression, MAX_IMAGE_PIXELS_SIDE * 8 // self.compression
        h, w = torch.export.Dim("h", min=1, max=side), torch.export.Dim("w", min=1, max=side)
        return ({0: _batch_dim(self.max_batch_size), 2: f * h, 3: f * w},)

    def profile(self) -> Profile:
        f, opt, big = self.compression, OPT_IMAGE_PIXELS_SIDE, MAX_IMAGE_PIXELS_SIDE
        return {"image": ((1, 3, f, f), (1, 3, opt, opt), (self.max_batch_size, 3, big, big))}


class _LatentDecoderExport(ExportWrapper):
    """A decoder of latents (N, C, h, w) float32 -> image (N, 3, h*f, w*f) float32: the shapes, dynamic axes and
    profile the full decoder and the preview decoder share."""

    max_batch_size = MAX_BATCH_AUTOENCODER

    def __init__(self, decoder: nn.Module, compression: int, latent_channels: int) -> None:
        super().__init__()
        self.decoder, self.compression, self.latent_channels = decoder, compression, latent_channels
        self.inputs = (TensorSpec("latent", "float32", ("N", latent_channels, "h", "w")),)
        self.outputs = (TensorSpec("image", "float32", ("N", 3, "H", "W")),)

    def example_inputs(self) -> tuple[torch.Tensor, ...]:
        return (torch.randn(2, self.latent_channels, 2, 3),)

    def dynamic_shapes(self) -> tuple[dict[int, object], ...]:
        side = MAX_IMAGE_PIXELS_SIDE * 8 // self.compression
        h, w = torch.export.Dim("h", min=1, max=side), torch.export.Dim("w", min=1, max=side)
        return ({0: _batch_dim(self.max_batch_size), 2: h, 3: w},)

    def profile(self) -> Profile:
        f, c = self.compression, self.latent_channels
        opt, big = OPT_IMAGE_PIXELS_SIDE // f, MAX_IMAGE_PIXELS_SIDE // f
        return {"latent": ((1, c, 1, 1), (1, c, opt, opt), (self.max_batch_size, c, big, big))}


class DecoderExport(_LatentDecoderExport):
    """latent (N, C, h, w) float32, raw -> image (N, 3, h*f, w*f) float32, nominally [-1, 1] but
    not clamped. Same attention and pixel-shuffle remarks as `EncoderExport`."""

    role = "decoder"

    def __init__(self, autoencoder: DCAE) -> None:
        super().__init__(autoencoder.decoder, autoencoder.config.compression, autoencoder.config.latent_channels)

    def forward(self, latent: torch.Tensor) -> torch.Tensor:
        return self.decoder(latent)  # (N, 3, h*f, w*f)


class PreviewDecoderExport(_LatentDecoderExport):
    """latent (N, C, h, w) float32, *diffusion space* (what the sampler holds) -> image (N, 3, h*f, w*f) float32 in
    about [-1, 1], like the decoder's: a tiny preview decoder (TAESANA, `dcae.models.taesd.TinyDecoder`) for the
    previews of a streaming generation. Its own [0, 1] output is mapped to [-1, 1] here."""

    role = "preview_decoder"

    def __init__(self, decoder: nn.Module) -> None:
        super().__init__(decoder, decoder.upscale, decoder.latent_channels)

    def forward(self, latent: torch.Tensor) -> torch.Tensor:
        return self.decoder(latent) * 2 - 1


# ----------------------------------------------------------------------------------------------
# DiT: one denoiser evaluation. Fixed latent size (the position embedding is fixed to the training
# resolution), dynamic batch. Guidance batching (cond + uncond) is the caller's.


class _DiTExport(ExportWrapper):
    role = "dit"
    max_batch_size = MAX_BATCH_DIT

    def __init__(self, dit: DiT) -> None:
        super().__init__()
        self.dit = dit
        c = dit.config
        self.latent = TensorSpec("latent", "float32", ("N", c.in_channels, c.input_size, c.input_size))
        self.timestep = TensorSpec("timestep", "float32", ("N",))
        self.outputs = (TensorSpec("model_output", "float32", ("N", c.out_channels, c.input_size, c.input_size)),)

    def _examples(self) -> tuple[torch.Tensor, torch.Tensor]:
        c = self.dit.config
        return torch.randn(2, c.in_channels, c.input_size, c.input_size), torch.tensor([999.0, 500.0])

    def dynamic_shapes(self) -> tuple[dict[int, object], ...]:
        n = _batch_dim(self.max_batch_size)  # every input shares the batch axis
        return tuple({0: n} for _ in self.inputs)

    def profile(self) -> Profile:
        shapes: Profile = {}
        for spec in self.inputs:
            fixed = spec.shape[1:]
            shapes[spec.name] = ((1, *fixed), (2, *fixed), (self.max_batch_size, *fixed))
        return shapes


class DiTClassExport(_DiTExport):
    """latent (N, C, s, s) float32 diffusion-space, timestep (N,) float32 model time
    (`Objective.model_time`), class_label (N,) int64 with `num_classes` meaning "no class" ->
    model_output (N, out_channels, s, s) float32."""

    def __init__(self, dit: DiT) -> None:
        super().__init__(dit)
        self.inputs = (self.latent, self.timestep, TensorSpec("class_label", "int64", ("N",)))

    def forward(self, latent: torch.Tensor, timestep: torch.Tensor, class_label: torch.Tensor) -> torch.Tensor:
        return self.dit(latent, timestep, y=class_label)

    def example_inputs(self) -> tuple[torch.Tensor, ...]:
        return (*self._examples(), torch.tensor([1, self.dit.config.num_classes]))


class DiTTextExport(_DiTExport):
    """latent, timestep as `DiTClassExport`; context (N, L, text_dim) float32 text-encoder token
    embeddings with L = text_len, context_mask (N, L) bool, True on real tokens -> model_output.

    A row whose context_mask is all False is the unconditional input: it gets the model's learned
    null context (all tokens attended): `DiT.fill_null_context`, as in the PyTorch pipeline.
    So callers build the guidance batch without knowing the null context's values.
    """

    def __init__(self, dit: DiT) -> None:
        super().__init__(dit)
        c = dit.config
        self.inputs = (self.latent, self.timestep, TensorSpec("context", "float32", ("N", c.text_len, c.text_dim)),
                       TensorSpec("context_mask", "bool", ("N", c.text_len)))

    def forward(self, latent: torch.Tensor, timestep: torch.Tensor, context: torch.Tensor,
                context_mask: torch.Tensor) -> torch.Tensor:
        context, context_mask = self.dit.fill_null_context(context, context_mask)
        return self.dit(latent, timestep, context=context, context_mask=context_mask)

    def example_inputs(self) -> tuple[torch.Tensor, ...]:
        c = self.dit.config
        mask = torch.zeros(2, c.text_len, dtype=torch.bool)
        mask[0, :3] = True  # one conditional row, one unconditional
        return (*self._examples(), torch.randn(2, c.text_len, c.text_dim), mask)


class DiTUncondExport(_DiTExport):
    """An unconditional DiT: latent, timestep -> model_output."""

    def __init__(self, dit: DiT) -> None:
        super().__init__(dit)
        self.inputs = (self.latent, self.timestep)

    def forward(self, latent: torch.Tensor, timestep: torch.Tensor) -> torch.Tensor:
        return self.dit(latent, timestep)

    def example_inputs(self) -> tuple[torch.Tensor, ...]:
        return self._examples()


def dit_wrapper(dit: DiT) -> _DiTExport:
    """The wrapper for a DiT's kind of conditioning."""
    c = dit.config
    if c.num_classes > 0 and c.text_dim > 0:
        raise ValueError(f"{c.name}: exporting a DiT conditioned on both classes and text is not supported")
    if c.text_dim > 0:
        return DiTTextExport(dit)
    if c.num_classes > 0:
        return DiTClassExport(dit)
    return DiTUncondExport(dit)


# ----------------------------------------------------------------------------------------------
# Text encoder


class _TokenEncoderExport(ExportWrapper):
    """What the text encoders share: input_ids (N, L) int64 and attention_mask (N, L) int64 (1 on real
    tokens), L dynamic up to the model's positions; examples of 7 tokens with one padded row; TensorRT
    profiles from 2 tokens to `profile_length`."""

    role = "text_encoder"
    max_batch_size = MAX_BATCH_TEXT
    example_ids = (1000, 2000)  # token ids the tracing examples draw from

    def __init__(self, model: nn.Module, max_length: int, width: int, max_positions: int,
                 outputs: tuple[TensorSpec, ...]) -> None:
        super().__init__()
        self.model = model
        self.max_length, self.width, self.max_positions = max_length, width, max_positions
        self.inputs = (TensorSpec("input_ids", "int64", ("N", "L")), TensorSpec("attention_mask", "int64", ("N", "L")))
        self.outputs = outputs

    @property
    def profile_length(self) -> int:
        return self.max_length

    def example_inputs(self) -> tuple[torch.Tensor, ...]:
        ids = torch.randint(*self.example_ids, (2, 7))
        mask = torch.ones(2, 7, dtype=torch.long)
        mask[1, 4:] = 0
        return ids, mask

    def dynamic_shapes(self) -> tuple[dict[int, object], ...]:
        n = _batch_dim(self.max_batch_size)
        length = torch.export.Dim("L", min=2, max=self.max_positions)
        return ({0: n, 1: length}, {0: n, 1: length})

    def profile(self) -> Profile:
        lo, opt, hi = (1, 2), (1, self.max_length), (self.max_batch_size, self.profile_length)
        return {"input_ids": (lo, opt, hi), "attention_mask": (lo, opt, hi)}


class TextEncoderExport(_TokenEncoderExport):
    """input_ids (N, L) int64, attention_mask (N, L) int64 (1 on real tokens), from
    `dcae.contract.text_tokenize.tokenize` -> tokens (N, L, D) float32 (last hidden state at every position,
    padding included), pooled (N, D) float32 (masked mean, unit norm). D = 384 for all-MiniLM-L6-v2."""

    def __init__(self, model: nn.Module, max_length: int = 32) -> None:
        width = model.cfg.hidden_size
        super().__init__(model, max_length, width, model.cfg.max_position_embeddings,
                         (TensorSpec("tokens", "float32", ("N", "L", width)), TensorSpec("pooled", "float32", ("N", width))))

    @property
    def profile_length(self) -> int:
        return max(self.max_length, 128)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        tokens, pooled = self.model(input_ids, attention_mask)
        return tokens, pooled  # (N, L, D), (N, D)


# ----------------------------------------------------------------------------------------------
# SANA (a release's transformer and its Gemma-2 text encoder)


class SanaTransformerExport(ExportWrapper):
    """latent (N, C, h, w) float32 diffusion-space, any h and w (SANA has no position table: its tokens see
    each other through linear attention and the Mix-FFN's convolution; the 2K/4K releases' sin-cos positions are
    computed in the graph for the grid at hand); timestep (N,) float32 model time; context (N, L,
    caption_channels) float32, the selected Gemma-2 states (L = 300), context_mask (N, L) bool, True on real
    tokens; SANA-Sprint also guidance (N,) float32 as asked (embedded in the graph) -> model_output (N, C, h, w)
    float32, the flow velocity (Sprint: the TrigFlow output). Same names as the DiT's, so the gateway's and
    Triton's loops call it as they call a DiT; the unconditional rows carry the negative prompt's caption
    (there is no null context)."""

    role = "dit"
    max_batch_size = MAX_BATCH_DIT

    def __init__(self, transformer: nn.Module, text_len: int, max_side: int) -> None:
        super().__init__()
        self.transformer = transformer
        c = transformer.config
        self.text_len, self.max_side, self.sample_size = text_len, max_side, c.sample_size
        self.channels, self.caption_channels = c.in_channels, c.caption_channels
        self.embedded_guidance = c.guidance_embeds
        self.inputs = (TensorSpec("latent", "float32", ("N", c.in_channels, "h", "w")),
                       TensorSpec("timestep", "float32", ("N",)),
                       TensorSpec("context", "float32", ("N", text_len, c.caption_channels)),
                       TensorSpec("context_mask", "bool", ("N", text_len)),
                       *((TensorSpec("guidance", "float32", ("N",)),) if self.embedded_guidance else ()))
        self.outputs = (TensorSpec("model_output", "float32", ("N", c.out_channels or c.in_channels, "h", "w")),)

    def forward(self, latent: torch.Tensor, timestep: torch.Tensor, context: torch.Tensor,
                context_mask: torch.Tensor, guidance: torch.Tensor | None = None) -> torch.Tensor:
        return self.transformer(latent, timestep, context, context_mask, guidance)

    def example_inputs(self) -> tuple[torch.Tensor, ...]:
        mask = torch.ones(2, self.text_len, dtype=torch.bool)
        mask[1, 5:] = False
        guidance = (torch.tensor([4.5, 2.0]),) if self.embedded_guidance else ()
        t = torch.tensor([1.0, 0.5]) if self.embedded_guidance else torch.tensor([999.0, 500.0])
        return (torch.randn(2, self.channels, 2, 3), t, torch.randn(2, self.text_len, self.caption_channels), mask,
                *guidance)

    def dynamic_shapes(self) -> tuple[dict[int, object], ...]:
        n = _batch_dim(self.max_batch_size)
        h, w = torch.export.Dim("h", min=1, max=self.max_side), torch.export.Dim("w", min=1, max=self.max_side)
        return ({0: n, 2: h, 3: w}, {0: n}, {0: n}, {0: n}, *(({0: n},) if self.embedded_guidance else ()))

    def profile(self) -> Profile:
        c, s, big, b = self.channels, self.sample_size, self.max_side, self.max_batch_size
        return {"latent": ((1, c, 1, 1), (2, c, s, s), (b, c, big, big)), "timestep": ((1,), (2,), (b,)),
                "context": ((1, self.text_len, self.caption_channels), (2, self.text_len, self.caption_channels),
                            (b, self.text_len, self.caption_channels)),
                "context_mask": ((1, self.text_len), (2, self.text_len), (b, self.text_len)),
                **({"guidance": ((1,), (2,), (b,))} if self.embedded_guidance else {})}


class GemmaTextEncoderExport(_TokenEncoderExport):
    """input_ids (N, L) int64, attention_mask (N, L) int64 (1 on real tokens; right padding), from
    `dcae.contract.sana_prompt.SanaPrompting.tokenize` -> tokens (N, L, D) float32: the last hidden states of
    the release's Gemma-2 (transformers' Gemma2Model), before SANA's selection of positions (the caller's).
    `max_length`: the longest prompt encoding (the instruction's tokens + 298)."""

    def __init__(self, model: nn.Module, max_length: int) -> None:
        c = model.config
        super().__init__(model, max_length, c.hidden_size, c.max_position_embeddings,
                         (TensorSpec("tokens", "float32", ("N", "L", c.hidden_size)),))
        self.example_ids = (0, min(c.vocab_size, 1000))

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.model(input_ids, attention_mask=attention_mask)[0].float()
