"""The threat-model figures of docs/security.md: each attack of tests/service/test_hardening.py (part `first`) and
tests/service/test_hostile_clients.py (part `second`: OpenAI's routes, streams, image-to-image, pages) at full size, against
a real gateway (`python -m service` on 127.0.0.1 over the shipped model repository, default settings except a 10 s
body timeout so the slow-sender attack ends in a minute, and two places per endpoint for the unread streams).
Prints one JSON object.

    python scripts/threat_model.py [--repository model_repository] [--part first|second|both]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import io
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
from served import count, free_port, wait_live  # noqa: E402
from test_hardening import jpeg_with_repeated_scans, npy_with_header, tiff_with_directories  # noqa: E402


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def metric(url: str, prefix: str) -> float:
    return count(httpx.get(f"{url}/metrics").text, prefix)


def timed(fn):
    t0 = time.perf_counter()
    r = fn()
    return r, round(time.perf_counter() - t0, 3)


def liveness_during(url: str, fn) -> tuple[object, float]:
    """fn()'s result and the slowest /health/live answer while it ran (polled every 50 ms)."""
    worst, done = [0.0], threading.Event()

    def poll():
        while not done.is_set():
            t0 = time.perf_counter()
            httpx.get(f"{url}/health/live", timeout=30)
            worst[0] = max(worst[0], time.perf_counter() - t0)
            time.sleep(0.05)

    t = threading.Thread(target=poll)
    t.start()
    try:
        result = fn()
    finally:
        done.set()
        t.join()
    return result, round(worst[0], 3)


