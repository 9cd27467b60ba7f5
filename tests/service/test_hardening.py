"""Hostile clients on loopback, each attack reproduced against a real gateway (`python -m service` over the
tiny repository): what each used to cost, and the answer it gets now. docs/security.md's "Threat model" lists
them with their defences."""

from __future__ import annotations

import concurrent.futures
import hashlib
import json
import socket
import struct
import subprocess
import sys
import time
from pathlib import Path

import httpx
import numpy as np
import pytest
from PIL import Image

from support.served import npy, png_bytes
from support.gateway import ADMIN_KEY, Gateway, assert_error, saved, sha256, wait_until


@pytest.fixture(scope="module")
def hardened(tiny_repository, tmp_path_factory):
    """Small limits that the attacks can reach in a test's time: 2 places per endpoint, bodies in 2 s,
    40 connections, a 64 x 64 untiled limit."""
    env = {"DCAE_MODEL_REPOSITORY": str(tiny_repository), "DCAE_MAX_QUEUE": "2", "DCAE_BODY_TIMEOUT_SECONDS": "2",
           "DCAE_MAX_CONNECTIONS": "40", "DCAE_HEADER_TIMEOUT_SECONDS": "3", "DCAE_MAX_UNTILED_PIXELS": str(64 * 64), "DCAE_READINESS_TTL_SECONDS": "30"}
    g = Gateway(env, tmp_path_factory.mktemp("hardened") / "gateway.log").start()
    yield g
    g.stop()


def raw_request(port: int, head: bytes, body: bytes = b"", timeout: float = 10) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(head + body)
        chunks = []
        while True:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)


def test_client_chosen_methods_never_become_metric_labels(hardened):
    """Each unique method name used to add a metrics series: 1,000 of 8 kB grew /metrics to 154 MB."""
    before = len(httpx.get(f"{hardened.url}/metrics").content)
    for i in range(50):
        r = httpx.request(f"X{i:04d}" + "Q" * 2000, f"{hardened.url}/v1/encode")
        assert r.status_code in (400, 405)
    text = httpx.get(f"{hardened.url}/metrics").text
    assert "QQQQ" not in text and 'method="other"' in text
    assert len(text) - before < 20_000  # one new series (method="other"), not fifty


def test_a_trailing_slash_is_routed_not_redirected_to_the_host_header(hardened):
    r = httpx.get(f"{hardened.url}/v1/models/", headers={"Host": "attacker.example"}, follow_redirects=False)
    assert r.status_code == 200 and "location" not in r.headers
    assert "server" not in r.headers  # no `server: uvicorn`


def jpeg_with_repeated_scans(copies: int, side: int = 2048) -> bytes:
    """A progressive JPEG whose last scan (a few bytes) is repeated: each copy makes the decoder walk the
    whole image again. 2,000 copies at 2048 px: 57 kB, 4.5 s of Pillow's time here; 20,000: ten times that."""
    data = saved(Image.new("RGB", (side, side), (120, 130, 140)), "JPEG", progressive=True, quality=90)
    last_scan = data.rfind(b"\xff\xda")
    return data[:last_scan] + data[last_scan:-2] * copies + b"\xff\xd9"


def tiff_with_directories(count: int) -> bytes:
    """A little-endian TIFF of `count` chained 1 x 1 image directories (Pillow walks them quadratically)."""
    entries = [(256, 3, 1, 1), (257, 3, 1, 1), (258, 3, 1, 8), (259, 3, 1, 1), (262, 3, 1, 1), (273, 4, 1, 8),
               (277, 3, 1, 1), (278, 3, 1, 1), (279, 4, 1, 1)]  # 1 x 1, 8-bit grey, strip at byte 8
    ifd_size = 2 + 12 * len(entries) + 4
    out = bytearray(b"II*\x00" + struct.pack("<I", 9) + b"\x80")
    for i in range(count):
        offset = 9 + i * ifd_size
        following = offset + ifd_size if i < count - 1 else 0
        out += struct.pack("<H", len(entries))
        for tag, kind, n, value in entries:
            out += struct.pack("<HHII", tag, kind, n, value)
        out += struct.pack("<I", following)
    return bytes(out)


