"""One JSON error shape everywhere: {"error": {"code", "message", "field"?}}. No stack traces or
internal paths leave the process."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.metrics import BACKEND_UNAVAILABLE
from service.runtimes import RunnerRejected, RunnerUnavailable

log = logging.getLogger("dcae.service")

BACKEND_RETRY_AFTER_SECONDS = 2  # about how long a restarting Triton takes to answer again


class APIError(Exception):
    """An error the client can act on."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.field, self.headers = status, code, message, field, headers


def error_body(code: str, message: str, field: str | None = None) -> dict:
    err = {"code": code, "message": message}
    if field is not None:
        err["field"] = field
    return {"error": err}


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(APIError)
    async def _api_error(request: Request, exc: APIError) -> JSONResponse:
        return JSONResponse(error_body(exc.code, exc.message, exc.field), status_code=exc.status, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        loc = [str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path", "header")]
        field = ".".join(loc) or None
        message = first.get("msg", "invalid request")
        return JSONResponse(error_body("invalid_request", f"{field}: {message}" if field else message, field),
                            status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        # 400: a body FastAPI or the multipart parser could not parse; 413: a streamed body over the limit.
        code = {400: "invalid_request", 404: "not_found", 405: "method_not_allowed",
                413: "body_too_large"}.get(exc.status_code, "http_error")
        return JSONResponse(error_body(code, str(exc.detail)), status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RunnerUnavailable)
    async def _unavailable(request: Request, exc: RunnerUnavailable) -> JSONResponse:
        # The model server's own words (addresses, paths) stay in the log.
        log.warning("backend unavailable on %s %s: %s", request.method, request.url.path, exc)
        BACKEND_UNAVAILABLE.inc()
        return JSONResponse(error_body("backend_unavailable", "the model server is unavailable; retry after the "
                                                              "Retry-After seconds"),
                            status_code=503, headers={"Retry-After": str(BACKEND_RETRY_AFTER_SECONDS)})

    @app.exception_handler(RunnerRejected)
    async def _rejected(request: Request, exc: RunnerRejected) -> JSONResponse:
        # Triton's INVALID_ARG: the model's own reason (the generate model's messages are written for
        # clients: "n must be in [1, 16], got 0"), for an input the gateway's checks let through.
        log.warning("model server refused %s %s: %s", request.method, request.url.path, exc)
        return JSONResponse(error_body("rejected_by_model", f"the {exc.model} model refused the request: "
                                                            f"{exc.message[:300]}"), status_code=422)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse(error_body("internal_error", "internal error; see the server log"), status_code=500)
