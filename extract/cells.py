"""One HTML table cell to a RawCell: its paragraphs and list items, its links, its inner HTML."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import CData, Comment, Declaration, Doctype, ProcessingInstruction

from extract.model import Link, RawCell

# tags whose content starts and ends a block of text (a paragraph, a list item, a line)
BLOCK_TAGS = frozenset(
    "address article aside blockquote dd div dl dt fieldset figcaption figure footer form h1 h2 "
    "h3 h4 h5 h6 header hr li main nav ol p pre section table tbody td tfoot th thead tr ul".split()
)
# tags whose content is never text: dropped with everything inside them
DROPPED_TAGS = frozenset({"script", "style", "template", "noscript", "iframe", "object", "embed"})
_NOT_TEXT = (Comment, CData, Declaration, Doctype, ProcessingInstruction)
_SPACE = re.compile(r"\s+")


def normalise_space(text: str) -> str:
    """Collapse every run of white space (NBSP included) into one space and strip the ends."""
    return _SPACE.sub(" ", text.replace("\u00a0", " ")).strip()


def _blocks(cell: Tag) -> list[tuple[str, bool]]:
    """The cell's text as (block text, inside a list item) pairs, in document order."""
    out: list[tuple[str, bool]] = []
    current: list[str] = []

    def flush(in_li: bool) -> None:
        text = normalise_space("".join(current))
        current.clear()
        if text:
            out.append((text, in_li))

    def walk(node: Tag, in_li: bool) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if not isinstance(child, _NOT_TEXT):
                    current.append(str(child))
            elif isinstance(child, Tag):
                name = child.name.lower()
                if name in DROPPED_TAGS:
                    continue
                if name == "br":
                    flush(in_li)
                elif name in BLOCK_TAGS:
                    flush(in_li)
                    walk(child, in_li or name == "li")
                    flush(in_li or name == "li")
                else:
                    walk(child, in_li)

    walk(cell, False)
    flush(False)
    return out


def _links(cell: Tag) -> tuple[Link, ...]:
    links = []
    for a in cell.find_all("a", href=True):
        href = a["href"]
        if isinstance(href, list):  # pragma: no cover - bs4 returns a str for href
            href = " ".join(href)
        links.append(Link(href=href.strip(), text=normalise_space(a.get_text(" "))))
    return tuple(links)


def cell_from_tag(cell: Tag) -> RawCell:
    blocks = _blocks(cell)
    return RawCell(
        text="\n".join(text for text, _ in blocks),
        html=cell.decode_contents().strip(),
        links=_links(cell),
        blocks=tuple(text for text, _ in blocks),
        list_items=tuple(in_li for _, in_li in blocks),
    )


def parse_fragment(html: str, parser: str) -> Tag:
    """Parse an HTML fragment; returns the element holding it (for tests and tools)."""
    soup = BeautifulSoup(f"<table><tr><td>{html}</td></tr></table>", parser)
    td = soup.find("td")
    assert isinstance(td, Tag)
    return td
