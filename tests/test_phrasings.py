"""The phrasing corpus (``tests/fixtures/phrasings/*.jsonl``): each wording is read exactly, or is
unread: published as a row of ``unread_sentences`` (the rest of the row read), and refused with
``--strict`` in a one-line message naming the row, the column and the sentence. A few wordings
(``"always": true``) are refused in either mode: hostile links, facts in a place's name; and a
« Modalités » cell whose only sentence is unread names no channel (``"default_error"``).

To teach the reader a new wording: add its line to ``read.jsonl``, see it fail, extend one phrase
of ``normalise/grammar.py`` (or, without code, add a reviewed reading to ``readings.toml``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from core.errors import NormaliseError
from core.settings import COL_LOCATION, COL_MODALITIES, COL_REMARKS
from normalise.readings import ReadingPolicy
from tests.phrasing import read_facts

HERE = Path(__file__).parent / "fixtures" / "phrasings"
COLUMNS = {"modalities": COL_MODALITIES, "place": COL_LOCATION, "remarks": COL_REMARKS}


def cases(name: str) -> list[dict]:
    lines = (HERE / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


READ, REFUSED = cases("read.jsonl"), cases("refused.jsonl")


def test_the_corpus_is_large_enough():
    assert len(READ) >= 30 and len(REFUSED) >= 3


@pytest.mark.parametrize("case", READ, ids=[c["text"][:60] for c in READ])
def test_phrasing_is_read_exactly(case):
    found = read_facts(**{case["column"]: case["text"]})
    for key, expected in case["expect"].items():
        assert found[key] == expected, key
    assert found["instructions"] is None  # nothing of these sentences is left as free text
    assert found["unread"] == []


@pytest.mark.parametrize("case", REFUSED, ids=[c["text"][:60] for c in REFUSED])
def test_phrasing_is_unread_and_the_row_still_published(case):
    if case.get("always") or case.get("default_error"):
        # refused in either mode: the same message as strict, unless the case names another
        with pytest.raises(
            NormaliseError, match=re.escape(case.get("default_error") or case["error"])
        ):
            read_facts(**{case["column"]: case["text"]})
        return
    found = read_facts(**{case["column"]: case["text"]})
    assert found["unread"], "the sentence is listed in unread_sentences"
    for row in found["unread_rows"]:
        assert row["column"] == COLUMNS[case["column"]] and row["source_row"] == 1
        assert row["tokens"] and row["reason"]
        assert row["sentence"] in " ".join(case["text"].split())
    assert found["channel"]["channel_type"]  # the row is read all the same


@pytest.mark.parametrize("case", REFUSED, ids=[c["text"][:60] for c in REFUSED])
def test_phrasing_is_refused_with_strict_naming_row_column_and_sentence(case):
    with pytest.raises(NormaliseError) as caught:
        read_facts(ReadingPolicy(strict=True), **{case["column"]: case["text"]})
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"row 1, column {COLUMNS[case['column']]!r}: "), message
    assert case["error"] in message
