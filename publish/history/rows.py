"""The rows of the history's tables, from the releases, oldest first (no database here).

An item's versions are spans: one per run of consecutive releases in which the item (a primary
key) kept exactly the same content (``ResourceHistory``, then ``span_values``, or ``span_row``
as a record). A release gives its row of ``releases`` (``release_row``), its rows of
``release_counts`` (``count_rows``) and its rows of ``changes`` (``change_values``: one per
changed field, one per added or removed item).

The rows of the large tables (item versions, changes) are made as tuples of values in the
columns' order, in one pass, rather than as records whose columns are gathered afterwards: a
10,000-row release makes about 50,000 of each (``tests/publish/history/test_history_fast.py``
compares the database with the one the records gave, byte for byte).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from core.errors import PublishError
from publish.changes.diff import comparable, diff, identical, row_key
from publish.changes.summary import change_totals
from publish.history.releases import Release


@dataclass(kw_only=True, slots=True)
class Span:
    """An item with one content over consecutive releases."""

    item: str
    row: dict[str, Any]
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
            if before is not None and same_content(before.row, row):
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


#: types whose equal values of the same type always say the same text (``comparable``); a list
#: may not (``[1] == [True]``)
SCALARS = frozenset({str, int, type(None)})


def same_content(before: dict[str, Any], row: dict[str, Any]) -> bool:
    """Whether ``row`` has the content of ``before``: identical values, or every field the same
    as text (``comparable``; a missing field and an empty one alike). A field is said as text
    only when its two values differ, and the first that differs as text answers."""
    if identical(before, row):
        return True
    for name in before.keys() | row.keys():
        old, new = before.get(name), row.get(name)
        if old is new or (type(old) is type(new) and type(old) in SCALARS and old == new):
            continue
        if (comparable(old) or None) != (comparable(new) or None):
            return False
    return True


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


def span_values(
    spans: list[Span], fields: tuple[str, ...], releases: list[dict[str, Any]]
) -> list[tuple[Any, ...]] | None:
    """Each span's row in its resource's table, as ``span_row`` says it, as values: those of
    ``fields`` (the table's own columns; a missing one None), then those of the item-version
    columns (``META_COLUMNS``' order). None when a row has a field the table has not (the
    insert of ``span_row``'s row then says which)."""
    known = frozenset(fields)
    versions = [r["version"] for r in releases]
    seqs = [r["seq"] for r in releases]
    observed = [r["observed"] for r in releases]
    published = [r["published"] for r in releases]
    last = len(releases) - 1
    values = []
    for span in spans:
        row, start, end = span.row, span.start, span.end
        if tuple(row) == fields:
            own: Any = row.values()
        elif known.issuperset(row):
            own = [row.get(f) for f in fields]
        else:
            return None
        values.append(
            (
                *own,
                span.item,
                versions[start],
                versions[end],
                seqs[start],
                seqs[end],
                observed[start],
                observed[end],
                published[start],
                span.started_by,
                span.ended_by,
                int(end == last),
            )
        )
    return values


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
        "rows": sum(c["rows"] for c in counts),
        # counted as the site's history page counts them (without source_cells)
        **change_totals({c["resource"]: c for c in counts}),
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


#: a whole added or removed row as JSON text (``json.dumps(row, ensure_ascii=False)``, its encoder
#: made once)
_WHOLE_ROW = json.JSONEncoder(ensure_ascii=False)
#: the columns of a row of ``changes`` that ``change_values`` gives, in its order (``id`` first)
CHANGE_FIELDS = (
    "id",
    "version",
    "seq",
    "previous_version",
    "observed",
    "resource",
    "item",
    "kind",
    "field",
    "old",
    "new",
)


def change_values(
    release: Release,
    previous: Release | None,
    changes: Mapping[str, Any],
    base: tuple[Any, ...],
) -> Iterator[tuple[Any, ...]]:
    """One row per changed field, one per added or removed item, in the release's ``changes``,
    as the values of ``CHANGE_FIELDS`` after ``id`` (``base``: the values of version, seq,
    previous_version and observed, which every row has)."""
    resources = changes.get("resources", {})
    for name, entries in resources.items():
        for kind, source in (("added", release), ("removed", previous)):
            key = source.package.key(name) if source else []
            for row in entries.get(kind) or []:
                whole = _WHOLE_ROW.encode(row)
                yield (
                    *base,
                    name,
                    row_key(row, key),
                    kind,
                    None,
                    whole if kind == "removed" else None,
                    whole if kind == "added" else None,
                )
        for entry in entries.get("changed") or []:
            for name_of_field, values in (entry.get("fields") or {}).items():
                yield (
                    *base,
                    name,
                    entry.get("key"),
                    "changed",
                    name_of_field,
                    cell(values.get("old")),
                    cell(values.get("new")),
                )


def cell(value: Any) -> Any:
    """A value as SQLite keeps it: lists and objects as JSON text, booleans as 0/1."""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return int(value)
    return value
