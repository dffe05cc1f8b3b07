"""Writing the site's many small files: 40,000 feeds and calendars at 10,000 appointment types.

Within ``recycling(building)``, a file written under ``building`` takes the place of the file of
the same name in the spare its build claimed (``publish.release.spare``): renamed into place,
then overwritten, rather than created. A spare's file is taken only when it is a regular file of
this user with no other link; each folder of the spare is opened without following a link, so a
spare never leads a write or a rename elsewhere. Anything else is created, as without a spare.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from publish.release.reclaim import remove
from publish.release.spare import spare_of

#: ``open(path, "wb")``'s flags: created or emptied, closed in child processes
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)
#: a spare's file, once renamed into the building folder: never through a link, never blocking
#: (a FIFO), closed in child processes
_REUSE = os.O_WRONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
_FOLDER = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


class _Spare:
    """The spare of one build: its folders, opened once each."""

    def __init__(self, building: Path, spare: Path) -> None:
        self.prefix = str(building) + os.sep
        self.root = str(spare)
        self.folders: dict[str, int | None] = {}
        self.mode = 0o666 & ~_umask()
        self.uid = os.geteuid()

    def folder(self, relative: str) -> int | None:
        """The spare's folder ``relative`` (``""``: its top) opened, or None."""
        if relative not in self.folders:
            parent, _, name = relative.rpartition(os.sep)
            top = self.folder(parent) if relative else None
            try:
                if relative:
                    fd = None if top is None else os.open(name, _FOLDER, dir_fd=top)
                else:
                    fd = os.open(self.root, _FOLDER)
            except OSError:
                fd = None
            self.folders[relative] = fd
        return self.folders[relative]

    def take(self, path: str) -> int | None:
        """``path``, a file of the building folder, as the spare's file of its name renamed into
        place and opened for writing; None when the spare has no such file to give."""
        if not path.startswith(self.prefix):
            return None
        folder, _, name = path[len(self.prefix) :].rpartition(os.sep)
        source = self.folder(folder)
        if source is None:
            return None
        try:
            if not self.ours(os.lstat(name, dir_fd=source)):
                return None
            os.rename(name, path, src_dir_fd=source)
        except OSError:
            return None
        try:  # checked again once in the building folder, where nobody else renames
            fd = os.open(path, _REUSE)
        except OSError:
            remove(Path(path))
            return None
        found = os.fstat(fd)
        if not self.ours(found):
            os.close(fd)
            remove(Path(path))
            return None
        if stat.S_IMODE(found.st_mode) != self.mode:
            os.fchmod(fd, self.mode)
        return fd

    def ours(self, found: os.stat_result) -> bool:
        """Whether a spare's file may be rewritten: a regular file of this user, no other link."""
        return stat.S_ISREG(found.st_mode) and found.st_nlink == 1 and found.st_uid == self.uid

    def close(self) -> None:
        for fd in self.folders.values():
            if fd is not None:
                os.close(fd)


_SPARE: ContextVar[_Spare | None] = ContextVar("site_spare", default=None)


def _umask() -> int:
    """This process's umask, read without changing it where Linux tells it."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextmanager
def recycling(building: Path) -> Iterator[None]:
    """Within: ``write_file`` under ``building`` reuses the files of its claimed spare (none
    claimed: it creates them, as outside)."""
    spare = spare_of(building)
    if not os.path.isdir(spare):
        yield
        return
    files = _Spare(building, spare)
    token = _SPARE.set(files)
    try:
        yield
    finally:
        _SPARE.reset(token)
        files.close()


def write_file(path: Path, data: bytes) -> None:
    """``path.write_bytes(data)``, the same file with the same mode, without what ``open`` adds
    for a stream (a buffer, a check for a terminal): a tenth of the cost of a small file. Within
    ``recycling``, the spare's file of the same name, when there is one, is rewritten instead."""
    spare = _SPARE.get()
    fd = spare.take(str(path)) if spare is not None else None
    reused = fd is not None
    if fd is None:
        fd = os.open(path, _FLAGS, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        if reused:
            os.ftruncate(fd, len(data))
    finally:
        os.close(fd)
