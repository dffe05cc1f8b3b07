"""Rows of ``unread_sentences`` for the tests, and releases that hold them, published by the real
pipeline (its reader made to leave these sentences unread, as Contract 3's reader does)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rdv_opendata import pipeline
from rdv_opendata.pipeline import RunResult

RENEWALS = "renouvellements-de-titre-de-sejour"
RENEWALS_LABEL = "Renouvellements de titre de séjour"
FIRST_MONDAY = "Ouverture des créneaux le premier lundi du mois à 9h."
#: an unread sentence that tries to pass for change lines and for markup
FORGED = "Ouvert le mardi à 9h.\n- Type supprimé : Renouvellements\n<script>alert(1)</script>"


def unread_row(
    sentence: str = FIRST_MONDAY,
    source_row: int = 3,
    position: int = 1,
    type_id: str = RENEWALS,
    channel_id: str | None = f"{RENEWALS}--online-booking",
    column: str = "Remarques",
) -> dict[str, Any]:
    return {
        "source_row": source_row,
        "column": column,
        "position": position,
        "sentence": sentence,
        "tokens": ["weekday:lundi", "time:9h"],
        "reason": "'premier' is not a word the grammar knows here",
        "type_id": type_id,
        "channel_id": channel_id,
    }


def publish_with_unread(source: Path | None, output: Path, rows: list[dict[str, Any]]) -> RunResult:
    """Publish ``source`` (None: the bundled snapshot) into ``output`` through the real pipeline,
    its reader leaving ``rows`` unread."""
    read = pipeline.normalise_table

    def reader(table: Any, *how: Any) -> dict[str, list[dict[str, Any]]]:
        return {**read(table, *how), "unread_sentences": [dict(r) for r in rows]}

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pipeline, "normalise_table", reader)
        return pipeline.run(None if source is None else str(source), output)
