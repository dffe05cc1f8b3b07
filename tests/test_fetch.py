"""Fetching against a real HTTP server on 127.0.0.1: retries, timeouts, caps, redirects, 304."""

from __future__ import annotations

import time

import pytest

from core.errors import SourceError
from extract.fetch import FetchPolicy, backoff, fetch, retry_after_seconds
from rdv_opendata import pipeline
from tests.http_server import gzip_bomb, send, serve, sleeper


class Waits(list):
    """A sleep that records the waits instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def policy(**overrides) -> tuple[FetchPolicy, Waits]:
    waits = Waits()
    settings = {
        "connect_timeout": 2,
        "read_timeout": 0.5,
        "total_timeout": 3,
        "attempts": 3,
        "backoff_base": 0.01,
        "backoff_max": 5,
        "jitter": 0.5,
        "max_bytes": 100_000,
        "sleep": waits,
    }
    return FetchPolicy(**{**settings, **overrides}), waits


def test_503_then_200_is_retried(seed_bytes):
    def flaky(request, hit):
        send(request, 503, b"busy") if hit == 1 else send(request, 200, seed_bytes)

    with serve({"/t": flaky}) as server:
        rules, waits = policy()
        fetched = fetch(server.url("/t"), policy=rules)
    assert (fetched.data, fetched.attempts) == (seed_bytes, 2)
    assert server.hits["/t"] == 2 and len(waits) == 1
    assert 0.01 <= waits[0] <= 0.015  # base backoff plus at most 50 % jitter


def test_429_honours_retry_after(seed_bytes):
    def busy(request, hit):
        if hit == 1:
            send(request, 429, b"slow down", {"Retry-After": "3"})
        else:
            send(request, 200, seed_bytes)

    with serve({"/t": busy}) as server:
        rules, waits = policy()
        assert fetch(server.url("/t"), policy=rules).data == seed_bytes
    assert waits == [3.0]


def test_retry_after_longer_than_we_wait_gives_up():
    with serve({"/t": lambda r, hit: send(r, 429, b"", {"Retry-After": "3600"})}) as server:
        rules, waits = policy()
        with pytest.raises(SourceError, match="retry after 3600 s, longer than 5 s"):
            fetch(server.url("/t"), policy=rules)
    assert waits == [] and server.hits["/t"] == 1


def test_slow_response_past_the_timeout_gives_up_after_the_attempts():
    with serve({"/t": sleeper(2)}) as server:
        rules, waits = policy(attempts=2)
        started = time.monotonic()
        with pytest.raises(SourceError, match=r"gave up after 2 attempts \(last: timed out"):
            fetch(server.url("/t"), policy=rules)
    assert server.hits["/t"] == 2 and len(waits) == 1
    assert time.monotonic() - started < 4  # two read timeouts of 0.5 s, not two slow answers


def test_other_4xx_is_not_retried():
    with serve({}) as server:
        rules, waits = policy()
        with pytest.raises(SourceError, match=r"/missing: HTTP 404"):
            fetch(server.url("/missing"), policy=rules)
    assert server.hits["/missing"] == 1 and waits == []


def test_conditional_get_and_304(seed_bytes):
    def cached(request, hit):
        if request.headers.get("If-None-Match") == '"v1"':
            send(request, 304)
        else:
            send(
                request,
                200,
                seed_bytes,
                {"ETag": '"v1"', "Last-Modified": "Tue, 01 Dec 2020 08:00:00 GMT"},
            )

    with serve({"/t": cached}) as server:
        rules, _ = policy()
        first = fetch(server.url("/t"), policy=rules)
        again = fetch(
            server.url("/t"), etag=first.etag, last_modified=first.last_modified, policy=rules
        )
        sent = server.headers["/t"][1]
    assert (first.etag, first.last_modified) == ('"v1"', "Tue, 01 Dec 2020 08:00:00 GMT")
    assert again.not_modified and again.data == b""
    assert sent["If-None-Match"] == '"v1"'
    assert sent["If-Modified-Since"] == "Tue, 01 Dec 2020 08:00:00 GMT"
    assert sent["User-Agent"].startswith("rdv-opendata/")


def test_oversized_body_is_refused():
    with serve({"/t": lambda r, hit: send(r, 200, b"x" * 200_000)}) as server:
        rules, _ = policy()
        with pytest.raises(SourceError, match="over the 100000-byte cap"):
            fetch(server.url("/t"), policy=rules)


def test_gzip_bomb_stops_at_the_cap():
    bomb = gzip_bomb(50_000_000)
    assert len(bomb) < 100_000
    with serve({"/t": lambda r, hit: send(r, 200, bomb, {"Content-Encoding": "gzip"})}) as server:
        rules, _ = policy()
        with pytest.raises(SourceError, match="over the 100000-byte cap \\(after decompression"):
            fetch(server.url("/t"), policy=rules)


def test_redirect_loop_is_refused():
    with serve({"/loop": lambda r, hit: send(r, 302, b"", {"Location": "/loop"})}) as server:
        rules, _ = policy()
        with pytest.raises(SourceError, match="more than 5 redirects"):
            fetch(server.url("/loop"), policy=rules)
    assert server.hits["/loop"] == 6


def test_redirect_to_another_scheme_is_refused():
    target = {"Location": "ftp://127.0.0.1/table.html"}
    with serve({"/t": lambda r, hit: send(r, 301, b"", target)}) as server:
        rules, _ = policy()
        with pytest.raises(SourceError, match="unsupported scheme"):
            fetch(server.url("/t"), policy=rules)


def test_only_http_urls():
    with pytest.raises(SourceError, match="only http and https"):
        fetch("file:///etc/passwd")


def test_retry_after_and_backoff_helpers():
    import datetime as dt

    now = dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds("Thu, 26 Nov 2026 08:01:00 GMT", now) == 60.0
    assert retry_after_seconds("soon") is None
    rules, _ = policy(backoff_base=1, backoff_max=5, jitter=0)
    assert [backoff(n, rules) for n in (1, 2, 3, 4)] == [1, 2, 4, 5]


def test_publish_from_a_url_then_304_is_unchanged(seed_bytes, tmp_path):
    def cached(request, hit):
        if request.headers.get("If-None-Match") == '"v1"':
            send(request, 304)
        else:
            send(request, 200, seed_bytes, {"ETag": '"v1"', "Content-Type": "text/plain"})

    with serve({"/modalites": cached}) as server:
        url = server.url("/modalites")
        first = pipeline.run(url, tmp_path)
        again = pipeline.run(url, tmp_path)
    assert (first.status, first.version) == ("published", "1.0.0")
    assert (again.status, again.reason) == (
        "unchanged",
        "not modified since the last run (HTTP 304)",
    )
    import json

    (snapshot,) = (tmp_path / "snapshots").glob("*.txt.json")
    meta = json.loads(snapshot.read_text())
    assert (meta["location"], meta["etag"]) == (url, '"v1"')
    source = json.loads((tmp_path / "latest" / "datapackage.json").read_text())["sources"][0]
    assert source["path"] == url
