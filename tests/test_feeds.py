"""The Atom feeds of the site (``website/feeds.py``), read back with feedparser: one entry per
release and per changed page that could not be read, a feed per appointment type, stable ids,
and text that cannot break the XML."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import feedparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import NormaliseError
from core.settings import PACKAGE_TITLE, PUBLIC_BASE_URL
from publish.reading.load import PackageData
from publish.release.store import ReleaseStore
from rdv_opendata import pipeline
from website.alert_words import STOP_SENTENCES
from website.by_type import type_changes
from website.feeds import (
    TAG,
    UNREAD_TITLE,
    Entry,
    Feed,
    feed_types,
    render_atom,
    type_feed,
    unread_attempts,
    unread_entries,
    write_feeds,
)

RENEWALS = "renouvellements-de-titre-de-sejour"
OTHER = "demarches-autres"
EIGHT_WEEKS = "Renouvellements de titre de séjour : visibilité 6 → 8 semaines"


@pytest.fixture(scope="module")
def output(tmp_path_factory, seed_text) -> Path:
    """1.0.0 (the snapshot, observed 2024-03-01), 1.1.0 (visibility 6 -> 8 weeks, 2024-03-05),
    then a changed page that cannot be read (2024-03-08), tried twice."""
    folder = tmp_path_factory.mktemp("feeds")
    sources = {
        "2024-03-01.txt": seed_text,
        "2024-03-05.txt": seed_text.replace("Visibilité à 6 semaines", "Visibilité à 8 semaines"),
        "2024-03-08.txt": seed_text.replace(
            "Visibilité à 6 semaines", "Visibilité à quelques semaines"
        ),
    }
    for name, text in sources.items():
        (folder / name).write_text(text, encoding="utf-8")
    out = folder / "out"
    pipeline.run(str(folder / "2024-03-01.txt"), out)
    pipeline.run(str(folder / "2024-03-05.txt"), out)
    for _ in range(2):  # the same unreadable page again: still one event
        with pytest.raises(NormaliseError):
            pipeline.run(str(folder / "2024-03-08.txt"), out, strict=True)
    return out


@pytest.fixture(scope="module")
def site(output, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    write_feeds(ReleaseStore(output), folder)
    return folder


def parsed(path: Path) -> Any:
    feed = feedparser.parse(path.read_text(encoding="utf-8"))
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def by_id(feed: Any) -> dict[str, Any]:
    return {entry.id: entry for entry in feed.entries}


def content(entry: Any) -> str:
    return " ".join(part.value for part in entry.content)


def alternate(entry: Any) -> str:
    return next(link.href for link in entry.links if link.rel == "alternate")


def test_write_feeds_writes_the_main_feed_and_one_per_type(output, tmp_path):
    written = write_feeds(ReleaseStore(output), tmp_path)
    types = [t["type_id"] for t in ReleaseStore(output).latest_package().rows["appointment_types"]]
    assert written[0] == tmp_path / "feed.xml"
    assert sorted(written[1:]) == sorted(tmp_path / "feeds" / f"{t}.xml" for t in types)
    assert all(path.is_file() for path in written)


def test_the_main_feed_has_every_release_and_the_unread_page(output, site):
    store = ReleaseStore(output)
    published = {e["version"]: e["published"] for e in store.catalog()}
    failed = [a for a in store.attempts() if a["outcome"] == "failed"]
    assert len(failed) == 2 and all(a["source_changed"] for a in failed)
    feed = parsed(site / "feed.xml")
    assert feed.version == "atom10"
    assert feed.feed.id == f"{TAG}feed"
    assert feed.feed.language == "fr"
    unread_id = f"{TAG}unread/{failed[0]['time']}"
    entries = by_id(feed)
    assert list(entries) == [unread_id, f"{TAG}release/1.1.0", f"{TAG}release/1.0.0"]

    minor = entries[f"{TAG}release/1.1.0"]
    assert minor.title == "Version 1.1.0 (mineure) — 1 changement"
    assert minor.updated == minor.published == published["1.1.0"]
    assert EIGHT_WEEKS in content(minor)
    assert alternate(minor) == f"{PUBLIC_BASE_URL}/site/releases/1.1.0.html"
    first = entries[f"{TAG}release/1.0.0"]
    assert first.title == "Version 1.0.0 (première publication)"
    assert first.updated == published["1.0.0"]
    assert "Première publication" in content(first)

    unread = entries[unread_id]
    assert unread.title == UNREAD_TITLE
    assert unread.updated == failed[0]["time"]
    text = content(unread)
    # the dataset, why in plain French (the attempt's one-line reason stays in attempts.json),
    # the day of the page that failed, the facts still shown (1.1.0, seen on 05/03/2024), links
    assert f"Jeu de données : {PACKAGE_TITLE}" in text
    assert STOP_SENTENCES["unread"] in text
    assert "cannot read" not in text and "row 3" not in text
    assert "La page qui n'a pas pu être publiée a été relevée le 08/03/2024." in text
    assert "La dernière version publiée (1.1.0, relevée le 05/03/2024) reste en ligne." in text
    assert f"Le site : {store.base_url}/site/index.html" in text
    assert f"La version : {store.base_url}/releases/1.1.0/" in text
    assert feed.feed.updated == max(e.updated for e in feed.entries)


def test_a_type_feed_holds_only_the_releases_about_that_type(site):
    renewals = parsed(site / "feeds" / f"{RENEWALS}.xml")
    other = parsed(site / "feeds" / f"{OTHER}.xml")
    assert renewals.feed.id == f"{TAG}feed/type/{RENEWALS}"
    assert renewals.feed.title.startswith("Renouvellements de titre de séjour")
    assert alternate(renewals.feed) == f"{PUBLIC_BASE_URL}/site/index.html#{RENEWALS}"

    entry = by_id(renewals)[f"{TAG}release/1.1.0/type/{RENEWALS}"]
    assert entry.title == "Version 1.1.0 (mineure) — 1 changement"
    assert content(entry).count("<li>") == 1 and EIGHT_WEEKS in content(entry)
    assert alternate(entry) == f"{PUBLIC_BASE_URL}/site/releases/1.1.0.html"
    initial = content(by_id(renewals)[f"{TAG}release/1.0.0/type/{RENEWALS}"])
    assert "Type ajouté : Renouvellements de titre de séjour" in initial
    assert "Démarches autres" not in initial

    assert not any("release/1.1.0" in e.id for e in other.entries)
    assert f"{TAG}release/1.0.0/type/{OTHER}" in by_id(other)
    assert all(EIGHT_WEEKS not in content(e) for e in other.entries)

    unread = [e.id for e in renewals.entries if e.title == UNREAD_TITLE]
    assert len(unread) == 1
    assert unread == [e.id for e in other.entries if e.title == UNREAD_TITLE]
    assert unread[0] in by_id(parsed(site / "feed.xml"))


def test_ids_and_documents_are_stable_across_builds(output, site, tmp_path):
    again = write_feeds(ReleaseStore(output), tmp_path)
    for path in again:
        before = site / path.relative_to(tmp_path)
        assert [e.id for e in parsed(path).entries] == [e.id for e in parsed(before).entries]
        assert path.read_bytes() == before.read_bytes()


def test_hostile_text_is_escaped():
    hostile = "Cartes & <b>titres</b> ]]> \"x\" 'y' \x00\x0b fin"
    entry = Entry(
        id=f"{TAG}release/9.9.9",
        title=hostile,
        updated="2024-03-08T09:00:00Z",
        published="2024-03-08T09:00:00Z",
        lines=(hostile, "</content><entry>"),
        link='releases/9.9.9.html?a=1&b="2"',
    )
    feed = Feed(
        id=f"{TAG}feed",
        title=hostile,
        subtitle=hostile,
        path="feed.xml",
        alternate="x&y.html",
        entries=(entry,),
    )
    document = render_atom(feed)
    assert "<b>" not in document and "\x00" not in document
    result = feedparser.parse(document)
    assert not result.bozo, result.get("bozo_exception")
    expected = "Cartes & <b>titres</b> ]]> \"x\" 'y' \ufffd\ufffd fin"
    assert result.feed.title == expected
    (parsed_entry,) = result.entries
    assert parsed_entry.title == expected
    assert parsed_entry.links[0].href == 'releases/9.9.9.html?a=1&b="2"'
    # the HTML list is escaped as HTML too: the markup of the lines is text, not elements
    assert "&lt;b&gt;titres&lt;/b&gt;" in content(parsed_entry)
    assert "&lt;/content&gt;&lt;entry&gt;" in content(parsed_entry)

    typed = render_atom(type_feed("a-b", "Étrangers & <mineurs>", [], []))
    assert feedparser.parse(typed).feed.title.startswith("Étrangers & <mineurs>")


def package(types: list[dict[str, Any]], channels: Sequence[dict[str, Any]] = ()) -> PackageData:
    return PackageData({"resources": []}, {"appointment_types": types, "channels": list(channels)})


def test_only_safe_type_ids_name_feed_files_and_removed_types_stay():
    old = package(
        [
            {"type_id": "gone", "label": "Supprimé", "position": 1},
            {"type_id": "../../evil", "label": "x", "position": 2},
            {"type_id": "kept", "label": "Ancien libellé", "position": 3},
        ]
    )
    new = package(
        [
            {"type_id": "second", "label": "Deux", "position": 2},
            {"type_id": "kept", "label": "Gardé", "position": 1},
            {"type_id": "Evil.xml", "label": "y", "position": 3},
        ]
    )
    assert feed_types([old, new]) == [("kept", "Gardé"), ("second", "Deux"), ("gone", "Supprimé")]
    with pytest.raises(ValueError, match="cannot name a feed file"):
        type_feed("../evil", "x", [], [])


def test_type_changes_follow_channels_and_places():
    channels = [
        {"channel_id": "a-mail", "type_id": "a", "location_id": "pref", "channel_type": "email"},
        {"channel_id": "b-mail", "type_id": "b", "location_id": "pref", "channel_type": "email"},
        {"channel_id": "c-mail", "type_id": "c", "location_id": "annex", "channel_type": "email"},
    ]
    new = package([{"type_id": t, "label": t.upper()} for t in "abc"], channels)
    closure = {"location_id": "pref", "closed_from": "2024-01-01", "closed_until": None}
    rule = {"rule_id": "r", "channel_id": "c-mail"}
    changes = {
        "from_version": "1.0.0",
        "resources": {
            "closures": {"added": [closure], "removed": [], "changed": []},
            "slot_rules": {"added": [], "removed": [rule], "changed": []},
            "source_cells": {"added": [{"row": 1}], "removed": [], "changed": []},
        },
        "schema": [{"resource": "channels"}],
        "metadata": [{"path": "title"}],
    }
    for type_id, closures, rules in (("a", 1, 0), ("b", 1, 0), ("c", 0, 1)):
        kept = type_changes(changes, type_id, None, new)
        assert len(kept["resources"]["closures"]["added"]) == closures
        assert len(kept["resources"]["slot_rules"]["removed"]) == rules
        assert kept["resources"]["source_cells"]["added"] == []
        assert kept["schema"] == kept["metadata"] == []


def test_one_entry_per_unreadable_page():
    catalog = [{"version": "1.0.0", "source_observed": "2024-03-01"}]

    def failed(time: str, digest: str, outcome: str = "failed", changed: Any = True) -> dict:
        return {
            "time": time,
            "outcome": outcome,
            "reason": "row 3:\n  cannot read",
            "version": "1.0.0",
            "source_sha256": digest,
            "source_changed": changed,
        }

    attempts = [
        failed("2024-03-08T09:00:00Z", "aa"),
        failed("2024-03-08T10:00:00Z", "aa"),  # the same page again
        failed("2024-03-08T10:00:00Z", "bb"),  # another page, in the same second
        failed("2024-03-09T09:00:00Z", "cc", changed=False),
        failed("2024-03-09T10:00:00Z", "dd", changed=None),
        failed("2024-03-09T11:00:00Z", "ee", outcome="refused"),
        failed("not a time", "ff"),
    ]
    entries = unread_entries(unread_attempts(attempts, catalog))
    assert [e.id for e in entries] == [
        f"{TAG}unread/2024-03-08T09:00:00Z",
        f"{TAG}unread/2024-03-08T10:00:00Z",
    ]
    assert entries[0].lines == (
        f"Jeu de données : {PACKAGE_TITLE}",
        STOP_SENTENCES["changed"],  # an attempt without its kind: the page changed, unread
        "La dernière version publiée (1.0.0, relevée le 01/03/2024) reste en ligne.",
        "Le site : /site/index.html",
        "La version : /releases/1.0.0/",
        "La dernière version (description) : /latest.json",
    )
    assert entries[0].link == "releases/1.0.0.html"
    same_second = unread_entries(
        unread_attempts([failed("2024-03-08T09:00:00Z", x) for x in ("a", "b")], catalog)
    )
    assert [e.id for e in same_second] == [
        f"{TAG}unread/2024-03-08T09:00:00Z",
        f"{TAG}unread/2024-03-08T09:00:00Z-2",
    ]


def test_the_published_site_carries_its_feeds_and_links_them(seed_text, tmp_path):
    import feedparser

    from rdv_opendata import pipeline

    source = tmp_path / "2024-03-01.txt"
    source.write_text(seed_text, encoding="utf-8")
    output = tmp_path / "out"
    pipeline.run(str(source), output)
    site = output / "site"
    main = feedparser.parse((site / "feed.xml").read_bytes())
    assert not main.bozo and [e.title for e in main.entries][0].startswith("Version 1.0.0")
    renewals = site / "feeds" / "renouvellements-de-titre-de-sejour.xml"
    assert not feedparser.parse(renewals.read_bytes()).bozo
    index = (site / "index.html").read_text("utf-8")
    assert 'type="application/atom+xml"' in index and 'href="feed.xml"' in index
    assert 'href="feeds/renouvellements-de-titre-de-sejour.xml"' in index


def _concerned(changes: Any, type_id: str, old: Any, new: Any) -> Any:
    """The per-type filter as first written (one pass over every row per type): the reference
    ``changes_by_type`` must agree with, whatever the rows."""
    from website.by_type import TypeLinks

    links = TypeLinks(old, new)
    resources = {
        name: {
            "added": [r for r in e["added"] if links.concerns(name, r, type_id)],
            "removed": [r for r in e["removed"] if links.concerns(name, r, type_id)],
            "changed": [
                c
                for c in e["changed"]
                if any(links.concerns(name, row, type_id) for row in links.rows_of(name, c["key"]))
            ],
        }
        for name, e in changes["resources"].items()
    }
    return {**changes, "resources": resources, "schema": [], "metadata": []}


#: changed fields of a row, as changes.json records them
SOME_FIELDS = [{}, {"capacity": {"old": 10, "new": 12}}, {"label": {"old": "a", "new": None}}]


def random_changes(output: Path, data: st.DataObject, metadata: list[Any]) -> tuple[Any, Any, Any]:
    """The two releases of ``output``, and random subsets of their rows as added, removed and
    changed rows."""
    from publish.changes.diff import row_key
    from publish.reading.load import load_package
    from schemas import registry

    old = load_package(output / "releases" / "1.0.0")
    new = load_package(output / "releases" / "1.1.0")
    resources = {}
    for name in registry.RESOURCE_ORDER:
        rows = new.rows[name]
        pick = st.lists(st.sampled_from(rows), unique_by=id) if rows else st.just([])
        key = registry.primary_key(name)
        resources[name] = {
            "added": data.draw(pick),
            "removed": data.draw(pick),
            "changed": [
                {"key": row_key(r, key), "fields": data.draw(st.sampled_from(SOME_FIELDS))}
                for r in data.draw(pick)
            ],
        }
    changes = {"from_version": "1.0.0", "resources": resources, "schema": [], "metadata": metadata}
    return old, new, changes


@settings(max_examples=30)
@given(data=st.data())
def test_splitting_by_type_in_one_pass_equals_filtering_each_type(output, data):
    """Random subsets of the two releases' rows as added, removed and changed rows: the split
    gives each type exactly what filtering for it gives."""
    from website.by_type import changes_by_type

    old, new, changes = random_changes(output, data, [2])
    changes["schema"] = [1]
    split, nothing = changes_by_type(changes, old, new)
    for type_id in {r["type_id"] for r in new.rows["appointment_types"]} | {"none"}:
        assert split.get(type_id, nothing) == _concerned(changes, type_id, old, new), type_id


@settings(max_examples=20, deadline=None)
@given(data=st.data())
def test_a_type_s_lines_said_once_are_the_summary_of_its_changes(output, data):
    """The feeds say each row's line once per language (``summary.ChangeLines``, shared by
    every type and language of a build) and count a release's lines without saying them: what
    they give is, in every language, ``summary_lines`` of each type's share of the changes,
    and the number of the release's lines."""
    from core import i18n
    from publish.changes.summary import ChangeLines, Labels, line_count, summary_lines
    from website.by_type import TypeLinks, changes_by_type, type_positions

    meta = data.draw(st.lists(st.just({"path": "title", "old": "a", "new": "b"}), max_size=2))
    old, new, changes = random_changes(output, data, meta)
    said = ChangeLines(changes, Labels(old, new))
    positions = type_positions(changes, TypeLinks(old, new))
    split, _nothing = changes_by_type(changes, old, new)
    assert positions.keys() == split.keys()
    for lang in data.draw(st.permutations(i18n.languages())):
        with i18n.language(lang):
            whole = summary_lines(changes, old, new)
            assert said.all() == whole and line_count(changes) == len(whole)
            for type_id, kept in split.items():
                assert said.rows(positions[type_id]) == summary_lines(kept, old, new), type_id


