"""The CPU stack of deploy/compose/local.yml in containers on this machine, with no registry: `make compose-up`,
`make compose-down`.

    python deploy/local_stack.py up        # build what is missing, start the stack, wait for health, say what runs where
    python deploy/local_stack.py down      # stop and remove the containers (and the daemon, if this script started it)
    python deploy/local_stack.py build     # the images only (--rebuild: all of them again)
    python deploy/local_stack.py status    # containers, health, images and their sizes

Images, built from Debian's packages and the project's own Dockerfiles:
- dcae-base/python:3.11-bookworm: `debootstrap --variant=minbase` (Python 3.11, venv, CA certificates), turned
  into an image by `docker import`. The host's extra CA certificates (/usr/local/share/ca-certificates, as a
  TLS-intercepting proxy needs) are added, so that pip inside the builds trusts what the host trusts.
- dcae-base/prometheus:2.42: Debian's prometheus package on that base (deploy/bases/prometheus.Dockerfile).
- dcae-base/tritonserver-cpu:2.51: the tritonserver of the nvidia-pytriton wheel, python backend only, as the
  tests run it (deploy/bases/tritonserver-cpu.Dockerfile).
- dcae-gateway:0.1.0 from ./Dockerfile and dcae-triton:cpu from deploy/triton/Dockerfile, each with BASE set to
  the offline base (their default BASE is the registry's image, so the same files build both).

The Docker daemon: the one DOCKER_HOST names, or the system's at /var/run/docker.sock, when it answers; it is used
and left as it is. Otherwise this script starts its own (`dockerd --bridge=none --iptables=false
--storage-driver=vfs` with its own data root, exec root and socket under DCAE_DOCKER_ROOT, default
/var/lib/dcae-docker and /run/dcae-docker) and `down` stops it. Every container uses the host's network and
listens on 127.0.0.1 only; builds use the host's network (to reach Debian's mirror and PyPI).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "deploy" / "compose" / "local.yml"
PROJECT = "dcae-local"
DATA_ROOT = Path(os.environ.get("DCAE_DOCKER_ROOT", "/var/lib/dcae-docker"))
RUN_DIR = Path(os.environ.get("DCAE_DOCKER_RUN", "/run/dcae-docker"))  # short: containerd's socket paths are
OWN_SOCKET = RUN_DIR / "docker.sock"                                   # limited in length
STARTED_MARK = RUN_DIR / "started-by-dcae"
MIRROR = os.environ.get("DCAE_DEBIAN_MIRROR", "http://deb.debian.org/debian")

PYTHON_BASE = "dcae-base/python:3.11-bookworm"
PROMETHEUS_BASE = "dcae-base/prometheus:2.42"
TRITON_BASE = "dcae-base/tritonserver-cpu:2.51"
GATEWAY_IMAGE = "dcae-gateway:0.1.0"
TRITON_IMAGE = "dcae-triton:cpu"
MODEL_REPOSITORY, CPU_REPOSITORY = ROOT / "model_repository", ROOT / "model_repository_cpu"

SERVICES = {  # what runs where: name -> (address, what)
    "gateway": ("http://127.0.0.1:8000", "gateway, embedded runtime (docs at /docs, the playground at /)"),
    "gateway-triton": ("http://127.0.0.1:8010", "gateway, Triton runtime"),
    "triton": ("127.0.0.1:8020 http, :8021 grpc, :8022 metrics", "tritonserver (CPU, python backend)"),
    "prometheus": ("http://127.0.0.1:9090", "Prometheus, scraping both gateways and Triton"),
}


def say(message: str) -> None:
    print(f"[local-stack] {message}", flush=True)


# ----------------------------------------------------------------------------------------------
# The daemon


def _answers(host: str) -> bool:
    return subprocess.run(["docker", "-H", host, "version", "--format", "{{.Server.Version}}"], capture_output=True,
                          timeout=20).returncode == 0


def daemon_host(start: bool = True) -> str:
    """The DOCKER_HOST to use: an answering daemon's, else this script's own (started when `start`)."""
    for host in filter(None, [os.environ.get("DOCKER_HOST"), "unix:///var/run/docker.sock", f"unix://{OWN_SOCKET}"]):
        if (not host.startswith("unix://") or Path(host[7:]).exists()) and _answers(host):
            return host
    if not start:
        raise SystemExit("no Docker daemon answers (nothing to stop)")
    if shutil.which("dockerd") is None:
        raise SystemExit("no Docker daemon runs and dockerd is not installed: apt-get install docker.io")
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    (DATA_ROOT / "data").mkdir(parents=True, exist_ok=True)
    log = open(DATA_ROOT / "dockerd.log", "ab")
    say(f"starting a Docker daemon of its own (data root {DATA_ROOT / 'data'}, socket {OWN_SOCKET})")
    proc = subprocess.Popen(
        ["dockerd", "--bridge=none", "--iptables=false", "--ip6tables=false", "--storage-driver=vfs",
         f"--data-root={DATA_ROOT / 'data'}", f"--exec-root={RUN_DIR / 'exec'}", f"--pidfile={RUN_DIR / 'dockerd.pid'}",
         f"--host=unix://{OWN_SOCKET}"], stdout=log, stderr=log, start_new_session=True)
    host = f"unix://{OWN_SOCKET}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"dockerd exited ({proc.returncode}); see {DATA_ROOT / 'dockerd.log'}")
        if OWN_SOCKET.exists() and _answers(host):
            STARTED_MARK.write_text(str(proc.pid))
            return host
        time.sleep(0.5)
    raise SystemExit(f"dockerd did not answer within 60 s; see {DATA_ROOT / 'dockerd.log'}")


def stop_own_daemon() -> bool:
    """Stop the daemon this script started (only that one); True if one was stopped."""
    if not STARTED_MARK.is_file():
        return False
    pid = int(STARTED_MARK.read_text())
    try:
        os.kill(pid, signal.SIGTERM)
        for _ in range(120):
            os.kill(pid, 0)
            time.sleep(0.25)
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    STARTED_MARK.unlink(missing_ok=True)
    say(f"stopped the Docker daemon it had started (pid {pid})")
    return True


def docker(host: str, *args: str, capture: bool = False, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["docker", "-H", host, *args], check=check, text=True,
                          capture_output=capture)


def compose(host: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["docker-compose", "-p", PROJECT, "-f", str(COMPOSE_FILE), *args], check=check,
                          env={**os.environ, "DOCKER_HOST": host}, text=True)


def has_image(host: str, name: str) -> bool:
    return docker(host, "image", "inspect", name, capture=True, check=False).returncode == 0


# ----------------------------------------------------------------------------------------------
# Images


def python_base(host: str) -> None:
    """Debian bookworm (minbase) with Python 3.11 and venv, from Debian's packages, as an image."""
    rootfs = DATA_ROOT / "rootfs-python"
    if not (rootfs / "usr" / "bin" / "python3").exists():
        if shutil.which("debootstrap") is None:
            raise SystemExit("debootstrap is not installed: apt-get install debootstrap")
        shutil.rmtree(rootfs, ignore_errors=True)
        say(f"debootstrap bookworm into {rootfs} (Debian's packages from {MIRROR})")
        subprocess.run(["debootstrap", "--variant=minbase",
                        "--include=python3,python3-venv,libpython3.11,passwd,ca-certificates",
                        "bookworm", str(rootfs), MIRROR], check=True, stdout=subprocess.DEVNULL)
        (rootfs / "usr" / "bin" / "python").symlink_to("python3")  # the Dockerfiles' `python`, as in python:3.11
        extra = sorted(Path("/usr/local/share/ca-certificates").glob("*.crt"))
        for cert in extra:
            shutil.copy(cert, rootfs / "usr" / "local" / "share" / "ca-certificates" / cert.name)
        if extra:
            subprocess.run(["chroot", str(rootfs), "update-ca-certificates"], check=True, stdout=subprocess.DEVNULL)
        for junk in ("var/lib/apt/lists", "var/cache/apt/archives"):
            for f in (rootfs / junk).glob("*"):
                if f.is_file():
                    f.unlink()
    say(f"docker import {PYTHON_BASE}")
    tar = subprocess.Popen(["tar", "-C", str(rootfs), "-c", "."], stdout=subprocess.PIPE)
    subprocess.run(["docker", "-H", host, "import", "-c", "ENV LANG=C.UTF-8", "-c", 'CMD ["python3"]', "-",
                    PYTHON_BASE], stdin=tar.stdout, check=True, stdout=subprocess.DEVNULL)
    if tar.wait() != 0:
        raise SystemExit("tar of the root filesystem failed")


