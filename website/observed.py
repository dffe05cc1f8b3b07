"""The day a release's facts were observed on the prefecture's site, for the pages and the
calendars."""

from __future__ import annotations

import datetime as dt
from typing import Any

from publish.changes.records import CatalogEntry


def day(value: Any) -> str | None:
    """The ISO day at the start of ``value`` (a date or a timestamp), or None."""
    try:
        return dt.date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        return None


def observed_day(entry: CatalogEntry) -> str:
    """The day a release's facts were observed on the prefecture's site; its publication day
    for a release from before ``source_observed`` was recorded."""
    return day(entry.get("source_observed")) or entry["published"][:10]
