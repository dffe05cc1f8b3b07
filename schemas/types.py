"""The one type table: how each Table Schema field type is held in pandas, checked by pandera,
stored in Arrow (Parquet), read from text (a CSV cell) and written as a plain JSON value.

The frames the pipeline validates, the pandera schemas, the Parquet files, the analysts' loader and
the package reader all look a field up here, so they cannot disagree:

==================== ============================================= =========================
Table Schema         pandas (frames, loader, ``pd.read_parquet``)  Arrow (Parquet)
==================== ============================================= =========================
string               ``string`` (missing: ``pd.NA``)               string
string with an enum  ``category``: the whole enum, in schema order dictionary<int32, string>
integer              ``Int64`` (nullable)                          int64
boolean              ``boolean`` (nullable)                        bool
date                 ``datetime.date`` objects                     date32
time                 ``datetime.time`` objects                     time32[s]
list (of strings)    tuples of ``str``                             list<string>
==================== ============================================= =========================

Why these:

* A date is a ``datetime.date``. A Table Schema date is a calendar day, without time, time zone
  or resolution, and so is a ``datetime.date`` (years 1 to 9999, exactly). ``datetime64`` would
  make the day an instant at midnight, with a unit to choose (``[ns]`` stops in 2262; pandas 3
  infers the unit from the text). Parquet's DATE (Arrow ``date32``) is a calendar day too, and
  pyarrow reads it back as ``datetime.date`` by default, so ``pd.read_parquet`` agrees with no
  option. For the ``.dt`` accessor: ``pd.to_datetime(frame["valid_from"])``.
* An integer column is ``Int64``: a missing value stays missing without making the column float.
* An enumeration is an unordered ``category`` whose categories are the schema's whole enum, in its
  order: every release has the same dtype whatever values it holds, and ``value_counts`` lists the
  values no row uses. A value outside the enum (invalid data) is kept, as an extra category after
  the enum, so that validation reports it instead of it silently becoming missing. Parquet keeps
  the whole dictionary (unused values and their order included); pyarrow reads a dictionary only
  along with data, though, so the Parquet file of a resource with no rows reads back without
  categories.
* A list is a tuple: hashable (``drop_duplicates``, ``groupby``, ``value_counts`` work) and
  immutable. pyarrow reads Parquet lists as NumPy arrays, whatever was written.

The Parquet files carry pandas' metadata, so a plain ``pd.read_parquet`` gives these dtypes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

Field = dict[str, Any]

#: the table's row for a string field with ``constraints.enum``, and for one without
ENUM = "enum"
STRING = "string"


@dataclass(frozen=True)
class Kind:
    """One row of the type table."""

    pandas: str  # the pandas dtype ("category": the field's enum gives the categories)
    pandera: str | None  # the pandera dtype; None: any, ``check`` tests each value
    arrow: pa.DataType
    parse: Callable[[str, Field], Any]  # a non-empty text (a CSV cell) -> the frame value
    plain: Callable[[Any], Any]  # a frame value -> its JSON value
    check: tuple[str, Callable[[Any], bool]] | None = None  # (name, test) the dtype cannot do


def _boolean(text: str, field: Field) -> bool:
    return {"true": True, "false": False}[text.lower()]


def _items(text: str, field: Field) -> tuple[str, ...]:
    return tuple(text.split(field.get("delimiter", ",")))


def _iso(value: Any) -> str:
    return value.isoformat()


KINDS: dict[str, Kind] = {
    STRING: Kind("string", "string", pa.string(), lambda text, _: text, str),
    ENUM: Kind(
        "category", "category", pa.dictionary(pa.int32(), pa.string()), lambda text, _: text, str
    ),
    "integer": Kind("Int64", "Int64", pa.int64(), lambda text, _: int(text), int),
    "boolean": Kind("boolean", "boolean", pa.bool_(), _boolean, bool),
    "date": Kind("object", "date", pa.date32(), lambda text, _: dt.date.fromisoformat(text), _iso),
    "time": Kind(
        "object",
        None,
        pa.time32("s"),
        lambda text, _: dt.time.fromisoformat(text),
        _iso,
        ("iso_time", lambda value: isinstance(value, dt.time)),
    ),
    "list": Kind(
        "object",
        None,
        pa.list_(pa.string()),
        _items,
        lambda value: [str(item) for item in value],
        ("tuple_of_text", lambda v: isinstance(v, tuple) and all(isinstance(i, str) for i in v)),
    ),
}


def kind_name(field: Field) -> str:
    """The field's row: its Table Schema type, or ``ENUM`` for a string with an enum."""
    name = field.get("type", "string")
    if name == "string" and "enum" in field.get("constraints", {}):
        return ENUM
    if name not in KINDS:
        raise ValueError(f"field {field.get('name')!r}: type {name!r} is not in schemas/types.py")
    return name


