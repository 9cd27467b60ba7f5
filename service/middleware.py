"""The gateway's front door, as plain ASGI middleware (no BaseHTTPMiddleware: it must see the raw
`receive` to bound chunked bodies and notice disconnects, and cancel the handler).

`Observe` (outermost) counts every request in the metrics (labels from fixed sets only). `Guard`, in
this order:
  1. who may call: the API key (401), its scope (403), its rate limit (429 + Retry-After);
  2. a declared Content-Length over `max_body_bytes` (413), before anything is read;
  3. the body, read in full before admission: over `max_body_bytes` 413 (chunked too), not all in within
     `body_timeout_seconds` 408, the client gone 499 (counted, not logged as an error); a JSON body with
     more than `max_json_members` keys, elements or nesting levels 422, before any parser sees it;
  4. admission: at most `max_queue` requests per endpoint in the building (503 + Retry-After),
     so that overload turns into fast refusals instead of unbounded latency; a slow sender holds a
     connection (bounded by `python -m service`'s connection limit), never a place in the queue;
  5. the handler runs as its own task with a deadline (504 after `request_timeout_seconds`) and a
     watch on the connection: a client that goes away cancels its work (the denoising loop stops at
     its next step).
A trailing slash is dropped before routing (no redirect, so no `Location` built from the Host header).
"""

from __future__ import annotations

import asyncio
import json
import math
import time
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.errors import error_payload
from service.metrics import ADMITTED, CANCELLED, IN_FLIGHT, REJECTED, REQUEST_SECONDS
from service.security import SCOPES, AccessControl
from service.settings import Settings

WORK = ("encode", "decode", "generate")  # the endpoints that run models, behind admission
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})  # metric label values


def normalise(path: str) -> str:
    return path.rstrip("/") or "/"


async def send_error(send: Send, path: str, status: int, code: str, message: str,
                     headers: dict[str, str] | None = None) -> None:
    """A refusal in the shape of the route it was meant for (`service.errors.error_payload`)."""
    status, payload = error_payload(path, status, code, message)
    body = json.dumps(payload).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


def retry_after(seconds: float) -> dict[str, str]:
    return {"Retry-After": str(max(1, math.ceil(seconds)))}


# ----------------------------------------------------------------------------------------------
# Headers on every response

# What a browser may do with what this gateway sends: nothing is sniffed, framed or given a referrer, and a
# page may run only the scripts it was served with. The playground's page is one of those; /docs and /redoc
# set their own policy (service/routes/playground.py: their one inline script each, by hash).
PAGE_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
               "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = ((b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"no-referrer"))


def with_security_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """A response's headers with the ones above added where the response has not set its own."""
    present = {k.lower() for k, _ in headers}
    added = [(k, v) for k, v in SECURITY_HEADERS if k not in present]
    if b"content-security-policy" not in present:
        added.append((b"content-security-policy", PAGE_POLICY.encode()))
    return [*headers, *added]


# ----------------------------------------------------------------------------------------------
# Metrics of every request


class Observe:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        t0, status, observed = time.perf_counter(), [500], [False]

        def observe() -> None:
            observed[0] = True
            route = scope.get("route")
            path = normalise(scope["path"])
            label = getattr(route, "path", None) or (path if path in SCOPES else "unmatched")
            method = scope["method"] if scope["method"] in METHODS else "other"  # never a client's free text
            REQUEST_SECONDS.labels(label, method, str(scope.get("dcae.status", status[0]))).observe(
                time.perf_counter() - t0)

        async def observed_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                message = {**message, "headers": with_security_headers(list(message.get("headers", [])))}
            elif message["type"] == "http.response.body" and not message.get("more_body") and not observed[0]:
                # Counted before the last byte leaves: a client (or a scrape after it) that has the whole
                # response sees it counted, whatever the handler still does after answering.
                observe()
            await send(message)

        IN_FLIGHT.inc()
        try:
            await self.app(scope, receive, observed_send)
        finally:
            IN_FLIGHT.dec()
            if not observed[0]:
                if scope.get("dcae.cancelled") in ("client_disconnected", "client_stalled"):
                    status[0] = 499  # nginx's "client closed request": the response did not reach it
                observe()


# ----------------------------------------------------------------------------------------------
# Admission: a bounded number of requests per endpoint


