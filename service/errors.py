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


OPENAI_PATHS = "/v1/images/"  # OpenAI's images API: its error shape and statuses


def error_payload(path: str, status: int, code: str, message: str, field: str | None = None) -> tuple[int, dict]:
    """(status, body) in our error shape; on OpenAI's routes OpenAI's ({"error": {"message", "type", "param",
    "code"}}, invalid input 400 rather than 422), which its client turns into BadRequestError, RateLimitError
    and the rest. The one rule for the routes' errors and the guard's refusals alike."""
    if not path.startswith(OPENAI_PATHS):
        return status, error_body(code, message, field)
    status = 400 if status == 422 else status
    kind = {400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
            404: "not_found_error", 413: "invalid_request_error", 415: "invalid_request_error",
            429: "rate_limit_error"}.get(status, "server_error" if status >= 500 else "invalid_request_error")
    return status, {"error": {"message": message, "type": kind, "param": field, "code": code}}


def error_response(request: Request, status: int, code: str, message: str, field: str | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    status, body = error_payload(request.url.path, status, code, message, field)
    return JSONResponse(body, status_code=status, headers=headers)


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(APIError)
    async def _api_error(request: Request, exc: APIError) -> JSONResponse:
        return error_response(request, exc.status, exc.code, exc.message, exc.field, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        loc = [str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path", "header")]
        field = ".".join(loc) or None
        message = first.get("msg", "invalid request")
        return error_response(request, 422, "invalid_request", f"{field}: {message}" if field else message, field)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        # 400: a body FastAPI or the multipart parser could not parse.
        code = {400: "invalid_request", 404: "not_found", 405: "method_not_allowed",
                413: "body_too_large"}.get(exc.status_code, "http_error")
        return error_response(request, exc.status_code, code, str(exc.detail), headers=exc.headers)

    @app.exception_handler(RunnerUnavailable)
    async def _unavailable(request: Request, exc: RunnerUnavailable) -> JSONResponse:
        # The model server's own words (addresses, paths) stay in the log.
        log.warning("backend unavailable on %s %s: %s", request.method, request.url.path, exc)
        BACKEND_UNAVAILABLE.inc()
        return error_response(request, 503, "backend_unavailable", "the model server is unavailable; retry after "
                              "the Retry-After seconds", headers={"Retry-After": str(BACKEND_RETRY_AFTER_SECONDS)})

    @app.exception_handler(RunnerRejected)
    async def _rejected(request: Request, exc: RunnerRejected) -> JSONResponse:
        # Triton's INVALID_ARG: the model's own reason (the generate model's messages are written for
        # clients: "n must be in [1, 16], got 0"), for an input the gateway's checks let through.
        log.warning("model server refused %s %s: %s", request.method, request.url.path, exc)
        return error_response(request, 422, "rejected_by_model", f"the {exc.model} model refused the request: "
                                                                 f"{exc.message[:300]}")

    @app.exception_handler(RecursionError)
    async def _too_deep(request: Request, exc: RecursionError) -> JSONResponse:
        # Python's JSON parser recurses per nesting level: a body of 3,000 nested arrays ends here, not in a 500.
        return error_response(request, 422, "invalid_request", "the body is nested too deeply to parse")

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(request, 500, "internal_error", "internal error; see the server log")
