"""The export's cell check (``extract.export.cell_problem``) answers as it did before tag
openings with no « > » after them were written as text first (``without_unfinished_tags``,
which keeps it linear): the old check, html.parser fed the markup as it is, is kept here as the
reference, and both read any markup drawn from the characters that make tags."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from extract.export import (
    HIDING_TAGS,
    _CellMarkup,
    _unclosed_comment,
    cell_problem,
    without_unfinished_tags,
)


def reference_problem(markup: str) -> str | None:
    """``cell_problem`` before: the markup fed to html.parser as it is."""
    if _unclosed_comment(markup):
        return "the cell opens a comment <!-- it does not close, which would hide the text after it"
    parser = _CellMarkup()
    try:
        parser.feed(markup)
        parser.close()
    except AssertionError as exc:
        return f"the cell holds markup that cannot be read ({exc})"
    if parser.problem:
        return parser.problem
    hiding = sorted(tag for tag in HIDING_TAGS if parser.open[tag] > 0)
    if hiding:
        return f"the cell leaves <{hiding[0]}> unclosed, which would hide the text after it"
    return None


PIECES = st.sampled_from(
    ["<", ">", "/", "</", "<b", "<td", "</td", "<script", "</script", "<table", "<!--", "-->",
     "<!", "<?", "<![x[", "=", "'", '"', " ", "a", "é", "&lt;", "&", "x>", "<br/>", "<i>"]
)  # fmt: skip
MARKUP = st.lists(PIECES | st.text(max_size=3), max_size=14).map("".join)


@settings(max_examples=1500)
@example("<c  .1/8Ö<c  .1/8Ö<c")
@example("<b>x</b x <td y")
@example("<script>a </script")
@given(MARKUP)
def test_the_cell_check_answers_as_before(markup):
    cell_problem.cache_clear()
    assert cell_problem(markup) == reference_problem(markup)


@given(MARKUP)
def test_only_the_tag_openings_after_the_last_closing_bracket_change(markup):
    made = without_unfinished_tags(markup)
    last = markup.rfind(">")
    assert made[: last + 1] == markup[: last + 1]
    assert made.replace("&lt;", "<") == markup.replace("&lt;", "<")
