"""An export cell read from lxml's tree rather than from a BeautifulSoup of its own.

BeautifulSoup builds its tree from the events of the same lxml parser, in Python, one object per
node (about 0.1 ms a cell: a second of a 10,000-row export). For a cell whose tree is plain (text,
and elements of the names below with plain attributes: what the tables hold), ``plain_cell``
reads lxml's own tree into the RawCell ``cells.cell_from_tag`` reads from BeautifulSoup's,
doing what BeautifulSoup does on the way: a string of ASCII white space alone becomes one space
(one line feed if it holds one), and the HTML is written as its formatter ``minimal`` writes it.
Anything else (comments, scripts, lists of classes, quotes in attributes…) is left to
BeautifulSoup: ``plain_cell`` returns None. ``tests/test_fragment_reference.py`` compares the two.
"""

from __future__ import annotations

import threading
from typing import Any

from lxml import etree

from extract.cells import BLOCK_TAGS, Blocks, normalise_space
from extract.model import Link, RawCell

#: elements read here: BeautifulSoup keeps their strings as strings and writes them plainly
PLAIN_TAGS = frozenset(
    "a abbr b bdi big cite code dd del dfn div dl dt em font h1 h2 h3 h4 h5 h6 i ins kbd li mark "
    "ol p q s samp small span strike strong sub sup u ul var".split()
) | (BLOCK_TAGS - {"pre", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "form", "hr"})
#: void elements read here: written ``<br/>`` by BeautifulSoup
PLAIN_VOID_TAGS = frozenset({"br"})
#: attributes read here: BeautifulSoup keeps their values as one string (not ``class``)
PLAIN_ATTRIBUTES = frozenset({"href", "title", "style", "id", "lang", "target", "dir", "name"})
#: tags in a cell read here, at most: lxml's tree stops at a depth of 256 elements (libxml2's
#: limit) where the events BeautifulSoup builds its own from go on
MAX_PLAIN_TAGS = 200
_ASCII_SPACE = " \n\t\x0c\r"
_LOCAL = threading.local()  # an lxml parser is not to be shared between threads


def _tree(html: str) -> Any:
    """lxml's tree of ``html``, fed as BeautifulSoup feeds it (None: refused)."""
    if not hasattr(_LOCAL, "parser"):
        _LOCAL.parser = etree.HTMLParser(recover=True)
    try:
        _LOCAL.parser.feed(html)
        return _LOCAL.parser.close()
    except etree.LxmlError:
        del _LOCAL.parser  # in whatever state the error left it
        return None


def _string(text: str) -> str:
    """A string as BeautifulSoup keeps it: ASCII white space alone becomes one character."""
    if text.strip(_ASCII_SPACE):
        return text
    return "\n" if "\n" in text else " "


def _escape(text: str) -> str:
    """The formatter ``minimal``: &, < and > as entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _is_plain(td: Any) -> bool:
    for element in td.iterdescendants():
        tag = element.tag
        if not isinstance(tag, str) or tag not in PLAIN_TAGS | PLAIN_VOID_TAGS:
            return False  # a comment, a processing instruction, any other element
        if tag in PLAIN_VOID_TAGS and (len(element) or element.text):
            return False
        for name, value in element.attrib.items():
            if name not in PLAIN_ATTRIBUTES or '"' in value or "'" in value:
                return False
    return True


def _html(element: Any) -> str:
    """An element as BeautifulSoup writes it."""
    attributes = "".join(f' {k}="{_escape(v)}"' for k, v in element.attrib.items())
    if element.tag in PLAIN_VOID_TAGS:
        return f"<{element.tag}{attributes}/>"
    return f"<{element.tag}{attributes}>{_inner_html(element)}</{element.tag}>"


def _inner_html(element: Any) -> str:
    parts = [_escape(_string(element.text))] if element.text else []
    for child in element:
        parts.append(_html(child))
        if child.tail:
            parts.append(_escape(_string(child.tail)))
    return "".join(parts)


class _Walk(Blocks):
    """``cells._BlockWalk`` over lxml's tree: blocks of text, their list depth and links."""

    def text(self, text: str | None) -> None:
        if text:
            self.current.append(_string(text))

    def element(self, element: Any, depth: int) -> None:
        """An element: its link, its blocks (a list item one level deeper), its children."""
        tag = element.tag
        if tag == "a" and "href" in element.attrib:
            strings = (_string(text) for text in element.itertext())
            self.links.append(Link(element.get("href").strip(), normalise_space(" ".join(strings))))
        if tag == "br":
            self.flush(depth)
            return
        inner = depth + 1 if tag == "li" else depth
        if tag in BLOCK_TAGS:
            self.flush(depth)
        self.children(element, inner)
        if tag in BLOCK_TAGS:
            self.flush(inner)

    def children(self, element: Any, depth: int) -> None:
        self.text(element.text)
        for child in element:
            self.element(child, depth)
            self.text(child.tail)


def plain_cell(markup: str) -> RawCell | None:
    """The RawCell of a cell's markup read from lxml's tree, or None when it is not plain."""
    if "<!" in markup or "<?" in markup:
        return None  # a doctype, comment or section: BeautifulSoup keeps it where lxml does not
    if markup.count("<") > MAX_PLAIN_TAGS:
        return None  # perhaps deeper than lxml's tree goes, and than the walk here recurses
    root = _tree(f"<table><tr><td>{markup}</td></tr></table>")
    td = next(root.iter("td"), None) if root is not None else None
    if td is None or not _is_plain(td):
        return None
    walk = _Walk()
    walk.children(td, 0)
    blocks = walk.finish()
    texts = tuple(text for text, _, _ in blocks if text)
    return RawCell(
        text="\n".join(texts),
        html=_inner_html(td).strip(),
        links=tuple(link for _, _, found in blocks for link in found),
        blocks=texts,
        depths=tuple(depth for text, depth, _ in blocks if text),
        block_links=tuple(found for text, _, found in blocks if text),
    )
