"""What the workbook says about the data (``publish.formats.xlsx_words.Wording``), in the words
the site and the change summary use: the French label of every code, a readable label for every
row another row refers to, and the « Synthèse » rows — the site's home page, per appointment
type and booking modality (``publish.changes.home``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from normalise.lexicon import DAY_NAMES_FR
from publish.changes import french
from publish.changes.home import Rows, home_types
from publish.changes.summary import CHANNEL_KINDS
from publish.formats.xlsx_words import Wording

#: the French label of each code, by field name (the ``column`` enum is French already)
CODE_LABELS: dict[str, Mapping[str, str]] = {
    "channel_type": CHANNEL_KINDS,
    "scope": french.SCOPES_FR,
    "rule_type": french.RULE_TYPES_FR,
    "weekdays": DAY_NAMES_FR,
    "period": french.PERIODS_FR,
    "frequency": french.FREQUENCIES_FR,
    "role": french.ROLES_FR,
}
#: the place the site says when a channel names none
NO_PLACE = "Lieu non précisé par la préfecture."


def channel_label(channel: Mapping[str, Any], types: Mapping[Any, str]) -> str:
    """« Renouvellement … — réservation en ligne »: the type's label and the channel's kind."""
    kind = CHANNEL_KINDS.get(channel["channel_type"], channel["channel_type"])
    return f"{types.get(channel['type_id'], channel['type_id'])} — {kind}"


def references(rows: Rows) -> dict[str, dict[str, str]]:
    """Each identifier another row may refer to -> the label people read."""
    types = {r["type_id"]: r["label"] for r in rows.get("appointment_types", [])}
    procedures = {r["procedure_id"]: r["label"] for r in rows.get("procedures", [])}
    return {
        "type_id": types,
        "channel_id": {r["channel_id"]: channel_label(r, types) for r in rows.get("channels", [])},
        "location_id": {r["location_id"]: r["name"] for r in rows.get("locations", [])},
        "parent_id": procedures,
        "procedure_id": procedures,
    }


def _for(channel: Mapping[str, Any]) -> str:
    lines = []
    for procedure in channel["included"]:
        lines.append(procedure["label"])
        lines.extend(f"– {child['label']}" for child in procedure["children"])
    return "\n".join(lines)


def how(channel: Mapping[str, Any]) -> str:
    """« Réservation en ligne : https://… », then where it is on the prefecture's site."""
    said = channel["kind"]
    if channel["channel_type"] == "email" and channel.get("email"):
        said += f" : écrire à {channel['email']}"
    elif channel["channel_type"] == "phone" and channel.get("phone"):
        said += f" : appeler le {channel['phone_fr']}"
    elif channel.get("url"):
        said += f" : {channel['url']}"
    if channel.get("portal_path"):
        hint = f" ({channel['portal_hint']})" if channel.get("portal_hint") else ""
        said += f"\nSur le site de la préfecture, rubrique « {channel['portal_path']} »{hint}."
    return said


def when(channel: Mapping[str, Any]) -> str:
    """Each rule in its sentence, after the procedure it is for."""
    return "\n".join(
        f"{r['applies_to']} : {r['text']}" if r.get("applies_to") else r["text"]
        for r in channel["rules"]
    )


def where(channel: Mapping[str, Any], published_fr: str) -> str:
    """The place, until when, its closures, and a warning when it has expired."""
    place = channel["location"]
    if place is None:
        return NO_PLACE
    lines = [place["name"] + (f" — jusqu'au {place['until']}" if place["until"] else "")]
    lines.extend(f"{closed} ({place['name']})." for closed in place["closures"])
    if place["expired"]:
        lines.append(
            f"Attention : ce lieu n'accueille plus de rendez-vous depuis le {place['since']} "
            f"(date dépassée à la publication du {published_fr})."
        )
    return "\n".join(lines)


def notes(channel: Mapping[str, Any], unread_sentences: list[str]) -> str:
    """The channel's instructions, its mailboxes not for the public, the sentences not read."""
    lines = list(channel["instructions"])
    for contact in channel["private_contacts"]:
        extra = f" : {contact['notes']}" if contact.get("notes") else ""
        lines.append(f"La boîte {contact['email']} n'est pas destinée au public{extra}")
    lines.extend(
        f"La préfecture a écrit : « {s} ». Cette phrase n'a pas pu être lue automatiquement ; "
        "vérifiez sur sa page."
        for s in unread_sentences
    )
    return "\n".join(lines)


def _type_heading(kind: Mapping[str, Any]) -> str:
    return kind["label"] + (" (prioritaire)" if kind.get("priority") else "")


def synthesis(rows: Rows, published: str) -> list[tuple[str, ...]]:
    """One row per booking modality of each type, in the site's order: the type, for which
    procedures, except which, how, when, where, and what else to know (the sentences not read
    are said on the type's first row). A type without a modality still has its row."""
    published_fr = french.short_date(published) or ""
    said: list[tuple[str, ...]] = []
    for kind in home_types(rows, published):
        heading = _type_heading(kind)
        if not kind["channels"]:
            said.append((heading, "", "", "", "", "", notes(_NO_CHANNEL, kind["unread"])))
        for index, channel in enumerate(kind["channels"]):
            unread_here = kind["unread"] if index == 0 else []
            excluded = " ; ".join(p["label"] for p in channel["excluded"])
            said.append(
                (
                    heading,
                    _for(channel),
                    excluded,
                    how(channel),
                    when(channel),
                    where(channel, published_fr),
                    notes(channel, unread_here),
                )
            )
    return said


_NO_CHANNEL: dict[str, list[Any]] = {"instructions": [], "private_contacts": []}


def wording(rows: Rows, published: str) -> Wording:
    """What the workbook of a release says about its rows (``published``: its ``created``)."""
    return Wording(
        codes=CODE_LABELS, references=references(rows), synthesis=synthesis(rows, published)
    )
