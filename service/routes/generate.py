"""POST /v1/generate: prompt or class label (and a start image) -> images, OpenAI images style, whole or
streamed as Server-Sent Events; what the OpenAI-compatible routes share with it; the OpenAPI limits."""

from __future__ import annotations

import base64
import json
import random
import time
from dataclasses import replace
from urllib.parse import quote

import numpy as np
from fastapi import APIRouter, Response
from fastapi.responses import StreamingResponse

from dcae.contract import generation
from dcae.contract.metadata import GeneratorInfo
from dcae.contract.pixels import fit
from service.errors import APIError
from service.metrics import STREAMED
from service.pipeline import GenerateParams, Pipelines, Preview, Progress, run_blocking
from service.routes.common import ERRORS, PipelinesDep, SettingsDep, b64decode, encode_images, log
from service.runtimes import RunnerRejected, RunnerUnavailable
from service.schemas import GenerateRequest, GenerateResponse
from service.settings import Settings

generate_router = APIRouter(prefix="/v1", tags=["generation"])


@generate_router.post("/generate", response_model=GenerateResponse,
                      responses={**ERRORS, 200: {"content": {"image/png": {}, "application/json": {},
                                                             "text/event-stream": {}}}},
                      summary="Prompt or class -> images")
async def generate(body: GenerateRequest, pipes: PipelinesDep,
                   settings: SettingsDep):
    """OpenAI images-style: `{"created": ..., "data": [{"b64_json": ..., "seed": ...}]}`; with
    `response_format=png` and n = 1 the body is the PNG itself; with `stream` Server-Sent Events
    (`image_generation.progress`, `.partial_image`, `.completed`). Same seed, same image."""
    image = await pipes.decode_image(b64decode(body.image, "image")) if body.image is not None else None
    params, chosen = await prepare(body, pipes, settings, image)
    if body.stream:
        if body.response_format == "png":
            raise APIError(422, "invalid_request", "response_format: png does not stream; use b64_json",
                           "response_format")
        if body.preview_every_step and not pipes.has_preview_decoder:
            raise APIError(422, "invalid_request", "preview_every_step: this deployment has no preview decoder "
                                                   "(dcae export --preview-decoder); use partial_images",
                           "preview_every_step")
        return event_stream(pipes, params, chosen, body.partial_images, "image_generation", "png", 95,
                            every_step=body.preview_every_step)
    if body.preview_every_step:
        raise APIError(422, "invalid_request", "preview_every_step: previews need stream: true", "preview_every_step")
    images = await pipes.generate(params)
    encoded = await encode_images(images)
    if body.response_format == "png":
        headers = {"X-Seed": str(params.seed)}
        if chosen:
            headers["X-Class-Label"] = str(chosen["class_label"])
            if chosen["class_name"]:
                headers["X-Class-Name"] = quote(chosen["class_name"])
        return Response(encoded[0], media_type="image/png", headers=headers)
    return GenerateResponse(created=int(time.time()),
                            data=[{"b64_json": base64.b64encode(e).decode(), "seed": params.seed + i, **chosen}
                                  for i, e in enumerate(encoded)])


async def prepare(body: GenerateRequest, pipes: Pipelines, settings: Settings,
                  image: np.ndarray | None = None) -> tuple[GenerateParams, dict]:
    """A request's checked parameters (`image`: a decoded start image) and, for class-conditional
    generators, the class it generates {class_label, class_name}: the one asked for, or the ImageNet
    class nearest to the prompt."""
    gen = pipes.generator
    if gen is None:
        raise APIError(422, "no_generator", "no generator is loaded in this deployment")
    if body.model not in (None, gen.name):
        raise APIError(422, "unknown_model", f"model {body.model!r} is not loaded; available: {gen.name}",
                       "model")
    params = _generate_params(body, gen, settings, pipes.compression, prompt_classes=pipes.class_table is not None)
    if image is not None:
        # Off the event loop; the resize is bounded by the generated size whatever the upload's aspect ratio.
        params = replace(params, image=await run_blocking(fit, image, *pipes.size(params)), strength=body.strength)
    chosen = {}
    if gen.conditioning == "class":
        if params.class_label is None:  # an ImageNet generator given a prompt: its nearest class
            params = replace(params, class_label=(await pipes.prompt_class(params.prompt))[0])
        table = pipes.class_table
        chosen = {"class_label": params.class_label, "class_name": table.names[params.class_label] if table else None}
    return params, chosen


def sse(event: dict) -> bytes:
    return f"event: {event['type']}\ndata: {json.dumps(event)}\n\n".encode()


