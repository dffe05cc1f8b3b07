"""``schemas.passes`` answers as pandera's own ``validate`` does: a frame passes exactly when
pandera finds nothing. Frames of the bundled snapshot are mutated (a cell, a row, a column, a
dtype) and each answer is compared with pandera's, the reference."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

import pandas as pd
import pandera.pandas as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract import extract_table
from normalise import normalise
from rdv_opendata.settings import DEFAULT_SOURCE
from schemas import registry, types
from schemas.frames import to_frames
from schemas.pandera_schema import schema
from schemas.passes import passes
from schemas.validate import _checks_without_synthesis, validate_frames


@cache
def seed_frames() -> dict[str, pd.DataFrame]:
    return to_frames(normalise(extract_table(DEFAULT_SOURCE.read_bytes())))


def pandera_passes(name: str, frame: pd.DataFrame) -> bool:
    """The reference: pandera's lazy validation finds no error (or cannot even run: a list,
    unhashable, in a unique column)."""
    _checks_without_synthesis()
    try:
        schema(name).validate(frame, lazy=True)
    except (pa.errors.SchemaErrors, TypeError):
        return False
    return True


#: values a cell may be given: missing ones, each kind's values, strays and near misses
ODD_VALUES = [
    None,
    pd.NA,
    float("nan"),
    "",
    " ",
    "x",
    "carrier_pigeon",
    "javascript:alert(1)",
    "https://www.isere.gouv.fr/",
    "http://a b",
    "a@b",
    "contact@example.org",
    "04 76 60 34 00",
    "1\n",
    "١٢",
    "true",
    -1,
    0,
    1,
    10**12,
    1.5,
    True,
    False,
    dt.date(2020, 1, 1),
    dt.date(2999, 12, 31),
    dt.time(9, 0),
    ("a",),
    (),
    ("monday",),
    ("tuesday", "monday"),
    ("monday", "monday"),
    ["monday"],
]


def _column(field: dict, values: list, how: str, dtype: Any) -> pd.Series:
    """A column of ``values``: typed as ``to_frames`` types it, in its old dtype when pandas
    takes them (a category only as typed: pandas deprecates a value outside its categories), or
    as plain objects."""
    if how == "typed":
        try:
            return types.series(field, values)
        except (TypeError, ValueError, KeyError, AttributeError):
            pass
    if how != "object" and not isinstance(dtype, pd.CategoricalDtype):
        try:
            return pd.Series(values, dtype=dtype)
        except (TypeError, ValueError):
            pass
    return pd.Series(values, dtype=object)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, pd.DataFrame]:
    name = draw(st.sampled_from(registry.RESOURCE_ORDER))
    frame = seed_frames()[name].copy()
    fields = {f["name"]: f for f in registry.fields(name)}
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["cell", "cell", "cell", "copy", "row", "dtype", "columns"]))
        column = draw(st.sampled_from(list(frame.columns)))
        values = list(frame[column])
        if kind in ("cell", "copy") and values:
            row = draw(st.integers(0, len(values) - 1))
            if kind == "cell":
                values[row] = draw(st.sampled_from(ODD_VALUES))
            else:  # another row's value: a duplicate, or a value of the right kind
                values[row] = values[draw(st.integers(0, len(values) - 1))]
            how = draw(st.sampled_from(["typed", "same", "object"]))
            frame[column] = _column(fields.get(column, {}), values, how, frame[column].dtype)
        elif kind == "row" and len(frame):  # a row again: duplicated keys
            again = frame.iloc[[draw(st.integers(0, len(frame) - 1))]]
            frame = pd.concat([frame, again], ignore_index=True)
        elif kind == "dtype":
            frame[column] = frame[column].astype(object)
        elif kind == "columns":
            order = list(frame.columns)
            change = draw(st.sampled_from(["drop", "swap", "extra"]))
            if change == "drop":
                frame = frame.drop(columns=[column])
            elif change == "swap" and len(order) > 1:
                i = order.index(column)
                order[i - 1], order[i] = order[i], order[i - 1]
                frame = frame[order]
            else:
                frame["extra"] = pd.Series([None] * len(frame), dtype=object)
    return name, frame


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_passes_answers_as_pandera(case: tuple[str, pd.DataFrame]) -> None:
    name, frame = case
    assert passes(schema(name), frame) == pandera_passes(name, frame)


@pytest.mark.parametrize("name", registry.RESOURCE_ORDER)
def test_the_seed_frames_pass_without_pandera(name: str) -> None:
    assert passes(schema(name), seed_frames()[name])
    assert pandera_passes(name, seed_frames()[name])


def test_a_failing_frame_is_reported_by_pandera() -> None:
    frames = {name: frame.copy() for name, frame in seed_frames().items()}
    frames["slot_rules"].loc[2, "capacity"] = -10
    assert not passes(schema("slot_rules"), frames["slot_rules"])
    (problem,) = validate_frames(frames)
    assert "field 'capacity': -10 fails greater_than_or_equal_to" in problem.message


def test_a_schema_feature_it_does_not_read_is_left_to_pandera() -> None:
    frame = seed_frames()["channels"]
    assert not passes(schema("channels").update_columns({"url": {"coerce": True}}), frame)
    assert not passes(pa.DataFrameSchema(schema("channels").columns, strict=False), frame)
