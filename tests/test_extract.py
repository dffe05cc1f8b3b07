"""Extraction: decoding, both forms of the table, and layout drift as errors."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from core.errors import DecodeError, LayoutError
from core.settings import EXPECTED_HEADER, HTML_PARSER
from extract import decode, extract_table, parse_text
from extract.table import grid
from normalise import normalise

HEADER_LINE = "\t".join(EXPECTED_HEADER)


# --- decoding --------------------------------------------------------------------------------


def test_utf8_without_declaration_is_decoded_as_utf8(seed_bytes):
    decoded = decode(seed_bytes)
    assert (decoded.encoding, decoded.how) == ("utf-8", "fallback")


def test_windows_1252_without_declaration_falls_back():
    decoded = decode("Préfecture «x»".encode("windows-1252"))
    assert decoded.text == "Préfecture «x»"
    assert (decoded.encoding, decoded.how) == ("cp1252", "fallback")


def test_declared_charset_wins(page_bytes):
    decoded = decode(page_bytes)
    assert (decoded.encoding, decoded.how) == ("cp1252", "declared")
    assert "Préfecture" in decoded.text


def test_bom_is_honoured():
    decoded = decode(b"\xef\xbb\xbfPr\xc3\xa9fecture")
    assert (decoded.text, decoded.how) == ("Préfecture", "bom")


def test_undecodable_bytes_in_declared_charset_fail_with_offset():
    data = b'<meta charset="utf-8"><p>caf\xe9</p>'
    with pytest.raises(DecodeError, match=r"not valid utf-8 \(declared\): byte 0xe9 at offset"):
        decode(data)


def test_bytes_neither_utf8_nor_windows_1252_fail():
    with pytest.raises(DecodeError, match="neither UTF-8 nor windows-1252"):
        decode(b"abc \x81\x8d")


def test_unknown_declared_charset_fails():
    with pytest.raises(DecodeError, match="unknown charset 'klingon'"):
        decode(b'<meta charset="klingon"><table></table>')


# --- both forms ------------------------------------------------------------------------------


def test_export_and_html_page_give_identical_data(seed_bytes, page_bytes):
    export, page = extract_table(seed_bytes), extract_table(page_bytes)
    assert (export.form, page.form) == ("export", "html")
    assert [[c.text for c in row] for row in export.rows] == [
        [c.text if c.spanned_from is None else "" for c in row] for row in page.rows
    ]
    assert normalise(export) == normalise(page)


def test_html_page_in_utf8_gives_the_same_data(seed_bytes, page_text):
    utf8_page = page_text.replace("charset=windows-1252", "charset=utf-8").encode("utf-8")
    table = extract_table(utf8_page)
    assert (table.encoding, table.encoding_source) == ("utf-8", "declared")
    assert normalise(table) == normalise(extract_table(seed_bytes))


def test_other_tables_on_the_page_are_ignored(page_text):
    table = parse_text(page_text)
    assert table.header == EXPECTED_HEADER
    assert len(table.rows) == 9
    assert all("Mise à jour" not in cell.text for row in table.rows for cell in row)


def test_rowspan_and_colspan_fill_the_grid():
    soup = BeautifulSoup(
        "<table><tr><td rowspan=2>A</td><td colspan=2>B</td></tr><tr><td>C</td><td>D</td></tr>"
        "</table>",
        HTML_PARSER,
    )
    rows = soup.find_all("tr")
    slots = grid(rows)
    assert [[(t.get_text() if t else None, origin) for t, origin in line] for line in slots] == [
        [("A", None), ("B", None), (None, (0, 1))],
        [(None, (0, 0)), ("C", None), ("D", None)],
    ]


def test_spanned_first_cell_continues_the_type(page_text):
    table = parse_text(page_text)
    assert table.rows[8][0].spanned_from == (8, 0)
    assert table.rows[8][0].text == table.rows[7][0].text


def test_blank_lines_are_not_rows(seed_text):
    spaced = seed_text.replace("\n<b>Renouvellements", "\n\n\n<b>Renouvellements")
    assert len(parse_text(spaced).rows) == 9


def test_cells_keep_text_inner_html_and_links(seed_bytes):
    cell = extract_table(seed_bytes).rows[4][2]  # « Démarches autres », Modalités
    assert cell.text == "Envoi d'un mail à Pref-rdv-sejour@isere.gouv.fr"
    assert '<a href="mailto:Pref-rdv-sejour@isere.gouv.fr">' in cell.html
    assert [(link.href, link.text) for link in cell.links] == [
        ("mailto:Pref-rdv-sejour@isere.gouv.fr", "Pref-rdv-sejour@isere.gouv.fr")
    ]


# --- layout drift ----------------------------------------------------------------------------

DRIFTS = {
    "renamed": (
        ["Type de rendez-vous", "Démarche", *EXPECTED_HEADER[2:]],
        "column 2 is 'Démarche' where 'Démarches' was expected",
    ),
    "added": ([*EXPECTED_HEADER, "Horaires"], "unexpected 'Horaires'"),
    "removed": (list(EXPECTED_HEADER[:4]), "missing 'Remarques'"),
    "reordered": (
        [EXPECTED_HEADER[1], EXPECTED_HEADER[0], *EXPECTED_HEADER[2:]],
        "columns reordered: Démarches | Type de rendez-vous",
    ),
}


@pytest.mark.parametrize("drift", sorted(DRIFTS))
def test_header_drift_in_export_is_an_error(seed_text, drift):
    header, message = DRIFTS[drift]
    drifted = seed_text.replace(HEADER_LINE, "\t".join(header))
    with pytest.raises(LayoutError, match="header drift: " + message):
        parse_text(drifted)


@pytest.mark.parametrize("drift", sorted(DRIFTS))
def test_header_drift_in_html_page_is_an_error(page_text, drift):
    header, message = DRIFTS[drift]
    original = "".join(f'<th scope="col">{h}</th>' for h in EXPECTED_HEADER)
    assert original in page_text
    drifted = page_text.replace(original, "".join(f'<th scope="col">{h}</th>' for h in header))
    with pytest.raises(LayoutError, match="header drift: " + message):
        parse_text(drifted)


def test_export_row_with_missing_cell_names_its_row(seed_text):
    lines = seed_text.split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith("<b>Renouvellements"))
    lines[index] = lines[index].rsplit("\t", 1)[0]  # drop the last cell of data row 3
    with pytest.raises(LayoutError, match="row 3 has 4 cells, expected 5"):
        parse_text("\n".join(lines))


def test_html_row_with_extra_cell_names_its_row(page_text):
    marker = "<td><strong>Démarches autres</strong></td>"
    assert marker in page_text
    with pytest.raises(LayoutError, match="row 5 has 6 cells, expected 5"):
        parse_text(page_text.replace(marker, marker + "<td>en trop</td>"))


def test_page_without_the_table_is_an_error():
    with pytest.raises(LayoutError, match="no table with the expected header"):
        parse_text("<html><body><table><tr><td>a</td></tr></table></body></html>")


def test_header_repeated_in_body_is_an_error(seed_text):
    lines = seed_text.split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith("<b>Démarches autres"))
    lines.insert(index, HEADER_LINE)
    with pytest.raises(LayoutError, match="row 5 repeats the header"):
        parse_text("\n".join(lines))
