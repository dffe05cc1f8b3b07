"""The audit of a run's outputs before they are switched in (``ReleaseStore.staged``): each one
this run built is read back and checked against the catalog it was built for. A problem refuses
the run with nothing published (``PublishError`` naming the output), rather than switching in a
site, a history or a catalogue that disagrees with the releases.

What each output must be:

- ``releases/<version>``: a new release, listed by the catalog and matching its SHA256SUMS;
- ``releases.json``: a catalog (``ReleaseStore.catalog`` checks every entry);
- ``latest``: a link to the last release's folder, or a copy matching its SHA256SUMS;
- ``latest.json``: JSON naming the last release;
- ``history.sqlite``: an intact SQLite database listing every release, in order (when this
  run rebuilt it, its builder ran SQLite's integrity check before putting it in place, and the
  audit reads the releases it lists);
- ``history.metadata.json``, ``state.json``, ``attempts.json``: JSON objects;
- ``catalog.jsonld``: JSON-LD describing the catalog's address and the last release;
- ``site/``: in every language, the home page, the history page and a page per release,
  showing the last release.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from core import i18n
from core.errors import PublishError
from publish import layout
from publish.history.database import database_problem
from publish.reading.integrity import check_sums
from publish.release.store import ReleaseStore


def audit_outputs(store: ReleaseStore, built: Collection[str] = ()) -> None:
    """Check every output staged in ``store`` (nothing when it is not a staged view). ``built``:
    the derived outputs this run rebuilt (``refresh_derived``), each checked by its builder
    already; the history's integrity check is then not done twice."""
    names = store.staged_names()
    if not names:
        return
    versions = [entry["version"] for entry in store.catalog()]
    for name in names:
        audit = (name in built and BUILT_AUDITS.get(name)) or AUDITS.get(name, _release)
        problem = audit(store, store.path(name), versions)
        if problem:
            raise PublishError(
                f"the {name} this run built is wrong ({problem}): nothing was published"
            )


def _json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return exc


def _release(store: ReleaseStore, path: Path, versions: list[str]) -> str | None:
    """A new release's folder: listed by the catalog, and intact (its SHA256SUMS)."""
    if path.name not in versions:
        return "the catalog does not list it"
    problems = check_sums(path)
    return problems[0] if problems else None


def _object(store: ReleaseStore, path: Path, versions: list[str]) -> str | None:
    value = _json(path)
    return None if isinstance(value, dict) else f"not a JSON object: {value}"


def _catalog(store: ReleaseStore, path: Path, versions: list[str]) -> str | None:
    return None if versions else "it lists no release"


def _latest(store: ReleaseStore, path: Path, versions: list[str]) -> str | None:
    folder = layout.release_dir(versions[-1])
    if path.is_symlink():
        link = os.readlink(path)
        return None if link == folder else f"it points to {link}, not {folder}"
    problems = check_sums(path)
    return f"the copy differs from {folder}: {problems[0]}" if problems else None


def _manifest(store: ReleaseStore, path: Path, versions: list[str]) -> str | None:
    value = _json(path)
    shown = value.get("version") if isinstance(value, dict) else None
    return None if shown == versions[-1] else f"it names {shown!r}, not {versions[-1]}"


def _history(store: ReleaseStore, path: Path, versions: list[str]) -> str | None:
    return database_problem(path, versions)


def _checked_history(store: ReleaseStore, path: Path, versions: list[str]) -> str | None:
    """A history its builder read back in this run (``build_history``): the releases it lists,
    without SQLite's integrity check again (a second or more at tens of releases)."""
    return database_problem(path, versions, whole=False)


def _dcat(store: ReleaseStore, path: Path, versions: list[str]) -> str | None:
    try:
        text = path.read_text(encoding="utf-8")
        value = json.loads(text)
    except (OSError, ValueError) as exc:
        return f"not a JSON-LD graph: {exc}"
    if not isinstance(value, dict) or not isinstance(value.get("@graph"), list):
        return "not a JSON-LD graph"
    catalog = f'"@id": "{store.base_url}/{layout.DCAT_FILE}"'
    if catalog not in text:
        return f"it does not describe the catalogue at {store.base_url}"
    return None if f'"{versions[-1]}"' in text else f"it does not list {versions[-1]}"


def _site(store: ReleaseStore, path: Path, versions: list[str]) -> str | None:
    pages = [
        layout.site_language_dir(language, i18n.DEFAULT) + page
        for language in i18n.languages()
        for page in (
            layout.SITE_INDEX,
            layout.SITE_HISTORY,
            *(layout.site_release_page(v) for v in versions),
        )
    ]
    missing = [p for p in pages if not (path / p).is_file() or not (path / p).stat().st_size]
    if missing:
        return f"{missing[0]} is missing or empty"
    shown = (path / layout.SITE_VERSION_FILE).read_text(encoding="utf-8")
    return None if shown == versions[-1] else f"it shows {shown!r}, not {versions[-1]}"


#: the check of each output a run may switch in (``layout.SWITCHED``)
AUDITS: dict[str, Callable[[ReleaseStore, Path, list[str]], str | None]] = {
    layout.CATALOG_FILE: _catalog,
    layout.LATEST: _latest,
    layout.LATEST_JSON: _manifest,
    layout.HISTORY_FILE: _history,
    layout.HISTORY_METADATA_FILE: _object,
    layout.DCAT_FILE: _dcat,
    layout.SITE_DIR: _site,
    layout.STATE_FILE: _object,
    layout.ATTEMPTS_FILE: _object,
}
#: the audits of a derived output its builder read back in this run (``refresh_derived``)
BUILT_AUDITS: dict[str, Callable[[ReleaseStore, Path, list[str]], str | None]] = {
    layout.HISTORY_FILE: _checked_history,
}
