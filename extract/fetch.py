"""Fetching the source over HTTP(S): network I/O only, kept apart from parsing.

Timeouts (connect, read, and a total per attempt), a cap on the decoded body (so a compression
bomb stops at the cap), limited redirects, http/https only, a User-Agent naming the project, and
conditional requests (ETag / Last-Modified: a 304 means unchanged). Connection errors, timeouts,
429 and 5xx are retried with exponential backoff and jitter, honouring Retry-After; other 4xx
are not. This is the only step of the pipeline that retries.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import random
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import httpx

from core import settings
from core.errors import SourceError
from core.version import own_version
from extract.exchange import Exchange, Headers, sent
from extract.read import is_url, now_utc
from extract.redact import redact_url


def user_agent() -> str:
    return settings.USER_AGENT.format(version=own_version())


#: an entity tag as RFC 9110 writes it (visible ASCII only): anything else is never kept or sent
ETAG = re.compile(r'^(?:W/)?"[\x21\x23-\x7e]*"$')
HTTP_DATE = re.compile(r"^[\x20-\x7e]{1,64}$")


def etag_value(value: str | None) -> str | None:
    return value if value and ETAG.match(value) else None


def date_value(value: str | None) -> str | None:
    return value if value and HTTP_DATE.match(value) else None


@dataclass(frozen=True)
class FetchPolicy:
    connect_timeout: float = settings.FETCH_CONNECT_TIMEOUT
    read_timeout: float = settings.FETCH_READ_TIMEOUT
    total_timeout: float = settings.FETCH_TOTAL_TIMEOUT
    max_redirects: int = settings.FETCH_MAX_REDIRECTS
    attempts: int = settings.FETCH_ATTEMPTS
    backoff_base: float = settings.FETCH_BACKOFF_BASE
    backoff_max: float = settings.FETCH_BACKOFF_MAX
    jitter: float = settings.FETCH_JITTER
    max_bytes: int = settings.MAX_SOURCE_BYTES
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)


@dataclass(frozen=True)
class Fetched:
    data: bytes  # empty when not modified
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    attempts: int = 1
    #: every exchange of the attempt that answered, redirects first (archived as WARC)
    exchanges: tuple[Exchange, ...] = ()


#: how much of an error's body is kept as evidence (its WARC record says it was truncated)
ERROR_BODY_CAP = 64 * 1024


class _Retry(Exception):
    """A failure worth another attempt, with the server's Retry-After when it gave one, and
    its answer when it gave one (kept as evidence if it is the last)."""

    def __init__(
        self, problem: str, retry_after: float | None = None, answer: tuple[Exchange, ...] = ()
    ) -> None:
        super().__init__(problem)
        self.retry_after = retry_after
        self.answer = answer


def _error_answer(response: httpx.Response, date: str) -> Exchange:
    """An error answer as received: its headers and the start of its body (at most
    ``ERROR_BODY_CAP`` bytes as they came)."""
    ip = _server_address(response)
    kept, size, truncated = [], 0, False
    try:
        for chunk in response.iter_raw():
            kept.append(chunk[: ERROR_BODY_CAP - size])
            size += len(kept[-1])
            if size >= ERROR_BODY_CAP:
                truncated = True
                break
    except httpx.HTTPError:
        truncated = True  # the answer broke off: what came is kept
    answer = exchange(response, b"".join(kept), date, ip)
    return Exchange(**{**answer.__dict__, "truncated": truncated})


def retry_after_seconds(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Retry-After as seconds: delta-seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - (now or dt.datetime.now(dt.UTC))).total_seconds())


def backoff(attempt: int, policy: FetchPolicy) -> float:
    """Exponential backoff with jitter before retry number ``attempt`` (1 for the first)."""
    wait = policy.backoff_base * 2 ** (attempt - 1)
    return min(policy.backoff_max, wait * (1 + random.uniform(0, policy.jitter)))


def _read_body(response: httpx.Response, url: str, policy: FetchPolicy, deadline: float) -> bytes:
    declared = response.headers.get("content-length")
    if (
        declared
        and declared.isdigit()
        and int(declared) > policy.max_bytes
        and not response.headers.get("content-encoding")
    ):
        raise SourceError(
            f"{redact_url(url)}: body of {declared} bytes is over the {policy.max_bytes}-byte cap"
        )
    chunks, size = [], 0
    for chunk in response.iter_bytes():  # decoded (decompressed) bytes
        size += len(chunk)
        if size > policy.max_bytes:
            raise SourceError(
                f"{redact_url(url)}: body is over the {policy.max_bytes}-byte cap "
                "(after decompression)"
            )
        if time.monotonic() > deadline:
            raise _Retry(f"no complete response within {policy.total_timeout:g} s")
        chunks.append(chunk)
    return b"".join(chunks)


class _Tee(httpx.SyncByteStream):
    """A response's stream as it arrives (before any content decoding), kept as it is read:
    what the WARC record holds."""

    def __init__(self, inner: httpx.SyncByteStream, kept: list[bytes]) -> None:
        self.inner, self.kept = inner, kept

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.inner:
            self.kept.append(chunk)
            yield chunk

    def close(self) -> None:
        self.inner.close()


def _raw(headers: httpx.Headers) -> Headers:
    return tuple((k.decode("latin-1"), v.decode("latin-1")) for k, v in headers.raw)


def exchange(response: httpx.Response, body: bytes, date: str, ip: str | None = None) -> Exchange:
    """The request and the response's status line and headers as they went on the wire
    (``ip``: the server's address, read when the answer arrived)."""
    request = response.request
    return Exchange(
        url=redact_url(str(request.url)),
        date=date,
        method=request.method,
        target=request.url.raw_path.decode("ascii"),
        request_headers=sent(_raw(request.headers)),
        http_version=response.http_version,
        status=response.status_code,
        reason=response.reason_phrase,
        response_headers=_raw(response.headers),
        body=body,
        ip=ip or _server_address(response),
    )


def _server_address(response: httpx.Response) -> str | None:
    """The IP address of the server that answered (WARC-IP-Address), while its connection is
    open; None when the library cannot say."""
    stream = response.extensions.get("network_stream")
    try:
        address = stream.get_extra_info("server_addr") if stream is not None else None
    except Exception:  # a closed or unusual stream: the address is only unknown
        return None
    return str(address[0]) if isinstance(address, tuple) and address else None


def _hops(response: httpx.Response) -> tuple[Exchange, ...]:
    """The redirects that led to ``response``, as exchanges (httpx read their bodies)."""
    return tuple(exchange(hop, hop.content, now_utc()) for hop in response.history)


def _body_of(
    response: httpx.Response, url: str, policy: FetchPolicy, deadline: float, date: str
) -> Fetched:
    ip = _server_address(response)  # before the body: the connection may close after it
    """A 2xx answer: its body read (capped), and the exchange with the bytes as received."""
    received: list[bytes] = []
    if isinstance(response.stream, httpx.SyncByteStream):
        response.stream = _Tee(response.stream, received)
    data = _read_body(response, url, policy, deadline)
    return Fetched(
        data,
        etag=etag_value(response.headers.get("etag")),
        last_modified=date_value(response.headers.get("last-modified")),
        content_type=response.headers.get("content-type"),
        exchanges=(*_hops(response), exchange(response, b"".join(received), date, ip)),
    )


def _attempt(
    client: httpx.Client, url: str, headers: dict[str, str], policy: FetchPolicy
) -> Fetched:
    deadline = time.monotonic() + policy.total_timeout
    try:
        with client.stream("GET", url, headers=headers) as response:
            date = now_utc()
            status = response.status_code
            if status == 304:
                if not ({"If-None-Match", "If-Modified-Since"} & set(headers)):
                    raise SourceError(
                        f"{redact_url(url)}: answered 304 Not Modified to a request that asked "
                        "for no comparison"
                    )
                # unchanged: the validators we sent stay; none from this answer is adopted
                return Fetched(
                    b"",
                    not_modified=True,
                    exchanges=(*_hops(response), exchange(response, b"", date)),
                )
            if status == 429 or status >= 500:
                raise _Retry(
                    f"HTTP {status}",
                    retry_after_seconds(response.headers.get("retry-after")),
                    (*_hops(response), _error_answer(response, date)),
                )
            if status >= 400:
                raise SourceError(
                    f"{redact_url(url)}: HTTP {status} {response.reason_phrase}".strip(),
                    answered=(*_hops(response), _error_answer(response, date)),
                )
            return _body_of(response, url, policy, deadline, date)
    except httpx.TooManyRedirects:
        raise SourceError(
            f"{redact_url(url)}: more than {policy.max_redirects} redirects (a redirect loop?)"
        ) from None
    except httpx.UnsupportedProtocol as exc:
        raise SourceError(
            f"{redact_url(url)}: redirected to an unsupported scheme ({exc})"
        ) from None
    except httpx.DecodingError as exc:
        raise SourceError(f"{redact_url(url)}: the body cannot be decoded ({exc})") from None
    except httpx.TimeoutException as exc:
        raise _Retry(f"timed out ({type(exc).__name__})") from None
    except httpx.TransportError as exc:
        raise _Retry(f"connection failed ({type(exc).__name__}: {exc})") from None


def fetch(
    url: str,
    etag: str | None = None,
    last_modified: str | None = None,
    policy: FetchPolicy | None = None,
    log: Callable[[str], None] = lambda message: None,
) -> Fetched:
    """GET ``url`` with retries; raises SourceError with a one-line reason when it gives up."""
    policy = policy or FetchPolicy()
    if not is_url(url):
        raise SourceError(f"{redact_url(url)}: only http and https URLs can be fetched")
    headers = {
        "User-Agent": user_agent(),
        "Accept": "text/html, text/plain;q=0.9, */*;q=0.1",
        # the bytes on the wire are then the page itself: its WARC record's payload digest is the
        # snapshot's SHA-256 (a server that compresses anyway is archived as it answered)
        "Accept-Encoding": "identity",
    }
    if etag := etag_value(etag):  # a validator that is not valid is not sent
        headers["If-None-Match"] = etag
    if last_modified := date_value(last_modified):
        headers["If-Modified-Since"] = last_modified
    timeout = httpx.Timeout(policy.read_timeout, connect=policy.connect_timeout)
    with httpx.Client(
        timeout=timeout, follow_redirects=True, max_redirects=policy.max_redirects
    ) as client:
        for attempt in range(1, policy.attempts + 1):
            try:
                fetched = _attempt(client, url, headers, policy)
                return Fetched(**{**fetched.__dict__, "attempts": attempt})
            except _Retry as retry:
                if attempt == policy.attempts:
                    raise SourceError(
                        f"{redact_url(url)}: gave up after {attempt} attempts (last: {retry})",
                        answered=retry.answer,
                    ) from None
                wait = (
                    retry.retry_after if retry.retry_after is not None else backoff(attempt, policy)
                )
                if wait > policy.backoff_max:
                    raise SourceError(
                        f"{redact_url(url)}: {retry}; the server asks to retry after "
                        f"{wait:g} s, longer than {policy.backoff_max:g} s",
                        answered=retry.answer,
                    ) from None
                log(f"fetch attempt {attempt} failed ({retry}); retrying in {wait:.1f} s")
                policy.sleep(wait)
    raise AssertionError("unreachable")  # pragma: no cover
