"""The site in every language (``core.i18n``): the Jinja2 environment with gettext, the ``fr``
filter that marks the prefecture's own words on the other languages' pages, and the links of a
page to itself in every language (``hreflang``, the canonical French page, the visible switch)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from jinja2 import (
    BytecodeCache,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    pass_context,
    select_autoescape,
)
from jinja2.bccache import Bucket
from jinja2.runtime import Context
from markupsafe import Markup, escape

from core import i18n
from publish import layout

HERE = Path(__file__).parent


#: the attributes of a plain dict (its methods): Jinja's ``a.b`` finds them before the key ``b``
_DICT_ATTRIBUTES = frozenset(dir(dict))


class SiteEnvironment(Environment):
    """Jinja's environment, reading the pages' values faster: they are plain dicts, whose
    ``a.b`` Jinja answers with the key ``b`` only after failing to find an attribute ``b`` (an
    exception per lookup, hundreds of thousands on a large home page)."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        """``Environment.getattr``'s answer: a dict instance has no attribute of its own, so
        ``getattr`` fails on it exactly when its class has none of that name."""
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


@functools.cache
def environment() -> Environment:
    """Jinja2 with gettext (``core.i18n``: the language of the moment of rendering) and the
    ``fr`` filter: one for every language and every build of the process (it holds nothing of
    a language), so that each template is compiled once, or read from ``template_cache``."""
    env = SiteEnvironment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        bytecode_cache=template_cache(),
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        i18n.gettext, i18n.ngettext, newstyle=True
    )
    env.filters["fr"] = prefecture_words
    return env


class _TemplateCache(FileSystemBytecodeCache):
    """Compiled templates kept between runs, as ``__pycache__`` keeps compiled modules: compiling
    the four templates was about 80 ms of a publish of a few hundred. Jinja checks what it reads
    against the template's source and its own version, so a changed template is compiled again;
    a cache that cannot be read or written is passed over, never a reason to fail."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # a damaged file: compiled again, and written again
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def template_cache() -> BytecodeCache | None:
    """Jinja's cache of compiled templates in the user's own folder of the temporary directory
    (``_jinja2-cache-<uid>``, mode 0700, refused if another user owns it); None if there is
    none to be had."""
    try:
        return _TemplateCache()
    except (OSError, RuntimeError):
        return None


@pass_context
def prefecture_words(context: Context, text: Any) -> Markup:
    """The prefecture's own words (labels, instructions, sentences, places), kept in French: on
    a page in another language, in an element that says so (``lang="fr"``)."""
    if context.get("lang", i18n.DEFAULT) == i18n.DEFAULT:
        return escape(text)
    # what Markup('<span lang="{}">{}</span>').format(i18n.DEFAULT, text) gives, without the
    # cost of string.Formatter, called for thousands of labels of a page
    return Markup(f'<span lang="{i18n.DEFAULT}">{escape(text)}</span>')


def language_name(lang: str) -> str:
    """« English », « français »: a language named in itself (CLDR), else by its code."""
    try:
        return str(Locale.parse(lang).get_display_name(lang) or lang)
    except (UnknownLocaleError, ValueError):
        return lang


def language_links(base_url: str, lang: str, page: str, depth: int) -> dict[str, Any] | None:
    """The links of ``page`` (relative to a language's folder) in ``lang`` to itself in every
    language: ``all`` (absolute, for ``hreflang``), ``others`` (relative, the visible switch),
    ``canonical`` (the default language's); None when there is one language."""
    langs = i18n.languages()
    if len(langs) == 1:
        return None
    up = "../" * (depth + (lang != i18n.DEFAULT))
    base = f"{base_url.rstrip('/')}/{layout.SITE_DIR}/"
    links = [
        {
            "lang": other,
            "name": language_name(other),
            "url": base + layout.site_language_dir(other, i18n.DEFAULT) + page,
            "href": up + layout.site_language_dir(other, i18n.DEFAULT) + page,
        }
        for other in langs
    ]
    return {
        "all": links,
        "others": [link for link in links if link["lang"] != lang],
        "canonical": links[0]["url"],
    }
