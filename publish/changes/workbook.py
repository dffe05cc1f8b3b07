"""What the workbook says about the data (``publish.formats.xlsx_words.Wording``), in the words
the site and the change summary use: the French label of every code, a readable label for every
row another row refers to, and the « Synthèse » rows — the site's home page, per appointment
type and booking modality (``publish.changes.home``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.collector import collector_paused
from core.i18n import N_, WEEKDAYS, _, day_name
from publish.changes import french
from publish.changes.home import Rows, home_types
from publish.changes.summary import CHANNEL_KINDS
from publish.formats.xlsx_words import Wording

#: the label of each code, by field name, as a catalogue message (the ``column`` enum is French
#: already: the prefecture's column titles); the days are CLDR's (``code_labels``)
CODE_LABELS: dict[str, Mapping[str, str]] = {
    "channel_type": CHANNEL_KINDS,
    "scope": french.SCOPES_FR,
    "rule_type": french.RULE_TYPES_FR,
    "period": french.PERIODS_FR,
    "frequency": french.FREQUENCIES_FR,
    "role": french.ROLES_FR,
}
#: the place the site says when a channel names none
NO_PLACE = N_("Lieu non précisé par la préfecture.")


def code_labels() -> dict[str, dict[str, str]]:
    """The label of each code in the current language, by field name."""
    labels = {field: {c: _(w) for c, w in words.items()} for field, words in CODE_LABELS.items()}
    return {**labels, "weekdays": {day: day_name(day) for day in WEEKDAYS}}


def channel_label(channel: Mapping[str, Any], types: Mapping[Any, str]) -> str:
    """« Renouvellement … — réservation en ligne »: the type's label and the channel's kind."""
    kind = french.said(CHANNEL_KINDS, channel["channel_type"])
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
        said += _(" : écrire à") + f" {channel['email']}"
    elif channel["channel_type"] == "phone" and channel.get("phone"):
        said += _(" : appeler le") + f" {channel['phone_fr']}"
    elif channel.get("url"):
        said += _(" :") + f" {channel['url']}"
    if channel.get("portal_path"):
        hint = f" ({channel['portal_hint']})" if channel.get("portal_hint") else ""
        said += "\n" + _("Sur le site de la préfecture, rubrique")
        said += f" « {channel['portal_path']} »{hint}."
    return said


def when(channel: Mapping[str, Any]) -> str:
    """Each rule in its sentence, after the procedure it is for."""
    return "\n".join(
        _("%(label)s :") % {"label": r["applies_to"]} + " " + r["text"]
        if r.get("applies_to")
        else r["text"]
        for r in channel["rules"]
    )


def where(channel: Mapping[str, Any], published_fr: str) -> str:
    """The place, until when, its closures, and a warning when it has expired."""
    place = channel["location"]
    if place is None:
        return _(NO_PLACE)
    until = " — " + _("jusqu'au %(day)s") % {"day": place["until"]} if place["until"] else ""
    lines = [place["name"] + until]
    lines.extend(f"{closed} ({place['name']})." for closed in place["closures"])
    if place["expired"]:
        said = _(
            "Attention : ce lieu n'accueille plus de rendez-vous depuis le %(since)s (date "
            "dépassée à la publication du %(published)s)."
        )
        lines.append(said % {"since": place["since"], "published": published_fr})
    return "\n".join(lines)


def notes(channel: Mapping[str, Any], unread_sentences: list[str]) -> str:
    """The channel's instructions, its mailboxes not for the public, the sentences not read."""
    lines = list(channel["instructions"])
    for contact in channel["private_contacts"]:
        mailbox = {"email": contact["email"]}
        if contact.get("notes"):
            said = _("La boîte %(email)s n'est pas destinée au public :") % mailbox
            lines.append(f"{said} {contact['notes']}")
        else:
            lines.append(_("La boîte %(email)s n'est pas destinée au public") % mailbox)
    check = _("Cette phrase n'a pas pu être lue automatiquement ; vérifiez sur")
    lines.extend(
        f"{_('La préfecture a écrit :')} « {s} ». {check} {_('sa page')}." for s in unread_sentences
    )
    return "\n".join(lines)


def _type_heading(kind: Mapping[str, Any]) -> str:
    return kind["label"] + (f" ({_('prioritaire')})" if kind.get("priority") else "")


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
        codes=code_labels(), references=references(rows), synthesis=synthesis(rows, published)
    )


def workbook_bytes(rows: Rows, *, version: str, created: str, source: Mapping[str, Any]) -> bytes:
    """The release's workbook in the current language (``core.i18n.language``)."""
    from core.settings import PACKAGE_TITLE
    from publish.formats.xlsx import xlsx_bytes  # xlsxwriter: only for a written release

    # a workbook makes about a million small objects (cells, texts, xlsxwriter's cell tuples)
    # and no cycle: each collection would walk the whole heap, a fifth of a 10,000-row workbook
    with collector_paused():
        said = wording(rows, created)
        return xlsx_bytes(
            rows, title=PACKAGE_TITLE, wording=said, version=version, created=created, source=source
        )
