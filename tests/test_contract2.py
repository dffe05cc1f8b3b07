"""Contract 2 on top of a real Contract 1 release: the project's own bump rule makes it MAJOR.

``tests/fixtures/releases/contract-1/`` is the output folder the previous version of this project
wrote for the bundled snapshot (release 1.0.0, ``weekday`` as one string, no ``closures``).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from publish.reading.verify import verify_package
from rdv_opendata import pipeline
from rdv_opendata.settings import DEFAULT_SOURCE

CONTRACT_1 = Path(__file__).parent / "fixtures" / "releases" / "contract-1"


@pytest.fixture()
def upgraded(tmp_path) -> tuple[Path, pipeline.RunResult]:
    output = tmp_path / "out"
    shutil.copytree(CONTRACT_1, output, symlinks=True)
    return output, pipeline.run(None, output)


def test_the_first_contract_2_release_is_major(upgraded):
    output, result = upgraded
    # the same source bytes as release 1.0.0: only the reader changed, and that is not "unchanged"
    assert (result.status, result.version, result.bump) == ("published", "2.0.0", "major")
    changes = json.loads((output / "releases" / "2.0.0" / "changes.json").read_text("utf-8"))
    schema = {(c["kind"], c["resource"], c["field"]): c["breaking"] for c in changes["schema"]}
    assert schema[("field-removed", "slot_rules", "weekday")] is True
    assert schema[("field-added", "slot_rules", "weekdays")] is False
    assert schema[("field-added", "slot_rules", "start_time")] is False
    assert schema[("field-added", "channels", "phone")] is False
    assert schema[("resource-added", "closures", None)] is False
    assert schema[("constraint-loosened", "slot_rules", "rule_type")] is False
    # the facts themselves did not change: no row of any resource is added, removed or changed
    assert all(not any(entry.values()) for entry in changes["resources"].values())
    verify_package(output / "latest")
    assert (output / "releases" / "1.0.0" / "datapackage.json").is_file()  # history intact


def test_the_major_release_says_in_french_what_changed_in_the_schema(upgraded):
    output, _ = upgraded
    summary = (output / "releases" / "2.0.0" / "CHANGES.md").read_text("utf-8")
    assert "# Version 2.0.0 (majeure) — depuis la version 1.0.0" in summary
    assert (
        "- Schéma (changement incompatible) : champ « jour » (weekday) retiré de "
        "« Règles d'ouverture des créneaux »"
    ) in summary
    assert (
        "- Schéma : nouveau champ « jours » (weekdays) dans « Règles d'ouverture des créneaux »"
        in (summary)
    )
    assert "- Schéma : nouvelle table « Fermetures des lieux »" in summary


def test_a_second_run_after_the_upgrade_is_unchanged(upgraded):
    output, _ = upgraded
    again = pipeline.run(None, output)
    assert again.status == "unchanged"
    assert json.loads((output / "releases.json").read_text())["releases"][-1]["version"] == "2.0.0"


def test_the_fixture_is_a_contract_1_release():
    package = json.loads((CONTRACT_1 / "latest" / "datapackage.json").read_text("utf-8"))
    rules = next(r for r in package["resources"] if r["name"] == "slot_rules")
    assert "weekday" in [f["name"] for f in rules["schema"]["fields"]]
    assert package["version"] == "1.0.0"
    source = json.loads((CONTRACT_1 / "state.json").read_text("utf-8"))
    assert source["source_sha256"] == pipeline.sha256(DEFAULT_SOURCE.read_bytes())
