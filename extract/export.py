"""The tab-separated export: a title line, a header line, one line per row of inline-HTML cells.

Each cell is its own piece of HTML: it is checked here, then parsed on its own, as a fragment,
with the same cell reader as a full page (``extract/cells.py``). So whatever one cell holds
(``</table>``, ``<!--``, ``<script>``) cannot reach another cell or the table's rows. An empty
first cell continues the type above (the export's rendering of a rowspan); the normaliser handles
both renderings the same way.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from html.parser import HTMLParser

from core.errors import LayoutError
from core.settings import EXPECTED_HEADER, HTML_PARSER, MAX_CELL_MARKUP
from extract.cells import DROPPED_TAGS, cell_from_tag, parse_fragment
from extract.fragment import plain_cell
from extract.model import RawCell, RawTable
from extract.table import TableRows, check_header, looks_like_header

#: export cells read once per process: a table repeats its cells (a channel, a remark, a place),
#: and each is parsed on its own
EXPORT_CELLS_CACHED = 4096
# elements that never have an end tag (``<br>``, ``<img>``): not counted as opened
VOID_TAGS = frozenset(
    "area base basefont bgsound br col embed frame hr img input keygen link meta param source "
    "track wbr".split()
)
# elements whose content is never read as text: left open, they hide the rest of the cell
HIDING_TAGS = (DROPPED_TAGS - VOID_TAGS) | {"noembed", "noframes", "plaintext", "xmp"}
# elements that make rows and cells: only allowed inside a table the cell opens itself
TABLE_PART_TAGS = frozenset("caption col colgroup tbody td tfoot th thead tr".split())


class _CellMarkup(HTMLParser):
    """Counts the elements a cell opens; refuses an end tag it did not open (``</td>``) and a
    row or cell opened outside a table of its own. ``problem`` is the first refusal, if any."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: Counter[str] = Counter()
        self.problem: str | None = None

    def refuse(self, problem: str) -> None:
        self.problem = self.problem or problem

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in TABLE_PART_TAGS and not self.open["table"]:
            self.refuse(f"the cell opens <{tag}> outside a table of its own")
        if tag not in VOID_TAGS:
            self.open[tag] += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)  # HTML ignores the slash: <script/> opens a script

    def handle_endtag(self, tag: str) -> None:
        if not self.open[tag]:
            self.refuse(f"the cell closes </{tag}>, which it did not open")
        self.open[tag] -= 1


def _unclosed_comment(markup: str) -> bool:
    start = markup.find("<!--")
    while start != -1:
        end = markup.find("-->", start + 4)
        if end == -1:
            return True
        start = markup.find("<!--", end + 3)
    return False


#: where a start or an end tag opens: « < » or « </ », then a letter
TAG_OPENING = re.compile(r"</?(?=[a-zA-Z])")


def without_unfinished_tags(markup: str) -> str:
    """``markup`` with each tag opening after its last « > » written as text (``&lt;``). No such
    tag can end, and html.parser takes each for text in the end, as this does, but only after
    scanning from it to the end of the cell: quadratic in a cell made of them (« <c .1/<c .1/… »,
    found by ``tests/test_linear_time.py``).

    A marked section « <![ » can change the check's answer: html.parser refuses one whose
    keyword is unknown, when it reaches it, and quotes the cell from it. An unfinished tag before
    it may take it in as text (« <b<![x[ »), which the tag written as text would not; and the
    quote shows what follows (« <![><b »). A cell with « <![ » is left as it is (its markup cap
    bounds the work)."""
    last = markup.rfind(">")
    tail = markup[last + 1 :]
    if "<" not in tail or "<![" in markup:
        return markup
    return markup[: last + 1] + TAG_OPENING.sub(lambda m: "&lt;" + m.group()[1:], tail)


@functools.lru_cache(maxsize=4096)  # a function of the text, and a table repeats its cells
def cell_problem(markup: str) -> str | None:
    """Why one export cell's markup is refused (it would hide text or escape its cell), or None."""
    return markup_problem(markup, without_unfinished_tags(markup))


