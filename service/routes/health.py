"""Liveness, readiness (a real inference of every model, cached) and the Prometheus exposition."""

from __future__ import annotations

import asyncio
import time

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from service.routes.common import log, SettingsDep
from service.runtimes import RunnerUnavailable
from service.schemas import ErrorResponse

health_router = APIRouter(tags=["health"])


@health_router.get("/health/live", summary="The process runs")
async def live():
    return {"status": "ok"}


@health_router.get("/health/ready", summary="Every model answers a real inference",
                   responses={503: {"model": ErrorResponse}})
async def ready(request: Request, settings: SettingsDep):
    """The result of one real check per `readiness_ttl_seconds`: concurrent probes share the check in
    flight instead of each running their own (a stampede of probes costs one check)."""
    state = request.app.state
    cached = getattr(state, "ready_cache", None)
    if cached is None or time.monotonic() - cached[0] > settings.readiness_ttl_seconds:
        flight = getattr(state, "ready_flight", None)
        if flight is None or flight.done():
            flight = state.ready_flight = asyncio.ensure_future(_check_and_cache(state))
        cached = await asyncio.shield(flight)  # a probe that gives up does not cancel the others' check
    if cached[1] is not None:
        return JSONResponse({"status": "unavailable", "error": {"code": "not_ready", "message": cached[1]}},
                            status_code=503)
    return {"status": "ready"}


async def _check_and_cache(state) -> tuple[float, str | None]:
    state.ready_cache = (time.monotonic(), await _check(state.pipelines))
    return state.ready_cache


async def _check(pipelines) -> str | None:
    """None when every model answers, else what to tell the prober (details go to the log only)."""
    try:
        await pipelines.check()
        return None
    except RunnerUnavailable as e:
        log.warning("not ready: %s", e)
        return "the model server is unavailable"
    except Exception:  # any failure means not ready
        log.exception("not ready: a check inference failed")
        return "a model failed its check inference; see the server log"


metrics_router = APIRouter(tags=["metrics"])


@metrics_router.get("/metrics", summary="Prometheus exposition", response_class=PlainTextResponse)
async def metrics():
    return Response(await asyncio.to_thread(generate_latest), media_type=CONTENT_TYPE_LATEST)  # off the event loop
