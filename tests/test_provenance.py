"""When the facts were true (issue 12): ``observed`` for every source, ``source_observed`` in the
catalog, the rollback guard, the record of every run's attempt and the site's banner."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from core.errors import MassDeletionRefused, NormaliseError, PublishError, SourceError
from publish.release.store import ReleaseStore
from rdv_opendata import pipeline
from rdv_opendata.cli import main
from rdv_opendata.settings import DEFAULT_SOURCE
from tests.helpers import french_pages, tree_hash
from tests.http_server import send, serve

RENEWAL_RULE = "renouvellements-de-titre-de-sejour--online-booking--slot-release"


def sources(output: Path) -> dict:
    return json.loads((output / "latest" / "datapackage.json").read_text("utf-8"))["sources"][0]


def catalog(output: Path) -> list[dict]:
    return json.loads((output / "releases.json").read_text("utf-8"))["releases"]


def eight_weeks(seed_text: str) -> str:
    return seed_text.replace("Visibilité à 6 semaines", "Visibilité à 8 semaines")


# --- observed ----------------------------------------------------------------------------------


def test_the_bundled_snapshot_is_observed_on_its_documented_date(tmp_path):
    pipeline.run(None, tmp_path)
    assert (sources(tmp_path)["observed"], sources(tmp_path)["observedFrom"]) == (
        "2020-12-17",
        "documented",
    )
    assert catalog(tmp_path)[-1]["source_observed"] == "2020-12-17"
    note = DEFAULT_SOURCE.with_name("isere-modalites-rdv-2020.observed.json")
    assert "18/12/2020" in json.loads(note.read_text("utf-8"))["how"]


def test_a_file_is_observed_on_the_date_in_its_name_or_the_one_given(seed_text, tmp_path):
    named = tmp_path / "isere-2024-03-01.txt"
    named.write_text(seed_text, encoding="utf-8")
    pipeline.run(str(named), tmp_path / "a")
    assert (sources(tmp_path / "a")["observed"], sources(tmp_path / "a")["observedFrom"]) == (
        "2024-03-01",
        "file name",
    )
    pipeline.run(str(named), tmp_path / "b", observed="2024-02-27")
    assert sources(tmp_path / "b")["observed"] == "2024-02-27"


def test_a_file_without_a_date_is_observed_at_its_modification_time(seed_text, tmp_path):
    plain = tmp_path / "page.txt"
    plain.write_text(seed_text, encoding="utf-8")
    os.utime(plain, (1_700_000_000, 1_700_000_000))  # 2023-11-14 UTC
    pipeline.run(str(plain), tmp_path / "out")
    assert sources(tmp_path / "out")["observed"] == "2023-11-14"
    assert sources(tmp_path / "out")["observedFrom"] == "modification time"


def test_an_impossible_observed_date_is_refused_in_one_line(seed_text, tmp_path, capsys):
    plain = tmp_path / "page.txt"
    plain.write_text(seed_text, encoding="utf-8")
    code = main(
        ["publish", "--no-orchestrator", "--source", str(plain), "--observed", "2024-02-31"]
        + ["--output", str(tmp_path / "out")]
    )
    assert code == 1
    assert capsys.readouterr().err.strip() == (
        "rdv-opendata: error: --observed '2024-02-31' is not a date (YYYY-MM-DD)"
    )


def test_a_page_is_observed_on_its_last_modified_date_else_when_fetched(
    seed_bytes, tmp_path, monkeypatch
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")  # 2025-11-24

    def dated(request, hit):
        send(request, 200, seed_bytes, {"Last-Modified": "Tue, 05 Jan 2021 10:00:00 GMT"})

    def undated(request, hit):
        send(request, 200, seed_bytes)

    with serve({"/dated": dated, "/undated": undated}) as server:
        pipeline.run(server.url("/dated"), tmp_path / "a")
        pipeline.run(server.url("/undated"), tmp_path / "b")
        with pytest.raises(SourceError, match="--observed is for files"):
            pipeline.run(server.url("/undated"), tmp_path / "c", observed="2021-01-01")
    assert (sources(tmp_path / "a")["observed"], sources(tmp_path / "a")["observedFrom"]) == (
        "2021-01-05",
        "Last-Modified",
    )
    assert (sources(tmp_path / "b")["observed"], sources(tmp_path / "b")["observedFrom"]) == (
        "2025-11-24",
        "fetch date",
    )


# --- the rollback guard ------------------------------------------------------------------------


def test_a_stray_make_run_after_a_newer_source_is_refused_and_latest_untouched(
    seed_text, tmp_path, capsys
):
    newer = tmp_path / "isere-2024-03-01.txt"
    newer.write_text(eight_weeks(seed_text), encoding="utf-8")
    output = tmp_path / "out"
    pipeline.run(str(newer), output)
    before = tree_hash(output / "releases")
    latest = os.readlink(output / "latest")

    code = main(["publish", "--no-orchestrator", "--output", str(output)])  # what make run does
    assert code == 1
    assert capsys.readouterr().err.strip() == (
        "rdv-opendata: error: refusing a rollback: this source was observed on 2020-12-17, "
        "before the source of the latest release 1.0.0 (observed on 2024-03-01); pass "
        "--allow-rollback to publish it anyway"
    )
    assert tree_hash(output / "releases") == before and os.readlink(output / "latest") == latest

    assert main(["publish", "--no-orchestrator", "--output", str(output), "--allow-rollback"]) == 0
    assert catalog(output)[-1]["version"] == "1.1.0"


def test_a_page_the_prefecture_reverts_is_published_like_any_change(
    seed_bytes, seed_text, tmp_path, monkeypatch
):
    pages = [seed_bytes, eight_weeks(seed_text).encode(), seed_bytes]  # 6, then 8, then 6 again
    output = tmp_path / "out"

    def page(request, hit):
        send(request, 200, pages[min(hit, 3) - 1])

    with serve({"/p": page}) as server:
        for day, epoch in enumerate(("1764000000", "1764086400", "1764172800")):
            monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
            assert pipeline.run(server.url("/p"), output).status == "published", day
    assert [e["version"] for e in catalog(output)] == ["1.0.0", "1.1.0", "1.2.0"]


def test_backfill_in_date_order_is_unaffected(seed_text, tmp_path):
    from rdv_opendata.backfill import backfill

    folder = tmp_path / "snapshots"
    folder.mkdir()
    (folder / "2020-11-02.txt").write_text(seed_text, encoding="utf-8")
    (folder / "2020-11-09.txt").write_text(eight_weeks(seed_text), encoding="utf-8")
    result = backfill(folder, tmp_path / "out")
    assert result.published == ["1.0.0", "1.1.0"] and result.failures == []
    assert [e["source_observed"] for e in catalog(tmp_path / "out")] == [
        "2020-11-02",
        "2020-11-09",
    ]


# --- every attempt is recorded; a changed page that cannot be read shows on the site ----------


def good_and_unreadable(seed_text: str, tmp_path: Path) -> tuple[Path, Path, Path]:
    """An output folder, a readable source of 2024-03-01 and a changed, unreadable one."""
    good = tmp_path / "2024-03-01.txt"
    good.write_text(seed_text, encoding="utf-8")
    bad = tmp_path / "2024-03-08.txt"
    bad.write_text(seed_text.replace("Visibilité à 6 semaines", "Visibilité à quelques semaines"))
    return tmp_path / "out", good, bad


def test_every_attempt_is_recorded_with_its_outcome_and_reason(seed_text, tmp_path):
    output, good, bad = good_and_unreadable(seed_text, tmp_path)
    pipeline.run(str(good), output)
    pipeline.run(str(good), output)
    with pytest.raises(NormaliseError, match="cannot read the sentence"):
        pipeline.run(str(bad), output, strict=True)
    attempts = ReleaseStore(output).attempts()
    assert [(a["outcome"], a["version"], a["source_changed"]) for a in attempts] == [
        ("published", "1.0.0", False),
        ("unchanged", "1.0.0", False),
        ("failed", "1.0.0", True),
    ]
    assert attempts[1]["reason"] == "same source bytes as the last run"
    assert attempts[2]["reason"].startswith("row 3, column 'Remarques': cannot read the sentence")
    assert attempts[2]["source_observed"] == "2024-03-08"


def test_the_banner_shows_on_every_page_while_a_changed_page_cannot_be_read(
    seed_text, tmp_path, monkeypatch
):
    output, good, bad = good_and_unreadable(seed_text, tmp_path)
    pipeline.run(str(good), output)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1710000000")  # 2024-03-09
    with pytest.raises(NormaliseError, match="cannot read"):
        pipeline.run(str(bad), output, strict=True)
    expected = (
        "La page de la préfecture a changé le 09/03/2024 et n'a pas pu être lue ; les "
        "informations ci-dessous ont été relevées le 01/03/2024."
    )
    pages = french_pages(output / "site")
    assert len(pages) >= 3
    for page in pages:
        assert expected in " ".join(page.read_text("utf-8").split()), page
    for page in set((output / "site").rglob("*.html")) - set(pages):  # the other languages'
        assert 'class="banner" role="alert"' in page.read_text("utf-8"), page

    newer = tmp_path / "2024-03-10.txt"
    newer.write_text(eight_weeks(seed_text), encoding="utf-8")
    pipeline.run(str(newer), output)
    assert "n'a pas pu être lue" not in (output / "site" / "index.html").read_text("utf-8")


def test_a_refused_rollback_is_not_a_page_that_could_not_be_read(seed_text, tmp_path):
    output = tmp_path / "out"
    newer = tmp_path / "2024-03-01.txt"
    newer.write_text(eight_weeks(seed_text), encoding="utf-8")
    pipeline.run(str(newer), output)
    with pytest.raises(PublishError, match="refusing a rollback"):
        pipeline.run(None, output)
    assert ReleaseStore(output).attempts()[-1]["outcome"] == "refused"
    assert "n'a pas pu être lue" not in (output / "site" / "index.html").read_text("utf-8")


def test_an_empty_source_is_refused_never_the_bundled_snapshot(tmp_path):
    # what a prefect.yaml deployment receives when its Variable is unset
    with pytest.raises(SourceError, match="no source configured"):
        pipeline.run("", tmp_path / "out")
    assert not (tmp_path / "out" / "releases").exists()


def test_a_changed_page_held_back_by_a_guard_shows_a_banner(seed_text, tmp_path):
    """The page changed and a guard held it back for a person to check (most of the facts would
    go): the site said nothing of it, and showed the older facts as if current."""
    output = tmp_path / "out"
    pipeline.run(None, output)
    lines = seed_text.split("\n")
    header = next(i for i, line in enumerate(lines) if line.startswith("Type de rendez-vous"))
    one_row = tmp_path / "one-row.txt"
    one_row.write_text("\n".join(lines[: header + 2]), encoding="utf-8")
    with pytest.raises(MassDeletionRefused, match="refusing to publish"):
        pipeline.run(str(one_row), output)
    assert ReleaseStore(output).attempts()[-1]["kind"] == "mass-deletion"
    for page in french_pages(output / "site"):
        said = " ".join(page.read_text("utf-8").split())
        assert "La page de la préfecture a changé le " in said, page
        assert "attend qu'une personne la vérifie" in said, page
    pipeline.run(str(one_row), output, allow_mass_deletion=True)
    assert "attend qu'une personne" not in (output / "site" / "index.html").read_text("utf-8")
