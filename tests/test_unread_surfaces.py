"""Every surface says first that sentences could not be read (Contract 3): the website (a banner
on the type, a notice on the home page), the Atom feeds and the notification. Three releases
published by the real pipeline: 1.0.0 reads everything; 1.1.0 leaves two sentences unread, one
of them hostile (markup, a forged change line); 1.2.0 reads one of them again."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup

from publish.changes import unread
from publish.changes.french import NBSP
from rdv_opendata import notify, pipeline
from rdv_opendata.pipeline import RunResult
from tests.unread_rows import (
    FIRST_MONDAY,
    FORGED,
    RENEWALS,
    RENEWALS_LABEL,
    publish_with_unread,
    unread_row,
)

FIRST_REQUESTS = "1eres-demandes-de-titre-de-sejour"
ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = unread_row(FORGED)
MONDAY = unread_row(
    FIRST_MONDAY,
    source_row=2,
    type_id=FIRST_REQUESTS,
    channel_id=f"{FIRST_REQUESTS}--online-booking",
)


def plain(text: str) -> str:
    return " ".join(text.replace(NBSP, " ").split())


@pytest.fixture(scope="module")
def releases(tmp_path_factory, seed_text) -> tuple[Path, list[RunResult]]:
    folder = tmp_path_factory.mktemp("unread")
    output = folder / "out"
    results = [pipeline.run(None, output)]
    for weeks, rows in ((8, [HOSTILE, MONDAY]), (10, [HOSTILE])):
        source = folder / f"{weeks}.txt"
        source.write_text(seed_text.replace("à 6 semaines", f"à {weeks} semaines"), "utf-8")
        results.append(publish_with_unread(source, output, rows))
    assert [r.version for r in results] == ["1.0.0", "1.1.0", "1.2.0"]
    return output, results


def page(output: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((output / "site" / name).read_text("utf-8"), "html.parser")


# --- the website ---------------------------------------------------------------------------


def test_the_type_shows_a_banner_first_for_each_unread_sentence(releases):
    output, _ = releases
    home = page(output, "index.html")
    section = home.find("section", id=RENEWALS)
    first = section.find("h2").find_next_sibling()
    assert "unread" in first["class"]
    assert plain(first.get_text()) == (
        "La préfecture a écrit : « Ouvert le mardi à 9h. - Type supprimé : Renouvellements "
        "<script>alert(1)</script> ». Cette phrase n'a pas pu être lue automatiquement ; "
        "vérifiez sur sa page."
    )
    assert len(section.select("p.unread")) == 1
    assert home.find("section", id=FIRST_REQUESTS).select("p.unread") == []  # read again


def test_markup_in_a_sentence_is_shown_as_text(releases):
    output, _ = releases
    html = (output / "site" / "index.html").read_text("utf-8")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert page(output, "index.html").find("script") is None


def test_the_home_page_counts_the_unread_sentences_and_links_their_types(releases):
    output, _ = releases
    notice = page(output, "index.html").select_one("p.warning.unread")
    assert plain(notice.get_text()).startswith(
        "1 phrase de la préfecture n'a pas pu être lue automatiquement"
    )
    assert [(a["href"], a.get_text()) for a in notice.find_all("a")] == [
        (f"#{RENEWALS}", RENEWALS_LABEL)
    ]
    assert notice.find_next_sibling("ul")["class"] == ["toc"]  # before the types


def test_a_release_page_says_its_unread_sentences_first(releases):
    output, _ = releases
    items = page(output, "releases/1.1.0.html").find("ul").find_all("li")
    said = [plain(li.get_text()) for li in items]
    assert said[0].startswith("2 phrases de la préfecture n'ont pas pu être lues")
    assert said[1].startswith("Ligne 2, colonne « Remarques » (1ères demandes")
    assert said[2].startswith(f"Ligne 3, colonne « Remarques » ({RENEWALS_LABEL})")
    later = [plain(li.get_text()) for li in page(output, "releases/1.2.0.html").find_all("li")]
    assert f"Phrase de nouveau lue (ligne 2, Remarques) : « {FIRST_MONDAY} »" in later


def test_the_history_counts_an_unread_sentence_as_a_changed_row(releases):
    output, _ = releases
    catalog = json.loads((output / "releases.json").read_text("utf-8"))["releases"]
    assert catalog[1]["changes"]["unread_sentences"]["added"] == 2
    history = page(output, "history.html")
    row = next(a for a in history.find_all("a") if a.get_text() == "1.1.0").find_parent("tr")
    assert row.find_all("td")[-1].get_text() == "2 / 0 / 1"  # 2 sentences, 1 rule changed


# --- the feeds -------------------------------------------------------------------------------


def entry_lines(output: Path, feed: str, version: str) -> tuple[str, list[str]]:
    """The title and lines of release ``version``'s entry in ``feed`` (``feeds/<type>.xml``:
    that type's entry)."""
    root = ElementTree.parse(output / "site" / feed).getroot()
    type_id = feed.removeprefix("feeds/").removesuffix(".xml")
    wanted = f"release/{version}" + ("" if feed == "feed.xml" else f"/type/{type_id}")
    for entry in root.iter(f"{ATOM}entry"):
        if entry.findtext(f"{ATOM}id", "").endswith(wanted):
            html = BeautifulSoup(entry.findtext(f"{ATOM}content", ""), "html.parser")
            lines = [plain(li.get_text()) for li in html("li")]
            return entry.findtext(f"{ATOM}title", ""), lines
    raise AssertionError(f"no entry for {version} in {feed}")


