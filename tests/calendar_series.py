"""Three releases for the calendar tests, published by the real pipeline with a fixed clock, and
the calendars of the site after each one.

- 1.0.0, the bundled snapshot, observed 2020-12-17: weekly slot releases on Mondays at 0 h, a
  walk-in on Wednesday afternoons without hours, Antenne Campus valid until 2020-12-18;
- 1.1.0, observed 2021-01-14: the renewals' slots open on Tuesdays at 9 h 30, the walk-in is
  Monday to Thursday 8 h 45 – 11 h 45 at the Préfecture, closed from 29/03/2021 to 02/04/2021
  (the week after the spring change of time), the « Retrait » rule and the « Démarches autres »
  type are removed, and an unread sentence is added to the renewals' remarks;
- 1.2.0, observed 2021-02-11: the « 1ères demandes » slots open at 8 h instead of 0 h.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from publish import layout
from rdv_opendata import pipeline

BASE_URL = "https://donnees.example.org/rdv"
RENEWALS = "renouvellements-de-titre-de-sejour"
FIRST_REQUESTS = "1eres-demandes-de-titre-de-sejour"
WALK_IN_TYPE = "depot-des-dossiers-d-admission-exceptionnelle-au-sejour"
WITHDRAWAL = "retrait-d-un-titre-de-sejour"
STUDENTS = "etudiants-chercheurs-scientifiques-et-membres-de-leur-famille"
OTHERS = "demarches-autres"
UNREAD = "Ouverture des créneaux le premier lundi du mois à 9h."

WALK_IN = "Sans rendez-vous, le mercredi après-midi, dans la limite de 10 places disponibles\t\t"
TIMED_WALK_IN = (
    "Sans rendez-vous, du lundi au jeudi de 8h45 à 11h45\t"
    "Préfecture (fermée du 29/03/2021 au 02/04/2021)\t"
)
MONDAY = "Ouverture des créneaux de semaine en semaine le lundi à 00h00."
TUESDAY = "Ouverture des créneaux de semaine en semaine le mardi à 9h30."
EIGHT = "Ouverture des créneaux de semaine en semaine le lundi à 08h00."
RENEWALS_REMARK = f"{MONDAY} Visibilité à 6 semaines."
WITHDRAWAL_RULE = f"<p>{MONDAY} Visibilité à 4 semaines.</p>"


def _edit_lines(text: str, starts: str, old: str, new: str) -> str:
    """``text`` with ``old`` replaced by ``new`` on the one line that starts with ``starts``."""
    lines = text.splitlines(keepends=True)
    chosen = [n for n, line in enumerate(lines) if line.startswith(starts)]
    assert len(chosen) == 1 and old in lines[chosen[0]], (starts, old)
    lines[chosen[0]] = lines[chosen[0]].replace(old, new)
    return "".join(lines)


def second(seed: str) -> str:
    assert seed.count(WALK_IN) == 1 and seed.count(RENEWALS_REMARK) == 1
    text = seed.replace(WALK_IN, TIMED_WALK_IN).replace(
        RENEWALS_REMARK, f"{TUESDAY} Visibilité à 6 semaines. {UNREAD}"
    )
    text = _edit_lines(text, "<p><b>Retrait d'un titre de séjour</b>", WITHDRAWAL_RULE, "")
    return "".join(
        line for line in text.splitlines(keepends=True) if "Démarches autres" not in line
    )


def third(seed: str) -> str:
    return _edit_lines(second(seed), "<b>1ères demandes de titre de séjour</b>", MONDAY, EIGHT)


#: (version, SOURCE_DATE_EPOCH, observed day, edit of the snapshot)
STEPS = (
    ("1.0.0", 1608422400, "2020-12-17", str),
    ("1.1.0", 1610668800, "2021-01-14", second),
    ("1.2.0", 1613088000, "2021-02-11", third),
)


def published_at(epoch: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch, dt.UTC)


@dataclass(frozen=True)
class Series:
    output: Path
    #: per version: every calendar of the site after that release (path in site/ -> bytes)
    calendars: dict[str, dict[str, bytes]]


def calendar_files(site: Path) -> dict[str, bytes]:
    found = [site / layout.MAIN_CALENDAR, *(site / layout.TYPE_CALENDARS_DIR).glob("*.ics")]
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(found)}


def build_calendar_series(folder: Path, seed: str) -> Series:
    output = folder / "out"
    calendars = {}
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    try:
        for version, epoch, observed, edit in STEPS:
            os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
            source = folder / f"{version}.txt"
            source.write_text(edit(seed), encoding="utf-8")
            result = pipeline.run(str(source), output, observed=observed, base_url=BASE_URL)
            assert result.version == version, result
            calendars[version] = calendar_files(output / layout.SITE_DIR)
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    return Series(output, calendars)
