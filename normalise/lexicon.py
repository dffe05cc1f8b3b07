"""The French words of the scheduling language, in one place: days, months, numbers, units and the
filler words a sentence may hold around its facts.

Day and month names come from the CLDR data shipped with babel (the reference for French
calendar words), numbers in words are read by text2num; neither is re-typed here by hand.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from babel.dates import get_day_names, get_month_names
from text_to_num import text2num

#: weekday enum values in week order (Table Schema enum of ``slot_rules.weekdays``)
WEEKDAY_VALUES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

#: French day name -> weekday enum value (« lundi » -> "monday")
WEEKDAYS: dict[str, str] = {
    str(name).lower(): WEEKDAY_VALUES[index]
    for index, name in get_day_names("wide", locale="fr").items()
}
#: weekday enum value -> French day name
DAY_NAMES_FR: dict[str, str] = {value: name for name, value in WEEKDAYS.items()}

#: French month names, wide and abbreviated (« janvier », « janv. ») -> month number
MONTHS: dict[str, int] = {
    **{
        str(n).lower().rstrip("."): m
        for m, n in get_month_names("abbreviated", locale="fr").items()
    },
    **{str(n).lower(): m for m, n in get_month_names("wide", locale="fr").items()},
}
MONTH_NAMES_FR: dict[int, str] = {
    m: str(n).lower() for m, n in get_month_names("wide", locale="fr").items()
}

#: the words French numbers are written with (text2num decides whether a sequence is a number)
NUMBER_WORDS = (
    "zéro un une deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze "
    "seize vingt vingts trente quarante cinquante soixante cent cents mille"
).split()


def number_in_words(text: str) -> int | None:
    """« quinze » -> 15, « vingt-quatre » -> 24; None when the words are not one number."""
    try:
        value = text2num(" ".join(text.lower().split()), "fr")
    except ValueError:
        return None
    return value if isinstance(value, int) else None


#: units a quantity is counted in: words that make a number a fact
UNIT_WORDS = (
    "semaine semaines mois jour jours journée journées heure heures minute minutes place places "
    "personne personnes ticket tickets an ans année années"
).split()

#: words that may stand around the facts of a sentence and carry none themselves. A word that
#: qualifies a fact (« sauf », « hors », « pour », « environ », « pas », « ne », « seulement si »…)
#: is deliberately absent: a sentence holding it and a fact is refused, never half-read.
FILLER_WORDS = frozenset(
    """
    le la les l' de des du d' à au aux et en se par
    est sont sera seront a ont
    nouveaux nouvelles nouveau créneaux créneau rendez-vous rdv
    ligne disponibles disponible
    formulaire demandeur ensuite automatiquement public usagers
    antenne guichet service bureau
    dossier dossiers dépôt
    uniquement
    """.split()
)

#: punctuation that separates the parts of a sentence
SEPARATORS = ",;:.>→–—-!()"

APOSTROPHES = "'’ʼ‘`´"


def reading_form(text: str) -> str:
    """The text as the grammar and the detector read it: NFC, one apostrophe, single spaces."""
    text = unicodedata.normalize("NFC", text)
    for apostrophe in APOSTROPHES[1:]:
        text = text.replace(apostrophe, "'")
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


@cache
def day_pattern() -> str:
    """Regex alternation of the day names (singular or plural)."""
    return "|".join(f"{name}s?" for name in sorted(WEEKDAYS, key=len, reverse=True))


@cache
def month_pattern() -> str:
    """Regex alternation of the month names, an abbreviation's dot optional."""
    return "|".join(re.escape(name) + r"\.?" for name in sorted(MONTHS, key=len, reverse=True))
