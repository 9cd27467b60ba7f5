"""Who may call: API keys with scopes and per-key rate limits.

Keys are configured by their SHA-256 (never in clear), from `DCAE_API_KEYS`
(`name:sha256hex:scopes:rate_per_minute`, comma-separated; scopes joined by `+`, or `*`) and/or the
JSON file `DCAE_API_KEYS_FILE` (`[{"name", "sha256", "scopes", "rate_per_minute", "burst"}]`). With
neither set, authentication is off and every endpoint is open (`make run` on loopback).

A client sends its key as `Authorization: Bearer KEY` or `X-API-Key: KEY`. The presented key's
digest is compared with every configured digest in constant time. A scope is an endpoint's name
(`SCOPES`); rate limits are token buckets in this process's memory (one gateway replica each).

    python -m service.security hash            # reads a key on stdin, prints its sha256 for the config
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from service.settings import Settings

# path -> scope (the endpoint's name). A path not listed needs a valid key with any scope.
SCOPES = {
    "/v1/encode": "encode", "/v1/decode": "decode", "/v1/generate": "generate", "/v1/models": "models",
    "/health/live": "health", "/health/ready": "health", "/metrics": "metrics",
    "/docs": "docs", "/docs/oauth2-redirect": "docs", "/openapi.json": "docs", "/redoc": "docs", "/": "docs",
    "/v1/images/generations": "generate", "/v1/images/edits": "generate",
}
KNOWN_SCOPES = frozenset(SCOPES.values()) | {"*"}
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
_PRINTABLE_ASCII = re.compile(r"[\x21-\x7e]+")


class KeyConfigError(ValueError):
    """The configured keys cannot be used (the gateway refuses to start)."""


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class ApiKey:
    name: str
    sha256: str
    scopes: frozenset[str]
    rate_per_minute: float = 0.0  # 0: unlimited
    burst: float = 0.0  # bucket capacity; 0: rate_per_minute (a minute's worth at once)

    def allows(self, scope: str | None) -> bool:
        return "*" in self.scopes or scope is None or scope in self.scopes


def _make_key(name: str, digest: str, scopes, rate: float, burst: float, origin: str) -> ApiKey:
    name, digest = str(name).strip(), str(digest).strip().lower()
    if not name:
        raise KeyConfigError(f"{origin}: a key has no name")
    if not _SHA256_HEX.fullmatch(digest):
        raise KeyConfigError(f"{origin}: key {name!r}: sha256 must be 64 hex digits (python -m service.security hash)")
    scopes = frozenset(s.strip() for s in scopes if s.strip())
    unknown = scopes - KNOWN_SCOPES
    if unknown or not scopes:
        raise KeyConfigError(f"{origin}: key {name!r}: scopes must be some of {sorted(KNOWN_SCOPES)}, got "
                             f"{sorted(unknown) or 'none'}")
    if rate < 0 or burst < 0 or not math.isfinite(rate) or not math.isfinite(burst):
        raise KeyConfigError(f"{origin}: key {name!r}: rate_per_minute and burst must be finite and >= 0")
    return ApiKey(name, digest, scopes, float(rate), float(burst))


def parse_env_keys(text: str) -> list[ApiKey]:
    """`name:sha256hex:scopes:rate_per_minute[,...]`; scopes joined by `+`; rate optional (0)."""
    keys = []
    for entry in filter(None, (e.strip() for e in text.split(","))):
        parts = entry.split(":")
        if len(parts) not in (3, 4):
            raise KeyConfigError(f"DCAE_API_KEYS: entry {parts[0]!r} must be name:sha256hex:scopes[:rate_per_minute]")
        try:
            rate = float(parts[3]) if len(parts) == 4 and parts[3] else 0.0
        except ValueError:
            raise KeyConfigError(f"DCAE_API_KEYS: key {parts[0]!r}: rate_per_minute is not a number") from None
        keys.append(_make_key(parts[0], parts[1], parts[2].split("+"), rate, 0.0, "DCAE_API_KEYS"))
    return keys


def parse_key_file(path: Path) -> list[ApiKey]:
    origin = f"DCAE_API_KEYS_FILE ({path.name})"
    try:
        entries = json.loads(path.read_text())
    except (OSError, ValueError) as e:
        raise KeyConfigError(f"{origin}: cannot read a JSON list of keys: {e}") from None
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise KeyConfigError(f"{origin}: expected a JSON list of objects")
    keys = []
    for e in entries:
        scopes = e.get("scopes", [])
        if isinstance(scopes, str):
            scopes = [scopes]
        try:
            rate, burst = float(e.get("rate_per_minute", 0)), float(e.get("burst", 0))
        except (TypeError, ValueError):
            raise KeyConfigError(f"{origin}: key {e.get('name')!r}: rate_per_minute and burst are numbers") from None
        keys.append(_make_key(e.get("name", ""), e.get("sha256", ""), scopes, rate, burst, origin))
    return keys


class TokenBucket:
    """`rate_per_minute` requests on average, up to `capacity` at once. `clock` gives seconds
    (monotonic; tests pass a fake one)."""

    def __init__(self, rate_per_minute: float, capacity: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate_per_second, self.capacity, self.clock = rate_per_minute / 60.0, capacity, clock
        self.tokens, self.updated = capacity, clock()

    def take(self) -> float:
        """0 if a request may go now, else the seconds until one may."""
        now = self.clock()
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate_per_second)
        self.updated = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / self.rate_per_second


@dataclass
class AccessControl:
    keys: list[ApiKey]
    enabled: bool
    public_paths: frozenset[str]
    buckets: dict[str, TokenBucket] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: Settings, clock: Callable[[], float] = time.monotonic) -> AccessControl:
        keys = parse_env_keys(settings.api_keys)
        if settings.api_keys_file is not None:
            keys += parse_key_file(Path(settings.api_keys_file))
        names = [k.name for k in keys]
        if len(set(names)) != len(names):
            raise KeyConfigError(f"API key names must be unique: {sorted(names)}")
        enabled = bool(keys) or settings.api_keys_file is not None  # an empty key file locks everything
        public = frozenset(p.strip().rstrip("/") or "/" for p in settings.public_paths.split(",") if p.strip())
        control = cls(keys, enabled, public)
        for k in keys:
            if k.rate_per_minute > 0:
                control.buckets[k.name] = TokenBucket(k.rate_per_minute, k.burst or max(1.0, k.rate_per_minute), clock)
        return control

    def is_public(self, path: str) -> bool:
        """Not enabled, a public path, or under a public prefix (an entry ending in `/*`)."""
        return not self.enabled or path in self.public_paths or any(
            p.endswith("/*") and path.startswith(p[:-1]) for p in self.public_paths)

    def authenticate(self, headers: dict[str, str]) -> ApiKey | None:
        """The key presented in `Authorization: Bearer` or `X-API-Key`, if it is a configured one."""
        presented = headers.get("x-api-key")
        auth = headers.get("authorization", "")
        if presented is None and auth[:7].lower() == "bearer ":
            presented = auth[7:].strip()
        if not presented:
            return None
        # The header's own bytes (headers travel as latin-1): what `hash_key` hashed, for any ASCII key.
        digest = hashlib.sha256(presented.encode("latin-1", "replace")).hexdigest().encode()
        found = None
        for k in self.keys:  # no early exit: the time taken does not depend on which key matched
            if hmac.compare_digest(digest, k.sha256.encode()):
                found = k
        return found

    def wait_seconds(self, key: ApiKey) -> float:
        """0 if `key` may make a request now (and counts it), else the seconds to wait."""
        bucket = self.buckets.get(key.name)
        return 0.0 if bucket is None else bucket.take()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv != ["hash"]:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    key = sys.stdin.readline().rstrip("\r\n")
    if not key:
        print("error: no key on stdin", file=sys.stderr)
        return 1
    if not _PRINTABLE_ASCII.fullmatch(key):
        print("error: a key must be printable ASCII without spaces (HTTP clients send header values as ASCII; "
              "a key with other characters could never be presented)", file=sys.stderr)
        return 1
    print(hash_key(key))
    return 0


if __name__ == "__main__":
    sys.exit(main())
