"""The raw table: what extraction returns, before any interpretation of the cells."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Link:
    href: str
    text: str


@dataclass(frozen=True)
class RawCell:
    """One cell of the source table.

    ``blocks`` are the cell's paragraphs and list items in order (whitespace normalised, one
    string each); ``depths`` gives each block's list depth; ``text`` is the blocks joined by
    newlines; ``html`` is the cell's inner HTML as found. ``spanned_from`` is set on a slot
    covered by a rowspan/colspan: the (source_row, 0-based column) where the spanning cell
    starts, whose content it repeats. Such a slot is not a cell of its own in ``source_cells``.
    """

    text: str
    html: str
    links: tuple[Link, ...] = ()
    blocks: tuple[str, ...] = ()
    depths: tuple[int, ...] = ()  # list nesting depth of each block (0: not a list item)
    block_links: tuple[tuple[Link, ...], ...] = ()  # the links found in each block
    spanned_from: tuple[int, int] | None = None

    @property
    def is_empty(self) -> bool:
        return not self.text


@dataclass(frozen=True, kw_only=True)
class RawTable:
    """Header plus data rows; ``rows[i]`` is data row ``i + 1`` of the source."""

    header: tuple[str, ...]
    rows: tuple[tuple[RawCell, ...], ...]
    form: str  # "export" (tab-separated with HTML cells) or "html" (a full page)
    encoding: str = ""
    encoding_source: str = ""  # "bom", "declared", "fallback"
    title: str | None = None
