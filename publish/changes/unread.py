"""Unread sentences (Contract 3) said in French: one wording for every surface that shows them
(the change summary, the website, the feeds, the notification).

A sentence of the prefecture's table that holds a fact but could not be read is a row of
``unread_sentences``; its facts are absent from the other tables, so every surface says so
first. The sentence is untrusted text: it is always shown on one line, without control
characters, so that it can never pass for a line of its own in a plain-text output.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from publish.changes.french import one_line, quoted, typography

RESOURCE = "unread_sentences"
#: the command that lists the unread sentences with a reading to fill in (rdv_opendata/cli.py)
TEACH_COMMAND = "rdv-opendata unread"
READINGS_FILE = "readings.toml"


def ordered(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows in the order of the table: by row, then column, then place in the cell."""
    return sorted(
        rows,
        key=lambda r: (int(r.get("source_row") or 0), str(r.get("column")), r.get("position") or 0),
    )


def where(row: dict[str, Any], type_label: Callable[[Any], str]) -> str:
    """« Ligne 3, colonne « Remarques » (Renouvellements de titre de séjour) »."""
    label = one_line(type_label(row.get("type_id")))
    return f"Ligne {row.get('source_row')}, colonne « {one_line(row.get('column'))} » ({label})"


def count_words(count: int) -> str:
    """« 1 phrase non lue », « 2 phrases non lues »."""
    return f"{count} phrase non lue" if count == 1 else f"{count} phrases non lues"


def count_line(count: int) -> str:
    """« 1 phrase de la préfecture n'a pas pu être lue automatiquement : … »."""
    if count == 1:
        said = "1 phrase de la préfecture n'a pas pu être lue automatiquement : ses informations"
        return typography(f"{said} manquent dans les données publiées.")
    said = f"{count} phrases de la préfecture n'ont pas pu être lues automatiquement"
    return typography(f"{said} : leurs informations manquent dans les données publiées.")


def sentence_line(row: dict[str, Any], type_label: Callable[[Any], str]) -> str:
    """« Ligne 3, colonne « Remarques » (…) : la préfecture a écrit « … » ; cette phrase n'a pas
    pu être lue automatiquement. »"""
    return typography(
        f"{where(row, type_label)} : la préfecture a écrit {quoted(row.get('sentence'))} ; "
        "cette phrase n'a pas pu être lue automatiquement."
    )


def head_lines(rows: Iterable[dict[str, Any]], type_label: Callable[[Any], str]) -> list[str]:
    """The first lines of a release that has unread sentences: how many, then each one with
    where it is; none when every sentence was read."""
    found = ordered(rows)
    if not found:
        return []
    return [count_line(len(found)), *(sentence_line(row, type_label) for row in found)]


def change_line(noun: str, row: dict[str, Any]) -> str:
    """« Phrase non lue (ligne 3, Remarques) : « … » », for a row added to or removed from
    ``unread_sentences`` (``noun`` says which)."""
    place = f"ligne {row.get('source_row')}, {one_line(row.get('column'))}"
    return typography(f"{noun} ({place}) : {quoted(row.get('sentence'))}")


def subject(row: dict[str, Any]) -> str:
    """What a changed row of ``unread_sentences`` is called: « Phrase non lue (ligne 3,
    Remarques) »."""
    return f"Phrase non lue (ligne {row.get('source_row')}, {one_line(row.get('column'))})"


def teach_line(output: str) -> str:
    """How a maintainer teaches the unread sentences of the output folder ``output`` (already
    quoted for a shell)."""
    return typography(
        f"Pour les faire lire : « {TEACH_COMMAND} {output} » affiche chaque phrase non lue avec "
        f"un modèle TOML à compléter ; ajoutée à {READINGS_FILE} une fois relue, cette lecture "
        "est appliquée à la publication suivante, qui en publie les faits."
    )


def by_type(rows: Iterable[dict[str, Any]]) -> dict[Any, list[dict[str, Any]]]:
    """The rows of each appointment type, in the order of the table."""
    groups: dict[Any, list[dict[str, Any]]] = {}
    for row in ordered(rows):
        groups.setdefault(row.get("type_id"), []).append(row)
    return groups
