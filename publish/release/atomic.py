"""File-system steps that are never seen half done: atomic writes, and one way to put a complete
file, link or folder in place of another (``replace_path``).

``crash_point(step)`` kills the process with SIGKILL when the environment variable
``RDV_OPENDATA_CRASH_AT`` names that step, and fails as a full disk would (``OSError`` ENOSPC)
when ``RDV_OPENDATA_FAIL_AT`` names it: the tests use them to check that a publish killed or
failing at any step leaves the previous release readable. It does nothing otherwise.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import os
import signal
import uuid
from collections.abc import Callable
from pathlib import Path

from core import standby
from publish.layout import STAGING_PREFIX
from publish.release.reclaim import reclaim, remove

__all__ = ["crash_point", "fsync_dir", "remove", "replace_path", "write_atomic"]

CRASH_ENV = "RDV_OPENDATA_CRASH_AT"
FAULT_ENV = "RDV_OPENDATA_FAIL_AT"
TMP_PREFIX = ".tmp-"
_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100  # linux/fcntl.h: paths relative to the working folder
#: what renameat2 answers when the system or the file system cannot exchange two names
_CANNOT_EXCHANGE = frozenset({errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP})


def crash_point(step: str) -> None:
    """The test hooks of a step: killed there (``CRASH_ENV``; the run killed whole when this is
    one of its second processes, ``core.standby.working_for``), or the disk full there
    (``FAULT_ENV``)."""
    if os.environ.get(CRASH_ENV) == step:
        if (run := standby.working_for()) is not None:
            os.kill(run, signal.SIGKILL)
        os.kill(os.getpid(), signal.SIGKILL)
    if os.environ.get(FAULT_ENV) == step:
        raise OSError(errno.ENOSPC, f"No space left on device (at {step})")


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
        replace_path(tmp, path, step=step)
    finally:
        tmp.unlink(missing_ok=True)


def replace_path(
    new: Path, target: Path, step: str | None = None, sync: bool = True, keep_old: bool = False
) -> None:
    """Put ``new``, a complete file, link or folder beside ``target`` (same folder, so same file
    system), in place of ``target``, such that a reader never finds ``target`` missing: it sees
    the old one or the new one, whole.

    - A file; or nothing at ``target``; or a link over a file or a link: one ``os.replace``. A
      file never takes the place of a folder (``os.replace`` refuses with
      ``IsADirectoryError``): a folder found where a file belongs is left to whoever put it.
    - A folder, or a link over a folder (``os.replace`` cannot put a folder over a folder that is
      not empty, nor over a file): Linux's ``renameat2(RENAME_EXCHANGE)`` swaps the two names in
      one atomic step, then the old one, now at ``new``, is removed (``reclaim``: a large one
      by a process of its own), or left there with ``keep_old`` (it is in the caller's
      garbage: ``switch.finish``). A reader that had already opened a file of the old folder
      reads it whole; one that was listing the old folder at the moment of the swap may see
      its names go as they are removed.
    - Fallback, where the system or the file system cannot exchange (not Linux, Linux before 3.15,
      some network or overlay file systems): the old ``target`` is renamed aside, then ``new``
      renamed to ``target``, then the old one removed. A reader may then find no ``target`` for
      the time between those two renames (microseconds), never a mixed one; a crash between them
      leaves no ``target`` until the next run (``recover`` removes the ``.tmp-`` names, and
      ``latest`` and the site are remade when they are missing).

    The folder is then fsynced, unless ``sync`` is False (the caller syncs once after several
    renames) or it is a staging folder (its names only count once switched in, and
    ``switch.finish`` syncs the output folder then). ``step`` names the crash point just before
    anything is replaced. The caller removes ``new`` if this fails.
    """
    if step:
        crash_point(step)
    if _one_rename(new, target):
        os.replace(new, target)
    elif exchange(new, target):
        if not keep_old:
            reclaim(new)  # the previous target, now under the new name
    else:
        _replace_aside(new, target)
    if sync and not target.parent.name.startswith(STAGING_PREFIX):
        fsync_dir(target.parent)


def _replace_aside(new: Path, target: Path) -> None:
    """The fallback of ``replace_path``: ``target`` renamed aside, ``new`` renamed in its place
    (the old one is put back if that fails), then the old one removed."""
    aside = target.parent / f"{TMP_PREFIX}{target.name}-old-{uuid.uuid4().hex[:8]}"
    os.rename(target, aside)
    try:
        os.rename(new, target)
    except OSError:
        os.rename(aside, target)
        raise
    reclaim(aside)


def _one_rename(new: Path, target: Path) -> bool:
    """Whether ``os.replace`` alone puts ``new`` in place of ``target`` (or refuses to put a file
    over a folder)."""
    if _is_file(new) or not os.path.lexists(target):
        return True
    return not _is_folder(new) and not _is_folder(target)


def _is_folder(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()


def _is_file(path: Path) -> bool:
    return path.is_file() and not path.is_symlink()


@functools.cache
def _renameat2() -> Callable[..., int] | None:
    """The C library's ``renameat2``, or None where there is none (not Linux, an old libc)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None
    function: Callable[..., int] | None = getattr(libc, "renameat2", None)
    return function


def exchange(a: Path, b: Path) -> bool:
    """Swap the names ``a`` and ``b`` in one atomic step; False when the system cannot."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    done = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in _CANNOT_EXCHANGE:
        return False
    raise OSError(code, os.strerror(code), str(a))
