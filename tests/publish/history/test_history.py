"""The history database (issue 14, point 4): every release of an output folder in one SQLite file,
item versions git-history style, the changes, full-text search, Datasette metadata with canned
queries (served by a real Datasette and shown in Chromium: ``test_history_datasette``)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import PublishError
from core.settings import PACKAGE_LICENSE
from publish.changes.diff import comparable, row_key
from publish.history.build import build_history, main
from publish.history.columns import Columns
from publish.history.database import write_database
from publish.history.metadata import history_metadata
from publish.history.queries import QUERIES
from publish.history.releases import Release
from publish.layout import HISTORY_FILE
from publish.layout import HISTORY_METADATA_FILE as METADATA_FILE
from publish.reading.load import PackageData, load_package
from publish.release.store import ReleaseStore
from rdv_opendata import pipeline
from schemas import registry

RENEWAL_RULE = "renouvellements-de-titre-de-sejour--online-booking--slot-release"
RENEWALS = "Renouvellements de titre de séjour"
OLD_ADDRESS, NEW_ADDRESS = "Pref-rdv-sejour@isere.gouv.fr", "Rdv-titres@isere.gouv.fr"
OBSERVED = {"1.0.0": "2020-12-17", "1.1.0": "2021-01-10", "1.2.0": "2021-02-01"}


def eight_weeks(text: str) -> str:
    return text.replace("Visibilité à 6 semaines", "Visibilité à 8 semaines")


def new_address_and_campus(text: str) -> str:
    return (
        eight_weeks(text)
        .replace(OLD_ADDRESS, NEW_ADDRESS)
        .replace("jusqu'au 18/12/2020", "jusqu'au 31/03/2021")
    )


def three_releases_and_their_history(folder: Path, seed_text: str) -> tuple[Path, float]:
    """Three releases (1.0.0 the snapshot; 1.1.0 renewals visible 6 -> 8 weeks; 1.2.0 an e-mail
    address replaced and the Campus antenna extended), each observed on its own date, in
    ``folder/out``; then the history, timed."""
    output = folder / "out"
    pipeline.run(None, output)
    for version, edit in (("1.1.0", eight_weeks), ("1.2.0", new_address_and_campus)):
        source = folder / f"{version}.txt"
        source.write_text(edit(seed_text), encoding="utf-8")
        pipeline.run(str(source), output, observed=OBSERVED[version])
    started = time.perf_counter()
    build_history(output)
    return output, time.perf_counter() - started


@pytest.fixture(scope="module")
def built(tmp_path_factory, seed_text) -> tuple[Path, float]:
    return three_releases_and_their_history(tmp_path_factory.mktemp("history"), seed_text)


@pytest.fixture
def db(built) -> Iterator[sqlite_utils.Database]:
    conn = sqlite3.connect(f"file:{built[0] / HISTORY_FILE}?mode=ro", uri=True)
    yield sqlite_utils.Database(conn)
    conn.close()


def rows(db: sqlite_utils.Database, sql: str, params: Any = ()) -> list[dict[str, Any]]:
    cursor = db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


# --- the tables ----------------------------------------------------------------------------------


def test_the_history_is_built_quickly_beside_the_releases(built):
    output, seconds = built
    assert (output / HISTORY_FILE).is_file() and (output / METADATA_FILE).is_file()
    assert not [p.name for p in output.iterdir() if p.name.startswith(".tmp-")]
    assert oct((output / HISTORY_FILE).stat().st_mode)[-3:] == "644"
    assert seconds < 5, seconds  # about 0.1 s for three releases


def test_one_row_per_release_with_its_dates_and_counts(built, db):
    catalog = ReleaseStore(built[0]).catalog()
    found = rows(db, "select * from releases order by seq")
    assert [(r["version"], r["seq"], r["observed"]) for r in found] == [
        (v, n, OBSERVED[v]) for n, v in enumerate(OBSERVED, start=1)
    ]
    assert [r["previous_version"] for r in found] == [None, "1.0.0", "1.1.0"]
    assert [r["bump"] for r in found] == [e["bump"] for e in catalog]
    assert [r["published"] for r in found] == [e["published"] for e in catalog]
    assert [r["source_sha256"] for r in found] == [e["source_sha256"] for e in catalog]
    # rows of the facts, as the site counts them (the 35 source cells of 1.0.0 left out)
    assert [(r["added"], r["removed"]) for r in found] == [(56, 0), (0, 0), (1, 1)]
    counts = rows(db, "select * from release_counts where version = '1.2.0'")
    assert {r["resource"]: r["rows"] for r in counts} == catalog[-1]["rows"]
    assert {r["resource"]: r["added"] for r in counts}["contacts"] == 1


def test_an_item_has_one_row_per_content_with_its_versions_and_observed_dates(db):
    found = rows(
        db,
        "select visibility_weeks, weekdays, time, _version_from, _version_to, _observed_from, "
        "_observed_to, _published_from, _started_by, _ended_by, _current from slot_rules "
        "where _item = ? order by _seq_from",
        [RENEWAL_RULE],
    )
    published = {r["version"]: r["published"] for r in rows(db, "select * from releases")}
    assert found == [
        {
            "visibility_weeks": 6,
            "weekdays": '["monday"]',
            "time": "00:00:00",
            "_version_from": "1.0.0",
            "_version_to": "1.0.0",
            "_observed_from": "2020-12-17",
            "_observed_to": "2020-12-17",
            "_published_from": published["1.0.0"],
            "_started_by": "added",
            "_ended_by": "changed",
            "_current": 0,
        },
        {
            "visibility_weeks": 8,
            "weekdays": '["monday"]',
            "time": "00:00:00",
            "_version_from": "1.1.0",
            "_version_to": "1.2.0",
            "_observed_from": "2021-01-10",
            "_observed_to": "2021-02-01",
            "_published_from": published["1.1.0"],
            "_started_by": "changed",
            "_ended_by": None,
            "_current": 1,
        },
    ]
    # an item that never changed is one row over every release
    unchanged = rows(db, "select * from locations where _item = 'prefecture'")
    assert [(r["_version_from"], r["_version_to"], r["_current"]) for r in unchanged] == [
        ("1.0.0", "1.2.0", 1)
    ]
    contacts = rows(db, "select _item, _version_to, _ended_by from contacts order by _item")
    assert ("pref-rdv-sejour@isere.gouv.fr", "1.1.0", "removed") in [
        tuple(r.values()) for r in contacts
    ]


def test_the_item_versions_give_back_every_release(built, db):
    store = ReleaseStore(built[0])
    for seq, entry in enumerate(store.catalog(), start=1):
        package = load_package(store.release_path(entry["version"]))
        for name in registry.RESOURCE_ORDER:
            assert rebuilt(db, name, seq) == keyed(package.rows[name], name), (entry, name)


def test_the_changes_table_has_one_row_per_changed_field_and_per_added_or_removed_item(db):
    first = rows(db, "select kind, count(*) as n from changes where version = '1.0.0' group by 1")
    assert first == [{"kind": "added", "n": 91}]  # the first release adds every row
    later = rows(
        db,
        "select version, previous_version, observed, resource, item, kind, field, old, new, "
        "typeof(old) as t from changes where version != '1.0.0' and resource != 'source_cells' "
        "order by id",
    )
    assert later[0] == {
        "version": "1.1.0",
        "previous_version": "1.0.0",
        "observed": "2021-01-10",
        "resource": "slot_rules",
        "item": RENEWAL_RULE,
        "kind": "changed",
        "field": "visibility_weeks",
        "old": 6,
        "new": 8,
        "t": "integer",  # values keep their type
    }
    by_kind = {(r["resource"], r["kind"], r["item"]): r for r in later[1:]}
    campus = by_kind["locations", "changed", "antenne-campus"]
    assert (campus["field"], campus["old"], campus["new"]) == (
        "valid_until",
        "2020-12-18",
        "2021-03-31",
    )
    email = by_kind["channels", "changed", "demarches-autres--email"]
    assert (email["field"], email["old"], email["new"]) == ("email", OLD_ADDRESS, NEW_ADDRESS)
    added = by_kind["contacts", "added", NEW_ADDRESS.lower()]
    assert added["field"] is None and added["old"] is None
    assert json.loads(added["new"])["role"] == "booking"
    removed = by_kind["contacts", "removed", OLD_ADDRESS.lower()]
    assert removed["new"] is None and json.loads(removed["old"])["email"] == OLD_ADDRESS.lower()
    assert len(later) == 5


def test_full_text_search_finds_labels_and_instructions_without_accents(db):
    labels = {r["label"] for r in db.table("procedures").search("sejour")}
    assert "Dépôt d'une demande de titre de séjour étudiant" in labels
    assert all("séjour" in label.lower() for label in labels)
    assert [r["_item"] for r in db.table("channels").search('"clic droit"')] == [
        "1eres-demandes-de-titre-de-sejour--online-booking"
    ]
    campus = [r["_version_from"] for r in db.table("locations").search("campus")]
    assert sorted(campus) == ["1.0.0", "1.2.0"]  # both versions of the antenna
    assert [r["_item"] for r in db.table("contacts").search("associations")] == [
        "pref-etrangersd1@isere.gouv.fr"
    ]
    assert db.table("closures").detect_fts() is None  # nothing to search there


def test_the_tables_are_indexed_and_point_at_the_releases(db):
    slot_rules = db.table("slot_rules")
    assert {(fk.column, fk.other_table) for fk in slot_rules.foreign_keys} == {
        ("_version_from", "releases"),
        ("_version_to", "releases"),
    }
    indexed = {tuple(i.columns) for i in slot_rules.indexes}
    assert {("_seq_from", "_seq_to"), ("channel_id",), ("_current",)} <= indexed
    assert slot_rules.pks == ["_item", "_version_from"]
    assert {tuple(i.columns) for i in db.table("changes").indexes} >= {("version",), ("item",)}
    plan = " ".join(
        str(r) for r in db.execute("explain query plan select * from channels where type_id = 'x'")
    )
    assert "USING INDEX" in plan


def test_the_canned_queries_answer_their_questions(db):
    visibility = rows(db, QUERIES["visibilite_par_type_au_fil_du_temps"]["sql"])
    renewals = [r for r in visibility if r["type_de_rendez_vous"] == RENEWALS]
    assert [
        (r["visibilite_semaines"], r["observee_depuis_le"], r["observee_jusqu_au"])
        for r in renewals
    ] == [(6, "2020-12-17", "2020-12-17"), (8, "2021-01-10", "2021-02-01")]
    assert [(r["de_la_version"], r["a_la_version"], r["actuelle"]) for r in renewals] == [
        ("1.0.0", "1.0.0", 0),
        ("1.1.0", "1.2.0", 1),
    ]
    assert len(visibility) == 6  # five slot-release rules, one of which changed once
    places = rows(db, QUERIES["lieux_et_leurs_dates"]["sql"])
    assert [
        (p["identifiant"], p["valable_jusqu_au"], json.loads(p["versions"]), p["actuel"])
        for p in places
    ] == [
        ("antenne-campus", "2020-12-18", ["1.0.0", "1.1.0"], 0),
        ("antenne-campus", "2021-03-31", ["1.2.0"], 1),
        ("prefecture", None, ["1.0.0", "1.1.0", "1.2.0"], 1),
    ]
    addresses = rows(db, QUERIES["adresses_apparues_ou_disparues"]["sql"])
    assert [
        (a["evenement"], a["adresse"], a["version"], a["observee_le"], a["precedente_observee_le"])
        for a in addresses
    ] == [
        ("apparue", NEW_ADDRESS.lower(), "1.2.0", "2021-02-01", "2021-01-10"),
        ("disparue", OLD_ADDRESS.lower(), "1.2.0", "2021-02-01", "2021-01-10"),
    ]


def test_the_metadata_names_the_licence_the_source_and_every_table(built):
    metadata = json.loads((built[0] / METADATA_FILE).read_text("utf-8"))
    assert (
        metadata["license"]
        == PACKAGE_LICENSE["title"]
        == ("Licence Ouverte / Open Licence version 2.0")
    )
    assert metadata["license_url"] == "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
    assert "préfecture de l'Isère" in metadata["title"]
    assert metadata["source"].startswith("Préfecture de l'Isère")
    database = metadata["databases"]["history"]
    tables = database["tables"]
    assert set(registry.RESOURCE_ORDER) | {"releases", "release_counts", "changes"} == set(tables)
    slot_rules = tables["slot_rules"]
    assert slot_rules["title"].startswith(registry.resource_meta("slot_rules")["title"])
    assert slot_rules["columns"]["visibility_weeks"].startswith("Visibilité (semaines) : ")
    assert "texte JSON" in slot_rules["columns"]["weekdays"]
    assert "_version_from" in slot_rules["columns"]
    assert {q["title"] for q in database["queries"].values()} == {
        "Visibilité par type au fil du temps",
        "Lieux et leurs dates",
        "Adresses apparues ou disparues",
    }


# --- rebuilding --------------------------------------------------------------------------------


def dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_a_rebuild_gives_the_same_database(built, tmp_path):
    output = built[0]
    before = dump(output / HISTORY_FILE)
    metadata = (output / METADATA_FILE).read_bytes()
    assert main([str(output)]) == 0
    assert dump(output / HISTORY_FILE) == before
    assert (output / METADATA_FILE).read_bytes() == metadata


def test_a_failed_rebuild_keeps_the_previous_database_whole(built, tmp_path, capsys):
    output = tmp_path / "copy"
    shutil.copytree(built[0], output, symlinks=True)
    before = dump(output / HISTORY_FILE)
    csv = output / "releases" / "1.1.0" / "data" / "slot_rules.csv"
    csv.write_text(csv.read_text("utf-8").replace(",8,", ",9,"), encoding="utf-8")
    with pytest.raises(PublishError, match=r"release 1\.1\.0 is corrupt .*hash mismatch"):
        build_history(output)
    assert dump(output / HISTORY_FILE) == before
    assert not [p.name for p in output.iterdir() if p.name.startswith(".tmp-")]
    assert main([str(tmp_path / "nowhere")]) == 1
    assert capsys.readouterr().err.count("\n") == 1


def test_an_output_without_release_gives_empty_tables(tmp_path):
    build_history(tmp_path)
    db = sqlite_utils.Database(tmp_path / HISTORY_FILE)
    assert db.table("releases").count == 0 and db.table("slot_rules").count == 0
    for query in QUERIES.values():
        assert list(db.query(query["sql"])) == []
    db.close()


def test_a_release_without_observed_date_is_dated_by_its_publication():
    (release,) = releases_of([(([], [], []), None)])
    assert release.observed == "2024-01-01"  # its publication day
    with tempfile.TemporaryDirectory() as folder:
        write_database(Path(folder) / HISTORY_FILE, iter([release]))
        db = sqlite_utils.Database(Path(folder) / HISTORY_FILE)
        assert [r["observed"] for r in db.query("select * from releases")] == ["2024-01-01"]
        assert next(db.query("select source_observed from releases"))["source_observed"] is None
        db.close()


def test_the_metadata_links_the_page_the_latest_release_was_read_from():
    (release,) = releases_of([(([], [], []), "2024-01-01")])
    page = "https://www.isere.gouv.fr/demarches/rdv-sejour"
    release.package.descriptor["sources"] = [{"path": page}]
    columns = Columns.of_registry()
    assert history_metadata(columns)["source_url"] == "https://www.isere.gouv.fr/"
    columns.add(release)
    metadata = history_metadata(columns)
    assert metadata["source_url"] == page
    for query in metadata["databases"]["history"]["queries"].values():
        assert query["license_url"] == PACKAGE_LICENSE["path"] and query["source_url"] == page


# --- the item versions give back every release, whatever the edits (property) ------------------

LOCATION_IDS = ("prefecture", "antenne-campus", "sous-prefecture")
EMAILS = ("a@isere.gouv.fr", "b@isere.gouv.fr", "c@isere.gouv.fr")
RULES = ("r-one", "r-two")
DATES = st.one_of(st.none(), st.dates(dt.date(2020, 1, 1), dt.date(2022, 12, 31)).map(str))


def resource_rows(name: str, ids: tuple[str, ...], values: st.SearchStrategy) -> Any:
    return st.dictionaries(st.sampled_from(ids), values, max_size=len(ids)).map(
        lambda found: [{**row, registry.primary_key(name)[0]: key} for key, row in found.items()]
    )


LOCATIONS = resource_rows(
    "locations",
    LOCATION_IDS,
    st.fixed_dictionaries(
        {
            "name": st.sampled_from(("Préfecture", "Antenne Campus")),
            "valid_from": DATES,
            "valid_until": DATES,
        }
    ),
)
CONTACTS = resource_rows(
    "contacts",
    EMAILS,
    st.fixed_dictionaries(
        {
            "channel_id": st.just("x--email"),
            "role": st.sampled_from(("booking", "form_inbox")),
            "public_use": st.booleans(),
            "notes": st.one_of(st.none(), st.sampled_from(("urgent", "exceptionnel"))),
        }
    ),
)
SLOT_RULES = resource_rows(
    "slot_rules",
    RULES,
    st.fixed_dictionaries(
        {
            "channel_id": st.just("x--online-booking"),
            "rule_type": st.just("slot_release"),
            "weekdays": st.lists(st.sampled_from(("monday", "friday")), min_size=1, max_size=2),
            "visibility_weeks": st.one_of(st.none(), st.integers(1, 9)),
        }
    ),
)
PROPERTY_RESOURCES = ("locations", "contacts", "slot_rules")


def package(version: str, data: dict[str, list[dict[str, Any]]]) -> PackageData:
    resources = [
        {"name": name, "title": name, "schema": registry.table_schema(name)} for name in data
    ]
    full = {
        name: [{f: row.get(f) for f in registry.field_names(name)} for row in rows]
        for name, rows in data.items()
    }
    return PackageData({"version": version, "resources": resources}, full)


def releases_of(states: list[tuple]) -> list[Release]:
    found = []
    for number, (state, observed) in enumerate(states):
        version = f"1.{number}.0"
        entry = {
            "version": version,
            "published": f"2024-01-{number + 1:02d}T10:00:00Z",
            "source_observed": observed,
        }
        found.append(
            Release(entry, package(version, dict(zip(PROPERTY_RESOURCES, state, strict=True))))
        )
    return found


@pytest.mark.slow
@settings(max_examples=40)
@given(
    st.lists(
        st.tuples(st.tuples(LOCATIONS, CONTACTS, SLOT_RULES), st.one_of(st.none(), DATES)),
        min_size=1,
        max_size=6,
    )
)
def test_any_sequence_of_releases_is_given_back_by_its_item_versions(states):
    releases = releases_of(states)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / HISTORY_FILE
        write_database(path, iter(releases))
        conn = sqlite3.connect(path)
        db = sqlite_utils.Database(conn)
        try:
            for seq, release in enumerate(releases, start=1):
                for name in PROPERTY_RESOURCES:
                    assert rebuilt(db, name, seq) == keyed(release.package.rows[name], name)
                observed = rows(db, "select observed from releases where seq = ?", [seq])
                assert observed[0]["observed"] == release.observed
            for name in PROPERTY_RESOURCES:
                check_spans(db, name, len(releases))
            added = rows(db, "select count(*) as n from changes where kind = 'added'")[0]["n"]
            assert added == sum(
                1
                for name in PROPERTY_RESOURCES
                for _ in db.query(f"select 1 from [{name}] where _started_by = 'added'")
            )
        finally:
            conn.close()


def check_spans(db: sqlite_utils.Database, name: str, releases: int) -> None:
    """Spans of an item never overlap; two that touch differ in content; the end says why."""
    spans = rows(db, f"select * from [{name}] order by _item, _seq_from")
    fields = registry.field_names(name)
    for before, after in zip(spans, spans[1:], strict=False):
        if before["_item"] != after["_item"]:
            continue
        assert before["_seq_to"] < after["_seq_from"]
        touching = before["_seq_to"] + 1 == after["_seq_from"]
        assert touching == (before["_ended_by"] == "changed" == after["_started_by"])
        if touching:
            assert [before[f] for f in fields] != [after[f] for f in fields]
    for span in spans:
        assert span["_current"] == (span["_seq_to"] == releases)
        assert (span["_ended_by"] is None) == bool(span["_current"])


# --- helpers: a release's rows, from the item versions and from the package ---------------------


def typed(value: Any, field_type: str) -> Any:
    if value is not None and field_type == "list":
        return json.loads(value)
    if value is not None and field_type == "boolean":
        return bool(value)
    return value


def rebuilt(db: sqlite_utils.Database, name: str, seq: int) -> dict[str, dict[str, Any]]:
    """The rows of release ``seq`` from the item-version table, keyed, compared as the diff
    compares them."""
    types = {f["name"]: f["type"] for f in registry.fields(name)}
    found = rows(db, f"select * from [{name}] where ? between _seq_from and _seq_to", [seq])
    return {
        r["_item"]: {f: comparable(typed(r[f], kind)) for f, kind in types.items()} for r in found
    }


def keyed(package_rows: list[dict[str, Any]], name: str) -> dict[str, dict[str, Any]]:
    key = registry.primary_key(name)
    return {
        row_key(row, key): {f: comparable(row.get(f)) for f in registry.field_names(name)}
        for row in package_rows
    }


def test_the_history_page_and_the_database_count_changed_rows_the_same_way(built, db):
    """The site's history page once said 91 rows added to 1.0.0 where ``releases`` said more:
    the database counted the source cells, which the page (and the summaries) leave out."""
    from bs4 import BeautifulSoup

    page = BeautifulSoup((built[0] / "site" / "history.html").read_text("utf-8"), "html.parser")
    shown = {}
    for row in page.select("tbody tr"):
        version = row.select_one("td[data-label='Version']").get_text(strip=True)
        counts = row.find_all("td")[-1].get_text(strip=True)
        shown[version] = tuple(int(n) for n in counts.split("/"))
    found = rows(db, "select version, added, removed, changed from releases")
    assert {r["version"]: (r["added"], r["removed"], r["changed"]) for r in found} == shown
    assert len(shown) == 3
