"""The HTTP API: a module per route group (encode, decode, generate, OpenAI's images API, models, health and
metrics, the playground and the docs), their shared dependencies and helpers in `common`."""

from service.routes.decode import decode_router
from service.routes.encode import encode_router
from service.routes.generate import document_limits, generate_router
from service.routes.health import health_router, metrics_router
from service.routes.models import models_router
from service.routes.openai_images import images_router
from service.routes.playground import playground_router

ROUTERS = (encode_router, decode_router, generate_router, images_router, models_router, health_router, metrics_router,
           playground_router)

__all__ = ["ROUTERS", "document_limits"]
