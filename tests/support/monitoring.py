"""The deployment's dashboards and Prometheus configuration as the tests read them: every panel's PromQL, the
metric names it uses, the Prometheus adapter's rules."""

from __future__ import annotations

import concurrent.futures
import json
import re
import subprocess
import time
from pathlib import Path

import httpx
import numpy as np
import yaml

from support.served import npy as npy_bytes
from support.served import png_bytes

REPO_ROOT = Path(__file__).resolve().parents[2]
DASHBOARDS = REPO_ROOT / "deploy" / "grafana" / "dashboards"
PROMETHEUS_CONFIG = REPO_ROOT / "deploy" / "prometheus" / "prometheus.yml"
ADAPTER_VALUES = REPO_ROOT / "deploy" / "k8s" / "prometheus-adapter-values.yaml"


# Grafana's built-in variables, as Grafana would expand them for a 5-minute view: the whole scenario
# below fits in the window, so every rate() sees both traffic waves.
GRAFANA_VARIABLES = {"$__rate_interval": "5m", "$__interval": "15s", "$__range": "5m"}


# Triton's GPU metrics (DCGM), which a CPU-only server never exposes. Names and meaning from Triton's
# documentation, docs/user_guide/metrics.md, "GPU Metrics" (Triton 2.51 / NGC 24.10): per GPU,
# labelled gpu_uuid.
TRITON_GPU_METRICS = {
    "nv_gpu_utilization",         # 0.0 - 1.0
    "nv_gpu_memory_total_bytes",
    "nv_gpu_memory_used_bytes",
    "nv_gpu_power_usage",         # W
    "nv_gpu_power_limit",         # W
    "nv_energy_consumption",      # J since Triton started
}
PROMQL_KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless",
                   "offset", "inf", "nan"}


def dashboards() -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text()) for p in sorted(DASHBOARDS.glob("*.json"))}


def panels(dashboard: dict) -> list[dict]:
    """Every non-row panel, rows' nested panels included."""
    out = []
    for panel in dashboard.get("panels", []):
        if panel.get("type") == "row":
            out += panel.get("panels", [])
        else:
            out.append(panel)
    return out


def queries() -> list[tuple[str, str, str, str]]:
    """(dashboard, panel title, refId, expr) of every target of every dashboard."""
    return [(name, p["title"], t["refId"], t["expr"])
            for name, d in dashboards().items() for p in panels(d) for t in p.get("targets", [])]


def substitute(expr: str) -> str:
    for var, value in GRAFANA_VARIABLES.items():
        expr = expr.replace(var, value)
    assert "$" not in expr, f"unknown Grafana variable in {expr!r}"
    return expr


def metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression selects: identifiers that are not functions, keywords,
    label names (inside {...} or by/without/on/ignoring (...)), strings, durations or numbers."""
    s = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'', '""', expr)  # strings
    s = re.sub(r"\{[^}]*\}", " ", s)  # label matchers
    s = re.sub(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", s)  # label lists
    s = re.sub(r"\[[^\]]*\]", " ", s)  # range and subquery durations
    s = re.sub(r"\boffset\s+-?(?:\d+(?:ms|[smhdwy]))+|@\s*[\w.()]+", " ", s)  # offset 5m, @ end()
    s = re.sub(r"(?<![\w:])\d+(?:\.\d+)?(?:e[+-]?\d+)?", " ", s)  # numbers
    names = set()
    for m in re.finditer(r"[A-Za-z_:][\w:]*", s):
        rest = s[m.end():].lstrip()
        if rest.startswith("(") or m.group().lower() in PROMQL_KEYWORDS:
            continue  # a function call or a keyword
        names.add(m.group())
    return names


def exposition_names(text: str) -> set[str]:
    """Sample names in a Prometheus text exposition (histograms as _bucket/_sum/_count)."""
    return {re.split(r"[{ ]", line, maxsplit=1)[0] for line in text.splitlines() if line and not line.startswith("#")}


def adapter_rules() -> list[dict]:
    return yaml.safe_load(ADAPTER_VALUES.read_text())["rules"]["custom"]


def adapter_query(rule: dict, group_by: str = "instance") -> str:
    """A prometheus-adapter metricsQuery as the adapter would send it, for one group of series."""
    series = re.match(r"\s*([A-Za-z_:][\w:]*)", rule["seriesQuery"]).group(1)
    return (rule["metricsQuery"].replace("<<.Series>>", series)
            .replace("<<.LabelMatchers>>", 'job=~".+"').replace("<<.GroupBy>>", group_by))


def wait_for(check, what: str, timeout_s: float = 60.0, proc: subprocess.Popen | None = None, log: Path | None = None):
    """Poll `check()` until it returns a truthy value (bounded); fail naming `what`."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what}: the process exited with {proc.returncode}:\n"
                               + (log.read_text(errors="replace")[-3000:] if log else ""))
        try:
            value = check()
            if value:
                return value
        except (httpx.HTTPError, OSError, KeyError, ValueError, subprocess.SubprocessError):
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{what}: not within {timeout_s:.0f} s" + (
        "\n" + log.read_text(errors="replace")[-3000:] if log and log.exists() else ""))