def markup_problem(markup: str, read: str) -> str | None:
    """``cell_problem`` of ``markup``, html.parser given ``read`` (the markup as it is, or its
    unfinished tags written as text: the same answer, ``tests/test_cell_markup_reference.py``)."""
    if _unclosed_comment(markup):
        return "the cell opens a comment <!-- it does not close, which would hide the text after it"
    parser = _CellMarkup()
    try:
        parser.feed(read)
        parser.close()
    except AssertionError as exc:  # html.parser's way to refuse e.g. an unknown <![x[ section
        return f"the cell holds markup that cannot be read ({exc})"
    if parser.problem:
        return parser.problem
    hiding = sorted(tag for tag in HIDING_TAGS if parser.open[tag] > 0)
    if hiding:
        return f"the cell leaves <{hiding[0]}> unclosed, which would hide the text after it"
    return None


def _too_long(markup: str) -> str | None:
    """A cell's markup over the cap is refused before it is parsed: parsing is linear, but a
    dense one would hold the publish lock for a minute (its text has a cap of its own)."""
    if len(markup) > MAX_CELL_MARKUP:
        return (
            f"the cell holds {len(markup)} characters of markup, over the "
            f"{MAX_CELL_MARKUP}-character cap"
        )
    return None


def find_header_line(lines: list[str]) -> int | None:
    for index, line in enumerate(lines):
        if "\t" in line and looks_like_header([c.strip() for c in line.split("\t")]):
            return index
    return None


def export_lines(text: str) -> tuple[list[list[str]], str | None]:
    """The export's rows (each a list of its cells' markup, blank lines left out) and its title
    line (None when absent), every cell checked: the first refused names its row and column."""
    lines = lines_of(text)
    header_index = find_header_line(lines)
    if header_index is None:
        raise LayoutError("no header line found in the tab-separated export")
    header = [" ".join(c.split()) for c in lines[header_index].split("\t")]
    check_header(header)
    title = next((" ".join(x.split()) for x in lines[:header_index] if x.strip()), None)
    width = len(EXPECTED_HEADER)
    rows: list[list[str]] = []
    for line in lines[header_index + 1 :]:
        if not line.strip():
            continue  # blank lines are not table rows
        row_number = len(rows) + 1
        cells = line.split("\t")
        if len(cells) != width:
            raise LayoutError(f"row {row_number} has {len(cells)} cells, expected {width}")
        for column, cell in zip(header, cells, strict=True):
            problem = _too_long(cell) or cell_problem(cell)
            if problem:
                raise LayoutError(f"row {row_number}, column {column!r}: {problem}")
        rows.append(cells)
    return rows, title


@functools.lru_cache(maxsize=EXPORT_CELLS_CACHED)
def export_cell(markup: str) -> RawCell:
    """An export cell's HTML, parsed on its own: a function of its text alone (a RawCell is
    immutable), so a cell the table repeats is read once. A plain cell is read from lxml's tree
    (``extract/fragment.py``), any other from a BeautifulSoup of its own."""
    cell = plain_cell(markup)
    return cell if cell is not None else cell_from_tag(parse_fragment(markup, HTML_PARSER))


def export_table(text: str) -> RawTable:
    """The export's table: its rows read as a page's are (``TableRows``), once every cell is
    checked (``export_lines``)."""
    lines, title = export_lines(text)
    accepted = TableRows()
    for cells in lines:
        accepted.add(tuple(export_cell(markup) for markup in cells))
    rows = tuple(accepted.rows)
    return RawTable(header=EXPECTED_HEADER, rows=rows, form="export", title=title)


def lines_of(text: str) -> list[str]:
    """The export's lines: split at line feeds only (``str.splitlines`` would also split at
    U+0085, U+2028, form feeds… inside a cell, and cut its row in two)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def is_export(text: str) -> bool:
    return find_header_line(lines_of(text)) is not None
