"""Every French word of the calendars, in one place: the titles and descriptions of their events
and of the calendars themselves, the alarm, and the subscription links of the site.

Each sentence is a constant or a function of plain values, so that a gettext catalogue can later
take them one by one (``_("…")`` around each template, the values put in with ``format``). The
facts' own wording (days, hours, dates, rule sentences) is ``publish.changes.french``'s, the same
as in the change summary and on the site.
"""

from __future__ import annotations

from typing import Any

from publish.changes import french

#: the product identifier of every calendar (RFC 5545 PRODID)
PRODID = "-//rdv-opendata//Calendriers des rendez-vous titres de séjour en Isère//FR"
ALL_TYPES_NAME = "Rendez-vous titres de séjour en Isère : tous les types de rendez-vous"
ALARM_MINUTES = 10

# --- the site's links --------------------------------------------------------------------------

SUBSCRIBE = "S'abonner"
ALL_TYPES_LINK = "Calendrier de tous les types de rendez-vous"
TYPE_LINK = "Calendrier de ce type de rendez-vous"
LINKS_HINT = (
    "« S'abonner » ouvre votre agenda (téléphone, Thunderbird, Outlook, Calendrier d'Apple) ; "
    "pour un agenda en ligne, copiez l'adresse https dans « Ajouter un agenda à partir de "
    f"l'URL ». Chaque ouverture de créneaux sonne {ALARM_MINUTES} minutes avant, dans les "
    "agendas qui gardent les alarmes des abonnements."
)


def web_address(scheme: str) -> str:
    """The label of a calendar's plain address: « adresse https »."""
    return f"adresse {scheme}"


# --- events ------------------------------------------------------------------------------------

PERIODS = {"morning": "le matin", "afternoon": "l'après-midi", "all_day": "toute la journée"}
NO_HOURS = "horaires non précisés"
NO_RELEASE_TIME = "heure non précisée"
CHECK = "D'après le tableau de la préfecture de l'Isère : vérifiez toujours sur son site."


def subject(type_label: str, applies_to: Any) -> str:
    """« Renouvellements de titre de séjour », « Étudiants… — Retrait d'un titre de séjour »."""
    label = french.one_line(type_label)
    return f"{label} — {french.one_line(applies_to)}" if applies_to else label


def release_title(about: str, timed: bool) -> str:
    head = "Ouverture des créneaux" if timed else f"Ouverture des créneaux ({NO_RELEASE_TIME})"
    return f"{head} : {about}"


def hours_qualifier(period: Any, start: str | None, end: str | None) -> str | None:
    """What a title says of a walk-in or an opening when its hours are not a whole range:
    « l'après-midi, horaires non précisés », « à partir de 14 h », « jusqu'à 16 h »; None when
    the range is whole (the calendar shows it)."""
    if start and end:
        return None
    if start or end:
        return french.hours(start, end)
    said = PERIODS.get(str(period)) if period else None
    return f"{said}, {NO_HOURS}" if said else NO_HOURS


def hours_title(rule_type: str, channel_kind: str, about: str, qualifier: str | None) -> str:
    """« Accueil sans rendez-vous (l'après-midi, horaires non précisés) : … », « Horaires
    (téléphone) : … »."""
    head = "Accueil sans rendez-vous" if rule_type == "walk_in" else f"Horaires ({channel_kind})"
    return f"{head} ({qualifier}) : {about}" if qualifier else f"{head} : {about}"


def alarm(type_label: str) -> str:
    return f"Les créneaux « {french.one_line(type_label)} » ouvrent dans {ALARM_MINUTES} minutes."


def how_to_book(channel: dict[str, Any]) -> list[str]:
    """The lines of an event's description that say where to book: the link, the menu of the
    prefecture's site, the channel's own instructions."""
    lines = []
    if channel.get("url"):
        lines.append(f"Lien : {channel['url']}")
    if channel.get("email"):
        lines.append(f"Courriel : {channel['email']}")
    if channel.get("phone"):
        lines.append(f"Téléphone : {french.phone(channel['phone'])}")
    if channel.get("portal_path"):
        lines.append(f"Sur le site de la préfecture, rubrique « {channel['portal_path']} ».")
    return lines + [line for line in (channel.get("instructions") or "").split("\n") if line]


