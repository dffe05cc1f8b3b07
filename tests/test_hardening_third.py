"""The third hardening round (issue 21, point 5): noncharacters, two labels of one type, hosts as
browsers parse them, the base URL, forged change lines, observed dates in the future, and what a
new user met. Each case was seen failing before its fix."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
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


# --- two labels, one type -----------------------------------------------------------------------


def test_two_labels_giving_one_type_id_are_refused_naming_both():
    assert len(read(SEED)["appointment_types"]) == 8
    text = SEED.replace("<b>Démarches autres</b>", "<b>Retrait d'un titre de sejour</b>", 1)
    with pytest.raises(NormaliseError) as caught:
        read(text)
    message = str(caught.value)
    assert message.startswith("row 6, column 'Type de rendez-vous': ")
    assert "« Retrait d'un titre de séjour »" in message
    assert "« Retrait d'un titre de sejour » (row 5)" in message
    assert "'retrait-d-un-titre-de-sejour'" in message


ORIGINAL = "Démarches autres"


def _spelt(character: str, how: str) -> str:
    if how == "upper":
        return character.upper()
    if how == "plain":
        return character.translate(str.maketrans("éèêàç", "eeeac"))
    return character


@given(
    st.lists(st.sampled_from(["keep", "upper", "plain"]), min_size=16, max_size=16),
    st.sampled_from([" ", "-", " - ", "'", " / "]),
)
def test_a_type_label_differing_only_in_what_its_id_drops_is_refused(changes, space):
    # another row's label rewritten (case, accents, punctuation) so that its id is the same
    label = "".join(map(_spelt, ORIGINAL, changes)).replace(" ", space)
    assume(label != ORIGINAL)
    text = SEED.replace("<p><b>Retrait d'un titre de séjour</b></p>", f"<p><b>{label}</b></p>", 1)
    with pytest.raises(NormaliseError, match=f"« {ORIGINAL} » .* give the same type id"):
        read(text)
