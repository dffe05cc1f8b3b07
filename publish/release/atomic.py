"""File-system steps that are never seen half done: atomic writes and an atomic link switch.

``crash_point(step)`` kills the process with SIGKILL when the environment variable
``RDV_OPENDATA_CRASH_AT`` names that step: the tests use it to check that a publish killed at any
step leaves the previous release readable. It does nothing otherwise.
"""

from __future__ import annotations

import os
import shutil
import signal
import uuid
from pathlib import Path

CRASH_ENV = "RDV_OPENDATA_CRASH_AT"
TMP_PREFIX = ".tmp-"


def crash_point(step: str) -> None:
    if os.environ.get(CRASH_ENV) == step:
        os.kill(os.getpid(), signal.SIGKILL)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes, step: str | None = None) -> None:
    """Write to a temporary file in the same folder, fsync, then rename over ``path``."""
    tmp = path.parent / f"{TMP_PREFIX}{path.name}-{uuid.uuid4().hex[:8]}"
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if step:
            crash_point(step)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    fsync_dir(path.parent)


def switch_link(link: Path, target: str, step: str | None = None) -> None:
    """Point the symlink ``link`` at ``target`` (relative) by renaming a new link over it."""
    tmp = link.parent / f"{TMP_PREFIX}{link.name}-{uuid.uuid4().hex[:8]}"
    os.symlink(target, tmp)
    try:
        if step:
            crash_point(step)
        os.replace(tmp, link)
    finally:
        if tmp.is_symlink():
            tmp.unlink()
    fsync_dir(link.parent)


def remove(path: Path) -> None:
    """Delete a file, a link (never what it points to) or a folder; nothing if absent."""
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
