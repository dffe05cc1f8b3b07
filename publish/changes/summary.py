"""The human-readable change summary, in the current language (``core.i18n``), one line per
fact a person would care about.

Things are named by their labels, never by their ids: « Renouvellements de titre de séjour :
visibilité 6 → 8 semaines ». ``source_cells`` changes are left to changes.json: every fact they
hold already has its own line.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping
from typing import Any

from core.i18n import _, current, title_of
from core.markdown import markdown_escape
from publish.changes import french, unread
from publish.changes.diff import row_key
from publish.changes.french import N_, said
from publish.changes.records import ChangeRecord, Changes, FieldChange
from publish.reading.load import PackageData

CHANNEL_KINDS = {
    "online_form": N_("formulaire en ligne"),
    "online_booking": N_("réservation en ligne"),
    "online_application": N_("dépôt en ligne"),
    "email": N_("courriel"),
    "walk_in": N_("sans rendez-vous"),
    "phone": N_("téléphone"),
}
#: (noun when added, noun when removed) per resource; None: not summarised
NOUNS: dict[str, tuple[str, str] | None] = {
    "appointment_types": (N_("Type ajouté"), N_("Type supprimé")),
    "channels": (N_("Modalité ajoutée"), N_("Modalité supprimée")),
    "procedures": (N_("Démarche ajoutée"), N_("Démarche supprimée")),
    "slot_rules": (N_("Règle ajoutée"), N_("Règle supprimée")),
    "locations": (N_("Lieu ajouté"), N_("Lieu supprimé")),
    "closures": (N_("Fermeture ajoutée"), N_("Fermeture supprimée")),
    "contacts": (N_("Adresse ajoutée"), N_("Adresse supprimée")),
    # removed: read now (a reviewed reading, a better grammar) or no longer on the page
    "unread_sentences": (N_("Phrase non lue"), N_("Phrase de nouveau lue")),
    "source_cells": None,
}
#: resources whose changes have no line: they are not counted among a release's changes either
UNSAID = frozenset(name for name, nouns in NOUNS.items() if nouns is None)


def change_totals(counts: Mapping[str, Any]) -> dict[str, int]:
    """How many rows a release added, removed and changed, across its resources (``counts``:
    per resource, as in ``releases.json``), the ``UNSAID`` ones left out: the one way they are
    counted, on the site's history page and in ``history.sqlite``'s ``releases``."""
    counted = [c for name, c in counts.items() if name not in UNSAID]
    return {k: sum(c.get(k, 0) for c in counted) for k in ("added", "removed", "changed")}


#: (singular, plural) per resource, to count rows in French: « 1 lieu », « 2 lieux »
COUNT_NOUNS: dict[str, tuple[str, str]] = {
    "appointment_types": (N_("type de rendez-vous"), N_("types de rendez-vous")),
    "locations": (N_("lieu"), N_("lieux")),
    "closures": (N_("fermeture"), N_("fermetures")),
    "channels": (N_("modalité"), N_("modalités")),
    "procedures": (N_("démarche"), N_("démarches")),
    "slot_rules": (N_("règle d'ouverture des créneaux"), N_("règles d'ouverture des créneaux")),
    "contacts": (N_("adresse électronique"), N_("adresses électroniques")),
}
#: resources a first publication does not count: every fact of the source cells has its own row
#: elsewhere, and unread sentences are said first, each on its line (never « 0 phrase non lue »)
UNCOUNTED = frozenset({"source_cells", "unread_sentences"})
#: how a changed field is said: (words before the values, unit after them)
FIELD_WORDS = {
    "visibility_weeks": (N_("visibilité"), N_(" semaines")),
    "capacity": (N_("places"), ""),
    "email": (N_("adresse"), ""),
    "url": (N_("lien"), ""),
    "label": (N_("libellé"), ""),
    "name": (N_("nom"), ""),
    "valid_from": (N_("valable à partir du"), ""),
    "valid_until": (N_("valable jusqu'au"), ""),
}
BUMP_WORDS = {
    "initial": N_("première publication"),
    "major": N_("majeure"),
    "minor": N_("mineure"),
    "patch": N_("corrective"),
}


def _hashable(value: Any) -> bool:
    """``isinstance(value, Hashable)``, answered first for the ids and labels (strings) that
    are nearly every value asked: the abstract class's check costs more than the lookup."""
    return type(value) is str or isinstance(value, Hashable)


