"""`python -m service [--host H] [--port P]`: the gateway as it is meant to run, uvicorn with the limits
that keep a hostile client from holding the process: `DCAE_MAX_CONNECTIONS` open connections (503 beyond),
request heads within `DCAE_HEADER_TIMEOUT_SECONDS`, idle keep-alive connections closed after 5 s, no
`server` header, 30 s to finish in-flight requests on SIGTERM. The request-level limits (body size and time, admission, deadlines) are `service.middleware`'s."""

from __future__ import annotations

import argparse

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from service.settings import get_settings


class HeaderDeadlineProtocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline on request headers: a connection that has not sent a whole
    request head within `DCAE_HEADER_TIMEOUT_SECONDS` (when it opens, or after a response, where
    uvicorn's keep-alive timer stops at the first byte) is closed. uvicorn has no such limit of its own:
    a client sending half a request line held its connection for ever."""

    header_timeout = 10.0
    _header_timer = None

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._arm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm()

    def _waiting_for_head(self) -> bool:
        return self.cycle is None or self.cycle.response_complete

    def _arm(self) -> None:
        if not self._waiting_for_head():
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None
        elif self._header_timer is None:
            self._header_timer = self.loop.call_later(self.header_timeout, self._expired)

    def _expired(self) -> None:
        self._header_timer = None
        if self._waiting_for_head() and not self.transport.is_closing():
            self.transport.close()

    def connection_lost(self, exc) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
        super().connection_lost(exc)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m service", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument("--log-level", default="info")
    args = parser.parse_args(argv)
    settings = get_settings()
    HeaderDeadlineProtocol.header_timeout = settings.header_timeout_seconds
    uvicorn.run("service.main:app", host=args.host, port=args.port, log_level=args.log_level,
                http=HeaderDeadlineProtocol, limit_concurrency=settings.max_connections, timeout_keep_alive=5,
                server_header=False, timeout_graceful_shutdown=30)


if __name__ == "__main__":
    main()
