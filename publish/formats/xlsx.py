"""The release as one spreadsheet for volunteers: ``data/rdv-isere.xlsx`` (xlsxwriter, no I/O).

Sheets: « Lisez-moi » (what, which version, licence, source, how to read), then one sheet per
resource in ``RESOURCE_ORDER`` (named after the resource), then « Dictionnaire » (every column).
On a resource sheet, row 1 holds the French column titles, row 2 the field names (as in the CSV
and JSON files), the data starts on row 3; both header rows are frozen, row 2 carries the filter.

Values, from the plain JSON values of ``schemas.frames.to_records`` (the CSV files stay the
reference; the spreadsheet reads the same values, mapped as follows):

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

The same inputs give the same bytes: the file's creation date is the release's ``created``
(never the clock) and xlsxwriter stamps every part of the zip with a fixed date.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from typing import Any

import xlsxwriter

from core import settings
from schemas import registry

README_SHEET = "Lisez-moi"
DICTIONARY_SHEET = "Dictionnaire"

TRUE_TEXT, FALSE_TEXT = "OUI", "NON"
LIST_SEPARATOR = ", "
DATE_FORMAT = "dd/mm/yyyy"
TIME_FORMAT = "hh:mm"
TIME_SECONDS_FORMAT = "hh:mm:ss"
#: Excel's 1900 calendar has a 29 February 1900 and nothing before 1900: earlier dates are text
FIRST_EXCEL_DATE = dt.date(1900, 3, 1)
#: Excel keeps 15 significant digits: larger integers are written as text
MAX_EXACT_INTEGER = 10**15 - 1
MAX_TEXT = 32_767  # UTF-16 code units in one cell
MAX_URL = 2_079  # Excel's limit on a link's address (and on its anchor)
MAX_LINKS = 65_530  # per sheet
TRUNCATED = " … [texte tronqué : voir le fichier CSV]"
#: first characters that make a spreadsheet read typed-in text as a formula (OWASP's CSV list)
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

HEADER_ROWS = 2  # French titles, then field names
MIN_WIDTH, MAX_WIDTH, TITLE_WIDTH = 6, 60, 24
#: the workbook's creation date when the release has none yet (a candidate, never published)
UNDATED = dt.datetime(1980, 1, 1)

TYPE_LABELS = {
    "string": "texte",
    "integer": "nombre entier",
    "number": "nombre",
    "boolean": f"{TRUE_TEXT} / {FALSE_TEXT}",
    "date": "date (jj/mm/aaaa)",
    "time": "heure (hh:mm)",
    "list": f"liste (éléments séparés par « {LIST_SEPARATOR.strip()} »)",
}
FORMAT_LABELS = {"uri": "adresse web", "email": "adresse électronique"}
DICTIONARY_COLUMNS = (
    ("Feuille", 20),
    ("Colonne", 20),
    ("Intitulé", 30),
    ("Type", 24),
    ("Obligatoire", 12),
    ("Description", 70),
    ("Valeurs possibles", 40),
)

#: a cell to write: (how, value, format name); how is "string", "number", "datetime" or "url"
Cell = tuple[str, Any, str]


def xlsx_bytes(
    rows: Mapping[str, list[dict[str, Any]]],
    *,
    title: str,
    version: str,
    created: str,
    source: Mapping[str, Any] | None = None,
) -> bytes:
    """The workbook of a release: ``rows`` as ``render_package`` returns them (plain JSON values
    per resource; a missing resource is an empty sheet), the package's ``title``, ``version``
    and ``created`` (ISO 8601; empty for a candidate: a fixed date is used) and, optionally, its
    ``source`` (the descriptor's ``sources[0]``: its title, path and observed day are shown)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
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
            "subject": f"Version {version}" if version else "",
            "author": settings.PACKAGE_NAME,
            "keywords": ", ".join(settings.PACKAGE_KEYWORDS),
            "comments": settings.PACKAGE_LICENSE["title"],
            "created": _naive_utc(created),
        }
    )
    formats = _formats(book)
    _write_readme(book, formats, rows, title, version, created, source or {})
    for name in registry.RESOURCE_ORDER:
        _write_resource(book, formats, name, rows.get(name, []))
    _write_dictionary(book, formats)
    book.close()
    return buffer.getvalue()


