"""Writing the history database with sqlite-utils: the tables, their rows, indexes and full-text
search, in a scratch file renamed over the old database once complete (``replace_database``)."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import sqlite_utils
from sqlite_utils.db import SQLITE_MAX_VARS, jsonify_if_needed, quote_identifier

from core.errors import PublishError
from publish.history.columns import COUNT_COLUMNS, META_COLUMNS, RELEASE_COLUMNS, Columns
from publish.history.releases import Release
from publish.history.rows import (
    ResourceHistory,
    change_rows,
    changes_of,
    count_rows,
    release_row,
    span_row,
)
from publish.release.atomic import TMP_PREFIX, replace_path
from schemas import registry

#: per resource, the columns full-text search covers: labels, names and instructions
FTS_COLUMNS: dict[str, tuple[str, ...]] = {
    "appointment_types": ("label",),
    "locations": ("name",),
    "channels": ("instructions", "portal_path", "portal_hint"),
    "procedures": ("label",),
    "slot_rules": ("applies_to",),
    "contacts": ("email", "notes"),
    "unread_sentences": ("sentence",),
    "source_cells": ("text",),
}
FTS_TOKENIZER = "unicode61 remove_diacritics 2"  # « sejour » finds « séjour »

#: columns indexed when a resource has them (the keys its rows point at)
INDEXED_FIELDS = ("type_id", "channel_id", "location_id", "parent_id", "rule_type", "email")

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


#: sqlite-utils' batch of rows (``Table.insert_all``'s default)
INSERT_BATCH = 100
#: the values ``sqlite_utils.db.jsonify_if_needed`` gives back as they are
PLAIN_TYPES = frozenset({str, int, float, bool, type(None)})


def insert_rows(db: sqlite_utils.Database, name: str, rows: Iterable[dict[str, Any]]) -> None:
    """``db.table(name).insert_all(rows)`` into an existing table, without sqlite-utils' work
    at every value (most of the history's time for a large table): the same rows in the same
    order, each column a record names (missing: NULL), each value as ``jsonify_if_needed``
    makes it (a list as JSON text), in sqlite-utils' batches, each its own transaction (the
    file's change counter, in its header, counts them: the bytes stay the same)."""
    rows = list(rows)
    if not rows or not rows[0]:  # nothing, or rows without columns: sqlite-utils' own way
        db.table(name).insert_all(rows)
        return
    columns = list(dict.fromkeys(key for row in rows for key in row))
    names = ", ".join(quote_identifier(column) for column in columns)
    marks = ", ".join("?" for _ in columns)
    sql = f"INSERT INTO {quote_identifier(name)} ({names}) VALUES ({marks})"
    size = max(1, min(INSERT_BATCH, SQLITE_MAX_VARS // len(rows[0])))
    for start in range(0, len(rows), size):
        batch = rows[start : start + size]
        with db.atomic():
            db.conn.executemany(sql, ([_sql_value(row.get(c)) for c in columns] for row in batch))


def _sql_value(value: Any) -> Any:
    return value if type(value) in PLAIN_TYPES else jsonify_if_needed(value)


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
        insert_rows(db, "release_counts", counts)
        base = {"seq": index + 1, "previous_version": before, "observed": release.observed}
        found = list(change_rows(release, previous, changes, base))
        first = db.execute("select count(*) from changes").fetchone()[0] + 1
        insert_rows(
            db, "changes", ({"id": number, **row} for number, row in enumerate(found, start=first))
        )
        for name in release.package.rows:
            histories.setdefault(name, ResourceHistory(name)).add(index, release)
        previous = release
    names = [*(n for n in registry.RESOURCE_ORDER if n in columns.order), *columns.order]
    for name in dict.fromkeys(names):
        create_resource_table(db, name, columns.order[name])
        spans = histories[name].spans if name in histories else []
        insert_rows(db, name, (span_row(span, release_rows) for span in spans))
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


def replace_database(target: Path, releases: Iterable[Release]) -> Columns:
    """Write the database to a temporary file beside ``target``, then put it in place of
    ``target`` (``atomic.replace_path``): a reader sees the old database or the new one, never
    half of one. Returns what the tables hold; raises ``OSError`` or ``sqlite3.Error`` when the
    writing fails (the temporary file is removed)."""
    folder = target.parent
    try:
        handle, name = tempfile.mkstemp(prefix=f"{TMP_PREFIX}{target.name}-", dir=folder)
    except OSError as exc:
        raise PublishError(f"cannot write the history in {folder}: {exc.strerror}") from None
    os.close(handle)
    building = Path(name)
    try:
        columns = write_database(building, releases)
        with open(building, "rb+") as written:
            os.fsync(written.fileno())
        building.chmod(0o644)  # mkstemp makes it private; the history is for everyone
        replace_path(building, target)
    finally:
        building.unlink(missing_ok=True)
    return columns