def test_structure_bombs_are_refused_before_decoding(hardened):
    """A 2 MB progressive JPEG repeating one scan 125,000 times cost 37 s of CPU; TIFFs with many image
    directories were quadratic. Both are refused from a count of their markers."""
    url = f"{hardened.url}/v1/encode"
    cpu = hardened.cpu_seconds()
    err = assert_error(httpx.post(url, files={"image": ("x.jpg", jpeg_with_repeated_scans(20_000))}, timeout=60),
                       422, "invalid_image")
    assert "scans; at most 64" in err["message"]
    err = assert_error(httpx.post(url, files={"image": ("x.tif", tiff_with_directories(20_000))}, timeout=60),
                       422, "invalid_image")
    assert "multi-frame" in err["message"]
    assert hardened.cpu_seconds() - cpu < 5  # refused without decoding (the scans alone cost minutes)
    rgb = Image.fromarray(np.random.default_rng(0).integers(0, 256, (64, 64, 3), dtype=np.uint8))
    ok = saved(rgb, "JPEG", progressive=True, quality=90)
    assert httpx.post(url, files={"image": ("ok.jpg", ok)}).status_code == 200  # ordinary progressive JPEGs pass


def test_a_decode_outliving_its_request_is_stopped(tiny_repository, tmp_path):
    """The decode ran on in a thread after its 504 (35 s of CPU after the client left). Now its worker
    process is stopped and replaced, and the gateway goes on serving."""
    g = Gateway({"DCAE_MODEL_REPOSITORY": str(tiny_repository), "DCAE_REQUEST_TIMEOUT_SECONDS": "0.2",
                 "DCAE_IMAGE_DECODE_WORKERS": "1"}, tmp_path / "gateway.log").start()
    try:
        def workers() -> list[str]:
            return subprocess.run(["pgrep", "-f", "-P", str(g.process.pid), "spawn_main"], capture_output=True,
                                  text=True).stdout.split()

        def encoded_small() -> bool:
            return httpx.post(f"{g.url}/v1/encode", files={"image": ("s.png", png_bytes(32, 32))}).status_code == 200

        # First the worker's readiness (its imports): a decode that is still waiting for a worker at the
        # deadline costs nothing, and would test nothing.
        wait_until(encoded_small, 20, "a first encode within the 0.2 s deadline")
        (first,), replaced = workers(), g.metric("dcae_image_decode_workers_replaced_total")
        slow = jpeg_with_repeated_scans(55, 4096)  # 64 scans, at the limit: 0.6 s of decoding here
        assert_error(httpx.post(f"{g.url}/v1/encode", files={"image": ("slow.jpg", slow)}, timeout=60), 504,
                     "deadline_exceeded")
        wait_until(lambda: g.metric("dcae_image_decode_workers_replaced_total") >= replaced + 1, 10,
                   "the worker replaced")
        (second,) = wait_until(workers, 10, "a new worker")
        assert second != first and not Path(f"/proc/{first}").exists()  # the decode stopped with its worker
        wait_until(encoded_small, 20, "an encode within the 0.2 s deadline, by the new worker")
    finally:
        g.stop()


def test_large_images_are_tiled_whatever_the_request_says(hardened):
    """A 4096 x 4096 PNG of 32 kB (legal under the pixel cap) took 7.5 GB encoded in one call."""
    image = saved(Image.new("RGB", (128, 96)), "PNG")  # over this gateway's 64 x 64 untiled limit
    r = httpx.post(f"{hardened.url}/v1/encode", files={"image": ("x.png", image)}, data={"tile": "false"})
    assert r.status_code == 200 and r.json()["tiled"] is True
    r = httpx.post(f"{hardened.url}/v1/encode", files={"image": ("x.png", image)}, headers={"Accept": "application/x-npy"})
    assert r.headers["x-tiled"] == "true"
    small = httpx.post(f"{hardened.url}/v1/encode", files={"image": ("s.png", png_bytes(32, 32))})
    assert small.json()["tiled"] is False


