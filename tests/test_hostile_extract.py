"""Hostile input to extraction: markup in one export cell cannot reach the cells after it, a
declared charset must be a text encoding, and a hidden decoy table is never read."""

from __future__ import annotations

import pytest

from core.errors import DecodeError, LayoutError
from core.settings import EXPECTED_HEADER
from extract import extract_table
from normalise import normalise

HEADER_LINE = "\t".join(EXPECTED_HEADER)
REMARKS, LOCATION, TYPE = "Remarques", "Lieu de rendez-vous", "Type de rendez-vous"


def edit_cell(seed_text: str, row: int, column: str, edit) -> bytes:
    """The export with data row ``row`` (1-based), column ``column`` replaced by ``edit(cell)``."""
    lines = seed_text.split("\n")
    header = lines.index(HEADER_LINE)
    data = [i for i in range(header + 1, len(lines)) if lines[i].strip()]
    cells = lines[data[row - 1]].split("\t")
    col = EXPECTED_HEADER.index(column)
    cells[col] = edit(cells[col])
    lines[data[row - 1]] = "\t".join(cells)
    return "\n".join(lines).encode("utf-8")


def append(seed_text: str, row: int, column: str, markup: str) -> bytes:
    return edit_cell(seed_text, row, column, lambda cell: cell + markup)


def texts(table) -> list[list[str]]:
    return [[cell.text for cell in row] for row in table.rows]


def refused(error: type[Exception], data: bytes) -> str:
    """The one-line message with which extraction (then normalisation) refuses ``data``."""
    with pytest.raises(error) as caught:
        normalise(extract_table(data))
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message
    return message


@pytest.fixture(scope="module")
def seed_table(seed_bytes):
    return extract_table(seed_bytes)


# --- 1. each export cell is parsed on its own ------------------------------------------------


def test_the_edit_helper_changes_only_the_cell_named(seed_text, seed_table):
    table = extract_table(append(seed_text, 5, REMARKS, "<p>fin</p>"))
    assert texts(table)[4][4] == "fin"
    assert texts(table)[:4] + texts(table)[5:] == texts(seed_table)[:4] + texts(seed_table)[5:]


def test_end_of_table_in_a_cell_does_not_drop_the_rows_after_it(seed_text):
    data = append(seed_text, 5, REMARKS, "fin</table>")
    message = refused(LayoutError, data)
    assert message == "row 5, column 'Remarques': the cell closes </table>, which it did not open"


@pytest.mark.parametrize("end", ["</td>", "</tr>", "</tbody>", "</div>", "</b>"])
def test_any_end_tag_the_cell_did_not_open_is_refused(seed_text, end):
    message = refused(LayoutError, append(seed_text, 3, TYPE, f"x{end}"))
    assert message == f"row 3, column '{TYPE}': the cell closes {end}, which it did not open"


def test_a_cell_cannot_split_its_line_into_two_rows(seed_text):
    fake = "x</td></tr><tr><td>Faux type</td><td>a</td><td>b</td><td>c</td><td>d"
    message = refused(LayoutError, append(seed_text, 4, REMARKS, fake))
    assert message == "row 4, column 'Remarques': the cell closes </td>, which it did not open"


@pytest.mark.parametrize("opened", ["<tr>", "<td>", "<th>", "<tbody>"])
def test_a_cell_cannot_open_rows_or_cells_of_the_table(seed_text, opened):
    message = refused(LayoutError, append(seed_text, 4, REMARKS, f"x{opened}Faux type"))
    assert message == (
        f"row 4, column 'Remarques': the cell opens {opened} outside a table of its own"
    )


def test_a_comment_cannot_run_from_one_cell_into_the_next(seed_text):
    data = edit_cell(seed_text, 2, LOCATION, lambda cell: cell + "<!--")
    data = edit_cell(data.decode("utf-8"), 2, REMARKS, lambda cell: "-->" + cell)
    message = refused(LayoutError, data)
    assert message == (
        "row 2, column 'Lieu de rendez-vous': the cell opens a comment <!-- it does not close, "
        "which would hide the text after it"
    )


@pytest.mark.parametrize("tag", ["script", "style", "iframe", "noscript", "template"])
def test_an_unclosed_hiding_element_is_refused(seed_text, tag):
    message = refused(LayoutError, append(seed_text, 1, LOCATION, f"<{tag}>"))
    assert message == (
        f"row 1, column 'Lieu de rendez-vous': the cell leaves <{tag}> unclosed, "
        "which would hide the text after it"
    )


