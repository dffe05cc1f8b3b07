"""Text from the source shown in Markdown (CHANGES.md, the data dictionary, Prefect artifacts)."""

from __future__ import annotations

_MARKDOWN_SPECIAL = str.maketrans(
    {c: f"\\{c}" for c in "\\`*_[]#|"} | {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
)


def markdown_escape(text: str) -> str:
    """Text shown as text in Markdown: no markup, links or HTML from the source get through, and
    it stays on its line (a paragraph break is shown as ⏎), so it cannot start a list item or a
    heading of its own."""
    one_line = " ⏎ ".join(part.strip() for part in text.replace("\r", "\n").split("\n"))
    return one_line.translate(_MARKDOWN_SPECIAL)
