"""Adding a language is adding one ``.po`` file; the proof is a pseudo-locale that exists only
here: made at test time from the committed template (``core/locales/messages.pot``), every
message wrapped in « ⟦…⟧ », put in a folder of its own (``RDV_OPENDATA_LOCALES``) and nowhere in
the code. A real series is then published: it must give the pseudo-locale its site, feeds,
calendars and change summaries, and nothing the project writes may reach them unwrapped, i.e.
hard-coded. What may: the prefecture's own words (on a page, inside an element marked
``lang="fr"``; in a feed or a calendar, which cannot mark them, the release's own values), the
language switch (each language named in itself, marked with its ``lang``), and data values
(addresses, file names, digests, numbers, the CLDR names of days and months)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import icalendar
import openpyxl
import pytest
from babel.dates import get_day_names, get_month_names
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from bs4 import BeautifulSoup
from bs4.element import Comment, Doctype

from core import i18n, settings
from core.settings import HTML_PARSER
from publish import layout
from publish.reading.load import load_package
from tests.golden.series import build_series
from tests.helpers import french_pages

PSEUDO = "qps"
OPEN, CLOSE = "⟦", "⟧"
WRAPPED = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
#: data values a page may show as they are
DATA = re.compile(
    r"(?:https?|webcal|mailto|tel):[^\s<>\"]+"  # addresses
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # mailboxes
    r"|\b[0-9a-f]{64}\b"  # digests
    r"|\b(?:[\w-]+/)*[\w-]+(?:\.[\w-]+)*\.(?:csv|json|parquet|xlsx|md|xml|ics|html|txt)\b"
    r"|\bSHA256SUMS\b"
)
LETTERS = re.compile(r"[^\W\d_]{2,}")
ATTRIBUTES = ("aria-label", "title", "data-label", "alt")


def pseudo_catalog(template: Path, folder: Path) -> None:
    """``folder/qps/LC_MESSAGES/messages.po``: every message of ``template`` wrapped."""
    with template.open("rb") as pot:
        source = read_po(pot)
    catalog = Catalog(domain=i18n.DOMAIN)
    for message in source:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            string: Any = tuple(f"{OPEN}{form}{CLOSE}" for form in message.id)
        else:
            string = f"{OPEN}{message.id}{CLOSE}"
        catalog.add(message.id, string, flags=message.flags)
    target = i18n.catalogue_file(folder, PSEUDO)
    target.parent.mkdir(parents=True)
    with target.open("wb") as po:
        write_po(po, catalog)


@pytest.fixture(scope="module", params=["series", "troubled"])
def output(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, seed_text: str
) -> Iterator[Path]:
    """``series``: the golden three releases (a change, a type removed); ``troubled``: the
    accessibility test's, with sentences left unread and then a changed page that cannot be
    read (the banner on every page, the unread notices)."""
    from tests.test_site_accessibility import troubled_output

    locales = tmp_path_factory.mktemp("locales")
    pseudo_catalog(i18n.LOCALES / "messages.pot", locales)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(i18n.LOCALES_VARIABLE, str(locales))
        assert PSEUDO in i18n.languages()
        if request.param == "series":
            yield build_series(tmp_path_factory.mktemp("series"))
        else:
            yield troubled_output(tmp_path_factory.mktemp("troubled"), seed_text)


def pseudo_site(output: Path) -> Path:
    return output / layout.SITE_DIR / layout.site_language_dir(PSEUDO, i18n.DEFAULT)


def cldr_names() -> set[str]:
    """Day and month names, the pseudo-locale's (Babel does not know it: English)."""
    locale = i18n.cldr_locale(PSEUDO)
    names: set[str] = set()
    for width in ("wide", "abbreviated"):
        names |= set(get_day_names(width, locale=locale).values())
        names |= set(get_month_names(width, locale=locale).values())
    return names


def leftovers(texts: Iterable[str], allowed: Iterable[str] = ()) -> list[str]:
    """The words of ``texts`` left once the wrapped messages, the data values and ``allowed``
    (longest first) are taken out."""
    found = []
    names = cldr_names()
    values = sorted({a for a in allowed if a}, key=len, reverse=True)
    for text in texts:
        rest = text
        while (unwrapped := WRAPPED.sub(" ", rest)) != rest:
            rest = unwrapped
        for value in values:
            rest = rest.replace(value, " ")
        rest = DATA.sub(" ", rest)
        words = [w for w in LETTERS.findall(rest) if w not in names]
        if words:
            found.append(f"{words} in {text[:160]!r}")
    return found


def page_texts(path: Path) -> tuple[list[str], list[str]]:
    """A page's text, without what is marked in another language; and its labelling
    attributes."""
    page = BeautifulSoup(path.read_text(encoding="utf-8"), HTML_PARSER)
    assert page.html is not None and page.html["lang"] == PSEUDO, path
    for other in page.find_all(lang=True):
        if other is not page.html and other.get("lang") != PSEUDO:
            other.decompose()
    texts = [
        str(s)
        for s in page.find_all(string=True)
        if not isinstance(s, Comment | Doctype) and s.strip()
    ]
    attributes = [
        str(element[a])
        for element in page.find_all(True)
        for a in ATTRIBUTES
        if element.has_attr(a)
    ]
    return texts, attributes


