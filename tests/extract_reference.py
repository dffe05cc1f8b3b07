"""The tab-separated export as extraction read it before it parsed its cells directly: the
reference that ``extract.export.export_table`` must match (``tests/test_export_reference.py``).

The export was made into an HTML table whose cells held their markup as escaped text, that table
parsed by BeautifulSoup, and each cell's text (its markup, unescaped) parsed on its own. This is
that code, unchanged but for the names.
"""

from __future__ import annotations

import html
import unicodedata
from dataclasses import replace

from bs4 import BeautifulSoup, Tag

from core.errors import LayoutError
from core.settings import EXPECTED_HEADER, HTML_PARSER
from extract.cells import normalise_space
from extract.export import _too_long, cell_problem, check_header, find_header_line, lines_of
from extract.model import RawCell, RawTable
from extract.table import _find_table, _rows, grid


def export_to_html(text: str) -> tuple[str, str | None]:
    """The export as an HTML table whose cells hold their source HTML as escaped text, and its
    title line (None when absent)."""
    lines = lines_of(text)
    header_index = find_header_line(lines)
    if header_index is None:
        raise LayoutError("no header line found in the tab-separated export")
    header = [" ".join(c.split()) for c in lines[header_index].split("\t")]
    check_header(header)
    title = next((" ".join(x.split()) for x in lines[:header_index] if x.strip()), None)
    width = len(EXPECTED_HEADER)
    out = ["<table><tr>", *(f"<th>{html.escape(h)}</th>" for h in header), "</tr>"]
    row_number = 0
    for line in lines[header_index + 1 :]:
        if not line.strip():
            continue  # blank lines are not table rows
        row_number += 1
        cells = line.split("\t")
        if len(cells) != width:
            raise LayoutError(f"row {row_number} has {len(cells)} cells, expected {width}")
        for column, cell in zip(header, cells, strict=True):
            problem = _too_long(cell) or cell_problem(cell)
            if problem:
                raise LayoutError(f"row {row_number}, column {column!r}: {problem}")
        out.append("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in cells) + "</tr>")
    out.append("</table>")
    return "".join(out), title


def parse_export_table(text: str, read_cell: object) -> RawTable:
    """``parse_html_table(text, form="export")``: each cell's text read by ``read_cell``."""
    soup = BeautifulSoup(text, HTML_PARSER)
    table, header_index = _find_table(soup)
    slots = grid(_rows(table))
    header = [normalise_space(tag.get_text(" ")) if tag else "" for tag, _ in slots[header_index]]
    check_header(header)
    width = len(EXPECTED_HEADER)

    cells: dict[tuple[int, int], RawCell] = {}
    data_row_of: dict[int, int] = {}  # grid row -> source_row
    seen: dict[tuple[str, ...], int] = {}  # row texts -> source_row, to refuse duplicates
    rows: list[tuple[RawCell, ...]] = []
    for r in range(header_index + 1, len(slots)):
        line = slots[r]
        row: list[RawCell] = []
        for c, (tag, origin) in enumerate(line):
            if tag is not None:
                assert isinstance(tag, Tag) and callable(read_cell)
                cell = read_cell(tag.get_text())
            else:
                assert origin is not None
                source = cells.get(origin)
                where = (data_row_of.get(origin[0], 0), origin[1])
                cell = replace(source, spanned_from=where) if source else RawCell("", "")
            cells[(r, c)] = cell
            row.append(cell)
        if all(cell.is_empty for cell in row):
            continue  # a blank line is not a table row
        data_row = len(rows) + 1
        if len(row) != width:
            raise LayoutError(f"row {data_row} has {len(row)} cells, expected {width}")
        texts = tuple(cell.text for cell in row)
        if list(texts) == list(EXPECTED_HEADER):
            raise LayoutError(f"row {data_row} repeats the header inside the table body")
        if texts in seen:
            raise LayoutError(f"row {data_row} repeats row {seen[texts]} (duplicated row)")
        seen[texts] = data_row
        data_row_of[r] = data_row
        rows.append(tuple(row))
    caption = table.find("caption")
    title = normalise_space(caption.get_text(" ")) if isinstance(caption, Tag) else None
    if title is None and soup.title is not None:
        title = normalise_space(soup.title.get_text(" ")) or None
    return RawTable(header=tuple(header), rows=tuple(rows), form="export", title=title)


def reference_export_table(text: str, read_cell: object) -> RawTable:
    """``parse_text`` of an export as it was: NFC, the HTML table, its cells read."""
    text = unicodedata.normalize("NFC", text)
    table_html, title = export_to_html(text)
    return replace(parse_export_table(table_html, read_cell), title=title)
