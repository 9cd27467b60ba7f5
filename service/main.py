"""The gateway: `uvicorn service.main:app`. Models are loaded in the lifespan; blocking inference
runs off the event loop (ONNX Runtime in worker threads, or Triton over async gRPC)."""

from __future__ import annotations

import logging
import time
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from service.errors import error_body, install_handlers
from service.metrics import IN_FLIGHT, REQUEST_SECONDS
from service.pipeline import Pipelines
from service.repository import load_repository
from service.routers import (
    decode_router, encode_router, generate_router, health_router, metrics_router, models_router,
)
from service.runners import build_runner
from service.settings import Settings, get_settings

log = logging.getLogger("dcae.service")


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app; `settings` overrides the environment (tests)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        s = settings or get_settings()
        repo = load_repository(s.model_repository)
        runner = build_runner(repo, s)
        await runner.start()
        app.state.runner = runner
        app.state.pipelines = Pipelines(repo, runner.infer, s)
        log.info("serving %s (%s runtime) from %s", repo.autoencoder["name"], s.runtime, s.model_repository)
        try:
            yield
        finally:
            await runner.close()

    app = FastAPI(title="DC-AE gateway", version="0.1.0", lifespan=lifespan,
                  description="Encode, decode and generate images with DC-AE and a latent DiT.")
    if settings is not None:
        app.dependency_overrides[get_settings] = lambda: settings
    install_handlers(app)
    for router in (encode_router, decode_router, generate_router, models_router, health_router, metrics_router):
        app.include_router(router)

    @app.middleware("http")
    async def observe(request: Request, call_next):
        s = settings or get_settings()
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > s.max_body_bytes:
            return JSONResponse(error_body("body_too_large", f"the body is {length} bytes; the limit is "
                                                             f"{s.max_body_bytes}"), status_code=413)
        t0 = time.perf_counter()
        IN_FLIGHT.inc()
        status = 500
        try:
            response = await call_next(request)
            status = response.status_code
            return response
        finally:
            IN_FLIGHT.dec()
            route = request.scope.get("route")
            label = getattr(route, "path", None) or "unmatched"
            REQUEST_SECONDS.labels(label, request.method, str(status)).observe(time.perf_counter() - t0)

    return app


app = create_app()
