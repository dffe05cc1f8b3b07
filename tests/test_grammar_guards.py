"""Each phrase's guard lets through every text the phrase reads.

A guard (``grammar_words.phrase``) is a cheap regex of a phrase's first words, tried before the
phrase; a guard that forgets a first word silently refuses that wording. Here every phrase is
tried *without* its guard at every word of every sentence of the corpus (and of a few samples
for phrases the corpus lacks): wherever it reads something, its guard must match there too.
"""

from __future__ import annotations

import re

import pyparsing as pp
import pytest

from normalise import grammar as g
from normalise import lexicon
from tests.test_grammar_threads import corpus

#: one wording for each phrase the phrasing corpus does not hold
SAMPLES = [
    "Dépôt en ligne sur https://www.example.gouv.fr/demarche",
    "Le dossier est envoyé à l'adresse pref@example.gouv.fr",
    "Formulaire à remplir en ligne",
    "Hebdomadaire, chaque semaine, toutes les semaines",
    "toute la journée, en matinée, l'après-midi",
    "sera fermée du 1er au 3 mars 2021, est fermé le 4 mars 2021",
    "sera ouverte à compter du 5 mars 2021",
    "rouvrira le 8 mars 2021",
    "Visibles pendant 3 semaines, sur 2 semaines à l'avance",
    "limité à 12 personnes, douze places disponibles",
    "Réservation en ligne sur https://www.example.gouv.fr/rdv",
    "24 heures sur 24, 7 jours sur 7",
    "Site internet de la préfecture : https://www.example.gouv.fr/",
    "Par mail à pref@example.gouv.fr",
]
PHRASES = [rule for rule in g.PHRASES if rule.name != "filler"]
TEXTS = [lexicon.reading_form(t) for t in corpus() + SAMPLES]
WORD_STARTS = re.compile(r"(?<!\S)\S|(?<=\w)[^\w\s]|(?<=[^\w\s])\w")


def reads_at(rule: g.PhraseRule, text: str, loc: int) -> bool:
    try:
        rule.element._parse(text, loc)
    except pp.ParseException:
        return False
    except g.SentenceError:
        return True  # the phrase recognised its words (and found their value impossible)
    return True


def readings() -> dict[str, list[tuple[str, int]]]:
    """Phrase name -> the (text, position) pairs where the phrase reads, guard or not."""
    found: dict[str, list[tuple[str, int]]] = {rule.name: [] for rule in PHRASES}
    for text in TEXTS:
        for start in WORD_STARTS.finditer(text):
            for rule in PHRASES:
                if reads_at(rule, text, start.start()):
                    found[rule.name].append((text, start.start()))
    return found


READINGS = readings()


@pytest.mark.parametrize("rule", PHRASES, ids=[rule.name for rule in PHRASES])
def test_every_reading_of_a_phrase_passes_its_guard(rule):
    missed = [
        text[loc : loc + 30] for text, loc in READINGS[rule.name] if not rule.guard.match(text, loc)
    ]
    assert not missed, f"the guard of {rule.name!r} skips: {missed[:5]}"


@pytest.mark.parametrize("rule", PHRASES, ids=[rule.name for rule in PHRASES])
def test_every_phrase_is_read_somewhere_in_the_corpus(rule):
    assert READINGS[rule.name], f"no sentence of the corpus or the samples reads {rule.name!r}"


def test_every_phrase_and_building_block_is_named():
    for rule in g.PHRASES:
        assert rule.element.customName == rule.name
    from normalise import grammar_channels, grammar_dates, grammar_times, grammar_words

    for module in (grammar_words, grammar_times, grammar_dates, grammar_channels):
        for name, value in vars(module).items():
            if name.isupper() and isinstance(value, pp.ParserElement):
                assert value.customName, f"{module.__name__}.{name} has no name"
