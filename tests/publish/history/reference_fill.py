"""The history's rows as they were written before the single-pass writer (``publish.history``'s
``fill`` of commit e3f2ded), kept as the reference the new writer is compared with, byte for
byte (``test_history_fast``): each row a dict, its columns gathered from every row, its values
checked one by one; an item's version compared with its previous one as sorted text."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import PublishError
from publish.changes.diff import comparable, identical, row_key
from publish.history import ddl
from publish.history.columns import Columns
from publish.history.database import (  # what the single-pass writer did not change
    INSERT_BATCH,
    MAX_VARIABLES,
    PLAIN_TYPES,
    _sql_value,
    create_resource_table,
    create_tables,
    index_foreign_keys,
    index_resource_table,
    transaction,
)
from publish.history.releases import Release
from publish.history.rows import cell, changes_of, count_rows, release_row
from schemas import registry


def content(row: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, v) for k, v in ((k, comparable(x)) for k, x in row.items()) if v))


@dataclass(kw_only=True)
class Span:
    item: str
    row: dict[str, Any]
    start: int
    end: int
    started_by: str
    ended_by: str | None = None
    _content: tuple[tuple[str, str], ...] | None = None

    @property
    def content(self) -> tuple[tuple[str, str], ...]:
        if self._content is None:
            self._content = content(self.row)
        return self._content


def same_content(span: Span, row: dict[str, Any]) -> bool:
    return identical(span.row, row) or span.content == content(row)


@dataclass
class ResourceHistory:
    name: str
    spans: list[Span] = field(default_factory=list)
    open: dict[str, Span] = field(default_factory=dict)

    def add(self, index: int, release: Release) -> None:
        rows = release.package.rows.get(self.name, [])
        key = release.package.key(self.name)
        seen: dict[str, Span] = {}
        for row in rows:
            item = row_key(row, key)
            if item in seen:
                raise PublishError(
                    f"cannot build the history: release {release.version} has two rows "
                    f"{item!r} in {self.name}"
                )
            before = self.open.pop(item, None)
            if before is not None and same_content(before, row):
                before.end = index
                seen[item] = before
                continue
            if before is not None:
                before.ended_by = "changed"
            span = Span(
                item=item,
                row=row,
                start=index,
                end=index,
                started_by="changed" if before else "added",
            )
            self.spans.append(span)
            seen[item] = span
        for gone in self.open.values():
            gone.ended_by = "removed"
        self.open = seen


def span_row(span: Span, releases: list[dict[str, Any]]) -> dict[str, Any]:
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


def change_rows(
    release: Release,
    previous: Release | None,
    changes: Any,
    base: dict[str, Any],
) -> Iterator[dict[str, Any]]:
    base = {"version": release.version, **base}
    resources = changes.get("resources", {})
    for name, entries in resources.items():
        for kind, source in (("added", release), ("removed", previous)):
            key = source.package.key(name) if source else []
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


def insert_rows(conn: sqlite3.Connection, name: str, rows: Iterable[dict[str, Any]]) -> None:
    rows = list(rows)
    if not rows:
        return
    columns = list(dict.fromkeys(key for row in rows for key in row))
    if not columns:
        raise PublishError(f"cannot build the history: rows of {name} without any column")
    statement = ddl.insert(name, columns)
    size = max(1, min(INSERT_BATCH, MAX_VARIABLES // len(rows[0] or columns)))
    for start in range(0, len(rows), size):
        batch = rows[start : start + size]
        transaction(conn, statement, _values(batch, columns))


def _values(rows: list[dict[str, Any]], columns: list[str]) -> Iterator[list[Any]]:
    keys = tuple(columns)
    for row in rows:
        values = list(row.values()) if tuple(row) == keys else [row.get(c) for c in columns]
        if not {type(v) for v in values} <= PLAIN_TYPES:
            values = [_sql_value(v) for v in values]
        yield values


def fill(conn: sqlite3.Connection, releases: Iterable[Release], columns: Columns) -> None:
    histories: dict[str, ResourceHistory] = {}
    release_rows: list[dict[str, Any]] = []
    previous: Release | None = None
    for index, release in enumerate(releases):
        columns.add(release)
        before = previous.version if previous else None
        changes = changes_of(release, previous)
        counts = list(count_rows(release, changes))
        release_rows.append(release_row(index + 1, release, before, counts))
        insert_rows(conn, "releases", release_rows[-1:])
        insert_rows(conn, "release_counts", counts)
        base = {"seq": index + 1, "previous_version": before, "observed": release.observed}
        found = list(change_rows(release, previous, changes, base))
        first = conn.execute("select count(*) from changes").fetchone()[0] + 1
        insert_rows(
            conn,
            "changes",
            ({"id": number, **row} for number, row in enumerate(found, start=first)),
        )
        for name in release.package.rows:
            histories.setdefault(name, ResourceHistory(name)).add(index, release)
        previous = release
    names = [*(n for n in registry.RESOURCE_ORDER if n in columns.order), *columns.order]
    for name in dict.fromkeys(names):
        create_resource_table(conn, name, columns.order[name])
        spans = histories[name].spans if name in histories else []
        insert_rows(conn, name, (span_row(span, release_rows) for span in spans))
        index_resource_table(conn, name, columns.order[name])
    for column in ("resource", "item", "kind"):
        conn.execute(ddl.create_index("changes", [column]))
    index_foreign_keys(conn)


def write_database(path: Path, releases: Iterable[Release]) -> Columns:
    """``publish.history.database.write_database`` with the reference ``fill``."""
    columns = Columns.of_registry()
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        create_tables(conn)
        fill(conn, releases, columns)
        conn.execute("VACUUM")
    finally:
        conn.close()
    return columns