@dataclass
class Admission:
    limit: int
    admitted: dict[str, int] = field(default_factory=lambda: dict.fromkeys(WORK, 0))
    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(WORK, 1.0))  # EWMA of durations

    def enter(self, endpoint: str) -> bool:
        if self.admitted[endpoint] >= self.limit:
            return False
        self.admitted[endpoint] += 1
        ADMITTED.labels(endpoint).set(self.admitted[endpoint])
        return True

    def leave(self, endpoint: str, seconds: float) -> None:
        self.admitted[endpoint] -= 1
        ADMITTED.labels(endpoint).set(self.admitted[endpoint])
        self.seconds[endpoint] = 0.8 * self.seconds[endpoint] + 0.2 * seconds

    def retry_after_seconds(self, endpoint: str) -> float:
        """About when a place frees up: one typical request's duration (1 s to 60 s)."""
        return min(60.0, max(1.0, self.seconds[endpoint]))


@dataclass
class GuardState:
    """What the guard needs, made in the lifespan (the key file is read once, at start-up)."""
    settings: Settings
    access: AccessControl
    admission: Admission

    @classmethod
    def from_settings(cls, settings: Settings) -> GuardState:
        return cls(settings, AccessControl.from_settings(settings), Admission(settings.max_queue))


# ----------------------------------------------------------------------------------------------
# The body, read before admission


async def read_body(scope: Scope, receive: Receive, send: Send, s: Settings) -> bytes | None:
    """The request's body, or None once answered: 413 over the size limit, 408 when it has not all arrived
    within `body_timeout_seconds`, nothing at all (499 in the metrics) when the client went away."""
    chunks, size = [], 0
    deadline = time.monotonic() + s.body_timeout_seconds
    while True:
        try:
            message = await asyncio.wait_for(receive(), max(0.0, deadline - time.monotonic()))
        except asyncio.TimeoutError:
            REJECTED.labels("body_timeout").inc()
            await send_error(send, scope["path"], 408, "request_timeout", f"the body did not arrive within "
                             f"{s.body_timeout_seconds:g} s (DCAE_BODY_TIMEOUT_SECONDS)", {"Connection": "close"})
            return None
        if message["type"] == "http.disconnect":
            scope["dcae.cancelled"] = "client_disconnected"
            CANCELLED.labels("client_disconnected").inc()
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > s.max_body_bytes:
            REJECTED.labels("body_too_large").inc()
            await send_error(send, scope["path"], 413, "body_too_large", "the body is larger than the limit of "
                             f"{s.max_body_bytes} bytes (DCAE_MAX_BODY_BYTES)")
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


# Bodies no route reads as JSON, by their declared type: every other body may be (a route parses what it is
# sent: OpenAI's clients and curl do not always say application/json), so every other body is bounded.
NOT_JSON = ("multipart/form-data", "application/x-npy", "application/octet-stream", "image/")


def parsed_as_json(content_type: str) -> bool:
    return not content_type.strip().lower().startswith(NOT_JSON)


def json_members(body: bytes) -> int:
    """An upper bound on a JSON text's keys, array elements and nesting levels, counted without parsing
    (a byte count in C: a 32 MB body in milliseconds, where parsing 2.6 M keys takes seconds)."""
    return sum(body.count(c) for c in (b",", b":", b"[", b"{"))


# ----------------------------------------------------------------------------------------------
# The guard


