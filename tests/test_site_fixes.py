"""The website, second round: when the facts were observed, a chart over observed dates, no
sideways scrolling on a phone (measured in headless Chromium), French typography, French nouns
for the first publication, history totals without the source cells, and the first day a place
no longer takes appointments."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st

from core.errors import NormaliseError
from publish.release.store import ReleaseStore
from rdv_opendata import pipeline
from tests.helpers import french_pages, serve_folder
from tests.http_server import send, serve
from tests.test_site import chromium, png_size, screenshot
from website.build import build_site

PHONE = 390
NBSP = "\u00a0"
#: a plain (breakable) space before a French high punctuation sign or inside guillemets
BREAKABLE = re.compile(r"«[ \t\r\n]|[ \t\r\n]»|[ \t\r\n][:;!?]")


def six_to(weeks: str, seed_text: str) -> str:
    return seed_text.replace("Visibilité à 6 semaines", f"Visibilité à {weeks} semaines")


@pytest.fixture(scope="module")
def served(tmp_path_factory, seed_text):
    """``plain``: three releases observed on 17/12/2020 (the bundled snapshot), 10/01/2021 and
    01/03/2021 (dated files); ``banner``: the snapshot, then a changed page that cannot be read.
    Both served over HTTP, with the phone probe beside them."""
    root = tmp_path_factory.mktemp("site-fixes")
    plain = root / "plain"
    pipeline.run(None, plain)
    for name, weeks in (("2021-01-10.txt", "8"), ("2021-03-01.txt", "6")):
        (root / name).write_text(six_to(weeks, seed_text), encoding="utf-8")
        pipeline.run(str(root / name), plain)
    bannered = root / "banner"
    pipeline.run(None, bannered)
    bad = root / "bad.txt"
    bad.write_text(six_to("quelques", seed_text), encoding="utf-8")
    with pytest.raises(NormaliseError, match="cannot read"):
        pipeline.run(str(bad), bannered, strict=True)
    with serve_folder(root) as base:
        yield root, base


def page(root: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((root / name).read_text("utf-8"), "html.parser")


def text_of(soup: BeautifulSoup) -> str:
    return " ".join(soup.get_text(" ").split())  # str.split() also splits on NBSP


def site_pages(output: Path) -> list[str]:
    site = output / "site"
    return sorted(str(p.relative_to(output.parent)) for p in french_pages(site))


# --- 1. freshness ------------------------------------------------------------------------------


def test_the_home_page_says_when_a_bundled_snapshot_was_observed(served):
    root, _ = served
    home = page(root, "banner/site/index.html")
    fresh = home.select_one(".freshness")
    assert fresh is not None
    said = text_of(fresh)
    assert "Informations relevées sur le site de la préfecture le 17/12/2020" in said
    assert "copie de la page enregistrée dans un fichier" in said
    assert fresh.find("a") is None
    assert "Informations de la version 1.0.0 du " in text_of(home)


def test_the_home_page_says_a_dated_file_is_a_snapshot_without_a_link(served):
    root, _ = served
    fresh = page(root, "plain/site/index.html").select_one(".freshness")
    assert "Informations relevées sur le site de la préfecture le 01/03/2021" in text_of(fresh)
    assert "fichier" in text_of(fresh) and fresh.find("a") is None


def test_the_home_page_links_the_page_it_fetched(seed_bytes, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")  # 2025-11-24

    def dated(request, hit):
        send(request, 200, seed_bytes, {"Last-Modified": "Tue, 05 Jan 2021 10:00:00 GMT"})

    with serve({"/modalites": dated}) as server:
        url = server.url("/modalites")
        pipeline.run(url, tmp_path / "out")
    fresh = page(tmp_path, "out/site/index.html").select_one(".freshness")
    assert "Informations relevées sur le site de la préfecture le 05/01/2021" in text_of(fresh)
    link = fresh.find("a")
    assert link is not None and link["href"] == url
    assert "Informations de la version 1.0.0 du 24/11/2025" in text_of(
        page(tmp_path, "out/site/index.html")
    )


# --- 2. the chart over observed dates, as steps ------------------------------------------------


def polyline_points(polyline) -> list[tuple[float, float]]:
    pairs = [p.split(",") for p in polyline["points"].split()]
    return [(float(x), float(y)) for x, y in pairs]


def test_the_chart_is_a_step_function_of_the_observed_date(served):
    root, _ = served
    svg = page(root, "plain/site/history.html").find("svg")
    labels = [t.get_text() for t in svg.select("text.date")]
    assert labels == ["17/12/2020", "10/01/2021", "01/03/2021"]
    lines = svg.find_all("polyline")
    assert len(lines) == 5
    for line in lines:
        points = polyline_points(line)
        for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
            assert x1 == x2 or y1 == y2, line  # steps: horizontal, then vertical
            assert x2 >= x1
    xs = sorted({float(c["cx"]) for c in svg.find_all("circle")})
    assert len(xs) == 3
    # x is proportional to the date: 24 days, then 50 days
    assert (xs[1] - xs[0]) / (xs[2] - xs[1]) == pytest.approx(24 / 50, rel=0.02)
    renewals = [line for line in lines if len({y for _, y in polyline_points(line)}) > 1]
    assert renewals, "the visibility 6 → 8 → 6 weeks is drawn as steps"
    assert page(root, "plain/site/history.html").select_one(".legend") is not None


def test_an_entry_without_source_observed_is_placed_at_its_published_date(served, tmp_path):
    root, _ = served
    copy = tmp_path / "plain"
    shutil.copytree(root / "plain", copy, symlinks=True)
    catalog_path = copy / "releases.json"
    catalog = json.loads(catalog_path.read_text("utf-8"))
    for entry in catalog["releases"]:
        entry.pop("source_observed", None)
    catalog_path.write_text(json.dumps(catalog), encoding="utf-8")
    # an old release, published before first publications were said in French
    old = copy / "releases" / "1.0.0" / "changes.json"
    changes = json.loads(old.read_text("utf-8"))
    changes["summary"] = ["Première publication : 8 appointment_types, 35 source_cells."]
    old.write_text(json.dumps(changes), encoding="utf-8")
    build_site(ReleaseStore(copy))
    history = page(copy, "site/history.html")
    published = catalog["releases"][0]["published"]
    day = f"{published[8:10]}/{published[5:7]}/{published[:4]}"
    assert day in [t.get_text() for t in history.find("svg").select("text.date")]
    said = text_of(page(copy, "site/releases/1.0.0.html").select_one("main ul"))
    assert said.startswith("Première publication : 8 types de rendez-vous, 2 lieux")
    assert "appointment_types" not in said and "source" not in said


# --- 3. nothing scrolls sideways on a phone ----------------------------------------------------

PROBE = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
{frames}
<pre id="result"></pre>
<script>
window.addEventListener("load", function () {{
  var out = {{}};
  document.querySelectorAll("iframe").forEach(function (frame) {{
    var d = frame.contentDocument, found = {{}};
    found.scrollWidth = d.documentElement.scrollWidth;
    found.tables = [];
    d.querySelectorAll(".table").forEach(function (t) {{
      found.tables.push(t.scrollWidth - t.clientWidth);
    }});
    found.outside = [];
    found.overlaps = [];
    found.heights = [];
    d.querySelectorAll("svg").forEach(function (svg) {{
      var box = svg.getBoundingClientRect(), dates = [];
      svg.querySelectorAll("text").forEach(function (t) {{
        var r = t.getBoundingClientRect();
        if (r.left < box.left - 0.5 || r.right > box.right + 0.5 ||
            r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5) {{
          found.outside.push(t.textContent);
        }}
        if (t.classList.contains("date")) {{ dates.push([t.textContent, r]); }}
        found.heights.push([r.height, box.width, t.textContent]);
      }});
      for (var i = 1; i < dates.length; i++) {{
        if (dates[i][1].left < dates[i - 1][1].right) {{
          found.overlaps.push(dates[i - 1][0] + " / " + dates[i][0]);
        }}
      }}
    }});
    out[frame.getAttribute("src")] = found;
  }});
  document.getElementById("result").textContent = JSON.stringify(out);
}});
</script></body></html>
"""


