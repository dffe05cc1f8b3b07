"""Rows to typed DataFrames and back, by the Table Schema field types (``schemas.types``).

Serialised values (for CSV and JSON) use the Table Schema's default formats: ISO dates and times,
true/false, lists as JSON lists (joined by the field's delimiter in CSV).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd

from schemas import registry, types


def typed_frame(fields: Sequence[types.Field], rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """Rows (plain JSON values or CSV text, by field name) as a frame typed by ``fields``."""
    return pd.DataFrame(
        {f["name"]: types.series(f, [row.get(f["name"]) for row in rows]) for f in fields}
    )


def to_frame(name: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    return typed_frame(registry.fields(name), rows)


def to_frames(resources: dict[str, list[dict[str, Any]]]) -> dict[str, pd.DataFrame]:
    return {name: to_frame(name, resources.get(name, [])) for name in registry.RESOURCE_ORDER}


def to_records(name: str, frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The frame's rows as plain dicts in schema field order (what the JSON files hold)."""
    fields = registry.fields(name)
    names = [f["name"] for f in fields]
    selected = frame[names]
    # column by column, then row by row: each column's values (those ``itertuples`` gives,
    # listed in C by ``tolist``) made plain by its field's plainer, each row's dict by ``zip``
    columns = [
        list(map(types.plainer(field), selected.iloc[:, k].tolist()))
        for k, field in enumerate(fields)
    ]
    return [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]


def plain_value(value: Any, field: dict[str, Any] | str) -> Any:
    """Any representation of a value (CSV text, JSON, frame cell) as its plain JSON value; a
    list is split on its field's own delimiter (pass the field, not only its type)."""
    described = {"type": field} if isinstance(field, str) else field
    return types.plain(described, types.typed(described, value))


def plain_reader(field: dict[str, Any] | str) -> Callable[[Any], Any]:
    """``plain_value(value, field)`` as a function of the value alone, the field's kind looked
    up once: what reading a package does to every cell (a CSV cell, text, takes the short way:
    missing if empty, else parsed and made plain by the field's kind)."""
    described = {"type": field} if isinstance(field, str) else field
    try:
        name = types.kind_name(described)
    except ValueError:  # an unknown type fails at its first value, as plain_value does
        return lambda value: plain_value(value, described)
    kind = types.KINDS[name]
    if name in (types.STRING, types.ENUM):

        def read_text(value: Any) -> Any:
            if type(value) is not str:
                return plain_value(value, described)
            return value or None  # a text's plain value is itself (parse and plain: as is)

        return read_text

    def read(value: Any) -> Any:
        if type(value) is not str:
            return plain_value(value, described)
        # text that is not empty never parses to a missing value: plain() needs no test
        return None if value == "" else kind.plain(kind.parse(value, described))

    return read
