"""The site's former implementations, kept as the reference of ``tests/test_site_references.py``:
each was replaced by a faster one that must give the same output for any input."""

from __future__ import annotations

import re
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from markupsafe import Markup

from publish.changes import french
from website.feeds import NOT_XML


def one_line(text: Any) -> str:
    """``publish.changes.french.one_line`` before its fast path."""
    said = " ".join(str(text if text is not None else "").split())
    return "".join(c if c.isprintable() else "\ufffd" for c in said)


def prefecture_span(text: Any) -> Markup:
    """``website.languages.prefecture_words`` on another language's page, as it was written."""
    return Markup('<span lang="{}">{}</span>').format("fr", text)


def xml_text(value: Any) -> str:
    """``website.feeds.xml_text`` as it was, with ``xml.sax.saxutils``."""
    return escape(NOT_XML.sub("\ufffd", str(value)))


def xml_attr(value: Any) -> str:
    return quoteattr(NOT_XML.sub("\ufffd", str(value)))


def html_list(lines: list[str]) -> str:
    items = "".join(f"<li>{escape(NOT_XML.sub(chr(0xFFFD), line))}</li>" for line in lines)
    return f"<ul>{items}</ul>"


#: ``website.build``'s text pattern as it was: a look-behind for the ``>`` that opens a text
TEXT = re.compile(r"(?<=>)[^<>]*[«»:;!?][^<>]*(?=<)")


def typeset(html: str) -> str:
    """``website.build.typeset`` as it was (in French)."""
    return TEXT.sub(lambda m: french.typography(m.group()), html)
