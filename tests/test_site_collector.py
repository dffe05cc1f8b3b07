"""A language of the site is built with the cyclic garbage collector paused (``core.collector``),
and the collector is left as it was, whether the build succeeds or fails."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path
from typing import Any

import pytest

from publish.release.store import ReleaseStore
from website import build, releases


@pytest.mark.parametrize("enabled", [True, False])
@pytest.mark.parametrize("fails", [False, True])
def test_a_language_is_built_with_the_collector_paused_then_as_it_was(
    two_releases: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, enabled: bool, fails: bool
) -> None:
    copy = tmp_path / "out"
    shutil.copytree(two_releases, copy, symlinks=True)
    seen: list[bool] = []
    write_calendars = build.write_calendars

    def calendars(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        if fails:
            raise OSError(28, "No space left on device")
        return write_calendars(*args, **kwargs)

    monkeypatch.setattr(build, "write_calendars", calendars)
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        if fails:
            with pytest.raises(Exception, match="No space left"):
                build.build_site(ReleaseStore(copy))
        else:
            build.build_site(ReleaseStore(copy))
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
    assert seen and not any(seen)
    assert len(seen) == (1 if fails else 2)  # French, then English


def test_the_releases_are_read_with_the_collector_paused_then_as_it_was(
    two_releases: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    release_changes = releases.release_changes

    def changes(*args: Any) -> Any:
        seen.append(gc.isenabled())
        return release_changes(*args)

    monkeypatch.setattr(releases, "release_changes", changes)
    store = ReleaseStore(two_releases)
    assert gc.isenabled()
    site = releases.read_releases(store, store.catalog(), "cannot build the site")
    assert gc.isenabled()
    assert len(site.releases) == 2 and seen == [False, False]
