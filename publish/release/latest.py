"""The stable addresses of the newest release: ``latest`` and ``latest.json``.

``latest`` is either a relative symlink to ``releases/<version>`` (the default) or, for static
hosts that do not follow symlinks, a real folder holding a copy of that release (``--latest-copy``).
Both are switched in one step that a reader never sees half done: a new link or a new copy is
built beside ``latest`` and then put in its place by ``atomic.replace_path`` (one rename for a
link over a link; for a folder, an atomic exchange of the two names, or where the file system
cannot exchange, a rename aside that may leave no ``latest`` for the time of one rename, never a
mixed one, and that the next run's recovery finishes).

``latest.json`` names the newest version and its files (path, bytes, SHA-256): what an app reads
first, from a fixed URL, whatever the host does with symlinks.
"""

from __future__ import annotations

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
from publish.release.atomic import TMP_PREFIX, remove, replace_path, write_atomic


def point_latest(root: Path, version: str, *, copy: bool, at: Path | None = None) -> None:
    """Make ``root/latest`` show ``releases/<version>``: a link, or a verified copy (built at
    ``at`` rather than ``root/latest``: a staged one, ``ReleaseStore.staged``)."""
    target = layout.release_dir(version)
    place = at or root / LATEST
    new = place.parent / f"{TMP_PREFIX}{LATEST}-{uuid.uuid4().hex[:8]}"
    try:
        if copy:
            _copy_release(root, target, new)
        else:
            os.symlink(target, new)
        replace_path(new, place, step="latest-link-created")
    finally:
        remove(new)


def _copy_release(root: Path, target: str, new: Path) -> None:
    """Copy the release ``root/target`` to ``new`` and check the copy against its sums."""
    shutil.copytree(root / target, new, symlinks=False)
    new.chmod(0o755)
    if problems := check_sums(new):  # the copy is the release, byte for byte
        raise OSError(f"the copy of {target} differs from it: {problems[0]}")


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


def write_manifest(
    root: Path, entry: Mapping[str, Any], base_url: str | None = None, at: Path | None = None
) -> None:
    """Write ``root/latest.json`` (or at ``at``: a staged one) for the release ``entry``."""
    data = json.dumps(manifest(root, entry, base_url), ensure_ascii=False, indent=2) + "\n"
    place = at or root / LATEST_JSON
    write_atomic(place, data.encode("utf-8"), step="latest-json-tmp-written")


def manifest_is(root: Path, entry: Mapping[str, Any], base_url: str | None = None) -> bool:
    path = root / LATEST_JSON
    try:
        return json.loads(path.read_text(encoding="utf-8")) == manifest(root, entry, base_url)
    except (OSError, ValueError):
        return False