class Labels:
    """Looks up the labels of things in the new package, else the old one.

    Each lookup reads an index built once per resource and field (on first use), so a summary
    of N lines reads every row a few times in all, never once per line.
    """

    def __init__(self, old: PackageData | None, new: PackageData) -> None:
        self.packages = [p for p in (new, old) if p is not None]
        self._first: dict[tuple[str, str], dict[Hashable, dict[str, Any]]] = {}
        self._groups: dict[tuple[str, str], dict[Hashable, list[dict[str, Any]]]] = {}
        #: what is said in words (a channel's kind, a field's title): per language, so that one
        #: ``Labels`` serves every language of a build
        self._channels: dict[tuple[str, Hashable], str] = {}
        self._keyed: dict[str, dict[str, dict[str, Any]]] = {}
        self._titles: dict[tuple[str, str, str], str] = {}
        self._types: dict[tuple[str, str], str] = {}

    def new_rows_by_key(self, resource: str) -> dict[str, dict[str, Any]]:
        """The new package's rows of ``resource`` by their key (as ``changes.json`` gives it)."""
        index = self._keyed.get(resource)
        if index is None:
            new = self.packages[0]
            key = new.key(resource)
            index = {row_key(r, key): r for r in new.rows.get(resource, [])}
            self._keyed[resource] = index
        return index

    def _rows(self, resource: str) -> Iterator[dict[str, Any]]:
        """The rows of a resource, the new package's first."""
        for package in self.packages:
            yield from package.rows.get(resource, [])

    def _first_by(self, resource: str, field: str) -> dict[Hashable, dict[str, Any]]:
        """Each value of ``field`` -> the first row holding it (new package first)."""
        index = self._first.get((resource, field))
        if index is None:
            index = {}
            for row in self._rows(resource):
                value = row.get(field)
                if _hashable(value):
                    index.setdefault(value, row)
            self._first[(resource, field)] = index
        return index

    def _all_by(self, resource: str, field: str) -> dict[Hashable, list[dict[str, Any]]]:
        """Each value of ``field`` -> every row holding it, in both packages."""
        index = self._groups.get((resource, field))
        if index is None:
            index = {}
            for row in self._rows(resource):
                value = row.get(field)
                if _hashable(value):
                    index.setdefault(value, []).append(row)
            self._groups[(resource, field)] = index
        return index

    def _find(self, resource: str, field: str, value: Any) -> dict[str, Any] | None:
        if not _hashable(value):  # no id is a list; said as before all the same
            return next((r for r in self._rows(resource) if r.get(field) == value), None)
        return self._first_by(resource, field).get(value)

    def type_label(self, type_id: str | None) -> str:
        row = self._find("appointment_types", "type_id", type_id)
        return row["label"] if row else str(type_id)

    def channel(self, channel_id: str | None) -> str:
        known = (current(), channel_id) if _hashable(channel_id) else None
        if known in self._channels:
            return self._channels[known]  # type: ignore[index]
        row = self._find("channels", "channel_id", channel_id)
        if row is None:
            return str(channel_id)
        type_id = row["type_id"]
        if _hashable(type_id):
            same_type = self._all_by("channels", "type_id").get(type_id, [])
        else:
            same_type = [r for r in self._rows("channels") if r.get("type_id") == type_id]
        siblings = {r["channel_id"] for r in same_type}
        label = self.type_label(type_id)
        if len(siblings) > 1:
            label += f" ({said(CHANNEL_KINDS, row['channel_type'])})"
        if known is not None:
            self._channels[known] = label
        return label

    def field_type(self, resource: str, field: str) -> str:
        """The field's Table Schema type (looked up once per field: every changed row asks)."""
        known = (resource, field)
        kind = self._types.get(known)
        if kind is None:
            kind = self._types[known] = self._field_type(resource, field)
        return kind

    def _field_type(self, resource: str, field: str) -> str:
        for package in self.packages:
            for f in package.fields(resource):
                if f["name"] == field:
                    return f.get("type", "string")
        return "string"

    def resource_title(self, resource: str) -> str:
        for package in self.packages:
            if (found := package.resource(resource)) and found.get("title"):
                return title_of(found["title"])
        return resource

    def field_title(self, resource: str, field: str) -> str:
        """The field's title, lower-cased first letter (looked up once per field and language)."""
        known = (current(), resource, field)
        title = self._titles.get(known)
        if title is None:
            title = self._titles[known] = self._field_title(resource, field)
        return title

    def _field_title(self, resource: str, field: str) -> str:
        for package in self.packages:
            for f in package.fields(resource):
                if f["name"] == field and f.get("title"):
                    title = title_of(f["title"])
                    return title[:1].lower() + title[1:]
        return field

    def subject(self, resource: str, row: dict[str, Any]) -> str:
        if resource == "appointment_types":
            return row["label"]
        if resource == "channels":  # its kind is in the details
            return self.type_label(row["type_id"])
        if resource == "procedures":
            return f"{self.channel(row['channel_id'])} — {row['label']}"
        if resource == "slot_rules":
            scope = f" — {row['applies_to']}" if row.get("applies_to") else ""
            return self.channel(row["channel_id"]) + scope
        if resource == "locations":
            return row["name"]
        if resource == "closures":
            place = self._find("locations", "location_id", row["location_id"])
            return place["name"] if place else str(row["location_id"])
        if resource == "contacts":
            return row["email"]
        if resource == unread.RESOURCE:
            return unread.subject(row)
        return str(row)


