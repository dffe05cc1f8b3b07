"""A published package at an http(s) URL, downloaded into a local folder for ``validate`` and
``diff`` (as ``load_release`` reads one): the descriptor first, checked as untrusted, then only
the files it names inside the package, each capped in size."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urljoin

from core.errors import SourceError
from core.settings import MAX_SOURCE_BYTES
from publish.formats.table import extra_paths
from publish.layout import DESCRIPTOR_FILE, SUMS_FILE
from publish.reading.untrusted import descriptor_problems, inside

#: a release file is far smaller; a larger answer is refused
MAX_FILE_BYTES = 4 * MAX_SOURCE_BYTES


def descriptor_url(url: str) -> str:
    return url if url.endswith(".json") else f"{url.rstrip('/')}/{DESCRIPTOR_FILE}"


def _get(url: str) -> bytes:
    import httpx

    from extract.redact import redact_url

    try:
        with httpx.stream("GET", url, timeout=30, follow_redirects=True) as response:
            if response.status_code != 200:
                raise SourceError(f"{redact_url(url)}: HTTP {response.status_code}")
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_FILE_BYTES:
                    raise SourceError(f"{redact_url(url)}: over the {MAX_FILE_BYTES}-byte cap")
                chunks.append(chunk)
            return b"".join(chunks)
    except httpx.HTTPError as exc:
        raise SourceError(f"{redact_url(url)}: {type(exc).__name__}: {exc}") from None


def download_package(url: str, folder: Path) -> Path:
    """The package at ``url`` (a release folder URL or its datapackage.json) in ``folder``;
    returns the local datapackage.json. Names outside the package are never fetched."""
    base = descriptor_url(url)
    raw = _get(base)
    try:
        descriptor = json.loads(raw)
    except ValueError as exc:
        raise SourceError(f"{base}: not a JSON descriptor ({exc})") from None
    if problems := descriptor_problems(descriptor, folder):
        raise SourceError(f"{base}: {problems[0]}")
    names = [SUMS_FILE]
    for resource in descriptor["resources"]:
        names.append(resource["path"])
        names += [path for path in extra_paths(resource) if isinstance(path, str)]
    (folder / DESCRIPTOR_FILE).write_bytes(raw)
    _fetch_all(base, folder, names)
    return folder / DESCRIPTOR_FILE


def _fetch_all(base: str, folder: Path, names: list[str]) -> list[str]:
    """Fetch each named file inside the package; the names SHA256SUMS lists are fetched too (a
    name leading outside is left for ``check_sums`` to report, never fetched)."""
    done: list[str] = []
    queue = list(names)
    while queue:
        name = queue.pop(0)
        if name in done:
            continue
        done.append(name)
        target = inside(folder, name)
        if target is None:
            continue
        try:
            data = _get(urljoin(base, name))
        except SourceError:
            if name == SUMS_FILE:
                continue  # a package without checksums is still a package
            raise
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        if name == SUMS_FILE:
            listed = data.decode("utf-8", "replace").splitlines()
            queue += [line.partition("  ")[2] for line in listed if "  " in line]
    return done
