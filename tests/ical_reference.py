"""The calendars as the ``icalendar`` library writes them: the reference that
``website/ical.py``'s own serialiser must match byte for byte (``tests/test_ical_bytes.py``).
These are the builders the site used before it wrote its calendars itself, unchanged.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

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
from website.calendar_events import WEEKDAY_CODES, Weekly
from website.ical import ALARM_BEFORE, DAY, PARIS, REFRESH, TZID, CalendarDoc, Placed, Timing

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
