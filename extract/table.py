"""Find the appointment table in a page and turn it into a RawTable (rowspan/colspan resolved)."""

from __future__ import annotations

from dataclasses import replace

from bs4 import BeautifulSoup, Tag

from core.errors import LayoutError
from core.settings import EXPECTED_HEADER, HEADER_MIN_MATCHES, HTML_PARSER
from extract.cells import DROPPED_TAGS, cell_from_tag, normalise_space
from extract.model import RawCell, RawTable

MAX_SPAN = 1000  # a larger rowspan/colspan is taken as 1: no real table spans that far

Slot = tuple[Tag | None, tuple[int, int] | None]  # (cell tag, or None and the origin it repeats)


def looks_like_header(texts: list[str]) -> bool:
    return sum(1 for t in texts if t in EXPECTED_HEADER) >= HEADER_MIN_MATCHES


def check_header(found: list[str]) -> None:
    """Raise a LayoutError naming the difference unless ``found`` is exactly the expected header."""
    expected = list(EXPECTED_HEADER)
    if found == expected:
        return
    missing = [h for h in expected if h not in found]
    added = [h for h in found if h not in expected]
    if len(missing) == 1 and len(added) == 1 and len(found) == len(expected):
        col = found.index(added[0]) + 1
        problem = f"column {col} is {added[0]!r} where {missing[0]!r} was expected (renamed?)"
    elif missing or added:
        parts = []
        if missing:
            parts.append("missing " + ", ".join(repr(h) for h in missing))
        if added:
            parts.append("unexpected " + ", ".join(repr(h) for h in added))
        problem = "; ".join(parts)
    elif len(found) != len(set(found)):
        dupes = sorted({h for h in found if found.count(h) > 1})
        problem = "repeated " + ", ".join(repr(h) for h in dupes)
    else:
        problem = "columns reordered: " + " | ".join(found)
    raise LayoutError(f"header drift: {problem}; expected exactly: " + " | ".join(expected))


def _span(tag: Tag, attr: str) -> int:
    try:
        value = int(str(tag.get(attr, "1")).strip())
    except ValueError:
        return 1
    return value if 1 <= value <= MAX_SPAN else 1


def _rows(table: Tag) -> list[Tag]:
    """The table's own rows (not those of tables nested in its cells)."""
    rows: list[Tag] = []
    for child in table.find_all(recursive=False):
        if child.name == "tr":
            rows.append(child)
        elif child.name in ("thead", "tbody", "tfoot"):
            rows.extend(child.find_all("tr", recursive=False))
    return rows


def grid(rows: list[Tag]) -> list[list[Slot]]:
    """Lay the cells out on a grid: a spanning cell fills every slot it covers."""
    pending: dict[tuple[int, int], tuple[int, int]] = {}
    out: list[list[Slot]] = []
    for r, tr in enumerate(rows):
        line: list[Slot] = []
        c = 0
        for tag in tr.find_all(["td", "th"], recursive=False):
            while (r, c) in pending:
                line.append((None, pending.pop((r, c))))
                c += 1
            rowspan, colspan = _span(tag, "rowspan"), _span(tag, "colspan")
            line.append((tag, None))
            line.extend((None, (r, c)) for _ in range(colspan - 1))
            for dr in range(1, rowspan):
                for dc in range(colspan):
                    pending[(r + dr, c + dc)] = (r, c)
            c += colspan
        while (r, c) in pending:
            line.append((None, pending.pop((r, c))))
            c += 1
        out.append(line)
    return out


def is_hidden(tag: Tag) -> bool:
    """True when ``tag`` is not shown: the ``hidden`` attribute, ``display:none`` or
    ``visibility:hidden`` in its style, or an element whose content is never text."""
    if tag.name in DROPPED_TAGS or tag.has_attr("hidden"):
        return True
    style = "".join(str(tag.get("style", "")).split()).lower()
    return "display:none" in style or "visibility:hidden" in style


