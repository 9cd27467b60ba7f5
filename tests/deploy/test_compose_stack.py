"""`make compose-up` for real (slow tier; `make test-compose`): the CPU stack of deploy/compose/local.yml, its images
built offline from Debian's packages and the project's Dockerfiles (deploy/local_stack.py), run in containers on
this machine, on the host's network and 127.0.0.1 only. Against the running stack:

- encode, decode and generate through both gateways (embedded; Triton mode), the two giving equal images for a seed;
- Prometheus has every target up, and the dashboards' queries return data;
- the confinement docker-compose.yml promises holds inside the running containers, not only in the YAML;
- a Triton that dies answers 503 with Retry-After through its gateway, which serves again once the restart
  policy has brought Triton back;
- `down` leaves no container, and stops the daemon when the script started it.

Needs root, dockerd, debootstrap and docker-compose (`make compose-tools`), and the registries of Debian and PyPI
for the first build (15-20 minutes here); later runs reuse the images.
"""

from __future__ import annotations

import io
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import numpy as np
import pytest
import yaml
from PIL import Image

from support.monitoring import TRITON_GPU_METRICS, Prometheus, metric_names, queries, substitute, traffic, wait_for
from support.served import npy, png_bytes

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "local_stack.py"
COMPOSE = yaml.safe_load((ROOT / "deploy" / "compose" / "local.yml").read_text())
GATEWAYS = {"gateway": "http://127.0.0.1:8000", "gateway-triton": "http://127.0.0.1:8010"}
PROMETHEUS = "http://127.0.0.1:9090"
# Dashboard series that this stack cannot have: a CPU Triton's GPU metrics.
NO_SERIES_HERE = TRITON_GPU_METRICS


def stack_script(*args: str, timeout: float = 3600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture(scope="module")
def stack():
    if os.geteuid() != 0:
        pytest.skip("the stack's own Docker daemon needs root")
    missing = [t for t in ("dockerd", "docker", "docker-compose", "debootstrap") if shutil.which(t) is None]
    if missing:
        pytest.skip(f"missing {', '.join(missing)}: `make compose-tools`")
    if not (ROOT / "model_repository" / "encoder" / "config.pbtxt").is_file():
        pytest.skip("no model_repository/: `make model-repository`")
    sys.path.insert(0, str(SCRIPT.parent))
    import local_stack

    out = stack_script("up", timeout=3600)
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-4000:]
    host = local_stack.daemon_host(start=False)
    state = {"host": host, "started_daemon": local_stack.STARTED_MARK.is_file(), "module": local_stack, "down": False,
             "up_output": out.stdout}
    yield state
    if not state["down"]:
        stack_script("down", timeout=600)


def docker(stack, *args: str) -> str:
    return subprocess.run(["docker", "-H", stack["host"], *args], check=True, capture_output=True, text=True).stdout


def image_of(response: httpx.Response) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(response.content)))


def test_up_says_what_runs_where(stack):
    for service, (address, _) in stack["module"].SERVICES.items():
        assert service in stack["up_output"] and address in stack["up_output"]
    assert stack["up_output"].count("healthy") >= 4


def test_both_gateways_encode_decode_and_generate_equal_images(stack):
    body = {"prompt": "a mountain lake at dawn", "seed": 11, "steps": 6, "response_format": "png"}
    images, latents = {}, {}
    for name, url in GATEWAYS.items():
        with httpx.Client(base_url=url, timeout=300) as c:
            r = c.post("/v1/generate", json=body)
            assert r.status_code == 200 and r.headers["content-type"] == "image/png", (name, r.text[:300])
            images[name] = image_of(r)
            r = c.post("/v1/encode", files={"image": ("x.png", png_bytes(96, 128, 1))},
                       headers={"Accept": "application/x-npy"})
            assert r.status_code == 200, (name, r.text[:300])
            latents[name] = np.load(io.BytesIO(r.content))
            r = c.post("/v1/decode", content=npy(latents[name]), headers={"Content-Type": "application/x-npy"})
            assert r.status_code == 200 and image_of(r).shape == (96, 128, 3), (name, r.text[:300])
    a, b = images["gateway"].astype(int), images["gateway-triton"].astype(int)
    assert a.shape == b.shape == (512, 512, 3)
    # The same graphs on the same engine (OpenVINO bfloat16 on CPUs with bfloat16 matrix instructions, else ONNX
    # Runtime float32) in both containers: equal images.
    assert np.array_equal(a, b), f"max {np.abs(a - b).max()} levels apart, mean {np.abs(a - b).mean():.3f}"
    np.testing.assert_allclose(latents["gateway"], latents["gateway-triton"], rtol=0, atol=1e-6)