class Guard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        state: GuardState | None = getattr(scope["app"].state, "guard", None)
        if state is None:  # the lifespan has not run: nothing is loaded
            return await send_error(send, scope["path"], 503, "not_started", "the gateway is starting")
        s, path = state.settings, normalise(scope["path"])
        scope["path"] = path  # routed without the trailing slash: no redirect
        endpoint = SCOPES.get(path)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}

        # 1. Who may call
        access = state.access
        if not access.is_public(path):
            key = access.authenticate(headers)
            if key is None:
                REJECTED.labels("unauthorized").inc()
                return await send_error(send, path, 401, "unauthorized", "send an API key as `Authorization: Bearer KEY` "
                                        "or `X-API-Key: KEY`", {"WWW-Authenticate": "Bearer"})
            if not key.allows(endpoint):
                REJECTED.labels("forbidden").inc()
                return await send_error(send, path, 403, "forbidden", f"this key may not call {path}")
            wait = access.wait_seconds(key)
            if wait > 0:
                REJECTED.labels("rate_limited").inc()
                return await send_error(send, path, 429, "rate_limited", f"this key's limit is {key.rate_per_minute:g} "
                                        "requests per minute; retry after the Retry-After seconds", retry_after(wait))

        # 2. A declared body over the limit
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > s.max_body_bytes:
            REJECTED.labels("body_too_large").inc()
            return await send_error(send, path, 413, "body_too_large", f"the body is {length} bytes; the limit is "
                                    f"{s.max_body_bytes} (DCAE_MAX_BODY_BYTES)")

        # 3. The whole body, before admission
        body = await read_body(scope, receive, send, s)
        if body is None:  # answered (413, 408) or the client left
            return
        if parsed_as_json(headers.get("content-type", "")) and json_members(body) > s.max_json_members:
            REJECTED.labels("json_too_complex").inc()
            return await send_error(send, path, 422, "invalid_request", f"the JSON body has more than {s.max_json_members} "
                                    "keys, elements or nesting levels (DCAE_MAX_JSON_MEMBERS)")

        # 4. Admission
        admission = state.admission if endpoint in WORK else None
        if admission is not None and not admission.enter(endpoint):
            REJECTED.labels("overloaded").inc()
            return await send_error(send, path, 503, "overloaded", f"{s.max_queue} {endpoint} requests are already "
                                    "queued or running (DCAE_MAX_QUEUE); retry after the Retry-After seconds",
                                    retry_after(admission.retry_after_seconds(endpoint)))
        t0 = time.perf_counter()
        try:
            await self._run(scope, receive, send, s, body)
        finally:
            if admission is not None:
                admission.leave(endpoint, time.perf_counter() - t0)

    async def _run(self, scope: Scope, receive: Receive, send: Send, s: Settings, body: bytes) -> None:
        """The handler as a task, given the body already read, raced against its deadline and its client's
        departure."""
        started, complete, stream = [False], [False], [False]
        pending = [{"type": "http.request", "body": body, "more_body": False}]
        stalled = asyncio.Event()

        async def handler_receive() -> Message:
            if pending:
                return pending.pop()
            return await asyncio.shield(watcher)  # after the body, only the watcher reads the connection

        async def tracked_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                started[0] = True
                stream[0] = any(k.lower() == b"content-type" and v.startswith(b"text/event-stream")
                                for k, v in message.get("headers", []))
            elif message["type"] == "http.response.body" and not message.get("more_body", False):
                complete[0] = True
            # A client that stops reading fills the socket's buffers and the write waits: bounded, so that it
            # cannot keep its place in the queue until the deadline.
            try:
                await asyncio.wait_for(send(message), s.write_timeout_seconds)
            except asyncio.TimeoutError:
                stalled.set()
                await asyncio.Event().wait()  # until the guard cancels this handler

        async def watch() -> Message:
            """The next message on the connection (the body is in) is its end."""
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return message

        handler = asyncio.ensure_future(self.app(scope, handler_receive, tracked_send))
        watcher = asyncio.ensure_future(watch())
        stall = asyncio.ensure_future(stalled.wait())
        try:
            done, _ = await asyncio.wait({handler, watcher, stall}, timeout=s.request_timeout_seconds,
                                         return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:  # the server is going down hard
            for task in (handler, watcher, stall):
                task.cancel()
            raise
        if (handler in done or complete[0]) and stall not in done:  # complete: the handler is winding down
            watcher.cancel()
            stall.cancel()
            return await handler
        reason = ("client_stalled" if stall in done else "client_disconnected" if watcher in done else "deadline")
        scope["dcae.cancelled"] = reason
        CANCELLED.labels(reason).inc()
        for task in (handler, watcher, stall):
            task.cancel()
        await asyncio.gather(handler, watcher, stall, return_exceptions=True)
        if reason != "deadline":
            return
        message = f"the request took longer than {s.request_timeout_seconds:g} s (DCAE_REQUEST_TIMEOUT_SECONDS)"
        scope["dcae.status"] = 504  # what the metrics record, also for a stream that had begun with 200
        if not started[0]:
            await send_error(send, scope["path"], 504, "deadline_exceeded", message)
        elif stream[0] and not complete[0]:  # a stream ends with an error event, not an unterminated body
            event = {"type": "error", "error": {"code": "deadline_exceeded", "message": message, "param": None}}
            chunk = f"event: error\ndata: {json.dumps(event)}\n\n".encode()
            try:
                await asyncio.wait_for(send({"type": "http.response.body", "body": chunk, "more_body": False}),
                                       s.write_timeout_seconds)
            except (asyncio.TimeoutError, OSError):
                pass
