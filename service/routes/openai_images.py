"""OpenAI's images API over the loaded generator, for the clients people already use (the official `openai`
package unchanged): POST /v1/images/generations (JSON) and POST /v1/images/edits (multipart, image-to-image).

    client = OpenAI(base_url="http://127.0.0.1:8000/v1", api_key=KEY or "unused")
    client.images.generate(model=..., prompt=..., n=2, size="512x512", response_format="b64_json",
                           output_format="png", extra_body={"seed": 7, "steps": 20, "negative_prompt": "blur"})

OpenAI's fields are honoured (n, size as "WxH" or "auto", response_format b64_json, output_format,
output_compression, stream, partial_images), accepted and ignored where they cannot apply here (user,
safety_identifier, moderation, quality "auto", background "auto"/"opaque", input_fidelity), or refused with
400 naming them (response_format "url", other qualities, transparent backgrounds, style, masks, unknown
fields): never silently misread. Ours come through `extra_body`: seed, steps, guidance, sampler,
negative_prompt, class_label, strength (edits), progress (with stream: `*.progress` events, step i of n,
between OpenAI's events; off by default, since OpenAI's clients expect only theirs). Errors use OpenAI's shape and statuses (invalid input 400),
which the client turns into its exception classes.
"""

from __future__ import annotations

import base64
import re
import time
from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from service.errors import APIError
from service.routes.common import (
    ERRORS, PipelinesDep, SettingsDep, encode_images, first_error, first_field, form_flag, read_form,
)
from service.routes.generate import event_stream, prepare
from service.schemas import GenerateRequest, SamplerName

images_router = APIRouter(prefix="/v1/images", tags=["OpenAI images API"])
SIZE = re.compile(r"([0-9]{1,5})x([0-9]{1,5})")


class OpenAIImageRequest(BaseModel):
    """The fields of OpenAI's image generation and edit requests, and ours beside them."""

    model_config = ConfigDict(extra="forbid")

    prompt: str = Field(..., max_length=1000)
    model: str | None = None
    n: int = Field(1, ge=1)
    size: str | None = Field(None, description='"WIDTHxHEIGHT" of the model\'s native size, or "auto"')
    response_format: Literal["b64_json", "url"] | None = None
    output_format: Literal["png", "jpeg", "webp"] = "png"
    output_compression: int | None = Field(None, ge=0, le=100, description="jpeg and webp quality (default 95)")
    stream: bool = False
    partial_images: int = Field(0, ge=0, le=3)
    quality: str | None = None
    background: str | None = None
    moderation: Literal["auto", "low"] | None = None  # no moderation model here: accepted, ignored
    style: str | None = None
    user: str | None = None
    safety_identifier: str | None = None
    input_fidelity: Literal["low", "high"] | None = None  # edits; there is one fidelity here
    # ours (extra_body)
    seed: int | None = Field(None, ge=0, le=2**31 - 1)
    steps: int | None = Field(None, ge=1)
    guidance: float | None = Field(None, ge=0.0, le=30.0)
    sampler: SamplerName | None = None
    negative_prompt: str | None = Field(None, max_length=1000)
    class_label: int | None = Field(None, ge=0)
    strength: float = Field(0.8, ge=0.0, le=1.0)
    resolution_binning: bool = False  # SANA: any size, generated at the native area, then fitted to it
    progress: bool = False  # with stream: also `*.progress` events (step, steps), which OpenAI's API has not


def _checked(req: OpenAIImageRequest, image_size: int) -> GenerateRequest:
    if req.response_format == "url":
        raise APIError(400, "invalid_request", "response_format: url is not supported (no image hosting); "
                                               "use b64_json", "response_format")
    if req.quality not in (None, "auto"):
        raise APIError(400, "invalid_request", f"quality: {req.quality!r} is not supported; one quality here "
                                               "(steps, guidance and sampler set the cost)", "quality")
    if req.background not in (None, "auto", "opaque"):
        raise APIError(400, "invalid_request", "background: transparent images are not supported", "background")
    if req.style is not None:
        raise APIError(400, "invalid_request", "style: not supported (a dall-e-3 option)", "style")
    size = width = height = None
    if req.size not in (None, "auto"):
        parts = SIZE.fullmatch(req.size)  # ASCII digits only: str.isdigit takes "²" and int() refuses it
        if parts is None or 0 in (width := int(parts[1]), height := int(parts[2])):
            raise APIError(400, "invalid_request", f"size: {req.size!r} is not WIDTHxHEIGHT of positive sizes (e.g. "
                                                   f"{image_size}x{image_size}) or auto", "size")
        if width == height:  # a square: `size`, so that a refusal names OpenAI's parameter
            size, width, height = width, None, None
    try:
        return GenerateRequest(size=size, prompt=req.prompt, class_label=req.class_label, n=req.n, seed=req.seed,
                               steps=req.steps, guidance=req.guidance, sampler=req.sampler, model=req.model,
                               negative_prompt=req.negative_prompt, strength=req.strength, width=width,
                               height=height, resolution_binning=req.resolution_binning)
    except ValidationError as e:  # our request's own limits (sizes, steps): the client's input, so a 400
        raise APIError(400, "invalid_request", first_error(e), first_field(e)) from None


