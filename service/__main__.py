"""`python -m service [--host H] [--port P]`: the gateway as it is meant to run, uvicorn with the limits
that keep a hostile client from holding the process: `DCAE_MAX_CONNECTIONS` open connections (503 beyond),
idle keep-alive connections closed after 5 s, no `server` header, 30 s to finish in-flight requests on
SIGTERM. The request-level limits (body size and time, admission, deadlines) are `service.middleware`'s."""

from __future__ import annotations

import argparse

import uvicorn

from service.settings import get_settings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m service", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument("--log-level", default="info")
    args = parser.parse_args(argv)
    uvicorn.run("service.main:app", host=args.host, port=args.port, log_level=args.log_level,
                limit_concurrency=get_settings().max_connections, timeout_keep_alive=5, server_header=False,
                timeout_graceful_shutdown=30)


if __name__ == "__main__":
    main()
