"""``latest`` as a link or as a real folder (for static hosts), switched in one step; and
``latest.json``, the fixed address that names the newest release and its files."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from publish.reading.integrity import SUMS_FILE, sums_text
from publish.release.latest import latest_is, manifest, point_latest, write_manifest


def make_release(root: Path, version: str, size: int = 3) -> None:
    folder = root / "releases" / version
    (folder / "data").mkdir(parents=True)
    (folder / "datapackage.json").write_text(json.dumps({"version": version}), encoding="utf-8")
    for n in range(size):
        (folder / "data" / f"t{n}.csv").write_text(f"v\n{version}\n" * (n + 1), encoding="utf-8")
    (folder / SUMS_FILE).write_text(sums_text(folder), encoding="utf-8")


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    for version in ("1.0.0", "1.1.0", "2.0.0"):
        make_release(tmp_path, version)
    return tmp_path


def version_seen(root: Path) -> str:
    return json.loads((root / "latest" / "datapackage.json").read_text(encoding="utf-8"))["version"]


@pytest.mark.parametrize("copy", [False, True])
def test_latest_shows_each_release_in_turn(root: Path, copy: bool) -> None:
    for version in ("1.0.0", "1.1.0", "2.0.0"):
        point_latest(root, version, copy=copy)
        assert version_seen(root) == version
        assert latest_is(root, version, copy=copy)
        assert not latest_is(root, version, copy=not copy)
        assert (root / "latest").is_symlink() is (not copy)
    leftovers = [p.name for p in root.iterdir() if p.name.startswith(".")]
    assert leftovers == []


@pytest.mark.parametrize(("first", "then"), [(False, True), (True, False)])
def test_a_link_becomes_a_copy_and_back(root: Path, first: bool, then: bool) -> None:
    point_latest(root, "1.0.0", copy=first)
    point_latest(root, "1.1.0", copy=then)
    assert version_seen(root) == "1.1.0"
    assert (root / "latest").is_symlink() is (not then)
    assert (root / "releases" / "1.0.0" / "datapackage.json").is_file()  # releases untouched


def test_a_copy_is_the_release_byte_for_byte(root: Path) -> None:
    point_latest(root, "2.0.0", copy=True)
    release = root / "releases" / "2.0.0"
    copied = sorted(p.relative_to(root / "latest") for p in (root / "latest").rglob("*"))
    assert copied == sorted(p.relative_to(release) for p in release.rglob("*"))
    for name in copied:
        if (release / name).is_file():
            assert (root / "latest" / name).read_bytes() == (release / name).read_bytes()


def test_an_edited_copy_is_not_taken_for_the_release(root: Path) -> None:
    point_latest(root, "1.1.0", copy=True)
    (root / "latest" / "data" / "t0.csv").write_text("edited\n", encoding="utf-8")
    assert not latest_is(root, "1.1.0", copy=True)
    point_latest(root, "1.1.0", copy=True)  # what recovery does: the copy is made again
    assert latest_is(root, "1.1.0", copy=True)


@pytest.mark.parametrize("copy", [False, True])
def test_a_reader_never_finds_latest_missing_or_a_file_half_switched(
    root: Path, copy: bool
) -> None:
    """A reader polling ``latest`` while it switches 60 times always finds it, and every file it
    reads whole belongs to one release."""
    point_latest(root, "1.0.0", copy=copy)
    versions = ("1.0.0", "1.1.0", "2.0.0")
    problems: list[str] = []
    stop = threading.Event()

    def read_forever() -> None:
        while not stop.is_set():
            try:
                seen = version_seen(root)
                lines = (root / "latest" / "data" / "t2.csv").read_text(encoding="utf-8")
            except (FileNotFoundError, NotADirectoryError) as exc:
                problems.append(f"latest missing: {exc}")
                continue
            if seen not in versions or set(lines.split()) - {"v", *versions}:
                problems.append(f"mixed content: {seen} {lines!r}")

    reader = threading.Thread(target=read_forever)
    reader.start()
    try:
        for n in range(60):
            point_latest(root, versions[n % 3], copy=copy)
    finally:
        stop.set()
        reader.join()
    assert problems == []


def test_latest_json_names_the_version_and_every_file(root: Path) -> None:
    entry = {
        "version": "1.1.0",
        "published": "2026-01-02T03:04:05Z",
        "source_observed": "2026-01-01",
    }
    point_latest(root, "1.1.0", copy=True)
    write_manifest(root, entry)
    written = json.loads((root / "latest.json").read_text(encoding="utf-8"))
    assert written == manifest(root, entry)
    assert written["version"] == "1.1.0"
    assert written["datapackage"] == "latest/datapackage.json"
    release = root / "releases" / "1.1.0"
    listed = {f["release_path"].removeprefix("releases/1.1.0/") for f in written["files"]}
    assert listed == {
        p.relative_to(release).as_posix()
        for p in release.rglob("*")
        if p.is_file() and p.name != SUMS_FILE
    }
    for item in written["files"]:
        on_disk = root / item["path"]
        assert on_disk.stat().st_size == item["bytes"]
        assert os.path.getsize(root / item["release_path"]) == item["bytes"]


@pytest.mark.slow
def test_the_folder_swap_leaves_no_moment_without_latest(tmp_path: Path) -> None:
    """The swap itself, 1000 times between prepared folders, under a reader that never sleeps:
    ``latest`` is always there (Linux's RENAME_EXCHANGE; moving the old folder aside first
    would leave a gap this reader finds)."""
    from publish.release.atomic import replace_path

    latest = tmp_path / "latest"
    latest.mkdir()
    (latest / "marker").write_text("0", encoding="utf-8")
    gaps: list[int] = []
    stop = threading.Event()

    def read_forever() -> None:
        while not stop.is_set():
            if not os.path.exists(latest / "marker"):
                gaps.append(1)

    reader = threading.Thread(target=read_forever)
    reader.start()
    try:
        for n in range(1000):
            new = tmp_path / f".tmp-latest-{n}"
            new.mkdir()
            (new / "marker").write_text(str(n), encoding="utf-8")
            replace_path(new, latest)
    finally:
        stop.set()
        reader.join()
    assert gaps == []
    assert (latest / "marker").read_text(encoding="utf-8") == "999"
