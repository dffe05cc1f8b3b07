"""Validate a written package with frictionless: a report as data, never an exception."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from core.problem import Problem
from publish.layout import DESCRIPTOR_FILE


def descriptor_path(path: str | Path) -> Path:
    target = Path(path)
    return target / DESCRIPTOR_FILE if target.is_dir() else target


def _package_error(message: str) -> Problem:
    return Problem(type="package-error", resource=None, message=message)


def verify_package(path: str | Path) -> list[Problem]:
    """Problems found by frictionless in the package at ``path`` (a folder or datapackage.json).

    A partial report (a limit reached, any warning) counts as a failure: it is returned as a
    problem of type ``partial-report``. A package that passes is found so reading each resource
    once (``publish/reading/keys.py``); one that fails is reported by frictionless's own
    ``Package.validate``.
    """
    from frictionless import Package, errors

    target = descriptor_path(path)
    if not target.is_file():
        return [_package_error(f"no {DESCRIPTOR_FILE} at {target}")]
    from publish.reading.keys import passes
    from publish.reading.untrusted import descriptor_problems

    try:
        descriptor = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [_package_error(f"{target}: not a readable JSON descriptor ({exc})")]
    if problems := descriptor_problems(descriptor, target.parent):
        return [_package_error(f"{target}: {problem}") for problem in problems]
    try:
        if passes(Package(str(target))):
            return []
        report = Package(str(target)).validate()
    except errors.FrictionlessException as exc:
        return [_package_error(f"{target}: {exc.error.message}")]
    return report_problems(report)


def report_problems(report: Any) -> list[Problem]:
    """A frictionless report as problems: each error of each task, then the report's own; a
    warning (a partial report) is a problem too."""
    found: list[Problem] = []
    for task in report.tasks:
        found += [_task_problem(task.name, error) for error in task.errors]
        found += [
            Problem(
                type="partial-report",
                resource=task.name,
                message=f"{task.name}: partial report ({warning})",
            )
            for warning in task.warnings
        ]
    found += [Problem(type=e.type, resource=None, message=e.message) for e in report.errors]
    found += [
        Problem(type="partial-report", resource=None, message=f"partial report ({warning})")
        for warning in report.warnings
    ]
    return found


def _task_problem(name: str, error: Any) -> Problem:
    row = getattr(error, "row_number", None)
    field = getattr(error, "field_name", None)
    where = f"{name}" + (f" row {row}" if row else "") + (f", field {field!r}" if field else "")
    return Problem(
        type=error.type, resource=name, row=row, field=field, message=f"{where}: {error.message}"
    )
