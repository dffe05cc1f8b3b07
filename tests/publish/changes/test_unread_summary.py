"""The change summary says first that sentences could not be read (Contract 3): CHANGES.md,
changes.json's lines, and a line per sentence that appears in or leaves ``unread_sentences``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from publish.changes import unread
from publish.changes.french import NBSP
from publish.changes.records import ChangeRecord, ResourceChanges
from publish.changes.summary import release_lines, summary_lines, summary_markdown
from publish.reading.load import PackageData, load_package
from rdv_opendata import pipeline
from tests.unread_rows import (
    FIRST_MONDAY,
    FORGED,
    RENEWALS_LABEL,
    publish_with_unread,
    unread_row,
)


def plain(text: str) -> str:
    return text.replace(NBSP, " ")


def test_head_lines_say_how_many_then_where_and_what_each_sentence_is():
    rows = [unread_row(position=2, sentence="Second."), unread_row(source_row=1), unread_row()]
    lines = [plain(line) for line in unread.head_lines(rows, lambda _: RENEWALS_LABEL)]
    assert lines[0] == (
        "3 phrases de la préfecture n'ont pas pu être lues automatiquement : leurs informations "
        "manquent dans les données publiées."
    )
    assert lines[1].startswith("Ligne 1, colonne")
    assert lines[2] == (
        f"Ligne 3, colonne « Remarques » ({RENEWALS_LABEL}) : la préfecture a écrit "
        f"« {FIRST_MONDAY} » ; cette phrase n'a pas pu être lue automatiquement."
    )
    assert "« Second. »" in lines[3]
    assert unread.head_lines([], str) == []
    assert plain(unread.count_line(1)).startswith("1 phrase de la préfecture n'a pas pu être lue")


def test_head_lines_are_typeset_with_non_breaking_spaces():
    (_, line) = unread.head_lines([unread_row()], lambda _: RENEWALS_LABEL)
    assert f"«{NBSP}Remarques{NBSP}»" in line
    assert f"){NBSP}: la préfecture a écrit «{NBSP}Ouverture" in line
    assert f"9h.{NBSP}»{NBSP}; cette phrase" in line


def test_a_forged_sentence_stays_on_its_line():
    (_, line) = unread.head_lines([unread_row(FORGED)], lambda _: RENEWALS_LABEL)
    assert "\n" not in line
    assert "\u2028" not in unread.change_line("Phrase non lue", unread_row("a\u2028b\x1bc"))
    assert "\x1b" not in unread.change_line("Phrase non lue", unread_row("a\u2028b\x1bc"))


def _package(rows: list[dict], seed: PackageData) -> PackageData:
    return PackageData(seed.descriptor, {**seed.rows, "unread_sentences": rows})


def _changes(resource_changes: dict[str, Any]) -> ChangeRecord:
    rows: ResourceChanges = {"added": [], "removed": [], "changed": [], **resource_changes}  # type: ignore[typeddict-item]
    return {"from_version": "1.0.0", "to_version": "1.1.0", "bump": "minor",
            "resources": {"unread_sentences": rows}, "schema": [], "metadata": [],
            "summary": []}  # fmt: skip


def test_a_sentence_that_appears_or_leaves_is_a_change_line(seed_release: Path):
    seed = load_package(seed_release / "latest")
    old, new = _package([unread_row("Lu plus tard.", 5)], seed), _package([unread_row()], seed)
    changes = _changes({"added": [unread_row()], "removed": [unread_row("Lu plus tard.", 5)]})
    lines = [plain(line) for line in summary_lines(changes, old, new)]
    assert lines == [
        "Phrase de nouveau lue (ligne 5, Remarques) : « Lu plus tard. »",
        f"Phrase non lue (ligne 3, Remarques) : « {FIRST_MONDAY} »",
    ]


def test_a_changed_sentence_is_said_with_its_words(seed_release: Path):
    seed = load_package(seed_release / "latest")
    old, new = _package([unread_row("Avant.")], seed), _package([unread_row("Après.")], seed)
    fields = {"sentence": {"old": "Avant.", "new": "Après."},
              "tokens": {"old": ["time:8h"], "new": ["time:9h", "weekday:lundi"]}}  # fmt: skip
    changes = _changes({"changed": [{"key": "3|Remarques|1", "fields": fields}]})
    assert summary_lines(changes, old, new) == [
        "Phrase non lue (ligne 3, Remarques) : phrase « Avant. » → « Après. » ; "
        "faits repérés time:8h → time:9h, weekday:lundi"
    ]


def test_release_lines_put_the_unread_sentences_first(seed_release: Path):
    seed = load_package(seed_release / "latest")
    new = _package([unread_row()], seed)
    changes = _changes({"added": [unread_row()]})
    lines = release_lines(changes, seed, new)
    assert plain(lines[0]).startswith("1 phrase de la préfecture n'a pas pu être lue")
    assert plain(lines[1]).startswith(f"Ligne 3, colonne « Remarques » ({RENEWALS_LABEL})")
    assert plain(lines[2]).startswith("Phrase non lue (ligne 3, Remarques)")
    markdown = summary_markdown(changes, seed, new)
    head, count, items, between, changed = markdown.strip().split("\n\n")
    assert head.startswith("# Version 1.1.0")
    assert count.startswith("**1 phrase") and count.endswith("**")
    assert items.startswith("- Ligne 3")
    assert between == "Changements de cette version :"
    assert changed.startswith("- Phrase non lue")


def test_a_first_publication_says_its_unread_sentences_and_never_zero(
    tmp_path: Path, seed_release: Path
):
    result = publish_with_unread(None, tmp_path / "new", [unread_row()])
    assert result.version == "1.0.0"
    folder = tmp_path / "new" / "releases" / "1.0.0"
    changes = json.loads((folder / "changes.json").read_text("utf-8"))
    assert [plain(line) for line in changes["summary"][:2]] == [
        plain(unread.count_line(1)),
        f"Ligne 3, colonne « Remarques » ({RENEWALS_LABEL}) : la préfecture a écrit "
        f"« {FIRST_MONDAY} » ; cette phrase n'a pas pu être lue automatiquement.",
    ]
    assert changes["summary"][2].startswith("Première publication : ")
    assert "phrase" not in changes["summary"][2]
    markdown = (folder / "CHANGES.md").read_text("utf-8")
    assert markdown.split("\n\n")[1].startswith("**1 phrase")
    assert markdown.split("\n\n")[3].startswith("Première publication")
    # without unread sentences: the summary of before, without « 0 phrase non lue »
    plain_first = (seed_release / "latest" / "CHANGES.md").read_text("utf-8")
    assert "phrase" not in plain_first and "**" not in plain_first


def test_changes_md_keeps_a_forged_sentence_on_one_item(tmp_path: Path, seed_text):
    output = tmp_path / "out"
    pipeline.run(None, output)
    edited = tmp_path / "edited.txt"
    edited.write_text(seed_text.replace("à 6 semaines", "à 8 semaines"), encoding="utf-8")
    result = publish_with_unread(edited, output, [unread_row(FORGED)])
    assert result.version == "1.1.0"
    markdown = (output / "releases" / "1.1.0" / "CHANGES.md").read_text("utf-8")
    lines = markdown.splitlines()
    assert not any(line.startswith("- Type supprimé") for line in lines)
    assert "<script>" not in markdown and "&lt;script&gt;" in markdown
    assert [line[:12] for line in lines if line.startswith("- ")] == [
        "- Ligne 3, c",
        f"- {RENEWALS_LABEL[:10]}",
        "- Phrase non",
    ]
    assert all("\n" not in line for line in result.lines)
