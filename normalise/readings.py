"""Reviewed readings (Contract 3): sentences the grammar does not read, typed by a maintainer.

``readings.toml`` holds one ``[[reading]]`` table per sentence::

    [[reading]]
    id = "premier-lundi-du-mois"              # a slug, unique: read_by = "reading:<id>"
    sentence = "Ouverture des créneaux le premier lundi du mois à 9h."
    reviewed_by = "Camille, ADA Grenoble"
    reviewed_on = 2026-12-04
    note = "monthly: no weekly rule; the release time only"   # optional

    [[reading.statements]]                  # zero or more typed facts
    resource = "slot_rules"                 # slot_rules | closures | locations
    rule_type = "slot_release"
    time = "09:00"

A sentence is matched exactly after NFC and whitespace normalisation, wherever it appears in the
table. Each statement names its resource and gives that resource's own fields, with their types:
a ``slot_rules`` statement is one rule (``rule_type``, ``weekdays``, ``time``, ``start_time``,
``end_time``, ``period``, ``frequency``, ``visibility_weeks``, ``capacity``); a ``closures``
statement one closure of the row's place (``closed_from``, ``closed_until``); a ``locations``
statement the place's validity (``valid_from``, ``valid_until``). No statement at all (with a
``note``) says the sentence holds no fact to type: it is kept as text in the channel's
instructions.

The file is checked whole before anything is read: the first bad entry stops the run with one
line naming the entry and the field (``ReadingsError``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import NormaliseError
from normalise import grammar, lexicon
from normalise.statements import RuleFacts, Segment, Statement

ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ENTRY_KEYS = {"id", "sentence", "statements", "reviewed_by", "reviewed_on", "note"}
REQUIRED_KEYS = ("id", "sentence", "statements", "reviewed_by", "reviewed_on")
RULE_TYPES = ("slot_release", "walk_in", "opening_hours")
PERIODS = ("morning", "afternoon", "all_day")

#: the fields a statement may give, per resource, with the check of each value
FIELDS: dict[str, dict[str, str]] = {
    "slot_rules": {
        "rule_type": "rule_type",
        "weekdays": "weekdays",
        "time": "time",
        "start_time": "time",
        "end_time": "time",
        "period": "period",
        "frequency": "frequency",
        "visibility_weeks": "positive",
        "capacity": "positive",
    },
    "closures": {"closed_from": "date", "closed_until": "date"},
    "locations": {"valid_from": "date", "valid_until": "date"},
}
REQUIRED_FIELDS = {"slot_rules": ("rule_type",), "closures": ("closed_from",), "locations": ()}


class ReadingsError(NormaliseError):
    """``readings.toml`` cannot be used: unreadable, or an entry that does not validate."""

    type = "readings-error"


def sentence_key(text: str) -> str:
    """How a reading's sentence and a table's sentence are compared: NFC, single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).replace("\u00a0", " ").split())


@dataclass(frozen=True)
class Reading:
    id: str
    sentence: str
    statements: tuple[dict[str, Any], ...]  # each: {"resource": …, field: typed value}
    reviewed_by: str
    reviewed_on: dt.date
    note: str | None = None

    @property
    def read_by(self) -> str:
        return f"reading:{self.id}"


@dataclass(frozen=True)
class Readings:
    """The reviewed readings of a run, by sentence key."""

    by_sentence: dict[str, Reading] = field(default_factory=dict)
    source: str = ""  # where they were read from, for messages
    digest: str = ""  # SHA-256 of the file: part of the reader's fingerprint

    def match(self, sentence: str) -> Reading | None:
        return self.by_sentence.get(sentence_key(sentence))


NO_READINGS = Readings()


@dataclass(frozen=True)
class ReadingPolicy:
    """How a run reads sentences: its reviewed readings, and whether an unread sentence refuses
    the run (``strict``) rather than being published in ``unread_sentences``."""

    readings: Readings = NO_READINGS
    strict: bool = False

    def fingerprint(self) -> str:
        return f"{self.readings.digest}:{'strict' if self.strict else 'lenient'}"


DEFAULT_POLICY = ReadingPolicy()


