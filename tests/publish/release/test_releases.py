"""Releases without the orchestrator (the same steps the flow runs as tasks): a series of
edited sources with their exact changes, bumps and catalog; unchanged runs; the guard; the lock."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from core.errors import NormaliseError, PublishError
from publish.reading.integrity import check_sums
from publish.reading.verify import verify_package
from publish.release.store import ReleaseStore
from rdv_opendata import pipeline

RENEWAL_RULE = "renouvellements-de-titre-de-sejour--online-booking--slot-release"


def publish(text: str, folder: Path, output: Path, name: str, **kwargs) -> pipeline.RunResult:
    source = folder / name
    source.write_text(text, encoding="utf-8")
    return pipeline.run(str(source), output, **kwargs)


def changes_of(output: Path, version: str) -> dict:
    return json.loads((output / "releases" / version / "changes.json").read_text("utf-8"))


def non_empty(changes: dict) -> dict:
    """Only the resources and kinds that hold something."""
    return {
        name: {kind: rows for kind, rows in entries.items() if rows}
        for name, entries in changes["resources"].items()
        if any(entries.values())
    }


def catalog(output: Path) -> list[tuple[str, str]]:
    entries = json.loads((output / "releases.json").read_text("utf-8"))["releases"]
    return [(e["version"], e["bump"]) for e in entries]


def latest_version(output: Path) -> str:
    return json.loads((output / "latest" / "datapackage.json").read_text("utf-8"))["version"]


@pytest.mark.slow
def test_series_of_edited_sources(seed_text, tmp_path):
    out, src = tmp_path / "out", tmp_path

    first = publish(seed_text, src, out, "0.txt")
    assert (first.status, first.version, first.bump) == ("published", "1.0.0", "initial")
    initial = changes_of(out, "1.0.0")
    assert (initial["from_version"], initial["bump"]) == (None, "initial")
    assert len(initial["resources"]["channels"]["added"]) == 9
    assert catalog(out) == [("1.0.0", "initial")]

    # 1. a changed visibility
    text = seed_text.replace("Visibilité à 6 semaines", "Visibilité à 8 semaines")
    result = publish(text, src, out, "1.txt")
    assert (result.version, result.bump) == ("1.1.0", "minor")
    assert catalog(out)[-1] == ("1.1.0", "minor") and len(catalog(out)) == 2
    changes = changes_of(out, "1.1.0")
    assert (changes["from_version"], changes["to_version"], changes["bump"]) == (
        "1.0.0",
        "1.1.0",
        "minor",
    )
    old_remark = "Ouverture des créneaux de semaine en semaine le lundi à 00h00. Visibilité à {} "
    assert non_empty(changes) == {
        "slot_rules": {
            "changed": [{"key": RENEWAL_RULE, "fields": {"visibility_weeks": {"old": 6, "new": 8}}}]
        },
        "source_cells": {
            "changed": [
                {
                    "key": "3|Remarques",
                    "fields": {
                        "text": {
                            "old": old_remark.format(6) + "semaines.",
                            "new": old_remark.format(8) + "semaines.",
                        }
                    },
                }
            ]
        },
    }
    summary = (out / "releases" / "1.1.0" / "CHANGES.md").read_text("utf-8")
    assert "- Renouvellements de titre de séjour : visibilité 6 → 8 semaines" in summary
    assert catalog(out)[-1] == ("1.1.0", "minor")

    # 2. a changed e-mail
    text = text.replace("Pref-rdv-sejour@isere.gouv.fr", "Rdv-titres@isere.gouv.fr")
    result = publish(text, src, out, "2.txt")
    assert (result.version, result.bump) == ("1.2.0", "minor")
    assert catalog(out)[-1] == ("1.2.0", "minor") and len(catalog(out)) == 3
    changes = non_empty(changes_of(out, "1.2.0"))
    assert changes["channels"] == {
        "changed": [
            {
                "key": "demarches-autres--email",
                "fields": {
                    "email": {
                        "old": "Pref-rdv-sejour@isere.gouv.fr",
                        "new": "Rdv-titres@isere.gouv.fr",
                    }
                },
            }
        ]
    }
    contact = {
        "channel_id": "demarches-autres--email",
        "role": "booking",
        "public_use": True,
        "notes": None,
    }
    assert changes["contacts"] == {
        "added": [
            {"email": "rdv-titres@isere.gouv.fr", "address": "Rdv-titres@isere.gouv.fr", **contact}
        ],
        "removed": [
            {
                "email": "pref-rdv-sejour@isere.gouv.fr",
                "address": "Pref-rdv-sejour@isere.gouv.fr",
                **contact,
            }
        ],
    }
    assert [c["key"] for c in changes["source_cells"]["changed"]] == [
        "5|Modalités de prise de rendez-vous"
    ]
    assert set(changes) == {"channels", "contacts", "source_cells"}
    summary = (out / "releases" / "1.2.0" / "CHANGES.md").read_text("utf-8")
    assert (
        "- Démarches autres : adresse Pref-rdv-sejour@isere.gouv.fr → Rdv-titres@isere.gouv.fr"
    ) in summary

    # 3. a procedure added
    last_item = "<li>- Application d'un jugement du tribunal administratif</li>"
    text = text.replace(last_item, last_item + " <li>- Changement d'adresse</li>")
    result = publish(text, src, out, "3.txt")
    assert (result.version, result.bump) == ("1.3.0", "minor")
    assert catalog(out)[-1] == ("1.3.0", "minor") and len(catalog(out)) == 4
    changes = non_empty(changes_of(out, "1.3.0"))
    assert changes["procedures"] == {
        "added": [
            {
                "procedure_id": "demarches-autres--email--changement-d-adresse",
                "channel_id": "demarches-autres--email",
                "label": "Changement d'adresse",
                "scope": "included",
                "parent_id": None,
                "position": 8,
            }
        ]
    }
    assert set(changes) == {"procedures", "source_cells"}
    assert "- Démarche ajoutée : Démarches autres — Changement d'adresse" in (
        out / "releases" / "1.3.0" / "CHANGES.md"
    ).read_text("utf-8")

    # 4. a row removed (the unaccompanied minors' row)
    lines = text.split("\n")
    text = "\n".join(line for line in lines if "Mineurs non accompagnés" not in line)
    result = publish(text, src, out, "4.txt")
    assert (result.version, result.bump) == ("1.4.0", "minor")
    assert catalog(out)[-1] == ("1.4.0", "minor") and len(catalog(out)) == 5
    changes = non_empty(changes_of(out, "1.4.0"))
    minors = "mineurs-non-accompagnes-1eres-demandes"
    assert [r["type_id"] for r in changes["appointment_types"]["removed"]] == [minors]
    assert changes["appointment_types"]["changed"] == [
        {
            "key": "etudiants-chercheurs-scientifiques-et-membres-de-leur-famille",
            "fields": {"position": {"old": 8, "new": 7}},
        }
    ]
    assert [r["channel_id"] for r in changes["channels"]["removed"]] == [f"{minors}--email"]
    assert [
        (c["fields"]["source_row"]["old"], c["fields"]["source_row"]["new"])
        for c in changes["channels"]["changed"]
    ] == [(8, 7), (9, 8)]
    assert [r["email"] for r in changes["contacts"]["removed"]] == ["pref-sejour-ase@isere.gouv.fr"]
    assert set(changes) == {"appointment_types", "channels", "contacts", "source_cells"}
    assert "- Type supprimé : Mineurs non accompagnés (1ères demandes)" in (
        out / "releases" / "1.4.0" / "CHANGES.md"
    ).read_text("utf-8")

    # 5. a location changed
    text = text.replace("jusqu'au 18/12/2020", "jusqu'au 31/03/2021")
    result = publish(text, src, out, "5.txt")
    assert (result.version, result.bump) == ("1.5.0", "minor")
    assert catalog(out)[-1] == ("1.5.0", "minor") and len(catalog(out)) == 6
    changes = non_empty(changes_of(out, "1.5.0"))
    assert changes == {
        "locations": {
            "changed": [
                {
                    "key": "antenne-campus",
                    "fields": {"valid_until": {"old": "2020-12-18", "new": "2021-03-31"}},
                }
            ]
        },
        "source_cells": {
            "changed": [
                {
                    "key": "8|Lieu de rendez-vous",
                    "fields": {
                        "text": {
                            "old": "Antenne Campus (jusqu'au 18/12/2020)",
                            "new": "Antenne Campus (jusqu'au 31/03/2021)",
                        }
                    },
                }
            ]
        },
    }
    assert "- Antenne Campus : valable jusqu'au 18/12/2020 → 31/03/2021" in (
        out / "releases" / "1.5.0" / "CHANGES.md"
    ).read_text("utf-8")

    # 6. a pure markup change: archived, nothing published
    snapshots = len(list((out / "snapshots").glob("*.txt")))
    markup = re.sub(r"<b>(.*?)</b>", r"<strong>\1</strong>", text).replace("<p>", '<p class="x">')
    result = publish(markup.replace("</li> <li>", "</li>   <li>"), src, out, "6.txt")
    assert (result.status, result.version, result.reason) == (
        "unchanged",
        "1.5.0",
        "same data as the latest release",
    )
    assert len(list((out / "snapshots").glob("*.txt"))) == snapshots + 1

    assert catalog(out) == [
        ("1.0.0", "initial"),
        ("1.1.0", "minor"),
        ("1.2.0", "minor"),
        ("1.3.0", "minor"),
        ("1.4.0", "minor"),
        ("1.5.0", "minor"),
    ]
    assert latest_version(out) == "1.5.0"
    assert (out / "latest").resolve() == (out / "releases" / "1.5.0").resolve()
    for version, _ in catalog(out):
        folder = out / "releases" / version
        assert verify_package(folder) == [] and check_sums(folder) == []


def test_same_bytes_stop_before_parsing(tmp_path):
    steps: list[str] = []

    def recording(function, *args):
        steps.append(function.__name__)
        return pipeline.direct(function, *args)

    first = pipeline.run(None, tmp_path, step=recording)
    assert first.status == "published" and "parse" in steps
    steps.clear()
    again = pipeline.run(None, tmp_path, step=recording)
    assert (again.status, again.version, again.reason) == (
        "unchanged",
        "1.0.0",
        "same source bytes as the last run",
    )
    assert steps == ["fetch", "archive"]
    assert catalog(tmp_path) == [("1.0.0", "initial")]


def test_mass_deletion_is_refused_then_allowed(seed_text, tmp_path):
    out = tmp_path / "out"
    publish(seed_text, tmp_path, out, "full.txt")
    lines = seed_text.split("\n")
    header = next(i for i, line in enumerate(lines) if line.startswith("Type de rendez-vous"))
    one_row = "\n".join(lines[: header + 2])
    with pytest.raises(
        PublishError,
        match=r"refusing to publish: appointment_types would go "
        r"from 8 to 1 rows; .*channels would go from 9 to 1",
    ):
        publish(one_row, tmp_path, out, "one-row.txt")
    assert catalog(out) == [("1.0.0", "initial")] and latest_version(out) == "1.0.0"
    allowed = publish(one_row, tmp_path, out, "one-row.txt", allow_mass_deletion=True)
    assert (allowed.version, allowed.bump) == ("1.1.0", "minor")
    assert allowed.rows["channels"] == 1


def test_header_only_source_is_refused(seed_text, tmp_path):
    out = tmp_path / "out"
    publish(seed_text, tmp_path, out, "full.txt")
    lines = seed_text.split("\n")
    header = next(i for i, line in enumerate(lines) if line.startswith("Type de rendez-vous"))
    with pytest.raises(NormaliseError, match="no data rows"):
        publish("\n".join(lines[: header + 1]), tmp_path, out, "header.txt")
    assert latest_version(out) == "1.0.0"


def test_second_publish_on_a_locked_folder_fails_at_once(tmp_path):
    store = ReleaseStore(tmp_path)
    with store.lock():
        with pytest.raises(
            PublishError,
            match=r"another publish is running on .* \(lock held "
            r"by pid \d+\)",
        ):
            pipeline.run(None, tmp_path)
    assert pipeline.run(None, tmp_path).status == "published"


def test_corrupt_latest_is_refused_until_repaired(seed_text, tmp_path):
    out = tmp_path / "out"
    publish(seed_text, tmp_path, out, "a.txt")
    target = out / "releases" / "1.0.0" / "data" / "slot_rules.csv"
    original = target.read_bytes()
    target.write_bytes(original.replace(b",6,", b",9,"))
    edited = seed_text.replace("Visibilité à 6 semaines", "Visibilité à 7 semaines")
    with pytest.raises(
        PublishError,
        match=r"latest release 1\.0\.0 is corrupt \(data/slot_rules"
        r"\.csv: hash mismatch",
    ):
        publish(edited, tmp_path, out, "b.txt")
    target.write_bytes(original)
    assert publish(edited, tmp_path, out, "b.txt").version == "1.1.0"
