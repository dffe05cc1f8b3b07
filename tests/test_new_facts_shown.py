"""People see the facts Contract 2 types: the French change summary says them plainly, and the
website shows days, hour ranges, phone lines and closures."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from rdv_opendata import pipeline

WALK_IN = "Sans rendez-vous, le mercredi après-midi, dans la limite de 10 places disponibles"
EMAIL_CELL = (
    '<p>Envoi d\'un mail à <a href="mailto:pref-sejour-ase@isere.gouv.fr">'
    "pref-sejour-ase@isere.gouv.fr</a></p>"
)


def reworded(seed: str) -> str:
    """The snapshot, reworded as the prefecture later words it."""
    return (
        seed.replace(WALK_IN, "Sans rendez-vous les lundi, mardi, mercredi et vendredi de 9h à 11h")
        .replace(
            EMAIL_CELL, "<p>Par téléphone au 04 65 71 98 76, du lundi au vendredi de 14h à 16h</p>"
        )
        .replace(
            "Antenne Campus (jusqu'au 18/12/2020)",
            "Antenne Campus (jusqu'au 5 janvier 2021 ; fermée du 21/12/2020 au 03/01/2021)",
        )
    )


@pytest.fixture(scope="module")
def published(tmp_path_factory, seed_text) -> Path:
    folder = tmp_path_factory.mktemp("shown")
    output = folder / "out"
    for name, text in (("a.txt", seed_text), ("b.txt", reworded(seed_text))):
        (folder / name).write_text(text, encoding="utf-8")
        pipeline.run(str(folder / name), output)
    return output


def test_the_change_summary_says_new_facts_plainly(published):
    summary = (published / "releases" / "1.1.0" / "CHANGES.md").read_text("utf-8")
    assert (
        "- Dépôt des dossiers d'admission exceptionnelle au séjour : jours mercredi → lundi, "
        "mardi, mercredi, vendredi ; horaires 9 h – 11 h ; moment après-midi → (vide) ; "
        "places 10 → (vide)"
    ) in summary
    assert (
        "- Modalité ajoutée : Mineurs non accompagnés (1ères demandes) (téléphone 04 65 71 98 76)"
        in (summary)
    )
    assert (
        "- Règle ajoutée : Mineurs non accompagnés (1ères demandes) (téléphone) (Horaires : du "
        "lundi au vendredi, de 14 h à 16 h)"
    ) in summary
    assert "- Antenne Campus : valable jusqu'au 18/12/2020 → 05/01/2021" in summary
    assert (
        "- Fermeture ajoutée : Antenne Campus, fermeture du 21 décembre 2020 au 3 janvier 2021"
    ) in summary


def test_the_site_shows_days_hours_phones_and_closures(published):
    page = BeautifulSoup((published / "site" / "index.html").read_text("utf-8"), "html.parser")
    text = " ".join(page.get_text(" ").split())
    assert "Sans rendez-vous les lundi, mardi, mercredi et vendredi, de 9 h à 11 h." in text
    assert "Horaires : du lundi au vendredi, de 14 h à 16 h." in text
    phone = page.find("a", href="tel:+33465719876")
    assert phone is not None and phone.get_text() == "04 65 71 98 76"
    assert "Fermeture du 21 décembre 2020 au 3 janvier 2021 (Antenne Campus)." in text