def build(host: str, tag: str, dockerfile: Path, context: Path, base: str) -> float:
    say(f"docker build {tag} ({dockerfile.relative_to(ROOT)}, BASE={base})")
    t0 = time.monotonic()
    docker(host, "build", "--network=host", "--build-arg", f"BASE={base}", "-f", str(dockerfile), "-t", tag,
           str(context))
    return time.monotonic() - t0


def build_all(host: str, rebuild: bool = False) -> dict[str, float]:
    """Build every image that is missing (all of them with `rebuild`); -> seconds per image built."""
    seconds = {}
    if rebuild or not has_image(host, PYTHON_BASE):
        t0 = time.monotonic()
        python_base(host)
        seconds[PYTHON_BASE] = time.monotonic() - t0
    if rebuild or not has_image(host, PROMETHEUS_BASE):
        with tempfile.TemporaryDirectory() as ctx:
            seconds[PROMETHEUS_BASE] = build(host, PROMETHEUS_BASE, ROOT / "deploy/bases/prometheus.Dockerfile",
                                             Path(ctx), PYTHON_BASE)
    if rebuild or not has_image(host, TRITON_BASE):
        with tempfile.TemporaryDirectory() as ctx:
            shutil.copy(ROOT / "export/triton/requirements.txt", Path(ctx) / "requirements.txt")
            seconds[TRITON_BASE] = build(host, TRITON_BASE, ROOT / "deploy/bases/tritonserver-cpu.Dockerfile",
                                         Path(ctx), PYTHON_BASE)
    if rebuild or not has_image(host, GATEWAY_IMAGE):
        seconds[GATEWAY_IMAGE] = build(host, GATEWAY_IMAGE, ROOT / "Dockerfile", ROOT, PYTHON_BASE)
    if rebuild or not has_image(host, TRITON_IMAGE):
        seconds[TRITON_IMAGE] = build(host, TRITON_IMAGE, ROOT / "deploy/triton/Dockerfile", ROOT / "deploy/triton",
                                      TRITON_BASE)
    for name, s in seconds.items():
        say(f"built {name} in {s:.0f} s")
    return seconds


