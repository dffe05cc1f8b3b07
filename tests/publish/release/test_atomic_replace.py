"""``replace_path``: a complete file, link or folder takes the place of another, whatever each is,
with the atomic exchange and with the fallback for file systems that cannot exchange."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from publish.release import atomic
from publish.release.atomic import replace_path


def make(path: Path, kind: str, text: str) -> Path:
    """A file, a folder (holding ``marker``) or a link (to a folder holding ``marker``)."""
    if kind == "file":
        path.write_text(text, encoding="utf-8")
    elif kind == "folder":
        path.mkdir()
        (path / "marker").write_text(text, encoding="utf-8")
    else:
        pointed = path.parent / f"pointed-{text}"
        make(pointed, "folder", text)
        path.symlink_to(pointed.name)
    return path


def text_of(path: Path) -> str:
    return (path if path.is_file() else path / "marker").read_text(encoding="utf-8")


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("pointed-"))


KINDS = ("file", "folder", "link")
#: (new, old) of every replacement but a file over a folder, which is refused (below)
PAIRS = [(new, old) for new in KINDS for old in (*KINDS, None) if (new, old) != ("file", "folder")]


@pytest.fixture(params=[True, False], ids=["exchange", "fallback"])
def can_exchange(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    if not request.param:  # a file system without RENAME_EXCHANGE
        monkeypatch.setattr(atomic, "exchange", lambda a, b: False)
    return bool(request.param)


@pytest.mark.parametrize(("new", "old"), PAIRS)
def test_anything_takes_the_place_of_anything_but_a_file_of_a_folder(
    tmp_path: Path, new: str, old: str | None, can_exchange: bool
) -> None:
    target = tmp_path / "target"
    if old:
        make(target, old, "old")
    built = make(tmp_path / ".tmp-target-new", new, "new")
    replace_path(built, target)
    assert text_of(target) == "new"
    assert target.is_symlink() is (new == "link")
    assert names(tmp_path) == ["target"]  # the old one is gone, nothing left aside
    if old == "link":  # a link is removed, never what it points to
        assert text_of(tmp_path / "pointed-old") == "old"


def test_a_file_never_takes_the_place_of_a_folder(tmp_path: Path, can_exchange: bool) -> None:
    """A folder where the history database belongs is not deleted to make room for it."""
    target = make(tmp_path / "history.sqlite", "folder", "someone's")
    built = make(tmp_path / ".tmp-history.sqlite-new", "file", "new")
    with pytest.raises(IsADirectoryError):
        replace_path(built, target)
    assert text_of(target) == "someone's" and text_of(built) == "new"


def test_the_folders_are_exchanged_when_the_system_can(tmp_path: Path) -> None:
    a = make(tmp_path / "a", "folder", "a")
    b = make(tmp_path / "b", "file", "b")
    if atomic.exchange(a, b):
        assert text_of(a) == "b" and text_of(b) == "a"
    else:  # a system without the exchange says so and leaves both names as they were
        assert text_of(a) == "a" and text_of(b) == "b"


def test_a_crash_point_comes_before_anything_is_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = make(tmp_path / "target", "folder", "old")
    built = make(tmp_path / ".tmp-target-new", "folder", "new")
    monkeypatch.setenv(atomic.CRASH_ENV, "the-step")

    def killed(step: str) -> None:
        assert os.environ[atomic.CRASH_ENV] == step
        raise SystemExit(f"killed at {step}")

    monkeypatch.setattr(atomic, "crash_point", killed)
    with pytest.raises(SystemExit, match="killed at the-step"):
        replace_path(built, target, step="the-step")
    assert text_of(target) == "old" and text_of(built) == "new"


def test_a_failed_replace_raises_and_changes_nothing(tmp_path: Path, can_exchange: bool) -> None:
    target = make(tmp_path / "target", "folder", "old")
    with pytest.raises(OSError):
        replace_path(tmp_path / "never-built", target)
    assert text_of(target) == "old"
