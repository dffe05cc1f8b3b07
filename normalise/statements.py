"""What a read sentence states: its phrases folded into one ``Statement``.

The grammar returns phrases (a day spec, a time…) in sentence order; here they get their meaning
in the sentence. A sentence may state several rules of one type (Contract 3): each *segment* of it
is one rule candidate. A segment is opened by its days or its hours:

- days after a segment that already has its own days start a new segment
  (« le lundi de 9h à 12h et le jeudi de 14h à 16h »: two);
- a second hour range or release time starts a new segment on the same days
  (« du lundi au jeudi de 8h45 à 11h45 et de 14h à 15h30 »: two, both Monday to Thursday);
- days after hours that only inherited their days give that segment its own days
  (« de 9h à 12h le lundi et de 14h à 16h le jeudi »: Monday, then Thursday).

Facts that qualify the whole sentence (visibility, capacity, « chaque semaine ») are *shared*: they
hold for each of its segments. « à 14h » is when slots are released in a slot-release sentence,
and is refused in an opening-hours sentence (« à 14h » is not an hour range). Two values for one
field of one segment (« visibilité 4 semaines, 8 semaines pour … ») are refused, never one of them
dropped.
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
        return all(getattr(self, name) is None for name in FACT_NAMES)

    def set(self, name: str, value: object) -> None:
        old = getattr(self, name)
        if old is not None and old != value:
            raise StatementError(f"two values for {name} ({_say(old)} and {_say(value)})")
        setattr(self, name, value)

    def merge(self, other: RuleFacts) -> None:
        for name in FACT_NAMES:
            value = getattr(other, name)
            if value is not None:
                self.set(name, value)

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


#: the fields of RuleFacts, in order (``dataclasses.fields`` looked up once, not per rule)
FACT_NAMES = tuple(f.name for f in fields(RuleFacts))


def _say(value: object) -> str:
    if isinstance(value, tuple):
        return ", ".join(map(str, value))
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value)


@dataclass
class Segment:
    """One rule candidate of a sentence: its facts and its single times, placed once the rule
    type is known (it may come from the sentence before)."""

    facts: RuleFacts = field(default_factory=RuleFacts)
    times: list[g.Time] = field(default_factory=list)
    own_days: bool = False  # False: the days were inherited from the segment before

    def has_hours(self) -> bool:
        return self.facts.start_time is not None or bool(self.times)


@dataclass
class Statement:
    """Everything one sentence states."""

    rule_type: str | None = None  # slot_release | walk_in | opening_hours
    segments: list[Segment] = field(default_factory=list)
    shared: RuleFacts = field(default_factory=RuleFacts)  # facts that hold for every segment
    channels: list[g.ChannelMark] = field(default_factory=list)
    phone: str | None = None
    emails: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    validity: list[g.Validity] = field(default_factory=list)
    closures: list[g.Closure] = field(default_factory=list)
    read_by: str = "grammar"  # or "reading:<id>" (a reviewed reading, ``normalise/readings.py``)

    @property
    def states_rule(self) -> bool:
        return self.rule_type is not None or bool(self.segments) or not self.shared.is_empty()

    @property
    def holds_fact(self) -> bool:
        """Whether the sentence states anything beyond a rule's kind (« Ouverture des créneaux. »
        alone says nothing a person could act on: it stays free text)."""
        return (
            bool(self.segments)
            or not self.shared.is_empty()
            or bool(self.channels or self.phone or self.emails or self.urls)
            or bool(self.validity or self.closures)
        )

    def segment(self) -> Segment:
        """The segment being read (a new one when there is none yet)."""
        if not self.segments:
            self.segments.append(Segment())
        return self.segments[-1]


def _kind(statement: Statement, kind: str) -> None:
    if statement.rule_type not in (None, kind):
        raise StatementError(f"the sentence speaks of both {statement.rule_type} and {kind}")
    statement.rule_type = kind


def _days(out: Statement, days: g.Days) -> None:
    if len(set(days.periods)) > 1:
        raise StatementError(
            "the days have different parts of the day (" + ", ".join(days.periods) + ")"
        )
    current = out.segments[-1] if out.segments else None
    if current is None or (current.own_days and current.facts.weekdays is not None):
        current = Segment()
        out.segments.append(current)
    elif not current.own_days:  # hours read before their days: the days are theirs
        current.facts.weekdays = None
        current.facts.frequency = None
    current.own_days = True
    current.facts.set("weekdays", days.weekdays)
    if days.periods:
        current.facts.set("period", days.periods[0])
    if days.recurring:
        current.facts.set("frequency", "weekly")


def _next_for_hours(out: Statement) -> Segment:
    """The segment an hour range or a time belongs to: the current one, or a new one on the
    same days when the current one has its hours already."""
    current = out.segment()
    if not current.has_hours():
        return current
    following = Segment(
        RuleFacts(
            weekdays=current.facts.weekdays,
            period=current.facts.period,
            frequency=current.facts.frequency,
        )
    )
    out.segments.append(following)
    return following


def _hours(out: Statement, hours: g.HourRange) -> None:
    segment = _next_for_hours(out)
    segment.facts.set("start_time", hours.start)
    segment.facts.set("end_time", hours.end)


def _time(out: Statement, time: g.Time) -> None:
    current = out.segment()
    # « de 9h » … « jusqu'à 12h »: a start and an end are one range, not two segments
    pairs = {"from": "until", "until": "from"}
    if current.times and all(t.how == pairs.get(time.how) for t in current.times):
        current.times.append(time)
        return
    _next_for_hours(out).times.append(time)


def _period(out: Statement, period: g.Period) -> None:
    if out.segments:
        out.segments[-1].facts.set("period", period.period)
    else:
        out.shared.set("period", period.period)


def _quantity(out: Statement, phrase: g.Visibility | g.Capacity) -> None:
    q = phrase.quantity
    if isinstance(phrase, g.Visibility):
        if q.unit not in WEEK_UNITS:
            raise StatementError(f"a visibility of {q.value} {q.unit} is not a number of weeks")
        _kind(out, "slot_release")
        out.shared.set("visibility_weeks", q.value)
    else:
        if q.unit not in CAPACITY_UNITS:
            raise StatementError(f"a capacity of {q.value} {q.unit} is not a number of places")
        out.shared.set("capacity", q.value)
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


def _reopening(out: Statement, reopening: g.Reopening) -> None:
    """« réouverture le 12/11/2019 »: the closure before it ends the day before; one that ends
    on another day contradicts it."""
    if not out.closures:
        raise StatementError("a reopening without a closure before it")
    closure = out.closures[-1]
    last = reopening.date - dt.timedelta(days=1)
    if closure.closed_until is None and last >= closure.closed_from:
        out.closures[-1] = g.Closure(closure.closed_from, last)
    elif closure.closed_until != last:
        raise StatementError(
            f"it reopens on {reopening.date.isoformat()}, but the closure ends on "
            f"{closure.closed_until.isoformat() if closure.closed_until else 'no date'}"
        )


#: how each kind of phrase adds to the statement of its sentence
FOLDERS: dict[type, Callable[[Statement, Any], None]] = {
    g.Head: lambda out, p: _kind(out, p.kind),
    g.ChannelMark: _channel,
    g.Days: _days,
    g.Weekly: lambda out, p: out.shared.set("frequency", "weekly"),
    g.Period: _period,
    g.HourRange: _hours,
    g.Time: _time,
    g.Visibility: _quantity,
    g.Capacity: _quantity,
    g.Phone: _phone,
    g.Email: lambda out, p: out.emails.append(p.address),
    g.Url: lambda out, p: out.urls.append(p.url),
    g.Validity: lambda out, p: out.validity.append(p),
    g.Closure: lambda out, p: out.closures.append(p),
    g.Reopening: _reopening,
}


def fold(phrases: list[g.Phrase]) -> Statement:
    """The statement of one sentence's phrases; times are placed by ``rules_of`` once the rule
    type is known (it may come from the sentence before)."""
    out = Statement()
    for phrase in phrases:
        FOLDERS[type(phrase)](out, phrase)
    return out


def _place_times(rule_type: str, segment: Segment) -> RuleFacts:
    """The segment's facts, each single time given its meaning in the rule type."""
    facts = RuleFacts(**{name: getattr(segment.facts, name) for name in FACT_NAMES})
    for time in segment.times:
        if rule_type == "slot_release" and time.how in ("at", "from"):
            facts.set("time", time.value)
        elif rule_type in ("walk_in", "opening_hours") and time.how == "from":
            facts.set("start_time", time.value)
        elif rule_type in ("walk_in", "opening_hours") and time.how == "until":
            facts.set("end_time", time.value)
        else:
            raise StatementError(
                f"a time ({time.value.strftime('%H:%M')}) that is neither a release time nor "
                "an hour range"
            )
    if facts.start_time and facts.end_time and not facts.start_time < facts.end_time:
        if facts.end_time != dt.time(0):
            raise StatementError("the hours end before they start")
    return facts


def rules_of(statement: Statement, rule_type: str) -> list[RuleFacts]:
    """The rules a statement states, in reading order, once its rule type is known: one per
    segment, each with the shared facts (none: the shared facts alone, to complete the rule
    before)."""
    out = []
    for segment in statement.segments:
        facts = _place_times(rule_type, segment)
        facts.merge(statement.shared)
        out.append(facts)
    return out
