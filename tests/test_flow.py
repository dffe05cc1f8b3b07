"""A real Prefect run of ``publish_release`` (temporary Prefect API for the session), and the
CLI on top of it: a valid package on success, one line and nothing lost on failure."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core import i18n
from core.errors import LayoutError
from publish import layout
from publish.layout import WARC_DIR
from publish.reading.verify import verify_package
from rdv_opendata.cli import main
from schemas.registry import RESOURCE_ORDER

pytestmark = [pytest.mark.usefixtures("prefect_harness"), pytest.mark.slow]


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


@pytest.fixture()
def published(tmp_path) -> Path:
    from flows.publish_flow import publish_release

    result = publish_release(source=None, output=str(tmp_path))
    assert (result["status"], result["version"], result["bump"]) == (
        "published",
        "1.0.0",
        "initial",
    )
    assert result["rows"]["channels"] == 9
    return tmp_path


def test_flow_publishes_a_valid_package_and_archives_the_source(published, seed_bytes):
    latest = published / "latest"
    assert verify_package(latest) == []
    assert sorted(p.name for p in (latest / "data").iterdir()) == sorted(
        [f"{name}.{ext}" for name in RESOURCE_ORDER for ext in ("csv", "json", "parquet")]
        # the workbook, and the same in each other language (core/locales)
        + [Path(layout.workbook_file(lang, i18n.DEFAULT)).name for lang in i18n.languages()]
    )
    assert sorted(p.name for p in (latest / "schemas").iterdir()) == sorted(
        f"{name}.json" for name in RESOURCE_ORDER
    )
    digest = hashlib.sha256(seed_bytes).hexdigest()
    assert (published / "snapshots" / f"{digest}.txt").read_bytes() == seed_bytes
    assert not list(published.glob(".building-*")) and not list(published.glob(".previous-*"))
    assert (published / "latest").resolve() == (published / "releases" / "1.0.0").resolve()


def test_second_run_reports_unchanged(published):
    from flows.publish_flow import publish_release

    again = publish_release(source=None, output=str(published))
    assert (again["status"], again["version"]) == ("unchanged", "1.0.0")
    assert [p.name for p in (published / "releases").iterdir()] == ["1.0.0"]


def test_frictionless_cli_accepts_the_package(published):
    frictionless = Path(sys.executable).parent / "frictionless"
    run = subprocess.run(
        [str(frictionless), "validate", str(published / "latest" / "datapackage.json")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_package_metadata(published, seed_bytes):
    import json

    package = json.loads((published / "latest" / "datapackage.json").read_text("utf-8"))
    assert package["licenses"][0]["name"] == "etalab-2.0"
    (source,) = package["sources"]
    assert source["sha256"] == hashlib.sha256(seed_bytes).hexdigest()
    assert (source["encoding"], source["form"]) == ("utf-8", "export")
    assert {"name", "title", "description", "version", "created", "keywords"} <= set(package)


def test_failed_flow_keeps_the_previous_release(published, seed_text, tmp_path_factory):
    from flows.publish_flow import publish_release

    before = tree_digest(published)
    bad = tmp_path_factory.mktemp("bad") / "drifted.txt"
    bad.write_text(seed_text.replace("\tRemarques", "\tObservations"), encoding="utf-8")
    with pytest.raises(LayoutError, match="header drift"):
        publish_release(source=str(bad), output=str(published))
    after = tree_digest(published)
    added = set(after) - set(before) - {"attempts.json"}  # the failed attempt is recorded
    # the bad source, archived, and how it was retrieved; and its read as WARC (evidence of
    # what the page said, though it was refused)
    warcs = {name for name in added if name.startswith(f"{WARC_DIR}/")}
    assert len(warcs) == 1
    assert len({name.removesuffix(".json") for name in added - warcs}) == 1
    assert all(name.startswith("snapshots/") for name in added - warcs)
    # the releases, the catalog and latest are untouched; the site now carries the banner
    kept = {n: d for n, d in before.items() if not n.startswith("site/") and n != "attempts.json"}
    assert {name: after[name] for name in kept} == kept
    assert "n'a pas pu être lue" in (published / "site" / "index.html").read_text("utf-8")
    assert not list(published.glob(".building-*"))


def test_cli_reports_one_line_and_exits_non_zero(published, seed_text, capsys, tmp_path_factory):
    bad = tmp_path_factory.mktemp("bad") / "empty-row.txt"
    bad.write_text(
        seed_text.replace("Visibilité à 6 semaines", "Visibilité à quelques semaines"),
        encoding="utf-8",
    )
    before = tree_digest(published / "latest")
    assert main(["publish", "--strict", "--source", str(bad), "--output", str(published)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("rdv-opendata: error: row 3, column 'Remarques': cannot read")
    assert tree_digest(published / "latest") == before


def test_cli_process_prints_no_traceback(tmp_path):
    """The installed console script, as a user runs it, against the session's Prefect API."""
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value()}
    script = Path(sys.executable).parent / "rdv-opendata"
    missing = tmp_path / "nope.html"
    run = subprocess.run(
        [str(script), "publish", "--source", str(missing), "--output", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert run.stderr.strip().splitlines()[-1] == (
        f"rdv-opendata: error: source {missing} does not exist"
    )


def test_an_unexpected_error_in_the_flow_leaves_a_failure_artifact(tmp_path, monkeypatch):
    """Any exception, anticipated or not, leaves the run's failure report under its stable key."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    from flows.artifacts import CHANGES_KEY
    from flows.publish_flow import publish_release
    from rdv_opendata import pipeline

    def broken(*args, **kwargs):
        raise ZeroDivisionError("nobody saw this coming")

    monkeypatch.setattr(pipeline, "run", broken)
    with pytest.raises(ZeroDivisionError):
        publish_release(source=None, output=str(tmp_path / "out"))
    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[CHANGES_KEY]))
        )
    latest = max(found, key=lambda a: a.created)
    assert "unexpected ZeroDivisionError: nobody saw this coming" in latest.data
