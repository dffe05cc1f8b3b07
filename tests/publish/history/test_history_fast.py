"""The history's single-pass writer (rows as tuples of values, an item's version compared field
by field) writes the database the record-by-record writer wrote, byte for byte, for any series
of releases: that writer is kept as the reference (``reference_fill``). A database counts its
transactions in its header: the same bytes say the same statements ran in the same
transactions."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import PublishError
from publish.changes.diff import comparable, row_key
from publish.history.database import write_database
from publish.history.releases import Release
from publish.history.rows import same_content
from publish.reading.load import PackageData
from schemas import registry
from tests.publish.history import reference_fill

#: values that are the same as text without being identical, and lists equal to lists of other
#: types: what comparing a row with its previous version must tell apart or not
VALUES = st.sampled_from(
    (None, "", "6", 6, 6.0, -0.0, 0, "0", True, "true", False, [], [""], ["a"], ["a", "b"], "a,b")
    + ([1], [True], [1.0], "x", "é", 7, {"k": 1})
)
ANY_VALUE = st.one_of(VALUES, st.text(max_size=3), st.integers(-3, 3), st.floats(allow_nan=True))
ROW = st.dictionaries(st.sampled_from(("a", "b", "c", "d")), ANY_VALUE, max_size=4)


@settings(max_examples=500)
@given(ROW, ROW)
def test_a_row_has_the_content_of_its_previous_version_as_the_sorted_text_said(before, row):
    span = reference_fill.Span(item="i", row=before, start=0, end=0, started_by="added")
    assert same_content(before, row) == reference_fill.same_content(span, row)


def reference_row_key(row: dict[str, Any], primary_key: list[str]) -> str:
    """``row_key`` before its text and integer parts were said without ``comparable``."""
    return "|".join(comparable(row.get(k)) or "" for k in primary_key)


@settings(max_examples=500)
@given(ROW, st.lists(st.sampled_from(("a", "b", "c", "e")), max_size=3))
def test_a_rows_key_is_said_as_comparable_says_each_part(row, key):
    assert row_key(row, key) == reference_row_key(row, key)


#: resources with a one-field key of text, one of two (an integer and a text), one whose list
#: field is written as JSON text
RESOURCES = ("locations", "slot_rules", "source_cells")
KEYS = {"locations": ("p", "q", "r"), "slot_rules": ("p", "q"), "source_cells": (1, 2, "2")}


def resource_rows(name: str) -> st.SearchStrategy[list[dict[str, Any]]]:
    key = registry.primary_key(name)[0]
    fields = [f for f in registry.field_names(name) if f != key]
    small = fields[:4] if name != "slot_rules" else ["weekdays", "capacity", "time", "read_by"]
    values = st.fixed_dictionaries({f: VALUES for f in small})
    return st.dictionaries(st.sampled_from(KEYS[name]), values, max_size=3).map(
        lambda found: [{key: k, **row} for k, row in found.items()]
    )


def package(version: str, data: dict[str, list[dict[str, Any]]], full: bool) -> PackageData:
    """The rows with every field of the schema (``full``), or only those drawn."""
    resources = [
        {"name": name, "title": name, "schema": registry.table_schema(name)} for name in data
    ]
    rows = {
        name: [{f: row.get(f) for f in registry.field_names(name)} if full else row for row in rs]
        for name, rs in data.items()
    }
    return PackageData({"version": version, "resources": resources}, rows)


def releases_of(states: list[tuple[tuple[list[dict[str, Any]], ...], bool, Any]]) -> list[Release]:
    found = []
    for number, (state, full, observed) in enumerate(states):
        version = f"1.{number}.0"
        entry = {
            "version": version,
            "published": f"2024-01-{number + 1:02d}T10:00:00Z",
            "source_observed": observed,
        }
        data = package(version, dict(zip(RESOURCES, state, strict=True)), full)
        found.append(Release(entry, data))
    return found


def written(write: Any, releases: list[Release]) -> bytes | str:
    """The database's bytes, or the error that stopped it."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "history.sqlite"
        try:
            write(path, iter(releases))
        except (PublishError, Exception) as exc:  # the same error either way
            return f"{type(exc).__name__}: {exc}"
        return path.read_bytes()


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.tuples(*(resource_rows(name) for name in RESOURCES)),
            st.booleans(),
            st.one_of(st.none(), st.sampled_from(("2024-02-01", 5, ["x"]))),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_any_series_of_releases_gives_the_bytes_of_the_record_writer(states):
    releases = releases_of(states)
    assert written(write_database, releases) == written(reference_fill.write_database, releases)


#: many rows of one resource: more than one transaction's batch (``batch_size``) of item
#: versions and of changes
MANY = st.lists(
    st.fixed_dictionaries({"column": st.sampled_from(("a", "b")), "text": VALUES}),
    min_size=80,
    max_size=130,
).map(lambda rows: [{"source_row": number, **row} for number, row in enumerate(rows)])


@pytest.mark.slow
@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(MANY, st.booleans()), min_size=1, max_size=3))
def test_rows_past_a_batch_give_the_bytes_of_the_record_writer(states):
    releases = releases_of([(([], [], rows), full, None) for rows, full in states])
    assert written(write_database, releases) == written(reference_fill.write_database, releases)
