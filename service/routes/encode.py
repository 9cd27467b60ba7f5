"""POST /v1/encode: image -> latent (multipart, JSON or raw image bytes; JSON or .npy back)."""

from __future__ import annotations

import base64

import numpy as np
from fastapi import APIRouter, Request, Response

from service.errors import APIError
from service.routes.common import (
    b64decode, BINARY_SCHEMA, ERRORS, first_error, first_field, FLAG_SCHEMA, form_flag, NPY, npy_bytes,
    PipelinesDep, read_form, SettingsDep,
)
from service.schemas import EncodeRequest, EncodeResponse

encode_router = APIRouter(prefix="/v1", tags=["autoencoder"])


ENCODE_BODY = {"requestBody": {"required": True, "content": {
    "multipart/form-data": {"schema": {"type": "object", "required": ["image"], "properties": {
        "image": BINARY_SCHEMA, "model": {"type": "string"}, "scaled": FLAG_SCHEMA, "tile": FLAG_SCHEMA}}},
    "application/json": {"schema": EncodeRequest.model_json_schema()}}}}


@encode_router.post("/encode", response_model=EncodeResponse, responses={**ERRORS, 200: {"content": {NPY: {}}}},
                    summary="Image -> latent", openapi_extra=ENCODE_BODY)
async def encode(request: Request, pipes: PipelinesDep,
                 settings: SettingsDep):
    """Send the image as multipart field `image` (options as form fields `model`, `scaled`, `tile`)
    or as JSON `EncodeRequest`. With `Accept: application/x-npy` the body is the raw .npy latent
    (shape in `X-Latent-Shape`), else JSON with the base64 .npy."""
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("multipart/form-data"):
        form = await read_form(request)
        upload = form.get("image")
        if upload is None or isinstance(upload, str):
            raise APIError(422, "missing_field", "multipart body needs a file field `image`", "image")
        data = await upload.read()
        model = form.get("model")
        opts = EncodeRequest(image="", model=model if isinstance(model, str) and model else None,
                             scaled=form_flag(form.get("scaled"), "scaled"), tile=form_flag(form.get("tile"), "tile"))
    elif ctype.startswith("application/json"):
        try:
            opts = EncodeRequest.model_validate_json(await request.body())
        except ValueError as e:
            raise APIError(422, "invalid_request", first_error(e), first_field(e)) from None
        data = b64decode(opts.image, "image")
    else:
        raise APIError(415, "unsupported_media_type", "send multipart/form-data (field `image`) or JSON")
    if opts.model not in (None, pipes.model_name):
        raise APIError(422, "unknown_model", f"model {opts.model!r} is not loaded; available: {pipes.model_name}", "model")
    image = await pipes.decode_image(data)
    f = pipes.compression  # the encoder sees the image padded to multiples of f: 1 x 16M pixels is not small
    padded = -(-image.shape[0] // f) * f * (-(-image.shape[1] // f) * f)
    if padded > settings.max_image_pixels:
        raise APIError(413, "image_too_large", f"the image is {image.shape[1]}x{image.shape[0]}, {padded} pixels once "
                                               f"padded to multiples of {f}; the limit is {settings.max_image_pixels}",
                       "image")
    tiled = pipes.tiled(opts.tile, padded)  # images over DCAE_MAX_UNTILED_PIXELS are always tiled
    z = await pipes.encode(image, tile=tiled)
    if opts.scaled:
        z = pipes.latent_space.to_diffusion(z)
    z = z.astype(np.float32)
    headers = {"X-Latent-Shape": ",".join(map(str, z.shape)), "X-Model": pipes.model_name,
               "X-Scaling-Factor": str(pipes.scaling_factor), "X-Scaled": str(opts.scaled).lower(),
               "X-Image-Size": f"{image.shape[0]},{image.shape[1]}", "X-Tiled": str(tiled).lower()}
    if NPY in request.headers.get("accept", ""):
        return Response(npy_bytes(z), media_type=NPY, headers=headers)
    return EncodeResponse(latent=base64.b64encode(npy_bytes(z)).decode(), shape=list(z.shape), dtype="float32",
                          model=pipes.model_name, scaling_factor=pipes.scaling_factor, scaled=opts.scaled,
                          image_size=[int(image.shape[0]), int(image.shape[1])], tiled=tiled)
