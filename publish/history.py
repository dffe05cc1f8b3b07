"""Every release of an output folder as one SQLite database, for Datasette (issue 14, point 4).

``build_history(output)`` rebuilds ``OUTPUT/history.sqlite`` from scratch from the catalog and the
release folders it lists, and writes ``OUTPUT/history.metadata.json`` beside it (Datasette 0.65
metadata: title, licence, source, table and column descriptions, canned queries). Both are written
to a temporary file in the output folder and renamed over the old one: a reader sees the old
database or the new one, never half of one. Explore them with::

    datasette serve OUTPUT/history.sqlite --metadata OUTPUT/history.metadata.json

Tables (see ``TABLE_DESCRIPTIONS`` and ``META_COLUMNS`` for what each column means):

``releases``
    one row per release, in catalog order (``seq`` from 1): version (primary key), published,
    bump, source_sha256, source_observed (as the catalog says, may be NULL), ``observed`` (the
    date used everywhere else: source_observed, else the day it was published), previous_version,
    rows (total rows) and added / removed / changed (rows, every resource together).
``release_counts``
    per release and resource: rows, added, removed, changed (primary key version + resource).
one table per resource (``appointment_types``, ``locations``…)
    every version of every item, git-history style: one row per span of consecutive releases in
    which an item (a primary key) kept exactly the same content. The resource's own columns
    (lists as JSON text, dates and times as ISO text, booleans as 0/1), then ``_item`` (the key,
    composite keys joined by '|'), ``_version_from`` / ``_version_to`` (first and last release
    holding this content; primary key: ``_item`` + ``_version_from``), ``_seq_from`` /
    ``_seq_to`` (their ``releases.seq``), ``_observed_from`` / ``_observed_to`` (their observed
    dates), ``_published_from``, ``_started_by`` (``added``: the key was not in the previous
    release, or this is the first one; ``changed``: it was, with other content), ``_ended_by``
    (``changed``, ``removed`` or NULL while current) and ``_current`` (1 in the latest release).
    The rows of release ``n`` are those with ``_seq_from <= n <= _seq_to``.
``changes``
    one row per changed field per release (``kind`` = ``changed``, ``field``, ``old``, ``new``),
    and one row per added or removed item (``kind`` = ``added`` / ``removed``, ``field`` NULL, the
    whole row as a JSON object in ``new`` for an addition, in ``old`` for a removal). The first
    release adds every row. Read from each release's ``changes.json`` (computed with
    ``publish.diff`` when a release has none). ``old`` and ``new`` keep their types (no column
    affinity: 6 stays an integer, a list is JSON text).

Full-text search (FTS5, accents ignored) covers the label, name and instruction columns of each
resource (``FTS_COLUMNS``); Datasette offers it as a search box on those tables.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from core.errors import PublishError, RdvError
from core.settings import PACKAGE_DESCRIPTION, PACKAGE_LICENSE, PACKAGE_TITLE
from publish.atomic import TMP_PREFIX, fsync_dir, write_atomic
from publish.diff import comparable, diff, row_key
from publish.integrity import SUMS_FILE, check_sums
from publish.load import PackageData, load_package
from publish.store import ReleaseStore
from schemas import registry

HISTORY_FILE = "history.sqlite"
METADATA_FILE = "history.metadata.json"
#: Datasette names a database after its file
DATABASE_NAME = Path(HISTORY_FILE).stem
CHANGES_FILE = "changes.json"

#: the prefecture's site, the source's home when the releases do not name the page they read
PREFECTURE_SITE = "https://www.isere.gouv.fr/"
SOURCE_TITLE = "Préfecture de l'Isère, Service Immigration et Intégration"

#: per resource, the columns full-text search covers: labels, names and instructions
FTS_COLUMNS: dict[str, tuple[str, ...]] = {
    "appointment_types": ("label",),
    "locations": ("name",),
    "channels": ("instructions", "portal_path", "portal_hint"),
    "procedures": ("label",),
    "slot_rules": ("applies_to",),
    "contacts": ("email", "notes"),
    "source_cells": ("text",),
}
FTS_TOKENIZER = "unicode61 remove_diacritics 2"  # « sejour » finds « séjour »

#: columns indexed when a resource has them (the keys its rows point at)
INDEXED_FIELDS = ("type_id", "channel_id", "location_id", "parent_id", "rule_type", "email")

RESERVED_TABLES = frozenset({"releases", "release_counts", "changes"})

#: the item-version columns every resource table has, after the resource's own, in French
META_COLUMNS: dict[str, tuple[type, str]] = {
    "_item": (str, "Clé de l'élément (clé primaire de la ressource, parties jointes par « | »)."),
    "_version_from": (str, "Première publication où l'élément a ce contenu."),
    "_version_to": (str, "Dernière publication où l'élément a exactement ce contenu."),
    "_seq_from": (int, "Rang de _version_from dans releases (seq)."),
    "_seq_to": (int, "Rang de _version_to dans releases (seq)."),
    "_observed_from": (str, "Date d'observation de la source de _version_from."),
    "_observed_to": (str, "Date d'observation de la source de _version_to."),
    "_published_from": (str, "Date et heure de publication de _version_from (UTC)."),
    "_started_by": (
        str,
        "added : l'élément apparaît (absent de la publication précédente, ou première "
        "publication) ; changed : son contenu a changé.",
    ),
    "_ended_by": (
        str,
        "changed : le contenu change à la publication suivante ; removed : l'élément en "
        "disparaît ; vide : contenu toujours actuel.",
    ),
    "_current": (int, "1 quand ce contenu est celui de la dernière publication."),
}
SQL_TYPES: dict[str, type] = {"integer": int, "boolean": int, "number": float, "year": int}

RELEASE_COLUMNS: dict[str, tuple[type, str]] = {
    "version": (str, "Numéro de version (semver) de la publication."),
    "seq": (int, "Rang de la publication, à partir de 1, dans l'ordre du catalogue."),
    "published": (str, "Date et heure de publication (UTC, ISO 8601)."),
    "bump": (str, "Nature du changement de version : initial, major, minor ou patch."),
    "source_sha256": (str, "Empreinte SHA-256 de la source lue."),
    "source_observed": (str, "Date où le contenu de la source a été vu sur le site, si connue."),
    "observed": (
        str,
        "Date d'observation retenue : source_observed, sinon le jour de la publication.",
    ),
    "previous_version": (str, "La publication précédente, vide pour la première."),
    "rows": (int, "Nombre total de lignes publiées, toutes ressources confondues."),
    "added": (int, "Lignes ajoutées depuis la publication précédente."),
    "removed": (int, "Lignes supprimées depuis la publication précédente."),
    "changed": (int, "Lignes modifiées depuis la publication précédente."),
}
COUNT_COLUMNS: dict[str, tuple[type, str]] = {
    "version": (str, "La publication."),
    "resource": (str, "La ressource (nom de table)."),
    "rows": (int, "Nombre de lignes publiées."),
    "added": (int, "Lignes ajoutées."),
    "removed": (int, "Lignes supprimées."),
    "changed": (int, "Lignes modifiées."),
}
CHANGE_COLUMNS: dict[str, str] = {
    "id": "Numéro du changement, dans l'ordre des publications.",
    "version": "La publication qui apporte le changement.",
    "seq": "Rang de cette publication (releases.seq).",
    "previous_version": "La publication précédente (vide pour la première).",
    "observed": "Date d'observation de la source de cette publication.",
    "resource": "La ressource (table) concernée.",
    "item": "Clé de l'élément (parties d'une clé composée jointes par « | »).",
    "kind": "added : élément ajouté ; removed : supprimé ; changed : un champ modifié.",
    "field": "Le champ modifié (vide pour un ajout ou une suppression).",
    "old": "Ancienne valeur ; pour une suppression, toute la ligne (objet JSON).",
    "new": "Nouvelle valeur ; pour un ajout, toute la ligne (objet JSON).",
}
CHANGES_SQL = """CREATE TABLE [changes] (
   [id] INTEGER PRIMARY KEY,
   [version] TEXT NOT NULL REFERENCES [releases]([version]),
   [seq] INTEGER NOT NULL,
   [previous_version] TEXT,
   [observed] TEXT,
   [resource] TEXT NOT NULL,
   [item] TEXT NOT NULL,
   [kind] TEXT NOT NULL,
   [field] TEXT,
   [old],
   [new]
)"""
TABLE_DESCRIPTIONS = {
    "releases": (
        "Publications",
        "Une ligne par publication (version) : date de publication, date d'observation de la "
        "source, nature du changement de version et nombre de lignes ajoutées, supprimées ou "
        "modifiées.",
    ),
    "release_counts": (
        "Comptes par publication et ressource",
        "Pour chaque publication et chaque ressource : lignes publiées, ajoutées, supprimées, "
        "modifiées.",
    ),
    "changes": (
        "Changements",
        "Un changement par ligne : un champ modifié (ancienne et nouvelle valeur), ou un élément "
        "ajouté ou supprimé (toute la ligne en JSON, champ vide).",
    ),
}
HISTORY_NOTE = (
    " Historique : une ligne par version d'un élément (même clé, même contenu), de "
    "_version_from à _version_to ; _current vaut 1 pour le contenu actuel. Les listes sont "
    "du texte JSON, les dates et heures du texte ISO 8601."
)


# --- reading the releases ------------------------------------------------------------------------


@dataclass(frozen=True)
class Release:
    """One published release: its catalog entry, its data and its changes (None: recompute)."""

    entry: Mapping[str, Any]  # the catalog entry
    package: PackageData
    changes: Mapping[str, Any] | None = None

    @property
    def version(self) -> str:
        return str(self.entry["version"])

    @property
    def observed(self) -> str | None:
        """When the facts were seen: the source's observed date, else the day of publication."""
        published = self.entry.get("published")
        fallback = published[:10] if isinstance(published, str) else None
        return self.entry.get("source_observed") or fallback


