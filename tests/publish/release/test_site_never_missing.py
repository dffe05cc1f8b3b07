"""The site is served while it is rebuilt: a reader in another process, polling ``site/`` and
``site/index.html`` without pause while the real ``build_site`` replaces the folder 50 times, never
finds the folder or the page missing, nor reads a page half written.

The reader opens the page by its path, as a web server does. What it lists is only checked to be
there: a listing that began in the old folder a moment before the exchange goes on in that
folder while its files are removed, and may come out short (seen about once in three runs of 50
builds); the name ``site`` itself never goes missing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from publish import layout
from publish.release import spare
from publish.release.atomic import TMP_PREFIX
from publish.release.store import BUILDING_PREFIX, ReleaseStore
from website.build import build_site

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[3]
BUILDS = 50
#: far fewer reads than a reader makes in 50 builds (about 150,000 here): enough to show it
#: was reading all along, so that a gap had every chance to be seen
MIN_READS = 5_000
#: at most this many misses are kept, with what the reader saw
KEPT = 20
#: the names of folders being built or removed beside ``site/``
SCRATCH = (BUILDING_PREFIX, TMP_PREFIX)


def read_until_stopped(site: Path, expected: Path, stop: Path) -> dict[str, object]:
    """Poll ``site`` as a web server would until ``stop`` exists: list the folder, then read its
    home page whole. Says how many rounds it made and what went wrong in them."""
    whole = expected.read_bytes()
    reads = 0
    misses: list[str] = []
    ready = False
    while not os.path.exists(stop):
        reads += 1
        problem = _one_read(site, whole)
        if problem is not None:
            misses.append(problem)
        elif not ready:  # the test starts rebuilding once the reader has seen the site
            print("ready", flush=True)
            ready = True
    return {"reads": reads, "misses": len(misses), "seen": misses[:KEPT]}


def _one_read(site: Path, whole: bytes) -> str | None:
    try:
        os.listdir(site)
    except FileNotFoundError:
        return "site/ missing"
    try:
        data = (site / "index.html").read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return "site/index.html missing"
    if data != whole:
        return f"site/index.html read with {len(data)} of {len(whole)} bytes, or other bytes"
    return None


def main() -> None:
    site, expected, stop = (Path(arg) for arg in sys.argv[1:4])
    print(json.dumps(read_until_stopped(site, expected, stop)), flush=True)


READER = "from tests.publish.release.test_site_never_missing import main; main()"


@pytest.mark.parametrize("kept", [False, True], ids=["deleted", "spare"])
def test_a_reader_never_finds_the_site_missing_while_it_is_rebuilt(
    seed_release, tmp_path, monkeypatch, kept
):
    """Each replaced site deleted (a small one), or kept as the next build's spare, whose files
    that build rewrites (a large one: ``publish/release/spare.py``)."""
    if kept:
        monkeypatch.setattr(spare, "KEEP_ABOVE", 0)
    store = ReleaseStore(seed_release)
    build_site(store)
    site = seed_release / "site"
    expected = tmp_path / "index.html"
    expected.write_bytes((site / "index.html").read_bytes())
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(site), str(expected), str(stop)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout is not None
        assert reader.stdout.readline().strip() == "ready"
        started = time.monotonic()
        for _ in range(BUILDS):
            build_site(store)
        took = time.monotonic() - started
    finally:
        stop.touch()
        out, _ = reader.communicate(timeout=60)
    seen = json.loads(out)
    assert seen["misses"] == 0, seen["seen"]
    assert seen["reads"] >= MIN_READS, f"{seen['reads']} reads in {took:.1f} s: too few to tell"
    assert (site / "index.html").read_bytes() == expected.read_bytes()
    leftovers = [p.name for p in seed_release.iterdir() if p.name.startswith(SCRATCH)]
    assert leftovers == []
    assert (seed_release / layout.SITE_SPARE).is_dir() == kept
