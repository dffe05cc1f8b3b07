"""kill -9 at each step of publishing leaves the previous release readable as ``latest`` and no
partial release visible; the next run cleans up and ends where an uninterrupted run would."""

from __future__ import annotations

import json
import signal
import sqlite3
from pathlib import Path

import pytest

from publish.reading.integrity import check_sums
from publish.reading.verify import verify_package
from rdv_opendata import pipeline
from rdv_opendata.settings import DEFAULT_SOURCE
from tests.helpers import publish_process

pytestmark = pytest.mark.slow

# every crash point of a publish, in the order they are met
STEPS = [
    "snapshot-tmp-written",
    "release-built",
    "release-moved",
    "catalog-tmp-written",
    "catalog-written",
    "latest-link-created",
    "latest-switched",
    "latest-json-tmp-written",
]
# from this step on the new release is in the catalog: it is published, latest may lag behind
PUBLISHED_FROM = STEPS.index("catalog-written")


def latest_version(output: Path) -> str:
    return json.loads((output / "latest" / "datapackage.json").read_text("utf-8"))["version"]


def catalog_versions(output: Path) -> list[str]:
    return [e["version"] for e in json.loads((output / "releases.json").read_text())["releases"]]


def leftovers(output: Path) -> list[str]:
    names = [p.name for p in output.iterdir()] + [p.name for p in (output / "snapshots").iterdir()]
    return [n for n in names if n.startswith((".building-", ".tmp-", ".previous-"))]


def derived_versions(output: Path) -> tuple[str, list[str], bool]:
    """What latest.json, history.sqlite and catalog.jsonld say of the releases."""
    manifest = json.loads((output / "latest.json").read_text("utf-8"))["version"]
    with sqlite3.connect(output / "history.sqlite") as db:
        history = [v for (v,) in db.execute("select version from releases order by seq")]
    db.close()
    catalog = (output / "catalog.jsonld").read_text("utf-8")
    return manifest, history, '"1.1.0"' in catalog


@pytest.mark.parametrize("copy", [False, True], ids=["link", "copy"])
@pytest.mark.parametrize("step", STEPS)
def test_kill_at_each_step(step, copy, seed_text, tmp_path):
    output = tmp_path / "out"
    pipeline.run(None, output, latest_copy=copy)
    mode = ("--latest-copy",) if copy else ()
    edited = tmp_path / "edited.txt"
    edited.write_text(
        seed_text.replace("Visibilité à 6 semaines", "Visibilité à 8 semaines"), encoding="utf-8"
    )

    killed = publish_process(edited, output, step, *mode)
    assert killed.returncode == -signal.SIGKILL, killed.stderr

    # the previous release is still fully readable as latest (or, once the catalog lists the
    # new one, latest is one of the two complete releases)
    expected = {"1.0.0"} if STEPS.index(step) < PUBLISHED_FROM else {"1.0.0", "1.1.0"}
    assert latest_version(output) in expected
    assert verify_package(output / "latest") == []
    assert check_sums((output / "latest").resolve()) == []
    # no partial release: whatever sits in releases/ is complete and intact
    for folder in (output / "releases").iterdir():
        assert check_sums(folder) == [], folder
    assert catalog_versions(output) == (
        ["1.0.0"] if STEPS.index(step) < PUBLISHED_FROM else ["1.0.0", "1.1.0"]
    )

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


def test_concurrent_publish_process_exits_at_once(tmp_path):
    from publish.release.store import ReleaseStore

    output = tmp_path / "out"
    with ReleaseStore(output).lock():
        run = publish_process(DEFAULT_SOURCE, output, crash_at=None)
    assert run.returncode == 1
    assert run.stderr.startswith(f"rdv-opendata: error: another publish is running on {output}")
    assert not (output / "releases").exists()