def start(repository: str, **settings: str) -> tuple[subprocess.Popen, str, int]:
    port = free_port()
    env = {**os.environ, "DCAE_MODEL_REPOSITORY": repository, **settings}
    log = tempfile.NamedTemporaryFile(prefix="threat_model-", suffix=".log", delete=False)  # the gateway's log
    proc = subprocess.Popen([sys.executable, "-m", "service", "--host", "127.0.0.1", "--port", str(port)], env=env,
                            stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    log.close()
    url = f"http://127.0.0.1:{port}"
    assert wait_live(proc, url, 120, lambda: "")
    httpx.get(f"{url}/health/ready", timeout=120)
    return proc, url, port


def second(repository: str) -> dict:
    """The attacks on the surfaces added later, as tests/service/test_hostile_clients.py makes them, at full size."""
    from test_hostile_clients import strip_png, unread_stream

    out: dict = {}
    proc, url, port = start(repository, DCAE_MAX_QUEUE="2")
    try:
        bomb = ("{" + ",".join(f'"k{i}":0' for i in range(2_600_000)) + "}").encode()
        for path, ctype in (("/v1/images/generations", "text/plain"), ("/v1/generate", "Application/JSON")):
            (r, s), worst = liveness_during(url, lambda: timed(lambda: httpx.post(
                f"{url}{path}", content=bomb, headers={"Content-Type": ctype}, timeout=600)))
            out[f"json_2.6M_keys_as_{ctype}"] = {"path": path, "bytes": len(bomb), "status": r.status_code,
                                                 "seconds": s, "slowest_live_probe_seconds": worst}
        for h, w in ((64, 262144), (128, 131072), (1, 4096 * 4096)):
            rss, cpu = peak_rss_mib(proc.pid), cpu_seconds(proc.pid)
            (r, s), worst = liveness_during(url, lambda: timed(lambda: httpx.post(
                f"{url}/v1/images/edits", files={"image": ("s.png", strip_png(h, w), "image/png")},
                data={"prompt": "a lake", "steps": "2", "seed": "1"}, timeout=600)))
            out[f"edit_start_image_{h}x{w}"] = {"status": r.status_code, "seconds": s, "slowest_live_probe_seconds": worst,
                                                "gateway_cpu_seconds": round(cpu_seconds(proc.pid) - cpu, 2),
                                                "peak_rss_mib_before": round(rss), "after": round(peak_rss_mib(proc.pid))}
        decoys = b"\r\n--Bx" * (31 * 2**20 // 6)
        body = (b"--B\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n"
                b"Content-Type: image/png\r\n\r\n" + decoys + b"\r\n--B--\r\n")
        for path in ("/v1/images/edits", "/v1/encode"):
            (r, s), worst = liveness_during(url, lambda: timed(lambda: httpx.post(
                f"{url}{path}", content=body, headers={"Content-Type": "multipart/form-data; boundary=B"}, timeout=600)))
            out[f"multipart_decoys_31MiB_{path}"] = {"status": r.status_code, "seconds": s,
                                                     "slowest_live_probe_seconds": worst}
        stream = json.dumps({"prompt": "a lake", "n": 8, "stream": True, "partial_images": 3, "progress": True}).encode()
        socks = [unread_stream(port, stream) for _ in range(2)]
        t0, statuses = time.perf_counter(), []
        while time.perf_counter() - t0 < 300:
            statuses.append(httpx.post(f"{url}/v1/generate", json={"prompt": "a lake", "steps": 2}, timeout=300).status_code)
            if statuses[-1] != 503:
                break
            time.sleep(1)
        for s_ in socks:
            s_.close()
        out["two_unread_n8_streams_max_queue_2"] = {
            "generate_answered_after_seconds": round(time.perf_counter() - t0, 1), "status": statuses[-1],
            "refused_before": statuses.count(503),
            "client_stalled": metric(url, 'dcae_requests_cancelled_total{reason="client_stalled"}')}
        odd = {"nested_3000": (b"[" * 3000 + b"]" * 3000, None), "size_superscript": (None, "\u00b2x\u00b2"),
               "size_0x512": (None, "0x512"), "size_0x0": (None, "0x0")}
        out["inputs_that_were_500"] = {
            k: httpx.post(f"{url}/v1/images/generations", content=raw, headers={"Content-Type": "application/json"}
                          ).status_code if raw else
            httpx.post(f"{url}/v1/images/generations", json={"prompt": "a lake", "size": size}).status_code
            for k, (raw, size) in odd.items()}
        r = httpx.get(f"{url}/static", headers={"Host": "attacker.example"})
        out["static_forged_host"] = {"status": r.status_code, "location": r.headers.get("location")}
        out["page_headers"] = {k: httpx.get(f"{url}/").headers.get(k) for k in (
            "content-security-policy", "x-content-type-options", "x-frame-options", "referrer-policy")}
        for name, body_ in (("default", {"prompt": "a lake", "seed": 1}),
                            ("largest", {"prompt": "a lake", "seed": 1, "n": 8, "steps": 100, "stream": True,
                                         "partial_images": 3})):
            cpu = cpu_seconds(proc.pid)
            r, s = timed(lambda: httpx.post(f"{url}/v1/images/generations", json=body_, timeout=900))
            out[f"cost_{name}_request"] = {"status": r.status_code, "seconds": s,
                                           "gateway_cpu_seconds": round(cpu_seconds(proc.pid) - cpu, 1)}
        out["gateway_peak_rss_mib"] = round(peak_rss_mib(proc.pid))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repository", default=str(ROOT / "model_repository"))
    parser.add_argument("--part", choices=("first", "second", "both"), default="both")
    args = parser.parse_args()
    if args.part == "second":
        print(json.dumps(second(args.repository), indent=1))
        return 0
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DCAE_MODEL_REPOSITORY": args.repository, "DCAE_BODY_TIMEOUT_SECONDS": "10"}
    log = tempfile.NamedTemporaryFile(prefix="threat_model-", suffix=".log", delete=False)  # the gateway's log
    proc = subprocess.Popen([sys.executable, "-m", "service", "--host", "127.0.0.1", "--port", str(port)], env=env,
                            stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    out = {}
    try:
        assert wait_live(proc, url, 120, lambda: "")
        httpx.get(f"{url}/health/ready", timeout=120)

        size0 = len(httpx.get(f"{url}/metrics").content)
        for i in range(1000):
            httpx.request(f"M{i:04d}" + "Q" * 8000, f"{url}/v1/encode")
        out["unique_methods_1000x8kB"] = {"metrics_bytes_before": size0,
                                          "metrics_bytes_after": len(httpx.get(f"{url}/metrics").content)}

        for name, data in (("jpeg_20000_scans_2048px", jpeg_with_repeated_scans(20_000)),
                           ("tiff_20000_directories", tiff_with_directories(20_000))):
            cpu = cpu_seconds(proc.pid)
            r, s = timed(lambda: httpx.post(f"{url}/v1/encode", files={"image": ("x", data)}, timeout=600))
            out[name] = {"bytes": len(data), "status": r.status_code, "seconds": s,
                         "gateway_cpu_seconds": round(cpu_seconds(proc.pid) - cpu, 2)}

        bomb = ("{" + ",".join(f'"k{i}":0' for i in range(2_600_000)) + "}").encode()
        (r, s), worst = liveness_during(url, lambda: timed(lambda: httpx.post(
            f"{url}/v1/generate", content=bomb, headers={"Content-Type": "application/json"}, timeout=600)))
        out["json_2.6M_keys"] = {"bytes": len(bomb), "status": r.status_code, "seconds": s,
                                 "slowest_live_probe_seconds": worst}

        grey16 = Image.fromarray(np.zeros((4096, 4096), np.uint16))
        buf = io.BytesIO()
        grey16.save(buf, "PNG")
        rss0 = peak_rss_mib(proc.pid)
        r, s = timed(lambda: httpx.post(f"{url}/v1/encode", files={"image": ("x.png", buf.getvalue())}, timeout=900))
        out["png_16bit_4096px"] = {"bytes": len(buf.getvalue()), "status": r.status_code, "seconds": s,
                                   "tiled": r.json().get("tiled") if r.status_code == 200 else None,
                                   "gateway_peak_rss_mib_before": round(rss0), "after": round(peak_rss_mib(proc.pid))}

        head = (b"POST /v1/encode HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
        socks = []
        for _ in range(32):
            s_ = socket.create_connection(("127.0.0.1", port), timeout=30)
            s_.sendall(head + b"{")
            socks.append(s_)
        small = io.BytesIO()
        Image.new("RGB", (64, 64), (10, 20, 30)).save(small, "PNG")
        r, s = timed(lambda: httpx.post(f"{url}/v1/encode", files={"image": ("s.png", small.getvalue())}))
        t0 = time.perf_counter()
        answers = []
        for s_ in socks:
            try:
                s_.sendall(b" ")
                answers.append(s_.recv(64).split(b" ")[1].decode())
            except OSError as e:
                answers.append(type(e).__name__)
            s_.close()
        out["slow_senders_32"] = {"encode_meanwhile": r.status_code, "encode_seconds": s,
                                  "slow_ones_answered": sorted(set(answers)),
                                  "within_seconds_of_each_other": round(time.perf_counter() - t0, 1)}

        checks = 'dcae_stage_duration_seconds_count{stage="decoder"}'
        time.sleep(2.5)  # the readiness cache (2 s) expired
        before = metric(url, checks)
        with concurrent.futures.ThreadPoolExecutor(60) as pool:
            statuses, s = timed(lambda: list(pool.map(
                lambda _: httpx.get(f"{url}/health/ready", timeout=60).status_code, range(60))))
        out["readiness_60_concurrent"] = {"statuses": sorted(set(statuses)), "seconds": s,
                                          "checks_run": metric(url, checks) - before}

        npys = {"negative dims": npy_with_header("'<f4'", "(-2, -2)", bytes(16)),
                "huge beside zero": npy_with_header("'<f4'", "(0, 100000000000000000000)"),
                "sub-array dtype": npy_with_header("('<f4', (2,))", "(1, 4, 1, 1)", bytes(32))}
        out["crafted_npy"] = {k: httpx.post(f"{url}/v1/decode", content=v, headers={"Content-Type": "application/x-npy"}
                                            ).status_code for k, v in npys.items()}
        with socket.create_connection(("127.0.0.1", port)) as s_:
            s_.sendall(b"POST /v1/encode HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                       b"Content-Length: 100000\r\n\r\n--b\r\n")
            time.sleep(0.3)
        time.sleep(0.5)
        out["left_mid_upload"] = {s: metric(url, f'dcae_request_duration_seconds_count{{endpoint="/v1/encode",'
                                                  f'method="POST",status="{s}"}}') for s in ("499", "500")}
        out["server_header"] = httpx.get(f"{url}/health/live").headers.get("server")
        r = httpx.get(f"{url}/v1/models/", headers={"Host": "attacker.example"})
        out["trailing_slash_host"] = {"status": r.status_code, "location": r.headers.get("location")}
        out["gateway_peak_rss_mib"] = round(peak_rss_mib(proc.pid))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
    if args.part == "both":
        out["second"] = second(args.repository)
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
