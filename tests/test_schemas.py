"""The Table Schema files, the pandera schemas derived from them, and what they reject."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pandas as pd
import pandera.pandas as pa
import pytest

from core.errors import ValidationFailed
from extract import extract_table
from normalise import normalise
from publish.reading.verify import verify_package
from schemas import registry
from schemas.frames import to_frames, to_records
from schemas.pandera_schema import schema
from schemas.validate import validate_frames
from tests.helpers import write_package


@pytest.fixture()
def frames(seed_bytes) -> dict[str, pd.DataFrame]:
    return to_frames(normalise(extract_table(seed_bytes)))


def test_seed_is_valid(frames):
    assert validate_frames(frames) == []


@pytest.mark.parametrize("name", registry.RESOURCE_ORDER)
def test_every_field_has_a_french_title_and_description(name):
    meta = registry.resource_meta(name)
    assert meta["title"] and meta["description"]
    for field in registry.fields(name):
        assert field.get("title") and field.get("description"), field["name"]


def _constraints_back(column: pa.Column) -> dict:
    """The Table Schema constraints a pandera column enforces (the converter, read backwards)."""
    out: dict = {}
    if not column.nullable:
        out["required"] = True
    if column.unique:
        out["unique"] = True
    for check in column.checks:
        stats = check.statistics or {}
        if check.name == "isin":
            out["enum"] = list(stats["allowed_values"])
        elif check.name == "greater_than_or_equal_to":
            out["minimum"] = stats["min_value"]
        elif check.name == "less_than_or_equal_to":
            out["maximum"] = stats["max_value"]
        elif check.name == "list_items":
            out["minLength"] = 1  # the list check refuses an empty list
        elif check.name == "str_matches":
            out["pattern"] = stats["pattern"].removeprefix("^(?:").removesuffix(")$")
    return out


@pytest.mark.parametrize("name", registry.RESOURCE_ORDER)
def test_pandera_schema_round_trips_to_the_table_schema(name):
    derived = schema(name)
    assert list(derived.columns) == registry.field_names(name)
    for field in registry.fields(name):
        column = derived.columns[field["name"]]
        assert _constraints_back(column) == field.get("constraints", {}), field["name"]
        assert column.title == field["title"]
        names = {c.name for c in column.checks}
        if field.get("format") == "uri":
            assert "http_or_https_url" in names
        if field.get("format") == "email":
            assert "email_syntax" in names


def _messages(frames):
    return [e.message for e in validate_frames(frames)]


def test_rejects_a_javascript_url(frames):
    frames["channels"].loc[0, "url"] = "javascript:alert(1)"
    assert any(
        "field 'url': 'javascript:alert(1)' fails http_or_https_url" in m for m in _messages(frames)
    )


def test_rejects_a_negative_capacity(frames):
    frames["slot_rules"].loc[2, "capacity"] = -10
    assert any(
        "slot_rules row 3" in m and "field 'capacity': -10 fails greater_than_or_equal_to" in m
        for m in _messages(frames)
    )


def test_rejects_an_unknown_enum_value(seed_bytes):
    # an enumeration's column is a category of the schema's enum, which refuses a new value: the
    # stray comes with the rows, and to_frames keeps it for validation to report
    resources = normalise(extract_table(seed_bytes))
    resources["channels"][1]["channel_type"] = "carrier_pigeon"
    messages = _messages(to_frames(resources))
    assert any("field 'channel_type': 'carrier_pigeon' fails isin" in m for m in messages)


def test_rejects_a_dangling_foreign_key(frames):
    frames["channels"].loc[0, "location_id"] = "lune"
    errors = validate_frames(frames)
    assert [(e.type, e.resource, e.row, e.field) for e in errors] == [
        ("foreign-key-error", "channels", 1, "location_id")
    ]


def test_a_problem_is_frozen_data_with_a_json_form(frames):
    frames["channels"].loc[0, "location_id"] = "lune"
    (problem,) = validate_frames(frames)
    assert problem.to_dict() == {
        "type": "foreign-key-error",
        "resource": "channels",
        "row": 1,
        "field": "location_id",
        "message": problem.message,
    }
    assert "'lune' fails foreign key to locations" in problem.message
    with pytest.raises(dataclasses.FrozenInstanceError):
        problem.message = "edited"  # type: ignore[misc]
    failed = ValidationFailed.of("the normalised data", [problem, problem])
    assert failed.errors == [problem, problem]
    assert str(failed) == f"the normalised data failed validation: {problem.message} (and 1 more)"


def test_rejects_bad_email_and_inverted_dates(frames):
    frames["contacts"].loc[0, "email"] = "not-an-address"
    frames["locations"].loc[1, "valid_from"] = dt.date(2021, 1, 1)
    messages = _messages(frames)
    assert any("contacts row 1" in m and "email_syntax" in m for m in messages)
    assert any(
        "locations row 2 (location_id=antenne-campus): fails valid_from <= valid_until" in m
        for m in messages
    )


def test_rejects_a_duplicate_primary_key(frames):
    frames["locations"].loc[1, "location_id"] = "prefecture"
    assert any("locations" in m and "field_uniqueness" in m for m in _messages(frames))


@pytest.mark.parametrize("name", registry.RESOURCE_ORDER)
def test_frames_round_trip_through_records(frames, name):
    records = to_records(name, frames[name])
    again = to_frames({name: records})[name]
    pd.testing.assert_frame_equal(again, frames[name])


def test_written_package_is_accepted_by_frictionless(frames, tmp_path):
    descriptor = write_package(
        frames, tmp_path, {"title": "t", "path": "x"}, "1.0.0", "2026-11-26T00:00:00Z"
    )
    assert descriptor["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert verify_package(tmp_path) == []
    on_disk = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in on_disk["resources"]] == list(registry.RESOURCE_ORDER)
    for resource in on_disk["resources"]:
        rows = json.loads((tmp_path / resource["json"]["path"]).read_text(encoding="utf-8"))
        assert rows == to_records(resource["name"], frames[resource["name"]])


def test_frictionless_rejects_an_edited_csv(frames, tmp_path):
    write_package(frames, tmp_path, {"title": "t", "path": "x"}, "1.0.0", "2026-11-26T00:00:00Z")
    path = tmp_path / "data" / "slot_rules.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",4,", ",-4,"), encoding="utf-8")
    errors = verify_package(tmp_path)
    types = {e.type for e in errors}
    assert "hash-count" in types and "constraint-error" in types
    assert all(e.resource == "slot_rules" for e in errors)
