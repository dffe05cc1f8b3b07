"""The change summary of a large diff: linear work, and the same French lines as ever.

No timing here (machines are noisy; speed is measured by ``benchmarks/bench.py``): the work is
counted as the number of rows the summary reads from the two packages.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

from extract import extract_table
from publish.changes import summary
from publish.changes.diff import diff
from publish.changes.records import ChangeRecord
from publish.reading.load import PackageData
from rdv_opendata import pipeline

RENEWAL = "renouvellements-de-titre-de-sejour"
EMAIL = "demarches-autres--email"


@pytest.fixture(scope="module")
def seed(seed_bytes) -> PackageData:
    table = extract_table(seed_bytes)
    return pipeline.candidate(pipeline.build_frames(table), {"title": "t", "path": "x"})


def _one(package: PackageData, resource: str, field: str, value: str) -> dict[str, Any]:
    return next(r for r in package.rows[resource] if r[field] == value)


def grown(seed: PackageData, n: int, new: bool) -> PackageData:
    """The snapshot with ``n`` more types « Type k », each with an online booking channel and
    its slot rule; every third type also has an e-mail channel. The new package differs by:
    every added rule's visibility 6 -> 8 weeks; the e-mail channel of every sixth type removed; a
    procedure added to every seventh type's booking channel; the last type removed whole; a
    closure of the prefecture added."""
    rows = copy.deepcopy(seed.rows)
    kind = _one(seed, "appointment_types", "type_id", RENEWAL)
    booking = _one(seed, "channels", "channel_id", f"{RENEWAL}--online-booking")
    email = _one(seed, "channels", "channel_id", EMAIL)
    rule = _one(seed, "slot_rules", "channel_id", booking["channel_id"])
    procedure = _one(seed, "procedures", "channel_id", booking["channel_id"])
    for k in range(n - 1 if new else n):
        type_id = f"type-{k}"
        rows["appointment_types"].append(
            {**kind, "type_id": type_id, "label": f"Type {k}", "position": 100 + k}
        )
        channel_id = f"{type_id}--online-booking"
        rows["channels"].append({**booking, "channel_id": channel_id, "type_id": type_id})
        rows["slot_rules"].append(
            {
                **rule,
                "rule_id": f"{channel_id}--slot-release",
                "channel_id": channel_id,
                "visibility_weeks": 8 if new else 6,
            }
        )
        if k % 3 == 0 and not (new and k % 6 == 0):
            rows["channels"].append(
                {**email, "channel_id": f"{type_id}--email", "type_id": type_id}
            )
        if new and k % 7 == 0:
            rows["procedures"].append(
                {
                    **procedure,
                    "procedure_id": f"{channel_id}--procedure",
                    "channel_id": channel_id,
                    "label": f"Procédure {k}",
                }
            )
    if new:
        rows["closures"].append(
            {"location_id": "prefecture", "closed_from": "2021-05-14", "closed_until": "2021-05-14"}
        )
    return PackageData(copy.deepcopy(seed.descriptor), rows)


def changes_between(old: PackageData, new: PackageData) -> ChangeRecord:
    return {
        "from_version": "1.0.0",
        "to_version": "1.1.0",
        "bump": "minor",
        **diff(old, new),
        "summary": [],
    }


class CountedRows(list):
    """A resource's rows that count every row handed out by iteration."""

    seen = 0

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for row in super().__iter__():
            CountedRows.seen += 1
            yield row


def counted(package: PackageData) -> PackageData:
    return PackageData(package.descriptor, {k: CountedRows(v) for k, v in package.rows.items()})


def rows_read(seed: PackageData, n: int) -> int:
    """How many rows the summary of ``n`` changed rules (and their removals, additions) reads."""
    old, new = grown(seed, n, new=False), grown(seed, n, new=True)
    changes = changes_between(old, new)
    assert len(changes["resources"]["slot_rules"]["changed"]) >= n - 1
    old, new = counted(old), counted(new)
    CountedRows.seen = 0
    lines = summary.summary_lines(changes, old, new)
    assert len(lines) > n
    return CountedRows.seen


