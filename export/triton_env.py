"""A real Triton on this machine: its own virtual environment, and a launcher.

The `tritonserver` binary bundled in the nvidia-pytriton wheel (Triton 2.51) has only the python
backend, which is what the CPU repository (`dcae export --cpu-python-backend`) needs. It runs apart
from the project's environment because its stub needs numpy < 2, and only with:
  - LD_LIBRARY_PATH = <site-packages>/nvidia_pytriton.libs : <the venv Python's own lib dir>
    (otherwise the stub loads the system libpython and fails on `_recursion_count`);
  - the venv's bin/ first on PATH (otherwise the stub imports another numpy, and responses come
    back empty while the metrics still count successes);
  - a backend directory holding the python backend and the stub built for this Python version
    (the wheel ships stubs under `pytriton/tritonserver/python_backend_stubs/<X.Y>/`).

    python -m export.triton_env setup [--venv .venv-triton]    # idempotent; fast when up to date
    python -m export.triton_env serve REPO [--http-port 8000 --grpc-port 8001 --metrics-port 8002]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_VENV = REPO_ROOT / ".venv-triton"
REQUIREMENTS = Path(__file__).parent / "triton" / "requirements.txt"
STAMP = "dcae-triton-env.json"


class TritonUnavailable(RuntimeError):
    """The Triton environment cannot be made or used here (with the reason)."""


def _requirements_hash() -> str:
    return hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()[:16]


def environment(venv: str | Path = DEFAULT_VENV) -> dict:
    """The recorded facts of a ready environment (paths for the launcher), or raise TritonUnavailable."""
    stamp = Path(venv) / STAMP
    if not stamp.is_file():
        raise TritonUnavailable(f"no Triton environment at {venv}; create it with "
                                f"`python -m export.triton_env setup --venv {venv}`")
    info = json.loads(stamp.read_text())
    if info.get("requirements") != _requirements_hash():
        raise TritonUnavailable(f"{venv} was made from other requirements; rerun `python -m export.triton_env setup`")
    for key in ("tritonserver", "backend_directory", "python"):
        if not Path(info[key]).exists():
            raise TritonUnavailable(f"{venv}: {info[key]} is missing; rerun setup")
    return info


def setup(venv: str | Path = DEFAULT_VENV, python: str = sys.executable, quiet: bool = True) -> dict:
    """Create or update the environment; a no-op (well under a second) when it is up to date."""
    venv = Path(venv).absolute()
    try:
        return environment(venv)
    except TritonUnavailable:
        pass
    if sys.platform != "linux":
        raise TritonUnavailable(f"the tritonserver in nvidia-pytriton runs on Linux only, not {sys.platform}")
    vpython = venv / "bin" / "python"
    if not vpython.exists():
        subprocess.run([python, "-m", "venv", str(venv)], check=True)
    pip = [str(vpython), "-m", "pip", "install", "--disable-pip-version-check"] + (["--quiet"] if quiet else [])
    subprocess.run([*pip, "-r", str(REQUIREMENTS)], check=True)
    probe = ("import json, sys, sysconfig, pytriton, numpy; from pathlib import Path;"
             "print(json.dumps({'site': str(Path(pytriton.__file__).parent.parent), 'libdir': sysconfig.get_config_var('LIBDIR'),"
             "'version': f'{sys.version_info[0]}.{sys.version_info[1]}', 'numpy': numpy.__version__}))")
    facts = json.loads(subprocess.run([str(vpython), "-c", probe], check=True, capture_output=True, text=True).stdout)
    site = Path(facts["site"])
    server_dir = site / "pytriton" / "tritonserver"
    stub = server_dir / "python_backend_stubs" / facts["version"] / "triton_python_backend_stub"
    if not stub.is_file():
        raise TritonUnavailable(f"nvidia-pytriton ships no python backend stub for Python {facts['version']}")
    backends = venv / "triton_backends"
    (backends / "python").mkdir(parents=True, exist_ok=True)
    for f in (server_dir / "backends" / "python").iterdir():
        if f.is_file():
            shutil.copy2(f, backends / "python" / f.name)
    shutil.copy2(stub, backends / "python" / stub.name)
    info = {
        "requirements": _requirements_hash(),
        "python": str(vpython),
        "tritonserver": str(server_dir / "bin" / "tritonserver"),
        "backend_directory": str(backends),
        "ld_library_path": f"{site / 'nvidia_pytriton.libs'}:{facts['libdir']}",
        "bin": str(venv / "bin"),
        "python_version": facts["version"],
        "numpy": facts["numpy"],
    }
    (venv / STAMP).write_text(json.dumps(info, indent=2) + "\n")
    return info


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TritonServer:
    """`tritonserver` on 127.0.0.1 over a model repository, as a context manager:

        with TritonServer(repo) as server:
            server.http_url, server.grpc_url, server.metrics_url

    Ports default to free ones. `start` waits for readiness (bounded) and raises with the log's tail
    if the server exits or does not become ready; `stop` ends the server's process group.
    """

    def __init__(self, repository: str | Path, venv: str | Path = DEFAULT_VENV, http_port: int | None = None,
                 grpc_port: int | None = None, metrics_port: int | None = None, log_path: str | Path | None = None,
                 extra_args: tuple[str, ...] = ()) -> None:
        self.env = environment(venv)
        self.repository = Path(repository).absolute()
        self.http_port, self.grpc_port, self.metrics_port = http_port, grpc_port, metrics_port
        self.log_path = Path(log_path) if log_path else self.repository.parent / f"tritonserver-{os.getpid()}.log"
        self.extra_args = extra_args
        self.process: subprocess.Popen | None = None

    @property
    def http_url(self) -> str:
        return f"127.0.0.1:{self.http_port}"

    @property
    def grpc_url(self) -> str:
        return f"127.0.0.1:{self.grpc_port}"

    @property
    def metrics_url(self) -> str:
        return f"http://127.0.0.1:{self.metrics_port}/metrics"

    def command(self) -> list[str]:
        return [self.env["tritonserver"], f"--model-repository={self.repository}",
                f"--backend-directory={self.env['backend_directory']}",
                "--http-address=127.0.0.1", f"--http-port={self.http_port}",
                "--grpc-address=127.0.0.1", f"--grpc-port={self.grpc_port}",
                "--metrics-address=127.0.0.1", f"--metrics-port={self.metrics_port}",
                "--allow-metrics=true", "--allow-gpu-metrics=false", "--strict-readiness=true",
                "--exit-on-error=true", "--log-verbose=0", *self.extra_args]

    def environ(self) -> dict[str, str]:
        env = dict(os.environ)
        env["LD_LIBRARY_PATH"] = self.env["ld_library_path"] + (
            f":{env['LD_LIBRARY_PATH']}" if env.get("LD_LIBRARY_PATH") else "")
        env["PATH"] = f"{self.env['bin']}:{env.get('PATH', '')}"
        for var in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"):  # the stub must see only its own environment
            env.pop(var, None)
        return env

    def start(self, timeout_s: float = 90.0) -> TritonServer:
        self.http_port = self.http_port or free_port()
        self.grpc_port = self.grpc_port or free_port()
        self.metrics_port = self.metrics_port or free_port()
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "wb")
        # A new session, so that `stop` can end the server together with its python-backend stubs.
        self.process = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT, env=self.environ(),
                                        start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"tritonserver exited with {self.process.returncode}:\n{self.log_tail()}")
            if self.ready():
                return self
            time.sleep(0.2)
        self.stop()
        raise TimeoutError(f"tritonserver not ready after {timeout_s:.0f} s:\n{self.log_tail()}")

    def ready(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://{self.http_url}/v2/health/ready", timeout=2) as r:
                return r.status == 200
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            return False

    def metrics(self) -> str:
        with urllib.request.urlopen(self.metrics_url, timeout=10) as r:
            return r.read().decode()

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self, timeout_s: float = 20.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        pgid = os.getpgid(self.process.pid)
        os.killpg(pgid, signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(pgid, signal.SIGKILL)
            self.process.wait(timeout=10)
        try:  # stubs that outlived the server
            os.killpg(pgid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def __enter__(self) -> TritonServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def parse_metrics(text: str, name: str) -> dict[str, float]:
    """{model: value} of one Prometheus counter/gauge family from Triton's /metrics text."""
    values: dict[str, float] = {}
    for line in text.splitlines():
        if line.startswith(name + "{"):
            labels, value = line[len(name) + 1:].rsplit("} ", 1)
            fields = dict(part.split("=", 1) for part in labels.split(","))
            values[fields.get("model", "").strip('"')] = float(value)
    return values


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m export.triton_env", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("setup", help="create or update the Triton environment (idempotent)")
    p.add_argument("--venv", type=Path, default=DEFAULT_VENV)
    p.add_argument("--verbose", action="store_true")
    p = sub.add_parser("serve", help="run tritonserver on 127.0.0.1 over a model repository until interrupted")
    p.add_argument("repository", type=Path)
    p.add_argument("--venv", type=Path, default=DEFAULT_VENV)
    p.add_argument("--http-port", type=int, default=8000)
    p.add_argument("--grpc-port", type=int, default=8001)
    p.add_argument("--metrics-port", type=int, default=8002)
    args = parser.parse_args(argv)
    if args.command == "setup":
        try:
            info = setup(args.venv, quiet=not args.verbose)
        except (TritonUnavailable, subprocess.CalledProcessError) as e:
            print(f"error: could not set up the Triton environment: {e}", file=sys.stderr)
            return 1
        print(f"Triton environment ready: {args.venv} (Python {info['python_version']}, numpy {info['numpy']})")
        return 0
    server = TritonServer(args.repository, args.venv, args.http_port, args.grpc_port, args.metrics_port,
                          log_path=Path(args.repository).absolute().parent / "tritonserver.log")
    with server:
        print(f"Triton ready: HTTP {server.http_url}, gRPC {server.grpc_url}, metrics {server.metrics_url} "
              f"(log {server.log_path}); Ctrl-C stops it")
        try:
            while server.process.poll() is None:
                time.sleep(1)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
