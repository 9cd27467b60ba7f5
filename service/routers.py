"""The HTTP API: one router per resource."""

from __future__ import annotations

import base64
import binascii
import io
import logging
import random
import time

import numpy as np
from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.datastructures import QueryParams

from dcae.contract.pixels import to_uint8
from service.errors import APIError
from service.runtimes import RunnerUnavailable
from service.pipeline import GenerateParams, Pipelines, decode_image_bytes, encode_image_bytes, run_blocking
from service.metrics import stage
from service.schemas import (
    DecodeRequest, DecodeResponse, EncodeRequest, EncodeResponse, ErrorResponse, GenerateRequest, GenerateResponse,
    ModelsResponse,
)
from service.settings import Settings, get_settings

NPY = "application/x-npy"
log = logging.getLogger("dcae.service")
ERRORS = {code: {"model": ErrorResponse} for code in (400, 401, 403, 413, 415, 422, 429, 503, 504)}


def get_pipelines(request: Request) -> Pipelines:
    return request.app.state.pipelines


# ----------------------------------------------------------------------------------------------
# npy in and out (never unpickled)


def npy_bytes(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, array, allow_pickle=False)
    return buf.getvalue()


def read_npy(data: bytes, field: str = "latent") -> np.ndarray:
    """A .npy file -> array. The header is read first: object dtypes (pickles) are refused and the
    declared size must match the bytes present, before anything is allocated."""
    def invalid(message: str) -> APIError:
        return APIError(422, "invalid_latent", message, field)

    if data[:2] == b"PK":
        raise invalid("expected a single .npy array (not .npz)")
    f = io.BytesIO(data)
    try:
        version = np.lib.format.read_magic(f)
        if version == (1, 0):
            shape, fortran_order, dtype = np.lib.format.read_array_header_1_0(f)
        elif version == (2, 0):
            shape, fortran_order, dtype = np.lib.format.read_array_header_2_0(f)
        else:
            raise ValueError(f"unsupported .npy version {version[0]}.{version[1]}")
    except Exception as e:  # noqa: BLE001 - untrusted bytes: numpy's parser raises ValueError, EOFError, TokenError...
        raise invalid(f"not a valid .npy file ({type(e).__name__}: {str(e)[:160]})") from None
    if dtype.hasobject:
        raise invalid("object arrays (pickled .npy) are refused; send float32")
    if dtype.itemsize == 0:
        raise invalid(f"dtype {dtype} holds no data; send float32")
    count = int(np.prod(shape, dtype=object)) if shape else 1
    expected, present = count * dtype.itemsize, len(data) - f.tell()
    if present != expected:
        raise invalid(f"the .npy header declares shape {list(shape)} of {dtype} ({expected} bytes) but the file "
                      f"holds {present} bytes of data ({'truncated' if present < expected else 'trailing bytes'})")
    array = np.frombuffer(data, dtype=dtype, count=count, offset=f.tell())
    return array.reshape(shape, order="F" if fortran_order else "C")


