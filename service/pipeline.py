"""Encode, decode and generate over a runner, in numpy (no torch). Padding, tiling, pixel conversions,
latent scaling and the guided sampling loop are the torch-free contract's (`dcae.contract`), which the ML
core and Triton's generate model run too."""

from __future__ import annotations

import asyncio
import io
import struct
import time
import zlib
from dataclasses import dataclass
from typing import Awaitable, Callable

import numpy as np
from PIL import Image, ImageOps

from dcae.contract import generation, sampling
from dcae.contract.imagenet_classes import CLASS_TABLE_FILE, ClassTable
from dcae.contract.latents import LatentSpace
from dcae.contract.pixels import pad_to_multiple, to_model, to_rgb, to_uint8
from dcae.contract.tiling import TileSpec, blend_tiles
from service.decode_pool import DecodePool
from service.errors import APIError
from service.metrics import IMAGES_GENERATED, STAGE_SECONDS, stage
from service.repository import ModelRepository
from service.settings import Settings

Infer = Callable[[str, dict[str, np.ndarray]], Awaitable[dict[str, np.ndarray]]]


# ----------------------------------------------------------------------------------------------
# Images in and out


IMAGE_FORMATS = ("PNG", "JPEG", "WEBP", "GIF", "BMP", "TIFF")  # what Pillow may parse here (no EPS, PDF, ...)


def _invalid(message: str) -> APIError:
    return APIError(422, "invalid_image", message, field="image")


def _too_large(message: str) -> APIError:
    return APIError(413, "image_too_large", message, field="image")


MAX_JPEG_SCANS = 64  # a progressive JPEG has about 10; each scan re-reads the whole image


def check_structure(data: bytes) -> None:
    """Refuse, before any parser runs, files whose structure makes decoding cost far more than their
    size suggests: JPEGs with many scans (a 2 MB file can repeat one scan 125,000 times), and TIFFs
    with more than one image directory (walking many is quadratic in Pillow; one frame is all we take)."""
    if data[:3] == b"\xff\xd8\xff":
        scans = data.count(b"\xff\xda")  # start-of-scan markers: entropy-coded data never holds FF DA
        if scans > MAX_JPEG_SCANS:
            raise _invalid(f"the JPEG has {scans} scans; at most {MAX_JPEG_SCANS} are accepted")
    elif data[:4] in (b"II*\x00", b"MM\x00*"):
        order = "<" if data[:2] == b"II" else ">"
        try:
            (first,) = struct.unpack_from(order + "I", data, 4)
            (entries,) = struct.unpack_from(order + "H", data, first)
            (following,) = struct.unpack_from(order + "I", data, first + 2 + 12 * entries)
        except struct.error:
            raise _invalid("the TIFF is truncated (its first image directory is not in the file)") from None
        if following != 0:
            raise _invalid("animated or multi-frame images are not supported; send a single frame")
    elif data[:4] in (b"II+\x00", b"MM\x00+"):
        raise _invalid("BigTIFF files are not supported; send PNG, JPEG, WebP or a classic TIFF")


def decode_image_bytes(data: bytes, max_pixels: int) -> np.ndarray:
    """Upload bytes -> (H, W, 3) uint8 RGB. The structure (`check_structure`) and the pixel cap are
    checked from the headers, before any pixel is decoded (decompression bombs); modes are converted
    (alpha over white, 16-bit scaled, CMYK and palettes to RGB) or refused with the reason."""
    if not data:
        raise _invalid("the image is empty")
    check_structure(data)
    try:
        img = Image.open(io.BytesIO(data), formats=IMAGE_FORMATS)
    except Image.DecompressionBombError:  # Pillow's own header check (above 2 x 89.5 M pixels)
        raise _too_large(f"the image's header declares over {2 * Image.MAX_IMAGE_PIXELS} pixels; the limit is "
                         f"{max_pixels}") from None
    except Exception as e:  # noqa: BLE001 - untrusted bytes: whatever the parser trips on is the client's
        raise _invalid(f"not an image in a supported format ({', '.join(IMAGE_FORMATS)}): "
                       f"{type(e).__name__}") from None
    w, h = img.size
    if w < 1 or h < 1:
        raise _invalid(f"the image is {w}x{h}")
    if w * h > max_pixels:
        raise _too_large(f"the image is {w}x{h} = {w * h} pixels; the limit is {max_pixels}")
    try:
        if getattr(img, "n_frames", 1) > 1:
            raise _invalid("animated or multi-frame images are not supported; send a single frame")
        img.load()
        img = ImageOps.exif_transpose(img)
    except APIError:
        raise
    except Exception as e:  # noqa: BLE001 - truncated or corrupt data, whichever way the decoder says it
        raise _invalid(f"cannot decode the image (truncated or corrupt?): {type(e).__name__}") from None
    if img.mode == "F":
        raise _invalid("32-bit float images are not supported; send 8- or 16-bit")
    try:
        return np.asarray(to_rgb(img), dtype=np.uint8)
    except Exception as e:  # noqa: BLE001 - e.g. LAB, which Pillow cannot convert
        raise _invalid(f"images in mode {img.mode} cannot be converted to RGB ({type(e).__name__}); "
                       "send RGB, greyscale, palette or CMYK") from None


