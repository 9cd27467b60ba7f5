"""The README's playground pictures: the shipped models served by `python -m service` on 127.0.0.1, the page
driven in Debian's headless chromium (Playwright), as a user would: a prompt, Generate, the images as
they stream in; then a photo uploaded and its reconstruction beside it.

    python scripts/playground_screenshots.py [--out docs/images]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
from served import free_port, wait_live  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(ROOT / "docs" / "images"))
    parser.add_argument("--repository", default=str(ROOT / "model_repository"))
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tempfile.NamedTemporaryFile(prefix="playground-", suffix=".log", delete=False)
    proc = subprocess.Popen([sys.executable, "-m", "service", "--port", str(port)], cwd=ROOT, stdout=log,
                            stderr=subprocess.STDOUT, env={**os.environ, "DCAE_MODEL_REPOSITORY": args.repository})
    out = Path(args.out)
    try:
        assert wait_live(proc, url, 120, lambda: Path(log.name).read_text()[-2000:])
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 820})
            page.goto(url + "/")
            page.wait_for_selector("#models td code")
            page.fill("#seed", "7")
            page.click("#go")
            page.wait_for_selector("#gen-images figure[data-done=true] >> nth=1", timeout=300_000)
            page.set_input_files("#file", str(ROOT / "docs" / "images" / "heldout.png"))
            page.wait_for_selector("#enc-images figure >> nth=1", timeout=120_000)
            page.wait_for_timeout(500)
            page.screenshot(path=str(out / "playground.png"), full_page=True)
            print(page.inner_text("#gen-status"), "|", page.inner_text("#enc-status"))
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print(f"wrote {out / 'playground.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
