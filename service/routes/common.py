"""What the routes share: typed dependencies (declared once), the error responses they document,
.npy bodies in and out (never unpickled), latent checks and form flags."""

from __future__ import annotations

import asyncio
import base64
import binascii
import io
import logging
from typing import Annotated

import numpy as np
from fastapi import Depends, Request

from service.errors import APIError
from service.images import encode_image_bytes
from service.metrics import stage
from service.pipeline import Pipelines, run_blocking
from service.schemas import ErrorResponse
from service.settings import Settings, get_settings

NPY = "application/x-npy"
log = logging.getLogger("dcae.service")
BINARY_SCHEMA = {"type": "string", "format": "binary"}
FLAG_SCHEMA = {"type": "boolean", "default": False}
ERRORS = {code: {"model": ErrorResponse} for code in (400, 401, 403, 413, 415, 422, 429, 503, 504)}


def get_pipelines(request: Request) -> Pipelines:
    return request.app.state.pipelines


# The dependencies every route declares, once (tests override `get_settings`).
PipelinesDep = Annotated[Pipelines, Depends(get_pipelines)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


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
    if dtype.fields is not None or dtype.subdtype is not None or dtype.kind not in "fiu" or dtype.itemsize == 0:
        raise invalid(f"dtype {dtype} is not a plain number type; send float32")
    if len(shape) > 8 or not all(isinstance(d, int) and 0 <= d < 2**31 for d in shape):
        raise invalid(f"the .npy header declares shape {list(shape)[:8]}: at most 8 dimensions, each in [0, 2**31)")
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


MAX_FORM_PARTS = 64  # our forms have a file and a few fields; OpenAI's edit form about twenty


async def read_form(request: Request):
    """A multipart/form-data body -> Starlette's FormData. python-multipart took 4.7-6.3 s over a hostile 31 MiB
    file part (repeats of the boundary followed by a stray byte), on the gateway's loop: bodies with more boundary
    lines than any of our forms has parts are refused first, and the rest is parsed in a worker thread on its
    own event loop."""
    from multipart.multipart import parse_options_header
    from starlette.formparsers import MultiPartException, MultiPartParser

    body, headers = await request.body(), request.headers
    boundary = parse_options_header(headers.get("content-type", ""))[1].get(b"boundary", b"")
    # Each part starts at a boundary line; so does each decoy in a hostile body. Counted in C, before parsing.
    if boundary and body.count(b"\r\n--" + boundary) > MAX_FORM_PARTS:
        raise APIError(400, "invalid_request", f"the multipart body has more than {MAX_FORM_PARTS} boundary lines")

    def parse():
        async def chunks():
            yield body

        return asyncio.run(MultiPartParser(headers, chunks(), max_files=MAX_FORM_PARTS,
                                           max_fields=MAX_FORM_PARTS).parse())

    try:
        return await run_blocking(parse)
    except MultiPartException as e:
        raise APIError(400, "invalid_request", f"the multipart body: {e.message}") from None


def form_flag(value, field: str) -> bool:
    """A form or query boolean: `true` or `false` (absent: false); anything else is an error, not a silent False."""
    if value is None or value == "":
        return False
    text = value.strip().lower() if isinstance(value, str) else None
    if text == "true":
        return True
    if text == "false":
        return False
    raise APIError(422, "invalid_request", f"{field}: expected true or false", field)


def first_error(e: Exception) -> str:
    errors = getattr(e, "errors", lambda: [])()
    if errors:
        loc = ".".join(str(p) for p in errors[0].get("loc", ()))
        return f"{loc}: {errors[0].get('msg')}" if loc else errors[0].get("msg", str(e))
    return str(e)


def first_field(e: Exception) -> str | None:
    errors = getattr(e, "errors", lambda: [])()
    return ".".join(str(p) for p in errors[0].get("loc", ())) or None if errors else None


async def encode_images(images, fmt: str = "png", quality: int = 95) -> list[bytes]:
    """(n, H, W, 3) uint8 -> each image's file bytes (png, jpeg or webp), off the event loop."""
    with stage("image_encode"):
        return [await run_blocking(encode_image_bytes, im, fmt, quality) for im in images]
