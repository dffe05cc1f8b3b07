"""Arrow types and Parquet bytes derived from the Table Schema files.

Types: string -> string (an enumeration -> dictionary, i.e. a pandas category), integer ->
int64 (nullable), boolean -> bool, date -> date32, time -> time32[s], list -> list<string>.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from schemas import registry


def arrow_type(field: dict[str, Any]) -> pa.DataType:
    kind = field["type"]
    if kind == "list":
        return pa.list_(pa.string())
    if kind == "string" and "enum" in field.get("constraints", {}):
        return pa.dictionary(pa.int32(), pa.string())
    return {
        "string": pa.string(),
        "integer": pa.int64(),
        "boolean": pa.bool_(),
        "date": pa.date32(),
        "time": pa.time32("s"),
        "number": pa.float64(),
    }[kind]


def arrow_schema(name: str) -> pa.Schema:
    return pa.schema(
        [
            pa.field(
                f["name"],
                arrow_type(f),
                nullable=not f.get("constraints", {}).get("required", False),
                metadata={"title": f.get("title", ""), "description": f.get("description", "")},
            )
            for f in registry.fields(name)
        ]
    )


def _typed(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "date":
        return dt.date.fromisoformat(value)
    if kind == "time":
        return dt.time.fromisoformat(value)
    return value


def parquet_bytes(name: str, records: list[dict[str, Any]]) -> bytes:
    """The resource's rows (plain JSON values) as a Parquet file."""
    schema = arrow_schema(name)
    columns = {}
    for field in registry.fields(name):
        values = [_typed(r[field["name"]], field["type"]) for r in records]
        target = schema.field(field["name"]).type
        if pa.types.is_dictionary(target):
            columns[field["name"]] = pa.array(values, pa.string()).dictionary_encode()
        else:
            columns[field["name"]] = pa.array(values, target)
    table = pa.table(columns, schema=schema)
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="snappy")
    return buffer.getvalue()
