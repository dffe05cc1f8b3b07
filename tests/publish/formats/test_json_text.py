"""``json_text`` is the one JSON style of every published file: byte for byte what
``json.dumps(value, ensure_ascii=False, indent=2)`` and a newline give, whatever the value (plain
JSON values, written by orjson; floats, subclasses, keys that are not text, lone surrogates,
nesting too deep: by ``json``), and the same error where ``json`` refuses."""

from __future__ import annotations

import enum
import json
from typing import Any
from unittest import mock

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from publish.formats import tabular
from publish.formats.tabular import json_text, plain_size

#: every character, the surrogates and controls included
texts = st.text(st.characters(codec=None, exclude_categories=()), max_size=12)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**65), max_value=2**65),
    st.floats(),
    texts,
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.lists(inner, max_size=5).map(tuple),
        st.dictionaries(texts, inner, max_size=5),
        st.dictionaries(st.one_of(st.integers(), st.booleans(), st.none()), inner, max_size=3),
    ),
    max_leaves=40,
)


def expected(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


class Level(enum.IntEnum):
    HIGH = 3


class Text(str):
    pass


@settings(max_examples=500, deadline=None)
@given(values)
@example({"a": [], "b": {}, "c": [[]], "d": '\x00\x1f\x7f\u2028\u2029"\\/é😀'})
@example(["\ud800", "x"])  # a lone surrogate: json writes it, orjson refuses
@example({"n": 2**63, "m": -(2**63) - 1, "u": 2**64 - 1, "v": 2**64})
@example([1e16, 1e-7, float("nan"), float("inf"), -0.0, 0.1])
@example({1: "key", False: "b", None: "n"})
@example([Level.HIGH, Text("sub"), {"k": Text("v")}])
def test_json_text_is_what_json_writes(value: Any) -> None:
    assert json_text(value) == expected(value)
    with mock.patch.object(tabular, "ORJSON_FROM", 0):  # orjson for every plain value
        assert json_text(value) == expected(value)


def test_deep_nesting_is_written_as_json_writes_it() -> None:
    value: Any = "leaf"
    for _ in range(300):  # deeper than orjson goes
        value = [value]
    with mock.patch.object(tabular, "ORJSON_FROM", 0):
        assert json_text(value) == expected(value)


def test_what_json_refuses_is_refused_alike() -> None:
    circular: list[Any] = []
    circular.append(circular)
    for value in (circular, {"when": object()}, {(1, 2): "tuple key"}):
        with (
            pytest.raises((ValueError, TypeError)) as ours,
            mock.patch.object(tabular, "ORJSON_FROM", 0),
        ):
            json_text(value)
        with pytest.raises((ValueError, TypeError)) as theirs:
            expected(value)
        assert type(ours.value) is type(theirs.value)


def test_the_files_of_a_release_are_plain_json(seed_release) -> None:
    """What orjson writes, when large: every JSON file of a release (its rows, its changes, its
    descriptor), read back, is plain JSON, so that the fast path is the one taken; each is
    written again byte for byte, by orjson too."""
    files = sorted((seed_release / "latest").rglob("*.json"))
    assert len(files) >= 5
    for path in files:
        value = json.loads(path.read_bytes())
        assert plain_size(value), path.name
        assert json_text(value).encode("utf-8") == path.read_bytes(), path.name
        with mock.patch.object(tabular, "ORJSON_FROM", 0):
            assert json_text(value).encode("utf-8") == path.read_bytes(), path.name


def test_the_size_of_a_plain_value_counts_every_value() -> None:
    assert plain_size([{"a": 1, "b": ["x", "y"]}, None]) == 7
    assert plain_size({"a": 1.5}) is None
    assert plain_size("x") == 1