def kind(field: Field) -> Kind:
    return KINDS[kind_name(field)]


def pandas_dtype(field: Field, values: Iterable[Any] = ()) -> Any:
    """The field's pandas dtype. An enumeration's categories: its enum, then any of ``values``
    outside it (invalid data, kept for validation to report)."""
    if kind_name(field) != ENUM:
        return kind(field).pandas
    enum = field["constraints"]["enum"]
    strays = [v for v in dict.fromkeys(values) if v is not None and v not in enum]
    return pd.CategoricalDtype([*enum, *strays], ordered=False)


def pandera_dtype(field: Field) -> Any:
    return pandas_dtype(field) if kind_name(field) == ENUM else kind(field).pandera


def arrow_type(field: Field) -> pa.DataType:
    return kind(field).arrow


def missing(value: Any) -> bool:
    """None, ``pd.NA``, NaN, '' and an empty list are all the one missing value."""
    if type(value) is str:  # most values: one test, not those below
        return value == ""
    if value is None or value is pd.NA:  # most of the others
        return True
    if isinstance(value, list | tuple | np.ndarray):
        return len(value) == 0
    return (isinstance(value, float) and value != value) or value == ""


def typed(field: Field, value: Any) -> Any:
    """The frame value of any representation (JSON value, CSV text, frame cell); None if missing."""
    if missing(value):
        return None
    if isinstance(value, str):
        return kind(field).parse(value, field)
    if kind_name(field) == "list":
        return tuple(value)
    return value


def plain(field: Field, value: Any) -> Any:
    """The JSON value of a frame cell: None, str, int, bool or a list of str (ISO dates, times)."""
    return None if missing(value) else kind(field).plain(value)


#: types whose values are never missing, and which ``typed`` gives back as they are (but a list)
_NEVER_MISSING = frozenset({int, bool, dt.date, dt.time})


def typer(field: Field) -> Callable[[Any], Any]:
    """``typed(field, value)`` as a function of the value, the field's kind looked up once (a
    column's values are typed one after the other)."""
    try:
        name = kind_name(field)
    except ValueError:  # an unknown type fails at its first value that is not missing
        return lambda value: typed(field, value)
    parse, is_list = KINDS[name].parse, name == "list"
    as_is = frozenset() if is_list else _NEVER_MISSING

    def read(value: Any) -> Any:
        if type(value) is str:  # most values: missing only when empty
            return parse(value, field) if value else None
        if type(value) in as_is:
            return value
        if missing(value):
            return None
        if isinstance(value, str):
            return parse(value, field)
        return tuple(value) if is_list else value

    return read


def plainer(field: Field) -> Callable[[Any], Any]:
    """``plain(field, value)`` as a function of the value, the field's kind looked up once."""
    try:
        make_plain = kind(field).plain
    except ValueError:  # an unknown type fails at its first value that is not missing
        return lambda value: plain(field, value)
    return lambda value: None if missing(value) else make_plain(value)


def holds(field: Field, value: Any) -> bool:
    """Whether ``value`` has the form the field's frame column holds (its ``check``, if any)."""
    check = kind(field).check
    return check is None or check[1](value)


def series(field: Field, values: Iterable[Any]) -> pd.Series:
    """The field's frame column: each value typed, in the field's pandas dtype."""
    read = typer(field)
    items = [read(value) for value in values]
    return pd.Series(items, dtype=pandas_dtype(field, items))
