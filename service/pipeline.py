"""Encode, decode and generate over a runner, in numpy (no torch). Padding, tiling, pixel conversions,
latent scaling and the guided sampling loop are the torch-free contract's (`dcae.contract`), which the ML
core and Triton's generate model run too."""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import AsyncIterator, Awaitable, Callable

import numpy as np

from dcae.contract import generation, sampling
from dcae.contract.conditioning import Conditioning, text_conditions
from dcae.contract.imagenet_classes import CLASS_TABLE_FILE, ClassTable
from dcae.contract.latents import LatentSpace
from dcae.contract.sana_prompt import SanaPrompting
from dcae.contract.pixels import fit, pad_to_multiple, to_model, to_uint8
from dcae.contract.tiling import TileSpec, blend_tiles
from service.decode_pool import DecodePool
from service.errors import APIError
from service.metrics import IMAGES_GENERATED, STAGE_SECONDS, stage
from service.repository import ModelRepository
from service.settings import Settings

Infer = Callable[[str, dict[str, np.ndarray]], Awaitable[dict[str, np.ndarray]]]
NEGATIVE_CAPTIONS_KEPT = 16  # SANA negative prompts whose captions are kept (the default one, and a few others)


# ----------------------------------------------------------------------------------------------
# The pipelines


@dataclass(frozen=True)
class GenerateParams:
    prompt: str | None
    class_label: int | None
    n: int
    seed: int
    steps: int
    guidance: float
    sampler: str
    negative_prompt: str | None = None  # text generators: the unconditional half of guidance
    image: np.ndarray | None = None  # (H, W, 3) uint8 at the generator's size: start from it (img2img)
    strength: float = 1.0  # with `image`: how far it is noised (0: the image back, 1: plain generation)
    height: int | None = None  # pixels; None: the generator's image_size (other sizes: SANA)
    width: int | None = None
    output_size: tuple[int, int] | None = None  # resolution binning: (height, width) the images are fitted to


@dataclass(frozen=True)
class Progress:
    step: int  # steps (model evaluations) done
    steps: int | None  # steps in all; None for an adaptive sampler (dopri5), which decides as it goes
    fraction: float  # how far the sampling has come, in [0, 1] (an adaptive sampler's integration time)


@dataclass(frozen=True)
class Preview:
    index: int  # 0-based
    images: np.ndarray  # (n, H, W, 3) uint8: the decoded clean-latent estimate of the current step


@dataclass(frozen=True)
class Done:
    images: np.ndarray  # (n, H, W, 3) uint8


def preview_steps(steps: int, previews: int) -> list[int]:
    """After which of `steps` steps (1-based) the `previews` partial images are decoded: evenly spread,
    never after the last (the completed image follows it)."""
    return sorted({round((j + 1) * steps / (previews + 1)) for j in range(previews)} - {0, steps})


class PreviewSchedule:
    """When previews are due: after the steps `preview_steps` picks (`every_step`: every step but the last); for an
    adaptive sampler (no total), when its progress passes (j + 1) / (previews + 1) (`every_step`: whenever it moves,
    short of the end). A step that passes several such points gives one preview, and none comes at the end (the
    completed image follows), so an integration of few steps shows fewer previews than asked (as OpenAI's API may)."""

    def __init__(self, total: int | None, previews: int, every_step: bool) -> None:
        self.total, self.every_step, self.shown, self.passed, self.last_fraction = total, every_step, 0, 0, 0.0
        self.steps = (list(range(1, total)) if every_step else preview_steps(total, previews)) if total else []
        self.thresholds = [(j + 1) / (previews + 1) for j in range(previews)]

    def after(self, done: int, fraction: float) -> int | None:
        """The index of the preview due after step `done` (1-based) at `fraction`, or None."""
        if self.total is not None:
            return self.steps.index(done) if done in self.steps else None
        if self.every_step:
            due = self.last_fraction < fraction < 1.0
        else:
            passed = sum(1 for t in self.thresholds if t <= fraction)
            due = passed > self.passed and fraction < 1.0
            self.passed = passed
        self.last_fraction = fraction
        if not due:
            return None
        self.shown += 1
        return self.shown - 1


