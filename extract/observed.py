"""When the content of a source was seen on the prefecture's site (the contract's ``observed``).

- an HTTP fetch: its ``Last-Modified`` date when the server gives one, else the day of the fetch;
- a file: ``--observed DATE``, else a ``YYYY-MM-DD`` in its name, else its modification time;
- the bundled snapshot: the date documented beside it (``…observed.json``), with how it was
  established.

Dates are ISO calendar dates (UTC). An impossible or ambiguous date is refused, never guessed;
so is a date after today (UTC) by more than ``FUTURE_SKEW``, whatever its origin: a page cannot be
seen before it is read, and a date in 2099 would make every genuine page after it look like a
rollback (``rdv_opendata.pipeline.check_rollback``).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import re
from dataclasses import dataclass
from pathlib import Path

from core.errors import SourceError

#: how far after today (UTC) an observed date may be: a day covers the time zones (a page seen on
#: the evening of the 5th in Nouméa is the 6th there) and a server's clock a little ahead
FUTURE_SKEW = dt.timedelta(days=1)

DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


@dataclass(frozen=True)
class Observed:
    date: str  # YYYY-MM-DD
    how: str  # "--observed", "file name", "modification time", "Last-Modified", "fetch date",
    # or "documented"


def today() -> dt.date:
    """Today's date in UTC (a function, so that a test can move it)."""
    return dt.datetime.now(dt.UTC).date()


def not_future(date: str, how: str) -> str:
    """``date`` (``YYYY-MM-DD``), or SourceError when it is after today by more than the skew."""
    last = today() + FUTURE_SKEW
    if dt.date.fromisoformat(date) > last:
        raise SourceError(
            f"the observed date {date} (from the {how}) is in the future: today is "
            f"{today().isoformat()} (UTC, one day of clock skew allowed); for a file, give the day "
            "the page was seen with --observed; for a URL, the server's clock is wrong"
        )
    return date


def seen(date: str, how: str) -> Observed:
    """An observation, refused when in the future."""
    return Observed(not_future(date, how), how)


def parse_date(text: str, what: str) -> str:
    """``YYYY-MM-DD`` checked, or SourceError naming ``what``."""
    try:
        return dt.date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        raise SourceError(f"{what} {text!r} is not a date (YYYY-MM-DD)") from None


def from_name(name: str) -> str | None:
    """The one ``YYYY-MM-DD`` date in a file name, or None (two different dates: None)."""
    found = set()
    for year, month, day in DATE_IN_NAME.findall(name):
        try:
            found.add(dt.date(int(year), int(month), int(day)).isoformat())
        except ValueError:
            continue
    return found.pop() if len(found) == 1 else None


def of_file(path: Path, explicit: str | None) -> Observed:
    if explicit:
        return seen(parse_date(explicit, "--observed"), "--observed")
    if named := from_name(path.name):
        return seen(named, "file name")
    moment = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
    return seen(moment.date().isoformat(), "modification time")


def of_bundled(snapshot: Path) -> Observed:
    note = snapshot.with_name(snapshot.name.removesuffix(".txt") + ".observed.json")
    documented = json.loads(note.read_text(encoding="utf-8"))
    return seen(parse_date(documented["observed"], str(note)), "documented")


def of_fetch(last_modified: str | None, retrieved: str) -> Observed:
    if last_modified:
        try:
            moment = email.utils.parsedate_to_datetime(last_modified)
        except (TypeError, ValueError):
            moment = None
        if moment is not None:
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=dt.UTC)
            return seen(moment.astimezone(dt.UTC).date().isoformat(), "Last-Modified")
    return seen(retrieved[:10], "fetch date")
