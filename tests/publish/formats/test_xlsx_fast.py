"""The workbook's fast paths (``publish/formats/xlsx.py``, ``xlsx_cells.py``, ``xlsx_sheet.py``)
give what the plain mapping gives: a field's ``converter`` the cell of ``cell``, a text's width
its longest line, a text's cut the documented one, and a whole workbook the bytes of one whose
resource sheets are xlsxwriter's own worksheets (``_ResourceSheet`` stores the common cells in
bulk and writes its rows and cells in XML itself), written row after row, cell by cell, with
``cell`` and ``write`` (the writer before the fast paths, kept here as the reference), for
small sheets and for sheets longer than a block of 16 rows. A workbook is made with the cyclic
garbage collector paused, and leaves it as it was."""

from __future__ import annotations

import contextlib
import dataclasses
import gc
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from xlsxwriter.worksheet import Worksheet

from publish.changes import workbook as wording_of
from publish.formats import xlsx
from publish.formats.xlsx_cells import (
    FORMULA_TRIGGERS,
    MAX_TEXT,
    cell,
    converter,
    text_cell,
    width,
    write,
)
from publish.formats.xlsx_words import ADDED_NAME, TRUNCATED, Wording, sheet_names
from schemas import registry
from tests.publish.formats.test_xlsx import CREATED, ROWS, TEXT, _value

