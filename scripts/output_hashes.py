"""Hashes of the shipped models' outputs, for checking that a change leaves them bit-identical.

Every number that a user can get out of the shipped models, for fixed inputs and seeds, through the public
surfaces only (the `dcae` command and the HTTP API), so that the same script runs before and after a refactor:

- `dcae encode` (whole and tiled), `dcae decode` and `dcae generate` (with and without a negative prompt), in
  float32 and in bfloat16 (`--precision`);
- the gateway's /v1/encode (whole and tiled), /v1/decode and /v1/generate (guided, negative prompt,
  image-to-image) on the embedded runtime with ONNX Runtime and with OpenVINO, on the torch runtime, and on
  the Triton runtime in front of a real tritonserver (the CPU python-backend repository exported from the
  shipped generator), with the sampling loop in the gateway and in Triton's generate model.

    python scripts/output_hashes.py -o before.json      # then change the code, and
    python scripts/output_hashes.py -o after.json
    diff before.json after.json                          # nothing: bit-identical

Needs the model repository (`make model-repository`) and the Triton environment (`make triton-env`).
About 5 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
AE, GEN, REPO = ROOT / "weights/dc-ae-f32c32-small", ROOT / "weights/dit-mini-wallpapers", ROOT / "model_repository"
PROMPT, NEGATIVE = "a mountain lake at dawn", "blurry"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def array_digest(path: Path) -> str:
    if path.suffix == ".npy":
        a = np.load(path)
        return digest(a.tobytes() + str((a.shape, a.dtype)).encode())
    return digest(np.asarray(Image.open(path)).tobytes())


def test_image(folder: Path) -> Path:
    """A 200x152 crop of the first calibration image (not a multiple of the compression: padding is exercised)."""
    source = sorted((AE / "calibration").iterdir())[0]
    out = folder / "input.png"
    Image.open(source).convert("RGB").crop((0, 0, 200, 152)).save(out)
    Image.open(source).convert("RGB").resize((1100, 700), Image.BICUBIC).save(folder / "big.png")
    return out


def cli(folder: Path, image: Path) -> dict:
    results = {}

    def run(*args: str) -> None:
        subprocess.run([str(BIN / "dcae"), *args], check=True, capture_output=True, cwd=ROOT)

    for precision in ("float32", "bfloat16"):
        env_tag = f"cli/{precision}"
        for tile in (False, True):
            z = folder / f"z-{precision}-{tile}.npy"
            run("encode", str(image), "--model", str(AE), "-o", str(z), "--precision", precision,
                *(["--tile", "--tile-size", "128", "--tile-overlap", "32"] if tile else []))
            results[f"{env_tag}/encode{'-tiled' if tile else ''}"] = array_digest(z)
        decoded = folder / f"d-{precision}.png"
        run("decode", str(folder / f"z-{precision}-False.npy"), "--model", str(AE), "-o", str(decoded),
            "--precision", precision)
        results[f"{env_tag}/decode"] = array_digest(decoded)
        for name, extra in (("generate", []), ("generate-negative", ["--negative-prompt", NEGATIVE])):
            out = folder / f"g-{precision}-{name}.png"
            run("generate", "--model", str(GEN), "--prompt", PROMPT, "-n", "2", "--seed", "7", "--steps", "6",
                "-o", str(out), "--precision", precision, *extra)
            for i in range(2):
                results[f"{env_tag}/{name}/{i}"] = array_digest(out.with_name(f"{out.stem}_{i}.png"))
    return results


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(port: int, path: str, body: dict) -> dict:
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json", "Accept": "application/json"})
    with urllib.request.urlopen(req, timeout=600) as r:
        return json.loads(r.read())


def gateway(name: str, env: dict, image: Path) -> dict:
    port = free_port()
    proc = subprocess.Popen([str(BIN / "python"), "-m", "service", "--host", "127.0.0.1", "--port", str(port)],
                            cwd=ROOT, env={**os.environ, "DCAE_MODEL_REPOSITORY": str(REPO), "DCAE_WEIGHTS": str(ROOT / "weights"),
                                           **env},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ready", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError(f"{name}: the gateway did not become ready")
            time.sleep(1)
        b64 = base64.b64encode(image.read_bytes()).decode()
        results = {}
        big = base64.b64encode((image.parent / "big.png").read_bytes()).decode()  # over one 512-px tile
        for tile in (False, True):
            out = post(port, "/v1/encode", {"image": big if tile else b64, "tile": tile})
            results[f"{name}/encode{'-tiled' if tile else ''}"] = digest(base64.b64decode(out["latent"]))
            if not tile:
                latent = out["latent"]
        out = post(port, "/v1/decode", {"latent": latent, "image_size": [152, 200], "response_format": "b64_json"})
        results[f"{name}/decode"] = array_digest_b64(out["data"][0]["b64_json"])
        cases = {"generate": {}, "generate-negative": {"negative_prompt": NEGATIVE},
                 "generate-image": {"image": b64, "strength": 0.6}}
        for case, extra in cases.items():
            out = post(port, "/v1/generate", {"prompt": PROMPT, "n": 2, "seed": 7, "steps": 6, **extra})
            for i, item in enumerate(out["data"]):
                results[f"{name}/{case}/{i}"] = array_digest_b64(item["b64_json"])
        return results
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def triton(folder: Path, image: Path) -> dict:
    from export.repository import export_repository
    from export.triton_env import TritonServer

    cpu = folder / "repo_cpu"
    export_repository(cpu, generator=GEN, cpu_python_backend=True, reuse_onnx=REPO, log=lambda *a: None)
    results = {}
    with TritonServer(cpu, log_path=folder / "tritonserver.log") as server:
        for loop in ("gateway", "triton"):
            results.update(gateway(f"triton-{loop}-loop", {"DCAE_MODEL_REPOSITORY": str(cpu), "DCAE_RUNTIME": "triton",
                                                           "DCAE_TRITON_URLS": server.grpc_url,
                                                           "DCAE_GENERATE_LOOP": loop}, image))
    return results


def array_digest_b64(text: str) -> str:
    import io

    return digest(np.asarray(Image.open(io.BytesIO(base64.b64decode(text)))).tobytes())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", required=True, help="JSON file of output hashes")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        image = test_image(folder)
        results = cli(folder, image)
        for name, env in (("embedded-onnxruntime", {"DCAE_ENGINE": "onnxruntime"}),
                          ("embedded-openvino", {"DCAE_ENGINE": "openvino", "DCAE_PRECISION": "bfloat16",
                                                 "DCAE_ENGINE_CACHE": str(folder / "ov-cache")}),
                          ("torch", {"DCAE_RUNTIME": "torch", "DCAE_TORCH_DEVICE": "cpu"})):
            results.update(gateway(name, env, image))
        results.update(triton(folder, image))
    Path(args.output).write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    print(f"{len(results)} hashes -> {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
