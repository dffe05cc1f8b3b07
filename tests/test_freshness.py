"""How old the facts are, on every page, feed and calendar (issue 20, point 3): the last
successful check (an unchanged run and a 304 count, a failed or refused run does not), the last
change, the warning past the threshold, and the bundled snapshot's demonstration notice.

Real publishes, the run's clock set with ``SOURCE_DATE_EPOCH``."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import icalendar
import pytest

from core.errors import PublishError, SourceError
from publish import layout
from publish.release.store import ReleaseStore
from rdv_opendata import pipeline, settings
from tests.helpers import french_pages
from tests.http_server import send, serve
from website.build import ensure_site
from website.freshness import check_day, is_stale, last_checked

ATOM = "{http://www.w3.org/2005/Atom}"
DEMO = "Démonstration avec les données de 2020"


def at(monkeypatch: pytest.MonkeyPatch, day: str) -> None:
    """The run's clock at noon UTC of ``day``."""
    moment = dt.datetime.fromisoformat(f"{day}T12:00:00+00:00")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(moment.timestamp())))


def fr(day: str) -> str:
    return dt.date.fromisoformat(day).strftime("%d/%m/%Y")


def checked_line(day: str) -> str:
    return f"vérifiée pour la dernière fois le {fr(day)}"


def changed_line(day: str) -> str:
    return f"modifiées pour la dernière fois le {fr(day)}"


def stale_line(day: str) -> str:
    return f"vérifiées depuis le {fr(day)}"


def texts(output: Path) -> dict[str, str]:
    """What every page, feed and calendar of the site says of itself: a page's text, a feed's
    subtitle, a calendar's description."""
    site = output / layout.SITE_DIR
    said = {str(p.relative_to(site)): p.read_text(encoding="utf-8") for p in french_pages(site)}
    for feed in [site / layout.MAIN_FEED, *(site / layout.TYPE_FEEDS_DIR).glob("*.xml")]:
        subtitle = ET.parse(feed).getroot().find(f"{ATOM}subtitle")
        assert subtitle is not None
        said[str(feed.relative_to(site))] = subtitle.text or ""
    for ics in [site / layout.MAIN_CALENDAR, *(site / layout.TYPE_CALENDARS_DIR).glob("*.ics")]:
        calendar = icalendar.Calendar.from_ical(ics.read_bytes())
        said[str(ics.relative_to(site))] = str(calendar.get("description"))
    assert len(said) > 10  # pages, feeds and calendars
    return said


def everywhere(output: Path, *wanted: str) -> None:
    for name, text in texts(output).items():
        for words in wanted:
            assert words in text, f"{name} does not say {words!r}"


def nowhere(output: Path, *unwanted: str) -> None:
    for name, text in texts(output).items():
        for words in unwanted:
            assert words not in text, f"{name} says {words!r}"


@pytest.fixture()
def page(tmp_path: Path, seed_text: str) -> Path:
    """The seed table in a file that is not the bundled snapshot."""
    path = tmp_path / "page.txt"
    path.write_text(seed_text, encoding="utf-8")
    return path


# --- plain data ----------------------------------------------------------------------------------


def test_only_a_successful_run_is_a_check() -> None:
    latest = {"version": "1.0.0", "published": "2026-11-01T10:00:00Z"}
    attempts: list[dict[str, Any]] = [
        {"outcome": "published", "time": "2026-11-01T10:00:00Z", "checked": "2026-11-01"},
        {"outcome": "unchanged", "time": "2026-11-05T10:00:00Z", "checked": "2026-11-05T10:00Z"},
        {"outcome": "failed", "time": "2026-11-09T10:00:00Z", "checked": None},
        {"outcome": "refused", "time": "2026-11-10T10:00:00Z", "checked": None},
    ]
    assert [check_day(a) for a in attempts] == ["2026-11-01", "2026-11-05", None, None]
    assert last_checked(attempts, latest) == "2026-11-05"  # type: ignore[arg-type]
    # no attempt (a backfill, an older folder): the latest release is the last check
    assert last_checked([], latest) == "2026-11-01"  # type: ignore[arg-type]
    # an attempt recorded before ``checked`` existed was checked at its time
    assert check_day({"outcome": "unchanged", "time": "2026-11-07T10:00:00Z"}) == "2026-11-07"


def test_stale_past_the_threshold_and_not_before() -> None:
    assert not is_stale("2026-11-01", "2026-11-09T23:59:59Z")  # 8 days
    assert is_stale("2026-11-01", "2026-11-10T00:00:00Z")  # 9 days
    assert not is_stale("2026-11-01", "2026-11-10T00:00:00Z", days=9)


def test_the_threshold_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(settings.STALE_AFTER_ENV, raising=False)
    assert settings.stale_after_days() == 8
    monkeypatch.setenv(settings.STALE_AFTER_ENV, "15")
    assert settings.stale_after_days() == 15
    assert settings.stale_after_days(3) == 3  # the option wins
    for wrong in ("0", "-2", "huit", "1.5"):
        monkeypatch.setenv(settings.STALE_AFTER_ENV, wrong)
        with pytest.raises(PublishError, match=settings.STALE_AFTER_ENV):
            settings.stale_after_days()


# --- real publishes ------------------------------------------------------------------------------


def test_the_bundled_snapshot_says_it_is_a_demonstration(seed_release: Path) -> None:
    everywhere(seed_release, DEMO, checked_line("2020-12-17"), changed_line("2020-12-17"))
    everywhere(seed_release, stale_line("2020-12-17"))  # and never looks fresh


