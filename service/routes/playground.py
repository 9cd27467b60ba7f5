"""GET /: the browser playground (one static page, no CDN, no build step), and /docs and /redoc served
with their JavaScript from this gateway (service/static/vendor), so that they render offline."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from fastapi import APIRouter
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import FileResponse, HTMLResponse

STATIC = Path(__file__).resolve().parent.parent / "static"
VENDOR = "/static/vendor"

playground_router = APIRouter(include_in_schema=False)


def with_policy(page: HTMLResponse, workers: bool = False) -> HTMLResponse:
    """The page with a Content-Security-Policy that admits its own inline scripts (by hash) and this gateway's
    files, nothing else: FastAPI's /docs and /redoc pages each start their viewer in an inline script, and
    their viewers set inline styles (and ReDoc's search runs in a blob: worker)."""
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(script).digest()).decode()}'"
                      for script in re.findall(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", page.body, re.S))
    page.headers["Content-Security-Policy"] = (
        f"default-src 'none'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; " + ("worker-src blob:; " if workers else "")
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
    return page


@playground_router.get("/")
async def playground() -> FileResponse:
    return FileResponse(STATIC / "playground.html", media_type="text/html")


@playground_router.get("/docs")
async def swagger_ui() -> HTMLResponse:
    return with_policy(get_swagger_ui_html(openapi_url="/openapi.json", title="DC-AE gateway: API docs",
                                           oauth2_redirect_url="/docs/oauth2-redirect",
                                           swagger_js_url=f"{VENDOR}/swagger-ui/swagger-ui-bundle.js",
                                           swagger_css_url=f"{VENDOR}/swagger-ui/swagger-ui.css",
                                           swagger_favicon_url=f"{VENDOR}/swagger-ui/favicon-32x32.png"))


@playground_router.get("/docs/oauth2-redirect")
async def swagger_ui_redirect() -> HTMLResponse:
    return with_policy(get_swagger_ui_oauth2_redirect_html())


@playground_router.get("/redoc")
async def redoc() -> HTMLResponse:
    return with_policy(get_redoc_html(openapi_url="/openapi.json", title="DC-AE gateway: ReDoc",
                                      redoc_js_url=f"{VENDOR}/redoc/redoc.standalone.js",
                                      redoc_favicon_url=f"{VENDOR}/swagger-ui/favicon-32x32.png",
                                      with_google_fonts=False), workers=True)
