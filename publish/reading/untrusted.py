"""A downloaded package is untrusted: its descriptor is checked before anything reads a path it
names, so that ``diff`` and ``validate`` never read outside the package (``../../etc/shadow``),
never fetch a URL it names, and fail in one line on a descriptor of the wrong shape."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

from publish.formats.table import extra_paths
from publish.layout import DESCRIPTOR_FILE


def resolved(path: str | Path) -> str:
    """``Path(path).resolve()`` as text: links followed, and a link loop refused as pathlib
    refuses it (RuntimeError), without pathlib's objects: ``inside`` runs for every file of a
    release several times a publish, and they were half its cost."""
    real = os.path.realpath(path)
    try:
        os.stat(real)
    except OSError as exc:  # a missing file is fine here, as for Path.resolve()
        if exc.errno == errno.ELOOP:
            raise RuntimeError(f"Symlink loop from {real!r}") from None
    return real


def inside(folder: Path, relative: str) -> Path | None:
    """``folder / relative`` when it stays inside ``folder`` (links resolved), else None: an
    absolute path, ``..``, a URL or a link leading out are all outside."""
    if not relative or "://" in relative or relative.startswith(("/", "\\")) or "\0" in relative:
        return None
    root = resolved(folder)
    # Empty and "." parts dropped first, as pathlib does: Python 3.11's realpath resolves
    # "loop//data" past a link loop to "/data" instead of reporting the loop.
    parts = [part for part in relative.split("/") if part not in ("", ".")]
    candidate = resolved(os.path.join(root, *parts))
    if candidate == root or candidate.startswith(root.rstrip(os.sep) + os.sep):
        return Path(candidate)
    return None


def _schema_problem(schema: Any) -> str | None:
    if not isinstance(schema, dict):
        return "its schema is not an object"
    fields = schema.get("fields")
    if not isinstance(fields, list) or not all(
        isinstance(f, dict) and isinstance(f.get("name"), str) for f in fields
    ):
        return "its schema has no list of named fields"
    key = schema.get("primaryKey", [])
    if not isinstance(key, str) and not (
        isinstance(key, list) and all(isinstance(k, str) for k in key)
    ):
        return "its schema's primaryKey is not a field name or a list of them"
    return None


def descriptor_problems(descriptor: Any, folder: Path) -> list[str]:
    """What makes this descriptor unsafe or unusable to read, one line each (empty: fine)."""
    if not isinstance(descriptor, dict):
        return [f"{DESCRIPTOR_FILE} is not a JSON object"]
    resources = descriptor.get("resources")
    if not isinstance(resources, list):
        return [f"{DESCRIPTOR_FILE} has no list of resources"]
    problems = []
    for number, resource in enumerate(resources, start=1):
        if not isinstance(resource, dict) or not isinstance(resource.get("name"), str):
            problems.append(f"resource {number} is not a resource (no name)")
            continue
        name = resource["name"]
        paths = [resource.get("path"), *extra_paths(resource)]
        if not isinstance(paths[0], str):
            problems.append(f"resource {name!r} has no path")
        for path in paths:
            if isinstance(path, str) and inside(folder, path) is None:
                problems.append(f"resource {name!r}: {path[:80]!r} is outside the package")
            elif path is not None and not isinstance(path, str):
                problems.append(f"resource {name!r}: a path that is not text")
        if "schema" in resource and (problem := _schema_problem(resource["schema"])):
            problems.append(f"resource {name!r}: {problem}")
    return problems
