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


def _resource_changes(old: PackageData, new: PackageData, name: str) -> list[Change]:
    changes: list[Change] = []
    old_fields = {f["name"]: (i, f) for i, f in enumerate(_fields(old, name))}
    new_fields = {f["name"]: (i, f) for i, f in enumerate(_fields(new, name))}
    removed = [n for n in old_fields if n not in new_fields]
    added = [n for n in new_fields if n not in old_fields]
    for gone in list(removed):
        index, field = old_fields[gone]
        twin = next(
            (
                a
                for a in added
                if new_fields[a][0] == index and new_fields[a][1].get("type") == field.get("type")
            ),
            None,
        )
        if twin:  # same place, same type, new name: a rename
            changes.append(_change("field-renamed", name, gone, f"{gone} → {twin}", True))
            removed.remove(gone)
            added.remove(twin)
    for gone in removed:
        changes.append(_change("field-removed", name, gone, gone, True))
    for new_name in added:
        required = bool(new_fields[new_name][1].get("constraints", {}).get("required"))
        changes.append(
            _change(
                "field-added",
                name,
                new_name,
                new_name + (" (required)" if required else ""),
                required,
            )
        )
    for field_name, (_, field) in new_fields.items():
        if field_name not in old_fields:
            continue
        before = old_fields[field_name][1]
        for attribute in ("type", "format"):
            if before.get(attribute, "default") != field.get(attribute, "default"):
                changes.append(
                    _change(
                        "field-retyped",
                        name,
                        field_name,
                        f"{attribute} {before.get(attribute)} → {field.get(attribute)}",
                        True,
                    )
                )
        for constraint, how in compare_constraints(
            before.get("constraints", {}), field.get("constraints", {})
        ):
            changes.append(
                _change(f"constraint-{how}", name, field_name, constraint, how == "tightened")
            )
    old_schema = (old.resource(name) or {}).get("schema", {})
    new_schema = (new.resource(name) or {}).get("schema", {})
    if old_schema.get("primaryKey") != new_schema.get("primaryKey"):
        changes.append(
            _change(
                "primary-key-changed",
                name,
                None,
                f"{old_schema.get('primaryKey')} → {new_schema.get('primaryKey')}",
                True,
            )
        )
    old_fks = old_schema.get("foreignKeys", [])
    new_fks = new_schema.get("foreignKeys", [])
    for kind, ours, theirs, breaking in (
        ("foreign-key-added", new_fks, old_fks, True),
        ("foreign-key-removed", old_fks, new_fks, False),
    ):
        for fk in ours:
            if fk not in theirs:
                fields = ",".join(fk["fields"])
                target = fk["reference"]["resource"]
                changes.append(_change(kind, name, fields, target, breaking))
    return changes


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