def _parsed(data: dict) -> OpenAIImageRequest:
    """Strict types, as OpenAI's API and /v1/generate take them: "n": "1" or "stream": "yes" are refused, not
    converted (the edits route's form fields arrive as text and are converted by `_form_value` first)."""
    try:
        return OpenAIImageRequest.model_validate(data, strict=True)
    except ValidationError as e:
        raise APIError(400, "invalid_request", first_error(e), first_field(e)) from None


async def _answer(req: OpenAIImageRequest, pipes, settings, image, kind: str):
    gen = pipes.generator
    if gen is None:
        raise APIError(400, "no_generator", "no generator is loaded in this deployment")
    params, chosen = await prepare(_checked(req, gen.image_size), pipes, settings, image)
    quality = 95 if req.output_compression is None else req.output_compression
    if req.stream:
        return event_stream(pipes, params, chosen, req.partial_images, kind, req.output_format, quality,
                            progress=req.progress)
    images = await pipes.generate(params)
    encoded = await encode_images(images, req.output_format, quality)
    revised = {"revised_prompt": chosen["class_name"]} if chosen.get("class_name") else {}
    return {"created": int(time.time()), "background": "opaque", "output_format": req.output_format,
            "size": "{1}x{0}".format(*pipes.output_size(params)),
            "data": [{"b64_json": base64.b64encode(e).decode(), "seed": params.seed + i, **chosen, **revised}
                     for i, e in enumerate(encoded)]}


@images_router.post("/generations", responses=ERRORS, summary="OpenAI: prompt -> images",
                    openapi_extra={"requestBody": {"required": True, "content": {
                        "application/json": {"schema": OpenAIImageRequest.model_json_schema()}}}})
async def generations(request: Request, pipes: PipelinesDep, settings: SettingsDep):
    """`client.images.generate(...)`: `{"created", "data": [{"b64_json", "seed"}], "output_format", "size"}`,
    or with `stream` the events `image_generation.partial_image` / `.completed` (and `.progress`)."""
    try:
        data = await request.json()
    except ValueError:
        raise APIError(400, "invalid_request", "the body is not JSON") from None
    if not isinstance(data, dict):
        raise APIError(400, "invalid_request", "the body must be a JSON object")
    return await _answer(_parsed(data), pipes, settings, None, "image_generation")


@images_router.post("/edits", responses=ERRORS, summary="OpenAI: image + prompt -> images (image-to-image)",
                    openapi_extra={"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                        "type": "object", "required": ["image", "prompt"],
                        "properties": {"image": {"type": "string", "format": "binary"}, "prompt": {"type": "string"},
                                       "n": {"type": "integer", "minimum": 1},
                                       "strength": {"type": "number", "minimum": 0, "maximum": 1},
                                       "seed": {"type": "integer", "minimum": 0}}}}}}})
async def edits(request: Request, pipes: PipelinesDep, settings: SettingsDep):
    """`client.images.edit(image=..., prompt=...)`: the image encoded by DC-AE, noised to the step that
    `strength` (default 0.8) names and denoised with the prompt (SDEdit). Strength 0 gives back the
    autoencoder's reconstruction, 1 plain generation. One image; masks are not supported."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise APIError(415, "unsupported_media_type", "send multipart/form-data with an `image` file and a `prompt`")
    form = await read_form(request)
    files = [v for k in ("image", "image[]") for v in form.getlist(k) if not isinstance(v, str)]
    if len(files) != 1:
        raise APIError(400, "invalid_request", f"image: send exactly one image file (got {len(files)})", "image")
    if form.get("mask") is not None:
        raise APIError(400, "invalid_request", "mask: inpainting is not supported; the whole image is edited", "mask")
    fields = {k: v for k, v in form.multi_items() if isinstance(v, str) and k not in ("image", "image[]")}
    data = {k: _form_value(k, v) for k, v in fields.items()}
    req = _parsed(data)
    image = await pipes.decode_image(await files[0].read())
    return await _answer(req, pipes, settings, image, "image_edit")


_INTS = {"n", "output_compression", "partial_images", "seed", "steps", "class_label"}
_FLOATS = {"guidance", "strength"}


def _form_value(key: str, value: str):
    """Multipart fields arrive as text: numbers and booleans where OpenAI's (and our) fields are."""
    try:
        if key in _INTS:
            return int(value)
        if key in _FLOATS:
            return float(value)
    except ValueError:
        raise APIError(400, "invalid_request", f"{key}: {value!r} is not a number", key) from None
    if key in ("stream", "progress"):
        return form_flag(value, key)
    return value
