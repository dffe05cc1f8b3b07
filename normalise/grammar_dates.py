"""The phrases of calendar dates: closures (one day, several days, a period, open-ended), the day
a place reopens, and validity (« jusqu'au … », « à partir du … », « ouverte à partir du … »).
Each is declared with its guard (``phrase``)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

import pyparsing as pp

from normalise import lexicon
from normalise.grammar_values import Closure, Reopening, SentenceError, Validity
from normalise.grammar_words import DAY, MONTH, NUMBER_IN_WORDS, opt, phrase, words


@dataclass(frozen=True)
class PartialDate:
    """A date as written: the month and the year may be left to a later date of the phrase."""

    day: int
    month: int | None
    year: int | None
    weekday: str | None
    text: str


NUMERIC_DATE = pp.Regex(
    r"(?P<d>\d{1,2})[/.](?P<m>\d{1,2})(?:[/.](?P<y>\d{2,4}))?(?![\w/])"
).set_name("numeric date")


def _numeric_date(s: str, loc: int, toks: pp.ParseResults) -> PartialDate:
    year = toks.get("y")
    if year is not None and len(year) != 4:
        raise SentenceError(f"the year of {toks[0]!r} is not written in full")
    return PartialDate(int(toks["d"]), int(toks["m"]), int(year) if year else None, None, toks[0])


NUMERIC_DATE.set_parse_action(_numeric_date)
#: a day of the month, never a clock time (« jusqu'à 16 h » is not the 16th)
DAY_OF_MONTH = (
    pp.Regex(r"1\s?er(?!\w)|premier(?!\w)", flags=re.IGNORECASE).set_parse_action(
        lambda s, loc, t: 1
    )
    | pp.Regex(r"\d{1,2}(?![\w/:])").set_parse_action(lambda s, loc, t: int(t[0]))
    | NUMBER_IN_WORDS
).set_name("day of the month")
NOT_AN_HOUR = (~words("h", "heure", "heures")).set_name("not an hour")
YEAR = pp.Regex(r"\d{4}(?!\w)").set_parse_action(lambda s, loc, t: int(t[0])).set_name("year")


def _date(s: str, loc: int, toks: pp.ParseResults) -> PartialDate:
    weekday = toks.get("weekday")
    if "numeric" in toks:
        return replace(toks["numeric"], weekday=weekday)
    text = " ".join(s[loc:].split(None, 6)[:4])
    return PartialDate(toks["day"], toks.get("month"), toks.get("year"), weekday, text)


DATE = (
    pp.Opt(DAY("weekday"))
    + (
        NUMERIC_DATE("numeric")
        | DAY_OF_MONTH("day") + NOT_AN_HOUR + pp.Opt(MONTH("month") + pp.Opt(YEAR("year")))
    )
).set_parse_action(_date)
DATE.set_name("date")


def complete(date: PartialDate, month: int | None = None, year: int | None = None) -> dt.date:
    month = date.month or month
    year = date.year or year
    if month is None or year is None:
        raise SentenceError(f"the date {date.text!r} has no {'month' if month is None else 'year'}")
    try:
        value = dt.date(year, month, date.day)
    except ValueError:
        raise SentenceError(f"impossible date {date.text!r}") from None
    if date.weekday and lexicon.WEEKDAY_VALUES[value.weekday()] != date.weekday:
        raise SentenceError(
            f"{lexicon.DAY_NAMES_FR[date.weekday]} does not fall on {value.isoformat()}"
        )
    return value


def _range(first: PartialDate, last: PartialDate) -> tuple[dt.date, dt.date]:
    """« du 21 décembre au 3 janvier 2021 »: the year (and month) given once, at the end; a
    range may cross the year."""
    end = complete(last)
    year = first.year
    if year is None:  # the year of the end, or the one before when the range crosses it
        later = (first.month or end.month, first.day) > (end.month, end.day)
        year = end.year - 1 if later and first.month is not None else end.year
    start = complete(first, end.month, year)
    if start > end:
        raise SentenceError(f"the period ends before it starts: {first.text!r} after {last.text!r}")
    return start, end


def _list(s: str, loc: int, toks: pp.ParseResults) -> list[dt.date]:
    """« les 24, 26 et 31 décembre 2020 »: each date takes the month and year of the next."""
    out: list[dt.date] = []
    month = year = None
    for date in reversed(list(toks)):
        value = complete(date, month, year)
        month, year = value.month, value.year
        out.insert(0, value)
    return out


DATE_RANGE = (
    words("du", "entre le").suppress() + DATE + words("au", "et le", "jusqu'au").suppress() + DATE
).set_parse_action(lambda s, loc, t: [_range(t[0], t[1])])
DATE_RANGE.set_name("date range")
AND = words(", et", ",", "et").suppress().set_name("and")
DATE_LIST = (opt("les", "le") + DATE + pp.ZeroOrMore(AND + opt("le") + DATE)).set_parse_action(
    _list
)
DATE_LIST.set_name("date list")
SINCE = words("à compter du", "à partir du", "depuis le", "dès le").suppress().set_name("since")
FURTHER_NOTICE = opt("jusqu'à nouvel ordre", "jusqu'à nouvel avis").set_name("further notice")

# --- closures -----------------------------------------------------------------------------------

CLOSED = words(
    "fermé",
    "fermée",
    "fermés",
    "fermées",
    "fermé exceptionnellement",
    "fermée exceptionnellement",
    "fermeture",
    "fermeture exceptionnelle",
    "sera fermé",
    "sera fermée",
    "est fermé",
    "est fermée",
).suppress()
CLOSED.set_name("closed")
CLOSED_ITEM = (
    (SINCE + DATE + FURTHER_NOTICE).set_parse_action(
        lambda s, loc, t: Closure(complete(t[0]), None)
    )
    | DATE_RANGE.copy().add_parse_action(lambda s, loc, t: Closure(*t[0]))
    | DATE_LIST.copy().add_parse_action(lambda s, loc, t: [Closure(d, d) for d in t])
).set_name("closed days")
REOPEN = words(
    "réouverture", "réouverture prévue", "réouverture au public", "rouvrira", "réouvrira"
).suppress()
REOPEN.set_name("reopen")


@dataclass(frozen=True)
class _Reopen:
    next_day: bool
    date: PartialDate | None


REOPENING_TAIL = (
    pp.Opt(words(",", ";", "et")).suppress()
    + REOPEN
    + opt("le")
    + (
        words("lendemain").set_parse_action(lambda s, loc, t: _Reopen(True, None))
        | DATE.copy().add_parse_action(lambda s, loc, t: _Reopen(False, t[0]))
    )
).set_name("reopening")


def _closure(s: str, loc: int, toks: pp.ParseResults) -> list[Closure | Reopening]:
    """The closures, then the reopening: « le lendemain » is the day after the last closure; a
    reopening date without a year takes the last closure's."""
    closures = [t for t in toks if isinstance(t, Closure)]
    out: list[Closure | Reopening] = list(closures)
    reopen = next((t for t in toks if isinstance(t, _Reopen)), None)
    if reopen is None:
        return out
    last = closures[-1].closed_until
    if last is None:
        raise SentenceError("a reopening after a closure said to last until further notice")
    if reopen.next_day or reopen.date is None:
        return [*out, Reopening(last + dt.timedelta(days=1))]
    date = complete(reopen.date, last.month, last.year)
    if date <= last:
        raise SentenceError(f"the place reopens on {date.isoformat()}, before the closure ends")
    return [*out, Reopening(date)]


