"""Accessibility of the release website: axe-core (bundled by axe-playwright-python) runs in the
Debian Chromium, driven by Playwright, on pages served from 127.0.0.1, at a phone's width and a
desktop's, with the enhanced contrast of WCAG AAA on top of axe's defaults. No serious or critical
violation is allowed; the moderate and minor ones found are listed in the README (Accessibility)
with what was done about them.

Two sites are checked: ``ordinary`` (two releases, a visibility change) and ``troubled`` (a
release with unread sentences, then a changed page that cannot be read: the red banner on every
page and the unread notices, which have colours of their own).

Adding a page is one line in ``PAGES``; the English pages (``site/en/``) are there."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import chromium_path
from tests.helpers import serve_folder
from tests.unread_rows import FIRST_MONDAY, FORGED, publish_with_unread, unread_row

pytestmark = pytest.mark.browser

#: (site, page relative to its site/ folder), each checked at every width
PAGES = [
    ("ordinary", "index.html"),  # home page; each type is a section of it (index.html#<type_id>)
    ("ordinary", "releases/1.1.0.html"),  # a release page (the one with a change)
    ("ordinary", "history.html"),
    ("troubled", "index.html"),  # the banner, the unread notice and an unread sentence per type
    ("troubled", "releases/1.1.0.html"),
    ("troubled", "history.html"),
    # the English site (core/locales/en): its home page, whose sections are the type pages, in
    # both sites (the troubled one with its banner and unread sentences), and a release page
    ("ordinary", "en/index.html"),
    ("ordinary", "en/releases/1.1.0.html"),
    ("troubled", "en/index.html"),
]
#: a phone (390 px) and a desktop (1280 px)
WIDTHS = [390, 1280]
FIRST_REQUESTS = "1eres-demandes-de-titre-de-sejour"
#: one hostile sentence (markup, a forged change line) on renewals, one plain on first requests
UNREAD = [
    unread_row(FORGED),
    unread_row(
        FIRST_MONDAY,
        source_row=2,
        type_id=FIRST_REQUESTS,
        channel_id=f"{FIRST_REQUESTS}--online-booking",
    ),
]
BLOCKING = {"serious", "critical"}
#: axe's default rules (WCAG 2.x A and AA, best practices) and the enhanced contrast (AAA, 7:1),
#: which the site meets; axe rates its failures serious
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "rules": {"color-contrast-enhanced": {"enabled": True}},
}
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "axe"


def troubled_output(folder: Path, seed_text: str) -> Path:
    """The snapshot; 1.1.0 with two sentences left unread; then a changed page that cannot be read
    (strict run), so every page carries the banner."""
    from core.errors import NormaliseError
    from rdv_opendata import pipeline

    output = folder / "out"
    pipeline.run(None, output)
    source = folder / "8.txt"
    source.write_text(seed_text.replace("à 6 semaines", "à 8 semaines"), "utf-8")
    publish_with_unread(source, output, UNREAD)
    bad = folder / "bad.txt"
    bad.write_text(seed_text.replace("à 6 semaines", "à quelques semaines"), "utf-8")
    with pytest.raises(NormaliseError):
        pipeline.run(str(bad), output, strict=True)
    home = (output / "site" / "index.html").read_text("utf-8")
    assert 'class="banner"' in home and 'class="warning unread"' in home
    return output


@pytest.fixture(scope="module")
def sites(two_releases, tmp_path_factory, seed_text) -> Iterator[dict[str, str]]:
    """Each site's base URL, served over HTTP from its output folder."""
    troubled = troubled_output(tmp_path_factory.mktemp("axe-troubled"), seed_text)
    with serve_folder(two_releases) as ordinary, serve_folder(troubled) as bannered:
        yield {"ordinary": ordinary + "site/", "troubled": bannered + "site/"}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Playwright's Chromium API on the Debian Chromium (Playwright cannot download its own)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium_path() or "/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()


def axe_violations(browser: Any, url: str, width: int) -> list[dict]:
    """axe-core's violations on ``url`` in a viewport ``width`` px wide."""
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(url, wait_until="load")
        return list(Axe().run(page, options=AXE_OPTIONS).response["violations"])
    finally:
        context.close()


def summary(violations: list[dict]) -> list[str]:
    """One line per violation: impact, rule, number of nodes and the first targets."""
    return [
        f"{v['impact']} {v['id']} ({len(v['nodes'])}): "
        + "; ".join(str(node["target"]) for node in v["nodes"][:3])
        for v in violations
    ]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("site", "name"), PAGES)
def test_no_serious_or_critical_axe_violation(sites, browser, site, name, width):
    violations = axe_violations(browser, sites[site] + name, width)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    report = ARTIFACTS / f"{site}-{name.replace('/', '_')}-{width}.json"
    report.write_text(json.dumps(violations, indent=1, ensure_ascii=False), encoding="utf-8")
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, "\n".join(summary(blocking))


def test_axe_does_find_violations(browser):
    """The check is not blind: a page with an image without text and an empty link fails it."""
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content('<html><body><img src="x.png"><a href="#"></a></body></html>')
        violations = Axe().run(page).response["violations"]
    finally:
        context.close()
    found = {v["id"]: v["impact"] for v in violations}
    assert found["image-alt"] == "critical" and found["link-name"] == "serious"
