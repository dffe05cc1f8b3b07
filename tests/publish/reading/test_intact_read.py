"""An intact release (its SHA256SUMS checked) is read from its JSON files as written, not from its
CSV files typed cell by cell: the rows must be the same, to the type and the order of the keys,
or every site, feed and history built from them would change. Any other release is read from its
CSV files, as before."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publish.formats.tabular import json_rows, read_csv, write_csv, write_json
from publish.reading.integrity import check_sums
from publish.reading.load import load_package
from publish.release.store import ReleaseStore
from schemas import registry
from tests.test_properties import rows_strategy


def same(a: Any, b: Any) -> bool:
    """Equal, with the same types and the same order of keys all the way down (``1 == True``
    and ``{"a": 1, "b": 2} == {"b": 2, "a": 1}`` are not the same rows here)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


@pytest.mark.parametrize("name", registry.RESOURCE_ORDER)
@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_a_json_file_as_written_is_its_csv_typed(name, data):
    names = [f["name"] for f in registry.fields(name)]
    # as a release has them: every field, in the order of the schema (``schemas.frames``)
    rows = [{n: row[n] for n in names} for row in data.draw(rows_strategy(name))]
    typed = read_csv(write_csv(name, rows), registry.table_schema(name))
    assert same(json_rows(write_json(name, rows), tuple(names)), typed)


def test_same_tells_types_and_key_order_apart():
    assert not same([{"a": 1}], [{"a": True}])
    assert not same([{"a": 1, "b": None}], [{"b": None, "a": 1}])
    assert same([{"a": ["x"], "b": "2020-12-18"}], [{"a": ["x"], "b": "2020-12-18"}])


def test_every_release_of_a_store_reads_the_same_both_ways(two_releases):
    for version in ("1.0.0", "1.1.0"):
        folder = two_releases / "releases" / version
        assert check_sums(folder) == []
        by_json, by_csv = load_package(folder, intact=True), load_package(folder)
        assert set(by_json.rows) == set(registry.RESOURCE_ORDER)
        assert all(same(by_json.rows[n], by_csv.rows[n]) for n in by_csv.rows)


def _edit_a_label(folder) -> str:
    """Change the first appointment type's label in the release's JSON file only."""
    path = folder / "data" / "appointment_types.json"
    rows = json.loads(path.read_text(encoding="utf-8"))
    rows[0]["label"] = "Étiquette modifiée"
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return str(rows[0]["type_id"])


def test_a_release_whose_json_was_altered_is_read_from_its_csv(seed_release):
    folder = seed_release / "releases" / "1.0.0"
    type_id = _edit_a_label(folder)
    assert check_sums(folder) != []  # the sums tell it
    package = ReleaseStore(seed_release).package("1.0.0")
    label = next(r["label"] for r in package.rows["appointment_types"] if r["type_id"] == type_id)
    assert label != "Étiquette modifiée"


def test_json_rows_in_another_order_are_read_from_the_csv(seed_release):
    """A JSON file whose rows do not name the CSV's columns in its order (not written by this
    publisher) is not taken as it is: the CSV answers, typed."""
    folder = seed_release / "releases" / "1.0.0"
    path = folder / "data" / "appointment_types.json"
    rows = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps([dict(reversed(r.items())) for r in rows]), encoding="utf-8")
    by_json, by_csv = load_package(folder, intact=True), load_package(folder)
    assert same(by_json.rows["appointment_types"], by_csv.rows["appointment_types"])


@pytest.mark.parametrize(
    "written",
    ['{"not": "rows"}', "[1, 2]", '[{"email": "a@b.fr"}]', "[{", '[["email", "address"]]'],
)
def test_json_that_is_not_the_csvs_rows_is_not_taken(seed_release, written):
    """Whatever the JSON file holds instead of the CSV's rows, the CSV answers, typed."""
    folder = seed_release / "releases" / "1.0.0"
    (folder / "data" / "contacts.json").write_text(written, encoding="utf-8")
    by_json, by_csv = load_package(folder, intact=True), load_package(folder)
    assert by_csv.rows["contacts"] and same(by_json.rows["contacts"], by_csv.rows["contacts"])
