"""Validate a written package with frictionless: a report as data, never an exception."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def descriptor_path(path: str | Path) -> Path:
    target = Path(path)
    return target / "datapackage.json" if target.is_dir() else target


def _package_error(message: str) -> dict[str, Any]:
    return {
        "type": "package-error",
        "resource": None,
        "row": None,
        "field": None,
        "message": message,
    }


def verify_package(path: str | Path) -> list[dict[str, Any]]:
    """Errors found by frictionless in the package at ``path`` (a folder or datapackage.json).

    A partial report (a limit reached, any warning) counts as a failure: it is returned as an
    error of type ``partial-report``.
    """
    from frictionless import Package, errors

    target = descriptor_path(path)
    if not target.is_file():
        return [
            {
                "type": "package-error",
                "resource": None,
                "row": None,
                "field": None,
                "message": f"no datapackage.json at {target}",
            }
        ]
    from publish.untrusted import descriptor_problems

    try:
        descriptor = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [_package_error(f"{target}: not a readable JSON descriptor ({exc})")]
    if problems := descriptor_problems(descriptor, target.parent):
        return [_package_error(f"{target}: {problem}") for problem in problems]
    try:
        report = Package(str(target)).validate()
    except errors.FrictionlessException as exc:
        return [
            {
                "type": "package-error",
                "resource": None,
                "row": None,
                "field": None,
                "message": f"{target}: {exc.error.message}",
            }
        ]
    found: list[dict[str, Any]] = []
    for task in report.tasks:
        for error in task.errors:
            row = getattr(error, "row_number", None)
            field = getattr(error, "field_name", None)
            where = (
                f"{task.name}"
                + (f" row {row}" if row else "")
                + (f", field {field!r}" if field else "")
            )
            found.append(
                {
                    "type": error.type,
                    "resource": task.name,
                    "row": row,
                    "field": field,
                    "message": f"{where}: {error.message}",
                }
            )
        for warning in task.warnings:
            found.append(
                {
                    "type": "partial-report",
                    "resource": task.name,
                    "row": None,
                    "field": None,
                    "message": f"{task.name}: partial report ({warning})",
                }
            )
    for error in report.errors:
        found.append(
            {
                "type": error.type,
                "resource": None,
                "row": None,
                "field": None,
                "message": error.message,
            }
        )
    for warning in report.warnings:
        found.append(
            {
                "type": "partial-report",
                "resource": None,
                "row": None,
                "field": None,
                "message": f"partial report ({warning})",
            }
        )
    return found
