"""What a run made garbage is deleted: a small tree at once, a large one (a site of thousands of
files, slow to delete on a disk mounted with online discard) by a detached process, so that the
publish does not wait for it; the next run reclaims trash whose process stopped."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from publish import layout
from publish.release import reclaim
from rdv_opendata.settings import DEFAULT_SOURCE


def sample_source(folder: Path) -> Path:
    path = folder / "source.txt"
    if not path.exists():
        path.write_bytes(DEFAULT_SOURCE.read_bytes())
    return path


def tree(folder: Path, files: int) -> Path:
    (folder / "feeds").mkdir(parents=True)
    for n in range(files):
        (folder / "feeds" / f"type-{n}.xml").write_bytes(b"<feed/>")
    return folder


def gone(path: Path, timeout: float = 60.0) -> bool:
    """Whether ``path`` disappears within ``timeout`` seconds (polled; nothing is timed)."""
    deadline = time.monotonic() + timeout
    while os.path.lexists(path):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def trash_in(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"{layout.TRASH_PREFIX}*"))


def test_a_small_tree_is_deleted_before_reclaim_returns(tmp_path: Path) -> None:
    small = tree(tmp_path / "old", files=10)
    reclaim.reclaim(small)
    assert not small.exists() and trash_in(tmp_path) == []


def test_a_large_tree_is_renamed_at_once_and_deleted_by_another_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reclaim, "BACKGROUND_ABOVE", 20)
    large = tree(tmp_path / "old", files=50)
    reclaim.reclaim(large)
    assert not large.exists()  # its name is free at once
    [trash] = trash_in(tmp_path)
    process = reclaim._RUNNING[trash]
    assert process.pid != os.getpid()
    assert gone(trash)
    reclaim.wait(60)
    assert process.returncode == 0 and reclaim.deleting() == []


def test_counting_stops_at_the_limit(tmp_path: Path) -> None:
    folder = tree(tmp_path / "old", files=30)
    assert reclaim.larger_than(folder, 30)  # 30 files and their folder
    assert not reclaim.larger_than(folder, 31)
    assert not reclaim.larger_than(tmp_path / "missing", 0)


def test_a_file_or_a_link_is_deleted_and_a_link_target_kept(tmp_path: Path) -> None:
    target = tree(tmp_path / "kept", files=5)
    link = tmp_path / "link"
    link.symlink_to(target)
    reclaim.reclaim(link)
    assert not os.path.lexists(link) and len(list((target / "feeds").iterdir())) == 5
    single = tmp_path / "file"
    single.write_bytes(b"x")
    reclaim.reclaim(single)
    assert not single.exists()


def test_the_next_run_reclaims_trash_whose_process_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rdv_opendata import pipeline

    output = tmp_path / "out"
    assert pipeline.run(str(sample_source(tmp_path)), output).status == "published"
    stopped = tree(output / f"{layout.TRASH_PREFIX}killed", files=30)
    pipeline.run(str(sample_source(tmp_path)), output)  # unchanged: recover runs first
    assert not stopped.exists()


def test_a_publish_replacing_a_large_site_leaves_it_to_another_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The site of a publish is switched in whole, the old site's files are deleted outside
    the run, and nothing else is left behind."""
    from rdv_opendata import pipeline
    from tests.publish.release.test_crash import leftovers

    monkeypatch.setattr(reclaim, "BACKGROUND_ABOVE", 20)
    output = tmp_path / "out"
    source = sample_source(tmp_path)
    assert pipeline.run(str(source), output).status == "published"
    old_site = {p.relative_to(output) for p in (output / layout.SITE_DIR).rglob("*")}
    changed = source.read_text(encoding="utf-8").replace("18/12/2020", "19/12/2020")
    source.write_text(changed, encoding="utf-8")
    assert pipeline.run(str(source), output).status == "published"
    new_site = {p.relative_to(output) for p in (output / layout.SITE_DIR).rglob("*")}
    assert new_site >= old_site  # the new site is whole, and took the old one's place
    started = [trash.parent for trash in reclaim._RUNNING]  # ended or not
    assert started == [output], "the old site was deleted inline"
    reclaim.wait(60)
    assert trash_in(output) == [] and leftovers(output) == []


def test_a_large_tree_is_deleted_inline_when_no_process_can_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reclaim, "BACKGROUND_ABOVE", 20)
    monkeypatch.setattr(reclaim.sys, "executable", str(tmp_path / "no-python"))
    large = tree(tmp_path / "old", files=50)
    reclaim.reclaim(large)
    assert not large.exists() and trash_in(tmp_path) == []
