"""Each release is read once per build (issue 19): the site, its feeds and calendars, the history
database and the DCAT catalogue share the store's reading of every release."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

from publish import layout
from publish.derived.refresh import refresh_derived
from publish.reading.load import load_package
from publish.release.store import ReleaseStore
from website.build import build_site


def test_a_whole_build_reads_each_release_once(two_releases: Path, tmp_path, monkeypatch):
    output = tmp_path / "out"
    shutil.copytree(two_releases, output, symlinks=True)
    for derived in (layout.HISTORY_FILE, layout.HISTORY_METADATA_FILE, layout.DCAT_FILE):
        (output / derived).unlink()
    reads: Counter[str] = Counter()

    def counted(path, **how):
        reads[Path(path).name] += 1
        assert how == {"intact": True}  # both intact: read from their JSON files
        return load_package(path, **how)

    monkeypatch.setattr("publish.release.store.load_package", counted)
    store = ReleaseStore(output)
    build_site(store)
    done = refresh_derived(store)
    assert sorted(done) == sorted([layout.HISTORY_FILE, layout.DCAT_FILE])
    assert reads == {"1.0.0": 1, "1.1.0": 1}
    assert (output / layout.SITE_HOME).is_file()


def test_a_run_in_one_process_reads_each_release_once(two_releases: Path, tmp_path, monkeypatch):
    """``refresh_outputs`` without a second process (a table under the threshold) builds the
    history and the catalogue from the store the site read, not from a copy that reads every
    release again."""
    from rdv_opendata import pipeline

    output = tmp_path / "out"
    shutil.copytree(two_releases, output, symlinks=True)
    for derived in (layout.HISTORY_FILE, layout.HISTORY_METADATA_FILE, layout.DCAT_FILE):
        (output / derived).unlink()
    shutil.rmtree(output / layout.SITE_DIR)
    reads: Counter[str] = Counter()

    def counted(path, **how):
        reads[Path(path).name] += 1
        return load_package(path, **how)

    monkeypatch.setattr("publish.release.store.load_package", counted)
    pipeline.refresh_outputs(ReleaseStore(output))  # a small table: no second process
    assert reads == {"1.0.0": 1, "1.1.0": 1}
    assert (output / layout.HISTORY_FILE).is_file() and (output / layout.DCAT_FILE).is_file()
