"""Files derived from the whole output folder rather than from one release: the history database
(``history.sqlite`` and its Datasette metadata) and the DCAT-AP catalogue (``catalog.jsonld``).

They are rebuilt after each publish and whenever they are missing or older than the catalog
(``releases.json``): a run killed after its release was committed leaves them stale, and the next
run, whatever its outcome, brings them up to date. Call with the output's lock held.
"""

from __future__ import annotations

import os

from publish.layout import DCAT_FILE, HISTORY_FILE, HISTORY_METADATA_FILE
from publish.release.store import ReleaseStore


def stale(store: ReleaseStore, name: str) -> bool:
    """Whether ``name`` in the output folder is missing or older than the catalog."""
    path = store.path(name)
    if path.is_symlink() or not path.is_file():
        return True
    try:
        return path.stat().st_mtime_ns < store.catalog_path.stat().st_mtime_ns
    except FileNotFoundError:
        return True


def catalog_elsewhere(store: ReleaseStore) -> bool:
    """Whether ``catalog.jsonld`` describes the output served at another address (a run with a
    new ``--base-url``): its catalog node is ``<base>/catalog.jsonld``."""
    try:
        with store.path(DCAT_FILE).open(encoding="utf-8") as handle:
            head = handle.read(4096)
    except OSError:
        return True
    return f'"@id": "{store.base_url}/{DCAT_FILE}"' not in head


def history_due(store: ReleaseStore) -> bool:
    """Whether the history (``history.sqlite`` and its metadata) is to be rebuilt."""
    return stale(store, HISTORY_FILE) or stale(store, HISTORY_METADATA_FILE)


def due(store: ReleaseStore) -> bool:
    """Whether ``refresh_derived`` has anything to rebuild (nothing before the first release)."""
    if store.latest_entry() is None:
        return False
    return history_due(store) or stale(store, DCAT_FILE) or catalog_elsewhere(store)


def refresh_derived(store: ReleaseStore) -> list[str]:
    """Rebuild what is stale (the history before the catalogue, which records its checksum);
    returns what was rebuilt. Nothing before the first release."""
    if store.latest_entry() is None:
        return []
    from publish.derived.dcat import write_catalog
    from publish.history.build import build_history

    done: list[str] = []
    if history_due(store):
        build_history(store)
        done.append(HISTORY_FILE)
    if stale(store, DCAT_FILE) or HISTORY_FILE in done or catalog_elsewhere(store):
        target = write_catalog(store, base_url=store.base_url)
        if target is not None:
            os.utime(target)  # written or already right: fresh from now on
            done.append(DCAT_FILE)
    return done
