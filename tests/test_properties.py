"""Properties (hypothesis): the parser only raises our errors and never hangs; normalised text is
a fixed point of normalisation; every resource survives CSV and JSON round trips through
pandas; diff(a, a) is empty and applying diff(a, b) to a gives b."""

from __future__ import annotations

import datetime as dt
import io
import json

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from core.errors import RdvError
from extract import extract_table
from extract.cells import normalise_space
from normalise import normalise, rules
from publish.changes.diff import apply_rows, comparable, diff_rows, row_key
from publish.formats.tabular import csv_text, json_text
from rdv_opendata.pipeline import validate
from rdv_opendata.settings import DEFAULT_SOURCE
from schemas import registry
from schemas.frames import plain_value

SEED = DEFAULT_SOURCE.read_text(encoding="utf-8")
# no deadline: a busy CI machine is no bug (the profile in conftest.py says the same)
slow = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def build_or_our_error(data: bytes) -> dict | None:
    try:
        return normalise(extract_table(data))
    except RdvError:
        return None


# --- the parser ------------------------------------------------------------------------------


@slow
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_give_a_table_or_our_error(data):
    build_or_our_error(data)


@slow
@given(st.text(max_size=2000))
def test_arbitrary_text_after_the_header_gives_a_table_or_our_error(text):
    header = (
        "Type de rendez-vous\tDémarches\tModalités de prise de rendez-vous\t"
        "Lieu de rendez-vous\tRemarques\n"
    )
    build_or_our_error((header + text).encode("utf-8"))


MUTATION = st.text(alphabet=st.sampled_from(list("<>/&;:«»-–\t ab1é\"'=pliu")), max_size=30)


@pytest.mark.slow
@slow
@example(position=SEED.index("renouvellement des cartes"), insert="-")  # CI: « hors -r… »
@given(position=st.integers(0, len(SEED)), insert=MUTATION)
def test_mutated_seed_gives_valid_data_or_our_error(position, insert):
    data = (SEED[:position] + insert + SEED[position:]).encode("utf-8")
    try:
        resources = normalise(extract_table(data))
        validate(resources)
    except RdvError:
        return
    # normalised text is a fixed point: normalising it again changes nothing
    for name, rows in resources.items():
        for row in rows:
            for value in row.values():
                if isinstance(value, str):
                    for line in value.split("\n"):
                        assert normalise_space(line) == line, (name, value)
    for procedure in resources["procedures"]:
        assert rules.strip_dash(procedure["label"]) == procedure["label"]
    assert normalise(extract_table(data)) == resources  # and it is deterministic


@given(st.text())
def test_space_normalisation_is_idempotent(text):
    once = normalise_space(text)
    assert normalise_space(once) == once


# --- round trips through pandas -------------------------------------------------------------

TEXT = st.text(
    st.characters(exclude_categories=["Cs"], exclude_characters="\r"), min_size=1, max_size=40
)


def value_strategy(field: dict):
    constraints = field.get("constraints", {})
    kind = field["type"]
    if "enum" in constraints:
        base = st.sampled_from(constraints["enum"])
    elif "pattern" in constraints and kind == "string":
        base = st.from_regex(f"^(?:{constraints['pattern']})$", fullmatch=True).filter(
            lambda s: "\n" not in s and "\r" not in s
        )
    elif kind == "integer":
        base = st.integers(min_value=constraints.get("minimum", -(10**9)), max_value=10**9)
    elif kind == "boolean":
        base = st.booleans()
    elif kind == "date":
        base = st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)).map(dt.date.isoformat)
    elif kind == "time":
        base = st.times().map(lambda t: t.replace(microsecond=0).isoformat())
    elif kind == "list" and "itemConstraints" not in field:  # free items (unread tokens)
        base = st.lists(
            st.text(st.characters(exclude_categories=["Cs", "Cc"]), min_size=1).filter(
                lambda item: field["delimiter"] not in item and item.strip() == item
            ),
            min_size=1,
        )
    elif kind == "list":
        items = field["itemConstraints"]["enum"]
        base = st.sets(st.sampled_from(items), min_size=1).map(
            lambda chosen: [item for item in items if item in chosen]
        )
    else:
        base = TEXT
    return base if constraints.get("required") else st.none() | base


def rows_strategy(name: str):
    row = st.fixed_dictionaries({f["name"]: value_strategy(f) for f in registry.fields(name)})
    return st.lists(row, max_size=8)


def read_back_csv(name: str, text: str) -> list[dict]:
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    fields = {f["name"]: f for f in registry.fields(name)}
    return [
        {k: plain_value(v, fields[k]) for k, v in row.items()} for row in frame.to_dict("records")
    ]


def read_back_json(text: str) -> list[dict]:
    frame = pd.read_json(io.StringIO(text), orient="records", dtype=False)
    return [
        {k: (None if v is None or v != v else v) for k, v in row.items()}
        for row in frame.to_dict("records")
    ]


@pytest.mark.slow
@pytest.mark.parametrize("name", registry.RESOURCE_ORDER)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_resource_survives_csv_and_json_round_trips(name, data):
    rows = data.draw(rows_strategy(name))
    assert read_back_csv(name, csv_text(name, rows)) == rows
    if rows:
        again = read_back_json(json_text(rows))
        assert [{k: comparable(v) for k, v in r.items()} for r in again] == [
            {k: comparable(v) for k, v in r.items()} for r in rows
        ]
        assert json.loads(json_text(rows)) == rows


# --- diff ------------------------------------------------------------------------------------

KEYED_ROWS = st.dictionaries(
    st.text("abc", min_size=1, max_size=3),
    st.fixed_dictionaries({"n": st.none() | st.integers(0, 9), "t": st.none() | TEXT}),
    max_size=6,
).map(lambda by_key: [{"id": key, **values} for key, values in by_key.items()])


@given(KEYED_ROWS)
def test_diff_of_rows_with_themselves_is_empty(rows):
    assert diff_rows(rows, rows, ["id"], ["n", "t"]) == {"added": [], "removed": [], "changed": []}


@given(KEYED_ROWS, KEYED_ROWS)
def test_applying_the_diff_gives_the_new_rows(old, new):
    change = diff_rows(old, new, ["id"], ["n", "t"])

    def canonical(rows):
        return sorted((row_key(r, ["id"]), comparable(r["n"]), comparable(r["t"])) for r in rows)

    assert canonical(apply_rows(old, change, ["id"])) == canonical(new)
