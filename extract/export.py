"""The tab-separated export: a title line, a header line, one line per row of inline-HTML cells.

It is turned into the equivalent HTML table and read by the same code as a full page, so both
forms yield the same cells by construction. An empty first cell continues the type above (the
export's rendering of a rowspan); the normaliser handles both renderings the same way.
"""

from __future__ import annotations

import html

from extract.table import check_header, looks_like_header
from rdv_opendata.errors import LayoutError
from rdv_opendata.settings import EXPECTED_HEADER


def find_header_line(lines: list[str]) -> int | None:
    for index, line in enumerate(lines):
        if "\t" in line and looks_like_header([c.strip() for c in line.split("\t")]):
            return index
    return None


def export_to_html(text: str) -> tuple[str, str | None]:
    """The export as an HTML table, and its title line (None when absent)."""
    lines = text.splitlines()
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
        out.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    out.append("</table>")
    return "".join(out), title


def is_export(text: str) -> bool:
    return find_header_line(text.splitlines()) is not None