CLOSURE = phrase(
    "closure",
    r"ferm|(?:sera|est)\s+ferm",
    (CLOSED + CLOSED_ITEM + pp.ZeroOrMore(AND + CLOSED_ITEM) + pp.Opt(REOPENING_TAIL)),
)
CLOSURE.element.set_parse_action(_closure)
REOPENING = phrase(
    "reopening",
    r"r[ée]?ouv|rouvr",
    (REOPEN + opt("le") + DATE).set_parse_action(lambda s, loc, t: Reopening(complete(t[0]))),
)

# --- validity -----------------------------------------------------------------------------------

VALID_FROM = (
    (SINCE + DATE + FURTHER_NOTICE)
    .set_parse_action(lambda s, loc, t: Validity(complete(t[0]), None))
    .set_name("valid from")
)
VALIDITY = phrase(
    "validity",
    r"jusqu|à partir|depuis|dès le|à compter|du\s|entre le",
    (words("jusqu'au", "jusqu'à", "jusqu'au et y compris le").suppress() + DATE).set_parse_action(
        lambda s, loc, t: Validity(None, complete(t[0]))
    )
    | VALID_FROM
    | DATE_RANGE.copy().add_parse_action(lambda s, loc, t: Validity(*t[0])),
)
OPENS = phrase(
    "opens from",
    r"ouv|sera\s+ouv",
    words(
        "ouvert", "ouverte", "ouverts", "ouvertes", "sera ouvert", "sera ouverte", "ouvrira"
    ).suppress()
    + VALID_FROM.copy(),
)
