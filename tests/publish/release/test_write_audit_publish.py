"""Write, audit, then publish: a run either refuses with every published output as it was, or
leaves a complete, consistent output folder (issue 21, point 3; ``publish/release/switch.py``).

Each fault below once committed a release and then failed, leaving the site, the feeds, the
catalogue or the history behind ``latest``, or the state unwritable for every later run."""

from __future__ import annotations

import errno
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

import publish.history.build
import publish.history.database
import publish.release.switch
from core.errors import PublishError
from publish import layout
from publish.release.atomic import FAULT_ENV
from rdv_opendata import pipeline
from tests.publish.release.test_crash import COMMITTED_FROM, STEPS, leftovers, published

#: what a failed run may change: the record of its attempt, and the site that shows it
RECORDS = (layout.ATTEMPTS_FILE, layout.SITE_DIR)


def kept(output: Path) -> dict[str, str]:
    """Every published byte but the failed run's own record."""
    return {k: v for k, v in published(output).items() if not k.startswith(RECORDS)}


def consistent(output: Path, versions: list[str]) -> None:
    """The catalog lists ``versions``, and latest, latest.json, the history, the catalogue and
    the site all show the last one."""
    catalog = json.loads((output / layout.CATALOG_FILE).read_text())["releases"]
    assert [e["version"] for e in catalog] == versions
    last = versions[-1]
    assert json.loads((output / layout.LATEST_JSON).read_text())["version"] == last
    assert (
        json.loads((output / layout.LATEST / layout.DESCRIPTOR_FILE).read_text())["version"] == last
    )
    with sqlite3.connect(output / layout.HISTORY_FILE) as db:
        listed = [v for (v,) in db.execute("select version from releases order by seq")]
    db.close()
    assert listed == versions
    assert f'"{last}"' in (output / layout.DCAT_FILE).read_text()
    assert (output / layout.SITE_DIR / layout.SITE_VERSION_FILE).read_text() == last
    assert leftovers(output) == []


@pytest.fixture()
def edited(tmp_path: Path, seed_text: str) -> Path:
    path = tmp_path / "edited.txt"
    path.write_text(seed_text.replace("Visibilité à 6", "Visibilité à 8"), encoding="utf-8")
    return path


@pytest.mark.parametrize("step", STEPS[:COMMITTED_FROM])
def test_disk_full_at_every_write_before_the_commit(step, seed_release, edited, monkeypatch):
    """A full disk at any write of the release or of any derived output: one line, nothing
    published, nothing left behind; the next run publishes as if nothing had happened."""
    before = kept(seed_release)
    monkeypatch.setenv(FAULT_ENV, step)
    with pytest.raises(PublishError, match=r"No space left on device") as caught:
        pipeline.run(str(edited), seed_release)
    assert "\n" not in str(caught.value)
    assert kept(seed_release) == before
    assert leftovers(seed_release) == []
    monkeypatch.delenv(FAULT_ENV)
    assert pipeline.run(str(edited), seed_release).version == "1.1.0"
    consistent(seed_release, ["1.0.0", "1.1.0"])


def test_a_folder_where_the_state_belongs_refuses_before_the_commit(seed_release, edited):
    """``state.json`` made a folder: once, 1.1.0 was committed, the run exited 1, and every
    later run published again and recorded « refused »."""
    (seed_release / layout.STATE_FILE).unlink()
    (seed_release / layout.STATE_FILE).mkdir()
    before = kept(seed_release)
    with pytest.raises(PublishError, match=r"^state\.json is a folder in .*: remove it"):
        pipeline.run(str(edited), seed_release)
    assert kept(seed_release) == before
    with pytest.raises(PublishError, match=r"^state\.json is a folder"):  # the same, every run
        pipeline.run(str(edited), seed_release)
    (seed_release / layout.STATE_FILE).rmdir()
    assert pipeline.run(str(edited), seed_release).version == "1.1.0"
    consistent(seed_release, ["1.0.0", "1.1.0"])


def test_an_unreadable_old_change_record_refuses_before_the_commit(seed_release, edited, tmp_path):
    """The site cannot be built (an old release's changes.json is unreadable): the new release
    is not published, rather than published with a site that still shows the old one."""
    assert pipeline.run(str(edited), seed_release).version == "1.1.0"
    old = seed_release / layout.release_dir("1.0.0") / layout.CHANGES_FILE
    old.write_text("{not json", encoding="utf-8")
    before = kept(seed_release)
    again = tmp_path / "again.txt"
    again.write_text(edited.read_text().replace("Visibilité à 8", "Visibilité à 9"), "utf-8")
    with pytest.raises(PublishError, match=r"cannot build the site: .*1\.0\.0/changes\.json"):
        pipeline.run(str(again), seed_release)
    assert kept(seed_release) == before
    assert leftovers(seed_release) == []