def _naive_utc(created: str) -> dt.datetime:
    """The release's ``created`` as a naive UTC datetime (what xlsxwriter writes)."""
    if not created:
        return UNDATED
    moment = dt.datetime.fromisoformat(created)
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


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


# ---------------------------------------------------------------------------- values to cells


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _text(value: str) -> Cell:
    if _utf16_len(value) > MAX_TEXT:
        keep = MAX_TEXT - _utf16_len(TRUNCATED)
        value = value.encode("utf-16-le")[: 2 * keep].decode("utf-16-le", "ignore") + TRUNCATED
    return ("string", value, "inert" if value.startswith(FORMULA_TRIGGERS) else "text")


def _day_text(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def _linkable(value: str) -> bool:
    address, _, anchor = value.partition("#")
    return (
        value.startswith(("http://", "https://"))
        and not any(c.isspace() for c in value)
        and max(_utf16_len(address), _utf16_len(anchor)) <= MAX_URL
        and _utf16_len(value) <= MAX_TEXT
    )


def _cell(value: Any, field: Mapping[str, Any]) -> Cell | None:
    """How a plain JSON value is written (see the module's docstring); None for an empty cell."""
    kind = field["type"]
    if value is None or value == "" or value == []:
        return None
    if kind == "boolean":
        return ("string", TRUE_TEXT if value else FALSE_TEXT, "text")
    if kind == "integer":
        number = int(value)
        return (
            ("number", number, "integer")
            if abs(number) <= MAX_EXACT_INTEGER
            else _text(str(number))
        )
    if kind == "number":
        return ("number", float(value), "number")
    if kind == "date":
        day = dt.date.fromisoformat(value)
        return ("datetime", day, "date") if day >= FIRST_EXCEL_DATE else _text(_day_text(day))
    if kind == "time":
        moment = dt.time.fromisoformat(value)
        if moment.microsecond or moment.tzinfo is not None:
            return _text(value)
        return ("datetime", moment, "seconds" if moment.second else "time")
    if kind == "list":
        return _text(LIST_SEPARATOR.join(str(item) for item in value))
    text = str(value)
    if field.get("format") == "uri" and _linkable(text):
        return ("url", text, "link")
    return _text(text)


def _width(cell: Cell) -> int:
    how, value, style = cell
    if how == "datetime":
        return {"date": 10, "time": 5, "seconds": 8}[style]
    if how == "number":
        return len(str(value))
    return max((len(line) for line in str(value).splitlines()), default=0)


def _write(sheet: Any, row: int, col: int, cell: Cell, formats: dict[str, Any]) -> None:
    how, value, style = cell
    if how == "url" and sheet.hlink_count >= MAX_LINKS:
        how, value, style = _text(value)
    fmt = formats[style]
    if how == "number":
        sheet.write_number(row, col, value, fmt)
    elif how == "datetime":
        sheet.write_datetime(row, col, value, fmt)
    elif how == "url":
        sheet.write_url(row, col, value, fmt, string=value)
    else:
        sheet.write_string(row, col, value, fmt)


# ---------------------------------------------------------------------------- the sheets


def _write_resource(
    book: Any, formats: dict[str, Any], name: str, records: list[dict[str, Any]]
) -> None:
    if len(name) > 31:
        raise ValueError(f"sheet name longer than 31 characters: {name!r}")
    fields = registry.fields(name)
    sheet = book.add_worksheet(name)
    widths = []
    for col, field in enumerate(fields):
        heading = field.get("title") or field["name"]
        sheet.write_string(0, col, heading, formats["title"])
        sheet.write_string(1, col, field["name"], formats["name"])
        widths.append(max(len(field["name"]), min(len(heading), TITLE_WIDTH)))
    for offset, record in enumerate(records):
        for col, field in enumerate(fields):
            cell = _cell(record.get(field["name"]), field)
            if cell is not None:
                _write(sheet, HEADER_ROWS + offset, col, cell, formats)
                widths[col] = max(widths[col], _width(cell))
    for col, width in enumerate(widths):
        sheet.set_column(col, col, min(max(width + 2, MIN_WIDTH), MAX_WIDTH))
    sheet.freeze_panes(HEADER_ROWS, 0)
    sheet.autofilter(HEADER_ROWS - 1, 0, max(HEADER_ROWS, len(records) + 1), len(fields) - 1)


def _allowed(field: Mapping[str, Any]) -> str:
    values = field.get("constraints", {}).get("enum") or field.get("itemConstraints", {}).get(
        "enum"
    )
    return LIST_SEPARATOR.join(map(str, values or []))


def _type_label(field: Mapping[str, Any]) -> str:
    label = TYPE_LABELS.get(field["type"], field["type"])
    if field.get("format") in FORMAT_LABELS:
        label += f" ({FORMAT_LABELS[field['format']]})"
    return label


def _write_dictionary(book: Any, formats: dict[str, Any]) -> None:
    sheet = book.add_worksheet(DICTIONARY_SHEET)
    for col, (heading, width) in enumerate(DICTIONARY_COLUMNS):
        sheet.write_string(0, col, heading, formats["title"])
        sheet.set_column(col, col, width)
    row = 0
    for name in registry.RESOURCE_ORDER:
        for field in registry.fields(name):
            row += 1
            required = field.get("constraints", {}).get("required", False)
            values = (
                name,
                field["name"],
                field.get("title", ""),
                _type_label(field),
                TRUE_TEXT if required else FALSE_TEXT,
                field.get("description", ""),
                _allowed(field),
            )
            for col, value in enumerate(values):
                sheet.write_string(row, col, value, formats["text"])
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(row, 1), len(DICTIONARY_COLUMNS) - 1)