def _is_shown(table: Tag) -> bool:
    """True unless the table or one of its ancestors is hidden."""
    return not is_hidden(table) and not any(
        is_hidden(parent) for parent in table.parents if isinstance(parent, Tag)
    )


def _header_row(table: Tag) -> int | None:
    """The index of the table's first row that looks like the header, or None."""
    for index, tr in enumerate(_rows(table)):
        texts = [normalise_space(c.get_text(" ")) for c in tr.find_all(["td", "th"])]
        if looks_like_header(texts):
            return index
    return None


def _find_table(soup: BeautifulSoup) -> tuple[Tag, int]:
    """The one shown table carrying the header: a hidden decoy is skipped, and two candidates
    are refused rather than one chosen."""
    found = [
        (table, index)
        for table in soup.find_all("table")
        if (index := _header_row(table)) is not None and _is_shown(table)
    ]
    if len(found) > 1:
        count = "two" if len(found) == 2 else str(len(found))
        raise LayoutError(
            f"{count} tables carry the expected header (a row with "
            + " | ".join(EXPECTED_HEADER)
            + "); which one is the table cannot be told"
        )
    if not found:
        raise LayoutError(
            "no table with the expected header found (looked for a row with "
            + " | ".join(EXPECTED_HEADER)
            + ")"
        )
    return found[0]


class TableRows:
    """A table's data rows as they are read, in order (both forms): a row of empty cells is no
    row (a blank line); a row of the wrong width, one repeating the header and a duplicate are
    refused, each naming its data row."""

    def __init__(self) -> None:
        self.rows: list[tuple[RawCell, ...]] = []
        self.seen: dict[tuple[str, ...], int] = {}  # row texts -> data row, to refuse duplicates

    def add(self, row: tuple[RawCell, ...]) -> int | None:
        """The row's data row number (1-based), or None when it is blank."""
        if all(cell.is_empty for cell in row):
            return None
        data_row = len(self.rows) + 1
        width = len(EXPECTED_HEADER)
        if len(row) != width:
            raise LayoutError(f"row {data_row} has {len(row)} cells, expected {width}")
        texts = tuple(cell.text for cell in row)
        if texts == EXPECTED_HEADER:
            raise LayoutError(f"row {data_row} repeats the header inside the table body")
        if texts in self.seen:
            raise LayoutError(f"row {data_row} repeats row {self.seen[texts]} (duplicated row)")
        self.seen[texts] = data_row
        self.rows.append(row)
        return data_row


def parse_html_table(text: str) -> RawTable:
    """Parse a page holding the table; rows before the header row (captions) are ignored."""
    soup = BeautifulSoup(text, HTML_PARSER)
    table, header_index = _find_table(soup)
    slots = grid(_rows(table))
    header = [normalise_space(tag.get_text(" ")) if tag else "" for tag, _ in slots[header_index]]
    check_header(header)

    cells: dict[tuple[int, int], RawCell] = {}
    data_row_of: dict[int, int] = {}  # grid row -> source_row
    accepted = TableRows()
    for r in range(header_index + 1, len(slots)):
        row: list[RawCell] = []
        for c, (tag, origin) in enumerate(slots[r]):
            if tag is not None:
                cell = cell_from_tag(tag)
            else:
                assert origin is not None
                source = cells.get(origin)
                where = (data_row_of.get(origin[0], 0), origin[1])
                cell = replace(source, spanned_from=where) if source else RawCell("", "")
            cells[(r, c)] = cell
            row.append(cell)
        data_row = accepted.add(tuple(row))
        if data_row is not None:
            data_row_of[r] = data_row
    rows = accepted.rows
    caption = table.find("caption")
    title = normalise_space(caption.get_text(" ")) if isinstance(caption, Tag) else None
    if title is None and soup.title is not None:
        title = normalise_space(soup.title.get_text(" ")) or None
    return RawTable(header=tuple(header), rows=tuple(rows), form="html", title=title)