class Prometheus:
    def __init__(self, url: str) -> None:
        self.url = url

    def query(self, expr: str, at: float | None = None) -> list[dict]:
        """An instant query, evaluated now or at Unix time `at`."""
        params = {"query": expr} if at is None else {"query": expr, "time": f"{at:.3f}"}
        r = httpx.get(f"{self.url}/api/v1/query", params=params, timeout=10)
        body = r.json()
        assert r.status_code == 200 and body["status"] == "success", f"{expr}: {body}"
        assert body["data"]["resultType"] == "vector", expr
        return body["data"]["result"]

    def wait_scraped(self, after: float, jobs: tuple[str, ...]) -> None:
        """Until every target of `jobs` has been scraped successfully by a scrape begun after time `after`
        (the end of the traffic): a scrape begun during the traffic misses the requests after it, and a
        failed one (past the 1-s scrape timeout, on a busy machine) stores no samples at all. rate() over
        the dashboards' window needs a sample before and after each wave."""
        selector = "|".join(jobs)

        def done() -> bool:
            # The times first: the `up` read after them is of the same scrape or a later one.
            times = {r["metric"]["instance"]: float(r["value"][1])
                     for r in self.query(f'timestamp(up{{job=~"{selector}"}})')}
            ups = {r["metric"]["instance"]: float(r["value"][1]) for r in self.query(f'up{{job=~"{selector}"}}')}
            return bool(times) and times.keys() == ups.keys() and all(
                t > after and ups[instance] == 1 for instance, t in times.items())

        wait_for(done, f"a scrape of {jobs} after the traffic", 30)


def traffic(url: str, wave: int) -> dict[str, int]:
    """Real requests to every API endpoint, a few concurrent, and some the gateway must refuse: {what: status}."""
    z = np.random.default_rng(wave).standard_normal((1, 32, 2, 3)).astype(np.float32)
    seen = {}
    with httpx.Client(base_url=url, timeout=120) as c:
        seen["encode"] = c.post("/v1/encode", files={"image": ("x.png", png_bytes(64, 96, wave))}).status_code
        seen["decode"] = c.post("/v1/decode", content=npy_bytes(z), headers={"Content-Type": "application/x-npy"}).status_code
        seen["generate"] = c.post("/v1/generate", json={"prompt": "green hills under clouds", "n": 2, "steps": 3,
                                                         "seed": wave}).status_code
        seen["models"] = c.get("/v1/models").status_code
        seen["bad steps"] = c.post("/v1/generate", json={"prompt": "x", "steps": 0}).status_code
        seen["bad type"] = c.post("/v1/encode", content=b"x", headers={"Content-Type": "text/plain"}).status_code

    def decode(i: int) -> int:
        zi = np.random.default_rng(100 + i).standard_normal((1, 32, 2, 2)).astype(np.float32)
        return httpx.post(f"{url}/v1/decode", content=npy_bytes(zi), headers={"Content-Type": "application/x-npy"},
                          timeout=60).status_code

    with concurrent.futures.ThreadPoolExecutor(6) as pool:  # concurrent: micro-batches, a queue
        seen["concurrent decodes"] = max(pool.map(decode, range(6)))
    return seen
