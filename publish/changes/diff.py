"""What changed between two packages: rows by primary key, schemas, and metadata. Pure.

``diff(old, new)`` compares rows keyed by each resource's primary key (composite keys joined by
'|'); values are compared by type-aware text (the integer 6 and the string "6" are equal; None and
'' are the same missing value). Schema changes are classified as breaking or not, which decides
between a MAJOR and a MINOR version (see ``publish/release/bump.py``).
"""

from __future__ import annotations

from typing import Any

from publish.changes.records import (
    ChangedRow,
    Changes,
    FieldChange,
    MetadataChange,
    ResourceChanges,
    RowCounts,
)
from publish.changes.schema_diff import diff_schemas
from publish.reading.load import PackageData, Rows

#: descriptor keys that change with every run or with the source's form, never a change of data:
#: ``temporal`` ends on the day the source was observed, and ``spreadsheet`` (the XLSX's size and
#: hash) follows the data and the version, which the diff compares on their own
VOLATILE_PACKAGE_KEYS = frozenset(
    {"version", "created", "sources", "resources", "temporal", "spreadsheet"}
)
RESOURCE_META_KEYS = ("title", "description")


def comparable(value: Any) -> str | None:
    if type(value) is str:  # most values: the same text, without the tests below
        return value or None
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ",".join(map(str, value)) or None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def identical(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two rows hold the same values of the same types, field by field: then no field
    differs by ``comparable`` either (checked in C, where comparing field by field is Python's
    work; ``==`` alone would take ``True`` for ``1``). The types are compared field by field,
    not in each row's order: rows of the same fields in other orders (« a: True, b: 1 » and
    « b: True, a: 1 ») would otherwise show the same types."""
    return a == b and tuple(map(type, a.values())) == tuple(map(type, map(b.__getitem__, a)))


def row_key(row: dict[str, Any], primary_key: list[str]) -> str:
    """The row's key: ``comparable`` of each part (missing: empty), joined by '|'. A text part
    and an integer one are said without ``comparable``'s dispatch (it gives a text back as it
    is, an integer as ``str``): the diff, the history and the feeds key every row of every
    release with it."""
    parts: list[str] = []
    for name in primary_key:
        value = row.get(name)
        if type(value) is str:
            parts.append(value)
        elif type(value) is int:
            parts.append(str(value))
        else:
            parts.append(comparable(value) or "")
    return "|".join(parts)


def diff_rows(old: Rows, new: Rows, primary_key: list[str], fields: list[str]) -> ResourceChanges:
    """Added and removed rows (whole), changed rows (key and per-field old/new), in source order.
    Only ``fields`` (those both schemas have) are compared."""
    old_by = {row_key(r, primary_key): r for r in old}
    new_by = {row_key(r, primary_key): r for r in new}
    changed: list[ChangedRow] = []
    for key, row in new_by.items():
        before = old_by.get(key)
        if before is None or identical(before, row):
            continue
        fields_changed = {
            f: FieldChange(old=a, new=b)
            for f in fields
            if (a := before.get(f)) is not (b := row.get(f)) and comparable(a) != comparable(b)
        }
        if fields_changed:
            changed.append({"key": key, "fields": fields_changed})
    return {
        "added": [r for k, r in new_by.items() if k not in old_by],
        "removed": [r for k, r in old_by.items() if k not in new_by],
        "changed": changed,
    }


def _field_names(package: PackageData, name: str) -> list[str]:
    return [f["name"] for f in package.fields(name)]


def diff_metadata(old: PackageData, new: PackageData) -> list[MetadataChange]:
    """Changed descriptive metadata (package, resource and field titles and descriptions, …)."""
    found: list[MetadataChange] = []
    keys = (set(old.descriptor) | set(new.descriptor)) - VOLATILE_PACKAGE_KEYS
    for key in sorted(keys):
        if old.descriptor.get(key) != new.descriptor.get(key):
            found.append(
                {"path": key, "old": old.descriptor.get(key), "new": new.descriptor.get(key)}
            )
    for name in new.rows:
        before, after = old.resource(name) or {}, new.resource(name) or {}
        for key in RESOURCE_META_KEYS:
            if before and before.get(key) != after.get(key):
                found.append(
                    {"path": f"{name}.{key}", "old": before.get(key), "new": after.get(key)}
                )
        old_fields = {f["name"]: f for f in old.fields(name)}
        for field in new.fields(name):
            previous = old_fields.get(field["name"])
            for key in RESOURCE_META_KEYS:
                if previous and previous.get(key) != field.get(key):
                    found.append(
                        {
                            "path": f"{name}.{field['name']}.{key}",
                            "old": previous.get(key),
                            "new": field.get(key),
                        }
                    )
    return found


def diff(old: PackageData | None, new: PackageData) -> Changes:
    """The changes from ``old`` (None for the first release) to ``new``."""
    resources: dict[str, ResourceChanges] = {}
    if old is None:
        for name, rows in new.rows.items():
            resources[name] = {"added": list(rows), "removed": [], "changed": []}
        return {"resources": resources, "schema": [], "metadata": []}
    for name in [*new.rows, *[n for n in old.rows if n not in new.rows]]:
        key = new.key(name) or old.key(name)
        shared = [f for f in _field_names(new, name) if f in _field_names(old, name)]
        resources[name] = diff_rows(old.rows.get(name, []), new.rows.get(name, []), key, shared)
    return {
        "resources": resources,
        "schema": diff_schemas(old, new),
        "metadata": diff_metadata(old, new),
    }


def row_counts(changes: Changes) -> dict[str, RowCounts]:
    """How many rows of each resource were added, removed and changed (``releases.json``)."""
    return {
        name: RowCounts(
            added=len(entries["added"]),
            removed=len(entries["removed"]),
            changed=len(entries["changed"]),
        )
        for name, entries in changes["resources"].items()
    }


def has_row_changes(changes: Changes) -> bool:
    return any(any(n for n in counts.values()) for counts in row_counts(changes).values())


def apply_rows(old: Rows, change: ResourceChanges, primary_key: list[str]) -> Rows:
    """``old`` with one resource's changes applied: the inverse of ``diff_rows`` (new rows at
    the end). ``apply_rows(a, diff_rows(a, b, …), …)`` has the rows of ``b``."""
    removed = {row_key(row, primary_key) for row in change["removed"]}
    changed = {entry["key"]: entry["fields"] for entry in change["changed"]}
    out = []
    for row in old:
        key = row_key(row, primary_key)
        if key in removed:
            continue
        if key in changed:
            row = {**row, **{f: values["new"] for f, values in changed[key].items()}}
        out.append(row)
    return out + list(change["added"])
