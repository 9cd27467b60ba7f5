"""The layout is the architecture: import rules (import-linter, pyproject's [tool.importlinter]) hold, and they
catch a violation planted in a copy of the project, in a module that no rule names."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("dcae", "service", "export", "torch_runtime")


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(Path(sys.executable).parent / "lint-imports"), "--no-cache"], cwd=cwd,
                          env={"PYTHONPATH": str(cwd)}, capture_output=True, text=True)


def test_import_rules_hold():
    out = lint_imports(ROOT)
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
    assert "0 broken" in out.stdout


@pytest.mark.parametrize("path, source, broken", [
    # A new module at the top of dcae/ must be placed in a layer (the layers contract is exhaustive).
    ("dcae/brand_new.py", "from dcae.contract import sampling\n", "layered"),
    # New modules inside packages are covered by their package's place, with no rule edit.
    ("dcae/contract/planted.py", "from dcae.models import dit\n", "layered"),
    ("dcae/contract/planted.py", "import torch\n", "The contract (dcae.contract) imports no torch"),
    ("dcae/models/planted.py", "from dcae.pipelines import sana\n", "layered"),
    ("dcae/data/files_planted.py", "from dcae.training import objective\n", "layered"),
    ("service/planted.py", "from dcae.pipelines import sana\n", "The gateway imports no torch"),
    ("service/routes/planted.py", "from dcae.checkpoint import load_generator\n", "The gateway imports no torch"),
    ("export/planted.py", "from service import settings\n", "Export does not import the gateway"),
])
def test_a_planted_violation_breaks_a_rule(tmp_path, path, source, broken):
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    (tmp_path / path).write_text(source)
    out = lint_imports(tmp_path)
    assert out.returncode != 0, out.stdout[-3000:]
    assert any(broken in name for name in broken_contracts(out.stdout)), out.stdout[-3000:]


def broken_contracts(report: str) -> list[str]:
    """The names of the contracts lint-imports reports broken (its summary wraps long names over lines)."""
    summary = " ".join(report.split("Contracts:")[0].split("-------------------------------------")[-1].split())
    parts = re.split(r" (KEPT|BROKEN)(?: \(\d+ ignored imports?\))?", summary)
    return [name.strip() for name, verdict in zip(parts[::2], parts[1::2]) if verdict == "BROKEN"]
