"""One HTML table cell to a RawCell: its paragraphs and list items, its links, its inner HTML."""

from __future__ import annotations

import re
from typing import Any

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
_FLUSH = object()
_NOT_TEXT = (Comment, CData, Declaration, Doctype, ProcessingInstruction)
_SPACE = re.compile(r"\s+")


def normalise_space(text: str) -> str:
    """Collapse every run of white space (NBSP included) into one space and strip the ends."""
    return _SPACE.sub(" ", text.replace("\u00a0", " ")).strip()


def _href(a: Tag) -> str:
    href = a.get("href", "")
    return (" ".join(href) if isinstance(href, list) else str(href)).strip()


Block = tuple[str, int, tuple[Link, ...]]


class Blocks:
    """Blocks of text, their list depth and links, as a walk of a cell's markup meets them:
    ``flush`` ends a block, ``finish`` gives them all (``_BlockWalk`` walks BeautifulSoup's
    tree, ``extract.fragment`` lxml's)."""

    def __init__(self) -> None:
        self.out: list[Block] = []
        self.current: list[str] = []
        self.links: list[Link] = []

    def flush(self, depth: int) -> None:
        text = normalise_space("".join(self.current))
        self.current.clear()
        if text:
            self.out.append((text, depth, tuple(self.links)))
            self.links.clear()

    def finish(self) -> list[Block]:
        self.flush(0)
        if self.links and self.out:  # links with no text of their own belong to the last block
            text, depth, found = self.out[-1]
            self.out[-1] = (text, depth, found + tuple(self.links))
        elif self.links:
            self.out.append(("", 0, tuple(self.links)))
        return self.out


class _BlockWalk(Blocks):
    """A cell's markup walked in document order into blocks of text (see ``_blocks``)."""

    def text(self, node: NavigableString) -> None:
        if not isinstance(node, _NOT_TEXT):
            self.current.append(str(node))

    def tag(self, node: Tag, depth: int, stack: list[tuple[Any, int]]) -> None:
        """A tag's effect on the blocks, and its children pushed on ``stack`` to walk next."""
        name = node.name.lower()
        if name in DROPPED_TAGS:
            return
        if name == "a" and node.has_attr("href"):
            self.links.append(Link(_href(node), normalise_space(node.get_text(" "))))
        if name == "br":
            self.flush(depth)
            return
        inner = depth + 1 if name == "li" else depth
        if name in BLOCK_TAGS:
            self.flush(depth)
            stack.append((_FLUSH, inner))
        stack.extend((child, inner) for child in reversed(list(node.children)))


def _blocks(cell: Tag) -> list[Block]:
    """The cell's text as (block text, list depth, links in the block) in document order; depth
    0 is outside any list item, 1 a list item, 2 an item of a list nested in an item, …"""
    walk = _BlockWalk()
    # an explicit stack, not recursion: deeply nested markup must not exhaust Python's stack.
    # Items are (node, list depth); (_FLUSH, depth) ends a block once its children are done.
    stack: list[tuple[Any, int]] = [(child, 0) for child in reversed(list(cell.children))]
    while stack:
        node, depth = stack.pop()
        if node is _FLUSH:
            walk.flush(depth)
        elif isinstance(node, NavigableString):
            walk.text(node)
        elif isinstance(node, Tag):
            walk.tag(node, depth, stack)
    return walk.finish()


def cell_from_tag(cell: Tag) -> RawCell:
    blocks = [b for b in _blocks(cell)]
    texts = tuple(text for text, _, _ in blocks if text)
    return RawCell(
        text="\n".join(texts),
        html=cell.decode_contents().strip(),
        links=tuple(link for _, _, found in blocks for link in found),
        blocks=texts,
        depths=tuple(depth for text, depth, _ in blocks if text),
        block_links=tuple(found for text, _, found in blocks if text),
    )


def parse_fragment(html: str, parser: str) -> Tag:
    """Parse an HTML fragment; returns the element holding it (for tests and tools)."""
    soup = BeautifulSoup(f"<table><tr><td>{html}</td></tr></table>", parser)
    td = soup.find("td")
    assert isinstance(td, Tag)
    return td
