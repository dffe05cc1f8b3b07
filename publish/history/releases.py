"""The releases the history is built from: each catalog entry with its data and its changes, read
from its release folder after its ``SHA256SUMS`` is checked (see ``publish.history.build``)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from core.errors import PublishError
from publish.layout import SUMS_FILE
from publish.reading.integrity import check_sums
from publish.reading.load import PackageData
from publish.release.store import ReleaseStore


@dataclass(frozen=True)
class Release:
    """One published release: its catalog entry, its data and its changes (None: recompute)."""

    entry: Mapping[str, Any]  # the catalog entry
    package: PackageData
    changes: Mapping[str, Any] | None = None

    @property
    def version(self) -> str:
        return str(self.entry["version"])

    @property
    def observed(self) -> str | None:
        """When the facts were seen: the source's observed date, else the day of publication."""
        published = self.entry.get("published")
        fallback = published[:10] if isinstance(published, str) else None
        return self.entry.get("source_observed") or fallback


def read_release(store: ReleaseStore, entry: Mapping[str, Any]) -> Release:
    """A catalog entry's release, refused when its SHA256SUMS says it was altered."""
    folder = store.release_path(entry["version"])
    summed = (folder / SUMS_FILE).is_file()  # a release of an older layout may have none
    if summed and (problems := check_sums(folder)):
        raise PublishError(
            f"cannot build the history: release {entry['version']} is corrupt ({problems[0]}); "
            f"restore {folder} from a backup"
        )
    version = entry["version"]
    return Release(entry, store.package(version, intact=summed), store.changes(version))


def read_releases(store: ReleaseStore) -> Iterator[Release]:
    """Every release the catalog lists, oldest first (each read once per store)."""
    if not store.root.is_dir():
        raise PublishError(f"cannot build the history: {store.root} is not an output folder")
    entries = store.catalog()
    return (read_release(store, entry) for entry in entries)
