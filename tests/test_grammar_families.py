"""The grammar's families of wordings, phrase by phrase (``normalise.grammar.read_sentence``).

``tests/fixtures/phrasings/grammar.jsonl``: one JSON object a line, ``{"text": …, "phrases":
[…]}``, the phrases in sentence order, each ``{type name: value}`` where the value is

- ``Days``: ``{"weekdays": [...], "recurring": bool, "periods": [...]}``;
- ``ChannelMark``: ``{"kind": …}`` plus ``"url"`` / ``"email"`` when set;
- a type of one field: that field (``{"Phone": "+33…"}``, ``{"Reopening": "2019-11-12"}``);
- a type of several fields: their list, in field order (``{"HourRange": ["09:00", "12:00"]}``,
  ``{"Time": ["from", "08:30"]}``, ``{"Closure": ["2021-01-04", null]}``);
- a quantity: ``[value, unit]``; a time: ``"HH:MM"``; a date: ISO; ``Weekly``: ``null``.

``tests/fixtures/phrasings/unread.jsonl``: ``{"text": …}`` lines that must stay unread (a rhythm,
a season or a holiday the typed data cannot say), each holding a fact the detector sees, so the
pipeline refuses them instead of keeping them as free text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalise import detector
from normalise import grammar as g
from normalise.lexicon import WEEKDAY_VALUES
from tests.test_reading_properties import number_in_words

HERE = Path(__file__).parent / "fixtures" / "phrasings"


def lines(name: str) -> list[dict]:
    text = (HERE / name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def plain(value: Any) -> Any:
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, g.Quantity):
        return [value.value, value.unit]
    if isinstance(value, tuple):
        return [plain(v) for v in value]
    return value


def as_json(phrase: g.Phrase) -> dict[str, Any]:
    """A phrase in the fixtures' form (see the module's docstring)."""
    name = type(phrase).__name__
    values = {f.name: plain(getattr(phrase, f.name)) for f in dataclasses.fields(phrase)}
    if isinstance(phrase, g.Days):
        return {name: values}
    if isinstance(phrase, g.ChannelMark):
        return {name: {k: v for k, v in values.items() if v is not None}}
    if len(values) == 1:
        return {name: next(iter(values.values()))}
    return {name: list(values.values()) or None}


FAMILIES = lines("grammar.jsonl")
TRAPS = lines("unread.jsonl")


def test_the_families_are_many():
    assert len(FAMILIES) >= 40 and len(TRAPS) >= 10


@pytest.mark.parametrize("case", FAMILIES, ids=[c["text"][:60] for c in FAMILIES])
def test_a_wording_reads_as_its_phrases(case):
    assert [as_json(p) for p in g.read_sentence(case["text"])] == case["phrases"]


@pytest.mark.parametrize("case", TRAPS, ids=[c["text"][:60] for c in TRAPS])
def test_a_trap_stays_unread_and_holds_a_fact(case):
    with pytest.raises(g.Unread):
        g.read_sentence(case["text"])
    assert detector.fact_tokens(case["text"]), "free text: the pipeline would not refuse it"


def test_until_further_notice_alone_is_unread_on_purpose():
    """« jusqu'à nouvel ordre » with no start date says nothing typed: it stays unread."""
    with pytest.raises(g.Unread) as caught:
        g.read_sentence("jusqu'à nouvel ordre")
    assert caught.value.phrase == "validity"


def test_the_day_after_is_read_only_after_a_dated_closure():
    """« réouverture le lendemain » is the day after the closure it follows, nothing else."""
    with pytest.raises(g.Unread):
        g.read_sentence("Réouverture le lendemain")
    with pytest.raises(g.SentenceError, match="until further notice"):
        g.read_sentence("fermée à compter du 4 janvier 2021, réouverture le lendemain")


def test_an_unread_sentence_names_the_phrase_that_stopped():
    with pytest.raises(g.Unread) as caught:
        g.read_sentence("Visibilité à environ 4 semaines")
    assert (caught.value.word, caught.value.phrase) == ("Visibilité à environ", "visibility")
    assert caught.value.stop == "environ 4 semaines"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("fermée le 11 novembre 2020, réouverture le 10 novembre 2020", "before the closure ends"),
        ("Par téléphone au +32 2 123 45 67", "not a valid phone number"),
        ("à vingt-cinq heures", "impossible time"),
        ("fermée les 24 et 31 décembre", "has no year"),
    ],
)
def test_impossible_values_are_sentence_errors(text, error):
    with pytest.raises(g.SentenceError, match=error):
        g.read_sentence(text)


# --- properties ---------------------------------------------------------------------------------

times = st.builds(dt.time, st.integers(0, 23), st.sampled_from([0, 0, 5, 15, 30, 45, 59]))


@st.composite
def written_time(draw, value: dt.time, in_words: bool) -> str:
    h, m = value.hour, value.minute
    forms = [
        f"{h}h{m:02d}",
        f"{h:02d}h{m:02d}",
        f"{h} h {m:02d}",
        f"{h}:{m:02d}",
        f"{h:02d}:{m:02d}",
    ]
    forms += [f"{h} heures {m:02d}"]
    if m == 0:
        forms += [f"{h}h", f"{h} h", f"{h} heures"]
    if in_words:  # never beside a bare dash: « neuf heures trente-dix heures » is no number
        forms.append(f"{number_in_words(h)} heures" + (f" {number_in_words(m)}" if m else ""))
    if (h, m) == (12, 0):
        forms.append("midi")
    if (h, m) == (0, 0):
        forms.append("minuit")
    return draw(st.sampled_from(forms))


DASHED = ["de {} - {}", "{}-{}", "{} - {}", "{}–{}", "{} — {}"]
WORDED = ["de {} à {}", "de {} jusqu'à {}", "entre {} et {}", "{} à {}"]


@st.composite
def hour_range(draw) -> tuple[str, g.HourRange]:
    start = draw(times)
    end = draw(times.filter(lambda t: t > start) | st.just(dt.time(0)))
    form = draw(st.sampled_from(DASHED + WORDED))
    in_words = form in WORDED
    text = form.format(draw(written_time(start, in_words)), draw(written_time(end, in_words)))
    if draw(st.booleans()):
        text = text.upper()
    return text, g.HourRange(start, end)


@given(hour_range())
def test_any_written_hour_range_reads_back(case):
    text, expected = case
    assert g.read_sentence(text) == [expected]


DAY_NAMES = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"]
PERIODS = {"matin": "morning", "après-midi": "afternoon", "toute la journée": "all_day"}


@given(
    st.lists(
        st.tuples(st.sampled_from(range(6)), st.sampled_from([None, *PERIODS])),
        min_size=1,
        max_size=5,
        unique_by=lambda item: item[0],
    )
)
def test_a_day_list_splits_where_its_parts_of_the_day_change(items):
    """Items without a part of the day join the next item that has one; consecutive groups with
    the same part of the day are one ``Days``."""
    text = " et ".join(f"le {DAY_NAMES[d]}" + (f" {p}" if p else "") for d, p in items)
    expected: list[tuple[set[str], str | None]] = []
    pending: set[str] = set()
    for day, period in items:
        pending.add(WEEKDAY_VALUES[day])
        if period:
            said = PERIODS[period]
            if expected and expected[-1][1] == said:
                expected[-1][0].update(pending)
            else:
                expected.append((set(pending), said))
            pending = set()
    if pending:
        expected.append((pending, None))
    found = g.read_sentence(text)
    assert [(set(d.weekdays), d.periods[0] if d.periods else None) for d in found] == expected
    assert all(isinstance(d, g.Days) and d.recurring for d in found)
