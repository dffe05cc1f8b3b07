"""Deleting what a run replaced: at once when it is small, in a process of its own when it is
large, so that a publish does not wait for it.

Why: on a file system mounted with online discard (ext4 ``discard``, usual on cloud disks, and
the case of this project's machine), freeing a file's blocks waits for the disk: deleting 5,000
small files written earlier takes 5 s, against 0.1 s for files still in memory. A table of
10,000 types publishes about 40,000 feed and calendar files, and the previous site's 40,000 were
deleted before the publish could end (18 s of a 95 s publish). They are garbage from the moment
the new site is switched in.

A large tree is renamed ``TRASH_PREFIX<random>`` in its folder (one rename), then deleted by a
detached process (``python -I -S -c`` with the standard library only) that outlives the run.
If that process is killed, or the machine stops, the next run's ``recover`` finds the trash by
its prefix and reclaims it again. Nothing published is ever touched: only names a run made
garbage reach this module.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

from publish.layout import TRASH_PREFIX

#: a tree of more entries than this is deleted in the background (a site of a real table has
#: about a hundred; deleting a thousand files of a discarding disk inline costs about a second)
BACKGROUND_ABOVE = 1000
#: at the lowest priority: garbage, deleted when nothing else wants the machine
_DELETE = "import os, shutil, sys; os.nice(19); shutil.rmtree(sys.argv[1], ignore_errors=True)"
#: the deleting processes this process started: kept until they end (a ``Popen`` dropped while
#: its process runs warns), and for ``wait`` (tests)
_RUNNING: dict[Path, subprocess.Popen[bytes]] = {}


def remove(path: Path) -> None:
    """Delete a file, a link (never what it points to) or a folder; nothing if absent."""
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.is_dir():
        shutil.rmtree(path, ignore_errors=True)


def reclaim(path: Path) -> None:
    """Delete ``path``, a name a run made garbage: inline when it is small, else renamed
    ``TRASH_PREFIX<random>`` and deleted by a detached process (inline if none can start)."""
    if not path.is_dir() or path.is_symlink() or not larger_than(path, BACKGROUND_ABOVE):
        remove(path)
        return
    trash = path
    if path.name.startswith(TRASH_PREFIX):
        if _being_deleted(path):
            return
    else:
        trash = path.with_name(f"{TRASH_PREFIX}{uuid.uuid4().hex[:12]}")
        os.rename(path, trash)
    if not _delete_in_background(trash):
        remove(trash)


def larger_than(folder: Path, limit: int) -> bool:
    """Whether ``folder`` holds more than ``limit`` entries, at any depth; stops counting there."""
    count, pending = 0, [str(folder)]
    while pending:
        try:
            entries = list(os.scandir(pending.pop()))
        except OSError:
            continue
        count += len(entries)
        if count > limit:
            return True
        pending.extend(e.path for e in entries if e.is_dir(follow_symlinks=False))
    return False


def deleting() -> list[Path]:
    """The trees processes this one started are deleting still."""
    for trash, process in list(_RUNNING.items()):
        if process.poll() is not None:
            del _RUNNING[trash]
    return list(_RUNNING)


def _being_deleted(trash: Path) -> bool:
    return trash in deleting()


def _delete_in_background(trash: Path) -> bool:
    deleting()  # forget the processes that ended
    try:
        process = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", _DELETE, str(trash)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # not stopped with the run (a Ctrl-C, a flow cancelled)
        )
    except (OSError, ValueError):  # no interpreter to start (an embedded Python): inline
        return False
    _RUNNING[trash] = process
    return True


def wait(timeout: float | None = None) -> None:
    """Wait for the deleting processes this process started (tests, benchmarks)."""
    for process in _RUNNING.values():
        process.wait(timeout)
    _RUNNING.clear()
