"""The HTTP API: a module per route group (encode, decode, generate, models, health and metrics), their
shared dependencies and helpers in `common`."""

from service.routes.decode import decode_router
from service.routes.encode import encode_router
from service.routes.generate import document_limits, generate_router
from service.routes.health import health_router, metrics_router
from service.routes.models import models_router

ROUTERS = (encode_router, decode_router, generate_router, models_router, health_router, metrics_router)

__all__ = ["ROUTERS", "document_limits"]