def test_slow_senders_hold_no_place_in_the_queue(hardened):
    """32 connections sending a byte every 5 s locked /v1/encode out (503) until the 300 s deadline.
    Bodies are read before admission: the endpoint serves meanwhile, and the slow ones get 408."""
    head = (b"POST /v1/encode HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 1000\r\n\r\n")
    socks = []
    for _ in range(3):  # more than DCAE_MAX_QUEUE = 2
        s = socket.create_connection(("127.0.0.1", hardened.port), timeout=10)
        s.sendall(head + b"{")
        socks.append(s)
    try:
        r = httpx.post(f"{hardened.url}/v1/encode", files={"image": ("s.png", png_bytes(32, 32))})
        assert r.status_code == 200  # not 503: the trickling bodies hold no place
        for s in socks:  # each answered at its body timeout, whatever else it sends
            answer = b""
            while b"request_timeout" not in answer:
                chunk = s.recv(4096)
                assert chunk, answer
                answer += chunk
            assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
    finally:
        for s in socks:
            s.close()
    assert hardened.metric('dcae_requests_rejected_total{reason="body_timeout"}') >= 3


def test_connections_beyond_the_limit_are_refused(hardened):
    """uvicorn ran without a connection limit: idle or half-sent connections stayed open indefinitely."""
    socks = [socket.create_connection(("127.0.0.1", hardened.port), timeout=10) for _ in range(40)]
    try:
        for s in socks:
            s.sendall(b"GET /health/live HTTP/1.1\r\nHost: x\r\n")  # headers never finished
        wait_until(lambda: httpx.get(f"{hardened.url}/health/live").status_code == 503, 10, "the connection limit")
    finally:
        for s in socks:
            s.close()
    wait_until(lambda: httpx.get(f"{hardened.url}/health/live").status_code == 200, 10, "connections freed")


