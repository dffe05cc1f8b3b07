"""``core.i18n``'s lookups, made cheap for a large build (the catalogue chosen once per
``language`` block, the day names once per language), say what Babel and the catalogues say:
in every language, in nested blocks, and back in French outside them."""

from __future__ import annotations

from babel.dates import get_day_names
from hypothesis import given, settings
from hypothesis import strategies as st

from core import i18n


def _messages(lang: str) -> list[str]:
    """Every singular msgid of ``lang``'s compiled catalogue."""
    catalogue = i18n.translations(lang)
    return sorted(k for k in getattr(catalogue, "_catalog", {}) if isinstance(k, str) and k)


def test_gettext_says_each_language_s_catalogue() -> None:
    for lang in i18n.languages():
        with i18n.language(lang):
            for message in _messages(lang):
                assert i18n.gettext(message) == i18n.translations(lang).gettext(message)
    assert [i18n.gettext(m) for m in _messages("en")] == _messages("en")  # French: the msgids


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from([*i18n.languages(), "xx"]), max_size=4), st.integers(0, 5))
def test_nested_blocks_say_the_innermost_language(langs: list[str], count: int) -> None:
    message, plural = "{count} changement", "{count} changements"

    def said(lang: str) -> tuple[str, str, str]:
        catalogue = i18n.translations(lang)
        return (
            catalogue.gettext(message),
            catalogue.ngettext(message, plural, count),
            str(get_day_names("wide", locale=i18n.cldr_locale(lang))[2]),
        )

    def check(rest: list[str], outer: str) -> None:
        assert (
            i18n.gettext(message),
            i18n.ngettext(message, plural, count),
            i18n.day_name("wednesday"),
        ) == said(outer)
        if rest:
            with i18n.language(rest[0]):
                check(rest[1:], rest[0])
            assert i18n.current() == outer and i18n.gettext(message) == said(outer)[0]

    check(langs, i18n.DEFAULT)


def test_day_names_are_cldr_s_in_every_language() -> None:
    for lang in [*i18n.languages(), "xx"]:
        wide = get_day_names("wide", locale=i18n.cldr_locale(lang))
        with i18n.language(lang):
            assert [i18n.day_name(d) for d in i18n.WEEKDAYS] == [str(wide[n]) for n in range(7)]
            assert i18n.day_name("someday") == "someday"
