"""Writing the history database with the standard library's sqlite3: the tables, their rows,
indexes and full-text search (their SQL text in ``publish.history.ddl``), in a scratch file renamed
over the old database once complete (``replace_database``).

Each statement runs in the transaction sqlite-utils, which wrote the history before, gave it: a
database counts its write transactions in its header, and the file's bytes stay the same."""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from core.errors import PublishError
from publish.history import ddl
from publish.history.columns import COUNT_COLUMNS, META_COLUMNS, RELEASE_COLUMNS, Columns
from publish.history.releases import Release
from publish.history.rows import (
    CHANGE_FIELDS,
    ResourceHistory,
    Span,
    change_values,
    changes_of,
    count_rows,
    release_row,
    span_row,
    span_values,
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

#: rows inserted per transaction (sqlite-utils' ``insert_all`` batch, which the bytes keep)
INSERT_BATCH = 100
#: the most parameters of one statement (sqlite-utils' ``SQLITE_MAX_VARS``)
MAX_VARIABLES = 999
PLAIN_TYPES = frozenset({str, int, float, bool, type(None)})


def transaction(
    conn: sqlite3.Connection, statement: str, rows: Iterable[Sequence[Any]] = ()
) -> None:
    """``statement`` in a transaction of its own, once, or once per row of ``rows`` if given."""
    conn.execute("BEGIN")
    if rows == ():
        conn.execute(statement)
    else:
        conn.executemany(statement, rows)
    conn.execute("COMMIT")


def insert_rows(conn: sqlite3.Connection, name: str, rows: Iterable[dict[str, Any]]) -> None:
    """The rows into an existing table, in order, each column a record names (missing: NULL),
    a list or a mapping as JSON text, in batches (``batch_size``), each its own transaction."""
    rows = list(rows)
    if not rows:
        return
    columns = list(dict.fromkeys(key for row in rows for key in row))
    if not columns:
        raise PublishError(f"cannot build the history: rows of {name} without any column")
    insert_values(conn, name, columns, _values(rows, columns), len(rows[0] or columns))


def batch_size(width: int) -> int:
    """Rows per transaction when the first row has ``width`` columns: ``INSERT_BATCH``, fewer
    when they would pass ``MAX_VARIABLES`` (sqlite-utils' ``insert_all``, which the bytes keep:
    a transaction more or less moves the header's counter)."""
    return max(1, min(INSERT_BATCH, MAX_VARIABLES // width))


def insert_values(
    conn: sqlite3.Connection,
    name: str,
    columns: Sequence[str],
    values: Sequence[Sequence[Any]],
    width: int,
) -> None:
    """Rows given as the values of ``columns``, in order, in batches of ``batch_size(width)``
    (``width``: how many columns the first row named), each its own transaction; a list or a
    mapping as JSON text."""
    if not values:
        return
    statement = ddl.insert(name, columns)
    size = batch_size(width)
    for start in range(0, len(values), size):
        transaction(conn, statement, map(_plain, values[start : start + size]))


def _plain(values: Sequence[Any]) -> Sequence[Any]:
    """A row's values as SQLite keeps them: as they are when they are plain (checked in C)."""
    if PLAIN_TYPES.issuperset(map(type, values)):
        return values
    return [v if type(v) in PLAIN_TYPES else _sql_value(v) for v in values]


def _values(rows: list[dict[str, Any]], columns: list[str]) -> list[list[Any]]:
    """Each row's values in the order of ``columns``; a row of plain values as it is."""
    keys = tuple(columns)
    return [
        list(row.values()) if tuple(row) == keys else [row.get(c) for c in columns] for row in rows
    ]


def _sql_value(value: Any) -> Any:
    """A plain JSON value as SQLite keeps it: a list or a mapping as JSON text (as sqlite-utils'
    ``jsonify_if_needed`` writes it)."""
    if type(value) in PLAIN_TYPES:
        return value
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, default=repr, ensure_ascii=False)
    raise PublishError(f"cannot build the history: a value of type {type(value).__name__}")


def clashing(name: str, columns: Iterable[str]) -> None:
    taken = [c for c in columns if c in META_COLUMNS]
    if taken:
        raise PublishError(f"cannot build the history: {name} has a field named {taken[0]!r}")


def create_resource_table(conn: sqlite3.Connection, name: str, fields: dict[str, type]) -> None:
    clashing(name, fields)
    statement = ddl.create_table(
        name,
        {**fields, **{k: kind for k, (kind, _) in META_COLUMNS.items()}},
        pk=("_item", "_version_from"),
        not_null=("_item", "_version_from", "_version_to", "_seq_from", "_seq_to", "_current"),
        foreign_keys=[
            ("_version_from", "releases", "version"),
            ("_version_to", "releases", "version"),
        ],
    )
    transaction(conn, statement)


def index_resource_table(conn: sqlite3.Connection, name: str, fields: Iterable[str]) -> None:
    columns = [*fields, *META_COLUMNS]
    for indexed in (["_seq_from", "_seq_to"], ["_current"], ["_version_to"]):
        conn.execute(ddl.create_index(name, indexed))
    for column in INDEXED_FIELDS:
        if column in columns:
            conn.execute(ddl.create_index(name, [column]))
    searched = [c for c in FTS_COLUMNS.get(name, ()) if c in columns]
    if searched:
        conn.execute(ddl.create_fts(name, searched, FTS_TOKENIZER))
        conn.execute(ddl.populate_fts(name, searched))


def index_foreign_keys(conn: sqlite3.Connection) -> None:
    """An index on every foreign key column not yet indexed, table after table in the order
    they were made (as sqlite-utils' ``index_foreign_keys``)."""
    tables = [r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")]
    for table in tables:
        indexed = {
            tuple(c[2] for c in sorted(conn.execute(f"PRAGMA index_info({ddl.quote(i[1])})")))
            for i in conn.execute(f"PRAGMA index_list({ddl.quote(table)})")
        }
        keys = conn.execute(f"PRAGMA foreign_key_list({ddl.quote(table)})").fetchall()
        for key in sorted(keys):
            if (key[3],) not in indexed:
                conn.execute(
                    ddl.create_index(table, [key[3]], _free_index_name(conn, table, key[3]))
                )
                indexed.add((key[3],))


def _free_index_name(conn: sqlite3.Connection, table: str, column: str) -> str:
    taken = {r[0] for r in conn.execute("select name from sqlite_master where type = 'index'")}
    name, suffix = ddl.index_name(table, [column]), 2
    found = name
    while found in taken:
        found, suffix = f"{name}_{suffix}", suffix + 1
    return found


def create_tables(conn: sqlite3.Connection) -> None:
    releases = {k: kind for k, (kind, _) in RELEASE_COLUMNS.items()}
    transaction(
        conn, ddl.create_table("releases", releases, pk="version", not_null=("version", "seq"))
    )
    counts = ddl.create_table(
        "release_counts",
        {k: kind for k, (kind, _) in COUNT_COLUMNS.items()},
        pk=("version", "resource"),
        foreign_keys=[("version", "releases", "version")],
    )
    transaction(conn, counts)
    conn.execute(CHANGES_SQL)  # old and new without affinity: each value keeps its type


def fill(conn: sqlite3.Connection, releases: Iterable[Release], columns: Columns) -> None:
    """Insert every release's rows and changes; create and fill the resource tables."""
    histories: dict[str, ResourceHistory] = {}
    release_rows: list[dict[str, Any]] = []
    previous: Release | None = None
    next_change = 1  # the id of the next row of changes
    for index, release in enumerate(releases):
        columns.add(release)
        before = previous.version if previous else None
        changes = changes_of(release, previous)
        counts = list(count_rows(release, changes))
        release_rows.append(release_row(index + 1, release, before, counts))
        insert_rows(conn, "releases", release_rows[-1:])
        insert_rows(conn, "release_counts", counts)
        base = (release.version, index + 1, before, release.observed)
        found = change_values(release, previous, changes, base)
        numbered = [(number, *row) for number, row in enumerate(found, start=next_change)]
        insert_values(conn, "changes", CHANGE_FIELDS, numbered, len(CHANGE_FIELDS))
        next_change += len(numbered)
        for name in release.package.rows:
            histories.setdefault(name, ResourceHistory(name)).add(index, release)
        previous = release
    names = [*(n for n in registry.RESOURCE_ORDER if n in columns.order), *columns.order]
    for name in dict.fromkeys(names):
        create_resource_table(conn, name, columns.order[name])
        spans = histories[name].spans if name in histories else []
        insert_spans(conn, name, tuple(columns.order[name]), spans, release_rows)
        index_resource_table(conn, name, columns.order[name])
    for column in ("resource", "item", "kind"):
        conn.execute(ddl.create_index("changes", [column]))
    index_foreign_keys(conn)


def insert_spans(
    conn: sqlite3.Connection,
    name: str,
    fields: tuple[str, ...],
    spans: list[Span],
    releases: list[dict[str, Any]],
) -> None:
    """A resource's item versions into its table (``fields``: the table's own columns), as
    values; as records when a row has a field the table has not (its insert then fails)."""
    values = span_values(spans, fields, releases)
    if values is None:
        insert_rows(conn, name, (span_row(span, releases) for span in spans))
    elif values:
        width = len(spans[0].row) + len(META_COLUMNS)
        insert_values(conn, name, [*fields, *META_COLUMNS], values, width)


def write_database(path: Path, releases: Iterable[Release]) -> Columns:
    """Write the whole database at ``path`` (replaced when it exists); returns what the tables
    hold, for the metadata."""
    columns = Columns.of_registry()
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)  # each transaction said (``transaction``)
    try:
        # a scratch file until it is renamed: no journal, no sync per statement (the whole file
        # is synced once before the rename; a crash leaves only a temporary file)
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        create_tables(conn)
        fill(conn, releases, columns)
        conn.execute("VACUUM")
    finally:
        conn.close()
    return columns


def database_problem(path: Path, versions: list[str], *, whole: bool = True) -> str | None:
    """Why the history database at ``path`` is not the one of ``versions``, or None: it cannot
    be read, SQLite's integrity check fails (``whole``: a builder checks the database it wrote;
    an audit of a database its builder checked in this run skips it), or it lists other
    releases, or in another order."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            check = db.execute("pragma integrity_check").fetchone()[0] if whole else "ok"
            listed = [v for (v,) in db.execute("select version from releases order by seq")]
        db.close()
    except sqlite3.Error as exc:
        return str(exc)
    if check != "ok":
        return f"integrity check: {check}"
    return None if listed == versions else f"it lists {listed}, not {versions}"


def replace_database(target: Path, releases: Iterable[Release], versions: list[str]) -> Columns:
    """Write the database of ``releases`` (the catalog's ``versions``) to a temporary file
    beside ``target``, read it back (``database_problem``: SQLite's integrity check and the
    releases it lists), then put it in place of ``target`` (``atomic.replace_path``): a reader
    sees the old database or the new one, never half of one. Returns what the tables hold;
    raises ``OSError`` or ``sqlite3.Error`` when the writing fails and a ``PublishError`` when
    what was written is wrong (the temporary file is removed, ``target`` left as it was). The
    run's audit then does not check its integrity again (``publish.derived.audit``): in a
    second process, this check is made beside the site, off the run's path."""
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
        if problem := database_problem(building, versions):
            raise PublishError(f"the {target.name} this run built is wrong ({problem})")
        building.chmod(0o644)  # mkstemp makes it private; the history is for everyone
        replace_path(building, target)
    finally:
        building.unlink(missing_ok=True)
    return columns