def test_an_unclosed_comment_is_refused(seed_text):
    message = refused(LayoutError, append(seed_text, 1, LOCATION, "<!-- x"))
    assert message.startswith("row 1, column 'Lieu de rendez-vous': the cell opens a comment")


def test_an_unclosed_table_in_a_cell_stays_in_that_cell(seed_text, seed_table):
    """Unclosed start tags are legal HTML: closed at the end of their own cell, not later."""
    table = extract_table(append(seed_text, 3, REMARKS, "<table><b><u>"))
    assert texts(table) == texts(seed_table)
    assert normalise(table) == normalise(seed_table)


def test_unreadable_marked_section_is_a_layout_error(seed_text):
    message = refused(LayoutError, append(seed_text, 2, REMARKS, "<![foo[x]]>"))
    assert message.startswith("row 2, column 'Remarques': ")


def test_closed_scripts_and_comments_are_still_dropped(seed_text, seed_table):
    hostile = "<!-- note --><script>alert(1)</script><style>p{}</style>"
    table = extract_table(append(seed_text, 1, LOCATION, hostile))
    assert texts(table) == texts(seed_table)


# --- 2. a declared charset must be a text encoding -------------------------------------------


@pytest.mark.parametrize("charset", ["rot13", "base64", "hex", "zlib", "uu", "bz2", "quopri"])
def test_a_declared_charset_that_is_not_a_text_encoding_is_refused(page_text, charset):
    page = page_text.replace("charset=windows-1252", f"charset={charset}")
    assert page != page_text
    message = refused(DecodeError, page.encode("windows-1252"))
    assert message == f"the page declares charset '{charset}', which is not a text encoding"


def test_a_declared_charset_python_does_not_know_is_refused(page_text):
    page = page_text.replace("charset=windows-1252", "charset=x-no-such-charset")
    message = refused(DecodeError, page.encode("windows-1252"))
    assert message == "the source declares an unknown charset 'x-no-such-charset'"


def test_a_codec_that_fails_without_an_offset_is_a_decode_error(page_text):
    page = page_text.replace("charset=windows-1252", "charset=undefined")
    message = refused(DecodeError, page.encode("windows-1252"))
    assert message.startswith("the source cannot be decoded as undefined (declared): ")


# --- 3. a hidden decoy table is never read ---------------------------------------------------

REAL_TABLE = '<table class="rdv" border="1">'


def decoy(attributes: str) -> str:
    header = "".join(f"<th>{h}</th>" for h in EXPECTED_HEADER)
    row = "".join(f"<td>{c}</td>" for c in ("<b>Faux type</b>", "Faux", "Sans rendez-vous", "", ""))
    return f"<table {attributes}><tr>{header}</tr><tr>{row}</tr></table>"


HIDDEN = {
    "display-none": lambda: decoy('style="display:none"'),
    "display-none-spaced": lambda: decoy('style="color: red; DISPLAY : none !important"'),
    "hidden-attribute": lambda: decoy("hidden"),
    "visibility-hidden": lambda: decoy('style="visibility: hidden"'),
    "hidden-ancestor": lambda: f'<div style="display:none"><p>{decoy("")}</p></div>',
    "template-ancestor": lambda: f"<template>{decoy('')}</template>",
}


@pytest.mark.parametrize("how", sorted(HIDDEN))
def test_a_hidden_decoy_table_before_the_real_one_is_skipped(page_text, seed_table, how):
    assert REAL_TABLE in page_text
    page = page_text.replace(REAL_TABLE, HIDDEN[how]() + REAL_TABLE)
    table = extract_table(page.encode("windows-1252"))
    assert len(table.rows) == 9
    assert "Faux type" not in [row[0].text for row in table.rows]
    assert normalise(table) == normalise(seed_table)


@pytest.mark.parametrize("where", ["before", "after"])
def test_two_visible_tables_with_the_header_are_refused(page_text, where):
    visible = decoy('class="copie"')
    if where == "before":
        page = page_text.replace(REAL_TABLE, visible + REAL_TABLE)
    else:
        page = page_text.replace("</body>", visible + "</body>")
    assert page != page_text
    message = refused(LayoutError, page.encode("windows-1252"))
    assert message.startswith("two tables carry the expected header")