def measure(root: Path, base: str, pages: list[str], width: int) -> dict[str, dict]:
    frames = "\n".join(
        f'<iframe style="border:0" width="{width}" height="900" src="{name}"></iframe>'
        for name in pages
    )
    (root / "probe.html").write_text(PROBE.format(frames=frames), encoding="utf-8")
    run = chromium("--virtual-time-budget=10000", "--dump-dom", base + "probe.html")
    assert run.returncode == 0, run.stderr[-2000:]
    found = BeautifulSoup(run.stdout, "html.parser").find(id="result")
    assert found is not None, "the probe page did not load"
    result = found.get_text()
    assert result, "the probe did not run"
    return json.loads(result)


@pytest.mark.browser
def test_no_page_scrolls_sideways_on_a_phone(served):
    root, base = served
    pages = site_pages(root / "plain") + site_pages(root / "banner")
    assert len(pages) == 8  # plain: 2 pages and 3 releases; banner: 2 and 1
    found = measure(root, base, pages, PHONE)
    assert set(found) == set(pages)
    for name, seen in found.items():
        assert seen["scrollWidth"] <= PHONE, (name, seen)
        assert all(extra <= 0 for extra in seen["tables"]), (name, seen)
        assert seen["outside"] == [], (name, seen)
        assert seen["overlaps"] == [], (name, seen)
    chart = found["plain/site/history.html"]
    assert chart["heights"], chart
    for height, svg_width, label in chart["heights"]:  # readable labels: a font of 11 px or more
        assert height >= 12 and svg_width >= 340, (label, height, svg_width)


