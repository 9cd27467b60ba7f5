"""The layout is the architecture: import rules (import-linter, pyproject's [tool.importlinter]) hold."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
import tomllib
from pathlib import Path

import dcae

ROOT = Path(__file__).resolve().parent.parent


def test_import_rules_hold():
    out = subprocess.run([str(Path(sys.executable).parent / "lint-imports"), "--no-cache"], cwd=ROOT,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
    assert "0 broken" in out.stdout


def test_the_rules_name_every_module_of_the_core():
    """The contract's, the models' and the gateway's forbidden lists name every other module of `dcae`
    (a new module is forbidden to them until a rule says otherwise)."""
    contracts = {c["name"]: c for c in tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"][
        "contracts"]}
    core = {f"dcae.{m.name}" for m in pkgutil.iter_modules(dcae.__path__)}
    allowed = {"The contract (dcae.contract) imports neither torch nor the rest of the project": {"dcae.contract"},
               "Model files import torch and the contract only": {"dcae.contract", "dcae.models"},
               "The gateway imports no torch, nothing of export, and of the ML core only the contract": {"dcae.contract"}}
    for name, own in allowed.items():
        forbidden = set(contracts[name]["forbidden_modules"])
        assert core - own <= forbidden, (name, sorted(core - own - forbidden))
