"""The grammar of the table's scheduling language, defined once, with pyparsing.

A sentence is read as a sequence of *phrases* (a day spec, an hour range, a visibility, a phone
number, a closure…) and *filler words* (``lexicon.FILLER_WORDS``). The grammar is a PEG: at each
word the phrases are tried first, in the order of ``PHRASES``, then the fillers; ``read_sentence``
succeeds only when every word of the sentence is consumed. A word that is neither part of a
phrase nor a filler (a qualifier such as « sauf », « environ », « pour ») makes the sentence
unreadable, which the caller turns into a refusal when the sentence holds a fact (see
``normalise/detector.py``).

Each phrase comes back as a small typed value (``Days``, ``HourRange``, ``Visibility``…, in
``normalise/grammar_values.py``), in sentence order. What a phrase *means* in its sentence (a
release time or an opening time…) is decided in ``normalise/statements.py``, not here.

The grammar (BNF; « » quote words, case-insensitive; [x] optional, {x} repeated, | first match)::

    sentence       ::= { phrase | filler }
    phrase         ::= closure | reopening | opens_from | validity | site | online_booking
                     | online_application | e_mail_channel | inbox | form | phone_channel
                     | walk_in | labelled_e_mail | round_the_clock | every_day | slot_release
                     | visibility | capacity | opening_hours | weekly | days | hour_range
                     | time | part_of_the_day | phone_number | e_mail | url
    -- days and hours (grammar_times.py, grammar_words.py)
    days           ::= [recurring] (day_range | day_list) [except_days] [«:»]
    recurring      ::= «chaque» | «tous les» | «toutes les» | «les» | «le»
    day_range      ::= («du» | «de») day («au» | «à») day [part]
                     | «entre» [«le»] day «et» [«le»] day [part]
    day_list       ::= day_item { («,» | «et» | «, et») day_item }
    day_item       ::= [«le» | «les»] day_name [part]
    except_days    ::= («sauf» | «sauf le» | «sauf les») day_list
    every_day      ::= «7» «j» [«ours»] («/» | «sur») «7»
    weekly         ::= «de semaine en semaine» | «chaque semaine» | «toutes les semaines»
                     | «hebdomadaire»
    hour_range     ::= «de» time dash time | «entre» time «et» time | time dash time
    dash           ::= «-» | «–» | «—» | «à» | «jusqu'à»
    round_the_clock ::= «24» «h» [«eures»] («/» | «sur») «24»
    time_phrase    ::= («à partir de» | «dès» | «à compter de») time
                     | «jusqu'à» time | [«à»] time
    time           ::= time_in_digits | time_in_words
    time_in_digits ::= hh («h» | «heure» | «heures») [mm] | hh «:» mm | «midi» | «minuit»
    time_in_words  ::= number_in_words («heure» | «heures») [number_in_words]
    part           ::= «matin» | «le matin» | «en matinée» | «après-midi» | «l'après-midi»
                     | «la journée» | «toute la journée» | …
    -- dates (grammar_dates.py)
    closure        ::= closed closed_item { and closed_item } [reopening_tail]
    closed         ::= «fermé(e)(s)» | «fermeture (exceptionnelle)» | «sera/est fermé(e)» | …
    closed_item    ::= since date [further_notice] | date_range | date_list
    since          ::= «à compter du» | «à partir du» | «depuis le» | «dès le»
    further_notice ::= «jusqu'à nouvel ordre» | «jusqu'à nouvel avis»
    reopening_tail ::= [«,» | «;» | «et»] reopen [«le»] («lendemain» | date)
    reopening      ::= reopen [«le»] date
    reopen         ::= «réouverture» | «réouverture prévue» | «rouvrira» | …
    validity       ::= («jusqu'au» | «jusqu'à») date | since date [further_notice] | date_range
    opens_from     ::= («ouvert(e)(s)» | «sera ouvert(e)» | «ouvrira») since date
                       [further_notice]
    date_range     ::= («du» | «entre le») date («au» | «et le» | «jusqu'au») date
    date_list      ::= [«le» | «les»] date { and [«le»] date }
    date           ::= [day] (numeric_date | day_of_month [month [year]])
    and            ::= «,» | «et» | «, et»
    -- contacts, channels, heads (grammar_channels.py)
    phone_number   ::= «+» cc digits… | «0» nine digits   (checked by phonenumbers)
    labelled_e_mail ::= («contact» | «courriel» | «mél» | «adresse électronique» | …)
                       [(«du» | «de la» | «des») («service» | «service des étrangers» | …)]
                       [«:»] e_mail_address
    visibility, capacity, slot_release, opening_hours, walk_in, phone_channel, site, …: see
    grammar_channels.py, one declaration each.

Each phrase is declared once, with its *guard* (``grammar_words.phrase``): a cheap regex of its
first words, tried before the phrase itself, which is what keeps reading fast. A guard that
forgets a phrase's first word makes that wording refused, never misread;
``tests/test_grammar_guards.py`` checks every phrase against its guard on the whole corpus.

To read a new wording: add its line (the text and its expected phrases) to
``tests/fixtures/phrasings/grammar.jsonl`` (or, with the typed facts it yields, to
``tests/fixtures/phrasings/read.jsonl``), see it fail, then extend one phrase (its element and, if
it starts differently, its guard) in the ``grammar_*`` module of its kind.
"""

