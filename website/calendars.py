"""iCalendar feeds (RFC 5545, RFC 7986) of the site: ``calendar.ics`` for every appointment type
and ``calendars/<type_id>.ics`` for each one, written by ``website.ical`` (the bytes the
``icalendar`` library writes, without its cost).

The events are ``calendar_events``'s, from the latest release. Each event's ``SEQUENCE`` is the
number of releases, after the one that first had it, in which what it says changed (or it came
back after a release without it), so calendar applications update it rather than add a second
one; a rule that disappears is simply absent from the next calendar. ``DTSTAMP`` and
``LAST-MODIFIED`` are the publication time of the release that last changed the event,
``CREATED`` that of the first: no clock is read, and an unchanged output folder gives the same
bytes. A weekly event starts on its first day on or after the day its current wording was
observed on the prefecture's site.

``write_calendars`` reads the store; everything else here works on plain data.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from core.i18n import DEFAULT, _, current
from publish import layout
from publish.changes.unread import RESOURCE as UNREAD
from publish.changes.unread import ordered as unread_ordered
from publish.release.store import ReleaseStore
from website import calendar_words as words
from website.calendar_events import Schedule, schedule
from website.feeds import SAFE_ID, feed_types, rfc3339
from website.files import write_file
from website.ical import CalendarDoc, Placed, Renderer, Stamped, timing
from website.observed import observed_day


@dataclass(frozen=True)
class Published:
    """A release as the calendars see it: when it was published and observed, and its events."""

    version: str
    published: dt.datetime
    observed: dt.date
    schedule: Schedule


def stamp(history: list[Published]) -> list[Stamped]:
    """The events of the last release of ``history`` (oldest first), in its order, stamped."""
    state: dict[str, Stamped] = {}
    present: set[str] = set()
    for release in history:
        seen = set()
        for spec in release.schedule.events:
            seen.add(spec.uid)
            before = state.get(spec.uid)
            if before is None:
                moment = release.published
                state[spec.uid] = Stamped(spec, 0, release.observed, moment, moment)
            elif before.spec != spec or spec.uid not in present:
                state[spec.uid] = Stamped(
                    spec, before.sequence + 1, release.observed, before.created, release.published
                )
            else:  # the same event: only the calendars holding it may differ
                state[spec.uid] = replace(before, spec=spec)
        present = seen
    return [state[spec.uid] for spec in history[-1].schedule.events] if history else []


def place_events(events: list[Stamped]) -> tuple[list[Placed], list[Stamped]]:
    """Each event with its dates, and the weekly events left without any date (their place no
    longer receives appointments, or is closed for good)."""
    placed, dateless = [], []
    for event in events:
        found = timing(event.spec.when, event.since)
        if found is None:
            dateless.append(event)
        else:
            placed.append(Placed(event, found))
    return placed, dateless


def site_url(base_url: str, path: str) -> str:
    """The https address of ``path`` (relative to the current language's site folder) where the
    output folder is served."""
    folder = layout.site_language_dir(current(), DEFAULT)
    return f"{base_url.rstrip('/')}/{layout.SITE_DIR}/{folder}{path}"


def webcal(url: str) -> str:
    """The same address for a calendar application: ``webcal://host/…``."""
    parts = urlsplit(url)
    return urlunsplit(("webcal", *parts[1:]))


def subscription(base_url: str, path: str) -> dict[str, str]:
    """The site's links to one calendar: « S'abonner » (webcal) and its https address."""
    url = site_url(base_url, path)
    return {"webcal": webcal(url), "url": url, "address": words.web_address(urlsplit(url).scheme)}


#: a path that ``urlsplit`` and ``urlunsplit`` keep as it is wherever it ends an address
PLAIN_PATH = re.compile(r"[a-z0-9][a-z0-9./-]*")


def type_subscriptions(base_url: str, type_ids: list[str]) -> dict[str, dict[str, str]]:
    """``subscription`` of each type's calendar, the address split once for all: a type's path
    (a slug, ``SAFE_ID``) appended to an address is kept as it is by ``urlsplit`` and
    ``urlunsplit``, so its webcal address is the site folder's with the path appended."""
    safe = [t for t in type_ids if SAFE_ID.match(t)]
    if not safe:
        return {}
    model = subscription(base_url, "0")  # its webcal address ends with that "0"
    links = {}
    for type_id in safe:
        path = layout.type_calendar(type_id)
        url = site_url(base_url, path)
        said = model["webcal"][:-1] + path if PLAIN_PATH.fullmatch(path) else webcal(url)
        links[type_id] = {"webcal": said, "url": url, "address": model["address"]}
    return links


def subscriptions(base_url: str, type_ids: list[str]) -> dict[str, Any]:
    """``all``: the calendar of every type; ``types``: each type's."""
    return {
        "all": subscription(base_url, layout.MAIN_CALENDAR),
        "types": type_subscriptions(base_url, type_ids),
        "hint": words.links_hint(),
        "subscribe": _(words.SUBSCRIBE),
        "all_label": _(words.ALL_TYPES_LINK),
        "type_label": _(words.TYPE_LINK),
    }


@dataclass(frozen=True)
class Latest:
    """What every calendar of a build says of the latest release."""

    version: str
    published: dt.datetime
    observed: str
    rows: dict[str, list[dict[str, Any]]]
    base_url: str
    #: how old the facts are (``website.freshness``'s sentences), said first
    age: tuple[str, ...] = ()

    @cached_property
    def site(self) -> str:
        """``site_url(base_url, "")``, which each calendar's addresses begin with."""
        return site_url(self.base_url, "")

    @cached_property
    def said(self) -> tuple[str, ...]:
        """What every calendar's description says of the release after its first line, in the
        language of the build: said once for its thousands of calendars."""
        published = self.published.isoformat()
        return (words.calendar_source(self.version, self.observed, published), words.NEVER_INVENTED)


def _description(latest: Latest, label: str | None, lines: list[str]) -> str:
    return "\n".join([*latest.age, words.calendar_intro(label), *latest.said, *lines])


@dataclass
class Contents:
    """What one calendar holds: its events, and the lines of its description about what is in
    no event."""

    events: list[Placed] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _dateless_note(event: Stamped) -> str:
    sentence = event.spec.description.split("\n")[0]
    return words.unscheduled(event.spec.summary, sentence, words.NO_OCCURRENCE)


def contents(
    latest: Latest, schedule_now: Schedule, placed: list[Placed], dateless: list[Stamped]
) -> tuple[Contents, dict[str, Contents]]:
    """What the calendar of every type holds, and what each type's holds, sorted in one pass
    (each event, note and unread sentence goes to the calendar of each of its types): linear in
    the rows, however many types."""
    everything = Contents()
    per_type: defaultdict[str, Contents] = defaultdict(Contents)
    for event in placed:
        everything.events.append(event)
        for type_id in event.stamped.spec.types:
            per_type[type_id].events.append(event)
    notes = [(n.text, n.types) for n in schedule_now.notes]
    notes += [(_dateless_note(e), e.spec.types) for e in dateless]
    for row in unread_ordered(latest.rows.get(UNREAD, [])):
        notes.append((words.unread(row), frozenset({str(row.get("type_id"))})))
    for text, types in notes:
        everything.notes.append(text)
        for type_id in types:
            per_type[type_id].notes.append(text)
    return everything, per_type


def calendar_doc(
    latest: Latest,
    held: Contents,
    type_id: str | None = None,
    label: str | None = None,
    gone: bool = False,
) -> CalendarDoc:
    """The calendar of ``type_id`` (None: of every type): its events, and a description that
    names what is in no event (rules without days or dates, unread sentences); ``gone``: the
    type is no longer in the table."""
    notes = list(held.notes)
    if gone:
        notes.insert(0, words.TYPE_GONE)
    elif not held.events and not notes:
        notes.append(words.NOTHING_YET)
    path = layout.MAIN_CALENDAR if type_id is None else layout.type_calendar(type_id)
    anchor = f"#{type_id}" if type_id else ""
    return CalendarDoc(
        path=path,
        name=words.ALL_TYPES_NAME if label is None else words.type_name(label),
        description=_description(latest, label, notes),
        page=latest.site + layout.SITE_INDEX + anchor,
        source=latest.site + path,
        last_modified=latest.published,
        events=tuple(held.events),
    )


def calendar_docs(
    history: list[Published], latest: Latest, types: list[tuple[str, str]]
) -> list[CalendarDoc]:
    """The calendar of every type, then one per type of ``types`` (type id, label)."""
    placed, dateless = place_events(stamp(history))
    everything, per_type = contents(latest, history[-1].schedule, placed, dateless)
    current = {t["type_id"] for t in latest.rows.get("appointment_types", [])}
    docs = [calendar_doc(latest, everything)]
    docs += [
        calendar_doc(latest, per_type[t], t, label, gone=t not in current) for t, label in types
    ]
    return docs


# --- the store -> files ------------------------------------------------------------------------


def _moment(value: Any) -> dt.datetime:
    said = rfc3339(value) or "1970-01-01T00:00:00Z"
    return dt.datetime.fromisoformat(said.replace("Z", "+00:00"))


def store_history(store: ReleaseStore) -> list[Published]:
    """Every release of the store's catalog with its events (each package is read once per
    store)."""
    return [
        Published(
            version=entry["version"],
            published=_moment(entry.get("published")),
            observed=dt.date.fromisoformat(observed_day(entry)),
            schedule=schedule(store.package(entry["version"]).rows),
        )
        for entry in store.catalog()
    ]


def write_calendars(store: ReleaseStore, folder: Path, age: Iterable[str] = ()) -> list[Path]:
    """Write ``calendar.ics`` and ``calendars/<type_id>.ics`` into ``folder`` (the site being
    built), for every type any release had (a type gone keeps an empty calendar, so that its
    subscribers' applications drop its events), each description opening with ``age`` (how old
    the facts are); returns the paths written."""
    history = store_history(store)
    if not history:
        return []
    catalog = store.catalog()
    last = catalog[-1]
    latest = Latest(
        version=last["version"],
        published=history[-1].published,
        observed=observed_day(last),
        rows=store.package(last["version"]).rows,
        base_url=store.base_url,
        age=tuple(age),
    )
    types = feed_types([store.package(e["version"]) for e in catalog])
    folder = Path(folder)
    (folder / layout.TYPE_CALENDARS_DIR).mkdir(parents=True, exist_ok=True)
    written = []
    renderer = Renderer()
    for doc in calendar_docs(history, latest, types):
        target = folder / doc.path
        write_file(target, renderer.calendar(doc))
        written.append(target)
    return written