def read_release(store: ReleaseStore, entry: Mapping[str, Any]) -> Release:
    """A catalog entry's release, refused when its SHA256SUMS says it was altered."""
    folder = store.release_path(entry["version"])
    if (folder / SUMS_FILE).is_file() and (problems := check_sums(folder)):
        raise PublishError(
            f"cannot build the history: release {entry['version']} is corrupt ({problems[0]}); "
            f"restore {folder} from a backup"
        )
    package = load_package(folder)
    changes = None
    if (folder / CHANGES_FILE).is_file():
        try:
            changes = json.loads((folder / CHANGES_FILE).read_text(encoding="utf-8"))
        except ValueError as exc:
            raise PublishError(f"{folder / CHANGES_FILE} is not valid JSON ({exc})") from None
    return Release(entry, package, changes)


def read_releases(output: Path) -> Iterator[Release]:
    """Every release the catalog lists, oldest first, read one at a time."""
    store = ReleaseStore(Path(output))
    if not store.root.is_dir():
        raise PublishError(f"cannot build the history: {output} is not an output folder")
    entries = store.catalog()
    return (read_release(store, entry) for entry in entries)


# --- the tables' rows ----------------------------------------------------------------------------


def schema_of(package: PackageData, name: str) -> dict[str, Any]:
    resource = package.resource(name) or {}
    schema = resource.get("schema")
    return schema if isinstance(schema, dict) else {}


