"""The releases a site build shows, read once per build and shared by every language, page and
feed (issue 19, point 3): each release's catalog entry, package (``ReleaseStore.package``: read
once per store), ``changes.json``, the package it was compared with, its change lines (said once
per language, ``summary.ChangeLines``) and which of its row changes are about each appointment
type (``by_type``: language-free, split once)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.collector import collector_paused
from core.errors import PublishError
from publish import layout
from publish.changes.records import CatalogEntry, ChangeRecord
from publish.changes.summary import ChangeLines, Labels, Position
from publish.reading.load import PackageData
from publish.release.store import ReleaseStore
from website.by_type import TypeLinks, feed_types, type_positions


@dataclass(frozen=True)
class SiteRelease:
    entry: CatalogEntry
    package: PackageData
    changes: ChangeRecord
    #: the release it was compared with (None for a first publication, or one not in the catalog)
    old: PackageData | None
    #: its change lines, said once per language (``lines.labels``: the two packages' labels)
    lines: ChangeLines
    #: per appointment type, its row changes (``website.by_type.type_positions``)
    by_type: dict[Any, list[Position]]

    @property
    def version(self) -> str:
        return self.entry["version"]


@dataclass(frozen=True)
class SiteReleases:
    releases: list[SiteRelease]
    #: (type id, label) of every type that has a feed (``website.by_type.feed_types``)
    types: list[tuple[str, str]]

    @property
    def catalog(self) -> list[CatalogEntry]:
        return [r.entry for r in self.releases]


def release_changes(store: ReleaseStore, version: str, doing: str) -> ChangeRecord:
    """A release's ``changes.json`` (``store.changes``), required: what cannot be read stops
    ``doing`` (« cannot write the feeds ») with a one-line error naming the file."""
    try:
        changes = store.changes(version)
    except PublishError as exc:
        raise PublishError(f"{doing}: {exc}") from None
    if changes is None:
        where = f"{layout.release_dir(version)}/{layout.CHANGES_FILE}"
        raise PublishError(f"{doing}: {where} is missing")
    return changes


def read_releases(store: ReleaseStore, catalog: list[CatalogEntry], doing: str) -> SiteReleases:
    """Every release of ``catalog``: the packages first, then each ``changes.json`` (what
    cannot be read stops ``doing``). The collector is paused meanwhile (``core.collector``):
    the rows and change records read are objects kept, no garbage."""
    with collector_paused():
        return _read_releases(store, catalog, doing)


def _read_releases(store: ReleaseStore, catalog: list[CatalogEntry], doing: str) -> SiteReleases:
    packages = {e["version"]: store.package(e["version"]) for e in catalog}
    changes = [release_changes(store, e["version"], doing) for e in catalog]
    releases = []
    for entry, changed in zip(catalog, changes, strict=True):
        new = packages[entry["version"]]
        from_version = changed.get("from_version")
        old = packages.get(from_version) if isinstance(from_version, str) else None
        releases.append(
            SiteRelease(
                entry=entry,
                package=new,
                changes=changed,
                old=old,
                lines=ChangeLines(changed, Labels(old, new)),
                by_type=type_positions(changed, TypeLinks(old, new)),
            )
        )
    return SiteReleases(releases, feed_types(list(packages.values())))
