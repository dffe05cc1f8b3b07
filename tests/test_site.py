"""The release website, opened in a real browser: headless Chromium on pages served from a
local HTTP server on 127.0.0.1. Checks the content and every link; keeps screenshots in
test-artifacts/screenshots/."""

from __future__ import annotations

import struct
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from bs4 import BeautifulSoup

from tests.conftest import chromium_path
from tests.helpers import serve_folder

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"
CHROMIUM = chromium_path() or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def chromium(*args: str) -> subprocess.CompletedProcess:
    """Headless Chromium; only browser-marked tests call it (conftest skips them without it)."""
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=120,
        )


def dom(url: str) -> BeautifulSoup:
    run = chromium("--dump-dom", url)
    assert run.returncode == 0, run.stderr[-2000:]
    return BeautifulSoup(run.stdout, "html.parser")


def screenshot(url: str, name: str, width: int, height: int) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / name
    target.unlink(missing_ok=True)
    run = chromium(f"--window-size={width},{height}", f"--screenshot={target}", url)
    assert run.returncode == 0 and target.exists(), run.stderr[-2000:]
    return target


def spaced(text: str) -> str:
    """Text with its non-breaking spaces (French typography) read as spaces."""
    return " ".join(text.split())


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


@pytest.fixture(scope="module")
def site(two_releases) -> Iterator[str]:
    """Two releases (a visibility change) served over HTTP from the output folder."""
    with serve_folder(two_releases) as base:
        yield base + "site/"


def test_home_page_answers_how_to_get_an_appointment(site):
    page = dom(site + "index.html")
    assert spaced(page.h1.get_text()) == (
        "Comment obtenir un rendez-vous pour un titre de séjour en Isère ?"
    )
    sections = {spaced(s.h2.get_text(" ")): s for s in page.select("section.type")}
    assert len(sections) == 8
    renewals = spaced(sections["Renouvellements de titre de séjour"].get_text(" "))
    assert "Sauf : renouvellement des cartes de résident de 10 ans" in renewals
    assert "Nouveaux créneaux chaque lundi à 0 h ; visibles 8 semaines à l'avance." in renewals
    students = sections["Etudiants, chercheurs, scientifiques et membres de leur famille"]
    text = spaced(students.get_text(" "))
    assert "Antenne Campus — jusqu'au 18/12/2020" in text
    assert "ce lieu n'accueille plus de rendez-vous depuis le 19/12/2020" in text  # first day
    assert students.select_one("p.warning") is not None
    priority = sections["1ères demandes de titre de séjour « prioritaires » prioritaire"]
    assert "n'est pas destinée au public" in spaced(priority.get_text(" "))
    walk_in = sections["Dépôt des dossiers d'admission exceptionnelle au séjour"]
    assert "Sans rendez-vous le mercredi après-midi, dans la limite de 10 places." in spaced(
        walk_in.get_text(" ")
    )
    assert page.find("script") is None


def test_every_link_of_every_page_works(site):
    pages = ["index.html", "history.html", "releases/1.0.0.html", "releases/1.1.0.html"]
    checked = set()
    for name in pages:
        url = site + name
        for anchor in dom(url).find_all("a", href=True):
            target = urljoin(url, anchor["href"])
            if urlsplit(target).hostname != "127.0.0.1":
                # the calendars' webcal:// and https:// links are built on --base-url
                assert target.startswith(("https://", "http://", "mailto:", "webcal://")), target
                continue
            if target.split("#")[0] in checked:
                continue
            checked.add(target.split("#")[0])
            assert httpx.get(target, timeout=10).status_code == 200, (name, target)
    assert len(checked) > 20  # the pages, the style sheet is not an anchor, every release file


def test_release_page_lists_every_file_with_size_and_sha256(site):
    page = dom(site + "releases/1.1.0.html")
    rows = page.select("tbody tr")
    names = [row.td.get_text(strip=True) for row in rows]
    for expected in (
        "datapackage.json",
        "changes.json",
        "CHANGES.md",
        "DATA_DICTIONARY.md",
        "data/slot_rules.csv",
        "data/slot_rules.json",
        "data/slot_rules.parquet",
        "SHA256SUMS",
    ):
        assert expected in names
    assert "Renouvellements de titre de séjour : visibilité 6 → 8 semaines" in spaced(
        page.get_text()
    )
    digests = [row.find("code").get_text() for row in rows if row.td.get_text() != "SHA256SUMS"]
    assert all(len(d) == 64 for d in digests)


def test_history_page_has_the_releases_and_a_static_chart(site):
    page = dom(site + "history.html")
    assert [a.get_text() for a in page.select("tbody a")] == ["1.1.0", "1.0.0"]
    svg = page.find("svg")
    assert svg is not None and len(svg.find_all("polyline")) == 5
    legend = page.select_one(".legend").get_text(" ", strip=True)
    assert "Renouvellements de titre de séjour" in legend


def test_screenshots_on_a_phone_and_a_desktop(site):
    phone = screenshot(site + "index.html", "home-phone.png", 390, 844)
    assert png_size(phone) == (390, 844)
    desktop = screenshot(site + "index.html", "home-desktop.png", 1280, 1600)
    assert png_size(desktop) == (1280, 1600)
    screenshot(site + "history.html", "history.png", 1280, 1000)
    screenshot(site + "releases/1.1.0.html", "release.png", 1280, 1400)


def test_layout_is_responsive(site):
    page = dom(site + "index.html")
    viewport = page.find("meta", attrs={"name": "viewport"})
    assert viewport is not None and "width=device-width" in viewport["content"]
    css = httpx.get(site + "style.css", timeout=10).text
    assert "@media (max-width:" in css and "max-width: 60rem" in css
