"""Calendars as iCalendar bytes (RFC 5545, with RFC 7986's calendar properties), through the
``icalendar`` library: the dates of a weekly event, Europe/Paris's VTIMEZONE, the events and
their alarms, and the calendar that holds them.

Times are Paris wall-clock times with ``TZID=Europe/Paris``; the VTIMEZONE says Europe/Paris's
rule since 1996 (last Sunday of March 02:00 → CEST, last Sunday of October 03:00 → CET) with two
yearly RRULEs, so it is short, valid for every year and the same bytes whatever tz database the
machine has (``tests/test_calendars.py`` checks it against the tz database). Pure functions of
plain data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import (
    Alarm,
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vDuration,
    vText,
)

from website import calendar_words as words
from website.calendar_events import WEEKDAY_CODES, Days, EventSpec, Weekly

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


def timing(when: Weekly | Days, since: dt.date) -> Timing | None:
    """The dates of an event whose current wording was observed on ``since``; None for a weekly
    event that falls on no day any more."""
    if isinstance(when, Days):
        return Timing(when.first, when.last)
    first = first_day(when, since)
    if first is None:
        return None
    last = last_day(when)
    return Timing(first, last, skipped_days(when, first, last))


# --- components --------------------------------------------------------------------------------


def paris_timezone() -> Timezone:
    """Europe/Paris as a VTIMEZONE with the EU rule (in force since 1996)."""
    zone = Timezone()
    zone.add("tzid", TZID)
    for part, start, month, names in (
        (TimezoneDaylight(), dt.datetime(1996, 3, 31, 2), 3, ("+0100", "+0200", "CEST")),
        (TimezoneStandard(), dt.datetime(1996, 10, 27, 3), 10, ("+0200", "+0100", "CET")),
    ):
        offset_from, offset_to, name = names
        part.add("dtstart", start)
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1SU"})
        part.add("tzoffsetfrom", _offset(offset_from))
        part.add("tzoffsetto", _offset(offset_to))
        part.add("tzname", name)
        zone.add_component(part)
    return zone


def _offset(said: str) -> dt.timedelta:
    return dt.timedelta(hours=int(said[:3]), minutes=int(said[0] + said[3:]))


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=PARIS)


def _weekly_dates(event: Event, weekly: Weekly, when: Timing) -> None:
    rule: dict[str, Any] = {
        "freq": "weekly",
        "byday": [WEEKDAY_CODES[d] for d in weekly.weekdays],
        "wkst": "MO",
    }
    start = weekly.start
    if start is None:
        event.add("dtstart", when.first)
        event.add("dtend", when.first + DAY)
        if when.last is not None:
            rule["until"] = when.last
        if when.skipped:
            event.add("exdate", list(when.skipped))
    else:
        event.add("dtstart", _at(when.first, start))
        if weekly.end is not None:
            end_day = when.first if weekly.end > start else when.first + DAY
            event.add("dtend", _at(end_day, weekly.end))
        if when.last is not None:  # RFC 5545: UNTIL in UTC when DTSTART has a TZID
            rule["until"] = _at(when.last, start).astimezone(dt.UTC)
        if when.skipped:
            event.add("exdate", [_at(day, start) for day in when.skipped])
    event.add("rrule", rule)


def _alarm(text: str) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", text)
    alarm.add("trigger", -ALARM_BEFORE)
    return alarm


def event_component(placed: Placed) -> Event:
    stamped, spec = placed.stamped, placed.stamped.spec
    event = Event()
    event.add("uid", spec.uid)
    event.add("sequence", stamped.sequence)
    event.add("dtstamp", stamped.modified)
    event.add("created", stamped.created)
    event.add("last-modified", stamped.modified)
    event.add("summary", spec.summary)
    event.add("description", spec.description)
    event.add("transp", "TRANSPARENT")  # a reminder: it never makes its reader busy
    if spec.url:
        event.add("url", spec.url)
    if spec.location:
        event.add("location", spec.location)
    if isinstance(spec.when, Weekly):
        _weekly_dates(event, spec.when, placed.timing)
    else:
        event.add("dtstart", placed.timing.first)
        event.add("dtend", (placed.timing.last or placed.timing.first) + DAY)
    if spec.alarm:
        event.add_component(_alarm(spec.alarm))
    return event


def calendar_head(doc: CalendarDoc) -> Calendar:
    """The calendar's own properties, without its components."""
    calendar = Calendar()
    calendar.add("prodid", words.PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # RFC 7986's NAME and DESCRIPTION, and the X-WR- names most applications read instead
    for key in ("name", "x-wr-calname"):
        calendar.add(key, vText(doc.name))
    for key in ("description", "x-wr-caldesc"):
        calendar.add(key, vText(doc.description))
    calendar.add("x-wr-timezone", vText(TZID))
    calendar.add("url", doc.page)
    calendar.add("source", doc.source)
    calendar.add("last-modified", doc.last_modified)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH).to_ical().decode())
    return calendar


def calendar_component(doc: CalendarDoc) -> Calendar:
    """The whole calendar as one icalendar object: its properties, the VTIMEZONE, its events."""
    calendar = calendar_head(doc)
    calendar.add_component(paris_timezone())
    for placed in doc.events:
        calendar.add_component(event_component(placed))
    return calendar


class Renderer:
    """Writes the calendars of one build. The VTIMEZONE and each event are serialised once,
    however many calendars hold them (the calendar of every type and its type's): the bytes are
    those of ``calendar_component(doc).to_ical()``, which icalendar writes properties first and
    components after, in order; a table of thousands of types is written in linear time."""

    END = b"END:VCALENDAR\r\n"

    def __init__(self) -> None:
        self.zone = paris_timezone().to_ical()
        self.events: dict[str, bytes] = {}

    def event(self, placed: Placed) -> bytes:
        key = placed.stamped.spec.uid
        if key not in self.events:
            self.events[key] = event_component(placed).to_ical()
        return self.events[key]

    def calendar(self, doc: CalendarDoc) -> bytes:
        head = calendar_head(doc).to_ical()
        if not head.endswith(self.END):  # icalendar always ends a calendar with its END line
            raise ValueError(f"icalendar wrote {head[-40:]!r} at the end of {doc.path}")
        parts = [head[: -len(self.END)], self.zone, *(self.event(p) for p in doc.events)]
        return b"".join([*parts, self.END])


def render_calendar(doc: CalendarDoc) -> bytes:
    """One calendar's bytes."""
    return Renderer().calendar(doc)
