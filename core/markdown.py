"""Text from the source shown in Markdown (CHANGES.md, the data dictionary, Prefect artifacts),
or as one line of plain text (standard output, text notifications)."""

from __future__ import annotations

_MARKDOWN_SPECIAL = str.maketrans(
    {c: f"\\{c}" for c in "\\`*_[]#|"} | {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
)


def _breaks_marked(text: str) -> str:
    """``text`` on one line, each line break shown as ⏎."""
    return " ⏎ ".join(part.strip() for part in text.replace("\r", "\n").split("\n"))


def markdown_escape(text: str) -> str:
    """Text shown as text in Markdown: no markup, links or HTML from the source get through, and
    it stays on its line (a paragraph break is shown as ⏎), so it cannot start a list item or a
    heading of its own."""
    return _breaks_marked(text).translate(_MARKDOWN_SPECIAL)


def text_line(text: str) -> str:
    """Text shown as one line of plain text (standard output, a text notification), as in
    ``CHANGES.md``: a line break is shown as ⏎, so « - Type supprimé : … » written in a remark
    never stands as a line of its own; other white space is one space, and a character that is
    not printable is shown as « \ufffd »."""
    marked = " ".join(_breaks_marked(text).split())
    return "".join(c if c.isprintable() else "\ufffd" for c in marked)