def test_a_failing_history_refuses_before_the_commit(seed_release, edited, monkeypatch):
    def broken(target: Path, releases: object, versions: object) -> object:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(publish.history.build, "replace_database", broken)
    before = kept(seed_release)
    with pytest.raises(PublishError, match=r"cannot write the history .*disk is full$"):
        pipeline.run(str(edited), seed_release)
    assert kept(seed_release) == before
    monkeypatch.undo()
    assert pipeline.run(str(edited), seed_release).version == "1.1.0"
    consistent(seed_release, ["1.0.0", "1.1.0"])


def test_an_output_that_fails_its_audit_is_not_switched_in(seed_release, edited, monkeypatch):
    """A history that lists the wrong releases (a builder's bug) is caught before the commit."""
    real = publish.history.build.replace_database

    def short(target: Path, releases: object, versions: list[str]) -> object:
        columns = real(target, releases, versions)  # type: ignore[arg-type]
        with sqlite3.connect(target) as db:
            db.execute("delete from releases where version = '1.1.0'")
        db.close()
        return columns

    monkeypatch.setattr(publish.history.build, "replace_database", short)
    before = kept(seed_release)
    with pytest.raises(
        PublishError,
        match=r"^the history\.sqlite this run built is wrong \(it lists \['1\.0\.0'\], not "
        r"\['1\.0\.0', '1\.1\.0'\]\): nothing was published$",
    ):
        pipeline.run(str(edited), seed_release)
    assert kept(seed_release) == before


def _written_then(change: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The history's builder writes its database, then ``change`` happens to it (« a row »: a
    release is deleted, « bytes »: a page in the middle is overwritten) before it is read back."""
    real = publish.history.database.write_database

    def changed(path: Path, releases: object) -> object:
        columns = real(path, releases)  # type: ignore[arg-type]
        if change == "a row":
            with sqlite3.connect(path) as db:
                db.execute("delete from releases where version = '1.1.0'")
            db.close()
        else:
            with open(path, "r+b") as written:
                written.seek(written.seek(0, 2) // 2 // 4096 * 4096)
                written.write(b"\xff" * 4096)
        return columns

    monkeypatch.setattr(publish.history.database, "write_database", changed)


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ("a row", r"it lists \['1\.0\.0'\], not \['1\.0\.0', '1\.1\.0'\]"),
        ("bytes", r"(integrity check|malformed|not a database)"),
    ],
)
def test_the_history_s_builder_reads_it_back_before_it_is_put_in_place(
    seed_release, edited, monkeypatch, change, said
):
    """The history's integrity is checked by its builder, before the rename (in a large run,
    a second process beside the site): a wrong database refuses the run, nothing published."""
    _written_then(change, monkeypatch)
    before = kept(seed_release)
    with pytest.raises(
        PublishError, match=rf"the history\.sqlite this run built is wrong .*{said}"
    ):
        pipeline.run(str(edited), seed_release)
    assert kept(seed_release) == before
    assert leftovers(seed_release) == []


def test_the_history_s_builder_keeps_the_old_database_when_the_new_is_wrong(
    seed_release, edited, monkeypatch
):
    """Run alone (``python -m publish.history.build``), a wrong database is never put in place
    of the old one."""
    from publish.history.build import build_history

    history = seed_release / "history.sqlite"
    old = history.read_bytes()
    _written_then("bytes", monkeypatch)
    with pytest.raises(PublishError, match=r"the history\.sqlite this run built is wrong"):
        build_history(seed_release)
    assert history.read_bytes() == old
    assert leftovers(seed_release) == []


def test_a_failure_after_the_commit_is_finished_by_the_next_run(seed_release, edited, monkeypatch):
    """The switch's renames failing after the journal (they allocate nothing, so this is rare):
    the run says the outputs are committed, and the next run puts them in place."""
    real = publish.release.switch.replace_path
    broken = [True]

    def failing(new: Path, target: Path, *args: Any, **kwargs: Any) -> None:
        if target.name == layout.SITE_DIR and broken[0]:
            raise OSError(errno.EIO, "Input/output error")
        real(new, target, *args, **kwargs)

    monkeypatch.setattr(publish.release.switch, "replace_path", failing)
    with pytest.raises(PublishError, match=r"committed in .* but not all in place .*next run"):
        pipeline.run(str(edited), seed_release)
    assert (seed_release / layout.SWITCH_FILE).exists()
    broken[0] = False
    result = pipeline.run(str(edited), seed_release)
    assert result.status == "unchanged"
    assert "switched in site" in result.recovered
    consistent(seed_release, ["1.0.0", "1.1.0"])


def test_a_site_missing_a_language_fails_its_audit(seed_release, edited, monkeypatch):
    """The English pages are part of the site: a build that left them out is not switched in."""
    import website.build

    real = website.build._build_language

    def french_only(store, folder, *args):  # type: ignore[no-untyped-def]
        fresh = real(store, folder, *args)
        if folder.name == "en":
            (folder / layout.SITE_INDEX).unlink()
        return fresh

    monkeypatch.setattr(website.build, "_build_language", french_only)
    before = kept(seed_release)
    with pytest.raises(PublishError, match=r"^the site this run built is wrong \(en/index\.html"):
        pipeline.run(str(edited), seed_release)
    assert kept(seed_release) == before