def image_sizes(host: str) -> dict[str, int]:
    out = {}
    for name in (PYTHON_BASE, PROMETHEUS_BASE, TRITON_BASE, GATEWAY_IMAGE, TRITON_IMAGE):
        r = docker(host, "image", "inspect", "--format", "{{.Size}}", name, capture=True, check=False)
        if r.returncode == 0:
            out[name] = int(r.stdout.strip())
    return out


# ----------------------------------------------------------------------------------------------
# The stack


def repositories() -> None:
    """The model repositories the containers mount: the shipped models' (`make model-repository`), and its CPU
    python-backend variant for Triton, written from the same graphs when missing or older."""
    if not (MODEL_REPOSITORY / "encoder" / "config.pbtxt").is_file():
        raise SystemExit("no model_repository/: run `make model-repository` first (make compose-up does)")
    made = CPU_REPOSITORY / "generate" / "config.pbtxt"
    if not made.is_file() or made.stat().st_mtime < (MODEL_REPOSITORY / "encoder" / "config.pbtxt").stat().st_mtime:
        dcae = Path(sys.executable).parent / "dcae"
        say("exporting the CPU python-backend repository for Triton (model_repository_cpu/)")
        subprocess.run([str(dcae), "export", "--generator", str(ROOT / "weights/dit-mini-wallpapers"),
                        "--cpu-python-backend", "--reuse-onnx", str(MODEL_REPOSITORY), "-o", str(CPU_REPOSITORY)],
                       check=True, stdout=subprocess.DEVNULL)


