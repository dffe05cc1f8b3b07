"""The site's faster functions against the ones they replaced (``tests/site_reference.py``): for
arbitrary inputs, the same output, so the published bytes cannot change."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import Environment, Undefined
from markupsafe import Markup

from publish.changes import french
from tests import site_reference as reference
from website.languages import SiteEnvironment, prefecture_words

#: text with what the fast paths look at: spaces of every kind, unprintable characters, markup
texts = st.one_of(
    st.text(),
    st.text(alphabet=st.sampled_from(list(" \t\n\r\x00\x1f\u00a0\u2028\u200b\ufeffa<>&\"'é😀"))),
)
values: st.SearchStrategy[Any] = st.one_of(
    texts, st.none(), st.integers(), texts.map(Markup), st.floats(allow_nan=False)
)


@settings(max_examples=500, deadline=None)
@given(values)
def test_one_line_is_the_former_one(value: Any) -> None:
    assert french.one_line(value) == reference.one_line(value)


@settings(max_examples=500, deadline=None)
@given(values)
def test_prefecture_words_in_another_language_are_the_former_span(value: Any) -> None:
    context = Environment().from_string("").new_context({"lang": "en"})
    said = prefecture_words(context, value)
    assert isinstance(said, Markup)
    assert said == reference.prefecture_span(value)


#: attribute names: a dict's own methods and dunders among them, keys or not
names = st.one_of(st.sampled_from(sorted(dir(dict)) + ["label", "type_id", "x"]), st.text())
objects: st.SearchStrategy[Any] = st.one_of(
    st.dictionaries(names, st.integers()),
    st.builds(lambda d: type("Sub", (dict,), {})(d), st.dictionaries(names, st.integers())),
    st.lists(st.integers()),
    st.none(),
    texts,
)


@settings(max_examples=500, deadline=None)
@given(objects, names)
def test_the_site_environment_reads_a_value_as_jinja_does(obj: Any, attribute: str) -> None:
    site, jinja = SiteEnvironment(), Environment()
    said, expected = site.getattr(obj, attribute), jinja.getattr(obj, attribute)
    assert type(said) is type(expected)
    if isinstance(expected, Undefined):
        assert (said._undefined_obj, said._undefined_name) == (obj, attribute)
        assert (expected._undefined_obj, expected._undefined_name) == (obj, attribute)
    else:
        assert said == expected