def encode_png(image: np.ndarray) -> bytes:
    """(H, W, 3) uint8 -> PNG bytes: every row with PNG's Sub filter (each byte minus the one a pixel to
    its left, mod 256), deflated at level 1 with zlib's run-length strategy (Z_RLE), in one IDAT chunk.

    Sized for a 512-px decoded image on this project's 2-core CPU: Pillow's default (level 6, adaptive
    filters, full LZ77 search) took 39-138 ms; Pillow at level 1 with Z_RLE 14-18 ms, most of it in its
    per-row adaptive filter choice; this takes 7-8 ms, for files 11-17 % larger than the latter."""
    if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3:
        raise ValueError(f"encode_png takes (H, W, 3) uint8 images, not {image.dtype} {image.shape}")
    h, w, _ = image.shape
    rows = np.empty((h, w * 3 + 1), np.uint8)
    rows[:, 0] = 1  # filter type Sub
    flat = image.reshape(h, w * 3)
    rows[:, 1:4] = flat[:, :3]
    np.subtract(flat[:, 3:], flat[:, :-3], out=rows[:, 4:])  # uint8 arithmetic wraps: PNG's mod 256
    deflate = zlib.compressobj(1, zlib.DEFLATED, 15, 9, zlib.Z_RLE)
    data = deflate.compress(rows) + deflate.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)  # 8-bit RGB, deflate, adaptive filtering, no interlace
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def encode_image_bytes(image: np.ndarray, fmt: str = "png") -> bytes:
    if fmt == "png":
        return encode_png(image)
    buf = io.BytesIO()
    Image.fromarray(image).save(buf, format=fmt.upper(), quality=95)
    return buf.getvalue()


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
        table = repo.root / "text_encoder" / "1" / CLASS_TABLE_FILE
        # An ImageNet generator answers a prompt with the class nearest to it (`dcae export` writes the table).
        self.class_table = (ClassTable.load(table) if self.generator is not None
                            and self.generator.conditioning == "class" and table.is_file() else None)
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

    # -- generate
    async def encode_prompt(self, prompt: str) -> tuple[np.ndarray, np.ndarray]:
        """-> the text encoder's tokens (1, L, D) and the attention mask (1, L)."""
        from dcae.contract.text_tokenize import tokenize

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
        gen, n = self.generator, params.n
        if gen.conditioning == "text":
            return generation.text_conditions(*await self.encode_prompt(params.prompt), n)
        if gen.conditioning == "class":
            return generation.class_conditions(params.class_label, gen.null_class, n)
        return {}, {}

    async def generate_latents(self, params: GenerateParams,
                               on_step: Callable[[int, int], None] | None = None) -> np.ndarray:
        gen = self.generator
        cond, uncond = await self.conditioning(params)
        loop = generation.GuidedDenoising.start(sampling.Objective(**gen.objective), params.sampler, params.steps,
                                                tuple(gen.latent_shape), params.seed, params.n, cond, uncond,
                                                params.guidance)
        t_loop = time.perf_counter()
        for i in range(len(loop)):
            t_step = time.perf_counter()
            loop.advance(i, (await self.infer("dit", loop.inputs(i)))["model_output"])
            STAGE_SECONDS.labels("denoise_step").observe(time.perf_counter() - t_step)
            if on_step is not None:
                on_step(i + 1, params.steps)
        STAGE_SECONDS.labels("denoise_loop").observe(time.perf_counter() - t_loop)
        return loop.x

    async def generate_in_model_server(self, params: GenerateParams) -> np.ndarray:
        """The model server's `generate` model (Triton BLS, export/backends/generate_model.py): text
        encoder, the same sampling loop (its copy of `dcae.contract`), decoder, in one request.
        Same start noise, same arithmetic: the same images as `generate_latents` + `decode` on the
        same server. -> (n, H, W, 3) uint8."""
        inputs = {"seed": np.array([params.seed], np.int64), "steps": np.array([params.steps], np.int32),
                  "guidance": np.array([params.guidance], np.float32), "n": np.array([params.n], np.int32),
                  "sampler": np.array([params.sampler.encode()], dtype=object)}
        conditioning = self.generator.conditioning
        if conditioning == "text":
            inputs["prompt"] = np.array([params.prompt.encode()], dtype=object)
        elif conditioning == "class":
            inputs["class_label"] = np.array([params.class_label], np.int64)
        with stage("generate_model"):
            images = (await self.infer("generate", inputs))["images"]
        expected = (params.n, self.generator.image_size, self.generator.image_size, 3)
        if images.shape != expected or images.dtype != np.uint8:
            raise RuntimeError(f"the generate model returned {images.dtype} {list(images.shape)}, not uint8 "
                               f"{list(expected)}")
        return images

    async def generate(self, params: GenerateParams, on_step=None) -> np.ndarray:
        """-> (n, H, W, 3) uint8. `on_step(done, total)` is called by the gateway's loop only."""
        if self.loop_in_model_server:
            images = await self.generate_in_model_server(params)
        else:
            z = await self.generate_latents(params, on_step)
            images = to_uint8(await self.decode(self.latent_space.from_diffusion(z)))
        IMAGES_GENERATED.inc(params.n)
        return images

    async def check(self) -> None:
        """One real inference per network (readiness): tiny inputs, results checked for finiteness."""
        f, c = self.compression, self.latent_channels
        outs = [await self.encode(np.zeros((f, f, 3), np.uint8)), await self.decode(np.zeros((1, c, 1, 1), np.float32))]
        if self.generator is not None:
            gen = self.generator
            params = GenerateParams("ready" if gen.conditioning == "text" else None,
                                    0 if gen.conditioning == "class" else None, 1, 0, 1, 1.0, gen.default_sampler)
            if self.loop_in_model_server:  # the model that serves /v1/generate (its uint8 output is finite)
                await self.generate_in_model_server(params)
            else:
                outs.append(await self.generate_latents(params))
        for o in outs:
            if not np.isfinite(o).all():
                raise RuntimeError("a model returned non-finite values")


async def run_blocking(fn, *args):
    return await asyncio.to_thread(fn, *args)
