"""POST /v1/decode: latent -> image(s) (raw .npy with query options, or JSON)."""

from __future__ import annotations

import base64

from fastapi import APIRouter, Request, Response
from starlette.datastructures import QueryParams

from dcae.contract.pixels import to_uint8
from service.errors import APIError
from service.routes.common import (
    b64decode, BINARY_SCHEMA, check_latent, encode_images, ERRORS, first_error, first_field, FLAG_SCHEMA, form_flag, NPY,
    PipelinesDep, read_npy, SettingsDep,
)
from service.schemas import DecodeRequest, DecodeResponse

decode_router = APIRouter(prefix="/v1", tags=["autoencoder"])


def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


DECODE_BODY = {
    "requestBody": {"required": True, "content": {NPY: {"schema": BINARY_SCHEMA},
                                                   "application/json": {"schema": DecodeRequest.model_json_schema()}}},
    "parameters": [  # for the raw .npy body; the JSON body carries the same options itself
        _query("scaled", FLAG_SCHEMA, "the latent is in diffusion space"),
        _query("format", {"type": "string", "enum": ["png", "jpeg", "webp"], "default": "png"}, "image format"),
        _query("size", {"type": "string", "pattern": "^[0-9]+x[0-9]+$"}, "HEIGHTxWIDTH crop, e.g. 512x768"),
        _query("response_format", {"type": "string", "enum": ["image", "b64_json"], "default": "image"},
               "the image itself, or JSON with base64 images"),
        _query("tile", FLAG_SCHEMA, "decode in overlapping tiles"),
        _query("model", {"type": "string"}, "autoencoder name; default: the loaded one"),
    ]}
IMAGE_TYPES = {f"image/{t}": {} for t in ("png", "jpeg", "webp")}


@decode_router.post("/decode", responses={**ERRORS, 200: {"content": IMAGE_TYPES}}, response_model=DecodeResponse,
                    summary="Latent -> image", openapi_extra=DECODE_BODY)
async def decode(request: Request, pipes: PipelinesDep,
                 settings: SettingsDep):
    """Send the latent as a raw .npy body (`Content-Type: application/x-npy`; options as query
    parameters `scaled`, `format`, `size=HxW`, `response_format`, `tile`) or as JSON `DecodeRequest`.
    Returns the image (PNG by default), or JSON with base64 images when `response_format=b64_json`."""
    ctype = request.headers.get("content-type", "")
    q = request.query_params
    if ctype.startswith(NPY) or ctype.startswith("application/octet-stream"):
        opts = _decode_options(q)
        z = read_npy(await request.body())
    elif ctype.startswith("application/json"):
        given = sorted(set(q) & DECODE_QUERY)
        if given:
            raise APIError(422, "invalid_request", f"{given[0]}: with a JSON body, give the options in the body",
                           given[0])
        try:
            opts = DecodeRequest.model_validate_json(await request.body())
        except ValueError as e:
            raise APIError(422, "invalid_request", first_error(e), first_field(e)) from None
        z = read_npy(b64decode(opts.latent, "latent"))
    else:
        raise APIError(415, "unsupported_media_type", f"send {NPY} or JSON")
    if opts.model not in (None, pipes.model_name):
        raise APIError(422, "unknown_model", f"model {opts.model!r} is not loaded; available: {pipes.model_name}", "model")
    z = check_latent(z, pipes, settings.max_image_pixels)
    if opts.image_size is not None:  # checked before the work
        h, w = opts.image_size
        full_h, full_w = z.shape[2] * pipes.compression, z.shape[3] * pipes.compression
        if not (0 < h <= full_h and 0 < w <= full_w):
            raise APIError(422, "invalid_request", f"image_size {h}x{w} exceeds the decoded {full_h}x{full_w}",
                           "image_size")
    if opts.response_format == "image" and z.shape[0] != 1:
        raise APIError(422, "invalid_request", "a batch of latents decodes to several images: use "
                                               "response_format=b64_json", "response_format")
    if opts.scaled:
        z = pipes.latent_space.from_diffusion(z)
    images = to_uint8(await pipes.decode(z, tile=opts.tile))
    if opts.image_size is not None:
        images = images[:, :opts.image_size[0], :opts.image_size[1]]
    encoded = await encode_images(images, opts.format)
    if opts.response_format == "image":
        return Response(encoded[0], media_type=f"image/{opts.format}")
    return DecodeResponse(data=[{"b64_json": base64.b64encode(e).decode(), "format": opts.format} for e in encoded],
                          model=pipes.model_name)


DECODE_QUERY = {"scaled", "format", "size", "response_format", "tile", "model"}


def _decode_options(q: QueryParams) -> DecodeRequest:
    size = None
    if q.get("size"):
        try:
            size = [int(v) for v in q["size"].lower().split("x")]
            assert len(size) == 2
        except (ValueError, AssertionError):
            raise APIError(422, "invalid_request", "size must be HEIGHTxWIDTH, e.g. 512x768", "size") from None
    try:
        return DecodeRequest(latent="", scaled=form_flag(q.get("scaled"), "scaled"), image_size=size,
                             format=q.get("format", "png"), response_format=q.get("response_format", "image"),
                             tile=form_flag(q.get("tile"), "tile"), model=q.get("model") or None)
    except ValueError as e:
        raise APIError(422, "invalid_request", first_error(e), first_field(e)) from None
