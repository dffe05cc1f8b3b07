"""The worksheet of a resource sheet (``publish.formats.xlsx``): xlsxwriter's own, with its
per-cell paths taken in bulk, for the 10,000-row workbooks where they were most of the time; and
the workbook, whose shared texts are put in XML in bulk.

- ``put_rows`` stores a row's text and integer cells as ``write_string`` and ``write_number``
  store them (a shared text's number given in the order the cells come, as xlsxwriter numbers
  them), without a call through the A1-notation wrapper and a dimension check per cell: the
  sheet's dimensions are widened once, to the same bounds. Any other cell goes through its
  writer, in its turn;
- ``_write_rows`` writes the rows of a sheet without row options (heights, formats, comments)
  as xlsxwriter's does: a row's ``spans`` (the columns used by its block of 16 rows), then its
  cells in column order, the most common (a shared text, a number or a date, with a format)
  put in XML as ``Worksheet._write_cell`` puts them, without its general path (a list of
  attributes, each escaped, per cell; these attributes, a cell's reference and a style's
  number, never need escaping); any other cell by ``Worksheet._write_cell``.

``Book`` is xlsxwriter's workbook whose shared texts (``xl/sharedStrings.xml``: one ``<si>`` per
distinct text) are put in XML as ``SharedStrings._write_si`` puts them, a text that needs
nothing of it (no escape, no control character, no space to preserve) without its four regular
expressions and calls: the others by ``_write_si``.

These are private parts of xlsxwriter: ``publish.formats.xlsx`` uses them only with the version
they were checked against (``CHECKED_XLSXWRITER``). ``tests/publish/formats/test_xlsx_fast.py``
compares every workbook with one made of xlsxwriter's own worksheets, written cell by cell: the
same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from xlsxwriter.packager import Packager
from xlsxwriter.sharedstrings import SharedStrings
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import (
    CellDatetimeTuple,
    CellNumberTuple,
    CellStringTuple,
    Worksheet,
)

from publish.formats.xlsx_cells import Cell

_PLAIN_CELLS = (CellStringTuple, CellNumberTuple, CellDatetimeTuple)
#: how a cell of another kind is written: (how, style) -> (the sheet's writer, its format)
Writers = Mapping[tuple[str, str], tuple[Any, Any]]


class ResourceSheet(Worksheet):
    """xlsxwriter's worksheet, its common cells stored and written in bulk (see the module)."""

    def put_rows(
        self,
        rows: Iterable[tuple[int, Sequence[Cell | None]]],
        formats: Mapping[str, Any],
        writers: Writers,
    ) -> None:
        """Each row's cells (``(row, cells)``, a cell's column its place, None: no cell), row
        after row, as their writers would store them; then the sheet's dimensions widened to
        the cells stored. The rows and columns are within the sheet's bounds (the caller
        checks: beyond them a writer skips the cell)."""
        first_row = last_row = first_col = last_col = -1
        for row, cells in rows:
            stored = self._put_row(row, cells, formats, writers)
            if stored is None:
                continue
            if first_row < 0:
                first_row, first_col, last_col = row, *stored
            last_row = row
            first_col, last_col = min(first_col, stored[0]), max(last_col, stored[1])
        if first_row >= 0:
            self._check_dimensions(first_row, first_col)
            self._check_dimensions(last_row, last_col)

    def _put_row(
        self, row: int, cells: Sequence[Cell | None], formats: Mapping[str, Any], writers: Writers
    ) -> tuple[int, int] | None:
        """The row's cells stored; the first and last column of those stored here (None:
        none), the others written by their writers."""
        first = last = -1
        half = self.xls_strmax // 2  # a shorter text is never cut
        for col, written in enumerate(cells):
            if written is None:
                continue
            how, value, style = written
            if how == "string" and type(value) is str and len(value) <= half:
                number = self.str_table.string_table.get(value)
                if number is None:
                    number = self.str_table._get_shared_string_index(value)
                else:  # what _get_shared_string_index does for a text it has
                    self.str_table.count += 1
                stored: Any = CellStringTuple(number, formats[style])
            elif how == "number" and type(value) is int:
                stored = CellNumberTuple(value, formats[style])
            else:
                writer, fmt = writers[how, style]
                writer(row, col, value, fmt)
                continue
            self.table[row][col] = stored
            if first < 0:
                first = col
            last = col
        return (first, last) if first >= 0 else None

    def _write_rows(self) -> None:
        if self.row_info or self.comments or not self._default_rows():
            super()._write_rows()
            return
        table, write = self.table, self.fh.write
        rows = sorted(row for row, cells in table.items() if cells)
        spans = _spans(table, rows)
        names = {col: xl_col_to_name(col) for col in range(self.dim_colmin, self.dim_colmax + 1)}
        styles: dict[int, int] = {}  # a format's number, by its id (said once per format)
        for row in rows:
            cells, number = table[row], row + 1
            write(f'<row r="{number}" spans="{spans[row // 16]}">')
            for col in sorted(cells):
                cell = cells[col]
                kind, fmt = type(cell), cell.format
                if fmt is None or kind not in _PLAIN_CELLS:
                    super()._write_cell(row, col, cell)
                    continue
                style = styles.get(id(fmt)) or styles.setdefault(id(fmt), fmt._get_xf_index())
                if kind is CellStringTuple:
                    write(f'<c r="{names[col]}{number}" s="{style}" t="s"><v>{cell.string}</v></c>')
                else:
                    write(f'<c r="{names[col]}{number}" s="{style}"><v>{cell.number:.16G}</v></c>')
            write("</row>")

    def _default_rows(self) -> bool:
        """Whether a row without options has no attribute but its number and spans."""
        return (
            not self.constant_memory
            and self.excel_version != 2010
            and self.default_row_height == self.original_row_height
        )


