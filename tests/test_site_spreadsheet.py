"""The site offers the workbook first to people with a spreadsheet: on every page's footer and
at the top of each release's downloads, by links that lead to the file."""

from __future__ import annotations

import re
from pathlib import Path

from rdv_opendata import pipeline


def links_to_workbook(page: Path) -> list[Path]:
    html = page.read_text(encoding="utf-8")
    hrefs = re.findall(r'href="([^"]*rdv-isere\.xlsx)"', html)
    return [(page.parent / href).resolve() for href in hrefs]


def test_every_page_links_to_the_latest_workbook_and_release_pages_to_their_own(tmp_path):
    output = tmp_path / "out"
    pipeline.run(None, output)
    site = output / "site"
    workbook = (output / "releases" / "1.0.0" / "data" / "rdv-isere.xlsx").resolve()
    pages = [site / "index.html", site / "history.html", site / "releases" / "1.0.0.html"]
    for page in pages:
        found = links_to_workbook(page)
        assert found and all(path == workbook for path in found), page
    release_page = (site / "releases" / "1.0.0.html").read_text(encoding="utf-8")
    assert "Pour un tableur" in release_page
    assert release_page.index("Pour un tableur") < release_page.index("<table")
