"""gettext for every word the project writes to people: the site, the change summaries, the
feeds, the calendars, the workbook and the notifications.

The message ids are the French texts (French is the source language and the default: a French
output is its msgids, byte for byte, with no catalogue read). Every other language is one
``messages.po`` in ``core/locales/<language>/LC_MESSAGES/`` (``make translations`` extracts the
template and updates them): the list of languages is the list of those folders, never a branch
in the code. A catalogue is compiled in memory from its ``.po`` the first time it is used, so a
fresh clone needs no build step and no ``.mo`` is committed.

The language of the text being written is a context variable (``language("en")`` around a
build): the wording functions ask ``gettext`` without a language parameter threaded through
every call. ``RDV_OPENDATA_LOCALES`` names more catalogue folders (``os.pathsep``-separated),
e.g. a translator's draft, or the tests' pseudo-locale.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from gettext import GNUTranslations, NullTranslations
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:  # Babel is imported where it is used: a plain French run needs none of it
    from babel import Locale

#: the source language: msgids are in it, and its outputs keep the addresses they always had
DEFAULT = "fr"
DOMAIN = "messages"
LOCALES = Path(__file__).resolve().parent / "locales"
#: more catalogue folders, for a draft or the tests' pseudo-locale
LOCALES_VARIABLE = "RDV_OPENDATA_LOCALES"
#: the CLDR data of a language Babel does not know (a pseudo-locale): English
FALLBACK_CLDR = "en"
#: Monday first, as ISO weekdays and ``babel.dates.get_day_names`` count them
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_current: ContextVar[str] = ContextVar("language", default=DEFAULT)


def folders() -> list[Path]:
    extra = [Path(p) for p in os.environ.get(LOCALES_VARIABLE, "").split(os.pathsep) if p]
    return [LOCALES, *extra]


def catalogue_file(folder: Path, lang: str) -> Path:
    return folder / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def languages() -> tuple[str, ...]:
    """The default language, then every language with a catalogue, in name order."""
    found = {
        child.name
        for folder in folders()
        if folder.is_dir()
        for child in folder.iterdir()
        if catalogue_file(folder, child.name).is_file()
    }
    return (DEFAULT, *sorted(found - {DEFAULT}))


def current() -> str:
    return _current.get()


@contextmanager
def language(lang: str) -> Iterator[str]:
    """Write in ``lang`` inside the block (gettext, dates, day names). Its catalogue is looked
    up once, as the block begins: ``gettext`` is asked over a million times in a large build."""
    token = _current.set(lang)
    chosen = _said.set(translations(lang))
    try:
        yield lang
    finally:
        _said.reset(chosen)
        _current.reset(token)


def _po_file(lang: str) -> Path | None:
    for folder in reversed(folders()):  # a draft wins over the committed catalogue
        path = catalogue_file(folder, lang)
        if path.is_file():
            return path
    return None


@lru_cache(maxsize=16)
def _compiled(path: str, mtime_ns: int) -> GNUTranslations:
    """A ``.po`` compiled in memory (no ``.mo`` is written)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with open(path, "rb") as po:
        catalog = read_po(po)
    mo = io.BytesIO()
    write_mo(mo, catalog)  # fuzzy entries left out: their msgid is said instead
    mo.seek(0)
    return GNUTranslations(mo)


_NONE = NullTranslations()


def translations(lang: str | None = None) -> NullTranslations:
    """The catalogue of ``lang`` (the current language); the msgids themselves for French.
    Looked up and compiled once per process, language and set of catalogue folders (a message
    is asked hundreds of thousands of times in a large release)."""
    lang = lang or current()
    if lang == DEFAULT:
        return _NONE
    return _catalogue(lang, os.environ.get(LOCALES_VARIABLE, ""))


@lru_cache(maxsize=32)
def _catalogue(lang: str, extra: str) -> NullTranslations:
    path = _po_file(lang)
    if path is None:
        return _NONE
    return _compiled(str(path), path.stat().st_mtime_ns)


#: the catalogue of the current language, chosen by ``language`` (outside it: French, the msgids)
_said: ContextVar[NullTranslations] = ContextVar("catalogue", default=_NONE)


def catalogue() -> NullTranslations:
    """The catalogue the current language is said from (a key for what is said in it)."""
    return _said.get()


def gettext(message: str) -> str:
    return _said.get().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _said.get().ngettext(singular, plural, n)


_ = gettext


def N_(message: str) -> str:
    """A message for the catalogue, said later (``_(message)``) in the language of that moment."""
    return message


def title_of(text: Any) -> str:
    """A title or description of the schemas (``schemas/tables/*.json``, French: the published
    data's own words) in the current language; ``extract_schema`` puts them in the catalogue."""
    return gettext(str(text)) if text else ""


def extract_schema(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """A Babel extractor (``babel.cfg``) of a table schema: its title and description, then its
    fields'."""
    schema = json.load(fileobj)
    for where in (schema, *schema.get("fields", [])):
        for key in ("title", "description"):
            if where.get(key):
                yield 0, None, where[key], [f"schema {key}: {where.get('name', 'table')}"]


def cldr_locale(lang: str | None = None) -> Locale:
    """Babel's CLDR data of ``lang`` (the current language)."""
    return _cldr(lang or current())


@lru_cache(maxsize=16)
def _cldr(lang: str) -> Locale:
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        return Locale.parse(FALLBACK_CLDR)


def day_name(weekday: str) -> str:
    """« lundi », « Monday »: a weekday value (``monday``…) in the current language, from CLDR;
    an unknown value is said as it is."""
    if weekday not in WEEKDAYS:
        return weekday
    return _day_names(current())[WEEKDAYS.index(weekday)]


@lru_cache(maxsize=16)
def _day_names(lang: str) -> tuple[str, ...]:
    """The weekdays' names in ``lang``, Monday first (CLDR), looked up once per language."""
    from babel.dates import get_day_names

    names = get_day_names("wide", locale=cldr_locale(lang))
    return tuple(str(names[number]) for number in range(len(WEEKDAYS)))


def long_date(day: dt.date) -> str:
    """« 21 décembre 2020 », « 1er janvier 2021 », « 21 December 2020 »: the patterns from the
    catalogue, the month names from CLDR."""
    from babel.dates import format_date

    # TRANSLATORS: a CLDR date pattern (babel.dates) for the first day of a month
    first = _("d'er' MMMM y")
    # TRANSLATORS: a CLDR date pattern (babel.dates) for a day in a sentence
    pattern = first if day.day == 1 else _("d MMMM y")
    return format_date(day, pattern, locale=cldr_locale())


def numeric_date(day: dt.date) -> str:
    """« 17/12/2020 »: the pattern from the catalogue."""
    from babel.dates import format_date

    # TRANSLATORS: a CLDR date pattern (babel.dates) for a short date, unambiguous in France
    return format_date(day, _("dd/MM/yyyy"), locale=cldr_locale())
