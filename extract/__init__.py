"""Extract: source bytes to a RawTable (header plus rows of cells). No interpretation here."""

from __future__ import annotations

import unicodedata
from dataclasses import replace

from extract.decode import Decoded, decode
from extract.export import export_table, is_export
from extract.model import Link, RawCell, RawTable
from extract.table import parse_html_table

__all__ = ["Decoded", "Link", "RawCell", "RawTable", "decode", "extract_table", "parse_text"]


def parse_text(text: str) -> RawTable:
    """Parse decoded source text in either form (the tab-separated export or an HTML page).
    Text is read in NFC: « é » typed as e + combining accent is the same letter."""
    text = unicodedata.normalize("NFC", text)
    if is_export(text):
        return export_table(text)
    return parse_html_table(text)


def extract_table(data: bytes) -> RawTable:
    """Decode the bytes (recording the charset and how it was chosen) and parse the table."""
    decoded = decode(data)
    table = parse_text(decoded.text)
    return replace(table, encoding=decoded.encoding, encoding_source=decoded.how)
