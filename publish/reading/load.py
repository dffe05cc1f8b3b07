"""Load a published package (a release folder or its datapackage.json) as plain rows.

``PackageData`` answers what every reader of a package asks: a resource's schema, its primary
key, and the files the descriptor names."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import PublishError
from publish.formats.table import CSV, JSON, extra_paths
from publish.formats.tabular import json_rows
from publish.reading.untrusted import descriptor_problems, inside
from publish.reading.verify import descriptor_path as descriptor_file

Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class PackageData:
    """A package's descriptor and, per resource, its rows as plain JSON values."""

    descriptor: dict[str, Any]
    rows: dict[str, Rows]

    def resource(self, name: str) -> dict[str, Any] | None:
        return next((r for r in self.descriptor.get("resources", []) if r["name"] == name), None)

    def schema(self, name: str) -> dict[str, Any]:
        """The resource's Table Schema; empty when the package has no such resource."""
        return (self.resource(name) or {}).get("schema", {})

    def fields(self, name: str) -> list[dict[str, Any]]:
        return self.schema(name).get("fields", [])

    def key(self, name: str) -> list[str]:
        """The resource's primary key as a list of field names (empty: none)."""
        key = self.schema(name).get("primaryKey") or []
        return [key] if isinstance(key, str) else list(key)

    def files(self) -> list[str]:
        """Every file the descriptor names, relative to the package: each resource in each of
        its formats, then the package's own files (the spreadsheet), in descriptor order."""
        names: list[Any] = []
        for resource in self.descriptor.get("resources", []):
            names += [resource["path"], *extra_paths(resource)]
        spreadsheet = self.descriptor.get("spreadsheet")
        if isinstance(spreadsheet, dict):
            names.append(spreadsheet.get("path"))
        return [name for name in names if isinstance(name, str)]

    @property
    def version(self) -> str | None:
        return self.descriptor.get("version")


def load_package(path: str | Path, *, intact: bool = False) -> PackageData:
    """Read the descriptor and every resource's CSV, typed by the package's own schemas.

    ``intact``: the caller checked the folder's ``SHA256SUMS`` (``integrity.check_sums``: every
    file listed, none altered), so each resource's JSON file is read instead, as it was written
    (``tabular.json_rows``): the same rows, without typing each cell again. A resource without
    a JSON file, or whose JSON rows do not name the CSV's columns in its order, is read from its
    CSV all the same."""
    target = Path(path)
    descriptor_path = descriptor_file(target)
    try:
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
        if problems := descriptor_problems(descriptor, descriptor_path.parent):
            raise PublishError(f"cannot read package {path}: {problems[0]}")
        rows: dict[str, Rows] = {}
        for resource in descriptor.get("resources", []):
            rows[resource["name"]] = _resource_rows(descriptor_path.parent, resource, intact)
    except FileNotFoundError as exc:
        raise PublishError(f"cannot read package {path}: {exc.filename} is missing") from None
    except (OSError, ValueError, KeyError) as exc:
        raise PublishError(f"cannot read package {path}: {exc}") from None
    return PackageData(descriptor, rows)


def _resource_rows(folder: Path, resource: dict[str, Any], intact: bool) -> Rows:
    csv_path = inside(folder, resource["path"])
    assert csv_path is not None  # checked by descriptor_problems
    written = resource.get(JSON.key)
    if intact and isinstance(written, dict) and isinstance(written.get("path"), str):
        json_path = inside(folder, written["path"])
        assert json_path is not None  # checked by descriptor_problems
        rows = json_rows(json_path.read_bytes(), csv_columns(csv_path))
        if rows is not None:
            return rows
    assert CSV.reader is not None
    return CSV.reader(csv_path.read_bytes(), resource.get("schema", {}))


def csv_columns(path: Path) -> tuple[str, ...]:
    """The names in a CSV file's header (its first record)."""
    with open(path, encoding="utf-8", newline="") as text:
        return tuple(next(csv.reader(text), []))
