"""The third hardening round (issue 21, point 5): noncharacters, two labels of one type, hosts as
browsers parse them, the base URL, forged change lines, observed dates in the future, and what a
new user met. Each case was seen failing before its fix."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import NormaliseError
from extract import extract_table
from normalise import normalise
from rdv_opendata.settings import DEFAULT_SOURCE

SEED = DEFAULT_SOURCE.read_text(encoding="utf-8")


def read(text: str) -> dict:
    return normalise(extract_table(text.encode("utf-8")))


# --- noncharacters ------------------------------------------------------------------------------

NONCHARACTERS = [chr(c) for c in range(0xFDD0, 0xFDF0)] + [
    chr(plane * 0x10000 + low) for plane in range(17) for low in (0xFFFE, 0xFFFF)
]


@pytest.mark.parametrize("character", ["\ufffe", "\uffff", "\ufdd0", "\U0010ffff"])
def test_a_noncharacter_is_refused_naming_row_and_column(character):
    text = SEED.replace("Visibilité à 6 semaines", f"Visibilité{character} à 6 semaines", 1)
    with pytest.raises(NormaliseError) as caught:
        read(text)
    message = str(caught.value)
    assert message.startswith("row 3, column 'Remarques': the text holds the character U+")
    assert f"U+{ord(character):04X} (a noncharacter)" in message


@given(st.sampled_from(NONCHARACTERS), st.sampled_from(["Préfecture", "Conjoints de français"]))
def test_every_noncharacter_is_refused_in_any_column(character, anchor):
    text = SEED.replace(anchor, anchor + character, 1)
    with pytest.raises(NormaliseError, match="a noncharacter"):
        read(text)