def event_stream(pipes: Pipelines, params: GenerateParams, chosen: dict, partial_images: int, kind: str, fmt: str,
                 quality: int, progress: bool = True, every_step: bool = False) -> StreamingResponse:
    """The generation as Server-Sent Events in OpenAI's image-streaming shape: `{kind}.progress` after
    each step when `progress` (ours: step, steps (null for an adaptive sampler), fraction), `{kind}.partial_image`
    previews, `{kind}.completed` per image (each with image_index and seed beside OpenAI's fields); an
    `error` event if it fails after the stream began. A client that leaves cancels the generation (the
    guard cancels this response's task, and the loop with it)."""
    STREAMED.labels(kind).inc()
    height, width = pipes.output_size(params)
    base = {"background": "opaque", "output_format": fmt, "quality": "auto", "size": f"{width}x{height}"}

    async def events():
        try:
            async for event in pipes.generate_stream(params, partial_images, every_step):
                now = int(time.time())
                if isinstance(event, Progress):
                    if progress:
                        yield sse({"type": f"{kind}.progress", "step": event.step, "steps": event.steps,
                                   "fraction": event.fraction, "created_at": now})
                    continue
                encoded = await encode_images(event.images, fmt, quality)
                for i, e in enumerate(encoded):
                    body = {**base, "b64_json": base64.b64encode(e).decode(), "created_at": now, "image_index": i,
                            "seed": params.seed + i, **chosen}
                    if isinstance(event, Preview):
                        yield sse({**body, "type": f"{kind}.partial_image", "partial_image_index": event.index})
                    else:
                        yield sse({**body, "type": f"{kind}.completed", "usage": NO_TOKENS})
        except APIError as e:
            yield sse({"type": "error", "error": {"code": e.code, "message": e.message, "param": e.field}})
        except (RunnerUnavailable, RunnerRejected) as e:
            log.warning("stream failed: %s", e)
            yield sse({"type": "error", "error": {"code": "backend_unavailable", "message": "the model server "
                                                  "failed the request; retry"}})

    return StreamingResponse(events(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})


NO_TOKENS = {"input_tokens": 0, "output_tokens": 0, "total_tokens": 0,
             "input_tokens_details": {"image_tokens": 0, "text_tokens": 0}}  # OpenAI's field; nothing is counted


def max_steps(gen: GeneratorInfo, settings: Settings) -> int:
    """DCAE_MAX_STEPS, or the model's own default where that is more (the DiT-XL release samples 250)."""
    return max(settings.max_steps, gen.default_steps)


def image_size(body: GenerateRequest, gen: GeneratorInfo, compression: int
               ) -> tuple[int | None, int | None, tuple[int, int] | None]:
    """A request's generated (height, width), None where it is the model's native side, and the size its images
    are fitted to when that differs (resolution binning). Asked by `size` (a square) or `width` and `height`.
    Sizes other than the native one for models that take them (max_image_size: SANA): multiples of the
    compression up to max_image_size; with `resolution_binning` any sizes up to it, generated at the native
    area (`generation.binned_size`)."""
    if body.size is not None and (body.width is not None or body.height is not None):
        raise APIError(422, "invalid_request", "size: give size (a square) or width and height, not both", "size")
    native = gen.image_size
    height, width = body.height or body.size or native, body.width or body.size or native
    if (height, width) == (native, native):
        return None, None, None
    field = "size" if body.size is not None else "width" if width != native else "height"
    if gen.max_image_size is None:
        what = "resolution_binning" if body.resolution_binning else field
        raise APIError(422, "invalid_request", f"{what}: this model generates {native}px images only", what)
    problem = generation.size_problem(height, width, 1 if body.resolution_binning else compression, gen.max_image_size)
    if problem is not None:
        raise APIError(422, "invalid_request", f"size: {problem}" if field == "size" else problem, field)
    if not body.resolution_binning:
        return height, width, None
    h, w = generation.binned_size(height, width, native, compression)
    generated = (None, None) if (h, w) == (native, native) else (h, w)
    return (*generated, (height, width) if (h, w) != (height, width) else None)


