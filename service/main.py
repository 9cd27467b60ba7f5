"""The gateway: `uvicorn service.main:app`. Models are loaded in the lifespan; blocking inference
runs off the event loop (ONNX Runtime in worker threads, or Triton over async gRPC). Requests pass
`Observe` (metrics), CORS when configured, and `Guard` (keys, limits, deadlines; service/middleware.py)."""

from __future__ import annotations

import logging
import time
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi.staticfiles import StaticFiles

from service.errors import install_handlers
from service.middleware import Guard, GuardState, Observe
from service.pipeline import Pipelines
from service.repository import load_repository
from service.routes import ROUTERS, document_limits
from service.routes.playground import STATIC
from service.runtimes import build_runner
from service.settings import Settings, get_settings

log = logging.getLogger("dcae.service")


def _configure_logging() -> None:
    """Our messages beside uvicorn's, unless the host application configured logging itself."""
    if not log.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s:     %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app; `settings` overrides the environment (tests)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        _configure_logging()
        s = settings or get_settings()
        guard = GuardState.from_settings(s)  # a bad key configuration stops the start here
        if guard.access.enabled:
            log.info("authentication on: %d API key(s); public paths: %s", len(guard.access.keys),
                     ", ".join(sorted(guard.access.public_paths)))
        else:
            log.warning("AUTHENTICATION IS OFF: no API keys configured (DCAE_API_KEYS, DCAE_API_KEYS_FILE); "
                        "anyone who can reach this port can call every endpoint")
        repo = load_repository(s.model_repository)
        runner = build_runner(repo, s)
        await runner.start()
        app.state.runner = runner
        app.state.pipelines = Pipelines(repo, runner.infer, s)
        app.state.pipelines.decode_pool.start()
        app.state.guard = guard
        app.state.started_at = time.time()
        log.info("serving %s (%s runtime on %s, %s autoencoder) from %s", repo.autoencoder.name, s.runtime,
                 runner.engine, runner.precision, s.model_repository)
        if repo.generator is not None and s.runtime == "triton":
            log.info("generate: the sampling loop runs %s", "in Triton's generate model (DCAE_GENERATE_LOOP=triton)"
                     if s.generate_loop == "triton" else "in the gateway, one dit request per step")
        elif s.generate_loop == "triton":
            log.warning("DCAE_GENERATE_LOOP=triton applies to the triton runtime only; the %s runtime runs the "
                        "sampling loop in the gateway", s.runtime)
        try:
            yield
        finally:
            app.state.pipelines.decode_pool.close()
            await runner.close()

    # No slash redirects: the guard drops a trailing slash before routing, and a redirect's Location would be
    # built from the client's Host header (GET /static with a forged Host was sent there, in a loop).
    app = FastAPI(title="DC-AE gateway", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None,
                  redirect_slashes=False,
                  description="Encode, decode and generate images with DC-AE and a latent DiT; OpenAI's images "
                              "API beside our own; a playground at /.")
    if settings is not None:
        app.dependency_overrides[get_settings] = lambda: settings
    install_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")  # the playground's and the docs' assets

    # Added innermost first: Observe sees every request, CORS answers preflights before the guard.
    app.add_middleware(Guard)
    origins = [o.strip() for o in (settings or get_settings()).cors_origins.split(",") if o.strip()]
    if origins:
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "X-API-Key", "Content-Type", "Accept"],
                           expose_headers=["Retry-After", "X-Latent-Shape", "X-Image-Size", "X-Seed", "X-Tiled",
                                           "X-Class-Label", "X-Class-Name"])
    app.add_middleware(Observe)

    def openapi() -> dict:
        """The schema, with the API-key security of the protected paths when keys are configured."""
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        guard: GuardState | None = getattr(app.state, "guard", None)
        if guard is not None:
            document_limits(schema, app.state.pipelines, guard.settings)
        if guard is not None and guard.access.enabled:
            schema.setdefault("components", {})["securitySchemes"] = {
                "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
                "bearer": {"type": "http", "scheme": "bearer"}}
            for path, operations in schema["paths"].items():
                if path not in guard.access.public_paths:
                    for op in operations.values():
                        op["security"] = [{"apiKey": []}, {"bearer": []}]
        app.openapi_schema = schema
        return schema

    app.openapi = openapi
    return app


app = create_app()
