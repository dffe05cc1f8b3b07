"""Which changes of a release are about which appointment type: a type's feed holds only them
(its row, its channels, their procedures, rules and contacts, the places and closures they use,
its unread sentences).

The split is language-free: made once per release and build, as the places of the rows in the
change record (``publish.changes.summary.Position``), whose lines each language then says once
(``summary.ChangeLines``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from publish.changes.diff import row_key
from publish.changes.records import Changes, ResourceChanges
from publish.changes.summary import KINDS, Position
from publish.changes.unread import RESOURCE as UNREAD
from publish.reading.load import PackageData

#: a type id that may name a file: a slug, no dot, no slash, not too long
SAFE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
#: resources whose rows belong to a type through their channel / their place
BY_CHANNEL = ("procedures", "slot_rules", "contacts")
BY_LOCATION = ("locations", "closures")


class TypeLinks:
    """Which rows of an old and a new package belong to which appointment type."""

    def __init__(self, old: PackageData | None, new: PackageData) -> None:
        self.packages = [p for p in (new, old) if p is not None]
        self.channel_types: dict[Any, set[Any]] = {}
        self.location_types: dict[Any, set[Any]] = {}
        for package in self.packages:
            for channel in package.rows.get("channels", []):
                kind = channel.get("type_id")
                self.channel_types.setdefault(channel.get("channel_id"), set()).add(kind)
                if channel.get("location_id") is not None:
                    self.location_types.setdefault(channel["location_id"], set()).add(kind)
        self._keyed: dict[tuple[int, str], dict[str, dict[str, Any]]] = {}

    def rows_of(self, resource: str, key: str) -> Iterator[dict[str, Any]]:
        """The row with primary key ``key`` in each package that has it."""
        for number, package in enumerate(self.packages):
            index = self._keyed.get((number, resource))
            if index is None:
                primary = package.key(resource)
                index = {row_key(r, primary): r for r in package.rows.get(resource, [])}
                self._keyed[(number, resource)] = index
            if key in index:
                yield index[key]

    def types_of(self, resource: str, row: dict[str, Any]) -> set[Any]:
        if resource in ("appointment_types", "channels"):
            return {row.get("type_id")}
        if resource in BY_CHANNEL:
            return self.channel_types.get(row.get("channel_id"), set())
        if resource in BY_LOCATION:
            return self.location_types.get(row.get("location_id"), set())
        if resource == UNREAD:
            return {row.get("type_id")}
        return set()  # source cells and anything unknown belong to no type

    def concerns(self, resource: str, row: Any, type_id: str) -> bool:
        return isinstance(row, dict) and type_id in self.types_of(resource, row)

    def types_of_change(self, resource: str, kind: str, entry: Any) -> set[Any]:
        """The types a row change is about: an added or removed row's; a changed row's, old or
        new version (found by its key)."""
        if not isinstance(entry, dict):
            return set()
        if kind != "changed":
            return self.types_of(resource, entry)
        keyed = self.rows_of(resource, str(entry.get("key")))
        return set().union(*(self.types_of(resource, row) for row in keyed))


def _resources(changes: Changes) -> dict[str, Any]:
    """The resources of ``changes`` that hold row changes (as read: any JSON)."""
    resources = changes.get("resources") or {}
    return {n: e for n, e in resources.items() if isinstance(e, dict)}


def type_positions(changes: Changes, links: TypeLinks) -> dict[Any, list[Position]]:
    """Each type's row changes, in one pass (each row goes to every type it is about), in the
    order of the summary (per resource: removed, added, changed). Linear in the rows: a table
    of thousands of types is split as fast as it is read."""
    split: dict[Any, list[Position]] = {}
    for name, entries in _resources(changes).items():
        for kind in KINDS:
            for index, entry in enumerate(entries.get(kind, [])):
                for type_id in links.types_of_change(name, kind, entry):
                    found = split.get(type_id)
                    if found is None:
                        found = split[type_id] = []
                    found.append((name, kind, index))
    return split


def _without_rows(changes: Changes, resources: dict[str, ResourceChanges]) -> Changes:
    """``changes`` with these ``resources`` and no schema or metadata change (they are about
    every type)."""
    return {**changes, "resources": resources, "schema": [], "metadata": []}


def changes_by_type(
    changes: Changes, old: PackageData | None, new: PackageData
) -> tuple[dict[Any, Changes], Changes]:
    """``changes`` split by appointment type (``type_positions``), as change records, and the
    changes of a type that no row is about."""
    resources = _resources(changes)

    def empty() -> dict[str, ResourceChanges]:
        return {n: {"added": [], "removed": [], "changed": []} for n in resources}

    split = {}
    for type_id, positions in type_positions(changes, TypeLinks(old, new)).items():
        kept = empty()
        for name, kind, index in positions:
            kept[name][kind].append(resources[name][kind][index])  # type: ignore[literal-required]
        split[type_id] = _without_rows(changes, kept)
    return split, _without_rows(changes, empty())


def type_changes(
    changes: Changes, type_id: str, old: PackageData | None, new: PackageData
) -> Changes:
    """``changes`` with only the rows about ``type_id``; no schema or metadata change (they are
    about every type)."""
    split, nothing = changes_by_type(changes, old, new)
    return split.get(type_id, nothing)


def feed_types(packages: list[PackageData]) -> list[tuple[str, str]]:
    """(type id, label) of every type: the latest package's in its order, then the types only
    older packages have (newest label), each id once; ids that are not safe file names are
    left out."""
    found: dict[str, str] = {}
    for number, package in enumerate(reversed(packages)):
        rows = package.rows.get("appointment_types", [])
        if number == 0:
            rows = sorted(rows, key=lambda r: (r.get("position") is None, r.get("position") or 0))
        for row in rows:
            type_id = row.get("type_id")
            if isinstance(type_id, str) and SAFE_ID.match(type_id) and type_id not in found:
                found[type_id] = str(row.get("label") or type_id)
    return list(found.items())
