"""kill -9 at each step of publishing leaves the previous release readable as ``latest`` and no
partial release visible; the next run cleans up and ends where an uninterrupted run would."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
from pathlib import Path

import pytest

import publish.release.atomic
from core.digest import sha256
from publish import layout
from publish.reading.integrity import check_sums
from publish.reading.verify import verify_package
from publish.release.atomic import CRASH_ENV
from rdv_opendata import pipeline
from rdv_opendata.settings import DEFAULT_SOURCE
from tests.helpers import publish_process

pytestmark = pytest.mark.slow

# every crash point of a publish, in the order they are met: the release, then every output
# staged (publish/release/switch.py), audited, committed by the journal, then switched in
STEPS = [
    "snapshot-tmp-written",
    "warc-tmp-written",
    "release-built",
    "release-moved",
    "catalog-tmp-written",
    "catalog-written",
    "latest-link-created",
    "latest-switched",
    "latest-json-tmp-written",
    "state-tmp-written",
    "attempts-tmp-written",
    "site-building",
    "site-built",
    "history-building",
    "history-metadata-tmp-written",
    "dcat-tmp-written",
    "outputs-staged",
    "switch-journal-tmp-written",
    "switch-journal-written",
    f"switch-{layout.RELEASES_DIR}",
    *(f"switch-{name}" for name in layout.SWITCHED),
]
# from this step on the run is committed: the next run finishes switching its outputs in
COMMITTED_FROM = STEPS.index("switch-journal-written")


def latest_version(output: Path) -> str:
    return json.loads((output / "latest" / "datapackage.json").read_text("utf-8"))["version"]


def catalog_versions(output: Path) -> list[str]:
    return [e["version"] for e in json.loads((output / "releases.json").read_text())["releases"]]


def leftovers(output: Path) -> list[str]:
    names = [p.name for p in output.iterdir()]
    for kept in (layout.SNAPSHOTS_DIR, layout.WARC_DIR):  # a source's bytes, and its WARC
        names += [p.name for p in (output / kept).iterdir()] if (output / kept).is_dir() else []
    prefixes = (
        ".building-",
        ".tmp-",
        ".previous-",
        layout.STAGING_PREFIX,
        layout.TRASH_PREFIX,
        layout.SWITCH_FILE,
    )
    return [n for n in names if n.startswith(prefixes)]


def published(output: Path) -> dict[str, str]:
    """Every published byte of the output folder, by path: what readers see (not the lock, the
    snapshots and WARC files kept of every source read, a refused one included, nor a killed
    run's leftovers)."""
    seen = {}
    for path in sorted(output.rglob("*")):
        relative = path.relative_to(output)
        top = relative.parts[0]
        if top in (layout.LOCK_FILE, layout.SNAPSHOTS_DIR, layout.WARC_DIR) or top in leftovers(
            output
        ):
            continue
        if path.is_symlink():
            seen[str(relative)] = "-> " + os.readlink(path)
        elif path.is_file():
            seen[str(relative)] = sha256(path.read_bytes())
    return seen


def derived_versions(output: Path) -> tuple[str, list[str], bool]:
    """What latest.json, history.sqlite and catalog.jsonld say of the releases."""
    manifest = json.loads((output / "latest.json").read_text("utf-8"))["version"]
    with sqlite3.connect(output / "history.sqlite") as db:
        history = [v for (v,) in db.execute("select version from releases order by seq")]
    db.close()
    catalog = (output / "catalog.jsonld").read_text("utf-8")
    return manifest, history, '"1.1.0"' in catalog


def test_every_crash_point_of_a_publish_is_listed(tmp_path, seed_text, monkeypatch):
    """The list above is every crash point a publish meets, in order: a new write without its
    kill test fails here."""
    met: list[str] = []
    monkeypatch.setattr(publish.release.atomic, "os", Watching(met))
    pipeline.run(None, tmp_path / "out")
    edited = tmp_path / "edited.txt"
    edited.write_text(seed_text.replace("Visibilité à 6", "Visibilité à 8"), encoding="utf-8")
    met.clear()
    pipeline.run(str(edited), tmp_path / "out")
    assert list(dict.fromkeys(met)) == STEPS


class Step:
    """What ``crash_point`` finds in the environment: it compares it with its step's name,
    which is recorded (and never equal, so nothing is killed)."""

    def __init__(self, met: list[str]) -> None:
        self.met = met

    def __eq__(self, step: object) -> bool:
        self.met.append(str(step))
        return False

    __hash__ = None  # type: ignore[assignment]


class Watching:
    """The ``os`` module as ``publish.release.atomic`` sees it, with an environment whose crash
    and fault variables record the steps they are compared with."""

    def __init__(self, met: list[str]) -> None:
        self.environ = {CRASH_ENV: Step(met)}

    def __getattr__(self, name: str) -> object:
        return getattr(os, name)


@pytest.mark.parametrize("copy", [False, True], ids=["link", "copy"])
@pytest.mark.parametrize("step", STEPS)
def test_kill_at_each_step(step, copy, seed_text, tmp_path):
    output = tmp_path / "out"
    pipeline.run(None, output, latest_copy=copy)
    before = published(output)
    mode = ("--latest-copy",) if copy else ()
    edited = tmp_path / "edited.txt"
    edited.write_text(
        seed_text.replace("Visibilité à 6 semaines", "Visibilité à 8 semaines"), encoding="utf-8"
    )

    killed = publish_process(edited, output, step, *mode)
    assert killed.returncode == -signal.SIGKILL, killed.stderr

    if STEPS.index(step) < COMMITTED_FROM:  # not committed: not one published byte changed
        assert published(output) == before
    # latest is one of the two complete releases, readable
    assert latest_version(output) in {"1.0.0", "1.1.0"}
    assert verify_package(output / "latest") == []
    assert check_sums((output / "latest").resolve()) == []
    # no partial release: whatever sits in releases/ is complete and intact
    for folder in (output / "releases").iterdir():
        assert check_sums(folder) == [], folder

    # the next run cleans up and ends as an uninterrupted run would
    again = publish_process(edited, output, None, *mode)
    assert again.returncode == 0, again.stderr
    assert catalog_versions(output) == ["1.0.0", "1.1.0"]
    assert latest_version(output) == "1.1.0"
    assert (output / "latest").is_symlink() is not copy
    assert derived_versions(output) == ("1.1.0", ["1.0.0", "1.1.0"], True)
    assert sorted(p.name for p in (output / "releases").iterdir()) == ["1.0.0", "1.1.0"]
    assert leftovers(output) == []
    assert verify_package(output / "latest") == []
    assert (output / "site" / ".version").read_text() == "1.1.0"


def test_concurrent_publish_process_exits_at_once(tmp_path):
    from publish.release.store import ReleaseStore

    output = tmp_path / "out"
    with ReleaseStore(output).lock():
        run = publish_process(DEFAULT_SOURCE, output, crash_at=None)
    assert run.returncode == 1
    assert run.stderr.startswith(f"rdv-opendata: error: another publish is running on {output}")
    assert not (output / "releases").exists()
