"""The frictionless check of a written package refuses the run, with every published output as
it was, wherever it runs: in the run, before the release is moved (with or without second
processes for the rest), or by the command's standby, while the run builds its outputs, settled
before the commit. When the run fails after a check that found problems, the check is the cause
the run says."""

from __future__ import annotations

from pathlib import Path

import pytest

import publish.release.store
import website.build
from core import standby
from core.errors import PublishError, ValidationFailed
from core.problem import Problem
from publish import layout
from rdv_opendata import pipeline, settings
from tests.publish.release.test_crash import leftovers
from tests.publish.release.test_write_audit_publish import consistent, kept


def refusing_check(folder: Path) -> list[Problem]:
    """A check that finds the package it is given wrong (importable by a second process)."""
    assert (folder / layout.DESCRIPTOR_FILE).is_file()
    return [Problem(type="type-error", resource="channels", message="row 3: not an integer")]


@pytest.fixture()
def edited(tmp_path: Path, seed_text: str) -> Path:
    path = tmp_path / "edited.txt"
    path.write_text(seed_text.replace("Visibilité à 6", "Visibilité à 8"), encoding="utf-8")
    return path


PLACES = ["in the run", "in the run, with second processes", "by the standby"]


def run_where(place: str, monkeypatch, edited: Path, output: Path) -> None:
    if place == "in the run, with second processes":
        monkeypatch.setenv(settings.SECOND_PROCESS_ENV, "0")  # every table is large
    if place == "by the standby":
        with standby.standing_by(settings.STANDBY_MODULES):
            pipeline.run(str(edited), output)
    else:
        pipeline.run(str(edited), output)


@pytest.mark.parametrize("place", PLACES)
def test_a_written_package_that_fails_its_check_is_never_published(
    place, seed_release, edited, monkeypatch
):
    monkeypatch.setattr(publish.release.store, "verify_package", refusing_check)
    before = kept(seed_release)
    with pytest.raises(
        ValidationFailed, match=r"^the written package failed validation: row 3: not an integer$"
    ):
        run_where(place, monkeypatch, edited, seed_release)
    assert kept(seed_release) == before
    assert leftovers(seed_release) == []
    monkeypatch.undo()
    assert pipeline.run(str(edited), seed_release).version == "1.1.0"
    consistent(seed_release, ["1.0.0", "1.1.0"])


def test_a_failure_after_a_check_that_found_problems_says_the_check(
    seed_release, edited, monkeypatch
):
    """The site fails to build while the standby checks: the run says what the check found, the
    site's error as its cause."""
    monkeypatch.setattr(publish.release.store, "verify_package", refusing_check)

    def broken(*args: object) -> None:
        raise PublishError("cannot build the site: a wrong package")

    monkeypatch.setattr(website.build, "_build_languages", broken)
    before = kept(seed_release)
    with pytest.raises(ValidationFailed, match=r"^the written package failed") as refused:
        run_where("by the standby", monkeypatch, edited, seed_release)
    assert isinstance(refused.value.__cause__, PublishError)
    assert kept(seed_release) == before


@pytest.mark.parametrize("place", PLACES[1:])
def test_a_checked_release_is_published_whole_when_checked_elsewhere(
    place, seed_release, edited, monkeypatch
):
    run_where(place, monkeypatch, edited, seed_release)
    consistent(seed_release, ["1.0.0", "1.1.0"])