def _published(created: str) -> str:
    if not created:
        return ""
    return _naive_utc(created).strftime("%d/%m/%Y à %H:%M (UTC)")


def _readme_lines(version: str, created: str, source: Mapping[str, Any]) -> list[tuple[str, str]]:
    licence = settings.PACKAGE_LICENSE
    return [
        ("Version", version),
        ("Publiée le", _published(created)),
        ("Description", settings.PACKAGE_DESCRIPTION),
        ("Licence", f"{licence['title']} : {licence['path']}"),
        ("Source", str(source.get("title") or "")),
        ("Adresse de la source", str(source.get("path") or "")),
        ("Source observée le", str(source.get("observed") or "")),
        (
            "Comment lire",
            "Une feuille par table. Ligne 1 : l'intitulé de la colonne ; ligne 2 : son nom dans "
            "les fichiers CSV et JSON ; les données commencent ligne 3. "
            f"{TRUE_TEXT} / {FALSE_TEXT} : oui / non. Dates au format jj/mm/aaaa, heures hh:mm. "
            f"Listes : éléments séparés par « {LIST_SEPARATOR.strip()} ». Case vide : "
            "information absente de la source. La feuille « Dictionnaire » décrit chaque colonne.",
        ),
        (
            "Fichiers de référence",
            "Ce classeur reprend les fichiers CSV de la même version (dossier data/), qui font "
            "foi. Les modifier ici ne change pas les données publiées.",
        ),
    ]


def _write_readme(
    book: Any,
    formats: dict[str, Any],
    rows: Mapping[str, list[dict[str, Any]]],
    title: str,
    version: str,
    created: str,
    source: Mapping[str, Any],
) -> None:
    sheet = book.add_worksheet(README_SHEET)
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 90)
    sheet.set_column(2, 2, 10)
    sheet.write_string(0, 0, _text(title)[1], formats["heading"])
    row = 2
    for label, value in _readme_lines(version, created, source):
        sheet.write_string(row, 0, label, formats["label"])
        _write(sheet, row, 1, _text(value), formats)
        row += 1
    row += 1
    for col, heading in enumerate(("Feuille", "Contenu", "Lignes")):
        sheet.write_string(row, col, heading, formats["title"])
    for name in registry.RESOURCE_ORDER:
        row += 1
        meta = registry.resource_meta(name)
        sheet.write_string(row, 0, name, formats["text"])
        sheet.write_string(row, 1, f"{meta['title']} : {meta['description']}", formats["text"])
        sheet.write_number(row, 2, len(rows.get(name, [])), formats["integer"])
    sheet.write_string(row + 1, 0, DICTIONARY_SHEET, formats["text"])
    sheet.write_string(
        row + 1,
        1,
        "Chaque colonne de chaque feuille : intitulé, type, description, valeurs possibles.",
        formats["text"],
    )