def say(value: Any, field_type: str) -> str:
    if value is None or value == "":
        return _("(vide)")
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if field_type == "date" and isinstance(value, str) and len(value) == 10:
        return french.short_date(value) or value
    return str(value)


def _row_details(resource: str, row: dict[str, Any]) -> str:
    if resource == "slot_rules":
        return f" ({french.rule_sentence(row).removesuffix('.')})"
    if resource == "closures":
        return f", {french.closure(row['closed_from'], row['closed_until'])}"
    if resource == "procedures" and row.get("scope") == "excluded":
        return " (" + _("exclue") + ")"
    if resource == "channels":
        kind = said(CHANNEL_KINDS, row["channel_type"])
        return f" ({kind}" + (f" {french.phone(row['phone'])})" if row.get("phone") else ")")
    if resource == "locations" and row.get("valid_until"):
        return " (" + _("jusqu'au {day}").format(day=say(row["valid_until"], "date")) + ")"
    return ""


def _row_line(resource: str, noun: str, row: dict[str, Any], labels: Labels) -> str:
    """« Lieu ajouté : … », the line of a row added or removed."""
    if resource == unread.RESOURCE:  # the sentence itself, quoted
        return unread.change_line(noun, row)
    subject = labels.subject(resource, row) + _row_details(resource, row)
    return _("{noun} : {subject}").format(noun=_(noun), subject=subject)


HOURS = ("start_time", "end_time")


def _changed(words: str, old: str, new: str, unit: str = "") -> str:
    """« jours mercredi → lundi, mardi », or « horaires 9 h – 11 h » when there was none."""
    if not old:
        return f"{words} {new}{unit}"
    return f"{words} {old} → {new or _('(vide)')}{unit}"