def containers(host: str) -> dict[str, dict]:
    """The stack's containers by compose service: state, health, id."""
    ids = docker(host, "ps", "-aq", "--filter", f"label=com.docker.compose.project={PROJECT}", capture=True).stdout.split()
    out = {}
    for info in json.loads(docker(host, "inspect", *ids, capture=True).stdout) if ids else []:
        service = info["Config"]["Labels"].get("com.docker.compose.service")
        out[service] = {"id": info["Id"][:12], "state": info["State"]["Status"], "pid": info["State"]["Pid"],
                        "health": (info["State"].get("Health") or {}).get("Status", "-"),
                        "restarts": info.get("RestartCount", 0)}
    return out


def wait_healthy(host: str, timeout_s: float = 900) -> dict[str, dict]:
    deadline = time.monotonic() + timeout_s
    while True:
        now = containers(host)
        if set(now) >= set(SERVICES) and all(c["health"] == "healthy" for c in now.values()):
            return now
        if time.monotonic() > deadline:
            raise SystemExit(f"not healthy after {timeout_s:.0f} s: "
                             + ", ".join(f"{s} {c['state']}/{c['health']}" for s, c in sorted(now.items())))
        time.sleep(2)


def table(host: str) -> str:
    now = containers(host)
    rows = [f"  {'service':15} {'state':9} {'health':10} {'address':48} what"]
    for service, (address, what) in SERVICES.items():
        c = now.get(service, {"state": "absent", "health": "-"})
        rows.append(f"  {service:15} {c['state']:9} {c['health']:10} {address:48} {what}")
    return "\n".join(rows)


def up(args: argparse.Namespace) -> int:
    host = daemon_host(start=True)
    repositories()
    build_all(host, rebuild=args.rebuild)
    t0 = time.monotonic()
    compose(host, "up", "-d", "--no-build")
    wait_healthy(host, args.timeout)
    say(f"healthy {time.monotonic() - t0:.0f} s after `up` (daemon {host}):\n{table(host)}")
    say("stop it with `make compose-down`")
    return 0


def down(args: argparse.Namespace) -> int:
    try:
        host = daemon_host(start=False)
    except SystemExit:
        say("no daemon answers: nothing runs")
        STARTED_MARK.unlink(missing_ok=True)
        return 0
    compose(host, "down", "--remove-orphans", *(["--volumes"] if args.volumes else []))
    left = containers(host)
    if left:
        raise SystemExit(f"containers left after down: {sorted(left)}")
    if not args.keep_daemon:
        stop_own_daemon()
    return 0


def status(args: argparse.Namespace) -> int:
    host = daemon_host(start=False)
    print(table(host))
    for name, size in image_sizes(host).items():
        print(f"  {name:36} {size / 1e6:8.0f} MB")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    host = daemon_host(start=True)
    seconds = build_all(host, rebuild=args.rebuild)
    if args.json:
        print(json.dumps({"build_seconds": seconds, "sizes": image_sizes(host)}, indent=1))
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("up", help="build what is missing, start the stack and wait until every container is healthy")
    p.add_argument("--rebuild", action="store_true", help="build every image again")
    p.add_argument("--timeout", type=float, default=900, help="seconds to wait for health (default 900)")
    p.set_defaults(fn=up)
    p = sub.add_parser("down", help="stop and remove the stack's containers, and the daemon this script started")
    p.add_argument("--volumes", action="store_true", help="also remove the named volumes (Prometheus' data, caches)")
    p.add_argument("--keep-daemon", action="store_true", help="leave the daemon running")
    p.set_defaults(fn=down)
    p = sub.add_parser("build", help="build the images that are missing")
    p.add_argument("--rebuild", action="store_true")
    p.add_argument("--json", action="store_true", help="print build seconds and image sizes")
    p.set_defaults(fn=cmd_build)
    sub.add_parser("status", help="containers, health and image sizes").set_defaults(fn=status)
    args = ap.parse_args(argv)
    return args.fn(args)


if __name__ == "__main__":
    sys.exit(main())