def stale_readings(readings: Readings, cell_texts: list[str]) -> list[str]:
    """The ids of the readings whose sentence appears in no cell of the table (they change
    nothing; a maintainer may remove them)."""
    cells = [sentence_key(text) for text in cell_texts]
    return [
        reading.id
        for key, reading in readings.by_sentence.items()
        if not any(key in cell for cell in cells)
    ]


def load_readings(path: Path | None, today: dt.date | None = None) -> Readings:
    """The readings of ``path`` (none when ``path`` is None or does not exist), each checked."""
    if path is None or not path.exists():
        return NO_READINGS
    name = path.name
    try:
        raw = path.read_bytes()
        data = tomllib.loads(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ReadingsError(f"{name}: cannot be read ({exc})") from None
    readings = parse_readings(data, name, today or dt.date.today())
    return Readings(readings.by_sentence, name, hashlib.sha256(raw).hexdigest())


def parse_readings(data: dict[str, Any], name: str, today: dt.date) -> Readings:
    unknown = set(data) - {"reading"}
    if unknown:
        raise ReadingsError(f"{name}: unknown table {sorted(unknown)[0]!r} (only [[reading]])")
    entries = data.get("reading", [])
    if not isinstance(entries, list):
        raise ReadingsError(f"{name}: 'reading' must be an array of tables ([[reading]])")
    out: dict[str, Reading] = {}
    ids: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        reading = _entry(entry, f"{name}: entry {number}", today)
        if reading.id in ids:
            raise ReadingsError(f"{name}: entry {number}: the id {reading.id!r} is used twice")
        key = sentence_key(reading.sentence)
        if key in out:
            raise ReadingsError(
                f"{name}: entry {number} ({reading.id!r}): the same sentence as {out[key].id!r}"
            )
        ids.add(reading.id)
        out[key] = reading
    return Readings(out, name)


def _entry(entry: Any, where: str, today: dt.date) -> Reading:
    if not isinstance(entry, dict):
        raise ReadingsError(f"{where}: not a table")
    ident = entry.get("id")
    if isinstance(ident, str):
        where = f"{where} ({ident!r})"
    _check_keys(entry, where)
    if not isinstance(ident, str) or not ID.match(ident):
        raise ReadingsError(f"{where}: 'id' must be a slug (a-z, 0-9, single dashes)")
    sentence = entry["sentence"]
    if not isinstance(sentence, str) or not sentence_key(sentence):
        raise ReadingsError(f"{where}: 'sentence' must be the sentence as the table writes it")
    reviewer, reviewed_on = _review(entry, where, today)
    note = entry.get("note")
    if note is not None and (not isinstance(note, str) or not note.strip()):
        raise ReadingsError(f"{where}: 'note' must be a non-empty text")
    typed = _statements(entry["statements"], note, where)
    return Reading(ident, sentence, typed, reviewer, reviewed_on, note)


def _check_keys(entry: dict[str, Any], where: str) -> None:
    for key in REQUIRED_KEYS:
        if key not in entry:
            raise ReadingsError(f"{where}: '{key}' is missing")
    if extra := sorted(set(entry) - ENTRY_KEYS):
        raise ReadingsError(f"{where}: unknown key {extra[0]!r}")


def _review(entry: dict[str, Any], where: str, today: dt.date) -> tuple[str, dt.date]:
    """Who reviewed the reading, and when (a date, not in the future)."""
    reviewer = entry["reviewed_by"]
    if not isinstance(reviewer, str) or not reviewer.strip():
        raise ReadingsError(f"{where}: 'reviewed_by' must name who reviewed the reading")
    reviewed_on = entry["reviewed_on"]
    if not isinstance(reviewed_on, dt.date) or isinstance(reviewed_on, dt.datetime):
        raise ReadingsError(f"{where}: 'reviewed_on' must be a date (2026-12-04, no quotes)")
    if reviewed_on > today:
        raise ReadingsError(f"{where}: 'reviewed_on' {reviewed_on} is in the future")
    return reviewer.strip(), reviewed_on


def _statements(statements: Any, note: str | None, where: str) -> tuple[dict[str, Any], ...]:
    if not isinstance(statements, list):
        raise ReadingsError(f"{where}: 'statements' must be an array of tables")
    if not statements and note is None:
        raise ReadingsError(f"{where}: no statement: say in 'note' why the sentence holds no fact")
    typed = tuple(
        _statement(s, f"{where}, statement {n}") for n, s in enumerate(statements, start=1)
    )
    if len({s["rule_type"] for s in typed if s["resource"] == "slot_rules"}) > 1:
        raise ReadingsError(f"{where}: the slot_rules of one sentence must share one rule_type")
    return typed


def _statement(statement: Any, where: str) -> dict[str, Any]:
    if not isinstance(statement, dict):
        raise ReadingsError(f"{where}: not a table")
    resource = statement.get("resource")
    if resource not in FIELDS:
        raise ReadingsError(f"{where}: 'resource' must be one of {', '.join(FIELDS)}")
    known = FIELDS[resource]
    out: dict[str, Any] = {"resource": resource}
    for name, value in statement.items():
        if name == "resource":
            continue
        if name not in known:
            raise ReadingsError(f"{where}: {resource} has no field {name!r}")
        out[name] = _value(known[name], value, f"{where}, field {name!r}")
    for name in REQUIRED_FIELDS[resource]:
        if name not in out:
            raise ReadingsError(f"{where}: {resource} needs {name!r}")
    if resource == "locations" and len(out) == 1:
        raise ReadingsError(f"{where}: locations needs 'valid_from' or 'valid_until'")
    _check_order(out, where)
    return out


def _value(check: str, value: Any, where: str) -> Any:
    if check == "rule_type" and value in RULE_TYPES:
        return value
    if check == "period" and value in PERIODS:
        return value
    if check == "frequency" and value == "weekly":
        return value
    if check == "positive" and type(value) is int and value >= 1:
        return value
    if check == "weekdays" and _weekdays(value):
        return tuple(d for d in lexicon.WEEKDAY_VALUES if d in value)
    if check == "time" and isinstance(value, str | dt.time):
        try:
            return value if isinstance(value, dt.time) else dt.time.fromisoformat(value)
        except ValueError:
            pass
    if check == "date" and isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    raise ReadingsError(f"{where}: {value!r} is not {EXPECTED[check]}")


EXPECTED = {
    "rule_type": "one of " + ", ".join(RULE_TYPES),
    "period": "one of " + ", ".join(PERIODS),
    "frequency": "weekly",
    "positive": "a positive integer",
    "weekdays": "a list of distinct weekdays (monday … sunday)",
    "time": 'a time ("09:30")',
    "date": "a date (2021-01-04, no quotes)",
}


def _weekdays(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and len(set(value)) == len(value)
        and all(day in lexicon.WEEKDAY_VALUES for day in value)
    )


def _check_order(statement: dict[str, Any], where: str) -> None:
    pairs = (
        ("start_time", "end_time"),
        ("closed_from", "closed_until"),
        ("valid_from", "valid_until"),
    )
    for first, last in pairs:
        start, end = statement.get(first), statement.get(last)
        if start is not None and end is not None and end < start:
            if last == "end_time" and end == dt.time(0):
                continue  # until midnight
            raise ReadingsError(f"{where}: {last!r} is before {first!r}")


def reviewed_statement(reading: Reading) -> Statement:
    """What a reviewed reading states, as the grammar's statements are: one segment per rule."""
    out = Statement(read_by=reading.read_by)
    for statement in reading.statements:
        values = {k: v for k, v in statement.items() if k not in ("resource", "rule_type")}
        start, end = (values.get(k) for k in ("valid_from", "valid_until"))
        if statement["resource"] == "slot_rules":
            out.rule_type = statement["rule_type"]
            out.segments.append(Segment(RuleFacts(**values), own_days=True))
        elif statement["resource"] == "closures":
            out.closures.append(grammar.Closure(values["closed_from"], values.get("closed_until")))
        else:
            out.validity.append(
                grammar.Validity(values.get("valid_from"), values.get("valid_until"))
            )
    return out
