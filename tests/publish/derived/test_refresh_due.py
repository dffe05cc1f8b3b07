"""``due`` says whether ``refresh_derived`` has anything to rebuild (a run gives that work to a
second process only then): the two always agree."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from publish import layout
from publish.derived.refresh import due, refresh_derived
from publish.release.store import ReleaseStore


def _older_than_the_catalog(store: ReleaseStore, name: str) -> None:
    before = store.catalog_path.stat().st_mtime_ns - 10**9
    os.utime(store.path(name), ns=(before, before))


@pytest.mark.parametrize(
    "spoil",
    [
        lambda store: store.path(layout.HISTORY_FILE).unlink(),
        lambda store: store.path(layout.HISTORY_METADATA_FILE).unlink(),
        lambda store: store.path(layout.DCAT_FILE).unlink(),
        lambda store: _older_than_the_catalog(store, layout.HISTORY_FILE),
        lambda store: _older_than_the_catalog(store, layout.DCAT_FILE),
        lambda store: None,  # nothing spoilt: nothing due
    ],
    ids=["no history", "no metadata", "no catalogue", "old history", "old catalogue", "fresh"],
)
def test_due_says_what_refresh_derived_does(two_releases: Path, tmp_path, spoil):
    folder = tmp_path / "out"
    shutil.copytree(two_releases, folder, symlinks=True)
    store = ReleaseStore(folder)
    refresh_derived(store)
    spoil(store)
    expected = due(store)
    assert bool(refresh_derived(store)) is expected
    assert not due(store)  # and once refreshed, nothing is due


def test_nothing_is_due_before_the_first_release(tmp_path):
    assert not due(ReleaseStore(tmp_path))


def test_a_catalogue_served_elsewhere_is_due(two_releases: Path, tmp_path):
    folder = tmp_path / "out"
    shutil.copytree(two_releases, folder, symlinks=True)
    refresh_derived(ReleaseStore(folder))
    moved = ReleaseStore(folder, base_url="https://autre.example.org/rdv")
    assert due(moved)
    assert refresh_derived(moved) == [layout.DCAT_FILE]
    assert not due(moved)