def test_summary_work_grows_linearly_with_the_changed_rows(seed):
    small, large = rows_read(seed, 1000), rows_read(seed, 2000)
    assert large <= 2.5 * small, f"{small} rows read for 1,000 changes, {large} for 2,000"


class LinearScanLabels(summary.Labels):
    """The lookups as they were first written (a scan of every row per line): the reference."""

    def _find(self, resource: str, field: str, value: Any) -> dict[str, Any] | None:
        for package in self.packages:
            for row in package.rows.get(resource, []):
                if row.get(field) == value:
                    return row
        return None

    def channel(self, channel_id: str | None) -> str:
        row = self._find("channels", "channel_id", channel_id)
        if row is None:
            return str(channel_id)
        siblings = {
            r["channel_id"]
            for p in self.packages
            for r in p.rows.get("channels", [])
            if r.get("type_id") == row["type_id"]
        }
        label = self.type_label(row["type_id"])
        if len(siblings) > 1:
            kind = row["channel_type"]
            label += f" ({summary.CHANNEL_KINDS.get(kind, kind)})"
        return label


def test_lines_of_a_large_diff_are_unchanged(seed, monkeypatch):
    n = 1200
    old, new = grown(seed, n, new=False), grown(seed, n, new=True)
    changes = changes_between(old, new)
    lines = summary.summary_lines(changes, old, new)
    expected = [
        "Type supprimé : Type 1199",
        "Fermeture ajoutée : Préfecture, fermeture le 14 mai 2021",
        "Modalité supprimée : Type 0 (courriel)",
        "Modalité supprimée : Type 1199 (réservation en ligne)",
        "Démarche ajoutée : Type 7 — Procédure 7",
        "Démarche ajoutée : Type 1197 (réservation en ligne) — Procédure 1197",
        "Règle supprimée : Type 1199 (Nouveaux créneaux chaque lundi à 0 h ; "
        "visibles 6 semaines à l'avance)",
        "Type 0 (réservation en ligne) : visibilité 6 → 8 semaines",
        "Type 1 : visibilité 6 → 8 semaines",
        # its e-mail channel is only in the old package: still a sibling, the kind is said
        "Type 6 (réservation en ligne) : visibilité 6 → 8 semaines",
        "Type 3 (réservation en ligne) : visibilité 6 → 8 semaines",
        "Type 1198 : visibilité 6 → 8 semaines",
    ]
    assert [line for line in expected if line not in lines] == []
    assert lines.count("Type 1 : visibilité 6 → 8 semaines") == 1
    # types, closures, channels, procedures, rules removed or added; then the changed rules
    assert len(lines) == 1 + 1 + 201 + 172 + 1 + 1199
    assert summary.summary_markdown(changes, old, new).count("\n- ") == len(lines)
    monkeypatch.setattr(summary, "Labels", LinearScanLabels)
    assert summary.summary_lines(changes, old, new) == lines


def test_lines_shared_by_the_summaries_of_every_language_are_each_language_s(seed):
    """A release's run says its lines once per language (``ChangeLines`` shared by CHANGES.md,
    changes.json's summary and CHANGES.en.md): each text is the one said without sharing, in
    whichever order the languages come."""
    from core import i18n
    from publish.changes import languages

    old, new = grown(seed, 40, new=False), grown(seed, 40, new=True)
    changes = changes_between(old, new)
    alone = {
        "md": summary.summary_markdown(changes, old, new),
        "lines": summary.release_lines(changes, old, new),
        "other": languages.summaries(changes, old, new),
    }
    for first_other in (False, True):
        said = summary.ChangeLines(changes, summary.Labels(old, new))
        if first_other:  # the other languages' lines said first, then the French ones
            other = languages.summaries(changes, old, new, said)
        shared = {
            "md": summary.summary_markdown(changes, old, new, said),
            "lines": summary.release_lines(changes, old, new, said),
            "other": other if first_other else languages.summaries(changes, old, new, said),
        }
        assert shared == alone
    assert len(alone["other"]) == len(i18n.languages()) - 1
