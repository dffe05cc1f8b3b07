"""The « Lieu de rendez-vous » cell: a place's name, and the validity and closures in the
parenthesis after it (« Antenne Campus (jusqu'au 18/12/2020) », « … (fermée du 21/12/2020 au
03/01/2021) »). A place keeps its name, and so its id, whatever such parenthesis follows it; a
parenthesis that holds facts nothing reads is unread (``unread_sentences``), the name kept.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from core.errors import NormaliseError
from normalise import detector, grammar, lexicon
from normalise.readings import DEFAULT_POLICY, ReadingPolicy
from normalise.sentences import Unread, read, unread
from normalise.statements import Statement, StatementError

PLACE_WITH_PARENTHESIS = re.compile(r"^(?P<name>.+?)\s*\((?P<inner>[^()]+)\)$")


@dataclass
class Place:
    name: str
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    closures: list[grammar.Closure] = field(default_factory=list)
    read_by: str = "grammar"
    unread: list[tuple[str, Unread]] = field(default_factory=list)  # (sentence, why)


def read_place(text: str, where: str, reader: ReadingPolicy = DEFAULT_POLICY) -> Place:
    """The place of a « Lieu » cell. A parenthesis holding no fact is part of the name (« Préfecture
    (site de Grenoble) »); one holding a fact is read whole, as validity and closures, or is
    unread."""
    match = PLACE_WITH_PARENTHESIS.match(text)
    name, inner = (match["name"], match["inner"]) if match else (text, None)
    sentence = None
    if inner:
        sentence = read(" ".join(inner.split()), lexicon.reading_form(inner), where, reader)
    if sentence is None or (sentence.statement is None and sentence.unread is None):
        name = text
    if tokens := detector.fact_tokens(name):
        raise NormaliseError(
            f"{where}: the place « {name} » holds the {tokens[0].kind} {tokens[0].text!r} "
            "outside a parenthesis that says what it is"
        )
    place = Place(name)
    if sentence is None:
        return place
    if sentence.unread is not None:
        place.unread.append((sentence.text, sentence.unread))
    elif sentence.statement is not None:
        try:
            _dates(place, sentence.statement)
        except StatementError as exc:
            place.unread.append((sentence.text, unread(reader, sentence, str(exc), where)))
    return place


def _dates(place: Place, statement: Statement) -> None:
    """The validity and closures a parenthesis states, whole or not at all."""
    if statement.states_rule or statement.channels or statement.urls or statement.emails:
        raise StatementError("it is neither a validity nor a closure of the place")
    if statement.closures and any(v.valid_from and v.valid_until for v in statement.validity):
        # « fermée du … au … et du … au … »: the second period is a closure, not the validity
        raise StatementError("a period beside a closure may be a closure or the place's validity")
    valid: dict[str, dt.date] = {}
    for validity in statement.validity:
        for attribute in ("valid_from", "valid_until"):
            value = getattr(validity, attribute)
            if value is not None and valid.get(attribute, value) != value:
                raise StatementError(f"two values for {attribute}")
            if value is not None:
                valid[attribute] = value
    if valid.get("valid_from") and valid.get("valid_until"):
        if valid["valid_from"] > valid["valid_until"]:
            raise StatementError("the validity ends before it starts")
    place.valid_from = valid.get("valid_from")
    place.valid_until = valid.get("valid_until")
    place.closures = list(statement.closures)
    place.read_by = statement.read_by