@pytest.mark.browser
def test_screenshots_with_and_without_the_banner(served):
    _, base = served
    shots = {
        "banner-home-phone.png": ("banner/site/index.html", PHONE, 844),
        "banner-home-desktop.png": ("banner/site/index.html", 1280, 900),
        "history-phone.png": ("plain/site/history.html", PHONE, 1200),
        "history-desktop.png": ("plain/site/history.html", 1280, 1000),
        "release-phone.png": ("plain/site/releases/1.2.0.html", PHONE, 1400),
        "home-observed-phone.png": ("plain/site/index.html", PHONE, 844),
    }
    for name, (where, width, height) in shots.items():
        assert png_size(screenshot(base + where, name, width, height)) == (width, height)


# --- 4. French typography ----------------------------------------------------------------------


def test_french_typography_on_every_page(served):
    root, _ = served
    for name in site_pages(root / "plain") + site_pages(root / "banner"):
        said = page(root, name).get_text()
        assert not BREAKABLE.search(said), (name, BREAKABLE.search(said))
    home = page(root, "plain/site/index.html")
    assert home.h1.get_text() == (
        f"Comment obtenir un rendez-vous pour un titre de séjour en Isère{NBSP}?"
    )
    assert f"«{NBSP}prioritaires{NBSP}»" in home.get_text()
    # the banner of the page that changed and could not be read (after the demonstration's)
    (banner,) = [
        b.get_text()
        for b in page(root, "banner/site/index.html").select(".banner")
        if "pas pu être lue" in b.get_text()
    ]
    assert f"n'a pas pu être lue{NBSP}; les informations" in banner
    release = page(root, "plain/site/releases/1.1.0.html").get_text()
    assert f"Renouvellements de titre de séjour{NBSP}: visibilité 6 → 8 semaines" in release


