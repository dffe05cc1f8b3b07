"""The phrases of days and hours: day specs, hour ranges, single times, parts of the day, the
weekly rhythm, « 24h/24 » and « 7j/7 ». Each is declared with its guard (``phrase``)."""

from __future__ import annotations

import datetime as dt
import re

import pyparsing as pp

from normalise import lexicon
from normalise.grammar_values import Days, HourRange, SentenceError, Time, Weekly
from normalise.grammar_words import (
    DAY,
    DAY_NAME,
    NUMBER_START,
    PERIOD,
    TIME,
    opt,
    phrase,
    weekday_of,
    words,
)

# --- days ---------------------------------------------------------------------------------------


def _in_week_order(days: list[str]) -> tuple[str, ...]:
    return tuple(d for d in lexicon.WEEKDAY_VALUES if d in days)


def _day_span(first: str, last: str) -> list[str]:
    order = lexicon.WEEKDAY_VALUES
    i, j = order.index(first), order.index(last)
    return [order[(i + k) % 7] for k in range((j - i) % 7 + 1)]


ARTICLE = words("le", "les")
DAY_ITEM = pp.Group(pp.Opt(ARTICLE("article")) + DAY_NAME("name") + pp.Opt(PERIOD("period")))
DAY_ITEM.set_name("day item")
DAY_LIST = pp.Group(DAY_ITEM + pp.ZeroOrMore(words(", et", ",", "et").suppress() + DAY_ITEM))
DAY_LIST.set_name("day list")
DAY_RANGE = pp.Group(
    (words("du", "de").suppress() + DAY + words("au", "à").suppress() + DAY + pp.Opt(PERIOD))
    | (
        words("entre").suppress()
        + opt("le")
        + DAY
        + words("et").suppress()
        + opt("le")
        + DAY
        + pp.Opt(PERIOD)
    )
).set_name("day range")
RECURRING = words("chaque", "tous les", "toutes les", "les", "le")
EXCEPT = (words("sauf le", "sauf les", "sauf").suppress() + DAY_LIST("except")).set_name(
    "except days"
)
DAY_SPEC = (
    pp.Opt(RECURRING("recurring"))
    + (DAY_RANGE("range") | DAY_LIST("list"))
    + pp.Opt(EXCEPT)
    + pp.Opt(pp.Literal(":")("colon"))
)


def _groups(items: pp.ParseResults) -> list[tuple[list[str], str | None, bool]]:
    """The items of a day list grouped by part of the day: items without one join the next item
    that has one (« les lundi et jeudi matin »); each group says whether an item of it was
    written with an article or in the plural."""
    groups: list[tuple[list[str], str | None, bool]] = []
    days: list[str] = []
    marked = False
    for item in items:
        days.append(weekday_of(item["name"]))
        marked = marked or bool(item.get("article")) or item["name"].lower().endswith("s")
        if item.get("period"):
            groups.append((days, item["period"].period, marked))
            days, marked = [], False
    if days:
        groups.append((days, None, marked))
    merged: list[tuple[list[str], str | None, bool]] = []
    for group in groups:  # « le lundi matin et le jeudi matin » is one group
        if merged and merged[-1][1] == group[1]:
            last = merged.pop()
            group = (last[0] + group[0], group[1], last[2] or group[2])
        merged.append(group)
    return merged


def _days(s: str, loc: int, toks: pp.ParseResults) -> list[Days]:
    recurring = bool(toks.get("recurring")) or bool(toks.get("colon"))
    if "range" in toks:
        found = toks["range"]
        period = found[2].period if len(found) > 2 else None
        groups = [(_day_span(found[0], found[1]), period, True)]
    else:
        groups = _groups(toks["list"])
    removed = {weekday_of(item["name"]) for item in toks.get("except", [])}
    out = []
    for days, period, marked in groups:
        kept = [d for d in days if d not in removed]
        if kept:
            periods = (period,) if period else ()
            out.append(Days(_in_week_order(kept), recurring or marked, periods))
    if not out:
        raise SentenceError("every day named is excepted")
    return out


DAY_SPEC.set_parse_action(_days)
_DAY_START = lexicon.day_pattern()
DAYS = phrase("days", rf"chaque|tous|toutes|les?\s|du\s|de\s|entre\s|{_DAY_START}", DAY_SPEC)
EVERY_DAY = phrase(
    "every day",
    r"7\s*j",
    pp.Regex(r"7\s*j(?:ours)?\s*(?:/|sur)\s*7(?!\w)", flags=re.IGNORECASE).set_parse_action(
        lambda s, loc, t: Days(lexicon.WEEKDAY_VALUES, True, ())
    ),
)
WEEKLY = phrase(
    "weekly",
    "de semaine|chaque|toutes|hebdo",
    words(
        "de semaine en semaine", "chaque semaine", "toutes les semaines", "hebdomadaire"
    ).set_parse_action(lambda s, loc, t: Weekly()),
)

# --- hours --------------------------------------------------------------------------------------

DASH = pp.Regex(r"[-–—]|à(?!\w)|jusqu'\s*à(?!\w)", flags=re.IGNORECASE).set_name("dash or à")
HOUR_SPAN = (
    (words("de").suppress() + TIME + DASH.suppress() + TIME)
    | (words("entre").suppress() + TIME + words("et").suppress() + TIME)
    | (TIME + DASH.suppress() + TIME)
)


def _hour_range(s: str, loc: int, toks: pp.ParseResults) -> HourRange:
    start, end = toks[0], toks[1]
    if not start < end and end != dt.time(0):
        raise SentenceError(f"hour range ends before it starts in {s[loc:].strip()[:40]!r}")
    return HourRange(start, end)


HOUR_SPAN.set_parse_action(_hour_range)
_TIME_START = rf"{NUMBER_START}|midi|minuit"
HOUR_RANGE = phrase("hour range", rf"de\s|entre\s|{_TIME_START}", HOUR_SPAN)
ROUND_THE_CLOCK = phrase(
    "round the clock",
    r"24\s*h",
    pp.Regex(r"24\s*h(?:eures)?\s*(?:/|sur)\s*24(?!\w)", flags=re.IGNORECASE).set_parse_action(
        lambda s, loc, t: HourRange(dt.time(0), dt.time(0))
    ),
)
TIME_PHRASE = phrase(
    "time",
    rf"à|dès|jusqu|{_TIME_START}",
    (words("à partir de", "dès", "à compter de").suppress() + TIME).set_parse_action(
        lambda s, loc, t: Time("from", t[0])
    )
    | (words("jusqu'à").suppress() + TIME).set_parse_action(lambda s, loc, t: Time("until", t[0]))
    | (opt("à") + TIME).set_parse_action(lambda s, loc, t: Time("at", t[0])),
)
PERIOD_PHRASE = phrase(
    "part of the day", "toute|la journée|l'|après|le matin|matin|en m|en a", PERIOD
)
