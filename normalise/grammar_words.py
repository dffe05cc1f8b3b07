"""The grammar's building blocks: words, numbers, clock times, parts of the day, day and month
names; and ``phrase``, which declares a phrase of the sentence together with its guard.

Every parse action takes the full ``(s, loc, toks)`` arguments: pyparsing otherwise finds how
many a function takes by calling it and catching ``TypeError``, which is slow and not thread-safe
(pyparsing issue #89).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pyparsing as pp

from normalise import lexicon
from normalise.grammar_values import Period, Quantity, SentenceError

# --- phrases and their guards -------------------------------------------------------------------


@dataclass(frozen=True)
class PhraseRule:
    """One phrase of the sentence grammar: its element, and the guard, a cheap regex that the
    text must start with for the element to be tried at all."""

    name: str
    guard: re.Pattern[str]
    element: pp.ParserElement


def phrase(name: str, guard: str, element: pp.ParserElement) -> PhraseRule:
    """Declare a phrase with its guard, in one place: the guard lists the phrase's first words
    (``tests/test_grammar_guards.py`` checks that every reading of the phrase passes it)."""
    return PhraseRule(name, re.compile(guard, re.IGNORECASE), element.set_name(name))


class Stopped(pp.ParseException):
    """No phrase and no filler word reads the text at hand; ``phrase`` is the phrase that
    started here and read furthest before it stopped (None when no phrase started)."""

    def __init__(self, instring: str, loc: int, phrase: str | None, stop: int) -> None:
        super().__init__(instring, loc, "no phrase or filler word here")
        self.phrase = phrase
        self.stop = stop


class Guarded(pp.Token):
    """PEG ordered choice where each phrase is tried only when the text at hand passes its guard:
    the same result as ``pp.MatchFirst``, several times faster. A guard can only skip a phrase,
    never add one, so a wrong guard refuses; it cannot misread."""

    def __init__(self, phrases: list[PhraseRule]) -> None:
        super().__init__()
        self.phrases = [(p.guard, p.name, p.element.streamline()) for p in phrases]
        self.mayReturnEmpty = False
        self.errmsg = "no phrase or filler word here"

    def parseImpl(self, instring: str, loc: int, do_actions: bool = True):  # type: ignore[override]
        furthest: tuple[int, str | None] = (loc, None)
        for guard, name, element in self.phrases:
            if guard.match(instring, loc):
                try:
                    return element._parse(instring, loc, do_actions)
                except pp.ParseException as exc:
                    if exc.loc > furthest[0]:  # the phrase read some words before it stopped
                        furthest = (exc.loc, name)
                    continue
        raise Stopped(instring, loc, furthest[1], furthest[0])


# --- words --------------------------------------------------------------------------------------


def _phrase_regex(phrase: str) -> str:
    out = []
    for word in phrase.split():
        out.append(re.escape(word).replace("'", r"'\s*"))
    body = r"\s+".join(out).replace(r"'\s*\s+", r"'\s*")
    return body if phrase.endswith("'") or not phrase[-1].isalnum() else body + r"(?!\w)"


def words(*phrases: str) -> pp.ParserElement:
    """Any of the phrases, case-insensitive, whole words, any spacing between words."""
    ordered = sorted(phrases, key=len, reverse=True)
    element = pp.Regex("|".join(f"(?:{_phrase_regex(p)})" for p in ordered), flags=re.IGNORECASE)
    return element.set_name(" | ".join(f"«{p}»" for p in phrases))


def opt(*phrases: str) -> pp.ParserElement:
    return pp.Opt(words(*phrases)).suppress()


def fail(loc: int, message: str) -> pp.ParseException:
    return pp.ParseException("", loc, message)


def first(s: str, loc: int, toks: pp.ParseResults) -> object:
    """The action that keeps a match's first token."""
    return toks[0]


# --- numbers and quantities ---------------------------------------------------------------------

DIGITS = (
    pp.Regex(r"\d{1,4}(?![\w/:])").set_parse_action(lambda s, loc, t: int(t[0])).set_name("digits")
)
NUMBER_WORD = "|".join(sorted(lexicon.NUMBER_WORDS, key=len, reverse=True))
#: a run of number words (« vingt-quatre », « trente et un »), read by text2num
WORDS_RUN = rf"(?:{NUMBER_WORD})(?:(?:\s+|-)(?:{NUMBER_WORD}|et(?=[\s-]+une?\b)))*"
NUMBER_IN_WORDS = pp.Regex(rf"{WORDS_RUN}(?!\w)", flags=re.IGNORECASE).set_name("number in words")


