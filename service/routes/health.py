"""Liveness, readiness (a real inference of every model, cached) and the Prometheus exposition."""

from __future__ import annotations

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