def prefecture_words(output: Path) -> set[str]:
    """Every text value of every release: what the prefecture wrote (labels, places,
    instructions, sentences), and the lines of a multi-line value."""
    words: set[str] = set()
    for release in (output / layout.RELEASES_DIR).iterdir():
        for rows in load_package(release).rows.values():
            for row in rows:
                for value in row.values():
                    if isinstance(value, str):
                        words |= {value, *value.split("\n"), " ".join(value.split())}
    return words


def test_the_pseudo_locale_has_every_page(output: Path) -> None:
    site = output / layout.SITE_DIR
    french = [p.relative_to(site) for p in french_pages(site)]
    assert sorted(
        p.relative_to(pseudo_site(output)) for p in pseudo_site(output).rglob("*.html")
    ) == sorted(french)
    releases = len(list((output / layout.RELEASES_DIR).iterdir()))
    assert len(list((pseudo_site(output) / layout.SITE_RELEASES_DIR).glob("*.html"))) == releases


def test_no_page_text_is_hard_coded(output: Path) -> None:
    pages = sorted(pseudo_site(output).rglob("*.html"))
    assert len(pages) >= 4
    allowed = prefecture_words(output)
    found = []
    for page in pages:
        texts, attributes = page_texts(page)
        found += [f"{page.name}: {line}" for line in leftovers(texts)]
        # an attribute cannot mark a language: the prefecture's words in it are its values
        found += [f"{page.name}: {line}" for line in leftovers(attributes, allowed)]
    assert not found, "\n".join(found)


def test_no_feed_text_is_hard_coded(output: Path) -> None:
    atom = "{http://www.w3.org/2005/Atom}"
    feeds = [pseudo_site(output) / layout.MAIN_FEED]
    feeds += sorted((pseudo_site(output) / layout.TYPE_FEEDS_DIR).glob("*.xml"))
    allowed = prefecture_words(output)
    found = []
    for feed in feeds:
        root = ET.parse(feed).getroot()
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == PSEUDO
        texts = [root.findtext(f"{atom}title") or "", root.findtext(f"{atom}subtitle") or ""]
        for entry in root.iter(f"{atom}entry"):
            texts.append(entry.findtext(f"{atom}title") or "")
            content = BeautifulSoup(entry.findtext(f"{atom}content") or "", HTML_PARSER)
            texts += [li.get_text() for li in content.find_all("li")]
        found += [f"{feed.name}: {line}" for line in leftovers(texts, allowed)]
    assert not found, "\n".join(found)


def test_no_calendar_text_is_hard_coded(output: Path) -> None:
    calendars = [pseudo_site(output) / layout.MAIN_CALENDAR]
    calendars += sorted((pseudo_site(output) / layout.TYPE_CALENDARS_DIR).glob("*.ics"))
    allowed = prefecture_words(output)
    found = []
    for path in calendars:
        calendar = icalendar.Calendar.from_ical(path.read_bytes())
        texts = [str(calendar.get(p, "")) for p in ("name", "x-wr-calname", "description")]
        for component in calendar.walk():
            if component.name in ("VEVENT", "VALARM"):
                texts += [str(component.get(p, "")) for p in ("summary", "description")]
        lines = [line for text in texts for line in text.split("\n")]
        found += [f"{path.name}: {line}" for line in leftovers(lines, allowed)]
    assert not found, "\n".join(found)


def test_no_summary_text_is_hard_coded(output: Path) -> None:
    allowed = prefecture_words(output)
    found = []
    for release in sorted((output / layout.RELEASES_DIR).iterdir()):
        summary = release / layout.summary_file(PSEUDO, i18n.DEFAULT)
        lines = summary.read_text(encoding="utf-8").replace("\\", "").splitlines()
        found += [f"{release.name}: {line}" for line in leftovers(lines, allowed)]
    assert not found, "\n".join(found)


def test_no_workbook_text_is_hard_coded(output: Path) -> None:
    """The workbook's own words: its sheet names, every column title, the read-me's labels and
    texts, the dictionary's titles, types and descriptions, the summary sheet; the data sheets'
    cells are the data."""
    allowed = prefecture_words(output) | {settings.PACKAGE_TITLE}  # the dataset's name
    release = sorted((output / layout.RELEASES_DIR).iterdir())[-1]
    book = openpyxl.load_workbook(
        release / layout.workbook_file(PSEUDO, i18n.DEFAULT), read_only=True
    )
    # a sheet name is cut at Excel's 31 characters, its wrapper's end with it
    texts = list(book.sheetnames)
    sheets = book.worksheets
    summary, readme, dictionary, tables = sheets[0], sheets[1], sheets[-1], sheets[2:-1]
    texts += [str(v) for row in summary.iter_rows(values_only=True) for v in row if v]
    for row in readme.iter_rows(values_only=True):
        texts += [str(v) for v in row[:2] if isinstance(v, str)]  # labels, texts (a path aside)
    for row in dictionary.iter_rows(values_only=True):
        texts += [str(v) for v in (row[0], *row[2:6]) if v]  # not the field names, the values
    for sheet in tables:
        first = next(sheet.iter_rows(max_row=2, values_only=True))
        texts += [str(v) for v in first if v]
    cut = {name for name in book.sheetnames if name.startswith(OPEN) and CLOSE not in name}
    texts = [text + CLOSE if text in cut else text for text in texts]  # where they are named
    book.close()
    lines = [line for text in texts for line in text.split("\n")]
    found = leftovers(lines, allowed)
    assert not found, "\n".join(found)
