"""The workbook a volunteer reads without the dictionary (issue 20, point 5), read back with
openpyxl: French sheet names, a French label beside every code (every enum value of the
schemas) and beside every reference to another row, a first sheet « Synthèse » that says per
type what the site's home page says (``publish.changes.home``), and no ISO date anywhere."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from extract import extract_table
from publish.changes import workbook as wording_of
from publish.changes.home import home_types
from publish.formats.xlsx import SYNTHESIS_SHEET, xlsx_bytes
from publish.formats.xlsx_words import (
    ADDED_NAME,
    CODE_SUFFIX,
    ID_SUFFIX,
    LIST_SEPARATOR,
    MAX_SHEET_NAME,
    SYNTHESIS_COLUMNS,
    Wording,
    sheet_names,
)
from publish.release.package import render_package
from rdv_opendata import pipeline
from schemas import registry
from tests.publish.formats.test_xlsx import load

CREATED = "2020-12-17T10:00:00Z"
SOURCE = {"title": "Tableau", "path": "https://www.isere.gouv.fr/t", "observed": "2020-12-17"}
SHEETS = sheet_names()
#: enums whose values are the source's own French words (the source table's column headers)
FRENCH_ENUMS = frozenset({"column"})
ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _enum(field: dict[str, Any]) -> list[str]:
    return field.get("constraints", {}).get("enum") or field.get("itemConstraints", {}).get(
        "enum", []
    )


CODE_FIELDS = sorted(
    {
        (name, field["name"])
        for name in registry.RESOURCE_ORDER
        for field in registry.fields(name)
        if _enum(field) and field["name"] not in FRENCH_ENUMS
    }
)


@pytest.fixture(scope="module")
def release(seed_bytes) -> tuple[dict[str, list[dict[str, Any]]], Any]:
    frames = pipeline.build_frames(extract_table(seed_bytes))
    _, files, rows = render_package(frames, SOURCE, "1.0.0", CREATED)
    return rows, load(files["data/rdv-isere.xlsx"])


def _header(sheet: Any) -> tuple[list[Any], list[Any]]:
    titles, names = sheet.iter_rows(min_row=1, max_row=2, values_only=True)
    return list(titles), list(names)


def test_sheet_names_are_the_resources_french_titles_within_excels_limit(release):
    _, book = release
    names = list(SHEETS.values())
    assert len(set(map(str.lower, names))) == len(names)
    for resource, name in SHEETS.items():
        assert name in book.sheetnames and name != resource
        assert len(name) <= MAX_SHEET_NAME
        assert registry.resource_meta(resource)["title"].startswith(name)
    assert book.sheetnames[0] == SYNTHESIS_SHEET


@pytest.mark.parametrize(("resource", "field_name"), CODE_FIELDS)
def test_every_code_of_the_schemas_has_a_french_label(resource, field_name):
    """Exhaustive over the schema's enum: one row per value, its label beside it."""
    field = next(f for f in registry.fields(resource) if f["name"] == field_name)
    values = _enum(field)
    labels = wording_of.code_labels()[field_name]
    assert set(values) <= set(labels)
    assert all(labels[v] != v and labels[v].strip() for v in values)
    empty = dict.fromkeys(registry.field_names(resource))
    rows = [{**empty, field_name: [v] if field["type"] == "list" else v} for v in values]
    book = load(
        xlsx_bytes(
            {resource: rows},
            title="t",
            version="",
            created="",
            wording=Wording(codes=wording_of.code_labels()),
        )
    )
    titles, names = _header(book[SHEETS[resource]])
    col = names.index(field_name)
    assert names[col - 1] == ADDED_NAME
    assert titles[col - 1] == field["title"] and titles[col] == field["title"] + CODE_SUFFIX
    cells = list(book[SHEETS[resource]].iter_rows(min_row=3, values_only=True))
    assert [(c[col - 1], c[col]) for c in cells] == [(labels[v], v) for v in values]


def test_a_list_of_codes_gets_its_labels_in_order():
    empty = dict.fromkeys(registry.field_names("slot_rules"))
    rows = {"slot_rules": [{**empty, "rule_id": "r", "weekdays": ["monday", "friday"]}]}
    said = Wording(codes=wording_of.code_labels())
    book = load(xlsx_bytes(rows, title="t", version="", created="", wording=said))
    sheet = book[SHEETS["slot_rules"]]
    col = _header(sheet)[1].index("weekdays")
    cells = next(sheet.iter_rows(min_row=3, values_only=True))
    assert cells[col - 1 : col + 1] == (
        LIST_SEPARATOR.join(["lundi", "vendredi"]),
        "monday,friday".replace(",", LIST_SEPARATOR),
    )


