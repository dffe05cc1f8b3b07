"""The site's faster functions against the ones they replaced (``tests/site_reference.py``): for
arbitrary inputs, the same output, so the published bytes cannot change."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import Environment, Undefined
from markupsafe import Markup

from core import i18n
from publish.changes import french
from tests import site_reference as reference
from website import build, feeds
from website.files import write_file
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


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=70_000), st.booleans())
def test_write_file_writes_what_write_bytes_writes(
    tmp_path_factory: Any, data: bytes, exists: bool
) -> None:
    folder = tmp_path_factory.mktemp("files")
    ours, theirs = folder / "ours", folder / "theirs"
    if exists:  # a longer file is emptied first
        for path in (ours, theirs):
            path.write_bytes(b"x" * 80_000)
    write_file(ours, data)
    theirs.write_bytes(data)
    assert ours.read_bytes() == data
    assert ours.stat().st_mode == theirs.stat().st_mode


#: what XML escapes, quotes, and cannot hold
xml_texts = st.one_of(
    st.text(),
    st.text(alphabet=st.sampled_from(list("&<>\"'\n\r\t\x00\x0b\ud800\ufffe a&amp;é😀"))),
)


@settings(max_examples=500, deadline=None)
@given(st.one_of(xml_texts, st.integers(), st.none()))
def test_xml_text_and_attr_are_saxutils(value: Any) -> None:
    assert feeds.xml_text(value) == reference.xml_text(value)
    assert feeds.xml_attr(value) == reference.xml_attr(value)


@settings(max_examples=300, deadline=None)
@given(st.lists(xml_texts, max_size=5))
def test_html_list_is_the_former_one(lines: list[str]) -> None:
    assert feeds.html_list(lines) == reference.html_list(lines)


#: pages: tags, attributes and text with the signs French typography spaces, and spaces
pages = st.text(alphabet=st.sampled_from(list('<>«»:;!? \u00a0a/="&#39')), max_size=300)


@settings(max_examples=1000, deadline=None)
@given(pages)
def test_typeset_is_the_former_one(html: str) -> None:
    with i18n.language(i18n.DEFAULT):
        assert build.typeset(html) == reference.typeset(html)
