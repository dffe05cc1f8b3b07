"""The release as one spreadsheet for volunteers: ``data/rdv-isere.xlsx`` (xlsxwriter, no I/O).

Sheets: « Synthèse » (per appointment type, how, when and where, as the site's home page says
it), « Lisez-moi » (what, which version, licence, source, how to read), then one sheet per
resource in ``RESOURCE_ORDER`` (named after its French title: ``xlsx_words.sheet_names``), then
« Dictionnaire » (every column, every code with its French label). Every word the workbook
writes itself is in ``publish.formats.xlsx_words``; the words said about the data (the French
labels of codes and of referenced rows, the synthesis) come from ``publish.changes`` as a
``Wording`` (one wording for the site, the change summary and the workbook).

On a resource sheet, row 1 holds the French column titles, row 2 the field names (as in the CSV
and JSON files), the data starts on row 3; both header rows are frozen, row 2 carries the filter.
A field whose codes have French labels (``Wording.codes``: ``channel_type``, ``weekdays``…) and
a field that refers to another table's row (``Wording.references``: ``type_id``,
``channel_id``…) get an added column just before them, with the label, titled as the field;
the field's own column keeps the code, titled « … (code) » or « … (identifiant) ». Added columns
say « (libellé ajouté) » on row 2: they are not in the CSV.

Values of the CSV's columns, from the plain JSON values of ``schemas.frames.to_records`` (the
CSV files stay the reference; the spreadsheet reads the same values, mapped as follows):

- text: a text cell, always (never a formula, never a number: ``'0612'`` stays ``0612``); text
  that a spreadsheet would take for a formula once edited (first character ``= + - @``, tab or
  carriage return) also gets Excel's quote prefix. Web addresses (fields of format ``uri``) are
  clickable links showing the exact address. Text longer than Excel's 32 767 characters is cut
  and ends with ``TRUNCATED`` (the CSV has it whole);
- integer: a number (format ``0``); beyond 15 digits, Excel's precision, its decimal text;
- boolean: the text ``OUI`` (true) or ``NON`` (false);
- date: an Excel date shown ``jj/mm/aaaa``; before 1900-03-01 (outside Excel's calendar), the
  text ``jj/mm/aaaa``;
- time: an Excel time shown ``hh:mm`` (``hh:mm:ss`` when it has seconds); with fractions of a
  second or a time zone, its ISO text;
- list: its items joined by ``", "`` (items never hold a comma: the CSV joins them by ``,``);
- missing value: an empty cell.

Every date the workbook writes itself (publication, observation) is ``jj/mm/aaaa`` too. The same
inputs give the same bytes: the file's creation date is the release's ``created`` (never the
clock) and xlsxwriter stamps every part of the zip with a fixed date.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from core import settings
from core.i18n import gettext as say
from core.i18n import title_of
from publish.formats.xlsx_cells import (
    DATE_FORMAT,
    FORMULA_TRIGGERS,
    MAX_TEXT,
    TIME_FORMAT,
    TIME_SECONDS_FORMAT,
    UNDATED,
    Cell,
    converter,
    naive_utc,
    text_cell,
    width,
    write,
)
from publish.formats.xlsx_front import write_readme, write_synthesis
from publish.formats.xlsx_sheet import Book, ResourceSheet
from publish.formats.xlsx_words import (
    ADDED_NAME,
    CODE_SUFFIX,
    DICTIONARY_COLUMNS,
    DICTIONARY_SHEET,
    FALSE_TEXT,
    FORMAT_LABELS,
    ID_SUFFIX,
    LIST_SEPARATOR,
    README_SHEET,
    SYNTHESIS_SHEET,
    TRUE_TEXT,
    TRUNCATED,
    TYPE_LABELS,
    Wording,
    sheet_names,
    type_label,
)
from schemas import registry

__all__ = [
    "DICTIONARY_COLUMNS",
    "DICTIONARY_SHEET",
    "FALSE_TEXT",
    "FORMULA_TRIGGERS",
    "LIST_SEPARATOR",
    "MAX_TEXT",
    "README_SHEET",
    "SYNTHESIS_SHEET",
    "TRUE_TEXT",
    "TRUNCATED",
    "TYPE_LABELS",
    "UNDATED",
    "Wording",
    "xlsx_bytes",
]

HEADER_ROWS = 2  # French titles, then field names
MIN_WIDTH, MAX_WIDTH, TITLE_WIDTH = 6, 60, 24

#: a column of a resource sheet: (title, row 2's name, the record's field it shows, the cell of
#: that field's value)
Column = tuple[str, str, str, Callable[[Any], Cell | None]]


def xlsx_bytes(
    rows: Mapping[str, list[dict[str, Any]]],
    *,
    title: str,
    version: str,
    created: str,
    source: Mapping[str, Any] | None = None,
    wording: Wording | None = None,
) -> bytes:
    """The workbook of a release: ``rows`` as ``render_package`` returns them (plain JSON values
    per resource; a missing resource is an empty sheet), the package's ``title``, ``version``
    and ``created`` (ISO 8601; empty for a candidate: a fixed date is used), optionally its
    ``source`` (the descriptor's ``sources[0]``: its title, path and observed day are shown) and
    the ``wording`` of the data (``publish.changes.workbook``; without it, codes only and an
    empty synthesis)."""
    wording = wording or Wording()
    buffer = io.BytesIO()
    book = workbook_class()(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    book.set_properties(
        {
            "title": title,
            "subject": say("Version {version}").format(version=version) if version else "",
            "author": settings.PACKAGE_NAME,
            "keywords": ", ".join(settings.PACKAGE_KEYWORDS),
            "comments": settings.PACKAGE_LICENSE["title"],
            "created": naive_utc(created),
        }
    )
    formats = _formats(book)
    sheets = sheet_names()
    write_synthesis(book, formats, title, wording.synthesis, resource_sheet_class())
    meta = {"title": title, "version": version, "created": created, "source": source or {}}
    write_readme(book, formats, rows, meta, sheets)
    for name in registry.RESOURCE_ORDER:
        columns = resource_columns(name, wording)
        _write_resource(book, formats, sheets[name], columns, rows.get(name, []))
    _write_dictionary(book, formats, sheets, wording)
    book.close()
    return buffer.getvalue()


def _formats(book: Any) -> dict[str, Any]:
    top = {"valign": "top"}
    text = {**top, "text_wrap": True, "num_format": "@"}
    return {
        "heading": book.add_format({**top, "bold": True, "font_size": 14}),
        "label": book.add_format({**top, "bold": True}),
        "title": book.add_format(
            {**text, "bold": True, "bg_color": "#DDEBF7", "border": 1, "border_color": "#9BC2E6"}
        ),
        "name": book.add_format(
            {**text, "italic": True, "font_color": "#595959", "bg_color": "#F2F2F2"}
        ),
        "text": book.add_format(text),
        "inert": book.add_format({**text, "quote_prefix": True}),
        "link": book.add_format({**text, "font_color": "#0563C1", "underline": 1}),
        "integer": book.add_format({**top, "num_format": "0"}),
        "number": book.add_format(top),
        "date": book.add_format({**top, "num_format": DATE_FORMAT, "align": "left"}),
        "time": book.add_format({**top, "num_format": TIME_FORMAT, "align": "left"}),
        "seconds": book.add_format({**top, "num_format": TIME_SECONDS_FORMAT, "align": "left"}),
    }


# ---------------------------------------------------------------------------- the columns


def _label_of(labels: Mapping[str, str]) -> Callable[[Any], Cell | None]:
    """The French label of a code (of each code of a list), or of the row it refers to; a value
    without a label stays as it is."""

    def label(value: Any) -> Cell | None:
        if value is None or value == "" or value == []:
            return None
        items = value if isinstance(value, list) else [value]
        return text_cell(LIST_SEPARATOR.join(labels.get(str(v), str(v)) for v in items))

    return label


def _references(name: str) -> set[str]:
    """The fields of a resource that refer to another row."""
    keys = registry.table_schema(name).get("foreignKeys") or []
    return {field for key in keys for field in key["fields"]}


def resource_columns(name: str, wording: Wording) -> list[Column]:
    """A resource sheet's columns: each field, after its label column when it has one."""
    references = _references(name)
    columns: list[Column] = []
    for field in registry.fields(name):
        heading = title_of(field.get("title")) or field["name"]
        labels, suffix = wording.codes.get(field["name"]), say(CODE_SUFFIX)
        if labels is None and field["name"] in references:
            labels, suffix = wording.references.get(field["name"]), say(ID_SUFFIX)
        if labels is not None:
            columns.append((heading, say(ADDED_NAME), field["name"], _label_of(labels)))
            heading += suffix
        columns.append((heading, field["name"], field["name"], converter(field)))
    return columns


# ---------------------------------------------------------------------------- the sheets


#: the worksheet of a resource sheet (``publish.formats.xlsx_sheet``), by the name the tests
#: replace with xlsxwriter's own
_ResourceSheet = ResourceSheet
#: the xlsxwriter whose private parts ``_ResourceSheet`` was checked against (the version of
#: ``uv.lock``); with any other, its own worksheets are used
CHECKED_XLSXWRITER = "3.3.1"


def resource_sheet_class() -> type[Worksheet]:
    """``_ResourceSheet`` with the xlsxwriter it was checked against, else xlsxwriter's own:
    another version may write a cell otherwise, or change the private method it overrides."""
    return _ResourceSheet if xlsxwriter.__version__ == CHECKED_XLSXWRITER else Worksheet


def workbook_class() -> type[xlsxwriter.Workbook]:
    """``Book`` with the xlsxwriter it was checked against, else xlsxwriter's own workbook."""
    return Book if xlsxwriter.__version__ == CHECKED_XLSXWRITER else xlsxwriter.Workbook


def _writers(sheet: Any, formats: dict[str, Any]) -> dict[tuple[str, str], tuple[Any, Any]]:
    """How a cell is written on ``sheet``, by its kind and style: the sheet's writer and format
    (a link is written by ``write``, which writes text past the sheet's limit of links)."""
    kinds = {"string": sheet.write_string, "number": sheet.write_number}
    kinds["datetime"] = sheet.write_datetime
    writers = {(how, style): (kinds[how], formats[style]) for how in kinds for style in formats}
    writers["url", "link"] = (
        lambda row, col, value, _: write(sheet, row, col, ("url", value, "link"), formats),
        None,
    )
    return writers


def _column_cells(
    records: list[dict[str, Any]], key: str, convert: Callable[[Any], Cell | None]
) -> tuple[list[Cell | None], int]:
    """A column's cells and the width of the widest."""
    cells = [convert(record.get(key)) for record in records]
    return cells, max((width(c) for c in cells if c is not None), default=0)


def _write_resource(
    book: Any,
    formats: dict[str, Any],
    sheet_name: str,
    columns: list[Column],
    records: list[dict[str, Any]],
) -> None:
    """The sheet is filled row after row, as xlsxwriter numbers its shared texts in the order
    they are written; the cells are converted column by column."""
    sheet = book.add_worksheet(sheet_name, worksheet_class=resource_sheet_class())
    widths, cells = [], []
    for col, column in enumerate(columns):
        heading, name = column[0], column[1]
        sheet.write_string(0, col, heading, formats["title"])
        sheet.write_string(1, col, name, formats["name"])
        column_cells, widest = _column_cells(records, column[2], column[3])
        cells.append(column_cells)
        widths.append(max(len(name), min(len(heading), TITLE_WIDTH), widest))
    writers = _writers(sheet, formats)
    rows = enumerate(zip(*cells, strict=True), HEADER_ROWS)
    within = HEADER_ROWS + len(records) <= sheet.xls_rowmax and len(columns) <= sheet.xls_colmax
    if isinstance(sheet, ResourceSheet) and within:
        sheet.put_rows(rows, formats, writers)
    else:
        for row, row_cells in rows:
            for col, written in enumerate(row_cells):
                if written is not None:
                    how, value, style = written
                    writer, fmt = writers[how, style]
                    writer(row, col, value, fmt)
    for col, size in enumerate(widths):
        sheet.set_column(col, col, min(max(size + 2, MIN_WIDTH), MAX_WIDTH))
    sheet.freeze_panes(HEADER_ROWS, 0)
    sheet.autofilter(HEADER_ROWS - 1, 0, max(HEADER_ROWS, len(records) + 1), len(columns) - 1)


def _allowed(field: Mapping[str, Any], labels: Mapping[str, str]) -> str:
    """The allowed values, each with its French label when it has one."""
    values = field.get("constraints", {}).get("enum") or field.get("itemConstraints", {}).get(
        "enum"
    )
    return LIST_SEPARATOR.join(
        f"{v} ({labels[str(v)]})" if str(v) in labels else str(v) for v in values or []
    )


def _type_label(field: Mapping[str, Any]) -> str:
    label = type_label(field["type"])
    if field.get("format") in FORMAT_LABELS:
        label += f" ({say(FORMAT_LABELS[field['format']])})"
    return label


def _dictionary_row(sheet: str, field: Mapping[str, Any], wording: Wording) -> tuple[str, ...]:
    required = field.get("constraints", {}).get("required", False)
    return (
        sheet,
        field["name"],
        title_of(field.get("title")),
        _type_label(field),
        say(TRUE_TEXT) if required else say(FALSE_TEXT),
        title_of(field.get("description")),
        _allowed(field, wording.codes.get(field["name"], {})),
    )


def _write_dictionary(
    book: Any, formats: dict[str, Any], sheets: Mapping[str, str], wording: Wording
) -> None:
    sheet = book.add_worksheet(say(DICTIONARY_SHEET))
    for col, (heading, size) in enumerate(DICTIONARY_COLUMNS):
        sheet.write_string(0, col, say(heading), formats["title"])
        sheet.set_column(col, col, size)
    row = 0
    for name in registry.RESOURCE_ORDER:
        for field in registry.fields(name):
            row += 1
            for col, value in enumerate(_dictionary_row(sheets[name], field, wording)):
                sheet.write_string(row, col, value, formats["text"])
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(row, 1), len(DICTIONARY_COLUMNS) - 1)
