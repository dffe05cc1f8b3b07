"""The values the grammar's phrases return (``normalise/grammar.py`` reads them), and its error.

Each phrase of a sentence comes back as one of these small frozen values; what it *means* in its
sentence is decided in ``normalise/statements.py``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.errors import NormaliseError


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
    """Days of the week. A list whose items carry different parts of the day (« le lundi matin
    et le jeudi après-midi ») is several ``Days``, one per part of the day, in sentence order."""

    weekdays: tuple[str, ...]  # week order, no repeats
    recurring: bool  # « chaque », « tous les », « le », « les », a plural, a range, « Lundi : »
    periods: tuple[str, ...]  # the part of the day said of these days: none or one


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
    closed_until: dt.date | None  # None: until further notice (« fermée à compter du … »)


@dataclass(frozen=True)
class Reopening:
    """The day a closed place opens again (« réouverture le 12/11/2019 »)."""

    date: dt.date


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
    | Reopening
)
