"""A hypothesis state machine over the release store: publishes of reverting sources, kills at
each crash point followed by any other source, state and catalog tampering. After every step:

- ``latest`` is the catalog's last release;
- the published data equals what the last accepted source gives;
- the site shows the catalog's last release;
- nothing outside the output folder changed.
"""

from __future__ import annotations

import json
import shutil
import signal
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from core.errors import PublishError
from rdv_opendata import pipeline
from rdv_opendata.settings import DEFAULT_SOURCE
from tests.helpers import publish_process, tree_hash
from tests.publish.release.test_crash import STEPS

pytestmark = pytest.mark.slow

SEED = DEFAULT_SOURCE.read_text(encoding="utf-8")
RENEWAL_RULE = "renouvellements-de-titre-de-sejour--online-booking--slot-release"
WEEKS = [4, 6, 8]  # the variants: the renewals' visibility, 6 being the snapshot's own
PUBLISHED_FROM = STEPS.index("catalog-written")  # a kill from here on has published


def variant(weeks: int) -> str:
    return SEED.replace("Visibilité à 6 semaines", f"Visibilité à {weeks} semaines")


class ReleaseStoreMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.home = Path(tempfile.mkdtemp(prefix="rdv-machine-"))
        self.output = self.home / "out"
        self.sources = self.home / "sources"
        self.sources.mkdir()
        for weeks in WEEKS:
            (self.sources / f"{weeks}.txt").write_text(variant(weeks), encoding="utf-8")
        self.outside = tree_hash(self.sources)
        self.accepted: int | None = None  # the weeks of the last accepted source

    def teardown(self) -> None:
        shutil.rmtree(self.home, ignore_errors=True)

    def source(self, weeks: int) -> Path:
        return self.sources / f"{weeks}.txt"

    # --- rules ---------------------------------------------------------------------------------

    @rule(weeks=st.sampled_from(WEEKS))
    def publish(self, weeks: int) -> None:
        result = pipeline.run(str(self.source(weeks)), self.output)
        assert result.status in ("published", "unchanged")
        self.accepted = weeks

    @rule(weeks=st.sampled_from(WEEKS), step=st.sampled_from(STEPS), then=st.sampled_from(WEEKS))
    def kill_then_publish(self, weeks: int, step: str, then: int) -> None:
        killed = publish_process(self.source(weeks), self.output, crash_at=step)
        # a crash point after the data is known unchanged is never reached: the run ends normally
        assert killed.returncode in (-signal.SIGKILL, 0), killed.stderr
        result = pipeline.run(str(self.source(then)), self.output)
        assert result.status in ("published", "unchanged")
        self.accepted = then

    @rule(content=st.sampled_from(["123", "[]", "{ broken", '{"source_sha256": "0"}', ""]))
    def tamper_state(self, content: str) -> None:
        state = self.output / "state.json"
        if state.exists():
            state.write_text(content, encoding="utf-8")

    @rule(
        content=st.sampled_from(
            ["[]", '{"releases": null}', '{"releases": [{"version": "../../sources"}]}', "{"]
        )
    )
    def tamper_catalog_then_restore(self, content: str) -> None:
        catalog = self.output / "releases.json"
        if not catalog.exists():
            return
        kept = catalog.read_bytes()
        releases = tree_hash(self.output / "releases")
        catalog.write_text(content, encoding="utf-8")
        with pytest.raises(PublishError):
            pipeline.run(str(self.source(WEEKS[0])), self.output)
        assert tree_hash(self.output / "releases") == releases  # nothing deleted
        catalog.write_bytes(kept)  # a person restores it from a backup

    # --- invariants ----------------------------------------------------------------------------

    def catalog_versions(self) -> list[str]:
        return [
            e["version"]
            for e in json.loads((self.output / "releases.json").read_text())["releases"]
        ]

    @invariant()
    def latest_is_the_catalogs_last_release(self) -> None:
        if self.accepted is None:
            return
        last = self.catalog_versions()[-1]
        assert (self.output / "latest").resolve() == (self.output / "releases" / last).resolve()

    @invariant()
    def published_data_is_what_the_last_accepted_source_gives(self) -> None:
        if self.accepted is None:
            return
        rules = json.loads((self.output / "latest" / "data" / "slot_rules.json").read_text())
        weeks = next(r["visibility_weeks"] for r in rules if r["rule_id"] == RENEWAL_RULE)
        assert weeks == self.accepted

    @invariant()
    def the_site_shows_the_catalogs_last_release(self) -> None:
        if self.accepted is None:
            return
        shown = (self.output / "site" / ".version").read_text(encoding="utf-8")
        assert shown == self.catalog_versions()[-1]

    @invariant()
    def nothing_outside_the_output_folder_changed(self) -> None:
        assert tree_hash(self.sources) == self.outside
        assert sorted(p.name for p in self.home.iterdir()) == (
            ["out", "sources"] if self.output.exists() else ["sources"]
        )


ReleaseStoreMachine.TestCase.settings = settings(
    max_examples=10,
    stateful_step_count=6,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_release_store_state_machine = ReleaseStoreMachine.TestCase
