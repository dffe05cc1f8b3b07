"""The writers and readers of a resource's rows in its three formats (CSV, JSON, Parquet), and
the one JSON style of every published file. Rows are plain JSON values (``schemas.frames``);
a reader gives back exactly what its writer was given, typed by the resource's Table Schema."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from schemas import registry

Rows = list[dict[str, Any]]
Schema = dict[str, Any]


#: a plain value of this many values or more is written by orjson (``json_text``); a smaller one,
#: every file of a real table's release, by json: importing orjson (18 ms) would cost a small
#: publish more than it saves
ORJSON_FROM = 5_000
#: the integers orjson writes (64 bits, signed or not)
_INT_RANGE = range(-(2**63), 2**64)
#: nesting deeper than any published file's is left to json (orjson stops at 254 levels, and
#: a value that holds itself is nested without end)
_DEPTH = 64


def json_text(records: Any) -> str:
    """Indented UTF-8 JSON with a final newline: the one JSON style of every published file.

    Byte for byte ``json.dumps(records, ensure_ascii=False, indent=2)`` and a newline. A large
    plain JSON value (``plain_size``), the rows and changes of a large release, is written by
    orjson, in a twentieth of the time (the indented style is pure Python in ``json``: 0.35 s
    of each release at 10,000 rows); anything else (a float, whose text orjson says otherwise;
    a subclass; a key that is not text; a lone surrogate, which orjson refuses) by ``json``."""
    size = plain_size(records)
    if size is not None and size >= ORJSON_FROM:
        import orjson

        try:
            style = orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE  # json's indent=2, a newline
            return orjson.dumps(records, option=style).decode("utf-8")
        except orjson.JSONEncodeError:  # a lone surrogate: json writes it (its encoding fails)
            pass
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def plain_size(value: Any, depth: int = 0) -> int | None:
    """How many values ``value`` holds (itself included), when it holds only dicts with text
    keys, lists, tuples, texts, booleans, None and 64-bit integers, of exactly those types,
    nested at most ``_DEPTH`` deep; else None."""
    kind = type(value)
    if kind is dict:
        if depth > _DEPTH or not all(type(key) is str for key in value):
            return None
        items = value.values()
    elif kind is list or kind is tuple:
        if depth > _DEPTH:
            return None
        items = value
    else:
        return 1 if _plain_scalar(value) else None
    size = 1 + len(items)
    for item in items:
        kind = type(item)
        if kind is str or kind is bool or item is None:
            continue
        if kind is int:
            if item not in _INT_RANGE:
                return None
        elif (inner := plain_size(item, depth + 1)) is None:
            return None
        else:
            size += inner - 1
    return size


def _plain_scalar(value: Any) -> bool:
    kind = type(value)
    return kind is str or kind is bool or value is None or (kind is int and value in _INT_RANGE)


def csv_text(name: str, records: Rows) -> str:
    """RFC 4180 CSV (UTF-8, header row, '\\n' line ends); missing values are empty cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    fields = registry.fields(name)
    writer.writerow([f["name"] for f in fields])
    for record in records:
        writer.writerow([_csv_cell(record[f["name"]], f) for f in fields])
    return buffer.getvalue()


def _csv_cell(value: Any, field: dict[str, Any]) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return str(field.get("delimiter", ",")).join(value)
    return str(value)


def write_csv(name: str, records: Rows) -> bytes:
    return csv_text(name, records).encode("utf-8")


def write_json(name: str, records: Rows) -> bytes:
    return json_text(records).encode("utf-8")


def write_parquet(name: str, records: Rows) -> bytes:
    from schemas.arrow import parquet_bytes  # pyarrow: only when a Parquet file is made

    return parquet_bytes(name, records)


def typed_rows(rows: list[dict[str, Any]], schema: Schema) -> Rows:
    """Rows in any representation (CSV text, JSON, Arrow values) as plain JSON values, typed by
    ``schema``'s fields (a field the schema does not name is read as a string)."""
    from schemas.frames import plain_reader  # pandas: only when rows are read

    # each field's reader looked up once, not at every cell (``plain_value`` by field)
    readers = {f["name"]: plain_reader(f) for f in schema.get("fields", [])}
    other = plain_reader("string")
    return [{k: readers.get(k, other)(v) for k, v in row.items()} for row in rows]


def read_csv(data: bytes, schema: Schema) -> Rows:
    return typed_rows(csv_records(data.decode("utf-8")), schema)


def csv_records(text: str) -> list[dict[Any, Any]]:
    """``list(csv.DictReader(io.StringIO(text, newline="")))``: ``csv.DictReader`` reads each row
    in Python, the ``csv.reader`` under it in C (a fifth of the reading of a release)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    names = next(reader, None)
    if names is None:
        return []
    width = len(names)
    records: list[dict[Any, Any]] = []
    for row in reader:
        if not row:
            continue  # a blank line, skipped as DictReader does
        record: dict[Any, Any] = dict(zip(names, row, strict=False))  # widths may differ
        if len(row) > width:
            record[None] = row[width:]  # DictReader's restkey
        for name in names[len(row) :]:
            record[name] = None  # DictReader's restval
        records.append(record)
    return records


def read_json(data: bytes, schema: Schema) -> Rows:
    rows = json.loads(data)
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise ValueError("not a JSON list of rows")
    return typed_rows(rows, schema)


def json_rows(data: bytes, columns: tuple[str, ...]) -> Rows | None:
    """A JSON file's rows as written, not typed again, when each is an object naming
    ``columns`` (its CSV's header) in their order; else None (the CSV answers). A release's
    rows are plain JSON values (``write_json``): the file of an intact release (its
    ``SHA256SUMS`` checked) gives back the rows its CSV gives typed by the schema, in a third of
    the time (``publish.reading.load``)."""
    try:
        rows = json.loads(data)
    except ValueError:
        return None
    if type(rows) is list and all(type(row) is dict and tuple(row) == columns for row in rows):
        return rows
    return None


def read_parquet(data: bytes, schema: Schema) -> Rows:
    import pyarrow.parquet as pq

    return typed_rows(pq.read_table(io.BytesIO(data)).to_pylist(), schema)
