"""Every French sentence that says how old the facts are, in one place, for the pages, the feeds
and the calendars alike: each a function of plain values, so that a gettext catalogue can later
take them one by one."""

from __future__ import annotations

from publish.changes.french import short_date


def dates(checked: str, changed: str) -> str:
    """The two dates: the last successful check of the page, the last change of its facts."""
    return (
        f"Page de la préfecture vérifiée pour la dernière fois le {short_date(checked)} ; "
        f"informations modifiées pour la dernière fois le {short_date(changed)}."
    )


def stale(checked: str) -> str:
    """The warning past the threshold without a successful check."""
    return (
        f"Ces informations n'ont pas été vérifiées depuis le {short_date(checked)} : elles ont "
        "pu changer. Vérifiez sur le site de la préfecture avant de vous déplacer."
    )


def demo(observed: str) -> str:
    """The bundled snapshot's notice: a demonstration, with the year of its data."""
    return (
        f"Démonstration avec les données de {observed[:4]} : ces informations sont celles du "
        f"tableau de la préfecture relevé le {short_date(observed)}, joint au projet comme "
        "exemple. Elles ne sont pas à jour : ne vous en servez pas pour prendre rendez-vous."
    )
