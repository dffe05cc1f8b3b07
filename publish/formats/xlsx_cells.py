"""How a plain JSON value becomes a workbook cell (the mapping ``publish.formats.xlsx`` documents),
and how a cell is written with xlsxwriter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from core.i18n import gettext as say
from publish.formats.xlsx_words import FALSE_TEXT, LIST_SEPARATOR, TRUE_TEXT, TRUNCATED

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
#: first characters that make a spreadsheet read typed-in text as a formula (OWASP's CSV list)
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

#: a cell to write: (how, value, format name); how is "string", "number", "datetime" or "url"
Cell = tuple[str, Any, str]


# ---------------------------------------------------------------------------- values to cells


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def text_cell(value: str) -> Cell:
    if len(value) > MAX_TEXT // 2 and _utf16_len(value) > MAX_TEXT:  # 2 units a character at most
        cut = say(TRUNCATED)
        keep = MAX_TEXT - _utf16_len(cut)
        value = value.encode("utf-16-le")[: 2 * keep].decode("utf-16-le", "ignore") + cut
    return ("string", value, "inert" if value.startswith(FORMULA_TRIGGERS) else "text")


def day_text(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def _linkable(value: str) -> bool:
    address, _, anchor = value.partition("#")
    return (
        value.startswith(("http://", "https://"))
        and not any(c.isspace() for c in value)
        and max(_utf16_len(address), _utf16_len(anchor)) <= MAX_URL
        and _utf16_len(value) <= MAX_TEXT
    )


def cell(value: Any, field: Mapping[str, Any]) -> Cell | None:
    """How a plain JSON value is written (see the module's docstring); None for an empty cell."""
    kind = field["type"]
    if value is None or value == "" or value == []:
        return None
    if kind == "boolean":
        return ("string", say(TRUE_TEXT) if value else say(FALSE_TEXT), "text")
    if kind == "integer":
        number = int(value)
        return (
            ("number", number, "integer")
            if abs(number) <= MAX_EXACT_INTEGER
            else text_cell(str(number))
        )
    if kind == "number":
        return ("number", float(value), "number")
    if kind == "date":
        day = dt.date.fromisoformat(value)
        return ("datetime", day, "date") if day >= FIRST_EXCEL_DATE else text_cell(day_text(day))
    if kind == "time":
        moment = dt.time.fromisoformat(value)
        if moment.microsecond or moment.tzinfo is not None:
            return text_cell(value)
        return ("datetime", moment, "seconds" if moment.second else "time")
    if kind == "list":
        return text_cell(LIST_SEPARATOR.join(str(item) for item in value))
    text = str(value)
    if field.get("format") == "uri" and _linkable(text):
        return ("url", text, "link")
    return text_cell(text)


def converter(field: Mapping[str, Any]) -> Callable[[Any], Cell | None]:
    """``cell`` for the values of one field: a text (the most common value) without the type
    dispatch, any other value as ``cell`` says."""
    if field["type"] != "string" or field.get("format") == "uri":
        return partial(cell, field=field)

    def text(value: Any) -> Cell | None:
        if type(value) is str and 0 < len(value) <= MAX_TEXT // 2:
            return ("string", value, "inert" if value.startswith(FORMULA_TRIGGERS) else "text")
        return cell(value, field)

    return text


def width(cell: Cell) -> int:
    how, value, style = cell
    if how == "datetime":
        return {"date": 10, "time": 5, "seconds": 8}[style]
    if how == "number":
        return len(str(value))
    if value.isprintable():  # no line break
        return len(value)
    return max((len(line) for line in str(value).splitlines()), default=0)


def write(sheet: Any, row: int, col: int, cell: Cell, formats: dict[str, Any]) -> None:
    how, value, style = cell
    if how == "url" and sheet.hlink_count >= MAX_LINKS:
        how, value, style = text_cell(value)
    fmt = formats[style]
    if how == "number":
        sheet.write_number(row, col, value, fmt)
    elif how == "datetime":
        sheet.write_datetime(row, col, value, fmt)
    elif how == "url":
        sheet.write_url(row, col, value, fmt, string=value)
    else:
        sheet.write_string(row, col, value, fmt)


#: the workbook's creation date when the release has none yet (a candidate, never published)
UNDATED = dt.datetime(1980, 1, 1)


def naive_utc(created: str) -> dt.datetime:
    """The release's ``created`` as a naive UTC datetime (what xlsxwriter writes)."""
    if not created:
        return UNDATED
    moment = dt.datetime.fromisoformat(created)
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment
