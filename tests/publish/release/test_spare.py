"""The site a run replaced is kept as the spare of the next build when it is large: that build
rewrites the spare's files in place of creating new ones (``publish/release/spare.py``). Every
published byte is the same as without a spare; a small site is deleted as before; a killed build
leaves nothing the next run does not remove; a spare that is a link is never followed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest

from publish import layout
from publish.release import spare
from publish.release.atomic import CRASH_ENV
from rdv_opendata import pipeline, settings
from rdv_opendata.settings import DEFAULT_SOURCE
from tests.golden.series import build_series, digests, read_digests
from tests.publish.release.test_crash import leftovers, published

ROOT = Path(__file__).resolve().parents[3]


def inodes(site: Path) -> dict[str, int]:
    return {str(p.relative_to(site)): os.lstat(p).st_ino for p in site.rglob("*") if p.is_file()}


@pytest.mark.slow
def test_a_series_built_through_spares_is_byte_identical(tmp_path, monkeypatch):
    """Every site kept as a spare (``KEEP_ABOVE`` 0), the English site in a second process
    (threshold 0): every file of the golden series is the reviewed one, the spare is the only
    other thing in the output folder, and the third site, French and English, is written in the
    first one's files."""
    monkeypatch.setattr(spare, "KEEP_ABOVE", 0)
    monkeypatch.setenv(settings.SECOND_PROCESS_ENV, "0")
    sites: list[dict[str, int]] = []
    run = pipeline.run

    def recorded(*args, **kwargs):
        result = run(*args, **kwargs)
        sites.append(inodes(Path(args[1]) / layout.SITE_DIR))
        return result

    with mock.patch.object(pipeline, "run", recorded):
        output = build_series(tmp_path)
    found, expected = digests(output), read_digests()
    assert {n for n in found if not n.startswith(layout.SITE_SPARE + "/")} == set(expected)
    assert [name for name in expected if found[name] != expected[name]] == []
    first, third = sites[0], sites[2]
    reused = {name for name in third if first.get(name) == third[name]}
    assert set(third) - reused == set(third) - set(first)  # all but the new releases' pages
    assert any(name.startswith("en/") for name in reused)  # the second process's part too
    assert leftovers(output) == []


def test_a_small_site_is_deleted_as_before(tmp_path):
    source = tmp_path / "source.txt"
    source.write_bytes(DEFAULT_SOURCE.read_bytes())
    output = tmp_path / "out"
    assert pipeline.run(str(source), output).status == "published"
    source.write_text(source.read_text("utf-8").replace("18/12/2020", "19/12/2020"), "utf-8")
    assert pipeline.run(str(source), output).status == "published"
    assert not os.path.lexists(output / layout.SITE_SPARE)


def two_releases(tmp_path: Path) -> tuple[Path, Path]:
    """An output folder of two releases whose first site is the spare (``KEEP_ABOVE`` 0), and
    the source of a third."""
    source = tmp_path / "source.txt"
    source.write_bytes(DEFAULT_SOURCE.read_bytes())
    output = tmp_path / "out"
    with mock.patch.object(spare, "KEEP_ABOVE", 0):
        for day in ("19", "20"):
            text = DEFAULT_SOURCE.read_text("utf-8").replace("18/12/2020", f"{day}/12/2020")
            source.write_text(text, "utf-8")
            assert pipeline.run(str(source), output).status == "published"
    assert (output / layout.SITE_SPARE / layout.SITE_INDEX).is_file()
    source.write_text(DEFAULT_SOURCE.read_text("utf-8"), "utf-8")
    return output, source


def test_what_the_spare_held_and_no_build_wrote_is_gone(tmp_path):
    """A file of the spare that the new site does not have (a type gone) is not in the new site,
    and the spare's rest is deleted with it; the replaced site is the new spare."""
    output, source = two_releases(tmp_path)
    stale = output / layout.SITE_SPARE / layout.TYPE_FEEDS_DIR / "type-gone.xml"
    stale.write_bytes(b"<feed>a type no release has</feed>")
    served = inodes(output / layout.SITE_DIR)
    with mock.patch.object(spare, "KEEP_ABOVE", 0):
        assert pipeline.run(str(source), output).status == "published"
    site = output / layout.SITE_DIR
    assert not (site / layout.TYPE_FEEDS_DIR / "type-gone.xml").exists()
    assert inodes(output / layout.SITE_SPARE) == served  # the site replaced, whole
    assert leftovers(output) == []


def test_a_spare_that_is_a_link_is_never_followed(tmp_path):
    output, source = two_releases(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    os.rename(output / layout.SITE_SPARE, elsewhere)
    (output / layout.SITE_SPARE).symlink_to(elsewhere)
    before = inodes(elsewhere)
    with mock.patch.object(spare, "KEEP_ABOVE", 0):
        assert pipeline.run(str(source), output).status == "published"
    assert inodes(elsewhere) == before
    assert (output / layout.SITE_SPARE).is_symlink()  # left to whoever made it


KILLED_BUILD = """
import sys
from publish.release import spare
from rdv_opendata import pipeline
spare.KEEP_ABOVE = 0
pipeline.run(sys.argv[1], sys.argv[2])
"""


@pytest.mark.parametrize("step", ["site-built", "switch-journal-written"])
def test_a_build_killed_with_a_claimed_spare_leaves_nothing_behind(tmp_path, step):
    """Killed while its spare is claimed, or after its commit: the next run removes the claimed
    spare as a leftover of the build (or finishes the switch), and publishes whole."""
    output, source = two_releases(tmp_path)
    env = {**os.environ, CRASH_ENV: step}
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_BUILD, str(source), str(output)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert killed.returncode == -9, killed.stderr
    assert leftovers(output) != []
    with mock.patch.object(spare, "KEEP_ABOVE", 0):
        pipeline.run(str(source), output)
    assert leftovers(output) == []
    assert published(output)[f"{layout.SITE_DIR}/{layout.SITE_INDEX}"]
    assert (output / layout.SITE_DIR / layout.SITE_VERSION_FILE).read_text("utf-8") == "1.2.0"
