"""Finds every token of a text that can carry a fact, independently of the grammar.

The grammar says what a sentence *means*; this module only says whether a sentence *holds* a
fact at all: a weekday, a time, a date, a month, an ordinal, a number (digits or words) with a
unit, a phone number, an e-mail, a link, or a word of the scheduling vocabulary (visibility,
closure, holidays, parts of the day, walk-in). It is written with its own plain patterns, so a
gap in the grammar cannot hide a fact from it: a sentence the detector flags must be read whole by
the grammar, or the run refuses (``normalise/sentences.py``).

It errs on the side of flagging: a false alarm refuses a sentence that a person then reads (safe),
a miss would let a fact go to free text (the one thing we promise never to do).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from normalise import lexicon

_B = r"(?<![\w@/.])"  # a token starts a word (not inside an address or a URL)
_E = r"(?!\w)"
_NUMBER_WORD = "|".join(sorted(set(lexicon.NUMBER_WORDS) - {"un", "une"}, key=len, reverse=True))
_UNIT = "|".join(sorted(lexicon.UNIT_WORDS, key=len, reverse=True))
_NOT_A_DAY = r"(?<!à )"  # « mis à jour »

#: kind of token -> pattern; every pattern is case-insensitive and applied to the reading form
PATTERNS: dict[str, str] = {
    "link": r"https?://\S+|www\.\S+",
    # an address starts where its run of address characters starts: tried at every character
    # of a long run, it would read the run again each time (quadratic, issue 21)
    "email": r"(?<![\w.%+-])[\w.%+-]+@[\w-]+(?:\.[\w-]+)+",
    "phone": r"(?:\+\d{2,3}|\b0\d)(?:[\s.-]?\(?\d{1,2}\)?){3,5}|t[ée]l[ée]phon\w*|\btél\b\.?",
    "date": rf"{_B}\d{{1,2}}\s*[/.-]\s*\d{{1,2}}(?:\s*[/.-]\s*\d{{2,4}})?{_E}",
    "time": rf"{_B}\d{{1,2}}\s*(?:h|heures?){_E}|{_B}\d{{1,2}}\s*h\s*\d{{2}}{_E}"
    rf"|{_B}\d{{1,2}}:\d{{2}}{_E}|{_B}(?:midi|minuit){_E}",
    "weekday": rf"{_B}(?:{lexicon.day_pattern()}){_E}|{_B}week-?ends?{_E}",
    "month": rf"{_B}(?:{lexicon.month_pattern()}){_E}",
    "ordinal": rf"{_B}\d+\s*(?:er|re|ère|e|è|ème|eme|nd|nde)s?{_E}"
    rf"|{_B}(?:premi[eè]re?|deuxi[eè]me|troisi[eè]me|quatri[eè]me|cinqui[eè]me|derni[eè]re?)s?{_E}",
    "number": rf"\d+|{_B}(?:{_NUMBER_WORD}){_E}|{_B}(?:un|une)\s+(?:{_UNIT}){_E}",
    # a unit of time is a fact even without a number (« en début de semaine »); a countable
    # unit only after a quantity word (« les personnes » is not a fact, « quelques places » is)
    "quantity": rf"{_B}(?:semaines?|mois|{_NOT_A_DAY}jours?|journées?|heures?|minutes?){_E}"
    rf"|{_B}(?:ans|années?){_E}"
    rf"|{_B}(?:quelques|plusieurs|certains|certaines|nombre de|limite de|limite des){_E}",
    "schedule": rf"{_B}(?:visibilit[ée]|visibles?|ferm[ée]e?s?|fermeture|vacances|cong[ée]s"
    rf"|f[ée]ri[ée]s?|matin[ée]?e?|apr[eè]s-midi|soir[ée]?e?|journ[ée]e|sans rendez-vous"
    rf"|horaires?|hebdomadaire|quotidien(?:ne)?|mensuel(?:le)?|jusqu'(?:au|à|a)"
    rf"|à partir d[ue]|à compter d[ue]|depuis|dès|désormais"
    rf"|r[ée]ouverture|r[ée]?ouvri(?:r|ra|ront)|lendemain|nouvel ordre){_E}",
}
_COMPILED = {kind: re.compile(pattern, re.IGNORECASE) for kind, pattern in PATTERNS.items()}

#: the kinds of token that a label (a type or a démarche, published whole as its label) may not
#: hide: a scheduling fact written into a label would be text where a typed field is expected
LABEL_KINDS = ("link", "email", "phone", "date", "time", "weekday", "month")


@dataclass(frozen=True)
class Token:
    kind: str
    text: str


def fact_tokens(text: str, kinds: tuple[str, ...] | None = None) -> list[Token]:
    """Every fact-carrying token of ``text`` (of the given kinds, default all), in text order."""
    return list(_tokens(text, kinds))


@functools.lru_cache(maxsize=4096)  # a table repeats its sentences: each is scanned once
def _tokens(text: str, kinds: tuple[str, ...] | None) -> tuple[Token, ...]:
    reading = lexicon.reading_form(text)
    found: list[tuple[int, Token]] = []
    for kind, pattern in _COMPILED.items():
        if kinds is not None and kind not in kinds:
            continue
        found += [(m.start(), Token(kind, m.group(0))) for m in pattern.finditer(reading)]
    return tuple(token for _, token in sorted(found, key=lambda pair: pair[0]))
