"""The stable addresses of the newest release: ``latest`` and ``latest.json``.

``latest`` is either a relative symlink to ``releases/<version>`` (the default) or, for static
hosts that do not follow symlinks, a real folder holding a copy of that release (``--latest-copy``).
Both are switched in one step that a reader never sees half done: a new link or a new copy is
built beside ``latest`` and then takes its place with one rename. For a folder, that rename is
Linux's ``renameat2(RENAME_EXCHANGE)``, which swaps the two names atomically; where it is not
available, the old folder is moved aside first (a reader may then find no ``latest`` for the
time of one rename, never a mixed one), and the next run's recovery finishes the switch.

``latest.json`` names the newest version and its files (path, bytes, SHA-256): what an app reads
first, from a fixed URL, whatever the host does with symlinks.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import json
import os
import shutil
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from publish import layout
from publish.layout import LATEST, LATEST_JSON
from publish.reading.integrity import check_sums, read_sums
from publish.release.atomic import (
    TMP_PREFIX,
    crash_point,
    fsync_dir,
    remove,
    switch_link,
    write_atomic,
)

_RENAME_EXCHANGE = 2  # linux/fs.h


def _exchange(a: Path, b: Path) -> bool:
    """Swap the names ``a`` and ``b`` in one atomic step; False when the system cannot."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    done = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(a))


def _put_in_place(new: Path, latest: Path) -> None:
    """Make ``new`` (a link or a folder beside ``latest``) the ``latest``, in one step."""
    if not latest.exists() and not latest.is_symlink():
        os.rename(new, latest)
    elif latest.is_symlink() and new.is_symlink():
        os.replace(new, latest)
    elif _exchange(new, latest):
        remove(new)  # now the previous latest
    else:
        aside = latest.parent / f"{TMP_PREFIX}{latest.name}-old-{uuid.uuid4().hex[:8]}"
        os.rename(latest, aside)
        os.rename(new, latest)
        remove(aside)
    fsync_dir(latest.parent)


def point_latest(root: Path, version: str, *, copy: bool) -> None:
    """Make ``root/latest`` show ``releases/<version>``: a link, or a verified copy."""
    latest = root / LATEST
    target = layout.release_dir(version)
    if not copy:
        if latest.is_symlink() or not latest.exists():
            switch_link(latest, target, step="latest-link-created")
            return
        new = root / f"{TMP_PREFIX}{LATEST}-{uuid.uuid4().hex[:8]}"
        os.symlink(target, new)
    else:
        new = root / f"{TMP_PREFIX}{LATEST}-{uuid.uuid4().hex[:8]}"
        shutil.copytree(root / target, new, symlinks=False)
        new.chmod(0o755)
        if problems := check_sums(new):  # the copy is the release, byte for byte
            remove(new)
            raise OSError(f"the copy of {target} differs from it: {problems[0]}")
    try:
        crash_point("latest-link-created")
        _put_in_place(new, latest)
    finally:
        remove(new)


def latest_is(root: Path, version: str, *, copy: bool) -> bool:
    """Whether ``latest`` already shows ``version`` in the requested form."""
    latest = root / LATEST
    if not copy:
        return latest.is_symlink() and os.readlink(latest) == layout.release_dir(version)
    if latest.is_symlink() or not latest.is_dir():
        return False
    release_sums = root / layout.release_dir(version) / layout.SUMS_FILE
    copied_sums = latest / layout.SUMS_FILE
    return (
        copied_sums.is_file()
        and release_sums.is_file()
        and copied_sums.read_bytes() == release_sums.read_bytes()
        and not check_sums(latest)
    )


def manifest(root: Path, entry: Mapping[str, Any], base_url: str | None = None) -> dict[str, Any]:
    """``latest.json``: the newest version, when it was published and observed, and its files
    (from the release's SHA256SUMS), each with its path under ``latest/`` and under
    ``releases/<version>/`` (relative to the output folder), its size and digest; with
    ``base_url`` (where the output folder is served), the full URL of each too."""
    base = base_url.rstrip("/") + "/" if base_url else None
    version = entry["version"]
    release = layout.release_dir(version)
    folder = root / release
    files = []
    for digest, name in read_sums(folder):
        item: dict[str, Any] = {
            "path": f"{LATEST}/{name}",
            "release_path": f"{release}/{name}",
            "bytes": (folder / name).stat().st_size,
            "sha256": digest,
        }
        if base:
            item["url"] = base + item["path"]
            item["release_url"] = base + item["release_path"]
        files.append(item)
    return {
        "version": version,
        **({"base_url": base.rstrip("/")} if base else {}),
        "published": entry.get("published"),
        "source_observed": entry.get("source_observed"),
        "bump": entry.get("bump"),
        "datapackage": f"{LATEST}/{layout.DESCRIPTOR_FILE}",
        "release": f"{release}/",
        "files": files,
    }


def write_manifest(root: Path, entry: Mapping[str, Any], base_url: str | None = None) -> None:
    data = json.dumps(manifest(root, entry, base_url), ensure_ascii=False, indent=2) + "\n"
    write_atomic(root / LATEST_JSON, data.encode("utf-8"), step="latest-json-tmp-written")


def manifest_is(root: Path, entry: Mapping[str, Any], base_url: str | None = None) -> bool:
    path = root / LATEST_JSON
    try:
        return json.loads(path.read_text(encoding="utf-8")) == manifest(root, entry, base_url)
    except (OSError, ValueError):
        return False
