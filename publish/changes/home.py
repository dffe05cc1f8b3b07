"""What is said per appointment type — how, when, where — for the site's home page and the
workbook's « Synthèse » sheet (one derivation for both, from a release's rows; pure).

``home_types`` gives each type, in order, with its channels as people read them: the kind and
phone in French, the procedures covered and excluded, each rule in a sentence, the place with
its closures and validity, the mailboxes not for the public, and the sentences not read.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from publish.changes import french, unread
from publish.changes.french import said
from publish.changes.summary import CHANNEL_KINDS, say

Rows = dict[str, list[dict[str, Any]]]


def _next_day(iso_date: str) -> str:
    return (dt.date.fromisoformat(iso_date) + dt.timedelta(days=1)).isoformat()


def _grouped(rows: list[dict[str, Any]], field: str) -> dict[Any, list[dict[str, Any]]]:
    """Rows by the value of ``field``, in their order: one pass, so a page is linear in rows."""
    groups: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[row.get(field)].append(row)
    return groups


@dataclass(frozen=True)
class _Home:
    """A release's rows as the home page looks them up: grouped once, so a page is linear in
    rows."""

    locations: dict[Any, dict[str, Any]]
    channels_of: dict[Any, list[dict[str, Any]]]  # by type_id
    procedures_of: dict[Any, list[dict[str, Any]]]  # by channel_id
    rules_of: dict[Any, list[dict[str, Any]]]  # by channel_id
    contacts_of: dict[Any, list[dict[str, Any]]]  # by channel_id
    closures_of: dict[Any, list[dict[str, Any]]]  # by location_id
    today: str  # the release's day: a place valid until before it has expired

    @classmethod
    def of(cls, rows: Rows, published: str) -> _Home:
        return cls(
            locations={r["location_id"]: r for r in rows.get("locations", [])},
            channels_of=_grouped(rows.get("channels", []), "type_id"),
            procedures_of=_grouped(rows.get("procedures", []), "channel_id"),
            rules_of=_grouped(rows.get("slot_rules", []), "channel_id"),
            contacts_of=_grouped(rows.get("contacts", []), "channel_id"),
            closures_of=_grouped(rows.get("closures", []), "location_id"),
            today=published[:10],
        )


def home_types(rows: Rows, published: str) -> list[dict[str, Any]]:
    """The appointment types, in order, each with its channels and the sentences of it that
    could not be read (``published``: the release's time, ISO; a place valid until before its
    day has expired)."""
    home = _Home.of(rows, published)
    unread_of = unread.by_type(rows.get(unread.RESOURCE, []))
    types = []
    for kind in sorted(rows.get("appointment_types", []), key=lambda r: r["position"]):
        channels = [_home_channel(c, home) for c in home.channels_of[kind["type_id"]]]
        sentences = [french.one_line(r["sentence"]) for r in unread_of.get(kind["type_id"], [])]
        types.append({**kind, "channels": channels, "unread": sentences})
    return types


def _home_channel(channel: dict[str, Any], home: _Home) -> dict[str, Any]:
    """A channel as people read it: its kind and phone in French, the procedures it covers and
    excludes, its rules in sentences, its place, its mailboxes not for the public."""
    included, excluded = _procedure_lists(home.procedures_of[channel["channel_id"]])
    place = home.locations.get(channel["location_id"])
    return {
        **channel,
        "kind": said(CHANNEL_KINDS, channel["channel_type"]).capitalize(),
        "phone_fr": french.phone(channel.get("phone")),
        "included": included,
        "excluded": excluded,
        "rules": [
            {**r, "text": french.rule_sentence(r)} for r in home.rules_of[channel["channel_id"]]
        ],
        "instructions": _lines(channel["instructions"]),
        "location": None if place is None else _home_place(place, home),
        "private_contacts": [
            c for c in home.contacts_of[channel["channel_id"]] if not c["public_use"]
        ],
    }


def _procedure_lists(
    procedures: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A channel's top procedures in order: those it covers, each with its sub-items in order,
    and those it excludes."""
    top = sorted((p for p in procedures if p["parent_id"] is None), key=lambda p: p["position"])
    children = {p["procedure_id"]: _sub_items(procedures, p["procedure_id"]) for p in top}
    included = [
        {**p, "children": children[p["procedure_id"]]} for p in top if p["scope"] == "included"
    ]
    return included, [p for p in top if p["scope"] == "excluded"]


def _sub_items(procedures: list[dict[str, Any]], parent: Any) -> list[dict[str, Any]]:
    return sorted((c for c in procedures if c["parent_id"] == parent), key=lambda c: c["position"])


def _lines(text: str | None) -> list[str]:
    return text.split("\n") if text else []


def _home_place(place: dict[str, Any], home: _Home) -> dict[str, Any]:
    """A place: its name, its closures, and until when it is valid (expired when that is before
    the release's day)."""
    until = place["valid_until"]
    return {
        "name": place["name"],
        "closures": [
            french.closure(c["closed_from"], c["closed_until"]).capitalize()
            for c in home.closures_of[place["location_id"]]
        ],
        "until": say(until, "date") if until else None,
        "expired": bool(until and until < home.today),
        # its first day without validity: until the 18th, closed since the 19th
        "since": say(_next_day(until), "date") if until else None,
    }