def _spans(table: Mapping[int, Mapping[int, Any]], rows: list[int]) -> dict[int, str]:
    """Per block of 16 rows, the first and last column its cells use, counted from 1
    (``Worksheet._calculate_spans``)."""
    spans: dict[int, tuple[int, int]] = {}
    for row in rows:
        low, high = min(table[row]), max(table[row])
        block = row // 16
        if block in spans:
            low, high = min(low, spans[block][0]), max(high, spans[block][1])
        spans[block] = (low, high)
    return {block: f"{low + 1}:{high + 1}" for block, (low, high) in spans.items()}


#: what ``SharedStrings._write_si`` changes in a text or says about it: an escape's look-alike,
#: a control character or a non-character (escaped as ``_xHHHH_``), a space to preserve at
#: either end (its own expressions), a character XML escapes (a double quote and a line break
#: are not escaped in text), the start of a rich text
_NEEDS_CARE = re.compile(r"_x[0-9a-fA-F]{4}_|[\x00-\x08\x0b-\x1f\ufffe\uffff&<>]|^\s|\s$")


class _SharedTexts(SharedStrings):
    def _write_sst_strings(self) -> None:
        needs_care, write = _NEEDS_CARE.search, self.fh.write
        for string in self.string_table.string_array:
            if needs_care(string) is None:
                write(f"<si><t>{string}</t></si>")
            else:
                self._write_si(string)


class _Packager(Packager):
    def _write_shared_strings_file(self) -> None:
        """``Packager._write_shared_strings_file`` with ``_SharedTexts``."""
        sst = _SharedTexts()
        sst.string_table = self.workbook.str_table
        if not self.workbook.str_table.count:
            return
        sst._set_xml_writer(self._filename("xl/sharedStrings.xml"))
        sst._assemble_xml_file()


class Book(Workbook):
    """xlsxwriter's workbook, its shared texts put in XML by ``_SharedTexts``."""

    def _get_packager(self) -> Packager:
        return _Packager()
