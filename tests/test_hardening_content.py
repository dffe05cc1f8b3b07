"""Hostile or broken text in the table (issue 11): Unicode variants, forged mailto links, injected
change lines and terminal escapes, deceptive links. Each is typed exactly or refused in one line."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from core.errors import NormaliseError
from core.markdown import markdown_escape
from extract import extract_table
from normalise import normalise
from rdv_opendata import pipeline
from rdv_opendata.settings import DEFAULT_SOURCE

SEED = DEFAULT_SOURCE.read_text(encoding="utf-8")


def read(text: str) -> dict:
    return normalise(extract_table(text.encode("utf-8")))


def typed(text: str) -> dict:
    return {k: v for k, v in read(text).items() if k != "source_cells"}


# --- 4. Unicode variants -----------------------------------------------------------------------


def test_decomposed_accents_give_the_same_data():
    lines = SEED.split("\n")
    nfd = "\n".join(unicodedata.normalize("NFD", line) for line in lines)
    assert nfd != SEED
    assert typed(nfd) == typed(SEED)


def test_a_cyrillic_letter_in_a_fact_word_is_refused_naming_the_word():
    spoofed = SEED.replace("Visibilité à 6 semaines", "Visibilit\u0435 à 6 semaines")
    with pytest.raises(NormaliseError) as caught:
        read(spoofed)
    message = str(caught.value)
    assert message.startswith("row 3, column 'Remarques': ")
    assert "'Visibilitе' mixes Latin and Cyrillic letters" in message


def test_a_whole_word_in_lookalike_letters_is_refused():
    # « SMS » in Cyrillic letters (Ѕ, М): no Latin letter in it, yet it reads as Latin
    spoofed = SEED.replace("avisées par SMS", "avisées par \u0405\u041c\u0405", 1)
    with pytest.raises(NormaliseError, match="row 6, column 'Remarques': .*looks like Latin"):
        read(spoofed)


def test_a_word_mixing_scripts_is_refused():
    spoofed = SEED.replace(
        "le lundi à 00h00. Visibilité à 6", "le \u04cfundi à 00h00. Visibilité à 6"
    )
    with pytest.raises(NormaliseError, match="'ӏundi' mixes Latin and Cyrillic letters"):
        read(spoofed)


@pytest.mark.parametrize("apostrophe", ["\u02bc", "\u2019", "\u2018", "`"])
def test_apostrophe_variants_keep_the_end_date(apostrophe):
    text = SEED.replace("(jusqu'au 18/12/2020)", f"(jusqu{apostrophe}au 18/12/2020)")
    campus = next(r for r in read(text)["locations"] if r["location_id"] == "antenne-campus")
    assert campus["valid_until"] == "2020-12-18"


def test_an_end_date_with_the_month_in_words_keeps_the_date():
    text = SEED.replace("(jusqu'au 18/12/2020)", "(jusqu'au 18 décembre 2020)")
    campus = next(r for r in read(text)["locations"] if r["location_id"] == "antenne-campus")
    assert campus["valid_until"] == "2020-12-18"


# --- 10. a mailto percent-decoded into a working Bcc -------------------------------------------


@pytest.mark.parametrize(
    "href",
    [
        "mailto:x%3Fbcc%3Devil%2540evil.fr%26@isere.gouv.fr",
        "mailto:x%26cc=evil@isere.gouv.fr",
        "mailto:%22a b%22@isere.gouv.fr",
        "mailto:x@isere.gouv.fr%0D%0ABcc:evil@evil.fr",
    ],
)
def test_a_mailto_that_decodes_to_more_than_an_address_is_refused(href):
    text = SEED.replace('"mailto:Pref-rdv-sejour@isere.gouv.fr"', f'"{href}"')
    with pytest.raises(
        NormaliseError, match="row 5, column 'Modalités de prise de rendez-vous': link"
    ):
        read(text)


# --- 11. injection into the change summary and the terminal ------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        "&#x1b;]0;PWNED&#x07;&#x1b;[2J",
        "a\u202eevil",
        "a\u2066b",
        "a\u0085b",  # NEL, a C1 control (&#x85; would be read as « … », as HTML says)
    ],
)
def test_control_and_bidi_characters_are_refused(payload):
    text = SEED.replace("<b>Démarches autres</b>", f"<b>Démarches autres {payload}</b>")
    with pytest.raises(
        NormaliseError, match="row 5, column 'Type de rendez-vous': .*character U\\+"
    ):
        read(text)


def test_markdown_never_breaks_a_line():
    text = "ligne 1\n- Type supprimé : Renouvellements\n===\n# titre"
    escaped = markdown_escape(text)
    assert "\n" not in escaped
    assert "\\#" in escaped


def test_remarks_cannot_forge_change_lines(seed_text, tmp_path: Path):
    output = tmp_path / "out"
    first = tmp_path / "a.txt"
    first.write_text(seed_text, encoding="utf-8")
    pipeline.run(str(first), output)
    forged = seed_text.replace(
        "<p>Le lien n'étant pas actif",
        "<p>- Type supprimé : Renouvellements de titre de séjour</p><p>===</p>"
        "<p>Le lien n'étant pas actif",
    )
    second = tmp_path / "b.txt"
    second.write_text(forged, encoding="utf-8")
    result = pipeline.run(str(second), output)
    assert result.version is not None
    summary = (output / "releases" / result.version / "CHANGES.md").read_text("utf-8")
    lines = summary.splitlines()
    assert not any(line.startswith("- Type supprimé") for line in lines)
    assert "===" not in lines
    assert len([line for line in lines if line.startswith("- ")]) == 1  # one changed row


# --- 13. deceptive links -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("href", "reason"),
    [
        ("https://www.isere.gouv.fr@evil.example/booking", "user name"),
        ("http://127.0.0.1/booking", "non-public host"),
        ("http://localhost:8080/x", "non-public host"),
        ("http://192.168.1.10/x", "non-public host"),
        ("http://[::1]/x", "non-public host"),
        ("http://10.0.0.1/x", "non-public host"),
        ("https://www.xn--isre-6oa.gouv.fr/x", None),  # a real IDN (isère): accepted
        (
            "https://xn--80ak6aa92e.com/x",
            "mixes scripts or looks like Latin",
        ),  # « аррӏе » in Cyrillic
        ("https://www.is\u0435re.gouv.fr/x", "mixes Latin and Cyrillic letters"),
    ],
)
def test_deceptive_links_are_refused(href, reason):
    text = SEED.replace("http://www.isere.gouv.fr/booking/create/24993</a>", f"{href}</a>").replace(
        '"http://www.isere.gouv.fr/booking/create/24993"', f'"{href}"'
    )
    if reason is None:
        channels = read(text)["channels"]
        assert any(c["url"] == href for c in channels)
        return
    with pytest.raises(NormaliseError) as caught:
        read(text)
    assert str(caught.value).startswith("row 2, column 'Modalités de prise de rendez-vous': ")
    assert reason in str(caught.value)
