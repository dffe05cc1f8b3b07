"""The English outputs, built in every release beside the French ones from the same facts: the
site in ``site/en/`` (the same pages), its Atom feeds and calendars, and ``CHANGES.en.md`` in
every release. Each is well-formed (the feeds read by an XML parser, the calendars by
``icalendar``); every page links to itself in the other language (``hreflang``), the French page
is canonical, and the prefecture's words stay French, marked ``lang="fr"``. The French outputs
keep their addresses."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import icalendar
import openpyxl
import pytest
from bs4 import BeautifulSoup, Tag

from core import i18n
from core.settings import HTML_PARSER
from publish import layout
from tests.golden.series import BASE_URL, build_series
from tests.helpers import french_pages

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EN = "en"


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_series(tmp_path_factory.mktemp("series"))


def site(output: Path) -> Path:
    return output / layout.SITE_DIR


def english(output: Path) -> Path:
    return site(output) / layout.site_language_dir(EN, i18n.DEFAULT)


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), HTML_PARSER)


def test_every_french_page_has_its_english_page(output: Path) -> None:
    pages = french_pages(site(output))
    assert len(pages) >= 5  # home, history, three releases
    for page in pages:
        twin = english(output) / page.relative_to(site(output))
        assert twin.is_file(), twin
        html = soup(twin).html
        assert html is not None and html["lang"] == EN


def test_hreflang_and_canonical_links(output: Path) -> None:
    base = f"{BASE_URL}/{layout.SITE_DIR}/"
    for page in french_pages(site(output)):
        name = str(page.relative_to(site(output)))
        for lang, path in ((i18n.DEFAULT, page), (EN, english(output) / name)):
            head = soup(path)
            canonical = head.find("link", rel="canonical")
            assert isinstance(canonical, Tag) and canonical["href"] == base + name, path
            alternates = {a["hreflang"]: a["href"] for a in head.find_all("link", hreflang=True)}
            assert alternates == {
                "fr": base + name,
                "en": f"{base}en/{name}",
                "x-default": base + name,
            }, path
            switch = [a for a in head.select("nav a[hreflang]")]
            other = EN if lang == i18n.DEFAULT else i18n.DEFAULT
            assert [a["hreflang"] for a in switch] == [other], path
            target = (path.parent / str(switch[0]["href"])).resolve()
            assert target.is_file() and target.name == page.name, (path, target)


def test_the_english_pages_say_english_and_keep_the_prefecture_s_words_in_french(
    output: Path,
) -> None:
    home = soup(english(output) / layout.SITE_INDEX)
    text = home.get_text(" ")
    assert "How to get a residence permit appointment in Isère?" in text
    assert "Comment obtenir" not in text
    french = [e.get_text() for e in home.find_all(lang="fr")]
    assert "Renouvellements de titre de séjour" in french  # a type's label, kept and marked
    assert any("2021" in p.get_text() for p in home.select("p.checked"))
    assert not home.select("[lang=fr] [lang=en]")


def test_english_feeds_are_atom_in_english(output: Path) -> None:
    feeds = [english(output) / layout.MAIN_FEED, *(english(output) / "feeds").glob("*.xml")]
    assert len(feeds) >= 8
    ids = set()
    for feed in feeds:
        root = ET.parse(feed).getroot()
        assert root.tag == f"{ATOM}feed" and root.get(XML_LANG) == EN, feed
        ids.add(root.findtext(f"{ATOM}id"))
        entries = root.findall(f"{ATOM}entry")
        for entry in entries:
            assert (entry.findtext(f"{ATOM}title") or "").startswith("Version "), feed
    main = ET.parse(english(output) / layout.MAIN_FEED).getroot()
    assert "new versions of the data" in (main.findtext(f"{ATOM}title") or "")
    assert "changes" in (main.findtext(f"{ATOM}entry/{ATOM}title") or "")
    french = ET.parse(site(output) / layout.MAIN_FEED).getroot()
    assert french.get(XML_LANG) == "fr"
    assert french.findtext(f"{ATOM}id") not in ids  # two feeds, two ids


def test_english_calendars_parse_and_speak_english(output: Path) -> None:
    calendars = [
        english(output) / layout.MAIN_CALENDAR,
        *(english(output) / layout.TYPE_CALENDARS_DIR).glob("*.ics"),
    ]
    assert len(calendars) >= 8
    for path in calendars:
        calendar = icalendar.Calendar.from_ical(path.read_bytes())
        assert "/site/en/" in str(calendar.get("source") or calendar.get("url")), path
    every = icalendar.Calendar.from_ical((english(output) / layout.MAIN_CALENDAR).read_bytes())
    summaries = [str(e.get("summary")) for e in every.walk("VEVENT")]
    assert any(s.startswith("Slots open") for s in summaries), summaries[:5]
    assert not any(s.startswith("Ouverture des créneaux") for s in summaries)
    alarms = [str(a.get("description")) for a in every.walk("VALARM")]
    assert alarms and all("open in 10 minutes" in a for a in alarms)


def test_every_release_has_its_english_summary(output: Path) -> None:
    releases = sorted((output / layout.RELEASES_DIR).iterdir())
    assert len(releases) == 3
    for folder in releases:
        summary = folder / layout.summary_file(EN, i18n.DEFAULT)
        text = summary.read_text(encoding="utf-8")
        assert text.startswith(f"# Version {folder.name} ("), text
        sums = (folder / layout.SUMS_FILE).read_text(encoding="utf-8")
        assert layout.summary_file(EN, i18n.DEFAULT) in sums
    name = layout.summary_file(EN, i18n.DEFAULT)
    assert "First publication:" in (releases[0] / name).read_text("utf-8")
    changed = (releases[1] / name).read_text("utf-8")
    assert "visibility 6 → 8 weeks" in changed, changed


def test_every_release_has_its_english_workbook(output: Path) -> None:
    """The English workbook does what the French one does, in English: the summary sheet
    first, English sheet names and column titles, English labels beside the codes, the
    prefecture's words as they are."""
    for folder in sorted((output / layout.RELEASES_DIR).iterdir()):
        path = folder / layout.workbook_file(EN, i18n.DEFAULT)
        assert layout.workbook_file(EN, i18n.DEFAULT) in (folder / layout.SUMS_FILE).read_text()
        book = openpyxl.load_workbook(path, read_only=True)
        names = book.sheetnames
        assert names[:2] == ["Summary", "Read me"] and names[-1] == "Dictionary", names
        assert "Booking channels" in names and "Slot opening rules" in names, names
        summary = [row for row in book["Summary"].iter_rows(values_only=True) if any(row)]
        assert summary[2][:7] == (
            "Appointment type",
            "For",
            "Except",
            "How",
            "When",
            "Where",
            "Good to know",
        )
        said = "\n".join(str(v) for row in summary[3:] for v in row if v)
        assert "Renouvellements de titre de séjour" in said  # the prefecture's label
        assert "Online booking" in said and "New slots every" in said, said[:500]
        channels = list(book["Booking channels"].iter_rows(values_only=True))
        label = channels[1].index("channel_type") - 1  # the added label before the code
        assert channels[1][label] == "(added label)"
        assert channels[0][label + 1] == "Kind of booking channel (code)", channels[0]
        kinds = {row[label] for row in channels[2:] if row[0] is not None}
        assert "online booking" in kinds, kinds
        book.close()
