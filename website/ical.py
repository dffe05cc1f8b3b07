"""Calendars as iCalendar bytes (RFC 5545, with RFC 7986's calendar properties), written by
``website.ical_lines``: the dates of a weekly event, Europe/Paris's VTIMEZONE, the events and
their alarms, and the calendar that holds them. The bytes are those the ``icalendar`` library
writes for the same components (``tests/ical_reference.py``, the reference of the tests), which
the site used before: it cost most of a large table's publication.

Times are Paris wall-clock times with ``TZID=Europe/Paris``; the VTIMEZONE says Europe/Paris's
rule since 1996 (last Sunday of March 02:00 → CEST, last Sunday of October 03:00 → CET) with two
yearly RRULEs, so it is short, valid for every year and the same bytes whatever tz database the
machine has (``tests/test_calendar_dst.py`` checks it against the tz database). Pure functions of
plain data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

from website import calendar_words as words
from website.calendar_events import WEEKDAY_CODES, Days, EventSpec, Weekly
from website.ical_lines import date, duration, line, local, text, uri, utc

TZID = "Europe/Paris"
PARIS = ZoneInfo(TZID)
#: how often a subscribed application should read the calendar again (RFC 7986)
REFRESH = dt.timedelta(hours=6)
#: the alarm of a slot release, before it
ALARM_BEFORE = dt.timedelta(minutes=words.ALARM_MINUTES)
DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Stamped:
    """An event of the latest release with what its history says of it (``calendars.stamp``)."""

    spec: EventSpec
    sequence: int
    #: the observed day of the release that first said it as it is now
    since: dt.date
    created: dt.datetime
    modified: dt.datetime


@dataclass(frozen=True)
class Timing:
    """The dates of an event: its first day, its last one (None: none known) and, for a weekly
    one, the days it skips."""

    first: dt.date
    last: dt.date | None
    skipped: tuple[dt.date, ...] = ()


@dataclass(frozen=True)
class Placed:
    stamped: Stamped
    timing: Timing


@dataclass(frozen=True)
class CalendarDoc:
    """One calendar: where it goes in ``site/``, what it says of itself, and its events."""

    path: str
    name: str
    description: str
    #: the site's page it stands for, and its own address (https)
    page: str
    source: str
    last_modified: dt.datetime
    events: tuple[Placed, ...]


# --- the dates of an event ---------------------------------------------------------------------


def last_day(weekly: Weekly) -> dt.date | None:
    """The last day a weekly event may fall on: its place's last day, or the eve of a closure
    without end, whichever comes first."""
    ends = [first - DAY for first, last in weekly.closed if last is None]
    if weekly.until is not None:
        ends.append(weekly.until)
    return min(ends, default=None)


def _closed(weekly: Weekly, day: dt.date) -> bool:
    return any(first <= day <= last for first, last in weekly.closed if last is not None)


def _on(weekly: Weekly, day: dt.date) -> bool:
    return list(WEEKDAY_CODES)[day.weekday()] in weekly.weekdays and not _closed(weekly, day)


def first_day(weekly: Weekly, since: dt.date) -> dt.date | None:
    """The first day on or after ``since`` (and the place's first day) the event falls on."""
    day = max(since, weekly.not_before or since)
    end = last_day(weekly)
    # a week past the last closure holds each of its weekdays: the search stops there
    bound = max([day, *(last for _, last in weekly.closed if last is not None)]) + 7 * DAY
    while day <= bound and (end is None or day <= end):
        if _on(weekly, day):
            return day
        day += DAY
    return None


def skipped_days(weekly: Weekly, first: dt.date, last: dt.date | None) -> tuple[dt.date, ...]:
    """The days of its weekdays a weekly event skips because its place is closed."""
    days: list[dt.date] = []
    for start, end in weekly.closed:
        if end is None:
            continue
        day = max(start, first)
        while day <= end and (last is None or day <= last):
            if list(WEEKDAY_CODES)[day.weekday()] in weekly.weekdays:
                days.append(day)
            day += DAY
    return tuple(sorted(set(days)))


@lru_cache(maxsize=1 << 16)
def timing(when: Weekly | Days, since: dt.date) -> Timing | None:
    """The dates of an event whose current wording was observed on ``since``; None for a weekly
    event that falls on no day any more. Found once for both languages, and for all the events
    of a table that fall on the same days."""
    if isinstance(when, Days):
        return Timing(when.first, when.last)
    first = first_day(when, since)
    if first is None:
        return None
    last = last_day(when)
    return Timing(first, last, skipped_days(when, first, last))


# --- the bytes ---------------------------------------------------------------------------------
#
# Each component is written as icalendar writes it (``tests/ical_reference.py``): BEGIN, its
# properties in icalendar's order (its class's canonical ones first, then the others
# alphabetically), its components, END.

PARIS_PARAM = f";TZID={TZID}"
DATE_PARAM = ";VALUE=DATE"


def _zone() -> bytes:
    """Europe/Paris as a VTIMEZONE with the EU rule (in force since 1996)."""
    lines = [line("BEGIN", "VTIMEZONE"), line("TZID", text(TZID))]
    for part, start, month, (offset_from, offset_to, name) in (
        ("DAYLIGHT", dt.datetime(1996, 3, 31, 2), 3, ("+0100", "+0200", "CEST")),
        ("STANDARD", dt.datetime(1996, 10, 27, 3), 10, ("+0200", "+0100", "CET")),
    ):
        lines += [
            line("BEGIN", part),
            line("DTSTART", local(start.date(), start.time())),
            line("RRULE", f"FREQ=YEARLY;BYDAY=-1SU;BYMONTH={month}"),
            line("TZNAME", text(name)),
            line("TZOFFSETFROM", offset_from),
            line("TZOFFSETTO", offset_to),
            line("END", part),
        ]
    return b"".join([*lines, line("END", "VTIMEZONE")])


#: the VTIMEZONE of every calendar
ZONE = _zone()


def _starts(weekly: Weekly | None, when: Timing) -> list[bytes]:
    """DTSTART and DTEND: all day (``VALUE=DATE``, DTEND the day after the last) or at Paris
    times (an end before the start is on the next day)."""
    if weekly is None or weekly.start is None:
        last = when.first if weekly is not None else (when.last or when.first)
        return [
            line("DTSTART", date(when.first), DATE_PARAM),
            line("DTEND", date(last + DAY), DATE_PARAM),
        ]
    start, end = weekly.start, weekly.end
    found = [line("DTSTART", local(when.first, start), PARIS_PARAM)]
    if end is not None:
        end_day = when.first if end > start else when.first + DAY
        found.append(line("DTEND", local(end_day, end), PARIS_PARAM))
    return found


def _repeats(weekly: Weekly, when: Timing) -> list[bytes]:
    """RRULE and EXDATE of a weekly event; its UNTIL in UTC when it has a time (RFC 5545)."""
    rule = "FREQ=WEEKLY"
    start = weekly.start
    if when.last is not None:
        if start is None:
            rule += f";UNTIL={date(when.last)}"
        else:
            rule += f";UNTIL={utc(dt.datetime.combine(when.last, start, tzinfo=PARIS))}"
    days = ",".join(WEEKDAY_CODES[d] for d in weekly.weekdays)
    found = [line("RRULE", f"{rule};BYDAY={days};WKST=MO")]
    if when.skipped:
        if start is None:
            found.append(line("EXDATE", ",".join(map(date, when.skipped)), DATE_PARAM))
        else:
            skipped = ",".join(local(day, start) for day in when.skipped)
            found.append(line("EXDATE", skipped, PARIS_PARAM))
    return found


EVENT_BEGIN, EVENT_END = line("BEGIN", "VEVENT"), line("END", "VEVENT")
ALARM_HEAD = line("BEGIN", "VALARM") + line("ACTION", "DISPLAY")
ALARM_TAIL = line("TRIGGER", duration(-ALARM_BEFORE)) + line("END", "VALARM")
#: a reminder: it never makes its reader busy
TRANSPARENT = line("TRANSP", "TRANSPARENT")


def event_bytes(placed: Placed) -> bytes:
    """One VEVENT, with its VALARM when it has one."""
    stamped, spec = placed.stamped, placed.stamped.spec
    weekly = spec.when if isinstance(spec.when, Weekly) else None
    modified = utc(stamped.modified)
    lines = [
        EVENT_BEGIN,
        line("SUMMARY", text(spec.summary)),
        *_starts(weekly, placed.timing),
        line("DTSTAMP", modified),
        line("UID", text(spec.uid)),
        line("SEQUENCE", str(stamped.sequence)),
        *(_repeats(weekly, placed.timing) if weekly is not None else ()),
        line("CREATED", utc(stamped.created)),
        line("DESCRIPTION", text(spec.description)),
        line("LAST-MODIFIED", modified),
    ]
    if spec.location:
        lines.append(line("LOCATION", text(spec.location)))
    lines.append(TRANSPARENT)
    if spec.url:
        lines.append(line("URL", uri(spec.url)))
    if spec.alarm:
        lines += [ALARM_HEAD, line("DESCRIPTION", text(spec.alarm)), ALARM_TAIL]
    lines.append(EVENT_END)
    return b"".join(lines)


CALENDAR_HEAD = b"".join(
    [
        line("BEGIN", "VCALENDAR"),
        line("VERSION", "2.0"),
        line("PRODID", text(words.PRODID)),
        line("CALSCALE", "GREGORIAN"),
    ]
)
#: how often to read the calendar again, said twice (RFC 7986, and the older X- name), and the
#: calendar's time zone: after LAST-MODIFIED, SOURCE and URL in icalendar's order
REFRESH_LINE = line("REFRESH-INTERVAL", duration(REFRESH), ";VALUE=DURATION")
TTL_ZONE = line("X-PUBLISHED-TTL", text(duration(REFRESH))) + line("X-WR-TIMEZONE", text(TZID))


def calendar_head(doc: CalendarDoc) -> bytes:
    """The calendar's BEGIN and its own properties, without its components: RFC 7986's NAME
    and DESCRIPTION, and the X-WR- names most applications read instead."""
    description, name = text(doc.description), text(doc.name)
    return b"".join(
        [
            CALENDAR_HEAD,
            line("DESCRIPTION", description),
            line("X-WR-CALDESC", description),
            line("NAME", name),
            line("X-WR-CALNAME", name),
            line("LAST-MODIFIED", utc(doc.last_modified)),
            REFRESH_LINE,
            line("SOURCE", uri(doc.source)),
            line("URL", uri(doc.page)),
            TTL_ZONE,
        ]
    )


class Renderer:
    """Writes the calendars of one build. The VTIMEZONE and each event are serialised once,
    however many calendars hold them (the calendar of every type and its type's): a table of
    thousands of types is written in linear time."""

    END = line("END", "VCALENDAR")

    def __init__(self) -> None:
        self.events: dict[str, bytes] = {}

    def event(self, placed: Placed) -> bytes:
        key = placed.stamped.spec.uid
        if key not in self.events:
            self.events[key] = event_bytes(placed)
        return self.events[key]

    def calendar(self, doc: CalendarDoc) -> bytes:
        parts = [calendar_head(doc), ZONE, *(self.event(p) for p in doc.events), self.END]
        return b"".join(parts)


def render_calendar(doc: CalendarDoc) -> bytes:
    """One calendar's bytes."""
    return Renderer().calendar(doc)
