"""API keys and rate limits without a server: the token bucket on a fake clock (burst, refill, the
wait that becomes Retry-After), and a key's rate from DCAE_API_KEYS. The gateway tests in
test_reliability.py check the same over HTTP."""

from __future__ import annotations

import pytest

from service.middleware import retry_after
from service.security import AccessControl, KeyConfigError, TokenBucket, hash_key, parse_env_keys
from service.settings import Settings


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_bucket_bursts_then_refills_at_its_rate():
    clock = FakeClock()
    bucket = TokenBucket(rate_per_minute=6, capacity=3, clock=clock)  # a token every 10 s
    assert [bucket.take() for _ in range(3)] == [0.0, 0.0, 0.0]  # the burst
    assert bucket.take() == pytest.approx(10.0)  # empty: the next token in 10 s
    clock.now += 4
    assert bucket.take() == pytest.approx(6.0)  # 0.4 of a token so far: 6 s to go
    clock.now += 6
    assert bucket.take() == 0.0  # a whole token: one request
    assert bucket.take() == pytest.approx(10.0)
    clock.now += 25  # 2.5 tokens
    assert [bucket.take() for _ in range(3)] == [0.0, 0.0, pytest.approx(5.0)]


def test_bucket_holds_at_most_its_capacity():
    clock = FakeClock()
    bucket = TokenBucket(rate_per_minute=60, capacity=2, clock=clock)
    bucket.take(), bucket.take()
    clock.now += 3600  # an idle hour refills to the capacity, not to 3600 tokens
    assert [bucket.take() for _ in range(2)] == [0.0, 0.0]
    assert bucket.take() == pytest.approx(1.0)


def test_refused_requests_take_no_token():
    clock = FakeClock()
    bucket = TokenBucket(rate_per_minute=60, capacity=1, clock=clock)
    assert bucket.take() == 0.0
    for _ in range(5):  # hammering while empty does not push the next token further away
        assert bucket.take() == pytest.approx(1.0)
    clock.now += 1
    assert bucket.take() == 0.0


def test_retry_after_is_whole_seconds_rounded_up_and_at_least_one():
    assert retry_after(0.01) == {"Retry-After": "1"}
    assert retry_after(1.0) == {"Retry-After": "1"}
    assert retry_after(9.2) == {"Retry-After": "10"}


def test_a_keys_rate_from_the_environment_limits_that_key_only():
    clock = FakeClock()
    env = f"metered:{hash_key('m-key')}:decode:3,free:{hash_key('f-key')}:decode"
    keys = {k.name: k for k in parse_env_keys(env)}
    assert keys["metered"].rate_per_minute == 3 and keys["free"].rate_per_minute == 0
    control = AccessControl.from_settings(Settings(api_keys=env), clock=clock)
    metered = control.authenticate({"x-api-key": "m-key"})
    free = control.authenticate({"authorization": "Bearer f-key"})
    assert (metered.name, free.name) == ("metered", "free")
    assert [control.wait_seconds(metered) for _ in range(3)] == [0.0] * 3  # burst: a minute's worth
    assert control.wait_seconds(metered) == pytest.approx(20.0)
    assert all(control.wait_seconds(free) == 0.0 for _ in range(100))  # no rate: unlimited
    clock.now += 20
    assert control.wait_seconds(metered) == 0.0
    assert control.authenticate({"x-api-key": "nobody"}) is None


def test_a_key_files_burst_overrides_the_default(tmp_path):
    import json

    clock = FakeClock()
    (tmp_path / "keys.json").write_text(json.dumps([{"name": "b", "sha256": hash_key("b-key"), "scopes": ["*"],
                                                      "rate_per_minute": 30, "burst": 1}]))
    control = AccessControl.from_settings(Settings(api_keys_file=str(tmp_path / "keys.json")), clock=clock)
    key = control.authenticate({"x-api-key": "b-key"})
    assert control.wait_seconds(key) == 0.0
    assert control.wait_seconds(key) == pytest.approx(2.0)  # burst 1, not 30


def test_key_configuration_mistakes_are_named(tmp_path):
    """What the gateway refuses to start with, and why (the message names the key and the fix)."""
    import json

    from service.security import KeyConfigError, parse_key_file

    digest = hash_key("k")
    for text, message in ((f":{digest}:encode", "DCAE_API_KEYS: a key has no name"),
                          ("a:nothex:encode", "key 'a': sha256 must be 64 hex digits"),
                          (f"a:{digest}:encode+paint", "key 'a': scopes must be some of .* got \\['paint'\\]"),
                          (f"a:{digest}:", "key 'a': scopes must be some of .* got none"),
                          (f"a:{digest}:encode:-1", "key 'a': rate_per_minute and burst must be finite and >= 0"),
                          (f"a:{digest}:encode:inf", "key 'a': rate_per_minute and burst must be finite"),
                          (f"a:{digest}:encode:fast", "key 'a': rate_per_minute is not a number"),
                          ("a:b", "entry 'a' must be name:sha256hex:scopes")):
        with pytest.raises(KeyConfigError, match=message):
            parse_env_keys(text)

    def from_file(content) -> list:
        path = tmp_path / "keys.json"
        path.write_text(content if isinstance(content, str) else json.dumps(content))
        return parse_key_file(path)

    for content, message in (("[", r"DCAE_API_KEYS_FILE \(keys.json\): cannot read a JSON list of keys"),
                             ({"name": "a"}, r"DCAE_API_KEYS_FILE \(keys.json\): expected a JSON list of objects"),
                             ([1], "expected a JSON list of objects"),
                             ([{"name": "a", "sha256": digest, "scopes": ["*"], "burst": "x"}],
                              "key 'a': rate_per_minute and burst are numbers"),
                             ([{"name": "a", "sha256": digest, "scopes": ["*"], "burst": -1}],
                              r"DCAE_API_KEYS_FILE \(keys.json\): key 'a': rate_per_minute and burst must be finite"),
                             ([{"sha256": digest, "scopes": ["*"]}], "a key has no name"),
                             ([{"name": "a", "scopes": ["*"]}], "key 'a': sha256 must be 64 hex digits"),
                             ([{"name": "a", "sha256": digest}], "key 'a': scopes must be some of")):
        with pytest.raises(KeyConfigError, match=message):
            from_file(content)
    (key,) = from_file([{"name": "a", "sha256": digest.upper(), "scopes": "decode"}])  # one scope as a string
    assert (key.sha256, key.scopes, key.rate_per_minute, key.burst) == (digest, frozenset({"decode"}), 0.0, 0.0)
    assert key.allows("decode") and not key.allows("encode") and key.allows(None)


def test_keys_from_the_environment_alone_turn_authentication_on():
    control = AccessControl.from_settings(Settings(api_keys=f"a:{hash_key('a-key')}:decode:1",
                                                   public_paths=" /health/live/ , /metrics,,/ "))
    assert control.enabled and not control.is_public("/v1/decode")
    assert control.public_paths == frozenset({"/health/live", "/metrics", "/"})
    assert control.is_public("/metrics") and not control.is_public("/health/ready")
    key = control.authenticate({"x-api-key": "a-key"})
    assert control.wait_seconds(key) == 0.0 and control.wait_seconds(key) > 0  # 1 per minute is a limit too
    assert not AccessControl.from_settings(Settings()).enabled  # no keys, no key file: open
    with pytest.raises(KeyConfigError, match=r"API key names must be unique: \['a', 'a'\]"):
        AccessControl.from_settings(Settings(api_keys=f"a:{hash_key('x')}:*,a:{hash_key('y')}:*"))
