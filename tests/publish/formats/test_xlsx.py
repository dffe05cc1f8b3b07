"""The volunteers' spreadsheet (``publish/formats/xlsx.py``): read back with openpyxl, and with a
real LibreOffice (``slow``) whose CSV export must give the release CSVs' values, by the
documented mapping: the columns whose row 2 names a CSV field hold its values (the added label
columns, « (libellé ajouté) » on row 2, are left out), OUI/NON <-> true/false, jj/mm/aaaa <->
ISO dates, hh:mm(:ss) <-> ISO times, lists joined by ", " <-> by ",", empty cell <-> missing.
The French side (sheet names, labels of codes and of referenced rows, the « Synthèse ») is in
``test_xlsx_french.py``."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any
from unittest import mock

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.cell.text import Text
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from core import settings as core_settings
from extract import extract_table
from publish.changes import workbook as wording_of
from publish.formats import xlsx
from publish.formats.tabular import csv_text
from publish.formats.xlsx import (
    DICTIONARY_SHEET,
    FALSE_TEXT,
    LIST_SEPARATOR,
    README_SHEET,
    SYNTHESIS_SHEET,
    TRUE_TEXT,
    TRUNCATED,
    resource_columns,
    xlsx_bytes,
)
from publish.formats.xlsx_words import ADDED_NAME, sheet_names, type_label
from publish.release.package import render_package
from rdv_opendata import pipeline
from schemas import registry
from schemas.frames import plain_value

ROOT = Path(__file__).resolve().parents[3]
VERSION = "1.2.3"
CREATED = "2024-05-06T07:08:09Z"
SOURCE = {
    "title": "Modalités de prise de rendez-vous",
    "path": "https://www.isere.gouv.fr/tableau",
    "observed": "2020-12-01",
}
NO_SOFFICE = (
    "LibreOffice is not installed: run scripts/ensure-libreoffice.sh (Debian's "
    "libreoffice-calc-nogui)"
)
LIBREOFFICE_CSV = (
    # comma, double quote, UTF-8, from line 1, standard cells, system language, no quoting of
    # every text, detect numbers, cells AS SHOWN, no formulas, keep spaces, -1: every sheet to
    # its own file <name>-<sheet>.csv (LibreOffice >= 7.2)
    "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"
)
#: texts that a spreadsheet would run as a formula if they were typed in
INJECTIONS = (
    "=1+1",
    '=HYPERLINK("http://evil.example","x")',
    "+33 4 76 60 34 00",
    "-2+3",
    "@SUM(A1)",
)
ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
SHEETS = sheet_names()


# ---------------------------------------------------------------------------- the mapping back


def _unescape(text: str) -> str:
    """OOXML's ``_xHHHH_`` escapes, decoded as Excel and LibreOffice do: ``_x005F_x0041_`` is
    the text ``_x0041_``, ``_x0041_`` is ``A``."""
    return ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), text)


def _string_table(xml_source: Any) -> list[str]:
    """openpyxl's shared-string reader, decoding the escapes (openpyxl only drops ``x005F_``,
    which leaves ``_x0041_`` ambiguous and ``_x0001_`` undecoded)."""
    strings = []
    for _, node in iterparse(xml_source):
        if node.tag == f"{{{SHEET_MAIN_NS}}}si":
            strings.append(_unescape(Text.from_tree(node).content))
            node.clear()
    return strings


def load(book: bytes) -> openpyxl.Workbook:
    with mock.patch("openpyxl.reader.excel.read_string_table", _string_table):
        return openpyxl.load_workbook(io.BytesIO(book))


def _french_day(text: str) -> dt.date:
    day, month, year = text.split("/")
    return dt.date(int(year), int(month), int(day))


def plain_from_cell(value: Any, field: dict[str, Any]) -> Any:
    """The plain JSON value of a cell as openpyxl reads it (the documented mapping, inverted)."""
    kind = field["type"]
    if value is None:
        return None
    if kind == "boolean":
        return {TRUE_TEXT: True, FALSE_TEXT: False}[value]
    if kind == "integer":
        assert isinstance(value, int | str) and not isinstance(value, bool), value
        return int(value)
    if kind == "date":
        day = value.date() if isinstance(value, dt.datetime) else _french_day(value)
        return day.isoformat()
    if kind == "time":
        moment = value if isinstance(value, dt.time) else dt.time.fromisoformat(value)
        return moment.isoformat()
    if kind == "list":
        return value.split(LIST_SEPARATOR)
    assert isinstance(value, str), value
    return value


def plain_from_shown(text: str, field: dict[str, Any]) -> Any:
    """The plain JSON value of a cell as a spreadsheet shows it (LibreOffice's CSV export)."""
    kind = field["type"]
    if text == "":
        return None
    if kind == "boolean":
        return {TRUE_TEXT: True, FALSE_TEXT: False}[text]
    if kind == "integer":
        return int(text)
    if kind == "date":
        return _french_day(text).isoformat()
    if kind == "time":
        return dt.time.fromisoformat(text).isoformat()
    if kind == "list":
        return text.split(LIST_SEPARATOR)
    return text


def _missing_as_none(rows: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    return {
        name: [{k: None if v in ("", []) else v for k, v in row.items()} for row in records]
        for name, records in rows.items()
    }


def field_columns(names: list[Any]) -> dict[str, int]:
    """Each CSV field -> its column (0-based), from row 2 of a resource sheet: the added label
    columns say « (libellé ajouté) » there and hold no CSV value."""
    return {name: col for col, name in enumerate(names) if name != ADDED_NAME}


def read_back(book: bytes, counts: dict[str, int]) -> dict[str, list[dict[str, Any]]]:
    """Every resource sheet's rows (``counts`` of them: a row of empty cells leaves no trace)."""
    workbook = load(book)
    rows = {}
    for name, count in counts.items():
        sheet = workbook[SHEETS[name]]
        fields = registry.fields(name)
        assert sheet.max_row <= 2 + count
        header = next(sheet.iter_rows(min_row=2, max_row=2, values_only=True))
        columns = field_columns(list(header))
        assert list(columns) == [f["name"] for f in fields]
        cells = sheet.iter_rows(min_row=3, max_row=2 + count, values_only=True)
        rows[name] = [
            {f["name"]: plain_from_cell(values[columns[f["name"]]], f) for f in fields}
            for values in cells
        ]
    return rows


# ---------------------------------------------------------------------------- the snapshot


@pytest.fixture(scope="module")
def release(seed_bytes) -> tuple[dict[str, bytes], dict[str, list[dict[str, Any]]], bytes]:
    """The bundled snapshot's release files, rows and workbook."""
    frames = pipeline.build_frames(extract_table(seed_bytes))
    package, files, rows = render_package(frames, SOURCE, VERSION, CREATED)
    book = xlsx_bytes(
        rows,
        title=package["title"],
        version=VERSION,
        created=CREATED,
        source=package["sources"][0],
        wording=wording_of.wording(rows, CREATED),
    )
    assert book == files["data/rdv-isere.xlsx"]  # the release's own workbook
    return files, rows, book


@pytest.fixture(scope="module")
def workbook(release) -> openpyxl.Workbook:
    return load(release[2])


def test_one_sheet_per_resource_between_the_readme_and_the_dictionary(workbook):
    resources = [SHEETS[name] for name in registry.RESOURCE_ORDER]
    assert workbook.sheetnames == [SYNTHESIS_SHEET, README_SHEET, *resources, DICTIONARY_SHEET]
    assert all(len(name) <= 31 for name in workbook.sheetnames)


@pytest.mark.parametrize("name", registry.RESOURCE_ORDER)
def test_two_frozen_header_rows_titles_then_names_with_a_filter(workbook, release, name):
    sheet = workbook[SHEETS[name]]
    columns = resource_columns(name, wording_of.wording(release[1], CREATED))
    header = list(sheet.iter_rows(min_row=1, max_row=2, values_only=True))
    assert list(header[0]) == [title for title, *_ in columns]
    assert list(header[1]) == [field for _, field, *_ in columns]
    assert list(field_columns(list(header[1]))) == registry.field_names(name)
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A3"
    fields = columns
    last_column = openpyxl.utils.get_column_letter(len(fields))
    last_row = max(3, 2 + len(release[1][name]))
    assert sheet.auto_filter.ref == f"A2:{last_column}{last_row}"
    for column in range(1, len(fields) + 1):
        width = sheet.column_dimensions[openpyxl.utils.get_column_letter(column)].width
        assert xlsx.MIN_WIDTH <= width <= xlsx.MAX_WIDTH + 1  # Excel adds its padding


def test_cells_are_typed(workbook, release):
    rows = release[1]
    assert rows["locations"] and rows["slot_rules"] and rows["appointment_types"]
    seen = set[str]()
    for name in registry.RESOURCE_ORDER:
        sheet = workbook[SHEETS[name]]
        header = next(sheet.iter_rows(min_row=2, max_row=2, values_only=True))
        columns = list(sheet.iter_cols(min_row=3))
        for field, col in zip(
            registry.fields(name), field_columns(list(header)).values(), strict=True
        ):
            for cell in columns[col] if col < len(columns) else []:
                if cell.value is None:
                    continue
                kind = field["type"]
                seen.add(kind)
                if kind == "date":
                    assert isinstance(cell.value, dt.datetime)
                    assert cell.number_format == "dd/mm/yyyy"
                elif kind == "time":
                    assert isinstance(cell.value, dt.time)
                    assert cell.number_format in ("hh:mm", "hh:mm:ss")
                elif kind == "integer":
                    assert type(cell.value) is int
                elif kind == "boolean":
                    assert cell.value in (TRUE_TEXT, FALSE_TEXT)
                else:
                    assert cell.data_type == "s" and cell.number_format == "@"
    assert seen == {"string", "integer", "boolean", "date", "time", "list"}
    antenne = next(
        r for r in workbook[SHEETS["locations"]].iter_rows(min_row=3) if r[0].value != "prefecture"
    )
    assert antenne[3].value == dt.datetime(2020, 12, 18)
    rules = workbook[SHEETS["slot_rules"]]
    at = field_columns([c.value for c in rules[2]])
    first_rule = next(rules.iter_rows(min_row=3))
    assert first_rule[at["weekdays"]].value == "monday"
    assert first_rule[at["weekdays"] - 1].value == "lundi"
    assert first_rule[at["time"]].value == dt.time(0, 0)


def test_the_snapshot_reads_back_value_for_value(release):
    _, rows, book = release
    assert read_back(book, {n: len(r) for n, r in rows.items()}) == rows


def test_web_addresses_are_links_showing_the_exact_address(workbook):
    sheet = workbook[SHEETS["channels"]]
    names = field_columns([c.value for c in sheet[2]])
    links = 0
    for row in sheet.iter_rows(min_row=3):
        for name in ("url", "portal_url"):
            cell = row[names[name]]
            if cell.value is not None:
                assert cell.hyperlink is not None
                anchor = f"#{cell.hyperlink.location}" if cell.hyperlink.location else ""
                assert cell.hyperlink.target + anchor == cell.value
                links += 1
    assert links > 0


def test_the_dictionary_sheet_describes_every_column(workbook):
    sheet = workbook[DICTIONARY_SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(heading for heading, _ in xlsx.DICTIONARY_COLUMNS)
    expected = [(name, f) for name in registry.RESOURCE_ORDER for f in registry.fields(name)]
    assert len(rows) - 1 == len(expected)
    for row, (name, field) in zip(rows[1:], expected, strict=True):
        resource, column, title, kind, required, description, allowed = row
        assert (resource, column, title, description) == (
            SHEETS[name],
            field["name"],
            field["title"],
            field["description"],
        )
        is_required = field.get("constraints", {}).get("required", False)
        assert required == (TRUE_TEXT if is_required else FALSE_TEXT)
        assert kind.startswith(type_label(field["type"]))
        enum = field.get("constraints", {}).get("enum") or field.get("itemConstraints", {}).get(
            "enum"
        )
        labels = wording_of.code_labels().get(field["name"], {})
        said = [f"{v} ({labels[v]})" if v in labels else v for v in enum or []]
        assert (allowed or None) == (LIST_SEPARATOR.join(said) if enum else None)
    weekdays = next(r for r in rows if r[:2] == (SHEETS["slot_rules"], "weekdays"))
    assert weekdays[6].split(LIST_SEPARATOR)[:2] == ["monday (lundi)", "tuesday (mardi)"]
    assert sheet.freeze_panes == "A2"


def test_the_readme_sheet_names_version_date_licence_source_and_counts(workbook, release):
    rows = release[1]
    values = list(workbook[README_SHEET].iter_rows(values_only=True))
    labelled = {row[0]: row[1] for row in values if row[0]}
    assert values[0][0] == core_settings.PACKAGE_TITLE
    assert labelled["Version"] == VERSION
    assert labelled["Publiée le"] == "06/05/2024 à 07:08 (UTC)"
    assert core_settings.PACKAGE_LICENSE["title"] in labelled["Licence"]
    assert labelled["Source"] == SOURCE["title"]
    assert labelled["Adresse de la source"] == SOURCE["path"]
    assert labelled["Source observée le"] == "01/12/2020"
    counts = {row[0]: row[2] for row in values if row[0] in SHEETS.values()}
    assert counts == {SHEETS[name]: len(records) for name, records in rows.items()}
    files = {row[0]: row[3] for row in values if row[0] in SHEETS.values()}
    assert files == {SHEETS[name]: f"data/{name}.csv" for name in rows}
    assert DICTIONARY_SHEET in labelled and SYNTHESIS_SHEET in labelled


def test_same_inputs_same_bytes_and_no_clock(release):
    _, rows, book = release
    said = wording_of.wording(rows, CREATED)
    again = xlsx_bytes(
        rows,
        title=core_settings.PACKAGE_TITLE,
        version=VERSION,
        created=CREATED,
        source=SOURCE,
        wording=said,
    )
    assert again == book
    later = xlsx_bytes(
        rows,
        title=core_settings.PACKAGE_TITLE,
        version=VERSION,
        created="2025-01-01T00:00:00Z",
        source=SOURCE,
        wording=said,
    )
    assert later != book
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core_xml = archive.read("docProps/core.xml").decode()
    assert "2024-05-06T07:08:09Z" in core_xml
    properties = load(book).properties
    assert properties.created == dt.datetime(2024, 5, 6, 7, 8, 9)


def test_same_bytes_in_another_interpreter(release, tmp_path):
    """Nothing hangs on hash order or on the process: another interpreter, another hash seed."""
    _, rows, book = release
    (tmp_path / "rows.json").write_text(json.dumps(rows), encoding="utf-8")
    code = (
        "import json, sys; from publish.formats.xlsx import xlsx_bytes\n"
        "from publish.changes.workbook import wording\n"
        f"rows = json.load(open({str(tmp_path / 'rows.json')!r}, encoding='utf-8'))\n"
        f"sys.stdout.buffer.write(xlsx_bytes(rows, title={core_settings.PACKAGE_TITLE!r}, "
        f"version={VERSION!r}, created={CREATED!r}, source={SOURCE!r}, "
        f"wording=wording(rows, {CREATED!r})))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, cwd=ROOT, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout == book


def test_a_candidate_without_version_or_date_still_gets_a_workbook(release):
    _, rows, _ = release
    book = xlsx_bytes(rows, title="t", version="", created="")
    assert xlsx_bytes(rows, title="t", version="", created="") == book
    workbook = load(book)
    assert workbook.properties.created == xlsx.UNDATED


# ---------------------------------------------------------------------------- hostile values


def _type_row(label: str, position: int = 1) -> dict[str, Any]:
    return {"type_id": f"t{position}", "label": label, "position": position, "priority": True}


def test_formula_like_text_stays_text_and_is_quote_prefixed():
    rule = dict.fromkeys(registry.field_names("slot_rules"))
    rule |= {"rule_id": "=r", "channel_id": "+c", "rule_type": "walk_in", "weekdays": ["=x"]}
    channel = dict.fromkeys(registry.field_names("channels"))
    channel |= {"channel_id": "c", "type_id": "t", "channel_type": "phone", "source_row": 1}
    channel |= {"url": "=HYPERLINK(1)", "portal_url": "https://ok.example/=a"}
    rows = {
        "appointment_types": [
            _type_row(label, i) for i, label in enumerate((*INJECTIONS, "0612", "TRUE"), 1)
        ],
        "slot_rules": [rule],
        "channels": [channel],
    }
    source = {"title": "=cmd|' /C calc'!A0", "path": "+x"}
    book = xlsx_bytes(rows, title="t", version="1.0.0", created=CREATED, source=source)
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<f[ >]", archive.read(name)), name
    workbook = load(book)
    labels = [row[1] for row in workbook[SHEETS["appointment_types"]].iter_rows(min_row=3)]
    assert [cell.value for cell in labels] == [*INJECTIONS, "0612", "TRUE"]
    for cell in labels:
        assert cell.data_type == "s"
        assert cell.quotePrefix == cell.value.startswith(xlsx.FORMULA_TRIGGERS)
    rule_cells = next(workbook[SHEETS["slot_rules"]].iter_rows(min_row=3))
    assert [c.value for c in rule_cells[:2]] + [rule_cells[4].value] == ["=r", "+c", "=x"]
    assert all(c.quotePrefix for c in (*rule_cells[:2], rule_cells[4]))
    url, portal = (next(workbook[SHEETS["channels"]].iter_rows(min_row=3))[i] for i in (3, 6))
    assert url.value == "=HYPERLINK(1)" and url.hyperlink is None and url.quotePrefix
    assert portal.hyperlink is not None and portal.hyperlink.target == "https://ok.example/=a"
    readme = {r[0].value: r[1] for r in workbook[README_SHEET].iter_rows() if r[0].value}
    assert readme["Source"].value == source["title"] and readme["Source"].quotePrefix
    assert readme["Adresse de la source"].value == "+x"


def test_values_outside_excel_are_written_as_text_exactly():
    rule = dict.fromkeys(registry.field_names("slot_rules"))
    rule |= {
        "rule_id": "r",
        "channel_id": "c",
        "rule_type": "walk_in",
        "time": "12:00:00.250000",
        "start_time": "23:59:59",
        "end_time": "08:30:00",
        "visibility_weeks": 10**15,
        "capacity": 10**15 - 1,
    }
    location = {"location_id": "l", "name": "n", "valid_from": "1899-12-31"}
    location |= {"valid_until": "1900-03-01"}
    rows = {"slot_rules": [rule], "locations": [location]}
    book = xlsx_bytes(rows, title="t", version="", created="")
    workbook = load(book)
    cells = next(workbook[SHEETS["slot_rules"]].iter_rows(min_row=3))
    assert cells[5].value == "12:00:00.250000"
    assert cells[6].value == dt.time(23, 59, 59) and cells[6].number_format == "hh:mm:ss"
    assert cells[7].value == dt.time(8, 30) and cells[7].number_format == "hh:mm"
    assert (cells[10].value, cells[11].value) == (str(10**15), 10**15 - 1)
    place = next(workbook[SHEETS["locations"]].iter_rows(min_row=3, values_only=True))
    assert place[2:] == ("31/12/1899", dt.datetime(1900, 3, 1))
    assert read_back(book, {"slot_rules": 1, "locations": 1}) == _missing_as_none(rows)


def test_text_beyond_excels_limit_is_cut_and_says_so():
    long = "é" * 40_000
    emoji = "\U0001f600" * 20_000  # two UTF-16 units each: Excel counts those
    book = xlsx_bytes(
        {"appointment_types": [_type_row(long), _type_row(emoji, 2)]},
        title="t",
        version="",
        created="",
    )
    sheet = load(book)[SHEETS["appointment_types"]]
    for cell, text in zip((sheet["B3"], sheet["B4"]), (long, emoji), strict=True):
        assert cell.value.endswith(TRUNCATED)
        assert text.startswith(cell.value[: -len(TRUNCATED)])
        assert len(cell.value.encode("utf-16-le")) // 2 <= xlsx.MAX_TEXT


# ---------------------------------------------------------------------------- property


TRICKY = ("=1+1", "+1", "-", "@a", "\t=a", "0612", "TRUE", "_x0041_", "a\r\nb", " spaced ")
TEXT = st.one_of(
    st.text(st.characters(codec="utf-8"), min_size=1, max_size=30),
    st.sampled_from(TRICKY),
)
ITEM = st.text(st.characters(codec="utf-8", exclude_characters=","), min_size=1, max_size=12)
URL = st.builds(
    "{}://{}".format,
    st.sampled_from(("http", "https")),
    st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=40),
)
VALUES = {
    "string": TEXT,
    "integer": st.integers(-(10**17), 10**17),
    "boolean": st.booleans(),
    "date": st.dates().map(dt.date.isoformat),
    "time": st.times().map(dt.time.isoformat),
    "list": st.lists(ITEM, min_size=1, max_size=4),
}


def _value(field: dict[str, Any]) -> st.SearchStrategy[Any]:
    values = VALUES[field["type"]]
    if field.get("format") == "uri":
        values = st.one_of(URL, values)
    return st.one_of(st.none(), values)


def _rows_of(names: list[str]) -> st.SearchStrategy[dict[str, list[dict[str, Any]]]]:
    return st.fixed_dictionaries(
        {
            name: st.lists(
                st.fixed_dictionaries({f["name"]: _value(f) for f in registry.fields(name)}),
                min_size=1,
                max_size=3,
            )
            for name in names
        }
    )


#: a few resources at a time: small examples shrink fast
NAMES = st.lists(st.sampled_from(registry.RESOURCE_ORDER), min_size=1, max_size=3, unique=True)
ROWS = NAMES.flatmap(_rows_of)


@pytest.mark.slow
@settings(max_examples=60)
@given(ROWS)
def test_any_rows_read_back_value_for_value(rows):
    book = xlsx_bytes(rows, title="t", version="0.0.1", created=CREATED)
    assert read_back(book, {n: len(r) for n, r in rows.items()}) == rows


# ---------------------------------------------------------------------------- LibreOffice


def soffice_path() -> str | None:
    found = shutil.which("soffice") or "/usr/bin/soffice"
    return found if Path(found).exists() else None


def _edge_rows() -> dict[str, list[dict[str, Any]]]:
    """Values at the edges of the mapping, for LibreOffice to show."""
    rule: dict[str, Any] = dict.fromkeys(registry.field_names("slot_rules"))
    rule |= {
        "rule_id": "=r",
        "channel_id": "c",
        "rule_type": "walk_in",
        "weekdays": ["monday", "sunday"],
        "time": "12:00:00.250000",
        "start_time": "23:59:59",
        "end_time": "00:00:00",
        "visibility_weeks": 10**15,
        "capacity": 10**15 - 1,
    }
    places = [
        ("a", "_x0041_ é\U0001f600", "1899-12-31", None),
        ("b", " x\ny ", "1900-03-01", None),
        ("c", "0612", None, "9999-12-31"),
    ]
    return {
        "appointment_types": [_type_row(label, i) for i, label in enumerate(INJECTIONS, 1)],
        "slot_rules": [rule],
        "locations": [dict(zip(registry.field_names("locations"), p, strict=True)) for p in places],
    }


def _shown_rows(path: Path, name: str) -> list[dict[str, Any]]:
    """A resource sheet as LibreOffice shows it, by the documented mapping: the columns whose row
    2 names a CSV field, in the CSV's order (the added label columns left out)."""
    fields = registry.fields(name)
    with path.open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    columns = field_columns(table[1])
    assert list(columns) == [f["name"] for f in fields]
    return [
        {f["name"]: plain_from_shown(line[columns[f["name"]]], f) for f in fields}
        for line in table[2:]
    ]


def _csv_rows(text: str, name: str) -> list[dict[str, Any]]:
    fields = registry.fields(name)
    table = list(csv.reader(io.StringIO(text, newline="")))
    assert table[0] == [f["name"] for f in fields]
    return [
        {f["name"]: plain_value(value, f) for f, value in zip(fields, line, strict=True)}
        for line in table[1:]
    ]


@pytest.mark.slow
def test_libreoffice_shows_the_release_csv_values(release, tmp_path):
    soffice = soffice_path()
    if soffice is None:
        pytest.skip(NO_SOFFICE)
    files, rows, book = release
    edge = _edge_rows()
    edge_files = {f"data/{n}.csv": csv_text(n, r).encode() for n, r in edge.items()}
    (tmp_path / "rdv-isere.xlsx").write_bytes(book)
    edge_book = xlsx_bytes(
        edge, title="t", version="", created="", wording=wording_of.wording(edge, "")
    )
    (tmp_path / "edge.xlsx").write_bytes(edge_book)
    command = [
        soffice,
        f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        LIBREOFFICE_CSV,
        "--outdir",
        str(tmp_path / "csv"),
        str(tmp_path / "rdv-isere.xlsx"),
        str(tmp_path / "edge.xlsx"),
    ]
    start = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=tmp_path)
    print(f"LibreOffice converted both workbooks in {time.monotonic() - start:.1f} s")
    assert done.returncode == 0, done.stderr
    out = tmp_path / "csv"
    resources = [SHEETS[name] for name in registry.RESOURCE_ORDER]
    sheets = [SYNTHESIS_SHEET, README_SHEET, *resources, DICTIONARY_SHEET]
    produced = sorted(p.name for p in out.iterdir())
    assert produced == sorted(f"{stem}-{s}.csv" for stem in ("edge", "rdv-isere") for s in sheets)
    for name in registry.RESOURCE_ORDER:
        release_csv = files[f"data/{name}.csv"].decode("utf-8")
        shown = _shown_rows(out / f"rdv-isere-{SHEETS[name]}.csv", name)
        assert shown == _csv_rows(release_csv, name) == rows[name], name
        edge_csv = edge_files.get(f"data/{name}.csv", csv_text(name, []).encode()).decode()
        edge_shown = _shown_rows(out / f"edge-{SHEETS[name]}.csv", name)
        assert edge_shown == _csv_rows(edge_csv, name), name
    # formulas are shown as typed, never computed
    shown_labels = [
        row["label"]
        for row in _shown_rows(out / f"edge-{SHEETS['appointment_types']}.csv", "appointment_types")
    ]
    assert shown_labels == list(INJECTIONS)
    with (out / f"rdv-isere-{DICTIONARY_SHEET}.csv").open(encoding="utf-8", newline="") as f:
        dictionary = list(csv.reader(f))
    assert len(dictionary) == 1 + sum(len(registry.fields(n)) for n in registry.RESOURCE_ORDER)
    with (out / f"rdv-isere-{README_SHEET}.csv").open(encoding="utf-8", newline="") as f:
        readme = {line[0]: line[1] for line in csv.reader(f) if line and line[0]}
    assert readme["Version"] == VERSION
