"""Schema changes between two packages, each marked breaking (MAJOR) or compatible (MINOR)."""

from __future__ import annotations

from typing import Any

from publish.changes.records import SchemaChange
from publish.reading.load import PackageData

Change = SchemaChange


def _change(kind: str, resource: str, field: str | None, detail: str, breaking: bool) -> Change:
    return {
        "kind": kind,
        "resource": resource,
        "field": field,
        "detail": detail,
        "breaking": breaking,
    }


def _bound(old: Any, new: Any, lower: bool) -> str | None:
    """'tightened', 'loosened' or None for a minimum-like (lower) or maximum-like bound."""
    if old == new:
        return None
    if old is None:
        return "tightened"
    if new is None:
        return "loosened"
    return "tightened" if (new > old) == lower else "loosened"


def compare_constraints(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, str]]:
    """(constraint, 'tightened' | 'loosened') for every constraint that changed."""
    found = []
    for flag in ("required", "unique"):
        before, after = bool(old.get(flag)), bool(new.get(flag))
        if before != after:
            found.append((flag, "tightened" if after else "loosened"))
    if old.get("enum") != new.get("enum"):
        old_enum, new_enum = old.get("enum"), new.get("enum")
        if old_enum is None:
            found.append(("enum", "tightened"))
        elif new_enum is None or set(new_enum) >= set(old_enum):
            found.append(("enum", "loosened"))
        else:
            found.append(("enum", "tightened"))
    for name, lower in (
        ("minimum", True),
        ("minLength", True),
        ("exclusiveMinimum", True),
        ("maximum", False),
        ("maxLength", False),
        ("exclusiveMaximum", False),
    ):
        if (how := _bound(old.get(name), new.get(name), lower)) is not None:
            found.append((name, how))
    if old.get("pattern") != new.get("pattern"):
        found.append(("pattern", "loosened" if new.get("pattern") is None else "tightened"))
    return found


def _fields(package: PackageData, name: str) -> list[dict[str, Any]]:
    resource = package.resource(name) or {}
    return resource.get("schema", {}).get("fields", [])


#: a resource's fields by name, each with its place in the schema
Fields = dict[str, tuple[int, dict[str, Any]]]


def _indexed_fields(package: PackageData, name: str) -> Fields:
    return {f["name"]: (i, f) for i, f in enumerate(_fields(package, name))}


def _schema(package: PackageData, name: str) -> dict[str, Any]:
    return (package.resource(name) or {}).get("schema", {})


def _resource_changes(old: PackageData, new: PackageData, name: str) -> list[Change]:
    """Every schema change of the resource ``name``, in this order: fields renamed, removed and
    added, fields changed (type, format, constraints), the primary key, the foreign keys."""
    old_fields, new_fields = _indexed_fields(old, name), _indexed_fields(new, name)
    old_schema, new_schema = _schema(old, name), _schema(new, name)
    return [
        *_field_set_changes(name, old_fields, new_fields),
        *_field_changes(name, old_fields, new_fields),
        *_primary_key_changes(name, old_schema, new_schema),
        *_foreign_key_changes(name, old_schema, new_schema),
    ]


def _renamed(old_fields: Fields, new_fields: Fields) -> dict[str, str]:
    """Old name -> new name of each removed field whose place and type an added field takes."""
    added = [n for n in new_fields if n not in old_fields]
    renamed: dict[str, str] = {}
    for gone in (n for n in old_fields if n not in new_fields):
        index, field = old_fields[gone]
        twin = next((a for a in added if _takes_place_of(new_fields[a], index, field)), None)
        if twin:
            renamed[gone] = twin
            added.remove(twin)
    return renamed


def _takes_place_of(new: tuple[int, dict[str, Any]], index: int, field: dict[str, Any]) -> bool:
    return new[0] == index and new[1].get("type") == field.get("type")


def _field_set_changes(resource: str, old_fields: Fields, new_fields: Fields) -> list[Change]:
    """Fields renamed (same place, same type, new name), then removed, then added (breaking when
    the new field is required)."""
    renamed = _renamed(old_fields, new_fields)
    twins = set(renamed.values())
    changes = [
        _change("field-renamed", resource, gone, f"{gone} → {twin}", True)
        for gone, twin in renamed.items()
    ]
    changes += [
        _change("field-removed", resource, gone, gone, True)
        for gone in old_fields
        if gone not in new_fields and gone not in renamed
    ]
    changes += [
        _field_added(resource, added, new_fields[added][1])
        for added in new_fields
        if added not in old_fields and added not in twins
    ]
    return changes


def _field_added(resource: str, name: str, field: dict[str, Any]) -> Change:
    required = bool(field.get("constraints", {}).get("required"))
    return _change(
        "field-added", resource, name, name + (" (required)" if required else ""), required
    )


def _field_changes(resource: str, old_fields: Fields, new_fields: Fields) -> list[Change]:
    """The changes of each field in both schemas, in the new schema's order."""
    changes: list[Change] = []
    for name, (_, field) in new_fields.items():
        if name in old_fields:
            changes += _one_field_changes(resource, name, old_fields[name][1], field)
    return changes


def _one_field_changes(
    resource: str, name: str, before: dict[str, Any], after: dict[str, Any]
) -> list[Change]:
    """A field's type and format (breaking when changed), then each constraint tightened
    (breaking) or loosened."""
    changes = [
        _change(
            "field-retyped",
            resource,
            name,
            f"{attribute} {before.get(attribute)} → {after.get(attribute)}",
            True,
        )
        for attribute in ("type", "format")
        if before.get(attribute, "default") != after.get(attribute, "default")
    ]
    changes += [
        _change(f"constraint-{how}", resource, name, constraint, how == "tightened")
        for constraint, how in compare_constraints(
            before.get("constraints", {}), after.get("constraints", {})
        )
    ]
    return changes


def _primary_key_changes(
    resource: str, old_schema: dict[str, Any], new_schema: dict[str, Any]
) -> list[Change]:
    before, after = old_schema.get("primaryKey"), new_schema.get("primaryKey")
    if before == after:
        return []
    return [_change("primary-key-changed", resource, None, f"{before} → {after}", True)]


def _foreign_key_changes(
    resource: str, old_schema: dict[str, Any], new_schema: dict[str, Any]
) -> list[Change]:
    """Foreign keys added (breaking: rows the old data allowed may now be refused), then
    removed."""
    old_fks = old_schema.get("foreignKeys", [])
    new_fks = new_schema.get("foreignKeys", [])
    return [
        _change(kind, resource, ",".join(fk["fields"]), fk["reference"]["resource"], breaking)
        for kind, ours, theirs, breaking in (
            ("foreign-key-added", new_fks, old_fks, True),
            ("foreign-key-removed", old_fks, new_fks, False),
        )
        for fk in ours
        if fk not in theirs
    ]


def diff_schemas(old: PackageData, new: PackageData) -> list[Change]:
    changes: list[Change] = []
    for name in new.rows:
        if name not in old.rows:
            changes.append(_change("resource-added", name, None, name, False))
        else:
            changes.extend(_resource_changes(old, new, name))
    for name in old.rows:
        if name not in new.rows:
            changes.append(_change("resource-removed", name, None, name, True))
    return changes
