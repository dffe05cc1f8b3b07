"""Calendar events expanded across the changes of time: every occurrence falls on the rule's
day at the rule's hour in Paris, before and after each change, for the real rules of a release
and for arbitrary valid rules (hypothesis); the VTIMEZONE agrees with the tz database.

Two expansions are compared: recurring-ical-events (icalendar, Python's tz database) and vobject
(dateutil, reading the calendar's own VTIMEZONE)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
import vobject
from hypothesis import example, given, settings
from hypothesis import strategies as st

from publish import layout
from tests.test_calendar_events import rule as a_rule
from website.calendar_events import WEEKDAY_CODES, schedule, uid
from website.calendars import Latest, Published, calendar_docs
from website.ical import ZONE, render_calendar

PARIS = ZoneInfo("Europe/Paris")
DAYS = list(WEEKDAY_CODES)


def last_sunday(year: int, month: int) -> dt.date:
    day = dt.date(year, month + 1, 1) - dt.timedelta(days=1)
    return day - dt.timedelta(days=(day.weekday() - 6) % 7)


def windows(year: int) -> list[tuple[dt.date, dt.date]]:
    """Two weeks either side of each change of time of ``year``."""
    return [
        (change - dt.timedelta(days=14), change + dt.timedelta(days=15))
        for change in (last_sunday(year, 3), last_sunday(year, 10))
    ]


def in_gap(day: dt.date, time: dt.time) -> bool:
    """Whether ``time`` does not exist on ``day`` in Paris (the spring change's lost hour)."""
    moment = dt.datetime.combine(day, time, tzinfo=PARIS)
    return moment.astimezone(dt.UTC).astimezone(PARIS).replace(tzinfo=None) != moment.replace(
        tzinfo=None
    )


def expected_instant(day: dt.date, time: dt.time) -> dt.datetime:
    """RFC 5545 3.3.5: a local time that occurs twice is the first one; one that does not occur
    is read with the offset before the gap (2 h 30 on the spring Sunday is 3 h 30 CEST)."""
    if in_gap(day, time):
        before = dt.datetime.combine(day, dt.time(1, 0), tzinfo=PARIS).utcoffset()
        assert before is not None
        return dt.datetime.combine(day, time).replace(tzinfo=dt.timezone(before))
    return dt.datetime.combine(day, time, tzinfo=PARIS)


def expanded(data: bytes, event_uid: str, start: dt.date, end: dt.date) -> list[Any]:
    """The occurrences of ``event_uid`` that start on the days from ``start`` to ``end``
    (excluded), in order."""
    calendar = icalendar.Calendar.from_ical(data)
    found = [
        o
        for o in recurring_ical_events.of(calendar).between(start, end)
        if str(o["UID"]) == event_uid and start <= _day(o["DTSTART"].dt) < end
    ]
    return sorted(
        found,
        key=lambda o: (
            str(o["DTSTART"].dt.astimezone(dt.UTC))
            if isinstance(o["DTSTART"].dt, dt.datetime)
            else str(o["DTSTART"].dt)
        ),
    )


def _day(value: Any) -> dt.date:
    return value.astimezone(PARIS).date() if isinstance(value, dt.datetime) else value


def occurrences(data: bytes, event_uid: str, start: dt.date, end: dt.date) -> list[Any]:
    """The starts of ``event_uid`` on the days from ``start`` to ``end`` (excluded)."""
    return [o["DTSTART"].dt for o in expanded(data, event_uid, start, end)]


def vobject_starts(data: bytes, event_uid: str, start: dt.date, end: dt.date) -> list[Any]:
    calendar = vobject.readOne(data.decode("utf-8"))
    event = next(e for e in calendar.vevent_list if e.uid.value == event_uid)
    low = dt.datetime.combine(start, dt.time(), tzinfo=PARIS)
    high = dt.datetime.combine(end, dt.time(), tzinfo=PARIS)
    return event.getrruleset().between(low, high - dt.timedelta(microseconds=1), inc=True)


def matching_days(
    weekdays: list[str], first: dt.date, start: dt.date, end: dt.date, skipped: set[dt.date]
) -> list[dt.date]:
    days = (start + dt.timedelta(days=n) for n in range((end - start).days))
    return [d for d in days if DAYS[d.weekday()] in weekdays and d >= first and d not in skipped]


def check_rule(data: bytes, rule: dict[str, Any], year: int, skipped: set[dt.date]) -> int:
    """Expand the rule's event around both changes of ``year``; returns how many occurrences
    were checked."""
    key = uid("slot-rule", rule["rule_id"])
    calendar = icalendar.Calendar.from_ical(data)
    event: Any = next(e for e in calendar.walk("VEVENT") if str(e["UID"]) == key)
    start_time = rule.get("time") if rule["rule_type"] == "slot_release" else rule["start_time"]
    first = event["DTSTART"].dt
    first_day = first.date() if isinstance(first, dt.datetime) else first
    checked = 0
    for low, high in windows(year):
        found = occurrences(data, key, low, high)
        days = matching_days(rule["weekdays"], first_day, low, high, skipped)
        if start_time is None:  # all day: a date, never an hour
            assert found == days, (rule, low)
            checked += len(found)
            continue
        wanted = dt.time.fromisoformat(start_time)
        assert [o.astimezone(dt.UTC) for o in found] == [
            expected_instant(d, wanted).astimezone(dt.UTC) for d in days
        ], (rule, low)
        for moment in found:
            local = moment.astimezone(PARIS)
            assert DAYS[local.weekday()] in rule["weekdays"]
            if not in_gap(local.date(), wanted):
                assert local.time() == wanted
        check_ends(data, key, rule, (low, high))
        clear = [d for d in days if not in_gap(d, wanted)]
        theirs = [m.astimezone(dt.UTC) for m in vobject_starts(data, key, low, high)]
        assert [t for t in theirs if t.astimezone(PARIS).date() in clear] == [
            expected_instant(d, wanted).astimezone(dt.UTC) for d in clear
        ]
        checked += len(found)
    return checked


def check_ends(
    data: bytes, key: str, rule: dict[str, Any], window: tuple[dt.date, dt.date]
) -> None:
    """Each occurrence of a range ends at the rule's end, in Paris time (the next day when the
    range crosses midnight); a release or a start alone has no end."""
    for occurrence in expanded(data, key, *window):
        start, end = occurrence["DTSTART"].dt, occurrence.get("DTEND")
        if not rule.get("end_time"):
            assert end is None or end.dt == start
            continue
        wanted = dt.time.fromisoformat(rule["end_time"])
        day = start.astimezone(PARIS).date()
        if wanted <= dt.time.fromisoformat(rule["start_time"]):
            day += dt.timedelta(days=1)
        if not in_gap(day, wanted):
            assert end.dt.astimezone(PARIS).replace(tzinfo=None) == dt.datetime.combine(day, wanted)


# --- the real rules ----------------------------------------------------------------------------


def _rows(series: Any, version: str, resource: str) -> list[dict[str, Any]]:
    path = series.output / layout.release_dir(version) / layout.data_file(resource, ".json")
    return json.loads(path.read_text("utf-8"))


def test_the_published_rules_fall_on_their_day_and_hour_across_both_changes_of_2021(
    calendar_series,
):
    checked = 0
    for version in ("1.0.0", "1.1.0"):
        data = calendar_series.calendars[version][layout.MAIN_CALENDAR]
        closed = {dt.date(2021, 3, 29) + dt.timedelta(days=n) for n in range(5)}
        for rule in _rows(calendar_series, version, "slot_rules"):
            at_prefecture = rule["rule_type"] == "walk_in" and version == "1.1.0"
            checked += check_rule(data, rule, 2021, closed if at_prefecture else set())
    assert checked > 60


def test_a_monday_release_at_midnight_moves_in_utc_with_the_change_of_time(calendar_series):
    data = calendar_series.calendars["1.0.0"][layout.MAIN_CALENDAR]
    key = uid("slot-rule", "renouvellements-de-titre-de-sejour--online-booking--slot-release")
    found = occurrences(data, key, dt.date(2021, 3, 22), dt.date(2021, 4, 6))
    assert [o.astimezone(dt.UTC) for o in found] == [
        dt.datetime(2021, 3, 21, 23, 0, tzinfo=dt.UTC),  # CET: UTC+1
        dt.datetime(2021, 3, 28, 22, 0, tzinfo=dt.UTC),  # CEST: UTC+2
        dt.datetime(2021, 4, 4, 22, 0, tzinfo=dt.UTC),
    ]


def test_the_vtimezone_agrees_with_the_tz_database_for_every_hour_of_every_change():
    calendar = b"BEGIN:VCALENDAR\r\n" + ZONE + b"END:VCALENDAR\r\n"
    zone = vobject.readOne(calendar.decode()).vtimezone.gettzinfo()
    checked = 0
    for year in range(1996, 2041):
        for month in (3, 10):
            sunday = dt.datetime.combine(last_sunday(year, month), dt.time(), tzinfo=dt.UTC)
            for hours in range(-30, 30):
                moment = sunday + dt.timedelta(hours=hours)
                assert moment.astimezone(zone).utcoffset() == moment.astimezone(PARIS).utcoffset()
                checked += 1
    assert checked == 45 * 2 * 60


# --- arbitrary rules ---------------------------------------------------------------------------

times = st.times().map(lambda t: t.replace(second=0, microsecond=0))


@st.composite
def rules(draw: Any) -> dict[str, Any]:
    kind = draw(st.sampled_from(["slot_release", "walk_in", "opening_hours"]))
    days = sorted(draw(st.sets(st.sampled_from(DAYS), min_size=1)), key=DAYS.index)
    rule = a_rule(
        rule_type=kind,
        weekdays=days,
        period=draw(st.sampled_from([None, "morning", "afternoon", "all_day"])),
        visibility_weeks=draw(st.sampled_from([None, 4])),
    )
    if kind == "slot_release":
        rule["time"] = draw(st.none() | times.map(dt.time.isoformat))
    else:  # a range, its start or its end alone (« jusqu'à 16 h »), or nothing
        start, end = draw(st.none() | times), draw(st.none() | times)
        rule["start_time"] = start.isoformat() if start is not None else None
        rule["end_time"] = end.isoformat() if end and end != start else None
    return rule


SUNDAY_NIGHT: dict[str, Any] = a_rule(weekdays=["sunday"])


def one_rule_calendar(rule: dict[str, Any], since: dt.date) -> bytes:
    rows: dict[str, list[dict[str, Any]]] = {
        "appointment_types": [{"type_id": "type", "label": "Type", "position": 1}],
        "channels": [
            {
                "channel_id": "modalite",
                "type_id": "type",
                "channel_type": "online_booking",
                "url": "https://www.isere.gouv.fr/",
                "location_id": None,
            }
        ],
        "slot_rules": [rule],
    }
    moment = dt.datetime.combine(since, dt.time(12), tzinfo=dt.UTC)
    history = [Published("1.0.0", moment, since, schedule(rows))]
    latest = Latest("1.0.0", moment, since.isoformat(), rows, "https://donnees.example.org")
    (doc, _) = calendar_docs(history, latest, [("type", "Type")])
    return render_calendar(doc)


@settings(max_examples=60)
@example(  # 2 h 30 on Sundays: lost in spring, twice in autumn
    {**SUNDAY_NIGHT, "start_time": "02:30:00", "end_time": "03:15:00"}, dt.date(2020, 6, 1)
)
@example({**SUNDAY_NIGHT, "rule_type": "slot_release", "time": "02:00:00"}, dt.date(2021, 1, 1))
@example({**SUNDAY_NIGHT, "end_time": "16:00:00"}, dt.date(2022, 1, 1))  # an end alone: all day
@example({**SUNDAY_NIGHT, "start_time": "22:00:00", "end_time": "02:00:00"}, dt.date(2020, 1, 2))
@given(rules(), st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2024, 12, 31)))
def test_any_weekly_rule_falls_on_its_days_and_hours_across_the_changes_of_time(rule, since):
    data = one_rule_calendar(rule, since)
    assert check_rule(data, rule, since.year + 1, set()) > 0