def _generate_params(body: GenerateRequest, gen: GeneratorInfo, settings: Settings, compression: int,
                     prompt_classes: bool = False) -> GenerateParams:
    cond = gen.conditioning
    prompted = bool(body.prompt and body.prompt.strip())
    if body.negative_prompt and cond != "text":
        raise APIError(422, "invalid_request", "negative_prompt: this model is not text-conditioned",
                       "negative_prompt")
    if body.negative_prompt and gen.embedded_guidance:
        raise APIError(422, "invalid_request", "negative_prompt: this model embeds the guidance (SANA-Sprint: one pass "
                                               "per step, no unconditional half); it takes no negative prompt",
                       "negative_prompt")
    if body.class_label is not None and cond != "class":
        raise APIError(422, "invalid_request", f"class_label: this model is {cond}-conditioned, not class-conditioned",
                       "class_label")
    if cond == "text" and not prompted:
        raise APIError(422, "invalid_request", "prompt: this model is text-conditioned; give a prompt", "prompt")
    if cond == "class":
        if body.class_label is None and not (prompted and prompt_classes):
            hint = ("give a class_label or a prompt" if prompt_classes else
                    "give a class_label (prompts map to classes for ImageNet generators only)" if prompted else
                    "give a class_label")
            raise APIError(422, "invalid_request", f"class_label: this model is class-conditioned; {hint}",
                           "class_label")
        if body.class_label is not None and body.class_label >= gen.null_class:
            raise APIError(422, "invalid_request", f"class_label: must be < {gen.null_class}", "class_label")
    limit = min(settings.max_generate_n, gen.max_images)
    if body.n > limit:
        raise APIError(422, "invalid_request", f"n: at most {limit} images per request", "n")
    steps = body.steps or gen.default_steps
    if steps > max_steps(gen, settings):
        raise APIError(422, "invalid_request", f"steps: at most {max_steps(gen, settings)}", "steps")
    levels = gen.objective["num_timesteps"]
    if gen.objective["kind"] == "ddpm" and steps > levels:  # reachable with a DCAE_MAX_STEPS above it
        raise APIError(422, "invalid_request", f"steps: at most {levels}, the noise levels of this DDPM model",
                       "steps")
    sampler = body.sampler or gen.default_sampler
    if sampler not in gen.samplers:
        raise APIError(422, "invalid_request", f"sampler: {sampler!r} does not fit this model; use one of "
                                               f"{gen.samplers}", "sampler")
    height, width, output_size = image_size(body, gen, compression)
    if body.response_format == "png" and body.n != 1:
        raise APIError(422, "invalid_request", "response_format: png returns one image; use b64_json for n > 1",
                       "response_format")
    seed = body.seed if body.seed is not None else random.randrange(2**31 - 64)
    guidance = body.guidance if body.guidance is not None else gen.default_guidance
    return GenerateParams(body.prompt, body.class_label, body.n, seed, steps, guidance, sampler,
                          negative_prompt=body.negative_prompt or None, height=height, width=width,
                          output_size=output_size)


def document_limits(schema: dict, pipes: Pipelines, settings: Settings) -> None:
    """Write this deployment's limits into the OpenAPI schema of `GenerateRequest` (n, steps,
    samplers, size, model, the conditioning), so that /docs and API fuzzers see what is accepted."""
    props = schema.get("components", {}).get("schemas", {}).get("GenerateRequest", {}).get("properties")
    gen = pipes.generator
    if props is None or gen is None:
        return

    def optional(inner: dict) -> dict:
        return {"anyOf": [inner, {"type": "null"}], "default": None}

    props["n"]["maximum"] = min(settings.max_generate_n, gen.max_images)
    props["steps"].update(optional({"type": "integer", "minimum": 1, "maximum": max_steps(gen, settings)}))
    props["sampler"].update(optional({"type": "string", "enum": list(gen.samplers)}))
    if gen.max_image_size is None:
        props["size"].update(optional({"type": "integer", "enum": [gen.image_size]}))
        for name in ("width", "height"):
            props[name].update(optional({"type": "integer", "enum": [gen.image_size]}))
    else:
        sides = {"type": "integer", "minimum": pipes.compression, "maximum": gen.max_image_size,
                 "multipleOf": pipes.compression}
        for name in ("size", "width", "height"):
            props[name].update(optional(sides))
    props["model"].update(optional({"type": "string", "enum": [gen.name]}))
    required = schema["components"]["schemas"]["GenerateRequest"].setdefault("required", [])
    if gen.conditioning == "text":
        props["prompt"] = {**props["prompt"], "type": "string", "maxLength": 1000, "pattern": r"\S"}
        props["prompt"].pop("anyOf", None), props["prompt"].pop("default", None)
        required.append("prompt")
    elif gen.conditioning == "class":
        label = {"type": "integer", "minimum": 0, "maximum": gen.null_class - 1}
        if pipes.class_table is not None:  # a class label or a prompt
            props["class_label"].update(optional(label))
        else:
            props["class_label"] = {**props["class_label"], **label}
            props["class_label"].pop("anyOf", None), props["class_label"].pop("default", None)
            required.append("class_label")
