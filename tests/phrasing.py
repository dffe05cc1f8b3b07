"""A one-row table around one cell, read by the real pipeline: what the phrasing tests compare."""

from __future__ import annotations

from typing import Any

from core.settings import EXPECTED_HEADER
from extract import extract_table
from normalise import normalise
from normalise.readings import DEFAULT_POLICY, ReadingPolicy

#: a booking channel, for phrasings of the « Remarques » and « Lieu » columns
BOOKING = (
    '<p>Site internet de la préfecture <a href="https://www.isere.gouv.fr/">'
    "https://www.isere.gouv.fr/</a></p> <p>Rubrique « Prendre un rendez-vous »</p>"
)
PLACE = "Préfecture"


def one_row_source(
    modalities: str = BOOKING,
    place: str = PLACE,
    remarks: str = "",
    type_label: str = "Titres de séjour",
    procedure: str = "Tous les cas",
) -> bytes:
    """The export form of a table with one data row holding the given cells."""
    row = [f"<b>{type_label}</b>", procedure, modalities, place, remarks]
    lines = ["Modalités de prise de rendez-vous", "", "\t".join(EXPECTED_HEADER), "\t".join(row)]
    return "\n".join(lines).encode("utf-8")


def _present(row: dict[str, Any], drop: tuple[str, ...] = ()) -> dict[str, Any]:
    return {k: v for k, v in row.items() if v is not None and k not in drop}


def read_facts(reader: ReadingPolicy | None = None, **cells: str) -> dict[str, Any]:
    """The typed facts of the row (cells as ``one_row_source`` names them): its channel, rules,
    place, closures, instructions and unread sentences, read by ``reader`` (default: not strict,
    no reviewed reading)."""
    data = normalise(extract_table(one_row_source(**cells)), reader or DEFAULT_POLICY)
    (channel,) = data["channels"]
    return {
        "channel": _present(
            channel,
            (
                "channel_id",
                "type_id",
                "source_row",
                "location_id",
                "portal_url",
                "portal_path",
                "portal_hint",
                "instructions",
            ),
        ),
        "rules": [_present(r, ("rule_id", "channel_id", "read_by")) for r in data["slot_rules"]],
        "place": [_present(p, ("location_id",)) for p in data["locations"]],
        "closures": [[c["closed_from"], c["closed_until"]] for c in data["closures"]],
        "instructions": channel["instructions"],
        "unread": [u["sentence"] for u in data["unread_sentences"]],
        "unread_rows": data["unread_sentences"],
    }