def test_another_source_is_no_demonstration(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, page: Path
) -> None:
    at(monkeypatch, "2026-11-01")
    output = tmp_path / "out"
    pipeline.run(str(page), output, observed="2026-11-01")
    everywhere(output, checked_line("2026-11-01"), changed_line("2026-11-01"))
    nowhere(output, "Démonstration", "vérifiées depuis")


def test_an_unchanged_run_moves_the_check_not_the_change(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, page: Path
) -> None:
    output = tmp_path / "out"
    at(monkeypatch, "2026-11-01")
    pipeline.run(str(page), output, observed="2026-11-01")
    at(monkeypatch, "2026-11-20")
    again = pipeline.run(str(page), output, observed="2026-11-20")
    assert again.status == "unchanged"
    everywhere(output, checked_line("2026-11-20"), changed_line("2026-11-01"))
    nowhere(output, checked_line("2026-11-01"), "vérifiées depuis")
    attempts = json.loads((output / layout.ATTEMPTS_FILE).read_text())["attempts"]
    assert [a["checked"] for a in attempts] == ["2026-11-01", "2026-11-20"]


def test_a_304_is_a_check(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, seed_bytes) -> None:
    def cached(request, hit):
        if request.headers.get("If-None-Match") == '"v1"':
            send(request, 304)
        else:
            send(request, 200, seed_bytes, {"ETag": '"v1"', "Content-Type": "text/plain"})

    output = tmp_path / "out"
    with serve({"/modalites": cached}) as server:
        at(monkeypatch, "2026-11-01")
        pipeline.run(server.url("/modalites"), output)
        at(monkeypatch, "2026-11-20")  # 19 days later: stale, were the 304 not a check
        again = pipeline.run(server.url("/modalites"), output)
    assert again.reason == "not modified since the last run (HTTP 304)"
    everywhere(output, checked_line("2026-11-20"), changed_line("2026-11-01"))
    nowhere(output, "vérifiées depuis", "Démonstration")


def test_a_failed_or_refused_run_is_no_check(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, page: Path, seed_text: str
) -> None:
    output = tmp_path / "out"
    at(monkeypatch, "2026-11-01")
    pipeline.run(str(page), output, observed="2026-11-01")
    at(monkeypatch, "2026-11-12")
    with pytest.raises(SourceError):
        pipeline.run(str(tmp_path / "missing.txt"), output)
    # the warning is due and shown by the failed run itself
    everywhere(output, stale_line("2026-11-01"), checked_line("2026-11-01"))
    older = tmp_path / "older.txt"
    older.write_text(seed_text.replace("Visibilité à 6 semaines", "Visibilité à 9 semaines"))
    at(monkeypatch, "2026-11-13")
    with pytest.raises(PublishError, match="rollback"):
        pipeline.run(str(older), output, observed="2026-10-01")
    everywhere(output, stale_line("2026-11-01"), checked_line("2026-11-01"))
    attempts = json.loads((output / layout.ATTEMPTS_FILE).read_text())["attempts"]
    assert [(a["outcome"], a["checked"]) for a in attempts[1:]] == [
        ("failed", None),
        ("refused", None),
    ]


def test_the_warning_comes_past_the_threshold_and_it_is_configurable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, page: Path
) -> None:
    output = tmp_path / "out"
    at(monkeypatch, "2026-11-09")  # a page seen 8 days ago: not yet
    pipeline.run(str(page), output, observed="2026-11-01")
    nowhere(output, "vérifiées depuis")
    store = ReleaseStore(output)
    assert ensure_site(store) is None  # nothing new to show: the site is left as it is
    at(monkeypatch, "2026-11-10")  # 9 days: every page, feed and calendar warns
    assert ensure_site(store) is not None
    everywhere(output, stale_line("2026-11-01"))
    patient = ReleaseStore(output, stale_after_days=9)
    assert ensure_site(patient) is not None  # no longer due: the warning goes
    nowhere(output, "vérifiées depuis")
    monkeypatch.setenv(settings.STALE_AFTER_ENV, "30")
    at(monkeypatch, "2026-11-25")
    with pytest.raises(SourceError):
        pipeline.run(str(tmp_path / "missing.txt"), output)
    nowhere(output, "vérifiées depuis")  # 24 days, under the 30 of the environment
    with pytest.raises(SourceError):
        pipeline.run(str(tmp_path / "missing.txt"), output, stale_after_days=20)
    everywhere(output, stale_line("2026-11-01"))  # the option wins over the environment


def test_the_cli_option(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, page: Path, capsys: pytest.CaptureFixture
) -> None:
    from rdv_opendata.cli import main

    output = tmp_path / "out"
    publish = ["publish", "--no-orchestrator", "--source", str(page), "--output", str(output)]
    at(monkeypatch, "2026-11-12")  # a page seen 11 days ago
    assert main([*publish, "--observed", "2026-11-01", "--stale-after", "12"]) == 0
    nowhere(output, "vérifiées depuis")
    assert main([*publish, "--observed", "2026-11-01", "--stale-after", "10"]) == 0
    everywhere(output, stale_line("2026-11-01"))  # an unchanged run, its warning now due
    assert main([*publish, "--stale-after", "0"]) == 1
    assert "--stale-after must be a whole number of days" in capsys.readouterr().err