def test_the_published_data_keep_their_own_spaces(served):
    root, _ = served
    types = (root / "plain" / "latest" / "data" / "appointment_types.csv").read_text("utf-8")
    assert "« prioritaires »" in types and NBSP not in types
    changes = json.loads((root / "plain" / "releases" / "1.1.0" / "changes.json").read_text())
    assert changes["summary"] == ["Renouvellements de titre de séjour : visibilité 6 → 8 semaines"]


# --- 5 and 6. the first publication in French, history totals without source cells -----------

FIRST = (
    "Première publication : 8 types de rendez-vous, 2 lieux, 0 fermeture, 9 modalités, "
    "28 démarches, 6 règles d'ouverture des créneaux, 3 adresses électroniques."
)


def test_the_first_publication_is_said_with_french_nouns(served):
    root, _ = served
    changes = json.loads((root / "plain" / "releases" / "1.0.0" / "changes.json").read_text())
    assert changes["summary"] == [FIRST]
    release = page(root, "plain/site/releases/1.0.0.html")
    history = page(root, "plain/site/history.html")
    for name, summary in (
        ("release", release.find("h2", string="Changements").find_next("ul")),
        ("history", history.select("tbody tr")[-1].select_one(".changes")),
    ):
        said = text_of(summary)
        assert said == FIRST, name
        assert not re.search(r"[a-z]_[a-z]", said), name  # no resource id


def test_history_totals_leave_out_the_source_cells(served):
    root, _ = served
    rows = {
        row.td.get_text(strip=True): [td.get_text(" ", strip=True) for td in row.find_all("td")]
        for row in page(root, "plain/site/history.html").select("tbody tr")
    }
    assert list(rows) == ["1.2.0", "1.1.0", "1.0.0"]
    assert "56 / 0 / 0" in rows["1.0.0"]  # 8 + 2 + 0 + 9 + 28 + 6 + 3, not the 35 cells
    assert "0 / 0 / 1" in rows["1.1.0"] and "0 / 0 / 1" in rows["1.2.0"]
    assert "17/12/2020" in rows["1.0.0"] and "10/01/2021" in rows["1.1.0"]


# --- 7. an expired place -----------------------------------------------------------------------


def test_an_expired_place_is_dated_from_its_first_day_without_validity(served):
    root, _ = served
    said = text_of(page(root, "plain/site/index.html"))
    assert "Antenne Campus — jusqu'au 18/12/2020" in said
    assert "n'accueille plus de rendez-vous depuis le 19/12/2020" in said
    assert "depuis le 18/12/2020" not in said


def test_the_typography_helper_leaves_times_and_links_alone():
    from publish.changes.french import typography

    assert typography("Sauf : a ; b ! c ?") == f"Sauf{NBSP}: a{NBSP}; b{NBSP}! c{NBSP}?"
    assert typography("« a »\n«b»") == f"«{NBSP}a{NBSP}»\n«{NBSP}b{NBSP}»"
    assert typography("à 10:30, https://x.fr/?a=1") == "à 10:30, https://x.fr/?a=1"


@given(st.text(alphabet=" \u00a0\u202fa1:;!?«»/h", max_size=30))
def test_typography_left_alone_without_a_sign_is_the_same(text):
    """``typography`` skips a text with no « » : ; ! ? (most of a page's): what it gives is
    always the three rules' result."""
    from publish.changes import french

    rules = re.sub(r"«\s*", "«\u00a0", text)
    rules = re.sub(r"\s*»", "\u00a0»", rules)
    assert french.typography(text) == re.sub(r"\s+([:;!?])", "\u00a0\\1", rules)


@given(st.text(alphabet="<>a :;!?«»\u00a0", max_size=40))
def test_typeset_spaces_every_text_between_tags(html):
    """``typeset`` visits only the texts that hold a sign: the page it gives is the one given
    by French typography on every text between two tags."""
    import re

    from publish.changes import french
    from website.build import typeset

    every = re.sub(r"(?<=>)[^<>]+(?=<)", lambda m: french.typography(m.group()), html)
    assert typeset(html) == every