def closure_title(place: str, open_ended: bool) -> str:
    head = "Fermeture sans date de fin" if open_ended else "Fermeture"
    return f"{head} : {french.one_line(place)}"


def closure_text(place: str, closed_from: str, closed_until: str | None) -> str:
    """« Antenne Campus : fermeture du 21 décembre 2020 au 3 janvier 2021. »; an open-ended
    closure is an event on its first day only."""
    name = french.one_line(place)
    if closed_until:
        return f"{name} : {french.closure(closed_from, closed_until)}."
    return (
        f"{name} : fermeture à partir du {french.date(closed_from)}, sans date de fin connue "
        "(l'événement n'occupe que le premier jour)."
    )


def first_day_title(place: str) -> str:
    return f"Premier jour d'accueil des rendez-vous : {french.one_line(place)}"


def first_day_text(place: str, day: str) -> str:
    return f"{french.one_line(place)} accueille les rendez-vous à partir du {french.date(day)}."


def last_day_title(place: str) -> str:
    return f"Dernier jour d'accueil des rendez-vous : {french.one_line(place)}"


def last_day_text(place: str, day: str, next_day: str) -> str:
    return (
        f"{french.one_line(place)} accueille les rendez-vous jusqu'au {french.date(day)} ; "
        f"à partir du {french.date(next_day)}, ce lieu n'accueille plus de rendez-vous."
    )


# --- what a calendar says of itself ------------------------------------------------------------


def type_name(type_label: str) -> str:
    return f"Rendez-vous titres de séjour en Isère : {french.one_line(type_label)}"


def calendar_intro(type_label: str | None) -> str:
    about = f"pour « {french.one_line(type_label)} »" if type_label else "pour chaque type"
    return (
        f"Quand ouvrent les créneaux de rendez-vous {about}, les jours et heures d'accueil, "
        "les fermetures et les dates de validité des lieux, d'après le tableau « Modalités de "
        "prise de rendez-vous » de la préfecture de l'Isère."
    )


def calendar_source(version: str, observed: str | None, published: str | None) -> str:
    seen = f"le {french.short_date(observed)}" if observed else "à une date inconnue"
    return (
        f"Informations relevées sur le site de la préfecture {seen} (version {version} des "
        f"données, publiée le {french.short_date(published)}). Ces informations peuvent "
        "changer : vérifiez toujours sur le site de la préfecture."
    )


NEVER_INVENTED = (
    "Aucune heure n'est inventée : une règle sans heure est un événement sur la journée "
    "entière dont le titre le dit, et une règle sans jour de la semaine n'a pas d'événement."
)
NOTHING_YET = (
    "Pas d'événement pour l'instant : le tableau de la préfecture ne donne, pour ce type de "
    "rendez-vous, ni jour d'ouverture des créneaux, ni horaire d'accueil, ni fermeture, ni date "
    "de validité de lieu. Le calendrier en recevra dès qu'il en donnera."
)
TYPE_GONE = (
    "Ce type de rendez-vous n'est plus dans le tableau de la préfecture : ce calendrier n'a "
    "plus d'événement."
)


def unscheduled(about: str, sentence: str, why: str) -> str:
    """A rule that gives no event: « Sans événement (aucun jour de la semaine précisé) :
    Renouvellements… : Nouveaux créneaux à 9 h. »"""
    return f"Sans événement ({why}) : {about} : {sentence}"


NO_WEEKDAY = "aucun jour de la semaine précisé"
NOT_WEEKLY = "pas de fréquence hebdomadaire"
NO_OCCURRENCE = "plus aucune date : le lieu n'accueille plus de rendez-vous ou est fermé"


def unread(row: dict[str, Any]) -> str:
    """An unread sentence of the table, named in the calendar's description."""
    return (
        f"Phrase non lue (ligne {row.get('source_row')}, colonne "
        f"« {french.one_line(row.get('column'))} ») : {french.quoted(row.get('sentence'))} ; "
        "ses informations ne sont dans aucun événement : lisez-la sur le site de la préfecture."
    )
