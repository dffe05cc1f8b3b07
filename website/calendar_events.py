"""The events of one release: what its slot rules, closures and places say will happen, as plain
data (``EventSpec``), before any calendar is written.

- a rule (``slot_release``, ``walk_in``, ``opening_hours``) with weekly days is a weekly event:
  at the release time, or over the hour range; a rule without a time or a whole range is an
  all-day event whose title says what is missing (« l'après-midi, horaires non précisés »):
  no hour is ever invented. A slot release with a time has an alarm;
- a walk-in or an opening ends with the last day its place is valid, starts with its first, and
  skips the days its place is closed;
- a closure is an all-day event over its dates (an open-ended one: its first day);
- a place's first and last day of validity are all-day events;
- a rule without a weekday, or not weekly, gives no event but a ``Note`` that the calendar's
  description says; so do unread sentences (``calendars``).

Every event knows the appointment types whose calendars hold it. Its ``uid`` comes from the key
of the row it says, so it is the same in every release. Pure functions of rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from core.settings import PACKAGE_NAME
from publish.changes import french
from publish.changes.summary import CHANNEL_KINDS
from website import calendar_words as words

#: RFC 5545 day codes, in the order of the week
WEEKDAY_CODES = {
    "monday": "MO",
    "tuesday": "TU",
    "wednesday": "WE",
    "thursday": "TH",
    "friday": "FR",
    "saturday": "SA",
    "sunday": "SU",
}
RECURRING = ("slot_release", "walk_in", "opening_hours")


def uid(kind: str, key: str) -> str:
    """« slot-rule/renouvellements-…@isere-modalites-rdv-sejour »: the thing's kind and key."""
    return f"{kind}/{key}@{PACKAGE_NAME}"


@dataclass(frozen=True)
class Weekly:
    """Every week on ``weekdays`` (``monday``…), from ``start`` to ``end`` in Paris time; no
    ``start``: all day. Bounded by the place's first and last day and its closed days."""

    weekdays: tuple[str, ...]
    start: dt.time | None = None
    end: dt.time | None = None
    not_before: dt.date | None = None
    until: dt.date | None = None
    #: (first, last) closed days, inclusive; ``last`` None: no end known
    closed: tuple[tuple[dt.date, dt.date | None], ...] = ()


@dataclass(frozen=True)
class Days:
    """All day, from ``first`` to ``last`` (inclusive)."""

    first: dt.date
    last: dt.date


@dataclass(frozen=True)
class EventSpec:
    uid: str
    summary: str
    description: str
    when: Weekly | Days
    url: str | None = None
    location: str | None = None
    #: the alarm's text, 10 minutes before; None: no alarm
    alarm: str | None = None
    #: the appointment types whose calendars hold it (not part of what the event says)
    types: frozenset[str] = field(default=frozenset(), compare=False)


@dataclass(frozen=True)
class Note:
    """A fact of the release that is in no event, for the calendars' description."""

    text: str
    types: frozenset[str]


@dataclass(frozen=True)
class Schedule:
    events: tuple[EventSpec, ...]
    notes: tuple[Note, ...]


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(str(value)[:10]) if value else None


def _time(value: Any) -> dt.time | None:
    return dt.time.fromisoformat(str(value)) if value else None


def weekdays(rule: dict[str, Any]) -> tuple[str, ...]:
    """The rule's days in week order (a Contract 1 row has one ``weekday``)."""
    found = rule.get("weekdays")
    if found is None and rule.get("weekday"):
        found = [rule["weekday"]]
    if isinstance(found, str):
        found = found.split(",")
    return tuple(day for day in WEEKDAY_CODES if day in (found or ()))


class Release:
    """One release's rows, indexed once: channels, type labels, places and their closures."""

    def __init__(self, rows: dict[str, list[dict[str, Any]]]) -> None:
        self.rows = rows
        self.labels = {t["type_id"]: t["label"] for t in rows.get("appointment_types", [])}
        self.channels = {c["channel_id"]: c for c in rows.get("channels", [])}
        self.places = {p["location_id"]: p for p in rows.get("locations", [])}
        self.closures: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for closure in rows.get("closures", []):
            self.closures[closure["location_id"]].append(closure)
        self.place_types: dict[str, set[str]] = defaultdict(set)
        for channel in self.channels.values():
            if channel.get("location_id"):
                self.place_types[channel["location_id"]].add(channel["type_id"])
        #: the line that ends every event's description, in the language of the moment
        self.check = words.CHECK

    def place_name(self, location_id: Any) -> str | None:
        place = self.places.get(location_id)
        return str(place["name"]) if place else None


# --- rules -------------------------------------------------------------------------------------


def _bounds(release: Release, channel: dict[str, Any]) -> dict[str, Any]:
    """A walk-in's or an opening's bounds: its place's validity and closures."""
    place = release.places.get(channel.get("location_id"))
    if place is None:
        return {}
    closed = tuple(
        sorted(
            (day, _date(c.get("closed_until")))
            for c in release.closures.get(place["location_id"], [])
            if (day := _date(c.get("closed_from"))) is not None
        )
    )
    return {
        "not_before": _date(place.get("valid_from")),
        "until": _date(place.get("valid_until")),
        "closed": closed,
    }


