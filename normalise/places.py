"""The « Lieu de rendez-vous » cell: a place's name, and the validity and closures in the
parenthesis after it (« Antenne Campus (jusqu'au 18/12/2020) », « … (fermée du 21/12/2020 au
03/01/2021) »). A place keeps its name, and so its id, whatever such parenthesis follows it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from core.errors import NormaliseError
from normalise import detector, grammar
from normalise.sentences import read

PLACE_WITH_PARENTHESIS = re.compile(r"^(?P<name>.+?)\s*\((?P<inner>[^()]+)\)$")


@dataclass
class Place:
    name: str
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    closures: list[grammar.Closure] = field(default_factory=list)


def read_place(text: str, where: str) -> Place:
    """The place of a « Lieu » cell. A parenthesis holding no fact is part of the name (« Préfecture
    (site de Grenoble) »); one holding a fact must be read whole, as validity and closures."""
    match = PLACE_WITH_PARENTHESIS.match(text)
    name, inner = (match["name"], match["inner"]) if match else (text, None)
    statement = read(inner, where) if inner else None
    if statement is None:
        name = text
    if tokens := detector.fact_tokens(name):
        raise NormaliseError(
            f"{where}: the place « {name} » holds the {tokens[0].kind} {tokens[0].text!r} "
            "outside a parenthesis that says what it is"
        )
    place = Place(name)
    if statement is None:
        return place
    if statement.states_rule or statement.channels or statement.urls or statement.emails:
        raise NormaliseError(
            f"{where}: « {inner} » is neither a validity nor a closure of « {name} »"
        )
    for validity in statement.validity:
        for attribute in ("valid_from", "valid_until"):
            value = getattr(validity, attribute)
            if value is not None and getattr(place, attribute) not in (None, value):
                raise NormaliseError(f"{where}: two values for {attribute} in « {inner} »")
            if value is not None:
                setattr(place, attribute, value)
    if place.valid_from and place.valid_until and place.valid_from > place.valid_until:
        raise NormaliseError(f"{where}: « {inner} » ends before it starts")
    place.closures = list(statement.closures)
    return place
