"""Every sentence that says how old the facts are, in one place, for the pages, the feeds and
the calendars alike, in the current language (``core.i18n``)."""

from __future__ import annotations

from core.i18n import _
from publish.changes.french import short_date


def dates(checked: str, changed: str) -> str:
    """The two dates: the last successful check of the page, the last change of its facts."""
    said = _(
        "Page de la préfecture vérifiée pour la dernière fois le {checked} ; informations "
        "modifiées pour la dernière fois le {changed}."
    )
    return said.format(checked=short_date(checked), changed=short_date(changed))


def stale(checked: str) -> str:
    """The warning past the threshold without a successful check."""
    said = _(
        "Ces informations n'ont pas été vérifiées depuis le {checked} : elles ont pu changer. "
        "Vérifiez sur le site de la préfecture avant de vous déplacer."
    )
    return said.format(checked=short_date(checked))


def demo(observed: str) -> str:
    """The bundled snapshot's notice: a demonstration, with the year of its data."""
    said = _(
        "Démonstration avec les données de {year} : ces informations sont celles du tableau de "
        "la préfecture relevé le {observed}, joint au projet comme exemple. Elles ne sont pas à "
        "jour : ne vous en servez pas pour prendre rendez-vous."
    )
    return said.format(year=observed[:4], observed=short_date(observed))
