"""The browser playground at / and the offline /docs and /redoc, in a real headless Chromium (Debian's
`chromium`, driven by Playwright) against a live gateway over the tiny repository, with every request that
leaves 127.0.0.1 blocked: the pages must work without a CDN.

`DCAE_SCREENSHOTS=DIR` saves the screenshots there (`scripts/playground_screenshots.py` makes the README's
against the shipped models)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from support.served import gateway

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no chromium (make deploy-tools installs it)")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


def offline_page(browser):
    """A page that may reach 127.0.0.1 only; what it tried elsewhere is listed in `page.blocked`."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.blocked = []

    def route(r):
        if r.request.url.startswith(("http://127.0.0.1", "data:", "blob:")):
            return r.continue_()
        page.blocked.append(r.request.url)
        return r.abort()

    page.route("**/*", route)
    page.errors, page.refused = [], []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    # what the page's Content-Security-Policy refused (the console says so): the pages must need nothing it refuses
    page.on("console", lambda m: page.refused.append(m.text) if "Content Security Policy" in m.text else None)
    return page


def shot(page, name: str) -> None:
    folder = os.environ.get("DCAE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=True)


def test_type_a_prompt_press_generate_and_watch_the_images_arrive(request, gateways, browser, tmp_path):
    served = gateway(request, gateways, "embedded")
    page = offline_page(browser)
    page.goto(served.url + "/")
    page.wait_for_selector("#models td code")  # the loaded models listed
    assert "DiT-S/1" in page.inner_text("#models") and "dc-ae-f32c32-tiny" in page.inner_text("#models")
    page.fill("#prompt", "green hills under clouds")
    page.fill("#steps", "6")
    page.fill("#n", "2")
    page.click("#go")
    page.wait_for_selector("#gen-images figure[data-done=true] >> nth=1", timeout=60_000)
    assert page.inner_text("#gen-status").startswith("done in")
    assert page.eval_on_selector("#progress", "p => [p.value, p.max]") == [6, 6]
    captions = page.locator("#gen-images figcaption").all_inner_texts()
    assert captions == ["seed 7", "seed 8"]
    sizes = page.eval_on_selector_all("#gen-images img", "imgs => imgs.map(i => [i.naturalWidth, i.naturalHeight])")
    assert sizes == [[64, 64], [64, 64]]  # decoded images, not broken ones
    shot(page, "playground-generate.png")

    upload = tmp_path / "photo.png"
    Image.fromarray(np.random.default_rng(0).integers(0, 256, (70, 100, 3), dtype=np.uint8)).save(upload)
    page.set_input_files("#file", str(upload))
    page.wait_for_selector("#enc-images figure >> nth=1", timeout=30_000)
    assert "latent 1 × 32 × 3 × 4 for a 100 × 70 image" in page.inner_text("#enc-status")
    assert page.locator("#enc-images figcaption").all_inner_texts() == ["original", "reconstruction"]
    assert page.eval_on_selector("#enc-images figure:nth-child(2) img", "i => [i.naturalWidth, i.naturalHeight]") == [100, 70]
    shot(page, "playground-reconstruct.png")
    assert page.blocked == [] and page.errors == [] and page.refused == [], (page.errors, page.refused)


def test_errors_show_in_the_page(request, gateways, browser):
    served = gateway(request, gateways, "embedded")
    page = offline_page(browser)
    page.goto(served.url + "/")
    page.wait_for_selector("#models td code")
    page.fill("#steps", "100000")
    page.click("#go")
    page.wait_for_selector("#gen-status.error")
    assert "422: steps: at most 100" in page.inner_text("#gen-status")


@pytest.mark.parametrize("path,ready", [("/docs", ".swagger-ui .info .title"), ("/redoc", "h1")])
def test_the_api_docs_render_offline(request, gateways, browser, path, ready):
    served = gateway(request, gateways, "embedded")
    page = offline_page(browser)
    page.goto(served.url + path)
    page.wait_for_selector(ready, timeout=30_000)
    assert "DC-AE gateway" in page.inner_text(ready)
    assert page.blocked == [], page.blocked  # no CDN, no web fonts
    if path == "/docs":
        page.get_by_text("/v1/images/generations").first.click()  # an operation opened: the viewer's own scripts ran
        assert page.get_by_text("/v1/images/generations").count() >= 1
    shot(page, f"docs{path.replace('/', '-')}.png")
    assert page.errors == [] and page.refused == [], (page.errors, page.refused)