def test_the_limits_hold_inside_the_running_containers(stack):
    """read-only root, no capabilities, no-new-privileges, the memory limit, a non-root user: read from inside
    each container (its main process' /proc status, its cgroup, a write attempt), not from the YAML."""
    ids = {s: c["id"] for s, c in stack["module"].containers(stack["host"]).items()}
    assert set(ids) == set(COMPOSE["services"])
    for service, cid in ids.items():
        spec = COMPOSE["services"][service]
        status = docker(stack, "exec", cid, "cat", "/proc/1/status")
        fields = dict(line.split(":\t", 1) for line in status.splitlines() if ":\t" in line)
        uids = fields["Uid"].split()
        assert uids[0] != "0" and uids[1] != "0", (service, fields["Uid"])
        assert int(fields["CapEff"], 16) == 0 and int(fields["CapPrm"], 16) == 0, (service, fields["CapEff"])
        assert fields["NoNewPrivs"].strip() == "1", service
        write = subprocess.run(["docker", "-H", stack["host"], "exec", cid, "python3", "-c", "open('/probe', 'w')"],
                               capture_output=True, text=True)
        assert write.returncode != 0 and "Read-only file system" in write.stderr, (service, write.stderr[-300:])
        limit = int(docker(stack, "exec", cid, "cat", "/sys/fs/cgroup/memory/memory.limit_in_bytes").strip()
                    if docker(stack, "exec", cid, "sh", "-c", "test -e /sys/fs/cgroup/memory/memory.limit_in_bytes "
                              "&& echo v1 || echo v2").strip() == "v1"
                    else docker(stack, "exec", cid, "cat", "/sys/fs/cgroup/memory.max").strip())
        expected = {"g": 2**30, "m": 2**20}[spec["mem_limit"][-1]] * int(spec["mem_limit"][:-1])
        assert limit == expected, (service, limit, spec["mem_limit"])
    # Host networking: every port the stack listens on is bound to 127.0.0.1 only.
    listening = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            if state == "0A":  # LISTEN
                address, port = local.split(":")
                listening.add((address, int(port, 16)))
    loopback = {"0100007F",  # 127.0.0.1
                "0000000000000000FFFF00000100007F",  # ::ffff:127.0.0.1 (an IPv6 socket bound to it: gRPC's)
                "00000000000000000000000001000000"}  # ::1
    for port in (8000, 8010, 8020, 8021, 8022, 9090):
        bound = {a for a, p in listening if p == port}
        assert bound and bound <= loopback, (port, bound)  # no wildcard, no other address


def test_a_dead_triton_gives_503_and_the_restart_policy_brings_it_back(stack):
    """Triton's main process killed (as a crash would): the Triton gateway answers 503 with Retry-After while it is
    down, the container restarts by its policy (unless-stopped), and the gateway serves again."""
    module, host = stack["module"], stack["host"]
    before = module.containers(host)["triton"]
    os.kill(before["pid"], signal.SIGKILL)
    statuses, retry_after = [], None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        r = httpx.post(f"{GATEWAYS['gateway-triton']}/v1/encode", files={"image": ("x.png", png_bytes(32, 32, 0))},
                       timeout=60)
        statuses.append(r.status_code)
        if r.status_code == 503:
            retry_after = r.headers.get("retry-after")
            break
        time.sleep(0.2)
    assert 503 in statuses and retry_after is not None and int(retry_after) > 0, statuses[-5:]
    wait_for(lambda: module.containers(host)["triton"]["restarts"] > before["restarts"], "Triton restarted", 60)
    wait_for(lambda: httpx.get(f"{GATEWAYS['gateway-triton']}/health/ready", timeout=30).status_code == 200,
             "the Triton gateway ready again", 300)
    r = httpx.post(f"{GATEWAYS['gateway-triton']}/v1/generate", json={"prompt": "x", "steps": 2, "seed": 1}, timeout=300)
    assert r.status_code == 200, r.text[:300]
    # The outage is in the metrics: the error panels' 5xx series now exist.
    prom = Prometheus(PROMETHEUS)
    wait_for(lambda: bool(prom.query('dcae_request_duration_seconds_count{status=~"5.."}')), "5xx in Prometheus", 30)


def test_prometheus_has_every_target_up_and_the_dashboards_have_data(stack):
    for wave in range(2):  # two waves, so that rate() over the dashboards' window sees counters grow
        for url in GATEWAYS.values():
            seen = traffic(url, wave)
            assert seen["encode"] == seen["decode"] == seen["generate"] == 200, seen
        time.sleep(6)  # a scrape interval (5 s)
    prom = Prometheus(PROMETHEUS)
    targets = httpx.get(f"{PROMETHEUS}/api/v1/targets", timeout=10).json()["data"]["activeTargets"]
    assert {t["scrapeUrl"] for t in targets} == {"http://127.0.0.1:8000/metrics", "http://127.0.0.1:8010/metrics",
                                                 "http://127.0.0.1:8022/metrics"}
    wait_for(lambda: all(float(r["value"][1]) == 1 for r in prom.query("up")) and len(prom.query("up")) == 3,
             "every target up", 60)
    empty, checked = [], 0
    for dashboard, title, ref, expr in queries():
        if metric_names(expr) <= NO_SERIES_HERE:
            continue
        checked += 1
        result = prom.query(substitute(expr))
        if not [r for r in result if math.isfinite(float(r["value"][1]))]:
            empty.append(f"{dashboard} / {title} / {ref}: {expr}")
    assert checked >= 20
    # Every panel has data, the error panels' from the outage of the test above.
    assert not empty, "\n".join(empty)


def test_memory_per_container(stack):
    """What each container holds after the traffic above (for deploy/README.md; asserted against its limit)."""
    stats = docker(stack, "stats", "--no-stream", "--format", "{{json .}}").splitlines()
    used = {}
    for line in stats:
        s = json.loads(line)
        used[s["Name"]] = s["MemUsage"]
    print("\n".join(f"{k}: {v}" for k, v in sorted(used.items())))
    assert len(used) == len(COMPOSE["services"])


def test_down_leaves_no_container_and_stops_its_daemon(stack):
    out = stack_script("down", timeout=600)
    stack["down"] = True
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    if stack["started_daemon"]:
        assert "stopped the Docker daemon" in out.stdout
        assert not stack["module"].STARTED_MARK.exists()
        gone = subprocess.run(["docker", "-H", stack["host"], "version"], capture_output=True, timeout=30)
        assert gone.returncode != 0
    else:  # another daemon's: left running, with none of the stack's containers
        assert not stack["module"].containers(stack["host"])
