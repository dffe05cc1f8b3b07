"""Writing the site's many small files: 40,000 feeds and calendars at 10,000 appointment types."""

from __future__ import annotations

import os
from pathlib import Path

#: ``open(path, "wb")``'s flags: created or emptied, closed in child processes
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)


def write_file(path: Path, data: bytes) -> None:
    """``path.write_bytes(data)``, the same file with the same mode, without what ``open`` adds
    for a stream (a buffer, a check for a terminal): a tenth of the cost of a small file."""
    fd = os.open(path, _FLAGS, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)