def _referenced(rows: dict[str, list[dict[str, Any]]]) -> dict[str, dict[Any, str]]:
    """What each identifier must read as, from the rows (independently of the workbook)."""
    types = {r["type_id"]: r["label"] for r in rows["appointment_types"]}
    kinds = wording_of.CHANNEL_KINDS
    channels = {
        r["channel_id"]: f"{types[r['type_id']]} — {kinds[r['channel_type']]}"
        for r in rows["channels"]
    }
    procedures = {r["procedure_id"]: r["label"] for r in rows["procedures"]}
    return {
        "type_id": types,
        "channel_id": channels,
        "location_id": {r["location_id"]: r["name"] for r in rows["locations"]},
        "parent_id": procedures,
        "procedure_id": procedures,
    }


@pytest.mark.parametrize("resource", registry.RESOURCE_ORDER)
def test_codes_and_references_have_their_readable_column(release, resource):
    rows, book = release
    sheet = book[SHEETS[resource]]
    titles, names = _header(sheet)
    fields = {f["name"]: f for f in registry.fields(resource)}
    keys = registry.table_schema(resource).get("foreignKeys") or []
    references = {name for key in keys for name in key["fields"]}
    expected = _referenced(rows)
    lines = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(lines) == len(rows[resource])
    for name in sorted(references | {f for r, f in CODE_FIELDS if r == resource}):
        col = names.index(name)
        suffix = CODE_SUFFIX if name in wording_of.code_labels() else ID_SUFFIX
        assert (titles[col - 1], titles[col]) == (
            fields[name]["title"],
            fields[name]["title"] + suffix,
        )
        assert names[col - 1] == ADDED_NAME
        for line, row in zip(lines, rows[resource], strict=True):
            value = row[name]
            if value in (None, []):
                assert line[col - 1] is None
            elif name in wording_of.code_labels():
                items = value if isinstance(value, list) else [value]
                said = LIST_SEPARATOR.join(wording_of.code_labels()[name][v] for v in items)
                assert line[col - 1] == said != line[col]
            else:
                assert line[col - 1] == expected[name][value]


def _synthesis(book: Any) -> list[tuple[Any, ...]]:
    sheet = book[SYNTHESIS_SHEET]
    lines = list(sheet.iter_rows(values_only=True))
    heading = tuple(title for title, _ in SYNTHESIS_COLUMNS)
    start = next(i for i, line in enumerate(lines) if tuple(line) == heading)
    return [tuple(v or "" for v in line) for line in lines[start + 1 :]]


def _says_the_channel(line: tuple[Any, ...], channel: dict[str, Any]) -> None:
    """A « Synthèse » row against the home page's data for its channel."""
    _, for_, except_, how, when, where, notes = line
    assert how.startswith(channel["kind"])
    if channel["channel_type"] not in ("email", "phone") and channel.get("url"):
        assert f"{channel['kind']} : {channel['url']}" in how
    assert when.split("\n") == [
        f"{r['applies_to']} : {r['text']}" if r.get("applies_to") else r["text"]
        for r in channel["rules"]
    ] or (when == "" and not channel["rules"])
    for procedure in channel["included"]:
        assert procedure["label"] in for_.split("\n")
    assert except_ == " ; ".join(p["label"] for p in channel["excluded"])
    place = channel["location"]
    assert where.startswith(place["name"] if place else wording_of.NO_PLACE)
    if place and place["until"]:
        assert f"jusqu'au {place['until']}" in where
    for sentence in channel["instructions"]:
        assert sentence in notes


def test_the_synthesis_says_per_type_what_the_home_page_says(release):
    rows, book = release
    lines = _synthesis(book)
    types = home_types(rows, CREATED)  # the site's data (website.build.home_types uses it)
    assert types and len(lines) == sum(max(1, len(t["channels"])) for t in types)
    at = 0
    for kind in types:
        first = lines[at]
        for sentence in kind["unread"]:  # the sentences not read, on the type's first row
            assert sentence in first[6]
        for channel in kind["channels"] or [None]:
            assert lines[at][0] == kind["label"] + (" (prioritaire)" if kind["priority"] else "")
            if channel is not None:
                _says_the_channel(lines[at], channel)
            at += 1


def test_an_expired_place_is_said_as_on_the_site(release):
    rows, book = release
    where = [line[5] for line in _synthesis(book)]
    assert any("jusqu'au 18/12/2020" in w for w in where)
    assert not any("Attention" in w for w in where)  # published 17/12/2020: still valid
    later = wording_of.synthesis(rows, "2021-01-05T00:00:00Z")
    assert any("depuis le 19/12/2020" in line[5] for line in later)


def test_no_iso_date_in_any_cell(release):
    _, book = release
    for sheet in book.worksheets:
        for line in sheet.iter_rows(values_only=True):
            for value in line:
                if isinstance(value, str):
                    assert not ISO_DAY.search(value), (sheet.title, value)
                if isinstance(value, dt.datetime):
                    assert sheet.title != SYNTHESIS_SHEET


def test_the_readme_says_how_to_read_the_labels(release):
    _, book = release
    said = " ".join(
        str(v) for line in book["Lisez-moi"].iter_rows(values_only=True) for v in line if v
    )
    for words in (
        SYNTHESIS_SHEET,
        CODE_SUFFIX.strip(),
        ID_SUFFIX.strip(),
        ADDED_NAME,
        "17/12/2020",
    ):
        assert words in said