def b64decode(text: str, field: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise APIError(422, "invalid_base64", f"{field} is not valid base64", field) from None


def check_latent(z: np.ndarray, pipes: Pipelines, max_pixels: int) -> np.ndarray:
    if z.ndim == 3:
        z = z[None]
    c = pipes.latent_channels
    if z.ndim != 4 or z.shape[1] != c:
        raise APIError(422, "invalid_latent", f"latent has shape {list(z.shape)}; {pipes.model_name} decodes "
                                              f"(N, {c}, h, w) or ({c}, h, w)", "latent")
    if z.dtype.kind != "f" or z.dtype.itemsize > 8:
        raise APIError(422, "invalid_latent", f"latent dtype {z.dtype} is not float16, float32 or float64", "latent")
    if min(z.shape[2:]) < 1 or z.shape[0] < 1:
        raise APIError(422, "invalid_latent", "latent has an empty dimension", "latent")
    f = pipes.compression
    pixels = z.shape[0] * z.shape[2] * z.shape[3] * f * f
    if pixels > max_pixels:
        raise APIError(413, "latent_too_large", f"decoding would make {pixels} pixels; the limit is {max_pixels}",
                       "latent")
    with np.errstate(over="ignore"):
        z = z.astype(np.float32)
    if not np.isfinite(z).all():
        raise APIError(422, "invalid_latent", "latent holds NaN or Inf (or values beyond float32)", "latent")
    return z


# ----------------------------------------------------------------------------------------------
# /v1/encode

encode_router = APIRouter(prefix="/v1", tags=["autoencoder"])


_BINARY = {"type": "string", "format": "binary"}
_FLAG = {"type": "boolean", "default": False}
ENCODE_BODY = {"requestBody": {"required": True, "content": {
    "multipart/form-data": {"schema": {"type": "object", "required": ["image"], "properties": {
        "image": _BINARY, "model": {"type": "string"}, "scaled": _FLAG, "tile": _FLAG}}},
    "application/json": {"schema": EncodeRequest.model_json_schema()}}}}


@encode_router.post("/encode", response_model=EncodeResponse, responses={**ERRORS, 200: {"content": {NPY: {}}}},
                    summary="Image -> latent", openapi_extra=ENCODE_BODY)
async def encode(request: Request, pipes: Pipelines = Depends(get_pipelines),
                 settings: Settings = Depends(get_settings)):
    """Send the image as multipart field `image` (options as form fields `model`, `scaled`, `tile`)
    or as JSON `EncodeRequest`. With `Accept: application/x-npy` the body is the raw .npy latent
    (shape in `X-Latent-Shape`), else JSON with the base64 .npy."""
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get("image")
        if upload is None or isinstance(upload, str):
            raise APIError(422, "missing_field", "multipart body needs a file field `image`", "image")
        data = await upload.read()
        model = form.get("model")
        opts = EncodeRequest(image="", model=model if isinstance(model, str) and model else None,
                             scaled=_flag(form.get("scaled"), "scaled"), tile=_flag(form.get("tile"), "tile"))
    elif ctype.startswith("application/json"):
        try:
            opts = EncodeRequest.model_validate_json(await request.body())
        except ValueError as e:
            raise APIError(422, "invalid_request", _first_error(e), _first_field(e)) from None
        data = b64decode(opts.image, "image")
    else:
        raise APIError(415, "unsupported_media_type", "send multipart/form-data (field `image`) or JSON")
    if opts.model not in (None, pipes.model_name):
        raise APIError(422, "unknown_model", f"model {opts.model!r} is not loaded; available: {pipes.model_name}", "model")
    with stage("image_decode"):
        image = await run_blocking(decode_image_bytes, data, settings.max_image_pixels)
    f = pipes.compression  # the encoder sees the image padded to multiples of f: 1 x 16M pixels is not small
    padded = -(-image.shape[0] // f) * f * (-(-image.shape[1] // f) * f)
    if padded > settings.max_image_pixels:
        raise APIError(413, "image_too_large", f"the image is {image.shape[1]}x{image.shape[0]}, {padded} pixels once "
                                               f"padded to multiples of {f}; the limit is {settings.max_image_pixels}",
                       "image")
    z = await pipes.encode(image, tile=opts.tile)
    if opts.scaled:
        z = pipes.latent_space.to_diffusion(z)
    z = z.astype(np.float32)
    headers = {"X-Latent-Shape": ",".join(map(str, z.shape)), "X-Model": pipes.model_name,
               "X-Scaling-Factor": str(pipes.scaling_factor), "X-Scaled": str(opts.scaled).lower(),
               "X-Image-Size": f"{image.shape[0]},{image.shape[1]}"}
    if NPY in request.headers.get("accept", ""):
        return Response(npy_bytes(z), media_type=NPY, headers=headers)
    return EncodeResponse(latent=base64.b64encode(npy_bytes(z)).decode(), shape=list(z.shape), dtype="float32",
                          model=pipes.model_name, scaling_factor=pipes.scaling_factor, scaled=opts.scaled,
                          image_size=[int(image.shape[0]), int(image.shape[1])])


def _flag(value, field: str) -> bool:
    """A form or query boolean: `true` or `false` (absent: false); anything else is an error, not a silent False."""
    if value is None or value == "":
        return False
    text = value.strip().lower() if isinstance(value, str) else None
    if text == "true":
        return True
    if text == "false":
        return False
    raise APIError(422, "invalid_request", f"{field}: expected true or false", field)


def _first_error(e: Exception) -> str:
    errors = getattr(e, "errors", lambda: [])()
    if errors:
        loc = ".".join(str(p) for p in errors[0].get("loc", ()))
        return f"{loc}: {errors[0].get('msg')}" if loc else errors[0].get("msg", str(e))
    return str(e)


def _first_field(e: Exception) -> str | None:
    errors = getattr(e, "errors", lambda: [])()
    return ".".join(str(p) for p in errors[0].get("loc", ())) or None if errors else None


# ----------------------------------------------------------------------------------------------
# /v1/decode

decode_router = APIRouter(prefix="/v1", tags=["autoencoder"])


def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


DECODE_BODY = {
    "requestBody": {"required": True, "content": {NPY: {"schema": _BINARY},
                                                   "application/json": {"schema": DecodeRequest.model_json_schema()}}},
    "parameters": [  # for the raw .npy body; the JSON body carries the same options itself
        _query("scaled", _FLAG, "the latent is in diffusion space"),
        _query("format", {"type": "string", "enum": ["png", "jpeg", "webp"], "default": "png"}, "image format"),
        _query("size", {"type": "string", "pattern": "^[0-9]+x[0-9]+$"}, "HEIGHTxWIDTH crop, e.g. 512x768"),
        _query("response_format", {"type": "string", "enum": ["image", "b64_json"], "default": "image"},
               "the image itself, or JSON with base64 images"),
        _query("tile", _FLAG, "decode in overlapping tiles"),
        _query("model", {"type": "string"}, "autoencoder name; default: the loaded one"),
    ]}
IMAGE_TYPES = {f"image/{t}": {} for t in ("png", "jpeg", "webp")}


@decode_router.post("/decode", responses={**ERRORS, 200: {"content": IMAGE_TYPES}}, response_model=DecodeResponse,
                    summary="Latent -> image", openapi_extra=DECODE_BODY)
async def decode(request: Request, pipes: Pipelines = Depends(get_pipelines),
                 settings: Settings = Depends(get_settings)):
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
            raise APIError(422, "invalid_request", _first_error(e), _first_field(e)) from None
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
    with stage("image_encode"):
        encoded = [await run_blocking(encode_image_bytes, im, opts.format) for im in images]
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
        return DecodeRequest(latent="", scaled=_flag(q.get("scaled"), "scaled"), image_size=size,
                             format=q.get("format", "png"), response_format=q.get("response_format", "image"),
                             tile=_flag(q.get("tile"), "tile"), model=q.get("model") or None)
    except ValueError as e:
        raise APIError(422, "invalid_request", _first_error(e), _first_field(e)) from None


# ----------------------------------------------------------------------------------------------
# /v1/generate

generate_router = APIRouter(prefix="/v1", tags=["generation"])


@generate_router.post("/generate", response_model=GenerateResponse,
                      responses={**ERRORS, 200: {"content": {"image/png": {}, "application/json": {}}}},
                      summary="Prompt or class -> images")
async def generate(body: GenerateRequest, pipes: Pipelines = Depends(get_pipelines),
                   settings: Settings = Depends(get_settings)):
    """OpenAI images-style: `{"created": ..., "data": [{"b64_json": ..., "seed": ...}]}`; with
    `response_format=png` and n = 1 the body is the PNG itself. Same seed, same image."""
    gen = pipes.generator
    if gen is None:
        raise APIError(422, "no_generator", "no generator is loaded in this deployment")
    if body.model not in (None, gen["dit"]["name"]):
        raise APIError(422, "unknown_model", f"model {body.model!r} is not loaded; available: {gen['dit']['name']}",
                       "model")
    params = _generate_params(body, gen, settings)
    images = await pipes.generate(params)
    with stage("image_encode"):
        encoded = [await run_blocking(encode_image_bytes, im, "png") for im in images]
    if body.response_format == "png":
        return Response(encoded[0], media_type="image/png", headers={"X-Seed": str(params.seed)})
    return GenerateResponse(created=int(time.time()),
                            data=[{"b64_json": base64.b64encode(e).decode(), "seed": params.seed + i}
                                  for i, e in enumerate(encoded)])


def _generate_params(body: GenerateRequest, gen: dict, settings: Settings) -> GenerateParams:
    cond = gen["conditioning"]
    if cond == "text" and not (body.prompt and body.prompt.strip()):
        raise APIError(422, "invalid_request", "prompt: this model is text-conditioned; give a prompt", "prompt")
    if cond == "class":
        if body.class_label is None:
            raise APIError(422, "invalid_request", "class_label: this model is class-conditioned; give a class_label",
                           "class_label")
        if body.class_label >= gen["null_class"]:
            raise APIError(422, "invalid_request", f"class_label: must be < {gen['null_class']}", "class_label")
    limit = min(settings.max_generate_n, gen.get("max_images", settings.max_generate_n))
    if body.n > limit:
        raise APIError(422, "invalid_request", f"n: at most {limit} images per request", "n")
    steps = body.steps or gen["default_steps"]
    if steps > settings.max_steps:
        raise APIError(422, "invalid_request", f"steps: at most {settings.max_steps}", "steps")
    levels = gen["objective"]["num_timesteps"]
    if gen["objective"]["kind"] == "ddpm" and steps > levels:  # reachable with a DCAE_MAX_STEPS above it
        raise APIError(422, "invalid_request", f"steps: at most {levels}, the noise levels of this DDPM model",
                       "steps")
    sampler = body.sampler or gen["default_sampler"]
    if sampler not in gen["samplers"]:
        raise APIError(422, "invalid_request", f"sampler: {sampler!r} does not fit this model; use one of "
                                               f"{gen['samplers']}", "sampler")
    if body.size is not None and body.size != gen["image_size"]:
        raise APIError(422, "invalid_request", f"size: this model generates {gen['image_size']}px images only", "size")
    if body.response_format == "png" and body.n != 1:
        raise APIError(422, "invalid_request", "response_format: png returns one image; use b64_json for n > 1",
                       "response_format")
    seed = body.seed if body.seed is not None else random.randrange(2**31 - 64)
    guidance = body.guidance if body.guidance is not None else gen["default_guidance"]
    return GenerateParams(body.prompt, body.class_label, body.n, seed, steps, guidance, sampler)


def document_limits(schema: dict, pipes: Pipelines, settings: Settings) -> None:
    """Write this deployment's limits into the OpenAPI schema of `GenerateRequest` (n, steps,
    samplers, size, model, the conditioning), so that /docs and API fuzzers see what is accepted."""
    props = schema.get("components", {}).get("schemas", {}).get("GenerateRequest", {}).get("properties")
    gen = pipes.generator
    if props is None or gen is None:
        return

    def optional(inner: dict) -> dict:
        return {"anyOf": [inner, {"type": "null"}], "default": None}

    props["n"]["maximum"] = min(settings.max_generate_n, gen.get("max_images", settings.max_generate_n))
    props["steps"].update(optional({"type": "integer", "minimum": 1, "maximum": settings.max_steps}))
    props["sampler"].update(optional({"type": "string", "enum": list(gen["samplers"])}))
    props["size"].update(optional({"type": "integer", "enum": [gen["image_size"]]}))
    props["model"].update(optional({"type": "string", "enum": [gen["dit"]["name"]]}))
    required = schema["components"]["schemas"]["GenerateRequest"].setdefault("required", [])
    if gen["conditioning"] == "text":
        props["prompt"] = {**props["prompt"], "type": "string", "maxLength": 1000, "pattern": r"\S"}
        props["prompt"].pop("anyOf", None), props["prompt"].pop("default", None)
        required.append("prompt")
    elif gen["conditioning"] == "class":
        props["class_label"] = {**props["class_label"], "type": "integer", "minimum": 0,
                                "maximum": gen["null_class"] - 1}
        props["class_label"].pop("anyOf", None), props["class_label"].pop("default", None)
        required.append("class_label")


# ----------------------------------------------------------------------------------------------
# /v1/models, health, metrics

models_router = APIRouter(prefix="/v1", tags=["models"])


@models_router.get("/models", response_model=ModelsResponse, summary="What is loaded", responses=ERRORS)
async def models(request: Request, pipes: Pipelines = Depends(get_pipelines), settings: Settings = Depends(get_settings)):
    ae, runner = pipes.repo.autoencoder, request.app.state.runner
    loaded = runner.loaded  # what the runtime actually loaded, per network
    data = [{"name": ae["name"], "kind": "autoencoder",
             "details": {**ae, "latent_shape_per_512px": [ae["latent_channels"], 512 // ae["compression"],
                                                          512 // ae["compression"]],
                         "loaded": {n: loaded[n] for n in ("encoder", "decoder") if n in loaded}}}]
    gen = pipes.generator
    if gen is not None:
        data.append({"name": gen["dit"]["name"], "kind": "generator",
                     "details": {k: gen[k] for k in ("conditioning", "latent_shape", "image_size", "default_steps",
                                                     "default_guidance", "default_sampler", "samplers")}
                     | {"objective": gen["objective"]["kind"]} | ({"loaded": loaded["dit"]} if "dit" in loaded else {})})
    te = pipes.repo.metadata.get("text_encoder")
    if te:
        data.append({"name": te["name"], "kind": "text_encoder",
                     "details": te | ({"loaded": loaded["text_encoder"]} if "text_encoder" in loaded else {})})
    return {"runtime": settings.runtime, "precision": runner.precision, "data": data}


health_router = APIRouter(tags=["health"])


@health_router.get("/health/live", summary="The process runs")
async def live():
    return {"status": "ok"}


@health_router.get("/health/ready", summary="Every model answers a real inference",
                   responses={503: {"model": ErrorResponse}})
async def ready(request: Request, settings: Settings = Depends(get_settings)):
    state = request.app.state
    now = time.monotonic()
    cached = getattr(state, "ready_cache", None)
    if cached is None or now - cached[0] > settings.readiness_ttl_seconds:
        try:
            await state.pipelines.check()
            cached = (now, None)
        except RunnerUnavailable as e:
            log.warning("not ready: %s", e)
            cached = (now, "the model server is unavailable")
        except Exception:  # any failure means not ready; the details (paths, addresses) go to the log only
            log.exception("not ready: a check inference failed")
            cached = (now, "a model failed its check inference; see the server log")
        state.ready_cache = cached
    if cached[1] is not None:
        return JSONResponse({"status": "unavailable", "error": {"code": "not_ready", "message": cached[1]}},
                            status_code=503)
    return {"status": "ready"}


metrics_router = APIRouter(tags=["metrics"])


@metrics_router.get("/metrics", summary="Prometheus exposition", response_class=PlainTextResponse)
async def metrics():
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