def _release_event(rule: dict[str, Any], about: str, days: tuple[str, ...]) -> dict[str, Any]:
    start = _time(rule.get("time"))
    return {
        "summary": words.release_title(about, timed=start is not None),
        "when": Weekly(days, start=start),
        "alarm": words.alarm(about) if start is not None else None,
    }


def _hours_event(
    rule: dict[str, Any],
    about: str,
    days: tuple[str, ...],
    channel: dict[str, Any],
    bounds: dict[str, Any],
) -> dict[str, Any]:
    """A walk-in's or an opening's title and days, within its place's ``bounds``."""
    start, end = rule.get("start_time"), rule.get("end_time")
    qualifier = words.hours_qualifier(rule.get("period"), start, end)
    kind = CHANNEL_KINDS.get(str(channel.get("channel_type")), str(channel.get("channel_type")))
    timed = start is not None  # « jusqu'à 16 h » alone has no start: all day, said in the title
    return {
        "summary": words.hours_title(rule["rule_type"], kind, about, qualifier),
        "when": Weekly(
            days,
            start=_time(start) if timed else None,
            end=_time(end) if timed else None,
            **bounds,
        ),
    }


def rule_event(release: Release, rule: dict[str, Any]) -> EventSpec | Note | None:
    """The event of a rule, a ``Note`` when it has none, None when it is not a calendar fact
    (or its channel is unknown)."""
    channel = release.channels.get(rule.get("channel_id"))
    if rule.get("rule_type") not in RECURRING or channel is None:
        return None
    types = frozenset({channel["type_id"]})
    about = words.subject(release.labels.get(channel["type_id"], ""), rule.get("applies_to"))
    sentence = french.rule_sentence(rule)
    days = weekdays(rule)
    if not days or rule.get("frequency") != "weekly":
        why = words.NO_WEEKDAY if not days else words.NOT_WEEKLY
        return Note(words.unscheduled(about, sentence, why), types)
    if rule["rule_type"] == "slot_release":
        made = _release_event(rule, about, days)
    else:
        made = _hours_event(rule, about, days, channel, _bounds(release, channel))
    return EventSpec(
        uid=uid("slot-rule", str(rule["rule_id"])),
        description="\n".join([sentence, *words.how_to_book(channel), release.check]),
        url=channel.get("url") or channel.get("portal_url"),
        location=release.place_name(channel.get("location_id")),
        types=types,
        **made,
    )


# --- places ------------------------------------------------------------------------------------


def closure_event(release: Release, closure: dict[str, Any]) -> EventSpec | None:
    place = release.place_name(closure.get("location_id"))
    first, last = _date(closure.get("closed_from")), _date(closure.get("closed_until"))
    if place is None or first is None:
        return None
    return EventSpec(
        uid=uid("closure", f"{closure['location_id']}/{first.isoformat()}"),
        summary=words.closure_title(place, open_ended=last is None),
        description="\n".join(
            [
                words.closure_text(place, first.isoformat(), last.isoformat() if last else None),
                release.check,
            ]
        ),
        when=Days(first, last or first),
        location=place,
        types=frozenset(release.place_types.get(closure["location_id"], ())),
    )


def validity_events(release: Release, place: dict[str, Any]) -> list[EventSpec]:
    """The first and the last day a place receives appointments, when the table says them."""
    name = str(place["name"])
    types = frozenset(release.place_types.get(place["location_id"], ()))
    events = []
    first, last = _date(place.get("valid_from")), _date(place.get("valid_until"))
    if first is not None:
        text = words.first_day_text(name, first.isoformat())
        events.append((uid("place", f"{place['location_id']}/valid-from"), first, text, True))
    if last is not None:
        after = (last + dt.timedelta(days=1)).isoformat()
        text = words.last_day_text(name, last.isoformat(), after)
        events.append((uid("place", f"{place['location_id']}/valid-until"), last, text, False))
    return [
        EventSpec(
            uid=key,
            summary=words.first_day_title(name) if opening else words.last_day_title(name),
            description=f"{text}\n{release.check}",
            when=Days(day, day),
            location=name,
            types=types,
        )
        for key, day, text, opening in events
    ]


def schedule(rows: dict[str, list[dict[str, Any]]]) -> Schedule:
    """Every event of a release, in the order of its tables (rules, closures, places), and the
    notes of the rules that give none."""
    release = Release(rows)
    events: list[EventSpec] = []
    notes: list[Note] = []
    for rule in rows.get("slot_rules", []):
        made = rule_event(release, rule)
        if isinstance(made, EventSpec):
            events.append(made)
        elif isinstance(made, Note):
            notes.append(made)
    for closure in rows.get("closures", []):
        if (event := closure_event(release, closure)) is not None:
            events.append(event)
    for place in rows.get("locations", []):
        events.extend(validity_events(release, place))
    return Schedule(tuple(events), tuple(notes))
