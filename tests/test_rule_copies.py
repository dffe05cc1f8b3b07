"""The trial copies of the channel reader (``normalise/channel.py``), made without
``copy.deepcopy``, against the code before (kept here as the reference): ``copy_rules`` is
``deepcopy``'s copy (the same values, the same sharing, nothing of the original), and tables
whose « Modalités » and « Remarques » cells mix the bundled snapshot's sentences (so that they
complete, restate and contradict each other) normalise to the same rows, or the same error."""

from __future__ import annotations

import copy
from typing import Any
from unittest import mock

from hypothesis import given
from hypothesis import strategies as st

from core.errors import NormaliseError
from core.settings import EXPECTED_HEADER
from extract import parse_text
from normalise import channel, normalise
from normalise.channel import Rule, copy_rules
from normalise.statements import RuleFacts, StatementError
from rdv_opendata.settings import DEFAULT_SOURCE

# --- the references: the code before ---------------------------------------------------------


def _modalities_add_before(self: Any, statement: Any) -> None:
    trial = copy.deepcopy(self)
    trial.take(statement)
    self.__dict__.update(trial.__dict__)


def _fits_before(rule: RuleFacts, facts: RuleFacts) -> bool:
    try:
        copy.deepcopy(rule).merge(facts)
    except StatementError:
        return False
    return True


def _the_code_before() -> Any:
    """The channel reader as it was: every trial copy made by ``copy.deepcopy``."""
    patches = mock.patch.multiple(
        channel,
        copy_rules=lambda groups, last_added: copy.deepcopy((groups, last_added)),
        _fits=_fits_before,
    )
    return patches, mock.patch.object(channel._Modalities, "add", _modalities_add_before)


# --- copy_rules is deepcopy's ------------------------------------------------------------------

facts = st.builds(
    RuleFacts,
    weekdays=st.none() | st.lists(st.sampled_from(["monday", "friday"]), max_size=2).map(tuple),
    time=st.none() | st.times(),
    period=st.none() | st.sampled_from(["morning", "afternoon"]),
    capacity=st.none() | st.integers(0, 50),
)
rules = st.builds(
    Rule,
    st.sampled_from(["walk_in", "slot_release"]),
    st.none() | st.just("titres"),
    facts,
    st.lists(st.sampled_from(["grammar", "reading"]), max_size=2),
)


@st.composite
def books(draw: Any) -> tuple[dict[Any, list[Rule]], list[Rule]]:
    """Groups of rules, and the rules last added: some of the groups' (one of them perhaps
    twice), some of their own."""
    pool = draw(st.lists(rules, min_size=1, max_size=5))
    groups = {
        (kind, None): draw(st.lists(st.sampled_from(pool), max_size=3))
        for kind in draw(st.lists(st.sampled_from(["walk_in", "slot_release"]), unique=True))
    }
    last = draw(st.lists(st.sampled_from(pool) | rules, max_size=3))
    return groups, last


def _shape(groups: dict[Any, list[Rule]], last: list[Rule]) -> tuple[Any, ...]:
    """The values, and which places hold one object (``is``), of a book."""
    places = [*(r for rules in groups.values() for r in rules), *last]
    sharing = [[a is b for b in places] for a in places]
    facts_sharing = [[a.facts is b.facts for b in places] for a in places]
    return groups, last, sharing, facts_sharing


@given(books())
def test_copy_rules_is_a_deep_copy(book: tuple[dict[Any, list[Rule]], list[Rule]]) -> None:
    groups, last = book
    made = copy_rules(groups, last)
    assert _shape(*made) == _shape(*copy.deepcopy((groups, last)))
    originals = {
        id(x) for r in [*last, *(r for g in groups.values() for r in g)] for x in _parts(r)
    }
    assert not originals & {id(x) for r in made[1] for x in _parts(r)}
    assert not originals & {id(x) for g in made[0].values() for r in g for x in _parts(r)}


def _parts(rule: Rule) -> tuple[Any, ...]:
    """What of a rule a change would touch: itself, its facts, its list."""
    return rule, rule.facts, rule.read_by


# --- the channel reader reads as before --------------------------------------------------------


def _snapshot_blocks() -> tuple[list[str], list[str]]:
    """The blocks (split at <br>) of the bundled snapshot's « Modalités » and « Remarques »."""
    lines = DEFAULT_SOURCE.read_text(encoding="utf-8").split("\n")
    start = next(n for n, line in enumerate(lines) if line.startswith(EXPECTED_HEADER[0]))
    rows = [line.split("\t") for line in lines[start + 1 :] if line.count("\t") == 4]
    modalities = sorted({b for row in rows for b in row[2].split("<br>") if b.strip()})
    remarks = sorted({b for row in rows for b in row[4].split("<br>") if b.strip()})
    return modalities, remarks


MODALITIES, REMARKS = _snapshot_blocks()
row_cells = st.tuples(
    st.lists(st.sampled_from(MODALITIES), min_size=1, max_size=4).map("<br>".join),
    st.lists(st.sampled_from(REMARKS), max_size=4).map("<br>".join),
)


def _table(cells: list[tuple[str, str]]) -> str:
    rows = [f"Type {n}\t\t{mod}\t\t{rem}" for n, (mod, rem) in enumerate(cells)]
    return "\n".join(["\t".join(EXPECTED_HEADER), *rows])


def _rows(text: str) -> Any:
    try:
        return normalise(parse_text(text))
    except NormaliseError as exc:
        return f"{type(exc).__name__}: {exc}"


@given(st.lists(row_cells, min_size=1, max_size=3))
def test_channels_read_as_with_deep_copies(cells: list[tuple[str, str]]) -> None:
    text = _table(cells)
    now = _rows(text)
    patches, add = _the_code_before()
    with patches, add:
        before = _rows(text)
    assert now == before


def test_the_reference_is_the_deepcopy_code() -> None:
    """The patches take: the reference reads through ``copy.deepcopy``."""
    patches, add = _the_code_before()
    with patches, add, mock.patch.object(copy, "deepcopy", wraps=copy.deepcopy) as deep:
        _rows(_table([(MODALITIES[0], REMARKS[0])]))
    assert deep.called
