"""The workbook's first sheets: « Synthèse » (how, when, where per appointment type, as the
site's home page says it) and « Lisez-moi » (what, which version, licence, source, how to read),
then the links between sheets and CSV files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from xlsxwriter.worksheet import Worksheet

from core import settings
from core.i18n import gettext as say
from core.i18n import title_of
from publish import layout
from publish.formats import table
from publish.formats.xlsx_cells import day_text, naive_utc, text_cell, write
from publish.formats.xlsx_sheet import ResourceSheet
from publish.formats.xlsx_words import (
    DICTIONARY_CONTENT,
    DICTIONARY_SHEET,
    PUBLISHED_AT,
    README_SHEET,
    README_TABLE,
    REFERENCE_FILES,
    SYNTHESIS_COLUMNS,
    SYNTHESIS_CONTENT,
    SYNTHESIS_INTRO,
    SYNTHESIS_SHEET,
    how_to_read,
)
from schemas import registry


def write_synthesis(
    book: Any,
    formats: dict[str, Any],
    title: str,
    rows: Sequence[Sequence[str]],
    sheet_class: type[Worksheet] = Worksheet,
) -> None:
    """One row per booking modality of each type (``Wording.synthesis``), under a title and a
    sentence; the headings are frozen and carry the filter. On a ``ResourceSheet``
    (``sheet_class``), the rows' texts are stored in bulk, as ``write`` would store them."""
    sheet = book.add_worksheet(say(SYNTHESIS_SHEET), worksheet_class=sheet_class)
    sheet.write_string(0, 0, text_cell(title)[1], formats["heading"])
    sheet.write_string(1, 0, say(SYNTHESIS_INTRO), formats["label"])
    first = 3
    for col, (heading, width) in enumerate(SYNTHESIS_COLUMNS):
        sheet.write_string(first, col, say(heading), formats["title"])
        sheet.set_column(col, col, width)
    cells = [[text_cell(value) if value else None for value in values] for values in rows]
    if isinstance(sheet, ResourceSheet) and first + len(rows) < sheet.xls_rowmax:
        writers = {("string", style): (sheet.write_string, fmt) for style, fmt in formats.items()}
        sheet.put_rows(enumerate(cells, first + 1), formats, writers)
    else:
        for offset, row_cells in enumerate(cells, first + 1):
            for col, written in enumerate(row_cells):
                if written is not None:
                    write(sheet, offset, col, written, formats)
    sheet.freeze_panes(first + 1, 1)
    sheet.autofilter(first, 0, first + max(len(rows), 1), len(SYNTHESIS_COLUMNS) - 1)


def _published(created: str) -> str:
    if not created:
        return ""
    moment = naive_utc(created)
    return say(PUBLISHED_AT).format(day=day_text(moment.date()), time=moment.strftime("%H:%M"))


def _observed(value: Any) -> str:
    """The source's observed day as jj/mm/aaaa (its text when it is not an ISO day)."""
    try:
        return day_text(dt.date.fromisoformat(str(value)[:10]))
    except ValueError:
        return str(value or "")


def _readme_lines(version: str, created: str, source: Mapping[str, Any]) -> list[tuple[str, str]]:
    licence = settings.PACKAGE_LICENSE
    observed = source.get("observed")
    return [
        (say("Version"), version),
        (say("Publiée le"), _published(created)),
        (say("Description"), say(settings.PACKAGE_DESCRIPTION)),
        (say("Licence"), say("{title} : {path}").format(**licence)),
        (say("Source"), str(source.get("title") or "")),
        (say("Adresse de la source"), str(source.get("path") or "")),
        (say("Source observée le"), _observed(observed) if observed else ""),
        (say("Comment lire"), how_to_read()),
        (say("Fichiers de référence"), say(REFERENCE_FILES)),
    ]


def _sheet_rows(
    rows: Mapping[str, list[dict[str, Any]]], sheets: Mapping[str, str]
) -> list[tuple[str, str, int | None, str]]:
    """The readme's table: each sheet, what it holds, its rows and its CSV file."""
    listed: list[tuple[str, str, int | None, str]] = [
        (say(SYNTHESIS_SHEET), say(SYNTHESIS_CONTENT), None, "")
    ]
    for name in registry.RESOURCE_ORDER:
        meta = registry.resource_meta(name)
        listed.append(
            (
                sheets[name],
                say("{title} : {description}").format(
                    title=title_of(meta["title"]), description=title_of(meta["description"])
                ),
                len(rows.get(name, [])),
                layout.data_file(name, table.CSV.suffix),
            )
        )
    listed.append((say(DICTIONARY_SHEET), say(DICTIONARY_CONTENT), None, ""))
    return listed


def write_readme(
    book: Any,
    formats: dict[str, Any],
    rows: Mapping[str, list[dict[str, Any]]],
    meta: Mapping[str, Any],
    sheets: Mapping[str, str],
) -> None:
    """``meta``: the package's ``title``, ``version``, ``created`` and ``source``."""
    sheet = book.add_worksheet(say(README_SHEET))
    for col, width in enumerate((26, 90, 10, 32)):
        sheet.set_column(col, col, width)
    sheet.write_string(0, 0, text_cell(meta["title"])[1], formats["heading"])
    row = 2
    for label, value in _readme_lines(meta["version"], meta["created"], meta["source"]):
        sheet.write_string(row, 0, label, formats["label"])
        write(sheet, row, 1, text_cell(value), formats)
        row += 1
    row += 1
    for col, heading in enumerate(README_TABLE):
        sheet.write_string(row, col, say(heading), formats["title"])
    for name, content, count, path in _sheet_rows(rows, sheets):
        row += 1
        sheet.write_string(row, 0, name, formats["text"])
        sheet.write_string(row, 1, content, formats["text"])
        if count is not None:
            sheet.write_number(row, 2, count, formats["integer"])
        if path:
            sheet.write_string(row, 3, path, formats["text"])