def field_changes(
    resource: str, fields: dict[str, FieldChange], row: dict[str, Any], labels: Labels
) -> list[str]:
    """The changes of one row's fields, said in French; an hour range is said as one."""
    out = []
    for field, values in fields.items():
        if field in HOURS:
            if field == "end_time" and "start_time" in fields:
                continue  # the range is said once, with its start
            old = [fields[f]["old"] if f in fields else row.get(f) for f in HOURS]
            new = [fields[f]["new"] if f in fields else row.get(f) for f in HOURS]
            out.append(_changed(_("horaires"), french.hours(*old), french.hours(*new)))
            continue
        if field in french.FIELD_SAYING:
            words, saying = french.FIELD_SAYING[field]
            out.append(_changed(_(words), saying(values["old"]), saying(values["new"])))
            continue
        if field in FIELD_WORDS:
            words, unit = (_(w) if w else w for w in FIELD_WORDS[field])
        else:
            words, unit = labels.field_title(resource, field), ""
        kind = labels.field_type(resource, field)
        out.append(f"{words} {say(values['old'], kind)} → {say(values['new'], kind)}{unit}")
    return out


#: the changes of a resource, in the order the summary says them
KINDS = ("removed", "added", "changed")
#: where a row change is in a change record: (resource, kind, its index in that list)
Position = tuple[str, str, int]


def row_change_line(name: str, kind: str, entry: Any, labels: Labels) -> str:
    """The line of one row of resource ``name`` that was removed or added (``entry``: the row),
    or changed (``entry``: its key and fields), as ``summary_lines`` says it."""
    nouns = NOUNS[name]
    assert nouns is not None  # the caller leaves the UNSAID resources out
    if kind != "changed":
        return _row_line(name, nouns[1] if kind == "removed" else nouns[0], entry, labels)
    current = labels.new_rows_by_key(name).get(entry["key"])
    subject = labels.subject(name, current) if current else entry["key"]
    said = field_changes(name, entry["fields"], current or {}, labels)
    return _("{subject} : {changes}").format(subject=subject, changes=" ; ".join(said))


class ChangeLines:
    """The lines of one change record (``summary_lines``) between the two packages ``labels``
    reads, each row's line said once per language however often it is asked: the whole
    summary, and the rows about each appointment type (the feeds)."""

    def __init__(self, changes: Changes, labels: Labels) -> None:
        self.changes = changes
        self.labels = labels
        self._said: dict[tuple[str, str, str, int], str] = {}

    def positions(self) -> list[Position]:
        """Every row change that has a line, in the summary's order."""
        resources = self.changes["resources"]
        return [
            (name, kind, index)
            for name, entries in resources.items()
            if NOUNS.get(name) is not None
            for kind in KINDS
            for index in range(len(entries[kind]))  # type: ignore[literal-required]
        ]

    def line(self, position: Position) -> str:
        """The line of the row change at ``position`` in the current language."""
        name, kind, index = position
        known = (current(), name, kind, index)
        said = self._said.get(known)
        if said is None:
            entry = self.changes["resources"][name][kind][index]  # type: ignore[literal-required]
            said = self._said[known] = row_change_line(name, kind, entry, self.labels)
        return said

    def rows(self, positions: list[Position]) -> list[str]:
        """The lines of these row changes, those of resources without lines left out."""
        return [self.line(p) for p in positions if NOUNS.get(p[0]) is not None]

    def all(self) -> list[str]:
        """Every line: the schema's changes, each row's, then the metadata's."""
        labels = self.labels
        lines: list[str] = []
        for altered in self.changes.get("schema", []):
            field = altered.get("field")
            title = labels.field_title(altered["resource"], field) if field else None
            lines.append(
                french.schema_change(altered, labels.resource_title(altered["resource"]), title)
            )
        lines += self.rows(self.positions())
        for meta in self.changes.get("metadata", []):
            lines.append(_("Métadonnées : {path} modifié").format(path=meta["path"]))
        return lines


def line_count(changes: Changes) -> int:
    """How many lines ``summary_lines`` says of ``changes``, without saying them: one per
    schema change, per row change of a resource that has lines, and per metadata change."""
    resources: dict[str, Any] = dict(changes["resources"])
    rows = sum(
        len(entries[kind])
        for name, entries in resources.items()
        if NOUNS.get(name) is not None
        for kind in KINDS
    )
    return len(changes.get("schema", [])) + rows + len(changes.get("metadata", []))


def summary_lines(
    changes: Changes, old: PackageData | None, new: PackageData, labels: Labels | None = None
) -> list[str]:
    """The French lines of ``changes`` from ``old`` to ``new``. ``labels`` (of these two
    packages) may be shared by many calls, e.g. one per appointment type: its indexes are then
    built once."""
    return ChangeLines(changes, labels or Labels(old, new)).all()


def _counted(count: int, resource: str, title: str | None) -> str:
    """« 1 lieu », « 2 lieux », « 0 fermeture »; a resource without a noun by its title."""
    nouns = COUNT_NOUNS.get(resource)
    if nouns is None:
        return (
            _("{count} ligne de la table « {title} »").format(count=count, title=title or resource)
            if count <= 1
            else _("{count} lignes de la table « {title} »").format(
                count=count, title=title or resource
            )
        )
    return f"{count} {_(nouns[0]) if count <= 1 else _(nouns[1])}"


def first_publication(counts: dict[str, int], titles: dict[str, str] | None = None) -> str:
    """« Première publication : 8 types de rendez-vous, 2 lieux, 0 fermeture, … » from the rows
    of each resource (the source cells are not counted: their facts are in the others)."""
    said = [
        _counted(count, name, (titles or {}).get(name))
        for name, count in counts.items()
        if name not in UNCOUNTED
    ]
    return _("Première publication : {counts}.").format(counts=", ".join(said))


def unread_lines(package: PackageData, labels: Labels | None = None) -> list[str]:
    """The first lines of a release with unread sentences (``publish.changes.unread.head_lines``):
    how many, then each sentence with its row, column and type; none when all were read."""
    rows = package.rows.get(unread.RESOURCE, [])
    if not rows:
        return []
    return unread.head_lines(rows, (labels or Labels(None, package)).type_label)


def _change_lines(
    changes: ChangeRecord, old: PackageData | None, new: PackageData, said: ChangeLines | None
) -> list[str]:
    """One line per fact, or the counts of a first publication."""
    if changes.get("from_version") is None:
        labels = said.labels if said else Labels(old, new)
        resources = changes["resources"]
        counts = {name: len(v["added"]) for name, v in resources.items()}
        return [first_publication(counts, {n: labels.resource_title(n) for n in resources})]
    lines = said.all() if said else summary_lines(changes, old, new)
    return lines or [_("Aucun changement de données.")]


def release_lines(
    changes: ChangeRecord,
    old: PackageData | None,
    new: PackageData,
    said: ChangeLines | None = None,
) -> list[str]:
    """The summary of a release: first its unread sentences, if any (``unread_lines``), then
    one line per fact, or the counts of a first publication. ``said``: these changes' lines
    (of ``old`` and ``new``), shared with whoever else says them."""
    return unread_lines(new) + _change_lines(changes, old, new, said)


def summary_markdown(
    changes: ChangeRecord,
    old: PackageData | None,
    new: PackageData,
    said: ChangeLines | None = None,
) -> str:
    """CHANGES.md: its unread sentences first (their count in bold, one item each), then the
    change lines (a first publication's counts as a paragraph). ``said``: these changes' lines
    (of ``old`` and ``new``), shared with whoever else says them."""
    version, bump = changes.get("to_version"), changes.get("bump")
    head = "# " + _("Version {version} ({bump})").format(
        version=version, bump=french.said(BUMP_WORDS, bump)
    )
    if changes.get("from_version"):
        head += " — " + _("depuis la version {version}").format(version=changes["from_version"])
    parts = [head]
    if unread_said := unread_lines(new):
        parts.append(f"**{markdown_escape(unread_said[0])}**")
        parts.append("\n".join(f"- {markdown_escape(line)}" for line in unread_said[1:]))
    lines = _change_lines(changes, old, new, said)
    if changes.get("from_version") is None:
        parts.append(markdown_escape(lines[0]))
    else:
        if unread_said:  # a paragraph between the two lists: they stay two
            parts.append(_("Changements de cette version :"))
        parts.append("\n".join(f"- {markdown_escape(line)}" for line in lines))
    return "\n\n".join(parts) + "\n"