from __future__ import annotations

import functools
import re
import threading

import pyparsing as pp

from normalise import lexicon
from normalise.grammar_channels import (
    APPLICATION,
    BOOKING,
    CAPACITY,
    EMAIL,
    EMAIL_CHANNEL,
    FORM,
    INBOX,
    LABELLED_EMAIL,
    OPENING,
    PHONE,
    PHONE_CHANNEL,
    RELEASE,
    SITE,
    URL,
    VISIBILITY,
    WALK_IN,
)
from normalise.grammar_dates import CLOSURE, OPENS, REOPENING, VALIDITY
from normalise.grammar_times import (
    DAYS,
    EVERY_DAY,
    HOUR_RANGE,
    PERIOD_PHRASE,
    ROUND_THE_CLOCK,
    TIME_PHRASE,
    WEEKLY,
)
from normalise.grammar_values import (
    Capacity,
    ChannelMark,
    Closure,
    Days,
    Email,
    Head,
    HourRange,
    Period,
    Phone,
    Phrase,
    Quantity,
    Reopening,
    SentenceError,
    Time,
    Url,
    Validity,
    Visibility,
    Weekly,
)
from normalise.grammar_words import Guarded, PhraseRule, Stopped, phrase

__all__ = [
    "PHRASES",
    "Capacity",
    "ChannelMark",
    "Closure",
    "Days",
    "Email",
    "Head",
    "HourRange",
    "Period",
    "Phone",
    "Phrase",
    "Quantity",
    "Reopening",
    "SentenceError",
    "Time",
    "Unread",
    "Url",
    "Validity",
    "Visibility",
    "Weekly",
    "read_sentence",
]

FILLER = phrase(
    "filler",
    ".",
    pp.Regex(
        "|".join(
            re.escape(w) + ("" if w.endswith("'") else r"(?!\w)")
            for w in sorted(lexicon.FILLER_WORDS | {"contact"}, key=len, reverse=True)
        )
        + "|["
        + re.escape(lexicon.SEPARATORS)
        + "]+",
        flags=re.IGNORECASE,
    ).suppress(),
)

#: the phrases in the order they are tried (a PEG: the first that reads the text wins), the
#: filler words last
PHRASES: list[PhraseRule] = [
    CLOSURE,
    REOPENING,
    OPENS,
    VALIDITY,
    SITE,
    BOOKING,
    APPLICATION,
    EMAIL_CHANNEL,
    INBOX,
    FORM,
    PHONE_CHANNEL,
    WALK_IN,
    LABELLED_EMAIL,
    ROUND_THE_CLOCK,
    EVERY_DAY,
    RELEASE,
    VISIBILITY,
    CAPACITY,
    OPENING,
    WEEKLY,
    DAYS,
    HOUR_RANGE,
    TIME_PHRASE,
    PERIOD_PHRASE,
    PHONE,
    EMAIL,
    URL,
    FILLER,
]
ITEM = Guarded(PHRASES).set_name("phrase or filler")
#: one sentence parsed at a time: pyparsing keeps per-element state (the arity of a parse action,
#: found by trial at its first call; streamlining) that threads racing would corrupt for good
_PARSING = threading.Lock()


class Unread(Exception):
    """The sentence is not read whole; ``word`` is where reading stopped, ``phrase`` the phrase
    that started there and read furthest (None when none did) and ``stop`` the words where that
    phrase stopped."""

    def __init__(self, word: str, phrase: str | None = None, stop: str = "") -> None:
        super().__init__(word)
        self.word = word
        self.phrase = phrase
        self.stop = stop


def _words_at(text: str, loc: int) -> str:
    return " ".join(text[loc:].split()[:3])


def read_sentence(text: str) -> list[Phrase]:
    """The phrases of a sentence (fillers dropped), in sentence order, or ``Unread`` naming the
    first word that no phrase and no filler consumes. ``SentenceError`` when a phrase states an
    impossible or ambiguous value."""
    return list(_phrases(text))


#: sentences whose reading is kept: a table repeats its sentences from row to row, and the
#: reading is a function of the text alone (immutable phrases; a failure is never kept)
SENTENCES_CACHED = 4096


@functools.lru_cache(maxsize=SENTENCES_CACHED)
def _phrases(text: str) -> tuple[Phrase, ...]:
    reading = lexicon.reading_form(text)
    out: list[Phrase] = []
    loc = 0
    with _PARSING:  # pyparsing is not thread-safe (pyparsing issue #89)
        while loc < len(reading):
            try:
                loc, tokens = ITEM._parse(reading, loc)
            except Stopped as exc:
                where = exc.loc
                raise Unread(
                    _words_at(reading, where) or text, exc.phrase, _words_at(reading, exc.stop)
                ) from None
            out += tokens.as_list()
    return tuple(out)
