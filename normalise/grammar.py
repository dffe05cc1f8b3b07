"""The grammar of the table's scheduling language, defined once, with pyparsing.

A sentence is read as a sequence of *phrases* (a day spec, an hour range, a visibility, a phone
number, a closure…) and *filler words* (``lexicon.FILLER_WORDS``). The grammar is a PEG: at each
word the phrases are tried first, in order, then the fillers; ``read_sentence`` succeeds only when
every word of the sentence is consumed. A word that is neither part of a phrase nor a filler (a
qualifier such as « sauf », « environ », « pour ») makes the sentence unreadable, which the caller
turns into a refusal when the sentence holds a fact (see ``normalise/detector.py``).

Each phrase comes back as a small typed value (``Days``, ``HourRange``, ``Visibility``…). What a
phrase *means* in its sentence (a release time or an opening time…) is decided in
``normalise/statements.py``, not here.

To read a new wording: add or extend one phrase below and one line in
``tests/fixtures/phrasings.tsv``.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from dataclasses import dataclass

import phonenumbers
import pyparsing as pp

from core.errors import NormaliseError
from normalise import lexicon


class SentenceError(NormaliseError):
    """A phrase was recognised but states an impossible or ambiguous value (31/02, 25h, a date
    without a year, a weekday that does not match its date)."""


# --- the values phrases return ------------------------------------------------------------------


@dataclass(frozen=True)
class Head:
    """A word that says what the sentence is about: slot_release, walk_in, opening_hours."""

    kind: str


@dataclass(frozen=True)
class ChannelMark:
    """How one books: online_form, online_booking, online_application, email, walk_in, phone;
    or ``site`` (the prefecture's site) and ``inbox`` (a form's mailbox), with their link."""

    kind: str
    url: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class Days:
    weekdays: tuple[str, ...]  # week order, no repeats
    recurring: bool  # « chaque », « tous les », « le », « les », a range
    periods: tuple[str, ...]  # the parts of the day attached to the days (may differ)


@dataclass(frozen=True)
class Period:
    period: str


@dataclass(frozen=True)
class Time:
    how: str  # "at" (« à 14h »), "from" (« à partir de 14h »), "until" (« jusqu'à 16h »)
    value: dt.time


@dataclass(frozen=True)
class HourRange:
    start: dt.time
    end: dt.time


@dataclass(frozen=True)
class Weekly:
    pass


@dataclass(frozen=True)
class Quantity:
    value: int
    unit: str  # the unit word as written (« semaines », « places »)


@dataclass(frozen=True)
class Visibility:
    quantity: Quantity


@dataclass(frozen=True)
class Capacity:
    quantity: Quantity


@dataclass(frozen=True)
class Phone:
    e164: str


@dataclass(frozen=True)
class Email:
    address: str


@dataclass(frozen=True)
class Url:
    url: str


@dataclass(frozen=True)
class Validity:
    valid_from: dt.date | None
    valid_until: dt.date | None


@dataclass(frozen=True)
class Closure:
    closed_from: dt.date
    closed_until: dt.date


@dataclass(frozen=True)
class _PartialDate:
    day: int
    month: int | None
    year: int | None
    weekday: str | None
    text: str


Phrase = (
    Head
    | ChannelMark
    | Days
    | Period
    | Time
    | HourRange
    | Weekly
    | Visibility
    | Capacity
    | Phone
    | Email
    | Url
    | Validity
    | Closure
)

# --- building blocks ----------------------------------------------------------------------------


def _phrase_regex(phrase: str) -> str:
    out = []
    for word in phrase.split():
        out.append(re.escape(word).replace("'", r"'\s*"))
    body = r"\s+".join(out).replace(r"'\s*\s+", r"'\s*")
    return body if phrase.endswith("'") else body + r"(?!\w)"


def words(*phrases: str) -> pp.Regex:
    """Any of the phrases, case-insensitive, whole words, any spacing between words."""
    ordered = sorted(phrases, key=len, reverse=True)
    return pp.Regex("|".join(f"(?:{_phrase_regex(p)})" for p in ordered), flags=re.IGNORECASE)


def opt(*phrases: str) -> pp.ParserElement:
    return pp.Opt(words(*phrases)).suppress()


def _fail(loc: int, message: str) -> pp.ParseException:
    return pp.ParseException("", loc, message)


# numbers: digits, or words that text2num reads as one number
DIGITS = pp.Regex(r"\d{1,4}(?![\w/:])").set_parse_action(lambda t: int(t[0]))
_number_word = "|".join(sorted(lexicon.NUMBER_WORDS, key=len, reverse=True))
NUMBER_IN_WORDS = pp.Regex(
    rf"(?:{_number_word})(?:(?:\s+|-)(?:{_number_word}|et(?=[\s-])))*(?!\w)", flags=re.IGNORECASE
)


def _number_words(s: str, loc: int, toks: pp.ParseResults) -> int:
    value = lexicon.number_in_words(toks[0])
    if value is None:
        raise _fail(loc, "not a number")
    return value


NUMBER_IN_WORDS.set_parse_action(_number_words)
NUMBER = DIGITS | NUMBER_IN_WORDS
UNIT = pp.Regex(
    "|".join(sorted(lexicon.UNIT_WORDS, key=len, reverse=True)) + r"(?!\w)", flags=re.IGNORECASE
)
QUANTITY = (NUMBER + UNIT).set_parse_action(lambda t: Quantity(int(t[0]), t[1].lower()))

# times: 9h, 9 h 00, 09h30, 9:30, 14 heures, midi, minuit
TIME_VALUE = pp.Regex(
    r"(?P<h>\d{1,2})\s*(?:h|heures?)(?:\s*(?P<m>\d{2}))?(?!\w)"
    r"|(?P<h2>\d{1,2}):(?P<m2>\d{2})(?!\w)|(?P<word>midi|minuit)(?!\w)",
    flags=re.IGNORECASE,
)


def _time(s: str, loc: int, toks: pp.ParseResults) -> dt.time:
    if toks.get("word"):
        return dt.time(12) if toks["word"].lower() == "midi" else dt.time(0)
    hour = int(toks.get("h") or toks.get("h2"))
    minute = int(toks.get("m") or toks.get("m2") or 0)
    if hour > 23 or minute > 59:
        raise SentenceError(f"impossible time {toks[0]!r}")
    return dt.time(hour, minute)


TIME_VALUE.set_parse_action(_time)

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
    lambda t: Period(PERIODS[lexicon.reading_form(t[0]).lower()])
)

DAY = pp.Regex(lexicon.day_pattern() + r"(?!\w)", flags=re.IGNORECASE).set_parse_action(
    lambda t: (
        lexicon.WEEKDAYS[t[0].lower().removesuffix("s")]
        if t[0].lower() not in lexicon.WEEKDAYS
        else lexicon.WEEKDAYS[t[0].lower()]
    )
)
MONTH = pp.Regex(lexicon.month_pattern() + r"(?!\w)", flags=re.IGNORECASE).set_parse_action(
    lambda t: lexicon.MONTHS[t[0].lower().rstrip(".")]
)

# --- days ---------------------------------------------------------------------------------------


def _in_week_order(days: list[str]) -> tuple[str, ...]:
    return tuple(d for d in lexicon.WEEKDAY_VALUES if d in days)


def _day_span(first: str, last: str) -> list[str]:
    order = lexicon.WEEKDAY_VALUES
    i, j = order.index(first), order.index(last)
    return [order[(i + k) % 7] for k in range((j - i) % 7 + 1)]


DAY_ITEM = pp.Group(opt("le", "les") + DAY + pp.Opt(PERIOD))
DAY_LIST = pp.Group(DAY_ITEM + pp.ZeroOrMore(pp.Suppress(words("et", ",", ", et")) + DAY_ITEM))
DAY_RANGE = pp.Group(
    words("du", "de").suppress() + DAY + words("au", "à").suppress() + DAY + pp.Opt(PERIOD)
)("range")
RECURRING = words("chaque", "tous les", "toutes les", "les", "le")("recurring")
EXCEPT = words("sauf le", "sauf les", "sauf").suppress() + DAY_LIST("except")
DAY_SPEC = pp.Opt(RECURRING) + (DAY_RANGE | DAY_LIST("list")) + pp.Opt(EXCEPT)


def _days(s: str, loc: int, toks: pp.ParseResults) -> Days:
    periods: list[str] = []
    if "range" in toks:
        found = toks["range"]
        days = _day_span(found[0], found[1])
        periods += [p.period for p in found[2:]]
    else:
        days = []
        for item in toks["list"]:
            days.append(item[0])
            periods += [p.period for p in item[1:]]
    if "except" in toks:
        removed = {item[0] for item in toks["except"]}
        days = [d for d in days if d not in removed]
        if not days:
            raise SentenceError("every day named is excepted")
    recurring = "recurring" in toks or "range" in toks
    return Days(_in_week_order(days), recurring, tuple(periods))


DAY_SPEC.set_parse_action(_days)
WEEKLY = words(
    "de semaine en semaine", "chaque semaine", "toutes les semaines", "hebdomadaire"
).set_parse_action(lambda: Weekly())

# --- times --------------------------------------------------------------------------------------

HOUR_RANGE = (
    (words("de").suppress() + TIME_VALUE + words("à", "jusqu'à").suppress() + TIME_VALUE)
    | (words("entre").suppress() + TIME_VALUE + words("et").suppress() + TIME_VALUE)
    | (TIME_VALUE + pp.Suppress(pp.Regex(r"[-–—]|à(?!\w)")) + TIME_VALUE)
)


def _hour_range(s: str, loc: int, toks: pp.ParseResults) -> HourRange:
    start, end = toks[0], toks[1]
    if not start < end and end != dt.time(0):
        raise SentenceError(f"hour range ends before it starts in {s[loc:].strip()[:40]!r}")
    return HourRange(start, end)


HOUR_RANGE.set_parse_action(_hour_range)
TIME_PHRASE = (
    (words("à partir de", "dès", "à compter de").suppress() + TIME_VALUE).set_parse_action(
        lambda t: Time("from", t[0])
    )
    | (words("jusqu'à").suppress() + TIME_VALUE).set_parse_action(lambda t: Time("until", t[0]))
    | (opt("à") + TIME_VALUE).set_parse_action(lambda t: Time("at", t[0]))
)

# --- dates --------------------------------------------------------------------------------------

NUMERIC_DATE = pp.Regex(r"(?P<d>\d{1,2})[/.](?P<m>\d{1,2})(?:[/.](?P<y>\d{2,4}))?(?![\w/])")


def _numeric_date(s: str, loc: int, toks: pp.ParseResults) -> _PartialDate:
    year = toks.get("y")
    if year is not None and len(year) != 4:
        raise SentenceError(f"the year of {toks[0]!r} is not written in full")
    return _PartialDate(int(toks["d"]), int(toks["m"]), int(year) if year else None, None, toks[0])


NUMERIC_DATE.set_parse_action(_numeric_date)
DAY_OF_MONTH = (
    pp.Regex(r"1\s?er(?!\w)|premier(?!\w)", flags=re.IGNORECASE).set_parse_action(lambda: 1)
    | DIGITS
    | NUMBER_IN_WORDS
)
YEAR = pp.Regex(r"\d{4}(?!\w)").set_parse_action(lambda t: int(t[0]))


def _words_date(s: str, loc: int, toks: pp.ParseResults) -> _PartialDate:
    text = s[loc:].split(None, 6)
    return _PartialDate(
        toks["day"],
        toks.get("month"),
        toks.get("year"),
        toks.get("weekday"),
        " ".join(text[:4]),
    )


WORDS_DATE = (
    pp.Opt(DAY)("weekday") + DAY_OF_MONTH("day") + pp.Opt(MONTH("month") + pp.Opt(YEAR("year")))
).set_parse_action(_words_date)
DATE = NUMERIC_DATE | WORDS_DATE


def _complete(date: _PartialDate, month: int | None = None, year: int | None = None) -> dt.date:
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


def _range(first: _PartialDate, last: _PartialDate) -> tuple[dt.date, dt.date]:
    """« du 21 décembre au 3 janvier 2021 »: the year (and month) given once, at the end; a
    range may cross the year."""
    end = _complete(last)
    year = first.year
    if year is None:  # the year of the end, or the one before when the range crosses it
        later = (first.month or end.month, first.day) > (end.month, end.day)
        year = end.year - 1 if later and first.month is not None else end.year
    start = _complete(first, end.month, year)
    if start > end:
        raise SentenceError(f"the period ends before it starts: {first.text!r} after {last.text!r}")
    return start, end


DATE_RANGE = (
    words("du", "entre le").suppress() + DATE + words("au", "et le", "jusqu'au").suppress() + DATE
).set_parse_action(lambda t: [_range(t[0], t[1])])
CLOSURE = (
    words(
        "fermé",
        "fermée",
        "fermés",
        "fermées",
        "fermeture",
        "fermeture exceptionnelle",
        "sera fermé",
        "sera fermée",
        "est fermé",
        "est fermée",
    ).suppress()
    + (
        DATE_RANGE
        | (words("le").suppress() + DATE).set_parse_action(
            lambda t: [(_complete(t[0]), _complete(t[0]))]
        )
    )
).set_parse_action(lambda t: Closure(*t[0]))
VALIDITY = (
    (words("jusqu'au", "jusqu'à", "jusqu'au et y compris le").suppress() + DATE).set_parse_action(
        lambda t: Validity(None, _complete(t[0]))
    )
    | (
        words("à partir du", "depuis le", "dès le", "à compter du").suppress() + DATE
    ).set_parse_action(lambda t: Validity(_complete(t[0]), None))
    | DATE_RANGE.copy().add_parse_action(lambda t: Validity(*t[0]))
)

# --- contacts and links -------------------------------------------------------------------------

PHONE_NUMBER = pp.Regex(r"(?:\+33\s?(?:\(0\)\s?)?[1-9]|0[1-9])(?:[\s.-]?\d{2}){4}(?!\d)")


def _phone(s: str, loc: int, toks: pp.ParseResults) -> Phone:
    number = phonenumbers.parse(toks[0], "FR")
    if not phonenumbers.is_valid_number(number):
        raise SentenceError(f"{toks[0]!r} is not a valid phone number")
    return Phone(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


PHONE_NUMBER.set_parse_action(_phone)
EMAIL = pp.Regex(
    r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
).set_parse_action(lambda t: t[0])
URL = pp.Regex(r"https?://\S+?(?=[.,;:!?)»]*(?:\s|$))", flags=re.IGNORECASE).set_parse_action(
    lambda t: t[0]
)
_COLON = pp.Opt(pp.Regex(r"[:→>]")).suppress()


def _mark(kind: str, what: str | None = None):
    def action(t: pp.ParseResults) -> ChannelMark:
        value = t[0] if what else None
        return ChannelMark(
            kind, url=value if what == "url" else None, email=value if what == "email" else None
        )

    return action


SITE = (
    words(
        "lien accessible via le site internet de la préfecture",
        "site internet de la préfecture",
        "site de la préfecture",
    ).suppress()
    + _COLON
    + URL
).set_parse_action(_mark("site", "url"))
BOOKING = (
    words(
        "choix d'un créneau via le lien",
        "choix d'un créneau via",
        "choix d'un créneau sur",
        "via le lien",
        "via ce lien",
        "réservation en ligne sur",
        "prise de rendez-vous en ligne sur",
        "prendre rendez-vous sur",
        "prendre rendez-vous en ligne sur",
    ).suppress()
    + _COLON
    + URL
).set_parse_action(_mark("online_booking", "url"))
APPLICATION = (
    words("se fait en ligne", "dépôt en ligne sur", "se fait en ligne sur").suppress()
    + _COLON
    + URL
).set_parse_action(_mark("online_application", "url"))
EMAIL_CHANNEL = (
    words(
        "envoi d'un mail à",
        "envoi d'un courriel à",
        "envoi d'un e-mail à",
        "par mail à",
        "par courriel à",
        "par e-mail à",
        "par mail",
        "par courriel",
        "par e-mail",
    ).suppress()
    + _COLON
    + EMAIL
).set_parse_action(_mark("email", "email"))
INBOX = (
    words(
        "envoyé à la boîte",
        "envoyée à la boîte",
        "envoyé à l'adresse",
        "envoyée à l'adresse",
    ).suppress()
    + _COLON
    + EMAIL
).set_parse_action(_mark("inbox", "email"))
FORM = words("formulaire à remplir", "formulaire à compléter").set_parse_action(
    _mark("online_form")
)
PHONE_CHANNEL = (
    words("par téléphone", "accueil téléphonique", "permanence téléphonique").suppress()
    + opt("au", ":")
    + pp.Opt(PHONE_NUMBER)
).set_parse_action(lambda t: [ChannelMark("phone"), Head("opening_hours"), *t])
WALK_IN = words(
    "accueil du public sans rendez-vous", "accueil sans rendez-vous", "sans rendez-vous"
).set_parse_action(lambda: [ChannelMark("walk_in"), Head("walk_in")])

# --- what a sentence is about -------------------------------------------------------------------

_SLOTS = words("créneaux", "rendez-vous", "créneaux de rendez-vous", "plages")
RELEASE = (
    # « ouverture des (nouveaux) créneaux », « mise en ligne des créneaux »
    (words("ouverture des", "mise en ligne des") + opt("nouveaux", "nouvelles") + _SLOTS)
    # « (les) (nouveaux) créneaux (sont) ouverts|mis en ligne|publiés|libérés », « … ouvrent »
    | (
        opt("les nouveaux", "les nouvelles", "les", "nouveaux", "nouvelles")
        + _SLOTS
        + opt("sont", "seront")
        + words(
            "ouverts", "ouvertes", "ouvrent", "mis en ligne", "mises en ligne", "publiés", "libérés"
        )
    )
    | words("nouveaux créneaux")
).set_parse_action(lambda: Head("slot_release"))
VISIBILITY = (
    (
        words("visibilité", "visibles", "visible").suppress()
        + opt("à", "de", "sur", ":", "pendant")
        + QUANTITY
        + opt("à l'avance")
    )
    | (words("à", "jusqu'à", "sur").suppress() + QUANTITY + words("à l'avance").suppress())
).set_parse_action(lambda t: Visibility(t[0]))
CAPACITY = (
    (
        words("dans la limite de", "dans la limite des", "limité à", "limitée à").suppress()
        + QUANTITY
        + opt("disponibles", "disponible")
    )
    | (QUANTITY + words("disponibles", "disponible").suppress())
).set_parse_action(lambda t: Capacity(t[0]))
OPENING = words(
    "horaires d'ouverture",
    "horaires",
    "ouvert au public",
    "ouverte au public",
    "accueil du public",
    "accueil",
    "guichet ouvert",
    "permanence",
).set_parse_action(lambda: Head("opening_hours"))

FILLER = pp.Regex(
    "|".join(
        re.escape(w) + ("" if w.endswith("'") else r"(?!\w)")
        for w in sorted(lexicon.FILLER_WORDS | {"contact"}, key=len, reverse=True)
    )
    + "|["
    + re.escape(lexicon.SEPARATORS)
    + "]+",
    flags=re.IGNORECASE,
).suppress()


class Guarded(pp.Token):
    """PEG ordered choice where each alternative is tried only when the text at hand starts
    like it (a cheap regex): the same result as ``pp.MatchFirst``, several times faster. A guard
    can only skip an alternative, never add one, so a wrong guard refuses; it cannot misread."""

    def __init__(self, alternatives: list[tuple[str, pp.ParserElement]]) -> None:
        super().__init__()
        self.alternatives = [
            (re.compile(rf"(?:{start})", re.IGNORECASE), element.streamline())
            for start, element in alternatives
        ]
        self.mayReturnEmpty = False
        self.errmsg = "no phrase or filler word here"

    def parseImpl(self, instring: str, loc: int, do_actions: bool = True):  # type: ignore[override]
        for start, element in self.alternatives:
            if start.match(instring, loc):
                try:
                    return element._parse(instring, loc, do_actions)
                except pp.ParseException:
                    continue
        raise pp.ParseException(instring, loc, self.errmsg, self)


_DAY_START = lexicon.day_pattern()
_NUMBER_START = rf"\d|{_number_word}"
ITEM = Guarded(
    [
        ("ferm", CLOSURE),
        (r"jusqu|à partir|depuis|dès le|à compter|du\s|entre le", VALIDITY),
        (r"lien accessible|site\s", SITE),
        (r"choix|via|réservation|prise de|prendre", BOOKING),
        (r"se fait|dépôt en ligne", APPLICATION),
        (r"envoi|par\s", EMAIL_CHANNEL),
        ("envoy", INBOX),
        ("formulaire", FORM),
        (r"par\s+t|accueil\s+t|permanence\s+t", PHONE_CHANNEL),
        ("accueil|sans", WALK_IN),
        ("ouverture|mise|nouve|créneaux|rendez-vous|plages|les\\s", RELEASE),
        (r"visib|à\s|jusqu|sur\s", VISIBILITY),
        (rf"dans|limit|{_NUMBER_START}", CAPACITY),
        ("horaires|ouvert|accueil|guichet|permanence", OPENING),
        ("de semaine|chaque|toutes|hebdo", WEEKLY),
        (rf"chaque|tous|toutes|les?\s|du\s|de\s|{_DAY_START}", DAY_SPEC),
        (r"de\s|entre|\d", HOUR_RANGE),
        (r"à|dès|jusqu|\d|midi|minuit", TIME_PHRASE),
        ("toute|la journée|l'|après|le matin|matin|en m|en a", PERIOD),
        (r"\+|0", PHONE_NUMBER),
        (r"[\w.%+-]+@", EMAIL.copy().set_parse_action(lambda t: Email(t[0]))),
        ("http", URL.copy().set_parse_action(lambda t: Url(t[0]))),
        (".", FILLER),
    ]
)
SENTENCE = pp.ZeroOrMore(ITEM) + pp.StringEnd()
#: one sentence parsed at a time: pyparsing keeps per-element state (the arity of a parse action,
#: found by trial at its first call; streamlining) that threads racing would corrupt for good
_PARSING = threading.Lock()


class Unread(Exception):
    """The sentence is not read whole; ``word`` is where reading stopped."""

    def __init__(self, word: str) -> None:
        super().__init__(word)
        self.word = word


def read_sentence(text: str) -> list[Phrase]:
    """The phrases of a sentence (fillers dropped), or ``Unread`` naming the first word that
    no phrase and no filler consumes. ``SentenceError`` when a phrase states an impossible or
    ambiguous value."""
    reading = lexicon.reading_form(text)
    try:
        with _PARSING:  # pyparsing is not thread-safe (pyparsing issue #89)
            return list(SENTENCE.parse_string(reading, parse_all=True))
    except pp.ParseException as exc:
        rest = exc.line[exc.col - 1 :] if exc.line else ""
        raise Unread(" ".join(rest.split()[:3]) or text) from None
