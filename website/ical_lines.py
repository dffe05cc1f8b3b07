"""RFC 5545 content lines, written directly: ``NAME;PARAM=VALUE:value`` folded into lines of at
most 75 octets, each ended by CRLF, and the values our calendars hold (TEXT, URI, INTEGER, DATE,
DATE-TIME local or UTC, DURATION).

The bytes are exactly those the ``icalendar`` library writes for the same property (the
reference of ``tests/test_ical_lines.py``): the same escapes, the same folds, the same value
forms, at a fraction of its cost (it folds character by character in Python, and builds an object
per property). Pure functions of plain values.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

CRLF = b"\r\n"
#: a fold: CRLF then one space, which a reader removes
FOLD = b"\r\n "
#: the octets of a physical line before its CRLF, a fold's space included in every line after
#: the first: icalendar folds before the 75th octet
WIDTH = 74
#: the characters a fold never ends a line with when it can avoid it (the first of an escape,
#: TEXT's backslash or RFC 6868's caret), as icalendar does
ESCAPES = (ord("\\"), ord("^"))


def fold(line: str) -> bytes:
    """One content line as bytes: cut before any octet that would make a physical line longer
    than ``WIDTH`` octets, never inside a UTF-8 sequence, nor right after the backslash of an
    escape (which goes to the next line), and ended by CRLF."""
    data = line.encode("utf-8")
    if len(data) <= WIDTH:
        return data + CRLF
    parts = []
    start = 0
    while len(data) - start > WIDTH:
        cut = start + WIDTH
        while data[cut] & 0xC0 == 0x80:  # a continuation octet: back to the character's first
            cut -= 1
        if data[cut - 1] in ESCAPES and cut - 1 > start:
            cut -= 1
        parts.append(data[start:cut])
        start = cut
    parts.append(data[start:])
    return FOLD.join(parts) + CRLF


def text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, every line break
    (CRLF, LF or a lone CR) said ``\\n``; as icalendar does, a ``\\N`` already in the text is
    read as a line break first."""
    return (
        value.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def uri(value: str) -> str:
    """A URI value, written as it is; one with a line break (CR or LF) is refused, as icalendar
    refuses it: it would end the content line."""
    if "\r" in value or "\n" in value:
        raise ValueError(f"a line break in the address {value[:80]!r} of a calendar")
    return value


def date(day: dt.date) -> str:
    """A DATE value: ``20210329``."""
    return f"{day.year:04}{day.month:02}{day.day:02}"


def local(day: dt.date, time: dt.time) -> str:
    """A DATE-TIME value of the wall-clock time ``time`` on ``day`` (its TZID said apart):
    ``20210329T093000``; a fraction of a second is not said."""
    return f"{date(day)}T{time.hour:02}{time.minute:02}{time.second:02}"


def utc(moment: dt.datetime) -> str:
    """A DATE-TIME value in UTC: ``20210114T103000Z``; a moment without a time zone is taken as
    UTC (icalendar's rule for DTSTAMP, CREATED and LAST-MODIFIED)."""
    # the fold is part of the key: Python holds the two readings of an ambiguous wall-clock
    # time equal (same tzinfo), though they are an hour apart
    return _utc(moment, moment.fold)


@lru_cache(maxsize=4096)
def _utc(moment: dt.datetime, fold: int) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return f"{local(moment.date(), moment.time())}Z"


def duration(span: dt.timedelta) -> str:
    """A DURATION value: ``PT6H``, ``-PT10M``, ``P1DT2H``."""
    sign = ""
    if span.days < 0:
        sign, span = "-", -span
    hours, rest = divmod(span.seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    clock = ""
    if span.seconds:
        clock = "T" + (f"{hours}H" if hours else "")
        clock += f"{minutes}M" if minutes or (hours and seconds) else ""
        clock += f"{seconds}S" if seconds else ""
    if span.days == 0 and clock:
        return f"{sign}P{clock}"
    return f"{sign}P{span.days}D{clock}"


def line(name: str, value: str, params: str = "") -> bytes:
    """A property's content line: ``params`` is ``;TZID=Europe/Paris`` or empty, ``value`` is
    already in its type's form (``text(…)`` for a TEXT)."""
    return fold(f"{name}{params}:{value}")