def _number_words(s: str, loc: int, toks: pp.ParseResults) -> int:
    value = lexicon.number_in_words(toks[0])
    if value is None:
        raise fail(loc, "not a number")
    return value


NUMBER_IN_WORDS.set_parse_action(_number_words)
NUMBER = (DIGITS | NUMBER_IN_WORDS).set_name("number")
_UNIT_WORD = "|".join(sorted(lexicon.UNIT_WORDS, key=len, reverse=True))
UNIT = pp.Regex(rf"(?:{_UNIT_WORD})(?!\w)", flags=re.IGNORECASE).set_name("unit")
QUANTITY = (
    (NUMBER + UNIT)
    .set_parse_action(lambda s, loc, t: Quantity(int(t[0]), t[1].lower()))
    .set_name("quantity")
)

# --- clock times: 9h, 9 h 00, 09h30, 9:30, 14 heures 30, midi, minuit, quatorze heures trente ----

TIME_IN_DIGITS = pp.Regex(
    r"(?P<h>\d{1,2})\s*(?:h|heures?)(?:\s*(?P<m>\d{2}))?(?!\w)"
    r"|(?P<h2>\d{1,2}):(?P<m2>\d{2})(?!\w)|(?P<word>midi|minuit)(?!\w)",
    flags=re.IGNORECASE,
).set_name("time in digits")
TIME_IN_WORDS = pp.Regex(
    rf"(?P<wh>{WORDS_RUN})\s+heures?(?:\s+(?P<wm>{WORDS_RUN})(?!\s+(?:{_UNIT_WORD})(?!\w)))?(?!\w)",
    flags=re.IGNORECASE,
).set_name("time in words")


def _clock(text: str, hour: int, minute: int) -> dt.time:
    if hour > 23 or minute > 59:
        raise SentenceError(f"impossible time {text!r}")
    return dt.time(hour, minute)


def _time_in_digits(s: str, loc: int, toks: pp.ParseResults) -> dt.time:
    if toks.get("word"):
        return dt.time(12) if toks["word"].lower() == "midi" else dt.time(0)
    hour = int(toks.get("h") or toks.get("h2"))
    return _clock(toks[0], hour, int(toks.get("m") or toks.get("m2") or 0))


def _time_in_words(s: str, loc: int, toks: pp.ParseResults) -> dt.time:
    hour = lexicon.number_in_words(toks["wh"])
    minute = lexicon.number_in_words(toks["wm"]) if toks.get("wm") else 0
    if hour is None or minute is None:
        raise fail(loc, "not a time in words")
    return _clock(toks[0], hour, minute)


TIME_IN_DIGITS.set_parse_action(_time_in_digits)
TIME_IN_WORDS.set_parse_action(_time_in_words)
TIME = (TIME_IN_DIGITS | TIME_IN_WORDS).set_name("time")

# --- parts of the day, days, months -------------------------------------------------------------

PERIODS = {
    "toute la journée": "all_day",
    "la journée": "all_day",
    "l'après-midi": "afternoon",
    "après-midi": "afternoon",
    "en après-midi": "afternoon",
    "le matin": "morning",
    "matin": "morning",
    "en matinée": "morning",
    "matinée": "morning",
}
PERIOD = words(*PERIODS).set_parse_action(
    lambda s, loc, t: Period(PERIODS[lexicon.reading_form(t[0]).lower()])
)


def weekday_of(name: str) -> str:
    """« lundi », « Lundis » -> "monday"."""
    name = name.lower()
    return lexicon.WEEKDAYS.get(name) or lexicon.WEEKDAYS[name.removesuffix("s")]


#: a day name as written (singular or plural, any case)
DAY_NAME = pp.Regex(lexicon.day_pattern() + r"(?!\w)", flags=re.IGNORECASE).set_name("day name")
#: a day name read as its weekday value
DAY = DAY_NAME.copy().set_parse_action(lambda s, loc, t: weekday_of(t[0])).set_name("day")
MONTH = (
    pp.Regex(lexicon.month_pattern() + r"(?!\w)", flags=re.IGNORECASE)
    .set_parse_action(lambda s, loc, t: lexicon.MONTHS[t[0].lower().rstrip(".")])
    .set_name("month")
)
#: the start of a number: digits or a number word (for guards)
NUMBER_START = rf"\d|(?:{NUMBER_WORD})(?![^\s-])"
