"""Validation of the typed frames: errors as data (frictionless-style), never exceptions.

``validate_frames`` runs each resource's pandera schema lazily (every failure collected) and the
checks across frames (foreign keys). A frame that passes is found so by asking its schema's
checks directly (``schemas/passes.py``); pandera's own ``validate`` reports any that fails.
Each error is a ``core.problem.Problem``: a ``type`` (``schema-error`` or ``foreign-key-error``),
the resource, the 1-based row, the field, and a one-line ``message`` naming them with the value
and the check it fails.
"""

from __future__ import annotations

import functools
from typing import Any

import pandas as pd
import pandera.pandas as pa

from core.imports import without
from core.problem import Problem
from schemas import registry
from schemas.pandera_schema import schema
from schemas.passes import passes


def _row_label(name: str, frame: pd.DataFrame, index: Any) -> str:
    key = registry.primary_key(name)
    try:
        values = [str(frame.at[index, k]) for k in key]
    except (KeyError, ValueError):
        return ""
    return " (" + ", ".join(f"{k}={v}" for k, v in zip(key, values, strict=True)) + ")"


def _error(
    name: str,
    frame: pd.DataFrame,
    index: Any,
    field: str | None,
    check: str,
    value: Any,
    kind: str = "schema-error",
) -> Problem:
    row = int(index) + 1 if isinstance(index, int) or str(index).isdigit() else None
    where = f"row {row}{_row_label(name, frame, index)}" if row else "whole table"
    field_part = f", field {field!r}" if field else ""
    value_part = f"{value!r} fails " if value is not None else "fails "
    return Problem(
        type=kind,
        resource=name,
        row=row,
        field=field,
        message=f"{name} {where}{field_part}: {value_part}{check}",
    )


@functools.cache
def _checks_without_synthesis() -> None:
    """Import pandera's built-in checks as if hypothesis were not installed. They import
    pandera's data-synthesis strategies, which import hypothesis when it can (the test suite's
    library, in .venv: 0.12 s, a tenth of a publish) and do without it otherwise; the pipeline
    synthesises no data. A process that has imported hypothesis already keeps it."""
    try:
        with without("hypothesis"):
            import pandera.backends.pandas.builtin_checks  # noqa: F401
    except ImportError:  # a pandera that needs it after all: import it as usual later
        pass


def check_frame(name: str, frame: pd.DataFrame) -> list[Problem]:
    """Every error pandera finds in the frame. A frame that passes every check of its schema
    (``schemas.passes``: the same checks, asked without pandera's report) needs no report."""
    _checks_without_synthesis()
    if passes(schema(name), frame):
        return []
    try:
        schema(name).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        errors: list[Problem] = []
        seen = set()
        for case in exc.failure_cases.to_dict("records"):
            index = case.get("index")
            index = None if index is None or index != index else int(index)
            check = str(case.get("check"))
            if case.get("schema_context") == "DataFrameSchema":  # a row-wide check: once a row
                if (index, check) in seen:
                    continue
                seen.add((index, check))
                errors.append(_error(name, frame, index, None, check, None))
                continue
            field = case.get("column")
            field = None if field is None or field != field else str(field)
            errors.append(_error(name, frame, index, field, check, case.get("failure_case")))
        return errors
    return []


def check_foreign_keys(frames: dict[str, pd.DataFrame]) -> list[Problem]:
    errors: list[Problem] = []
    for name in registry.RESOURCE_ORDER:
        frame = frames[name]
        for fk in registry.foreign_keys(name):
            (field,) = fk["fields"]
            target = fk["reference"]["resource"] or name
            (target_field,) = fk["reference"]["fields"]
            known = set(frames[target][target_field].dropna())
            for index, value in frame[field].items():
                if value is not pd.NA and value is not None and value not in known:
                    check = f"foreign key to {target}"
                    errors.append(
                        _error(name, frame, index, field, check, value, "foreign-key-error")
                    )
    return errors


def validate_frames(frames: dict[str, pd.DataFrame]) -> list[Problem]:
    """Every error of every resource; an empty list means valid."""
    errors: list[Problem] = []
    for name in registry.RESOURCE_ORDER:
        errors.extend(check_frame(name, frames[name]))
    errors.extend(check_foreign_keys(frames))
    return errors