FIELDS = [field for name in registry.RESOURCE_ORDER for field in registry.fields(name)]
TEXT_FIELDS = [f for f in FIELDS if f["type"] == "string" and f.get("format") != "uri"]
#: a character of one UTF-16 unit, or of two (Excel counts units); a release's text is UTF-8
CHARACTER = st.one_of(
    st.characters(codec="utf-8", max_codepoint=0xFFFF), st.characters(min_codepoint=0x10000)
)
ANY_TEXT = st.text(st.characters(codec="utf-8"))
#: texts around the lengths where the fast paths stop: half of Excel's limit, and the limit
LONG = st.builds(
    lambda char, count, tail: char * count + tail,
    CHARACTER,
    st.sampled_from((MAX_TEXT // 2 - 1, MAX_TEXT // 2, MAX_TEXT // 2 + 1, MAX_TEXT - 1, MAX_TEXT)),
    st.text(st.characters(codec="utf-8"), max_size=3),
)
#: what a text field may be handed besides text: every plain JSON value
OTHER = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.lists(st.text(st.characters(codec="utf-8"), max_size=5), max_size=3),
    st.sampled_from(("", [], 0, 0.0, -0.0, 1, True, False)),
)
SHEET_RESOURCES = {sheet: name for name, sheet in sheet_names().items()}


def _plain_width(written: tuple[str, Any, str]) -> int:
    """The documented width of a cell: a number's digits, a date's or time's shown length, a
    text's longest line."""
    how, value, style = written
    if how == "datetime":
        return {"date": 10, "time": 5, "seconds": 8}[style]
    if how == "number":
        return len(str(value))
    return max((len(line) for line in str(value).splitlines()), default=0)


@settings(max_examples=300)
@given(st.sampled_from(TEXT_FIELDS), st.one_of(TEXT, ANY_TEXT, LONG, OTHER))
def test_a_text_fields_converter_gives_the_cell_of_the_mapping(field, value):
    assert converter(field)(value) == cell(value, field)


@given(st.sampled_from(FIELDS), st.data())
def test_every_fields_converter_gives_the_cell_of_the_mapping(field, data):
    value = data.draw(_value(field))
    assert converter(field)(value) == cell(value, field)


@given(st.one_of(TEXT, ANY_TEXT, st.text(st.sampled_from("a\n\r\x0b\x0c\x1c\x85\u2028 \t"))))
def test_a_texts_width_is_its_longest_line(text):
    for how, style in (("string", "text"), ("url", "link")):
        assert width((how, text, style)) == _plain_width((how, text, style))


@settings(max_examples=60)
@given(LONG)
def test_a_text_is_cut_exactly_when_excel_would_refuse_it(text):
    how, value, style = text_cell(text)
    units = len(text.encode("utf-16-le")) // 2
    assert how == "string"
    assert style == ("inert" if value.startswith(FORMULA_TRIGGERS) else "text")
    if units <= MAX_TEXT:
        assert value == text
    else:
        assert value.endswith(TRUNCATED)
        assert text.startswith(value[: -len(TRUNCATED)])
        assert len(value.encode("utf-16-le")) // 2 <= MAX_TEXT


def _cell_by_cell(
    book: Any,
    formats: dict[str, Any],
    sheet_name: str,
    columns: list[xlsx.Column],
    records: list[dict[str, Any]],
) -> None:
    """A resource sheet as the writer before the fast paths wrote it (the reference)."""
    fields = {f["name"]: f for f in registry.fields(SHEET_RESOURCES[sheet_name])}
    sheet = book.add_worksheet(sheet_name)
    widths = []
    for col, (heading, name, _, _) in enumerate(columns):
        sheet.write_string(0, col, heading, formats["title"])
        sheet.write_string(1, col, name, formats["name"])
        widths.append(max(len(name), min(len(heading), xlsx.TITLE_WIDTH)))
    for offset, record in enumerate(records):
        for col, (_, name, key, label) in enumerate(columns):
            value = record.get(key)
            written = label(value) if name == ADDED_NAME else cell(value, fields[key])
            if written is not None:
                write(sheet, xlsx.HEADER_ROWS + offset, col, written, formats)
                widths[col] = max(widths[col], _plain_width(written))
    for col, size in enumerate(widths):
        sheet.set_column(col, col, min(max(size + 2, xlsx.MIN_WIDTH), xlsx.MAX_WIDTH))
    sheet.freeze_panes(xlsx.HEADER_ROWS, 0)
    sheet.autofilter(1, 0, max(xlsx.HEADER_ROWS, len(records) + 1), len(columns) - 1)


def _labelled(rows: dict[str, list[dict[str, Any]]]) -> Wording:
    """Every code's label, and a label for every row referred to that has one: each label
    column is there."""
    references = {
        field: {key: label for key, label in labels.items() if isinstance(label, str)}
        for field, labels in wording_of.references(rows).items()
    }
    return Wording(codes=wording_of.code_labels(), references=references)


#: the writers a workbook's bytes are compared with: the cell-by-cell writer the column writer
#: replaced, and xlsxwriter's own worksheets and workbook in place of those that store and write
#: cells and shared texts in bulk (what a publish uses with another xlsxwriter)
REFERENCES = {
    "cell by cell": ("_write_resource", lambda: _cell_by_cell),
    "xlsxwriter's own worksheet and workbook": ("CHECKED_XLSXWRITER", lambda: "another"),
}


@pytest.mark.parametrize("reference_writer", list(REFERENCES))
@settings(max_examples=40, deadline=None)
@given(rows=ROWS)
def test_any_rows_give_the_bytes_of_the_reference_writer(reference_writer, rows):
    said = _labelled(rows)
    book = xlsx.xlsx_bytes(rows, title="t", version="0.0.1", created=CREATED, wording=said)
    name, replacement = REFERENCES[reference_writer]
    with mock.patch.object(xlsx, name, replacement()):
        reference = xlsx.xlsx_bytes(rows, title="t", version="0.0.1", created=CREATED, wording=said)
    assert book == reference


@pytest.mark.parametrize("enabled", [True, False])
@pytest.mark.parametrize("fails", [False, True])
def test_a_workbook_pauses_the_collector_and_leaves_it_as_it_was(enabled, fails):
    seen = []

    def writer(*args: Any, **kwargs: Any) -> bytes:
        seen.append(gc.isenabled())
        if fails:
            raise OSError("disk full")
        return b"book"

    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        with (
            mock.patch.object(xlsx, "xlsx_bytes", writer),
            contextlib.suppress(OSError) if fails else contextlib.nullcontext(),
        ):
            assert wording_of.workbook_bytes({}, version="", created="", source={}) == b"book"
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
    assert seen == [False]


def test_the_fast_sheet_is_used_with_the_xlsxwriter_it_was_checked_against():
    """The locked xlsxwriter is the one ``_ResourceSheet`` was checked against (an upgrade fails
    here: check the test above with it, then move ``CHECKED_XLSXWRITER``); with another version
    a publish uses xlsxwriter's own worksheets."""
    import xlsxwriter

    assert xlsxwriter.__version__ == xlsx.CHECKED_XLSXWRITER
    assert xlsx.resource_sheet_class() is xlsx._ResourceSheet
    assert xlsx.workbook_class() is xlsx.Book
    with mock.patch.object(xlsxwriter, "__version__", "3.4.0"):
        assert xlsx.resource_sheet_class() is Worksheet
        assert xlsx.workbook_class() is xlsxwriter.Workbook


def _first_fields(name: str) -> st.SearchStrategy[dict[str, Any]]:
    """A row whose first fields only have values, the others none: the columns a row uses
    vary, row by row and block of 16 rows by block (a row may have no cell at all)."""
    fields = registry.fields(name)
    return st.integers(0, len(fields)).flatmap(
        lambda used: st.fixed_dictionaries(
            {f["name"]: _value(f) if n < used else st.none() for n, f in enumerate(fields)}
        )
    )


#: more rows than a block of 16 (a row's ``spans`` says its block's columns), of a resource with
#: label columns, links, numbers, dates and times
LONG_SHEETS = st.sampled_from(("channels", "slot_rules", "closures")).flatmap(
    lambda name: st.fixed_dictionaries(
        {name: st.lists(_first_fields(name), min_size=17, max_size=60)}
    )
)


#: the « Synthèse » rows: seven texts, some empty
SYNTHESIS = st.lists(
    st.tuples(*[st.one_of(st.just(""), TEXT, ANY_TEXT)] * 7), min_size=0, max_size=40
)


@pytest.mark.parametrize("reference_writer", list(REFERENCES))
@settings(max_examples=25, deadline=None)
@given(rows=LONG_SHEETS, synthesis=SYNTHESIS)
def test_long_sheets_give_the_bytes_of_the_reference_writer(reference_writer, rows, synthesis):
    said = dataclasses.replace(_labelled(rows), synthesis=synthesis)
    book = xlsx.xlsx_bytes(rows, title="t", version="0.0.1", created=CREATED, wording=said)
    name, replacement = REFERENCES[reference_writer]
    with mock.patch.object(xlsx, name, replacement()):
        reference = xlsx.xlsx_bytes(rows, title="t", version="0.0.1", created=CREATED, wording=said)
    assert book == reference
