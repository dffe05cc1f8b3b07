"""A release's files in every language but the default one (``core.i18n``): the change summary
(``CHANGES.<language>.md``) beside ``CHANGES.md``, said from the same changes and packages, never
translated from the French text."""

from __future__ import annotations

from core import i18n
from publish import layout
from publish.changes.records import ChangeRecord
from publish.changes.summary import summary_markdown
from publish.reading.load import PackageData


def other_languages() -> tuple[str, ...]:
    return i18n.languages()[1:]


def summaries(changes: ChangeRecord, old: PackageData | None, new: PackageData) -> dict[str, bytes]:
    """``CHANGES.<language>.md`` of each other language, by its path in the release."""
    files = {}
    for lang in other_languages():
        with i18n.language(lang):
            markdown = summary_markdown(changes, old, new)
        files[layout.summary_file(lang, i18n.DEFAULT)] = markdown.encode("utf-8")
    return files
