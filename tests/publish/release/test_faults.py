"""Faults while publishing: disk full, permission denied, unreadable snapshots. Nothing is
promoted, temporary files are cleaned, the message is one line, the last release stays."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

import publish.release.store
from core.errors import PublishError
from rdv_opendata import pipeline
from rdv_opendata.backfill import backfill


@pytest.fixture()
def released(seed_release, tmp_path, seed_text) -> tuple[Path, Path]:
    output = seed_release
    edited = tmp_path / "edited.txt"
    edited.write_text(seed_text.replace("Visibilité à 6", "Visibilité à 8"), encoding="utf-8")
    return output, edited


def state_of(output: Path) -> tuple[list[str], str, list[str]]:
    catalog = json.loads((output / "releases.json").read_text())["releases"]
    leftovers = [p.name for p in output.rglob("*") if p.name.startswith((".building", ".tmp-"))]
    return ([e["version"] for e in catalog], str((output / "latest").resolve().name), leftovers)


def test_disk_full_while_writing_the_release(released, monkeypatch):
    output, edited = released

    def full_disk(folder: Path, files: dict[str, bytes]) -> None:
        (folder / "data").mkdir()
        (folder / "data" / "half.csv").write_bytes(b"type_id,la")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pipeline, "write_files", full_disk)
    with pytest.raises(
        PublishError,
        match=r"cannot write the release in .*: No space left on "
        r"device$",
    ):
        pipeline.run(str(edited), output)
    assert state_of(output) == (["1.0.0"], "1.0.0", [])
    assert sorted(p.name for p in (output / "releases").iterdir()) == ["1.0.0"]


def test_permission_denied_on_the_catalog(released, monkeypatch):
    output, edited = released
    real = publish.release.store.write_atomic

    def denied(path: Path, data: bytes, step: str | None = None) -> None:
        if path.name == "releases.json":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        real(path, data, step)

    monkeypatch.setattr(publish.release.store, "write_atomic", denied)
    with pytest.raises(PublishError, match="Permission denied"):
        pipeline.run(str(edited), output)
    # the release had been moved into releases/: it is taken back, as it was never published
    assert state_of(output) == (["1.0.0"], "1.0.0", [])
    assert sorted(p.name for p in (output / "releases").iterdir()) == ["1.0.0"]
    monkeypatch.undo()
    assert pipeline.run(str(edited), output).version == "1.1.0"


def test_disk_full_while_archiving_the_source(released, monkeypatch):
    output, edited = released

    def full_disk(path: Path, data: bytes, step: str | None = None) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(publish.release.store, "write_atomic", full_disk)
    with pytest.raises(PublishError, match=r"cannot archive the source in .*snapshots: No space"):
        pipeline.run(str(edited), output)
    assert state_of(output) == (["1.0.0"], "1.0.0", [])


def test_backfill_reports_an_unreadable_snapshot_and_goes_on(seed_text, tmp_path, monkeypatch):
    folder = tmp_path / "snapshots"
    folder.mkdir()
    (folder / "2020-11-02.txt").write_text(seed_text, encoding="utf-8")
    (folder / "2020-11-09.txt").write_text("locked", encoding="utf-8")
    (folder / "2020-11-16.txt").write_text(seed_text.replace("à 6 sem", "à 8 sem"), "utf-8")
    real = os.open  # snapshots are opened once, with os.open (checked, then read up to the cap)

    def denied(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(path).name == "2020-11-09.txt":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", denied)
    result = backfill(folder, tmp_path / "out")
    assert result.failures == ["2020-11-09.txt: cannot be read (Permission denied)"]
    assert result.published == ["1.0.0", "1.1.0"]
