"""An export cell read from lxml's tree (``extract.fragment.plain_cell``) against the cell read
from a BeautifulSoup of its own (``cells.cell_from_tag(parse_fragment(…))``, what the export did
for every cell before): for arbitrary cell markup, the same RawCell whenever ``plain_cell``
reads it; and it does read the cells of the bundled snapshot."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from core.settings import EXPECTED_HEADER, HTML_PARSER
from extract.cells import cell_from_tag, parse_fragment
from extract.fragment import plain_cell
from rdv_opendata.settings import DEFAULT_SOURCE
from tests.test_export_reference import PIECES

#: elements, opened (with attributes, some plain and some not) and closed around their content
ELEMENTS = [
    *[("<b>", "</b>"), ("<p>", "</p>"), ("<ul><li>", "</li></ul>"), ("<li>", "</li>")],
    *[("<a href='https://x.fr/a b'>", "</a>"), ('<a href="mailto:x@y.fr">', "</a>")],
    *[("<a href=' x &amp; y '>", "</a>"), ("<a>", "</a>"), ("<A HREF=x>", "</A>")],
    *[("<span style='display:none'>", "</span>"), ("<div class=' a  b'>", "</div>")],
    *[("<span title='a \"q\"'>", "</span>"), ('<em id="x<y>">', "</em>"), ("<h2>", "</h2>")],
    *[("<ol>", "</ol>"), ("<pre>", "</pre>"), ("<table><tr><td>", "</td></tr></table>")],
    *[("<strong>", "</strong>"), ("<i>", "</i>"), ("<u>", "</u>"), ("<font color=red>", "</font>")],
]
WORDS = [" ", "  ", "\n", "\t", "\x0c", " \n ", "Lundi", "9h", "d'accord", "«", "»", "&amp;"]
text = st.text(st.characters(codec="utf-8", exclude_characters="\t\n\r"), max_size=4)
markup = st.recursive(
    st.sampled_from(PIECES + WORDS) | text,
    lambda inner: st.tuples(st.sampled_from(ELEMENTS), st.lists(inner, max_size=3)).map(
        lambda made: made[0][0] + "".join(made[1]) + made[0][1]
    ),
    max_leaves=10,
)
cells = st.lists(markup, max_size=5).map("".join)


def _by_beautifulsoup(cell: str) -> object:
    return cell_from_tag(parse_fragment(cell, HTML_PARSER))


@given(cells)
@example("  x  <b> y </b>  ")
@example("<ul> <li>a<ul><li>b</li></ul> c</li> </ul> d<br>e")
@example("<a href='x'>l<b> i </b>n</a>k<a href='y'></a>")
@example("<b>" * 255 + "x")  # lxml's tree stops at a depth of 256, BeautifulSoup's does not
@example("<b>" * 300 + "x")
@example("<p>x</p>" * 150)
def test_a_plain_cell_is_read_as_beautifulsoup_reads_it(cell: str) -> None:
    read = plain_cell(cell)
    if read is not None:
        assert read == _by_beautifulsoup(cell)


def test_the_snapshot_s_cells_are_plain() -> None:
    """The fast way is the way the tables take: every cell of the bundled snapshot."""
    lines = DEFAULT_SOURCE.read_text(encoding="utf-8").split("\n")
    start = next(n for n, line in enumerate(lines) if line.startswith(EXPECTED_HEADER[0]))
    found = {c for line in lines[start + 1 :] if line.count("\t") == 4 for c in line.split("\t")}
    assert all(plain_cell(cell) == _by_beautifulsoup(cell) for cell in found)
