"""The per-value functions a large publish calls hundreds of thousands of times, made faster,
against the code they replace (kept here as the reference): for arbitrary values, the same
answer, or the same exception.

- ``schemas.types.missing``: a text and the missing values first;
- ``schemas.types.typer``: a text, an integer, a date… without ``missing``;
- ``schemas.frames.plain_reader``: a text field's text as it is;
- ``schemas.frames.to_records``: the frame read column by column, not by ``itertuples``;
- ``publish.formats.tabular.csv_records``: ``csv.DictReader``'s rows from ``csv.reader``;
- ``publish.changes.diff.comparable``: a text without the tests of other values.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from publish.changes.diff import comparable
from publish.formats.tabular import csv_records
from schemas import registry, types
from schemas.frames import plain_reader, plain_value, to_frame, to_records

# --- the references: the code before ---------------------------------------------------------


def missing_before(value: Any) -> bool:
    if isinstance(value, list | tuple | np.ndarray):
        return len(value) == 0
    return (
        value is None
        or value is pd.NA
        or (isinstance(value, float) and value != value)
        or value == ""
    )


def to_records_before(name: str, frame: pd.DataFrame) -> list[dict[str, Any]]:
    fields = registry.fields(name)
    columns = [(f["name"], types.plainer(f)) for f in fields]
    return [
        {name: make_plain(value) for (name, make_plain), value in zip(columns, row, strict=True)}
        for row in frame[[f["name"] for f in fields]].itertuples(index=False, name=None)
    ]


def comparable_before(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ",".join(map(str, value)) or None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class Text(str):
    """A subclass of str: not the exact type the fast paths test for."""


# --- values ------------------------------------------------------------------------------------

texts = st.text(max_size=8) | st.sampled_from(["", " ", "true", "FALSE", "12", "2024-02-29"])
scalars = st.one_of(
    texts,
    texts.map(Text),
    st.none(),
    st.just(pd.NA),
    st.integers(),
    st.booleans(),
    st.floats(),
    st.dates(),
    st.times(),
    st.just(np.nan),
)
values = scalars | st.lists(scalars, max_size=3) | st.lists(texts, max_size=3).map(tuple)
values = values | st.lists(st.integers(), max_size=3).map(np.array)
FIELDS = [
    {"name": "f", "type": "string"},
    {"name": "f", "type": "string", "constraints": {"enum": ["a", "b"]}},
    {"name": "f", "type": "integer"},
    {"name": "f", "type": "boolean"},
    {"name": "f", "type": "date"},
    {"name": "f", "type": "time"},
    {"name": "f", "type": "list", "delimiter": ";"},
    {"name": "f", "type": "geojson"},
    "string",
    "integer",
]


def _outcome(function: Any, *args: Any) -> Any:
    try:
        result = function(*args)
    except Exception as exc:  # the same exception, whichever it is
        return ("raises", type(exc))
    return ("gives", type(result), repr(result))  # repr: NaN, NA and arrays compare too


@given(values)
def test_missing_is_as_before(value: Any) -> None:
    assert _outcome(types.missing, value) == _outcome(missing_before, value)


@given(st.sampled_from([f for f in FIELDS if isinstance(f, dict)]), values)
def test_a_typer_types_a_value_as_typed_does(field: Any, value: Any) -> None:
    assert _outcome(types.typer(field), value) == _outcome(types.typed, field, value)


@given(st.sampled_from(FIELDS), values)
def test_a_plain_reader_reads_a_value_as_plain_value_does(field: Any, value: Any) -> None:
    assert _outcome(plain_reader(field), value) == _outcome(plain_value, value, field)


@given(values)
def test_comparable_is_as_before(value: Any) -> None:
    assert _outcome(comparable, value) == _outcome(comparable_before, value)


# --- frames ------------------------------------------------------------------------------------


def _field_values(field: dict[str, Any]) -> st.SearchStrategy[Any]:
    name = types.kind_name(field)
    made: dict[str, st.SearchStrategy[Any]] = {
        "string": texts,
        types.ENUM: st.sampled_from(field.get("constraints", {}).get("enum") or [""]),
        "integer": st.integers(-(2**63), 2**63 - 1),
        "boolean": st.booleans(),
        "date": st.dates(),
        "time": st.times().map(lambda t: t.replace(microsecond=0)),
        "list": st.lists(st.text(max_size=3), max_size=3),
    }
    return st.none() | made[name]


@st.composite
def resource_frames(draw: Any) -> tuple[str, pd.DataFrame]:
    name = draw(st.sampled_from(registry.RESOURCE_ORDER))
    fields = registry.fields(name)
    rows = draw(
        st.lists(st.fixed_dictionaries({f["name"]: _field_values(f) for f in fields}), max_size=6)
    )
    return name, to_frame(name, rows)


@given(resource_frames())
def test_a_frame_s_records_are_as_before(made: tuple[str, pd.DataFrame]) -> None:
    name, frame = made
    records = to_records(name, frame)
    assert records == to_records_before(name, frame)
    assert [list(map(type, r.values())) for r in records] == [
        list(map(type, r.values())) for r in to_records_before(name, frame)
    ]


# --- CSV ---------------------------------------------------------------------------------------

cells = st.text(alphabet=st.sampled_from(list('ab,"\n\r é')), max_size=5)


@given(st.lists(st.lists(cells, max_size=5), max_size=6), st.sampled_from(["\n", "\r\n"]))
def test_csv_records_are_dict_reader_s(rows: list[list[str]], newline: str) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline).writerows(rows)
    text = buffer.getvalue()
    assert csv_records(text) == list(csv.DictReader(io.StringIO(text, newline="")))


@given(st.text(alphabet=st.sampled_from(list('ab,"\n\r')), max_size=30))
def test_csv_records_of_any_text_are_dict_reader_s(text: str) -> None:
    assert _outcome(csv_records, text) == _outcome(
        lambda t: list(csv.DictReader(io.StringIO(t, newline=""))), text
    )
