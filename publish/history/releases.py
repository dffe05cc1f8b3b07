"""The releases the history is built from: each catalog entry with its data and its changes, read
from its release folder after its ``SHA256SUMS`` is checked (see ``publish.history.build``)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import PublishError
from publish.reading.integrity import SUMS_FILE, check_sums
from publish.reading.load import PackageData, load_package
from publish.release.store import ReleaseStore

CHANGES_FILE = "changes.json"


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
    if (folder / SUMS_FILE).is_file() and (problems := check_sums(folder)):
        raise PublishError(
            f"cannot build the history: release {entry['version']} is corrupt ({problems[0]}); "
            f"restore {folder} from a backup"
        )
    package = load_package(folder)
    changes = None
    if (folder / CHANGES_FILE).is_file():
        try:
            changes = json.loads((folder / CHANGES_FILE).read_text(encoding="utf-8"))
        except ValueError as exc:
            raise PublishError(f"{folder / CHANGES_FILE} is not valid JSON ({exc})") from None
    return Release(entry, package, changes)


def read_releases(output: Path) -> Iterator[Release]:
    """Every release the catalog lists, oldest first, read one at a time."""
    store = ReleaseStore(Path(output))
    if not store.root.is_dir():
        raise PublishError(f"cannot build the history: {output} is not an output folder")
    entries = store.catalog()
    return (read_release(store, entry) for entry in entries)
