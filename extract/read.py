"""Reading the source's exact bytes from a path or a URL (``extract/fetch.py`` does the HTTP)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from rdv_opendata.errors import SourceError

if TYPE_CHECKING:
    from extract.fetch import FetchPolicy
from rdv_opendata.settings import DEFAULT_SOURCE, MAX_SOURCE_BYTES


@dataclass(frozen=True)
class Source:
    data: bytes
    location: str  # the path or URL as given; for the bundled snapshot, "bundled:<file name>"
    retrieved: str  # ISO time, UTC
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    not_modified: bool = False  # the server answered 304 to our conditional request

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
        }


def is_url(source: str | None) -> bool:
    return bool(source) and urlsplit(str(source)).scheme.lower() in ("http", "https")


def now_utc() -> str:
    """The current time, ISO 8601 in UTC; ``SOURCE_DATE_EPOCH`` (the reproducible-builds
    convention) fixes it, so that two runs can be compared byte for byte."""
    fixed = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(fixed), dt.UTC) if fixed else dt.datetime.now(dt.UTC)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def read_path(path: str | Path | None) -> Source:
    """The bytes of the file at ``path`` (the bundled snapshot when None), size-capped."""
    target = Path(path) if path is not None else DEFAULT_SOURCE
    location = str(path) if path is not None else f"bundled:{DEFAULT_SOURCE.name}"
    try:
        size = target.stat().st_size
        if size > MAX_SOURCE_BYTES:
            raise SourceError(
                f"source {location} is {size} bytes, over the {MAX_SOURCE_BYTES}-byte cap"
            )
        data = target.read_bytes()
    except FileNotFoundError:
        raise SourceError(f"source {location} does not exist") from None
    except IsADirectoryError:
        raise SourceError(f"source {location} is a folder, not a file") from None
    except PermissionError:
        raise SourceError(f"source {location} cannot be read (permission denied)") from None
    except OSError as exc:
        raise SourceError(f"source {location} cannot be read ({exc.strerror})") from None
    if not data.strip():
        raise SourceError(f"source {location} is empty")
    return Source(data=data, location=location, retrieved=now_utc())


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
        raise SourceError(f"source {url} is empty")
    return Source(
        data=fetched.data,
        location=url,
        retrieved=now_utc(),
        etag=fetched.etag or (etag if fetched.not_modified else None),
        last_modified=fetched.last_modified or (last_modified if fetched.not_modified else None),
        content_type=fetched.content_type,
        not_modified=fetched.not_modified,
    )