def primary_key_of(package: PackageData, name: str) -> list[str]:
    key = schema_of(package, name).get("primaryKey") or []
    return [key] if isinstance(key, str) else list(key)


def content(row: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """What makes two versions of an item the same: every non-missing value, as text."""
    return tuple(sorted((k, v) for k, v in ((k, comparable(x)) for k, x in row.items()) if v))


@dataclass
class Span:
    """An item with one content over consecutive releases."""

    item: str
    row: dict[str, Any]
    content: tuple[tuple[str, str], ...]
    start: int  # index of the first release in the list of releases
    end: int
    started_by: str
    ended_by: str | None = None


@dataclass
class ResourceHistory:
    """The spans of one resource, built release by release."""

    name: str
    spans: list[Span] = field(default_factory=list)
    open: dict[str, Span] = field(default_factory=dict)

    def add(self, index: int, release: Release) -> None:
        """Extend, end or start spans with the rows of the release at ``index``."""
        rows = release.package.rows.get(self.name, [])
        key = primary_key_of(release.package, self.name)
        seen: dict[str, Span] = {}
        for row in rows:
            item = row_key(row, key)
            if item in seen:
                raise PublishError(
                    f"cannot build the history: release {release.version} has two rows "
                    f"{item!r} in {self.name}"
                )
            before, now = self.open.pop(item, None), content(row)
            if before is not None and before.content == now:
                before.end = index
                seen[item] = before
                continue
            if before is not None:
                before.ended_by = "changed"
            span = Span(item, row, now, index, index, "changed" if before else "added")
            self.spans.append(span)
            seen[item] = span
        for gone in self.open.values():
            gone.ended_by = "removed"
        self.open = seen


def span_row(span: Span, releases: list[dict[str, Any]]) -> dict[str, Any]:
    """A span as a row of its resource's table (``releases``: the rows of ``releases``)."""
    first, last = releases[span.start], releases[span.end]
    return {
        **span.row,
        "_item": span.item,
        "_version_from": first["version"],
        "_version_to": last["version"],
        "_seq_from": first["seq"],
        "_seq_to": last["seq"],
        "_observed_from": first["observed"],
        "_observed_to": last["observed"],
        "_published_from": first["published"],
        "_started_by": span.started_by,
        "_ended_by": span.ended_by,
        "_current": int(span.end == len(releases) - 1),
    }


def release_row(
    seq: int, release: Release, previous: str | None, counts: list[dict[str, Any]]
) -> dict[str, Any]:
    """The release's row of ``releases`` (``counts``: its rows of ``release_counts``)."""
    return {
        "version": release.version,
        "seq": seq,
        "published": release.entry.get("published"),
        "bump": release.entry.get("bump"),
        "source_sha256": release.entry.get("source_sha256"),
        "source_observed": release.entry.get("source_observed"),
        "observed": release.observed,
        "previous_version": previous,
        **{k: sum(c[k] for c in counts) for k in ("rows", "added", "removed", "changed")},
    }


def count_rows(release: Release, changes: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    for name, rows in release.package.rows.items():
        entries = changes.get("resources", {}).get(name, {})
        yield {
            "version": release.version,
            "resource": name,
            "rows": len(rows),
            **{k: len(entries.get(k) or []) for k in ("added", "removed", "changed")},
        }


def changes_of(release: Release, previous: Release | None) -> Mapping[str, Any]:
    """The release's changes.json, or the same computed from the two packages."""
    if release.changes is not None:
        return release.changes
    return diff(previous.package if previous else None, release.package)


def change_rows(
    release: Release,
    previous: Release | None,
    changes: Mapping[str, Any],
    base: dict[str, Any],
) -> Iterator[dict[str, Any]]:
    """One row per changed field, one per added or removed item, in the release's
    ``changes`` (``base``: the columns every row has: seq, previous_version, observed)."""
    base = {"version": release.version, **base}
    resources = changes.get("resources", {})
    for name, entries in resources.items():
        for kind, source in (("added", release), ("removed", previous)):
            key = primary_key_of(source.package, name) if source else []
            for row in entries.get(kind) or []:
                whole = json.dumps(row, ensure_ascii=False)
                yield {
                    **base,
                    "resource": name,
                    "item": row_key(row, key),
                    "kind": kind,
                    "field": None,
                    "old": whole if kind == "removed" else None,
                    "new": whole if kind == "added" else None,
                }
        for entry in entries.get("changed") or []:
            for name_of_field, values in (entry.get("fields") or {}).items():
                yield {
                    **base,
                    "resource": name,
                    "item": entry.get("key"),
                    "kind": "changed",
                    "field": name_of_field,
                    "old": cell(values.get("old")),
                    "new": cell(values.get("new")),
                }


def cell(value: Any) -> Any:
    """A value as SQLite keeps it: lists and objects as JSON text, booleans as 0/1."""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return int(value)
    return value


# --- the database --------------------------------------------------------------------------------


@dataclass
class Columns:
    """Per resource, its fields in order with their types and French descriptions: the latest
    release's schema first, then fields only older releases had (the current schemas of
    ``schemas/tables`` count as the oldest, so every resource has its table)."""

    order: dict[str, dict[str, type]] = field(default_factory=dict)
    described: dict[str, dict[str, str]] = field(default_factory=dict)
    meta: dict[str, dict[str, str]] = field(default_factory=dict)
    latest: Release | None = None  # the newest release read

    @classmethod
    def of_registry(cls) -> Columns:
        columns = cls()
        for name in registry.RESOURCE_ORDER:
            columns.add_resource(name, registry.fields(name), registry.resource_meta(name))
        return columns

    def add(self, release: Release) -> None:
        self.latest = release
        for resource in release.package.descriptor.get("resources", []):
            fields = schema_of(release.package, resource["name"]).get("fields") or []
            self.add_resource(resource["name"], fields, resource)

    def add_resource(self, name: str, fields: list[dict[str, Any]], meta: dict[str, Any]) -> None:
        if name in RESERVED_TABLES:
            raise PublishError(f"cannot build the history: a resource is named {name!r}")
        types = {f["name"]: SQL_TYPES.get(f.get("type", "string"), str) for f in fields}
        described = {f["name"]: described_field(f) for f in fields}
        older_types, older_described = self.order.get(name, {}), self.described.get(name, {})
        self.order[name] = types | {k: v for k, v in older_types.items() if k not in types}
        self.described[name] = described | {
            k: v for k, v in older_described.items() if k not in described
        }
        self.meta[name] = {
            "title": meta.get("title") or name,
            "description": meta.get("description") or "",
        }


def described_field(spec: dict[str, Any]) -> str:
    """A column's description for Datasette: the field's French title and description, and how
    a list is kept (Datasette 0.65 has no column types: ``?_json=<column>`` reads it back as a
    list in the JSON API)."""
    text = " : ".join(p for p in (spec.get("title"), spec.get("description")) if p)
    if spec.get("type") == "list":
        text += f" (Liste en texte JSON ; dans l'API, ?_json={spec['name']} la rend en liste.)"
    return text


def clashing(name: str, columns: Iterable[str]) -> None:
    taken = [c for c in columns if c in META_COLUMNS]
    if taken:
        raise PublishError(f"cannot build the history: {name} has a field named {taken[0]!r}")


def create_resource_table(db: sqlite_utils.Database, name: str, fields: dict[str, type]) -> None:
    clashing(name, fields)
    table = db.table(name)
    table.create(
        {**fields, **{k: kind for k, (kind, _) in META_COLUMNS.items()}},
        pk=("_item", "_version_from"),
        not_null={"_item", "_version_from", "_version_to", "_seq_from", "_seq_to", "_current"},
        foreign_keys=[
            ("_version_from", "releases", "version"),
            ("_version_to", "releases", "version"),
        ],
    )


def index_resource_table(db: sqlite_utils.Database, name: str) -> None:
    table = db.table(name)
    table.create_index(["_seq_from", "_seq_to"])
    table.create_index(["_current"])
    table.create_index(["_version_to"])
    for column in INDEXED_FIELDS:
        if column in table.columns_dict:
            table.create_index([column])
    searched = [c for c in FTS_COLUMNS.get(name, ()) if c in table.columns_dict]
    if searched:
        table.enable_fts(searched, tokenize=FTS_TOKENIZER)


def create_tables(db: sqlite_utils.Database) -> None:
    db.table("releases").create(
        {k: kind for k, (kind, _) in RELEASE_COLUMNS.items()},
        pk="version",
        not_null={"version", "seq"},
    )
    db.table("release_counts").create(
        {k: kind for k, (kind, _) in COUNT_COLUMNS.items()},
        pk=("version", "resource"),
        foreign_keys=[("version", "releases", "version")],
    )
    db.execute(CHANGES_SQL)  # old and new without affinity: each value keeps its type


def fill(db: sqlite_utils.Database, releases: Iterable[Release], columns: Columns) -> None:
    """Insert every release's rows and changes; create and fill the resource tables."""
    histories: dict[str, ResourceHistory] = {}
    release_rows: list[dict[str, Any]] = []
    previous: Release | None = None
    for index, release in enumerate(releases):
        columns.add(release)
        before = previous.version if previous else None
        changes = changes_of(release, previous)
        counts = list(count_rows(release, changes))
        release_rows.append(release_row(index + 1, release, before, counts))
        db.table("releases").insert(release_rows[-1])
        db.table("release_counts").insert_all(counts)
        base = {"seq": index + 1, "previous_version": before, "observed": release.observed}
        found = list(change_rows(release, previous, changes, base))
        first = db.execute("select count(*) from changes").fetchone()[0] + 1
        db.table("changes").insert_all(
            {"id": number, **row} for number, row in enumerate(found, start=first)
        )
        for name in release.package.rows:
            histories.setdefault(name, ResourceHistory(name)).add(index, release)
        previous = release
    names = [*(n for n in registry.RESOURCE_ORDER if n in columns.order), *columns.order]
    for name in dict.fromkeys(names):
        create_resource_table(db, name, columns.order[name])
        spans = histories[name].spans if name in histories else []
        db.table(name).insert_all(span_row(span, release_rows) for span in spans)
        index_resource_table(db, name)
    for column in ("resource", "item", "kind"):
        db.table("changes").create_index([column])
    db.index_foreign_keys()


def write_database(path: Path, releases: Iterable[Release]) -> Columns:
    """Write the whole database at ``path`` (replaced when it exists); returns what the tables
    hold, for the metadata."""
    columns = Columns.of_registry()
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path)
    try:
        # a scratch file until it is renamed: no journal, no sync per statement (the whole file
        # is synced once before the rename; a crash leaves only a temporary file)
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        db = sqlite_utils.Database(conn)
        with conn:
            create_tables(db)
            fill(db, releases, columns)
        conn.execute("VACUUM")
    finally:
        conn.close()
    return columns


def build_history(output: Path) -> Path:
    """Rebuild ``OUTPUT/history.sqlite`` and ``OUTPUT/history.metadata.json`` from every
    release of the output folder; returns the database's path. A reader of the old files keeps
    them whole: the new ones are renamed over them once complete."""
    output = Path(output)
    target = output / HISTORY_FILE
    releases = read_releases(output)  # checks the folder and the catalog first
    try:
        handle, name = tempfile.mkstemp(prefix=f"{TMP_PREFIX}{HISTORY_FILE}-", dir=output)
    except OSError as exc:
        raise PublishError(f"cannot write the history in {output}: {exc.strerror}") from None
    os.close(handle)
    building = Path(name)
    try:
        columns = write_database(building, releases)
        with open(building, "rb+") as written:
            os.fsync(written.fileno())
        building.chmod(0o644)  # mkstemp makes it private; the history is for everyone
        os.replace(building, target)
        fsync_dir(output)
        metadata = history_metadata(columns)
        text = json.dumps(metadata, ensure_ascii=False, indent=2) + "\n"
        write_atomic(output / METADATA_FILE, text.encode("utf-8"))
    except (OSError, sqlite3.Error) as exc:
        raise PublishError(f"cannot write the history in {output}: {exc}") from None
    finally:
        building.unlink(missing_ok=True)
    return target


# --- Datasette metadata --------------------------------------------------------------------------

VISIBILITY_SQL = """WITH par_publication AS (
  SELECT r.seq, t.position AS type_position, t.label AS type_de_rendez_vous,
         s.rule_id AS regle, s.applies_to AS demarche_visee,
         s.visibility_weeks AS visibilite_semaines
  FROM releases r
  JOIN slot_rules s ON r.seq BETWEEN s._seq_from AND s._seq_to
  LEFT JOIN channels c
    ON c.channel_id = s.channel_id AND r.seq BETWEEN c._seq_from AND c._seq_to
  LEFT JOIN appointment_types t
    ON t.type_id = c.type_id AND r.seq BETWEEN t._seq_from AND t._seq_to
  WHERE s.rule_type = 'slot_release'
),
ilots AS (
  SELECT *, seq - row_number() OVER (
    PARTITION BY regle, demarche_visee, visibilite_semaines, type_de_rendez_vous ORDER BY seq
  ) AS ilot
  FROM par_publication
),
periodes AS (
  SELECT min(type_position) AS type_position, type_de_rendez_vous, regle, demarche_visee,
         visibilite_semaines, min(seq) AS du, max(seq) AS au
  FROM ilots
  GROUP BY regle, demarche_visee, visibilite_semaines, type_de_rendez_vous, ilot
)
SELECT p.type_de_rendez_vous, p.demarche_visee, p.visibilite_semaines,
       d.version AS de_la_version, d.observed AS observee_depuis_le,
       a.version AS a_la_version, a.observed AS observee_jusqu_au,
       a.seq = (SELECT max(seq) FROM releases) AS actuelle, p.regle
FROM periodes p
JOIN releases d ON d.seq = p.du
JOIN releases a ON a.seq = p.au
ORDER BY p.type_position, p.regle, p.du"""

LOCATIONS_SQL = """SELECT l.name AS lieu, l.location_id AS identifiant,
       l.valid_from AS valable_a_partir_du, l.valid_until AS valable_jusqu_au,
       l._version_from AS de_la_version, l._observed_from AS observe_depuis_le,
       l._version_to AS a_la_version, l._observed_to AS observe_jusqu_au,
       (SELECT json_group_array(version) FROM (
          SELECT r.version FROM releases r
          WHERE r.seq BETWEEN l._seq_from AND l._seq_to ORDER BY r.seq
       )) AS versions,
       l._current AS actuel
FROM locations l
ORDER BY l.location_id, l._seq_from"""

ADDRESSES_SQL = """SELECT evenement, adresse, role, usage_public, modalite, version, observee_le,
       version_precedente, precedente_observee_le
FROM (
  SELECT 'apparue' AS evenement, c.email AS adresse, c.role, c.public_use AS usage_public,
         c.channel_id AS modalite, r.seq, r.version, r.observed AS observee_le,
         p.version AS version_precedente, p.observed AS precedente_observee_le
  FROM contacts c
  JOIN releases r ON r.seq = c._seq_from
  JOIN releases p ON p.seq = c._seq_from - 1
  WHERE c._started_by = 'added'
  UNION ALL
  SELECT 'disparue', c.email, c.role, c.public_use, c.channel_id, n.seq, n.version, n.observed,
         r.version, r.observed
  FROM contacts c
  JOIN releases r ON r.seq = c._seq_to
  JOIN releases n ON n.seq = c._seq_to + 1
  WHERE c._ended_by = 'removed'
)
ORDER BY seq, evenement, adresse"""

#: canned queries, named in French (their URL: /history/<name>)
QUERIES: dict[str, dict[str, str]] = {
    "visibilite_par_type_au_fil_du_temps": {
        "title": "Visibilité par type au fil du temps",
        "description": (
            "Pour chaque type de rendez-vous et chaque règle d'ouverture des créneaux : à combien "
            "de semaines les créneaux sont visibles, de quelle publication à quelle publication, "
            "avec les dates où la source a été observée."
        ),
        "sql": VISIBILITY_SQL,
    },
    "lieux_et_leurs_dates": {
        "title": "Lieux et leurs dates",
        "description": (
            "Chaque lieu de rendez-vous avec ses dates de validité, les publications où il "
            "figurait avec ces dates et les dates d'observation correspondantes."
        ),
        "sql": LOCATIONS_SQL,
    },
    "adresses_apparues_ou_disparues": {
        "title": "Adresses apparues ou disparues",
        "description": (
            "Les adresses électroniques apparues ou disparues d'une publication à la suivante : "
            "le changement a eu lieu entre precedente_observee_le et observee_le."
        ),
        "sql": ADDRESSES_SQL,
    },
}


def source_url(latest: Release | None) -> str:
    """The page the latest release was read from when it is a web address, else the site."""
    sources = latest.package.descriptor.get("sources") if latest else None
    path = sources[0].get("path") if isinstance(sources, list) and sources else None
    if isinstance(path, str) and path.startswith(("https://", "http://")):
        return path
    return PREFECTURE_SITE


def table_metadata(columns: Columns) -> dict[str, Any]:
    tables: dict[str, Any] = {}
    for name, (title, description) in TABLE_DESCRIPTIONS.items():
        tables[name] = {"title": title, "description": description}
    tables["releases"] |= {
        "sort": "seq",
        "columns": {k: text for k, (_, text) in RELEASE_COLUMNS.items()},
    }
    tables["release_counts"]["columns"] = {k: text for k, (_, text) in COUNT_COLUMNS.items()}
    tables["changes"] |= {"columns": CHANGE_COLUMNS, "facets": ["resource", "kind", "version"]}
    for name, meta in columns.meta.items():
        described = {k: v for k, v in columns.described[name].items() if v}
        tables[name] = {
            "title": f"{meta['title']} (historique)",
            "description": meta["description"] + HISTORY_NOTE,
            "columns": described | {k: text for k, (_, text) in META_COLUMNS.items()},
            "facets": ["_current", "_version_from"],
        }
    return tables


def history_metadata(columns: Columns) -> dict[str, Any]:
    """Datasette 0.65 metadata for the history database (``columns``: what it holds)."""
    credits = {
        "license": PACKAGE_LICENSE["title"],
        "license_url": PACKAGE_LICENSE["path"],
        "source": SOURCE_TITLE,
        "source_url": source_url(columns.latest),
    }
    return {
        "title": f"{PACKAGE_TITLE} : historique des publications",
        "description": PACKAGE_DESCRIPTION
        + " Chaque publication (version) et chaque version de chaque élément, avec les dates "
        "où la source a été observée.",
        **credits,
        "databases": {
            DATABASE_NAME: {
                "title": "Historique des publications",
                "description": (
                    "Toutes les publications et toutes les versions des données, reconstruites "
                    "à partir des dossiers de publication."
                ),
                "tables": table_metadata(columns),
                # a canned query's page shows its own metadata in the footer, not the site's
                # (the SQL is one click away: the results come first)
                "queries": {
                    name: {**query, "hide_sql": True, **credits} for name, query in QUERIES.items()
                },
            }
        },
    }


def main(argv: list[str] | None = None) -> int:
    """``python -m publish.history OUTPUT``: rebuild the history of an output folder."""
    args = sys.argv[1:] if argv is None else argv
    output = Path(args[0] if args else "output")
    try:
        path = build_history(output)
    except RdvError as exc:
        print(f"history: error: {exc}", file=sys.stderr)
        return 1
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
