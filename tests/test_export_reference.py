"""The export read directly (``extract.export.export_table``) against the way it was read
before (``tests/extract_reference.py``: the export made into an HTML table, parsed, each cell's
text parsed on its own): for arbitrary exports (titles, blank lines, cells of any markup and
characters, rows of the wrong width, repeated headers, duplicated rows), the same table or the
same error."""

from __future__ import annotations

from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from core.errors import LayoutError
from core.settings import EXPECTED_HEADER
from extract import parse_text
from extract.export import export_cell
from extract.model import RawTable
from tests.extract_reference import reference_export_table

#: pieces of cell markup: void tags, entities, comments, sections, and characters an HTML
#: parser treats apart (controls, NBSP, U+FFFE…)
PIECES = [
    *["", " ", "  ", "\x0c", "\x0b", "\x00", "\x01", "\x1f", "\x7f", "\x85", "\xa0"],
    *["\u2028", "\ufeff", "\ufffe", "\uffff", "é", "e\u0301", "😀", "a", "Type 1"],
    *["&amp;", "&lt;b&gt;", "&#x202e;", "&nbsp;", "&bogus;", "&", "<", ">", '"', "'"],
    *["<br>", "<br/>", "<p>", "<li>", "<hr>", "<img src=x alt='y'>", "<!-- c -->", "<?pi x?>"],
    *["<script>a<b</script>", "<style>p{}</style>", "<![CDATA[x]]>", "<!DOCTYPE html>"],
]
#: elements, opened and closed around their content
ELEMENTS = [
    *[("<b>", "</b>"), ("<p>", "</p>"), ("<ul><li>", "</li></ul>"), ("<li>", "</li>")],
    *[("<a href='https://x.fr/a b'>", "</a>"), ('<a href="mailto:x@y.fr">', "</a>")],
    *[("<span style='display:none'>", "</span>"), ("<div class=' a  b'>", "</div>")],
    *[("<table><tr><td>", "</td></tr></table>"), ("<pre>", "</pre>")],
]
#: markup the export refuses in a cell (``cell_problem``)
REFUSED = ["<!--", "<script>", "</td>", "<td>", "</table>", "<style>", "<![x[", "<tr>", "</b>"]
text = st.text(st.characters(codec="utf-8", exclude_characters="\t\n\r"), max_size=4)
markup = st.recursive(
    st.sampled_from(PIECES) | text,
    lambda inner: st.tuples(st.sampled_from(ELEMENTS), st.lists(inner, max_size=3)).map(
        lambda made: made[0][0] + "".join(made[1]) + made[0][1]
    ),
    max_leaves=8,
)
cells = st.lists(markup, max_size=4).map("".join)


@st.composite
def rows(draw: Any) -> str:
    """A row of five cells, now and then of another width or with a cell the export refuses."""
    row = draw(st.lists(cells, min_size=5, max_size=5))
    choice = draw(st.integers(0, 19))
    if choice == 19:
        row = row[:4] if draw(st.booleans()) else [*row, ""]
    elif choice == 18:
        row[draw(st.integers(0, 4))] += draw(st.sampled_from(REFUSED))
    return "\t".join(row)


@st.composite
def exports(draw: Any) -> str:
    """A title, the header, and rows: some repeated, some the header, some blank."""
    lines = []
    if draw(st.booleans()):
        lines.append(draw(st.text(st.characters(codec="utf-8", exclude_characters="\t\n\r"))))
    lines.append("\t".join(EXPECTED_HEADER))
    for _ in range(draw(st.integers(0, 6))):
        choice = draw(st.integers(0, 9))
        if choice == 9 and len(lines) > 1:
            lines.append(draw(st.sampled_from(lines[1:])))  # a duplicated row (or the header)
        elif choice == 8:
            lines.append(draw(st.sampled_from(["", " ", "\t\t\t\t", "<br>\t\t\t\t"])))
        else:
            lines.append(draw(rows()))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return newline.join(lines)


def _read(read: Any, text: str) -> RawTable | str:
    try:
        return read(text)
    except LayoutError as exc:
        return f"LayoutError: {exc}"


@given(exports())
@example("\t".join(EXPECTED_HEADER) + "\n   \t<b>x</b>\tx\tx\tx")
@example("\t".join(EXPECTED_HEADER) + "\n\x00\t\x0c\tx\tx\tx")
@example("\t".join(EXPECTED_HEADER) + "\n<br>\t\t\t\t\nx\tx\tx\tx\tx\nx\tx\tx\tx\tx")
def test_the_export_read_directly_is_the_export_read_as_an_html_table(text: str) -> None:
    assert _read(parse_text, text) == _read(lambda t: reference_export_table(t, export_cell), text)
