"""The rows of the history's tables, from the releases, oldest first (no database here).

An item's versions are spans: one per run of consecutive releases in which the item (a primary
key) kept exactly the same content (``ResourceHistory``, then ``span_row``). A release gives its
row of ``releases`` (``release_row``), its rows of ``release_counts`` (``count_rows``) and its
rows of ``changes`` (``change_rows``: one per changed field, one per added or removed item).
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


def content(row: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """What makes two versions of an item the same: every non-missing value, as text."""
    return tuple(sorted((k, v) for k, v in ((k, comparable(x)) for k, x in row.items()) if v))


@dataclass(kw_only=True)
class Span:
    """An item with one content over consecutive releases."""

    item: str
    row: dict[str, Any]
    start: int  # index of the first release in the list of releases
    end: int
    started_by: str
    ended_by: str | None = None
    _content: tuple[tuple[str, str], ...] | None = None

    @property
    def content(self) -> tuple[tuple[str, str], ...]:
        """``content(row)``, said when first asked: a row its next version repeats identically
        is never compared as text."""
        if self._content is None:
            self._content = content(self.row)
        return self._content


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


def same_content(span: Span, row: dict[str, Any]) -> bool:
    """Whether ``row`` has the content of ``span``: identical values, or the same as text."""
    return identical(span.row, row) or span.content == content(row)


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


def cell(value: Any) -> Any:
    """A value as SQLite keeps it: lists and objects as JSON text, booleans as 0/1."""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return int(value)
    return value
