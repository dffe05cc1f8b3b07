"""Rows to typed DataFrames and back, by the Table Schema field types.

Frame dtypes: string -> "string", integer -> "Int64", boolean -> "boolean", date ->
``datetime.date`` objects, time -> ``datetime.time`` objects, list -> tuples of items (None when
missing). Serialised values (for CSV and JSON) use the Table Schema's default formats: ISO dates
and times, true/false, lists as JSON lists (joined by the field's delimiter in CSV).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from schemas import registry

FRAME_DTYPES = {"string": "string", "integer": "Int64", "boolean": "boolean"}


def _missing(value: Any) -> bool:
    if isinstance(value, list | tuple):
        return len(value) == 0
    return (
        value is None
        or value is pd.NA
        or (isinstance(value, float) and value != value)
        or value == ""
    )


def _to_python(value: Any, field_type: str) -> Any:
    """A typed Python value from a plain (JSON-like) one; '' and None are the same missing value."""
    if _missing(value):
        return None
    if field_type == "list":
        return tuple(value.split(",")) if isinstance(value, str) else tuple(value)
    if field_type == "date" and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if field_type == "time" and isinstance(value, str):
        return dt.time.fromisoformat(value)
    if field_type == "integer" and isinstance(value, str):
        return int(value)
    if field_type == "number" and isinstance(value, str):
        return float(value)
    if field_type == "boolean" and isinstance(value, str):
        return {"true": True, "false": False}[value.lower()]
    return value


def to_frame(name: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    columns = {}
    for field in registry.fields(name):
        values = [_to_python(row.get(field["name"]), field["type"]) for row in rows]
        dtype = FRAME_DTYPES.get(field["type"], "object")
        columns[field["name"]] = pd.Series(values, dtype=dtype)
    return pd.DataFrame(columns)


def to_frames(resources: dict[str, list[dict[str, Any]]]) -> dict[str, pd.DataFrame]:
    return {name: to_frame(name, resources.get(name, [])) for name in registry.RESOURCE_ORDER}


def _plain(value: Any, field_type: str) -> Any:
    """The JSON value of a frame cell: None, str, int, bool (dates and times in ISO form)."""
    if _missing(value):
        return None
    if field_type in ("date", "time"):
        return value.isoformat()
    if field_type == "list":
        return [str(item) for item in value]
    if field_type == "integer":
        return int(value)
    if field_type == "number":
        return float(value)
    if field_type == "boolean":
        return bool(value)
    return str(value)


def to_records(name: str, frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The frame's rows as plain dicts in schema field order (what the JSON files hold)."""
    types = [(f["name"], f["type"]) for f in registry.fields(name)]
    return [
        {field: _plain(value, kind) for (field, kind), value in zip(types, row, strict=True)}
        for row in frame[[n for n, _ in types]].itertuples(index=False, name=None)
    ]


def plain_value(value: Any, field_type: str) -> Any:
    """Any representation of a value (CSV text, JSON, frame cell) as its plain JSON value."""
    return _plain(_to_python(value, field_type), field_type)
