"""`dcae client encode|decode|generate --url ...`: the gateway's HTTP API from the command line
(standard library only: no torch, no extra packages)."""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from dcae.argtypes import finite_float, positive_int

DEFAULT_URL = "http://127.0.0.1:8000"


class ClientError(RuntimeError):
    """The gateway answered with an error (its JSON error message is kept)."""


def request(url: str, body: bytes | None = None, content_type: str | None = None, accept: str = "*/*",
            api_key: str | None = None, timeout: float = 600.0) -> tuple[bytes, object]:
    headers = {"Accept": accept}
    if content_type:
        headers["Content-Type"] = content_type
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    req = urllib.request.Request(url, data=body, headers=headers, method="POST" if body is not None else "GET")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.read(), r.headers  # case-insensitive
    except urllib.error.HTTPError as e:
        detail = e.read().decode(errors="replace")
        try:
            err = json.loads(detail)["error"]
            detail = f"{err.get('code')}: {err.get('message')}"
        except (ValueError, KeyError, TypeError):
            pass
        raise ClientError(f"{e.code} from {url}: {detail}") from None
    except urllib.error.URLError as e:
        raise ClientError(f"cannot reach {url}: {e.reason}") from None


def multipart(field: str, filename: str, data: bytes, fields: dict[str, str]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
                 f"Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def cmd_encode(args: argparse.Namespace) -> int:
    body, ctype = multipart("image", Path(args.image).name, Path(args.image).read_bytes(),
                            {"scaled": str(args.scaled).lower(), "tile": str(args.tile).lower()})
    data, headers = request(f"{args.url}/v1/encode", body, ctype, accept="application/x-npy", api_key=args.api_key)
    Path(args.output).write_bytes(data)
    size = headers.get("X-Image-Size", "")
    sidecar = {"image_size": [int(v) for v in size.split(",")] if size else None, "model": headers.get("X-Model"),
               "scaled": args.scaled, "scaling_factor": float(headers.get("X-Scaling-Factor", "nan"))}
    Path(args.output).with_suffix(".json").write_text(json.dumps(sidecar, indent=2) + "\n")
    print(f"wrote {args.output} (shape {headers.get('X-Latent-Shape')})")
    return 0


def cmd_decode(args: argparse.Namespace) -> int:
    sidecar_path = Path(args.latent).with_suffix(".json")
    sidecar = json.loads(sidecar_path.read_text()) if sidecar_path.is_file() else {}
    query = {"format": Path(args.output).suffix.lstrip(".").lower().replace("jpg", "jpeg") or "png"}
    if sidecar.get("scaled") or args.scaled:
        query["scaled"] = "true"
    if sidecar.get("image_size"):
        query["size"] = "x".join(map(str, sidecar["image_size"]))
    if args.tile:
        query["tile"] = "true"
    url = f"{args.url}/v1/decode?" + "&".join(f"{k}={v}" for k, v in query.items())
    data, _ = request(url, Path(args.latent).read_bytes(), "application/x-npy", api_key=args.api_key)
    Path(args.output).write_bytes(data)
    print(f"wrote {args.output}")
    return 0


def cmd_generate(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    # One request per image (image i uses seed + i on the server too), so the bar shows real progress.
    outputs = []
    t0 = time.perf_counter()
    for i in tqdm(range(args.n), desc="generate", unit="image", disable=args.n == 1 and not sys.stderr.isatty()):
        payload = {"n": 1, "seed": args.seed + i, "response_format": "png"}
        payload.update({k: v for k, v in (("prompt", args.prompt), ("class_label", args.class_label),
                                          ("steps", args.steps), ("guidance", args.guidance),
                                          ("sampler", args.sampler)) if v is not None})
        data, _ = request(f"{args.url}/v1/generate", json.dumps(payload).encode(), "application/json",
                          api_key=args.api_key)
        path = Path(args.output) if args.n == 1 else Path(args.output).with_stem(f"{Path(args.output).stem}_{i}")
        path.write_bytes(data)
        outputs.append(str(path))
    print(json.dumps({"images": outputs, "seconds": round(time.perf_counter() - t0, 2)}))
    return 0


def register_cli(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("client", help="call a running gateway (encode, decode, generate)",
                              description="Talk to the HTTP gateway (`make run`) and write files.")
    sub = p.add_subparsers(dest="client_command", required=True, metavar="COMMAND")

    def common(q: argparse.ArgumentParser) -> None:
        q.add_argument("--url", default=DEFAULT_URL, help=f"gateway URL (default {DEFAULT_URL})")
        q.add_argument("--api-key", default=None, help="API key, when the gateway requires one")

    q = sub.add_parser("encode", help="image -> latent .npy (+ .json sidecar)")
    q.add_argument("image")
    q.add_argument("-o", "--output", required=True)
    q.add_argument("--scaled", action="store_true", help="diffusion-space latent (times the scaling factor)")
    q.add_argument("--tile", action="store_true", help="encode in tiles (large images)")
    common(q)
    q.set_defaults(func=cmd_encode)

    q = sub.add_parser("decode", help="latent .npy -> image (crop and scaling from the sidecar)")
    q.add_argument("latent")
    q.add_argument("-o", "--output", required=True, help="output image (.png, .jpg, .webp)")
    q.add_argument("--scaled", action="store_true", help="the latent is in diffusion space")
    q.add_argument("--tile", action="store_true", help="decode in tiles (large latents)")
    common(q)
    q.set_defaults(func=cmd_decode)

    q = sub.add_parser("generate", help="prompt or class -> images, with a progress bar")
    cond = q.add_mutually_exclusive_group(required=True)
    cond.add_argument("--prompt")
    cond.add_argument("--class", dest="class_label", type=int)
    q.add_argument("-n", type=positive_int, default=1)
    q.add_argument("--seed", type=int, default=0, help="image i uses seed + i")
    q.add_argument("--steps", type=positive_int)
    q.add_argument("--guidance", type=finite_float)
    q.add_argument("--sampler")
    q.add_argument("-o", "--output", required=True)
    common(q)
    q.set_defaults(func=cmd_generate)

