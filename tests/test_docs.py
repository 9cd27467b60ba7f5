"""The docs hold together: every relative link and anchor in the project's Markdown resolves, and the README's
command blocks run (the first request against a real gateway, `make` targets that exist)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from support.served import gateway

ROOT = Path(__file__).resolve().parent.parent
LINK = re.compile(r"!?\[(?:[^\]\[]|\[[^\]]*\])*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def markdown_files() -> list[Path]:
    tracked = subprocess.run(["git", "ls-files", "*.md"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    return [ROOT / f for f in tracked if not f.startswith("model_repository/")] or sorted(ROOT.glob("**/*.md"))


def prose(text: str) -> str:
    """The text outside fenced code blocks and inline code spans (links there are examples, not links)."""
    text = re.sub(r"^(```|~~~).*?^\1", "", text, flags=re.M | re.S)
    return re.sub(r"`[^`\n]*`", "", text)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, markup and punctuation dropped, spaces as hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text.replace("`", ""))
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    found, seen = set(), {}
    text = re.sub(r"^(```|~~~).*?^\1", "", path.read_text(), flags=re.M | re.S)
    for heading in re.findall(r"^#{1,6} (.+)$", text, flags=re.M):
        base = slug(heading)
        n = seen.get(base, 0)
        seen[base] = n + 1
        found.add(base if n == 0 else f"{base}-{n}")
    return found


def test_every_relative_link_and_anchor_resolves():
    problems = []
    files = markdown_files()
    assert ROOT / "README.md" in files and len(files) >= 10
    for md in files:
        for target in LINK.findall(prose(md.read_text())):
            if re.match(r"[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
                continue
            path, _, anchor = target.partition("#")
            dest = (md.parent / path).resolve() if path else md
            if not dest.exists():
                problems.append(f"{md.relative_to(ROOT)}: {target} (no such file)")
            elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
                problems.append(f"{md.relative_to(ROOT)}: {target} (no such heading)")
    assert not problems, "\n".join(problems)


def test_anchors_follow_github_slugs():
    assert slug("OpenAI clients, streaming, image-to-image and the playground") == \
        "openai-clients-streaming-image-to-image-and-the-playground"
    assert slug("The `dcae` command") == "the-dcae-command"
    assert slug("DC-AE: presets, latents, checkpoints") == "dc-ae-presets-latents-checkpoints"


def readme_blocks() -> dict[str, list[str]]:
    """The README's bash blocks by the heading they sit under."""
    blocks, heading = {}, None
    for m in re.finditer(r"^(#{1,6} [^\n]+)$|^```bash\n(.*?)^```", (ROOT / "README.md").read_text(), flags=re.M | re.S):
        if m.group(1):
            heading = m.group(1).lstrip("# ").strip()
        else:
            blocks.setdefault(heading, []).append(m.group(2))
    return blocks


def test_the_readme_command_blocks_are_the_ones_tested():
    """Each README block is run by a test: the make targets here (`make test` is CI itself), the first request
    below. A new block must be added to one of them."""
    blocks = readme_blocks()
    assert set(blocks) == {"Two commands", "A first request"}, sorted(blocks)
    targets = set(re.findall(r"^([a-z][\w-]*):", (ROOT / "Makefile").read_text(), flags=re.M))
    for line in blocks["Two commands"][0].splitlines():
        command = line.split("#")[0].split()
        assert command[0] == "make" and command[1] in targets, line


@pytest.fixture(scope="module")
def embedded(request, gateways):
    return gateway(request, gateways, "embedded")


def test_the_first_request_runs_as_written(embedded, tmp_path):
    """The README's first-request block, run by bash against a gateway on the tiny repository (its address for
    127.0.0.1:8000): every command exits 0 and writes what the comments say."""
    (block,) = readme_blocks()["A first request"]
    (tmp_path / "docs" / "images").mkdir(parents=True)
    shutil.copy(ROOT / "docs" / "images" / "heldout.png", tmp_path / "docs" / "images")
    script = "set -e\n" + block.replace("http://127.0.0.1:8000", embedded.url).replace("curl -s", "curl -sf")
    out = subprocess.run(["bash", "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    assert out.stdout.startswith('{"latent":') and "dcae_" in out.stdout
    z = np.load(tmp_path / "z.npy")
    assert z.ndim == 4 and z.dtype == np.float32
    assert Image.open(tmp_path / "back.png").size == Image.open(tmp_path / "docs/images/heldout.png").size
    for name in ("gen_7.png", "gen_8.png", "gen.png"):
        assert Image.open(tmp_path / name).format == "PNG"
