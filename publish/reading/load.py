"""Load a published package (a release folder or its datapackage.json) as plain rows."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import PublishError
from publish.reading.untrusted import descriptor_problems, inside
from publish.reading.verify import descriptor_path as descriptor_file
from schemas.frames import plain_value

Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class PackageData:
    """A package's descriptor and, per resource, its rows as plain JSON values."""

    descriptor: dict[str, Any]
    rows: dict[str, Rows]

    def resource(self, name: str) -> dict[str, Any] | None:
        return next((r for r in self.descriptor.get("resources", []) if r["name"] == name), None)

    @property
    def version(self) -> str | None:
        return self.descriptor.get("version")


def _cast_rows(rows: list[dict[str, str]], schema: dict[str, Any]) -> Rows:
    fields = {f["name"]: f for f in schema.get("fields", [])}
    return [{k: plain_value(v, fields.get(k, "string")) for k, v in row.items()} for row in rows]


def load_package(path: str | Path) -> PackageData:
    """Read the descriptor and every resource's CSV, typed by the package's own schemas."""
    target = Path(path)
    descriptor_path = descriptor_file(target)
    try:
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
        if problems := descriptor_problems(descriptor, descriptor_path.parent):
            raise PublishError(f"cannot read package {path}: {problems[0]}")
        rows: dict[str, Rows] = {}
        for resource in descriptor.get("resources", []):
            csv_path = inside(descriptor_path.parent, resource["path"])
            assert csv_path is not None  # checked by descriptor_problems
            with csv_path.open(encoding="utf-8", newline="") as handle:
                rows[resource["name"]] = _cast_rows(
                    list(csv.DictReader(handle)), resource.get("schema", {})
                )
    except FileNotFoundError as exc:
        raise PublishError(f"cannot read package {path}: {exc.filename} is missing") from None
    except (OSError, ValueError, KeyError) as exc:
        raise PublishError(f"cannot read package {path}: {exc}") from None
    return PackageData(descriptor, rows)
