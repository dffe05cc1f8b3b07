"""How old the facts are: when the prefecture's page was last checked, when its facts last
changed, whether that check is too old, and whether the facts are the bundled demonstration.

Nothing is recorded twice: the check comes from ``attempts.json`` (every run, with its outcome
and, for a successful one, when the page was seen: ``checked``), the change from the catalog's
latest release (the day its source was observed). A failed or refused run is no check. A
release is a check too, so an output folder without attempts (a backfill, an older layout)
still has one. "Now" is the run's clock (``extract.read.now_utc``, which honours
``SOURCE_DATE_EPOCH``): the site is static, so a warning is computed when it is built.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from core.settings import STALE_AFTER_DAYS
from extract.read import BUNDLED_PREFIX
from publish.changes.records import CatalogEntry
from website import freshness_words as words
from website.observed import day, observed_day

#: the outcomes of a run that checked the page (an unchanged run and a 304 included)
CHECKED_OUTCOMES = ("published", "unchanged")


@dataclass(frozen=True)
class Freshness:
    """The two dates every page, feed and calendar shows, as ISO days, and what they warn."""

    checked: str  # the last successful check of the prefecture's page
    changed: str  # the day the facts shown were observed (the latest release's source)
    stale: bool  # no successful check for more than the threshold
    demo: bool  # the facts are the bundled 2020 snapshot

    @property
    def key(self) -> str:
        """What the site shows of it (its ``.freshness`` marker): a site showing another key is
        rebuilt. The demonstration goes with the release, already in ``.version``."""
        return f"{self.checked} {self.changed} {'stale' if self.stale else 'fresh'}"

    def lines(self) -> list[str]:
        """Its sentences, most urgent first: the demonstration, the warning, the two dates."""
        said = [words.demo(self.changed)] if self.demo else []
        said += [words.stale(self.checked)] if self.stale else []
        return [*said, words.dates(self.checked, self.changed)]


def check_day(attempt: dict[str, Any]) -> str | None:
    """The day a successful attempt saw the page; None for a failed or refused one. An attempt
    recorded before ``checked`` existed was checked at its time."""
    if attempt.get("outcome") not in CHECKED_OUTCOMES:
        return None
    return day(attempt["checked"] if "checked" in attempt else attempt.get("time"))


def last_checked(attempts: Iterable[dict[str, Any]], latest: CatalogEntry) -> str:
    """The day of the last successful check: of the attempts, or of the latest release."""
    days = [found for attempt in attempts if (found := check_day(attempt))]
    return max([observed_day(latest), *days])


def is_stale(checked: str, now: str, days: int = STALE_AFTER_DAYS) -> bool:
    """Whether ``now`` (a time or a day) is more than ``days`` days after ``checked``."""
    today = dt.date.fromisoformat(day(now) or checked)
    return (today - dt.date.fromisoformat(checked)).days > days


def is_demo(descriptor: dict[str, Any]) -> bool:
    """Whether the release (its ``datapackage.json``) was read from the bundled snapshot (its
    source's path says so)."""
    sources = descriptor.get("sources") or [{}]
    source = sources[0] if isinstance(sources[0], dict) else {}
    return str(source.get("path") or "").startswith(BUNDLED_PREFIX)


def freshness(
    attempts: Iterable[dict[str, Any]],
    latest: CatalogEntry,
    descriptor: dict[str, Any],
    now: str,
    days: int = STALE_AFTER_DAYS,
) -> Freshness:
    """The freshness of the latest release ``latest`` (its ``datapackage.json``) at ``now``."""
    checked = last_checked(attempts, latest)
    return Freshness(
        checked=checked,
        changed=observed_day(latest),
        stale=is_stale(checked, now, days),
        demo=is_demo(descriptor),
    )
