"""Backfill gives exactly the releases that publishing each snapshot in turn gives."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from core.errors import LayoutError
from rdv_opendata import pipeline
from rdv_opendata.backfill import backfill, read_snapshots


def history(seed_text: str) -> list[tuple[str, str]]:
    """(file name, content): repeats, a revert, a markup-only edit and a broken snapshot."""
    six = seed_text.replace("Visibilité à 6 semaines", "Visibilité à 8 semaines")
    campus = six.replace("jusqu'au 18/12/2020", "jusqu'au 31/03/2021")
    markup = campus.replace("<b>Démarches autres</b>", "<strong>Démarches autres</strong>")
    return [
        ("2020-11-02.txt", seed_text),
        ("2020-11-09.txt", seed_text),  # same bytes: stops early
        ("2020-11-16.txt", six),
        ("2020-11-23.txt", seed_text),  # back to the first content: a new release
        ("2020-11-30.txt", campus),
        ("2020-12-07.txt", markup),  # same data: nothing published
        ("2020-12-14.txt", "<html><body>en travaux</body></html>"),  # fails alone
        ("2020-12-21.txt", seed_text),
    ]


def write_history(folder: Path, seed_text: str) -> list[Path]:
    folder.mkdir()
    paths = []
    for name, text in reversed(history(seed_text)):  # creation order must not matter
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return sorted(paths)


def releases(output: Path) -> list[tuple[str, str, dict, dict]]:
    """Per release: version, bump, changes.json, and the data files' bytes (but the workbook's,
    which holds its publication time, as datapackage.json does)."""
    catalog = json.loads((output / "releases.json").read_text())["releases"]
    out = []
    for entry in catalog:
        folder = output / "releases" / entry["version"]
        data = {
            p.name: p.read_bytes()
            for p in sorted((folder / "data").iterdir())
            if p.suffix != ".xlsx"
        }
        changes = json.loads((folder / "changes.json").read_text())
        out.append((entry["version"], entry["bump"], changes, data))
    return out


@pytest.fixture()
def in_turn(seed_text, tmp_path) -> list:
    """The reference: publish each snapshot in turn, in date order."""
    paths = write_history(tmp_path / "in-turn-snapshots", seed_text)
    output = tmp_path / "in-turn"
    for path in paths:
        try:
            pipeline.run(str(path), output)
        except LayoutError as exc:  # the broken snapshot fails alone, as in backfill
            assert "no table" in str(exc)
    return releases(output)


def test_backfill_equals_publishing_in_turn(seed_text, tmp_path, in_turn):
    folder = tmp_path / "snapshots"
    write_history(folder, seed_text)
    seen = []
    result = backfill(folder, tmp_path / "out", progress=lambda d, t: seen.append((d, t)))
    assert result.published == ["1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0"]
    assert result.unchanged == 2
    assert [f.split(":")[0] for f in result.failures] == ["2020-12-14.txt"]
    assert releases(tmp_path / "out") == in_turn
    assert seen[-1] == (8, 8)
    snapshots = {p.name for p in (tmp_path / "out" / "snapshots").glob("*.txt")}
    assert len(snapshots) == 5  # every distinct content is archived, the broken one too


def test_snapshots_are_taken_in_date_order(tmp_path):
    (tmp_path / "b-2020-12-01.html").write_text("b")
    (tmp_path / "a-2021-01-01.html").write_text("a")
    undated = tmp_path / "undated.html"
    undated.write_text("u")
    os.utime(undated, (1_600_000_000, 1_600_000_000))  # 2020-09-13
    sources, problems = read_snapshots(tmp_path)
    assert [Path(s.location).name for s in sources] == [
        "undated.html",
        "b-2020-12-01.html",
        "a-2021-01-01.html",
    ]
    assert sources[1].retrieved == "2020-12-01T00:00:00Z" and problems == []


@pytest.mark.slow
def test_backfill_flow_with_threads(seed_text, tmp_path, in_turn, prefect_harness):
    from flows.backfill_flow import backfill_releases

    folder = tmp_path / "snapshots"
    write_history(folder, seed_text)
    result = backfill_releases(str(folder), str(tmp_path / "out"))
    assert result["published"] == ["1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0"]
    assert releases(tmp_path / "out") == in_turn

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    from flows.artifacts import BACKFILL_KEY, PROGRESS_KEY

    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[PROGRESS_KEY, BACKFILL_KEY]))
        )
    latest = {a.key: a for a in sorted(found, key=lambda a: a.created)}
    assert latest[PROGRESS_KEY].data == 100.0
    assert "5 versions publiées : 1.0.0, 1.1.0, 1.2.0, 1.3.0, 1.4.0" in latest[BACKFILL_KEY].data


@pytest.mark.slow
def test_backfill_flow_on_a_local_dask_cluster(seed_text, tmp_path, in_turn, prefect_harness):
    from flows.backfill_flow import backfill_releases, dask_runner

    folder = tmp_path / "snapshots"
    write_history(folder, seed_text)
    flow = backfill_releases.with_options(task_runner=dask_runner(workers=2))
    result = flow(str(folder), str(tmp_path / "out"))
    assert result["published"] == ["1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0"]
    assert releases(tmp_path / "out") == in_turn
