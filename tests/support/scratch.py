"""Scratch folders shared across test modules (made once per process, outside any one test's tmp_path), removed
when the pytest session finishes: conftest's `pytest_sessionfinish` calls `remove_all`, since the session ends
with `os._exit` and never runs `atexit` handlers."""

import shutil
import tempfile
from pathlib import Path

_made: list[Path] = []


def scratch_dir(prefix: str) -> Path:
    path = Path(tempfile.mkdtemp(prefix=prefix))
    _made.append(path)
    return path


def remove_all() -> None:
    while _made:
        shutil.rmtree(_made.pop(), ignore_errors=True)
