"""Validation of the typed frames: errors as data (frictionless-style), never exceptions.

``validate_frames`` runs each resource's pandera schema lazily (every failure collected) and the
checks across frames (foreign keys). Each error is a dict with a ``type``, the resource, the
1-based row, the field, the value and a one-line ``message``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pandera.pandas as pa

from schemas import registry
from schemas.pandera_schema import schema

Error = dict[str, Any]


def _row_label(name: str, frame: pd.DataFrame, index: Any) -> str:
    key = registry.primary_key(name)
    try:
        values = [str(frame.at[index, k]) for k in key]
    except (KeyError, ValueError):
        return ""
    return " (" + ", ".join(f"{k}={v}" for k, v in zip(key, values, strict=True)) + ")"


def _error(
    name: str, frame: pd.DataFrame, index: Any, field: str | None, check: str, value: Any
) -> Error:
    row = int(index) + 1 if isinstance(index, int) or str(index).isdigit() else None
    where = f"row {row}{_row_label(name, frame, index)}" if row else "whole table"
    field_part = f", field {field!r}" if field else ""
    value_part = f"{value!r} fails " if value is not None else "fails "
    return {
        "type": "schema-error",
        "resource": name,
        "row": row,
        "field": field,
        "check": check,
        "value": None if value is None else str(value),
        "message": f"{name} {where}{field_part}: {value_part}{check}",
    }


def check_frame(name: str, frame: pd.DataFrame) -> list[Error]:
    try:
        schema(name).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        errors, seen = [], set()
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


def check_foreign_keys(frames: dict[str, pd.DataFrame]) -> list[Error]:
    errors = []
    for name in registry.RESOURCE_ORDER:
        frame = frames[name]
        for fk in registry.foreign_keys(name):
            (field,) = fk["fields"]
            target = fk["reference"]["resource"] or name
            (target_field,) = fk["reference"]["fields"]
            known = set(frames[target][target_field].dropna())
            for index, value in frame[field].items():
                if value is not pd.NA and value is not None and value not in known:
                    errors.append(
                        {
                            **_error(name, frame, index, field, f"foreign key to {target}", value),
                            "type": "foreign-key-error",
                        }
                    )
    return errors


def validate_frames(frames: dict[str, pd.DataFrame]) -> list[Error]:
    """Every error of every resource; an empty list means valid."""
    errors: list[Error] = []
    for name in registry.RESOURCE_ORDER:
        errors.extend(check_frame(name, frames[name]))
    errors.extend(check_foreign_keys(frames))
    return errors
