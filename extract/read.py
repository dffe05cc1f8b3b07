"""Reading the source's exact bytes from a path or a URL (``extract/fetch.py`` does the HTTP)."""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO
from urllib.parse import urlsplit

from core.errors import SourceError
from extract import observed as observation
from extract.exchange import Exchange
from extract.redact import redact_url

if TYPE_CHECKING:
    from extract.fetch import FetchPolicy
from core.settings import MAX_SOURCE_BYTES

#: how the bundled snapshot's location starts (``bundled:<file name>``): a demonstration
BUNDLED_PREFIX = "bundled:"


@dataclass(frozen=True, kw_only=True)
class Source:
    data: bytes
    location: str  # the path or URL as given; for the bundled snapshot, "bundled:<file name>"
    retrieved: str  # ISO time, UTC
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    not_modified: bool = False  # the server answered 304 to our conditional request
    observed: str | None = None  # when the content was seen on the site (extract/observed.py)
    observed_from: str | None = None  # how that date was established
    #: the HTTP exchanges that fetched it, redirects first (none for a file): its WARC record
    exchanges: tuple[Exchange, ...] = ()

    @property
    def suffix(self) -> str:
        kind = (self.content_type or "").lower()
        if "html" in kind:
            return ".html"
        if kind.startswith("text/plain"):
            return ".txt"
        suffix = Path(urlsplit(self.location).path).suffix.lower()
        return suffix if suffix in (".txt", ".html", ".htm") else ".bin"

    def metadata(self) -> dict[str, str | None]:
        return {
            "location": self.location,
            "retrieved": self.retrieved,
            "etag": self.etag,
            "last_modified": self.last_modified,
            "content_type": self.content_type,
            "observed": self.observed,
            "observed_from": self.observed_from,
        }


def is_url(source: str | None) -> bool:
    return bool(source) and urlsplit(str(source)).scheme.lower() in ("http", "https")


def now_utc() -> str:
    """The current time, ISO 8601 in UTC; ``SOURCE_DATE_EPOCH`` (the reproducible-builds
    convention) fixes it, so that two runs can be compared byte for byte."""
    fixed = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(fixed), dt.UTC) if fixed else dt.datetime.now(dt.UTC)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def shown(text: str) -> str:
    """``text`` safe to show in a one-line message: newlines, escape sequences and every other
    non-printable character are written as Python escapes (``\\n``, ``\\x1b``), as ``repr`` does."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def over_cap(location: str, size: int | None = None) -> SourceError:
    """The refusal of a source beyond the cap (``size`` unknown when it was streamed)."""
    amount = f"{size} bytes" if size is not None else f"more than {MAX_SOURCE_BYTES} bytes"
    return SourceError(
        f"source {shown(location)} is {amount}, over the {MAX_SOURCE_BYTES}-byte cap"
    )


def read_capped(file: BinaryIO, location: str) -> bytes:
    """The bytes of an open ``file``, reading at most one byte beyond the cap whatever its kind
    (a regular file, a pipe, a FIFO, a terminal or a device); beyond the cap, refused."""
    status = os.fstat(file.fileno())
    size = status.st_size if stat.S_ISREG(status.st_mode) else 0  # others: known when read
    if size > MAX_SOURCE_BYTES:
        raise over_cap(location, size)
    data = file.read(MAX_SOURCE_BYTES + 1)
    if len(data) > MAX_SOURCE_BYTES:
        raise over_cap(location)
    return data


def read_path(
    path: str | Path | None, observed: str | None = None, *, bundled: Path | None = None
) -> Source:
    """The bytes of the file at ``path`` (the application's bundled snapshot ``bundled`` when
    None), size-capped, and when they were seen (``observed``: a date given by the user, else from
    the file, else the date documented beside the bundled snapshot)."""
    if path is None and bundled is None:
        raise SourceError("no source given")
    target = Path(path) if path is not None else bundled
    assert target is not None
    where = shown(str(path) if path is not None else f"{BUNDLED_PREFIX}{target.name}")
    # what is recorded and published: the file's name, never the folders it sits in (a local
    # path names the publisher's account and machine); messages keep the whole path
    location = target.name if path is not None else f"{BUNDLED_PREFIX}{target.name}"
    try:
        with target.open("rb") as file:
            data = read_capped(file, location)
    except FileNotFoundError:
        raise SourceError(f"source {where} does not exist") from None
    except IsADirectoryError:
        raise SourceError(f"source {where} is a folder, not a file") from None
    except PermissionError:
        raise SourceError(f"source {where} cannot be read (permission denied)") from None
    except OSError as exc:
        raise SourceError(f"source {where} cannot be read ({exc.strerror})") from None
    if not data.strip():
        raise SourceError(f"source {where} is empty")
    try:
        seen = (
            observation.of_file(target, observed)
            if path is not None or observed
            else observation.of_bundled(target)
        )
    except OSError as exc:
        raise SourceError(f"source {where}: its date cannot be read ({exc.strerror})") from None
    return Source(
        data=data,
        location=location,
        retrieved=now_utc(),
        observed=seen.date,
        observed_from=seen.how,
    )


def read_url(
    url: str,
    etag: str | None = None,
    last_modified: str | None = None,
    policy: FetchPolicy | None = None,
    log: Callable[[str], None] = lambda message: None,
) -> Source:
    """Fetch ``url`` (conditionally when validators from the last good run are given)."""
    from extract.fetch import fetch  # httpx is imported only when a URL is read

    fetched = fetch(url, etag, last_modified, policy, log)
    if not fetched.not_modified and not fetched.data.strip():
        raise SourceError(f"source {shown(redact_url(url))} is empty")
    retrieved = now_utc()
    seen = observation.of_fetch(fetched.last_modified, retrieved)
    return Source(
        data=fetched.data,
        location=redact_url(url),  # what is recorded and shown: never the credentials
        retrieved=retrieved,
        observed=seen.date,
        observed_from=seen.how,
        etag=fetched.etag or (etag if fetched.not_modified else None),
        last_modified=fetched.last_modified or (last_modified if fetched.not_modified else None),
        content_type=fetched.content_type,
        not_modified=fetched.not_modified,
        exchanges=fetched.exchanges,
    )