def test_half_sent_request_heads_are_closed(hardened):
    """A connection sending half a request line stayed open for ever (uvicorn has no header timeout)."""
    with socket.create_connection(("127.0.0.1", hardened.port), timeout=20) as s:
        s.sendall(b"GET /health/li")
        assert s.recv(1024) == b""  # closed by the gateway (DCAE_HEADER_TIMEOUT_SECONDS = 3), not a 20 s timeout
    with socket.create_connection(("127.0.0.1", hardened.port), timeout=20) as s:  # after a response too
        s.sendall(b"GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = b""
        while not answer.endswith(b'{"status":"ok"}'):
            answer += s.recv(4096)
        assert answer.startswith(b"HTTP/1.1 200")
        s.sendall(b"GET /health/li")
        assert s.recv(1024) == b""


def test_a_readiness_stampede_costs_one_check(hardened):
    """60 concurrent probes ran 60 full checks (encoder, decoder, a DiT step); now they share one."""
    checks = 'dcae_stage_duration_seconds_count{stage="decoder"}'
    time.sleep(0.1)
    before = hardened.metric(checks)
    with concurrent.futures.ThreadPoolExecutor(30) as pool:
        statuses = list(pool.map(lambda _: httpx.get(f"{hardened.url}/health/ready", timeout=60).status_code,
                                 range(30)))
    assert statuses == [200] * 30
    assert hardened.metric(checks) - before <= 1  # one check, or none while a recent one is cached


def test_json_bodies_with_millions_of_members_are_refused_unparsed(hardened):
    """A 32 MB JSON body of 2.6 M ignored keys stalled the event loop 3.4 s (the k8s liveness timeout is 3 s)."""
    bomb = json.dumps({f"k{i}": 0 for i in range(300_000)}).encode()
    r = httpx.post(f"{hardened.url}/v1/generate", content=bomb, headers={"Content-Type": "application/json"},
                   timeout=60)
    err = assert_error(r, 422, "invalid_request")
    assert "DCAE_MAX_JSON_MEMBERS" in err["message"]
    deep = b"[" * 200_000 + b"]" * 200_000
    assert_error(httpx.post(f"{hardened.url}/v1/generate", content=deep, headers={"Content-Type": "application/json"}),
                 422, "invalid_request")


def npy_with_header(descr: str, shape: str, data: bytes = b"") -> bytes:
    header = f"{{'descr': {descr}, 'fortran_order': False, 'shape': {shape}, }}".encode()
    header += b" " * (63 - (10 + len(header)) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header + data


@pytest.mark.parametrize("descr,shape,data", [
    ("'<f4'", "(-2, -2)", bytes(16)),            # negative dimensions whose product is positive
    ("'<f4'", "(0, 100000000000000000000)", b""),  # a huge dimension beside a zero: no data, no array
    ("('<f4', (2,))", "(1, 4, 1, 1)", bytes(32)),  # a sub-array dtype
    ("[('a', '<f4')]", "(1, 1, 1, 1)", bytes(4)),  # a structured dtype
    ("'<c8'", "(1, 1, 1, 1)", bytes(8)),          # complex numbers
])
def test_crafted_npy_headers_get_422(hardened, descr, shape, data):
    """These answered 500 (docs/security.md says a 500 never comes from input)."""
    r = httpx.post(f"{hardened.url}/v1/decode", content=npy_with_header(descr, shape, data),
                   headers={"Content-Type": "application/x-npy"})
    assert_error(r, 422, "invalid_latent", "latent")


def test_a_client_leaving_mid_upload_is_a_499_not_a_500(hardened):
    """It was counted as a 500, with two tracebacks in the log."""
    errors = 'dcae_request_duration_seconds_count{endpoint="/v1/encode",method="POST",status="500"}'
    left = 'dcae_request_duration_seconds_count{endpoint="/v1/encode",method="POST",status="499"}'
    before_500, before_499 = hardened.metric(errors), hardened.metric(left)
    with socket.create_connection(("127.0.0.1", hardened.port)) as s:
        s.sendall(b"POST /v1/encode HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                  b"Content-Length: 100000\r\n\r\n--b\r\n")
        time.sleep(0.3)
    wait_until(lambda: hardened.metric(left) > before_499, 10, "the departure counted")
    assert hardened.metric(errors) == before_500
    assert "Traceback" not in hardened.log()


def test_keys_outside_printable_ascii_are_refused_by_the_hash_tool():
    """A non-ASCII key could never authenticate (clients send header values as ASCII) and the tool
    hashed it silently."""
    run = subprocess.run([sys.executable, "-m", "service.security", "hash"], input="clé-secrète\n",
                         capture_output=True, text=True)
    assert run.returncode == 1 and "printable ASCII" in run.stderr and not run.stdout
    run = subprocess.run([sys.executable, "-m", "service.security", "hash"], input="plain-key-1\n",
                         capture_output=True, text=True)
    assert run.stdout.strip() == hashlib.sha256(b"plain-key-1").hexdigest()


def test_metrics_need_a_key_when_authentication_is_on(tiny_repository, tmp_path):
    """With keys configured, /metrics (process and traffic details) was public."""
    g = Gateway({"DCAE_MODEL_REPOSITORY": str(tiny_repository), "DCAE_API_KEYS": f"admin:{sha256(ADMIN_KEY)}:*"},
                tmp_path / "gateway.log").start()
    try:
        assert_error(httpx.get(f"{g.url}/metrics"), 401, "unauthorized")
        assert httpx.get(f"{g.url}/metrics", headers={"X-API-Key": ADMIN_KEY}).status_code == 200
        assert httpx.get(f"{g.url}/health/ready").status_code == 200  # probes stay public
    finally:
        g.stop()


def test_the_gateway_keeps_serving_after_the_attacks(hardened):
    z = npy(np.zeros((1, 32, 1, 1), np.float32))
    assert httpx.post(f"{hardened.url}/v1/decode", content=z, headers={"Content-Type": "application/x-npy"}
                      ).status_code == 200
    assert "Traceback" not in hardened.log()
