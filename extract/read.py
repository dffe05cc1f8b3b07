"""Reading the source's exact bytes from a path (URLs come with the orchestration work)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from rdv_opendata.errors import SourceError
from rdv_opendata.settings import DEFAULT_SOURCE, MAX_SOURCE_BYTES


@dataclass(frozen=True)
class Source:
    data: bytes
    location: str  # the path (or URL) as given; for the bundled snapshot, its file name
    retrieved: str  # ISO time, UTC

    @property
    def suffix(self) -> str:
        suffix = Path(self.location).suffix.lower()
        return suffix if suffix in (".txt", ".html", ".htm") else ".bin"


def now_utc() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


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