def test_a_failure_entry_before_any_release_says_nothing_was_published():
    attempt = {
        "time": "2024-03-08T09:00:00Z",
        "outcome": "failed",
        "reason": "row 3, column 'Remarques': cannot read the sentence",
        "kind": "unread",
        "source_observed": "2024-03-08",
        "source_changed": True,
        "version": None,
        "source_sha256": "aa",
    }
    (entry,) = unread_entries(unread_attempts([attempt], []), "https://rdv.example.org/")
    assert entry.lines == (
        f"Jeu de données : {PACKAGE_TITLE}",
        STOP_SENTENCES["unread"],
        "La page qui n'a pas pu être publiée a été relevée le 08/03/2024.",
        "Aucune version n'a encore été publiée : il n'y a rien d'autre en ligne.",
        "Le site : https://rdv.example.org/site/index.html",
        "La dernière version (description) : https://rdv.example.org/latest.json",
    )
    assert entry.link == "index.html"


@pytest.mark.parametrize("language", ["", "en/"])
def test_every_feed_link_is_absolute_on_the_base_url(seed_text, tmp_path, language):
    """A feed is read away from the site (a feed reader, a mail digest): its links were relative
    (``index.html``, ``../releases/1.1.0.html``), which a reader resolves against the feed's URL
    only when it kept it. With ``--base-url`` every link is a full URL under the site."""
    import xml.etree.ElementTree as ET

    base = "https://opendata.example.net/rdv"
    output = tmp_path / "out"
    pipeline.run(None, output, base_url=base)
    edited = tmp_path / "edited.txt"
    edited.write_text(seed_text.replace("Visibilité à 6", "Visibilité à 8"), encoding="utf-8")
    pipeline.run(str(edited), output, base_url=base)
    site = output / "site" / language
    feeds = [site / "feed.xml", *sorted((site / "feeds").glob("*.xml"))]
    assert len(feeds) > 2
    for path in feeds:
        links = ET.parse(path).getroot().iter("{http://www.w3.org/2005/Atom}link")
        hrefs = [link.get("href") or "" for link in links]
        assert len(hrefs) >= 3, path
        for href in hrefs:
            assert href.startswith(f"{base}/site/{language}"), (path.name, href)
        relative = path.relative_to(site).as_posix()
        assert f"{base}/site/{language}{relative}" in hrefs  # rel=self: the feed's own URL
