"""What a read sentence states: its phrases folded into one ``Statement``, each field set once.

The grammar returns phrases (a day spec, a time…); here they get their meaning in the sentence:
« à 14h » is when slots are released in a slot-release sentence, and is refused in an
opening-hours sentence (« à 14h » is not an hour range). Two different values for one field in a
sentence (« visibilité 4 semaines, 8 semaines pour … ») are refused, never one of them dropped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

from core.errors import NormaliseError
from normalise import grammar as g

CAPACITY_UNITS = frozenset({"place", "places", "personne", "personnes", "ticket", "tickets"})
WEEK_UNITS = frozenset({"semaine", "semaines"})


class StatementError(NormaliseError):
    """A sentence read whole whose facts do not fit together (two values, no subject…)."""


@dataclass
class RuleFacts:
    """The scheduling fields a sentence gives (None: not stated)."""

    weekdays: tuple[str, ...] | None = None
    time: dt.time | None = None
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    period: str | None = None
    frequency: str | None = None
    visibility_weeks: int | None = None
    capacity: int | None = None

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) is None for f in fields(self))

    def set(self, name: str, value: object) -> None:
        old = getattr(self, name)
        if old is not None and old != value:
            raise StatementError(f"two values for {name} ({_say(old)} and {_say(value)})")
        setattr(self, name, value)

    def merge(self, other: RuleFacts) -> None:
        for f in fields(other):
            value = getattr(other, f.name)
            if value is not None:
                self.set(f.name, value)

    def as_row(self) -> dict[str, object]:
        return {
            "weekdays": list(self.weekdays) if self.weekdays else None,
            "time": self.time.isoformat() if self.time else None,
            "start_time": self.start_time.isoformat() if self.start_time else None,
            "end_time": self.end_time.isoformat() if self.end_time else None,
            "period": self.period,
            "frequency": self.frequency,
            "visibility_weeks": self.visibility_weeks,
            "capacity": self.capacity,
        }


def _say(value: object) -> str:
    if isinstance(value, tuple):
        return ", ".join(map(str, value))
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value)


@dataclass
class Statement:
    """Everything one sentence states."""

    rule_type: str | None = None  # slot_release | walk_in | opening_hours
    facts: RuleFacts = field(default_factory=RuleFacts)
    channels: list[g.ChannelMark] = field(default_factory=list)
    phone: str | None = None
    emails: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    validity: list[g.Validity] = field(default_factory=list)
    closures: list[g.Closure] = field(default_factory=list)
    times: list[g.Time] = field(default_factory=list)

    @property
    def states_rule(self) -> bool:
        return self.rule_type is not None or not self.facts.is_empty() or bool(self.times)


def _kind(statement: Statement, kind: str) -> None:
    if statement.rule_type not in (None, kind):
        raise StatementError(f"the sentence speaks of both {statement.rule_type} and {kind}")
    statement.rule_type = kind


def _days(out: Statement, days: g.Days) -> None:
    out.facts.set("weekdays", days.weekdays)
    if len(set(days.periods)) > 1:
        raise StatementError(
            "the days have different parts of the day (" + ", ".join(days.periods) + ")"
        )
    if days.periods:
        out.facts.set("period", days.periods[0])
    if days.recurring:
        out.facts.set("frequency", "weekly")


def _quantity(out: Statement, phrase: g.Visibility | g.Capacity) -> None:
    q = phrase.quantity
    if isinstance(phrase, g.Visibility):
        if q.unit not in WEEK_UNITS:
            raise StatementError(f"a visibility of {q.value} {q.unit} is not a number of weeks")
        _kind(out, "slot_release")
        out.facts.set("visibility_weeks", q.value)
    else:
        if q.unit not in CAPACITY_UNITS:
            raise StatementError(f"a capacity of {q.value} {q.unit} is not a number of places")
        out.facts.set("capacity", q.value)
    if q.value < 1:
        raise StatementError(f"{q.value} is not a positive number")


def _channel(out: Statement, mark: g.ChannelMark) -> None:
    out.channels.append(mark)
    out.emails += [mark.email] if mark.email else []
    out.urls += [mark.url] if mark.url else []


def _phone(out: Statement, phone: g.Phone) -> None:
    if out.phone not in (None, phone.e164):
        raise StatementError(f"two phone numbers ({out.phone} and {phone.e164})")
    out.phone = phone.e164


def _hours(out: Statement, hours: g.HourRange) -> None:
    out.facts.set("start_time", hours.start)
    out.facts.set("end_time", hours.end)


#: how each kind of phrase adds to the statement of its sentence
FOLDERS: dict[type, Callable[[Statement, Any], None]] = {
    g.Head: lambda out, p: _kind(out, p.kind),
    g.ChannelMark: _channel,
    g.Days: _days,
    g.Weekly: lambda out, p: out.facts.set("frequency", "weekly"),
    g.Period: lambda out, p: out.facts.set("period", p.period),
    g.HourRange: _hours,
    g.Time: lambda out, p: out.times.append(p),
    g.Visibility: _quantity,
    g.Capacity: _quantity,
    g.Phone: _phone,
    g.Email: lambda out, p: out.emails.append(p.address),
    g.Url: lambda out, p: out.urls.append(p.url),
    g.Validity: lambda out, p: out.validity.append(p),
    g.Closure: lambda out, p: out.closures.append(p),
}


def fold(phrases: list[g.Phrase]) -> Statement:
    """The statement of one sentence's phrases; times are placed by ``place_times`` once the
    rule type is known (it may come from the sentence before)."""
    out = Statement()
    for phrase in phrases:
        FOLDERS[type(phrase)](out, phrase)
    return out


def place_times(statement: Statement) -> None:
    """Give each single time its meaning in the statement's rule type."""
    facts = statement.facts
    for time in statement.times:
        if statement.rule_type == "slot_release" and time.how in ("at", "from"):
            facts.set("time", time.value)
        elif statement.rule_type in ("walk_in", "opening_hours") and time.how == "from":
            facts.set("start_time", time.value)
        elif statement.rule_type in ("walk_in", "opening_hours") and time.how == "until":
            facts.set("end_time", time.value)
        else:
            raise StatementError(
                f"a time ({time.value.strftime('%H:%M')}) that is neither a release time nor "
                "an hour range"
            )
    statement.times = []
    if facts.start_time and facts.end_time and not facts.start_time < facts.end_time:
        if facts.end_time != dt.time(0):
            raise StatementError("the hours end before they start")