def test_the_main_feed_entry_says_the_unread_sentences_first(releases):
    output, _ = releases
    title, lines = entry_lines(output, "feed.xml", "1.1.0")
    assert title == "Version 1.1.0 (mineure) — 3 changements — 2 phrases non lues"
    assert lines[0].startswith("2 phrases de la préfecture n'ont pas pu être lues")
    assert FIRST_MONDAY in lines[1]
    assert "Type supprimé" in lines[2] and "<script>" in lines[2]  # text, in one item
    assert len(lines) == 6


def test_the_type_feed_entry_says_its_unread_sentence_first(releases):
    output, _ = releases
    title, lines = entry_lines(output, f"feeds/{FIRST_REQUESTS}.xml", "1.1.0")
    assert title == "Version 1.1.0 (mineure) — 1 changement — 1 phrase non lue"
    assert lines[0].startswith("1 phrase de la préfecture n'a pas pu être lue")
    assert lines[1].startswith("Ligne 2, colonne « Remarques » (1ères demandes")
    assert lines[2] == f"Phrase non lue (ligne 2, Remarques) : « {FIRST_MONDAY} »"
    title, lines = entry_lines(output, f"feeds/{FIRST_REQUESTS}.xml", "1.2.0")
    assert title == "Version 1.2.0 (mineure) — 1 changement"
    assert lines == [f"Phrase de nouveau lue (ligne 2, Remarques) : « {FIRST_MONDAY} »"]
    _, lines = entry_lines(output, f"feeds/{RENEWALS}.xml", "1.2.0")
    assert lines[0].startswith("1 phrase") and "Type supprimé" in lines[1]  # still unread


# --- the notification --------------------------------------------------------------------------


def test_the_notification_says_where_the_sentence_is_and_how_to_teach_it(releases):
    output, results = releases
    title, body = notify.release_message(results[1])
    assert title.endswith("(Isère) : 2 phrases non lues")
    lines = [plain(line) for line in body.splitlines()]
    assert lines[0].startswith("2 phrases de la préfecture n'ont pas pu être lues")
    assert lines[1] == (
        "Ligne 2, colonne « Remarques » (1ères demandes de titre de séjour) : la préfecture a "
        f"écrit « {FIRST_MONDAY} » ; cette phrase n'a pas pu être lue automatiquement."
    )
    assert lines[3].startswith(f"Pour les faire lire : « rdv-opendata unread {output} »")
    assert "readings.toml" in lines[3]
    rest = [plain(line) for line in results[1].lines[3:]]
    assert lines[4 : 4 + len(rest)] == rest
    assert lines[4 + len(rest)].startswith("Jeu de données : ")  # then the dataset, the links


def test_a_forged_sentence_is_no_line_of_its_own_in_the_notification(releases):
    _, results = releases
    for result in results[1:]:
        _, body = notify.release_message(result)
        lines = body.splitlines()
        assert not any(line.startswith(("- ", "<script")) for line in lines)
        forging = [line for line in lines if "Type supprimé" in line]
        assert forging and all("« Ouvert le mardi à 9h. - Type" in plain(x) for x in forging)
    forged = {"version": "9.9.9", "lines": ["a\n- Type supprimé : X", "b\u2028c"]}
    assert notify.release_message(forged)[1].startswith("a - Type supprimé : X\nb c\nJeu de")


def test_a_release_without_unread_sentences_is_announced_as_before(releases):
    _, results = releases
    title, body = notify.release_message(results[0])
    assert title == "Nouvelle version 1.0.0 du jeu de données des rendez-vous (Isère)"
    said = results[0].lines
    assert body.splitlines()[: len(said)] == said  # then the dataset and the links
    assert "unread" not in body


def test_an_output_folder_that_cannot_be_shown_is_not_shown():
    assert unread.TEACH_COMMAND in unread.teach_line("'/tmp/a b'")
    assert notify._output_folder("/srv/a b/releases/1.0.0") == "'/srv/a b'"
    assert notify._output_folder("/srv/a\nb/releases/1.0.0") == "DOSSIER_DE_SORTIE"
