"""The site's former implementations, kept as the reference of ``tests/test_site_references.py``:
each was replaced by a faster one that must give the same output for any input."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup


def one_line(text: Any) -> str:
    """``publish.changes.french.one_line`` before its fast path."""
    said = " ".join(str(text if text is not None else "").split())
    return "".join(c if c.isprintable() else "\ufffd" for c in said)


def prefecture_span(text: Any) -> Markup:
    """``website.languages.prefecture_words`` on another language's page, as it was written."""
    return Markup('<span lang="{}">{}</span>').format("fr", text)
