"""The export's cell check (``extract.export.cell_problem``) answers as it did before tag
openings with no « > » after them were written as text first (``without_unfinished_tags``,
which keeps it linear): the old check, html.parser given the markup as it is
(``markup_problem(markup, markup)``), is the reference, and both read any markup drawn from the
characters that make tags."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from extract.export import cell_problem, markup_problem, without_unfinished_tags


def reference_problem(markup: str) -> str | None:
    """``cell_problem`` before: html.parser given the markup as it is."""
    return markup_problem(markup, markup)


PIECES = st.sampled_from(
    ["<", ">", "/", "</", "<b", "<td", "</td", "<script", "</script", "<table", "<!--", "-->",
     "<!", "<?", "<![x[", "=", "'", '"', " ", "a", "é", "&lt;", "&", "x>", "<br/>", "<i>"]
)  # fmt: skip
MARKUP = st.lists(PIECES | st.text(max_size=3), max_size=14).map("".join)


@settings(max_examples=1500)
@example("<b<![x[\x00")  # <b took <![x[ in; as text, <![ is read, and refused
@example("<![><b")  # the refusal quotes what follows <![
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
