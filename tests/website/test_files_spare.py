"""Within ``recycling``, ``write_file`` takes the spare's file of the same name when it may:
whatever the spare holds there (a file of any size and mode, a link to a file or a folder
outside, a second link to a file outside, a folder, a FIFO, nothing), the file written holds
exactly the bytes, with the mode a new file gets, one link, and nothing outside the building
folder changes. Without a claimed spare it writes as before."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from publish.release.spare import spare_of
from website.files import recycling, write_file

#: what the spare may hold at the name written, or at the folder above it
KINDS = ("file", "none", "link-to-file", "link-to-folder", "hard-link", "folder", "fifo")
FOLDER_KINDS = ("folder", "none", "link-to-folder", "file")


def make_entry(name: Path, outside: Path, kind: str, old: bytes, mode: int) -> None:
    """``name`` made as ``kind`` (one of ``KINDS``)."""
    if kind == "file":
        name.write_bytes(old)
        name.chmod(mode)
        return
    makers = {
        "none": lambda: None,
        "link-to-file": lambda: name.symlink_to(outside / "victim.xml"),
        "link-to-folder": lambda: name.symlink_to(outside),
        "hard-link": lambda: os.link(outside / "victim.xml", name),
        "folder": lambda: (name / "inside").mkdir(parents=True),
        "fifo": lambda: os.mkfifo(name),
    }
    makers[kind]()


def make_spare(spare: Path, outside: Path, kind: str, folder_kind: str, old: bytes, mode: int):
    """The spare, with ``feeds/`` as ``folder_kind`` and ``feeds/type-1.xml`` as ``kind``."""
    spare.mkdir()
    feeds = spare / "feeds"
    if folder_kind != "folder":
        make_entry(feeds, outside, "file" if folder_kind == "file" else folder_kind, old, mode)
        return
    feeds.mkdir()
    make_entry(feeds / "type-1.xml", outside, kind, old, mode)


def outside_state(outside: Path) -> dict[str, Any]:
    return {
        p.name: (p.read_bytes(), stat.S_IMODE(p.stat().st_mode), p.stat().st_ino)
        for p in outside.iterdir()
    }


@settings(max_examples=150, deadline=None)
@given(
    kind=st.sampled_from(KINDS),
    folder_kind=st.sampled_from(FOLDER_KINDS),
    old=st.binary(max_size=20_000),
    data=st.binary(max_size=20_000),
    mode=st.sampled_from([0o600, 0o644, 0o444, 0o755, 0o666]),
)
@example(kind="file", folder_kind="folder", old=b"x" * 10_000, data=b"short", mode=0o600)
@example(kind="link-to-file", folder_kind="folder", old=b"", data=b"evil", mode=0o644)
@example(kind="hard-link", folder_kind="folder", old=b"", data=b"evil", mode=0o644)
@example(kind="fifo", folder_kind="folder", old=b"", data=b"data", mode=0o644)
@example(kind="file", folder_kind="link-to-folder", old=b"", data=b"evil", mode=0o644)
def test_a_file_written_from_a_spare_is_the_file_written_without_one(
    tmp_path_factory: Any, kind: str, folder_kind: str, old: bytes, data: bytes, mode: int
) -> None:
    root = tmp_path_factory.mktemp("spare")
    outside = root / "outside"
    outside.mkdir()
    (outside / "victim.xml").write_bytes(b"not ours to change")
    (outside / "type-1.xml").write_bytes(b"not ours either")
    before = outside_state(outside)
    building, plain = root / ".building-site-x", root / "plain"
    for folder in (building, plain):
        (folder / "feeds").mkdir(parents=True)
    make_spare(spare_of(building), outside, kind, folder_kind, old, mode)

    with recycling(building):
        write_file(building / "feeds" / "type-1.xml", data)
    write_file(plain / "feeds" / "type-1.xml", data)

    written, expected = building / "feeds" / "type-1.xml", plain / "feeds" / "type-1.xml"
    assert written.read_bytes() == data
    found = os.lstat(written)
    assert stat.S_ISREG(found.st_mode) and found.st_nlink == 1
    assert stat.S_IMODE(found.st_mode) == stat.S_IMODE(expected.stat().st_mode)
    assert outside_state(outside) == before
    assert sorted(p.name for p in (building / "feeds").iterdir()) == ["type-1.xml"]


def test_the_spare_file_of_the_same_name_is_taken_and_others_are_left(tmp_path: Path) -> None:
    """The inode of the spare's file is the written file's; the spare keeps what was not
    written, for its build to delete."""
    building = tmp_path / ".building-site-x"
    (building / "en" / "feeds").mkdir(parents=True)
    spare = spare_of(building)
    (spare / "en" / "feeds").mkdir(parents=True)
    for name in ("a.xml", "gone.xml"):
        (spare / "en" / "feeds" / name).write_bytes(b"old " * 1000)
    taken = os.lstat(spare / "en" / "feeds" / "a.xml").st_ino

    with recycling(building):
        write_file(building / "en" / "feeds" / "a.xml", b"new")
        write_file(building / "en" / "feeds" / "b.xml", b"created")

    assert os.lstat(building / "en" / "feeds" / "a.xml").st_ino == taken
    assert (building / "en" / "feeds" / "a.xml").read_bytes() == b"new"
    assert (building / "en" / "feeds" / "b.xml").read_bytes() == b"created"
    assert sorted(p.name for p in (spare / "en" / "feeds").iterdir()) == ["gone.xml"]


def test_without_a_claimed_spare_files_are_created(tmp_path: Path) -> None:
    building = tmp_path / ".building-site-x"
    building.mkdir()
    elsewhere = tmp_path / "other"
    elsewhere.mkdir()
    (elsewhere / "a.xml").write_bytes(b"old")
    with recycling(building):
        write_file(building / "a.xml", b"new")
        write_file(elsewhere / "a.xml", b"also new")  # outside the building folder: as ever
    assert (building / "a.xml").read_bytes() == b"new"
    assert (elsewhere / "a.xml").read_bytes() == b"also new"