class Pipelines:
    TILES = TileSpec()  # the defaults of `dcae encode|decode --tile`

    def __init__(self, repo: ModelRepository, infer: Infer, settings: Settings) -> None:
        self.repo, self.infer, self.settings = repo, infer, settings
        ae = repo.autoencoder
        self.model_name = ae.name
        self.compression, self.latent_channels = ae.compression, ae.latent_channels
        self.scaling_factor = float(ae.scaling_factor)
        self.latent_space = LatentSpace(self.scaling_factor)
        self.generator = repo.generator
        self.tokenizer_path = repo.tokenizer_path()
        te = repo.metadata.text_encoder
        # SANA's Gemma-2: its prompt rules (instruction, 300 selected tokens, negative prompts) from the metadata
        self.prompting = (SanaPrompting.from_metadata(self.tokenizer_path, te.prompting)
                          if te is not None and te.prompting is not None else None)
        # SANA's negative captions, by text: nearly every request brings the default negative prompt, whose
        # caption is one Gemma-2 pass (seconds on a CPU) that never changes.
        self.negative_captions: OrderedDict[str, tuple[np.ndarray, np.ndarray]] = OrderedDict()
        table = repo.root / "text_encoder" / "1" / CLASS_TABLE_FILE
        # An ImageNet generator answers a prompt with the class nearest to it (`dcae export` writes the table).
        self.class_table = (ClassTable.load(table) if self.generator is not None
                            and self.generator.conditioning == "class" and table.is_file() else None)
        self.conditioning_rule = (Conditioning(self.generator.conditioning, self.generator.null_class or 0,
                                               negative_caption=self.prompting is not None,
                                               prompt_classes=self.class_table is not None,
                                               embedded_guidance=self.generator.embedded_guidance)
                                  if self.generator is not None else None)
        # DCAE_GENERATE_LOOP=triton: the whole generation is one call of Triton's `generate` model.
        self.loop_in_model_server = settings.runtime == "triton" and settings.generate_loop == "triton"
        self.decode_pool = DecodePool(settings.image_decode_workers)

    async def decode_image(self, data: bytes) -> np.ndarray:
        """Upload bytes -> (H, W, 3) uint8, decoded in a worker process (`service.decode_pool`)."""
        with stage("image_decode"):
            return await self.decode_pool.decode(data, self.settings.max_image_pixels)

    def tiled(self, tile: bool, pixels: int) -> bool:
        """Tiles when asked, and for every image over `max_untiled_pixels`: memory grows with the pixels
        one call sees (a 4096 x 4096 encode in one call took 7.5 GB)."""
        return tile or pixels > self.settings.max_untiled_pixels

    # -- encode / decode
    async def encode(self, image: np.ndarray, tile: bool = False) -> np.ndarray:
        """(H, W, 3) uint8 -> raw latent (1, C, ceil(H/f), ceil(W/f))."""
        x = pad_to_multiple(to_model(image), self.compression)

        async def run(t: np.ndarray) -> np.ndarray:
            return (await self.infer("encoder", {"image": t}))["latent"]

        with stage("encoder"):
            if self.tiled(tile, x.shape[-2] * x.shape[-1]):
                f = self.compression
                t = self.TILES.rounded(f)
                return await blend_tiles(run, x, t.tile_pixels, t.overlap_pixels, 1 / f)
            return await run(x)

    async def decode(self, latent: np.ndarray, tile: bool = False) -> np.ndarray:
        """Raw latent (N, C, h, w) -> (N, 3, h*f, w*f) float in [-1, 1] (unclamped)."""
        async def run(z: np.ndarray) -> np.ndarray:
            return (await self.infer("decoder", {"latent": z}))["image"]

        with stage("decoder"):
            if self.tiled(tile, latent.shape[-2] * latent.shape[-1] * self.compression ** 2):
                f = self.compression
                t = self.TILES.in_latent(f)
                return await blend_tiles(run, latent.astype(np.float32), t.tile_pixels, t.overlap_pixels, f)
            return await run(latent.astype(np.float32))

    @property
    def has_preview_decoder(self) -> bool:
        return "preview_decoder" in self.repo.networks

    async def preview(self, estimate: np.ndarray) -> np.ndarray:
        """A step's clean-latent estimate (diffusion space) -> (N, 3, H, W) in [-1, 1]: through the tiny preview
        decoder when the repository has one (`dcae export --preview-decoder`), else the full decoder."""
        if not self.has_preview_decoder:
            return await self.decode(self.latent_space.from_diffusion(estimate))
        with stage("preview_decoder"):
            return (await self.infer("preview_decoder", {"latent": estimate.astype(np.float32)}))["image"]

    # -- generate
    def size(self, params: GenerateParams) -> tuple[int, int]:
        """(height, width) in pixels of a request's images."""
        side = self.generator.image_size
        return (params.height or side, params.width or side)

    def output_size(self, params: GenerateParams) -> tuple[int, int]:
        """(height, width) of the images answered: the generated size, or the one binning fits them to."""
        return params.output_size or self.size(params)

    def fitted(self, images: np.ndarray, params: GenerateParams) -> np.ndarray:
        """(n, H, W, 3) uint8 at the generated size -> at the answered size (resolution binning)."""
        if params.output_size is None or images.shape[1:3] == params.output_size:
            return images
        return np.stack([fit(image, *params.output_size) for image in images])

    def latent_shape(self, params: GenerateParams) -> tuple[int, int, int]:
        h, w = self.size(params)
        return (self.generator.latent_shape[0], h // self.compression, w // self.compression)

    async def encode_prompt(self, prompt: str, negative: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """-> the text encoder's tokens (1, L, D) and the attention mask (1, L) (SANA: the selected caption,
        `negative` by the negative prompts' rule)."""
        from dcae.contract.text_tokenize import tokenize

        if self.prompting is not None:
            if negative and prompt in self.negative_captions:
                self.negative_captions.move_to_end(prompt)
                return self.negative_captions[prompt]
            ids, mask = self.prompting.tokenize([prompt], negative)
            with stage("text_encoder"):
                out = await self.infer("text_encoder", {"input_ids": ids, "attention_mask": mask})
            caption = self.prompting.select(out["tokens"], mask, negative)
            if negative:
                self.negative_captions[prompt] = caption
                while len(self.negative_captions) > NEGATIVE_CAPTIONS_KEPT:
                    self.negative_captions.popitem(last=False)
            return caption
        ids, mask = tokenize([prompt], max_length=self.generator.text_len, tokenizer_path=self.tokenizer_path)
        with stage("text_encoder"):
            out = await self.infer("text_encoder", {"input_ids": ids, "attention_mask": mask})
        return out["tokens"], mask

    async def prompt_class(self, prompt: str) -> tuple[int, str, float]:
        """(index, name, cosine) of the ImageNet class nearest to a prompt: the text encoder's pooled
        embedding against the repository's class table, as `dcae generate` and Triton's generate model."""
        from dcae.contract.text_tokenize import tokenize

        ids, mask = tokenize([prompt], max_length=self.repo.metadata.text_encoder.max_length,
                             tokenizer_path=self.tokenizer_path)
        with stage("text_encoder"):
            out = await self.infer("text_encoder", {"input_ids": ids, "attention_mask": mask})
        return self.class_table.nearest(out["pooled"][0])

    async def conditioning(self, params: GenerateParams) -> tuple[dict, dict]:
        """Guidance's two halves by the contract's rule, over the prompts it asks for, encoded first."""
        encoded = {(text, negative): await self.encode_prompt(text, negative=negative)
                   for text, negative in self.conditioning_rule.prompts(params.prompt, params.negative_prompt)}
        return self.conditioning_rule.conditions(params.n, params.prompt, params.negative_prompt, params.class_label,
                                                 lambda text, negative: encoded[(text, negative)])

    async def start_loop(self, params: GenerateParams) -> generation.GuidedDenoising:
        """The guided loop of a request: its conditions, and the image's latent when it starts from one."""
        gen = self.generator
        cond, uncond = await self.conditioning(params)
        init = None
        if params.image is not None and params.strength < 1.0:
            init = self.latent_space.to_diffusion(await self.encode(params.image))
        return generation.GuidedDenoising.start(sampling.Objective(**gen.objective), params.sampler, params.steps,
                                                self.latent_shape(params), params.seed, params.n, cond, uncond,
                                                params.guidance, init_latent=init, strength=params.strength,
                                                embedded_guidance=gen.embedded_guidance)

    async def step(self, loop: generation.GuidedDenoising, i: int) -> None:
        """Denoising step i: one `dit` call on the loop's inputs (batched across requests by the runtime)."""
        try:
            loop.advance(i, (await self.infer("dit", loop.inputs(i)))["model_output"])
        except sampling.SamplerBudgetError as e:  # an adaptive sampler out of the request's steps (the client's)
            raise APIError(422, "invalid_request", f"steps: {e}", "steps") from e

    async def generate_stream(self, params: GenerateParams, partial_images: int = 0, every_step: bool = False
                              ) -> AsyncIterator[Progress | Preview | Done]:
        """The generation as events: `Progress` after each denoising step, `partial_images` `Preview`s
        spread over the steps (`every_step`: one after every step but the last), then `Done` with the images.
        An adaptive sampler (dopri5), whose number of steps is not known in advance, spreads them over its
        integration time instead (`every_step`: after every step it accepts).
        Previews come from the preview decoder when the repository has one, else from the full decoder. The
        gateway's loop only: with the loop in Triton's generate model (DCAE_GENERATE_LOOP=triton) the one event
        is `Done`."""
        if self.loop_in_model_server:
            images = await self.generate_in_model_server(params)
        else:
            loop = await self.start_loop(params)
            total, t_loop = loop.total, time.perf_counter()
            due = PreviewSchedule(total, partial_images, every_step)
            for done, i in enumerate(loop.steps, 1):
                t_step = time.perf_counter()
                await self.step(loop, i)
                STAGE_SECONDS.labels("denoise_step").observe(time.perf_counter() - t_step)
                yield Progress(done, total, round(loop.fraction, 4))
                if (index := due.after(done, loop.fraction)) is not None:
                    yield Preview(index, self.fitted(to_uint8(await self.preview(loop.state.x0)), params))
            STAGE_SECONDS.labels("denoise_loop").observe(time.perf_counter() - t_loop)
            images = to_uint8(await self.decode(self.latent_space.from_diffusion(loop.x)))
        IMAGES_GENERATED.inc(params.n)
        yield Done(self.fitted(images, params))

    async def generate_in_model_server(self, params: GenerateParams) -> np.ndarray:
        """The model server's `generate` model (Triton BLS, export/backends/generate_model.py): text
        encoder, the same sampling loop (its copy of `dcae.contract`), decoder, in one request.
        Same start noise, same arithmetic: the same images as the gateway's loop on the same server.
        -> (n, H, W, 3) uint8."""
        inputs = {"seed": np.array([params.seed], np.int64), "steps": np.array([params.steps], np.int32),
                  "guidance": np.array([params.guidance], np.float32), "n": np.array([params.n], np.int32),
                  "sampler": np.array([params.sampler.encode()], dtype=object)}
        conditioning = self.generator.conditioning
        if conditioning == "text":
            inputs["prompt"] = np.array([params.prompt.encode()], dtype=object)
            if params.negative_prompt:
                inputs["negative_prompt"] = np.array([params.negative_prompt.encode()], dtype=object)
        elif conditioning == "class":
            inputs["class_label"] = np.array([params.class_label], np.int64)
        if params.image is not None and params.strength < 1.0:
            inputs["image"] = np.ascontiguousarray(params.image, dtype=np.uint8)
            inputs["strength"] = np.array([params.strength], np.float32)
        if params.height or params.width:
            inputs["height"], inputs["width"] = (np.array([v], np.int32) for v in self.size(params))
        with stage("generate_model"):
            images = (await self.infer("generate", inputs))["images"]
        expected = (params.n, *self.size(params), 3)
        if images.shape != expected or images.dtype != np.uint8:
            raise RuntimeError(f"the generate model returned {images.dtype} {list(images.shape)}, not uint8 "
                               f"{list(expected)}")
        return images

    async def generate(self, params: GenerateParams) -> np.ndarray:
        """-> (n, H, W, 3) uint8."""
        async for event in self.generate_stream(params):
            if isinstance(event, Done):
                return event.images
        raise RuntimeError("the generation ended without images")

    async def check(self) -> None:
        """One real inference per network (readiness), each as small as it can be: tiny images, two prompt
        tokens (a large text encoder such as SANA's Gemma-2 costs seconds per full prompt), one step on
        zero conditions. Results are checked for finiteness."""
        f, c = self.compression, self.latent_channels
        outs = [await self.encode(np.zeros((f, f, 3), np.uint8)), await self.decode(np.zeros((1, c, 1, 1), np.float32))]
        if self.generator is not None:
            gen = self.generator
            sampler = gen.default_sampler  # one step of it (an adaptive one's steps are not fixed: one of euler)
            sampler = "euler" if sampler in sampling.ADAPTIVE_SAMPLERS else sampler
            params = GenerateParams("ready" if gen.conditioning == "text" else None,
                                    0 if gen.conditioning == "class" else None, 1, 0, 1, 1.0, sampler)
            if self.loop_in_model_server:  # the model that serves /v1/generate (its uint8 output is finite)
                await self.generate_in_model_server(params)
            else:
                tokens = await self.check_text_encoder() if "text_encoder" in self.repo.networks else None
                if tokens is not None:
                    outs.append(tokens)
                if gen.conditioning == "text":
                    mask = np.zeros((1, gen.text_len), bool)
                    mask[:, 0] = True
                    cond, uncond = text_conditions(
                        np.zeros((1, gen.text_len, tokens.shape[-1]), np.float32), mask, 1)
                else:
                    cond, uncond = await self.conditioning(params)
                loop = generation.GuidedDenoising.start(sampling.Objective(**gen.objective), params.sampler, 1,
                                                        self.latent_shape(params), 0, 1, cond, uncond, 1.0,
                                                        embedded_guidance=gen.embedded_guidance)
                for i in loop.steps:
                    await self.step(loop, i)
                outs.append(loop.x)
        for o in outs:
            if not np.isfinite(o).all():
                raise RuntimeError("a model returned non-finite values")

    async def check_text_encoder(self) -> np.ndarray:
        """The text encoder on the first two tokens of a prompt (valid ids for its tokenizer) -> its tokens."""
        from dcae.contract.text_tokenize import tokenize

        if self.prompting is not None:
            ids, mask = self.prompting.tokenize(["ready"], False)
        else:
            ids, mask = tokenize(["ready"], max_length=self.repo.metadata.text_encoder.max_length,
                                 tokenizer_path=self.tokenizer_path)
        with stage("text_encoder"):
            return (await self.infer("text_encoder", {"input_ids": ids[:, :2], "attention_mask": mask[:, :2]}))["tokens"]


async def run_blocking(fn, *args):
    return await asyncio.to_thread(fn, *args)
