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

from core.i18n import _, ngettext
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
    return _("Ligne {row}, colonne « {column} » ({type})").format(
        row=row.get("source_row"), column=one_line(row.get("column")), type=label
    )


def count_words(count: int) -> str:
    """« 1 phrase non lue », « 2 phrases non lues »."""
    return ngettext("{count} phrase non lue", "{count} phrases non lues", count).format(count=count)


def count_line(count: int) -> str:
    """« 1 phrase de la préfecture n'a pas pu être lue automatiquement : … »."""
    said = ngettext(
        "{count} phrase de la préfecture n'a pas pu être lue automatiquement : ses informations "
        "manquent dans les données publiées.",
        "{count} phrases de la préfecture n'ont pas pu être lues automatiquement : leurs "
        "informations manquent dans les données publiées.",
        count,
    )
    return typography(said.format(count=count))


def sentence_line(row: dict[str, Any], type_label: Callable[[Any], str]) -> str:
    """« Ligne 3, colonne « Remarques » (…) : la préfecture a écrit « … » ; cette phrase n'a pas
    pu être lue automatiquement. »"""
    said = _(
        "{where} : la préfecture a écrit {sentence} ; cette phrase n'a pas pu être lue "
        "automatiquement."
    )
    return typography(
        said.format(where=where(row, type_label), sentence=quoted(row.get("sentence")))
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
    place = _("ligne {row}, {column}").format(
        row=row.get("source_row"), column=one_line(row.get("column"))
    )
    said = _("{noun} ({place}) : {sentence}")
    return typography(said.format(noun=_(noun), place=place, sentence=quoted(row.get("sentence"))))


def subject(row: dict[str, Any]) -> str:
    """What a changed row of ``unread_sentences`` is called: « Phrase non lue (ligne 3,
    Remarques) »."""
    return _("Phrase non lue (ligne {row}, {column})").format(
        row=row.get("source_row"), column=one_line(row.get("column"))
    )


def teach_line(output: str) -> str:
    """How a maintainer teaches the unread sentences of the output folder ``output`` (already
    quoted for a shell)."""
    said = _(
        "Pour les faire lire : « {command} {output} » affiche chaque phrase non lue avec un "
        "modèle TOML à compléter ; ajoutée à {readings} une fois relue, cette lecture est "
        "appliquée à la publication suivante, qui en publie les faits."
    )
    return typography(said.format(command=TEACH_COMMAND, output=output, readings=READINGS_FILE))


def by_type(rows: Iterable[dict[str, Any]]) -> dict[Any, list[dict[str, Any]]]:
    """The rows of each appointment type, in the order of the table."""
    groups: dict[Any, list[dict[str, Any]]] = {}
    for row in ordered(rows):
        groups.setdefault(row.get("type_id"), []).append(row)
    return groups
