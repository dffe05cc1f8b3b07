"""A release's files in every language but the default one (``core.i18n``): the change summary
(``CHANGES.<language>.md``) beside ``CHANGES.md`` and the workbook (``data/rdv-isere.<language>
.xlsx``) beside ``data/rdv-isere.xlsx``, said from the same changes and rows, never translated
from the French text."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from core import i18n
from publish import layout
from publish.changes import workbook
from publish.changes.records import ChangeRecord
from publish.changes.summary import ChangeLines, release_lines, summary_markdown
from publish.reading.load import PackageData, load_package


def other_languages() -> tuple[str, ...]:
    return i18n.languages()[1:]


def summaries(
    changes: ChangeRecord,
    old: PackageData | None,
    new: PackageData,
    said: ChangeLines | None = None,
) -> dict[str, bytes]:
    """``CHANGES.<language>.md`` of each other language, by its path in the release. ``said``:
    these changes' lines (of ``old`` and ``new``), shared with whoever else says them."""
    files = {}
    for lang in other_languages():
        with i18n.language(lang):
            markdown = summary_markdown(changes, old, new, said)
        files[layout.summary_file(lang, i18n.DEFAULT)] = markdown.encode("utf-8")
    return files


def workbooks(
    rows: Mapping[str, list[dict[str, Any]]], version: str, created: str, source: dict[str, Any]
) -> dict[str, bytes]:
    """``data/rdv-isere.<language>.xlsx`` of each other language, by its path in the release:
    the same sheets as the French workbook (« Synthèse » first), in that language."""
    files = {}
    for lang in other_languages():
        with i18n.language(lang):
            data = workbook.workbook_bytes(
                dict(rows), version=version, created=created, source=source
            )
        files[layout.workbook_file(lang, i18n.DEFAULT)] = data
    return files


def release_lines_of(release: Path) -> list[str]:
    """The lines of the release in ``release`` (``DIR/releases/<version>``) in the current
    language, said from its ``changes.json`` and the rows of it and of the release before it
    (what a notification in another language says; the run's own lines are French)."""
    changes = json.loads((release / layout.CHANGES_FILE).read_text(encoding="utf-8"))
    previous = changes.get("from_version")
    old = load_package(release.parent / previous) if isinstance(previous, str) else None
    return release_lines(changes, old, load_package(release))
