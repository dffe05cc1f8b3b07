"""Every word of the calendars, in one place, in the current language (``core.i18n``): the
titles and descriptions of their events and of the calendars themselves, the alarm, and the
subscription links of the site.

Each sentence is a message of the catalogue: a constant (``TEXTS``, read as ``words.NAME`` in the
language of the moment, through the module's ``__getattr__``) or a function of plain values. The
facts' own wording (days, hours, dates, rule sentences) is ``publish.changes.french``'s, the
same as in the change summary and on the site.
"""

from __future__ import annotations

from typing import Any

from core.i18n import _
from publish.changes import french
from publish.changes.french import N_

#: the product identifier of every calendar (RFC 5545 PRODID): an identifier, not said to people
PRODID = "-//rdv-opendata//Calendriers des rendez-vous titres de séjour en Isère//FR"
ALARM_MINUTES = 10

#: the sentences read as constants (``words.CHECK``), each in the current language
TEXTS = {
    "ALL_TYPES_NAME": N_("Rendez-vous titres de séjour en Isère : tous les types de rendez-vous"),
    "SUBSCRIBE": N_("S'abonner"),
    "ALL_TYPES_LINK": N_("Calendrier de tous les types de rendez-vous"),
    "TYPE_LINK": N_("Calendrier de ce type de rendez-vous"),
    "NO_HOURS": N_("horaires non précisés"),
    "NO_RELEASE_TIME": N_("heure non précisée"),
    "CHECK": N_("D'après le tableau de la préfecture de l'Isère : vérifiez toujours sur son site."),
    "NEVER_INVENTED": N_(
        "Aucune heure n'est inventée : une règle sans heure est un événement sur la journée "
        "entière dont le titre le dit, et une règle sans jour de la semaine n'a pas d'événement."
    ),
    "NOTHING_YET": N_(
        "Pas d'événement pour l'instant : le tableau de la préfecture ne donne, pour ce type de "
        "rendez-vous, ni jour d'ouverture des créneaux, ni horaire d'accueil, ni fermeture, ni "
        "date de validité de lieu. Le calendrier en recevra dès qu'il en donnera."
    ),
    "TYPE_GONE": N_(
        "Ce type de rendez-vous n'est plus dans le tableau de la préfecture : ce calendrier n'a "
        "plus d'événement."
    ),
    "NO_WEEKDAY": N_("aucun jour de la semaine précisé"),
    "NOT_WEEKLY": N_("pas de fréquence hebdomadaire"),
    "NO_OCCURRENCE": N_("plus aucune date : le lieu n'accueille plus de rendez-vous ou est fermé"),
}
PERIODS = {
    "morning": N_("le matin"),
    "afternoon": N_("l'après-midi"),
    "all_day": N_("toute la journée"),
}


def __getattr__(name: str) -> str:
    if name in TEXTS:
        return _(TEXTS[name])
    raise AttributeError(name)


# --- the site's links --------------------------------------------------------------------------


def links_hint() -> str:
    said = _(
        "« S'abonner » ouvre votre agenda (téléphone, Thunderbird, Outlook, Calendrier d'Apple) ; "
        "pour un agenda en ligne, copiez l'adresse https dans « Ajouter un agenda à partir de "
        "l'URL ». Chaque ouverture de créneaux sonne {minutes} minutes avant, dans les agendas "
        "qui gardent les alarmes des abonnements."
    )
    return said.format(minutes=ALARM_MINUTES)


def web_address(scheme: str) -> str:
    """The label of a calendar's plain address: « adresse https »."""
    return _("adresse {scheme}").format(scheme=scheme)


# --- events ------------------------------------------------------------------------------------


def subject(type_label: str, applies_to: Any) -> str:
    """« Renouvellements de titre de séjour », « Étudiants… — Retrait d'un titre de séjour »."""
    label = french.one_line(type_label)
    return f"{label} — {french.one_line(applies_to)}" if applies_to else label


def release_title(about: str, timed: bool) -> str:
    if timed:
        return _("Ouverture des créneaux : {about}").format(about=about)
    said = _("Ouverture des créneaux ({no_time}) : {about}")
    return said.format(no_time=_(TEXTS["NO_RELEASE_TIME"]), about=about)


def hours_qualifier(period: Any, start: str | None, end: str | None) -> str | None:
    """What a title says of a walk-in or an opening when its hours are not a whole range:
    « l'après-midi, horaires non précisés », « à partir de 14 h », « jusqu'à 16 h »; None when
    the range is whole (the calendar shows it)."""
    if start and end:
        return None
    if start or end:
        return french.hours(start, end)
    no_hours = _(TEXTS["NO_HOURS"])
    if period and str(period) in PERIODS:
        return f"{_(PERIODS[str(period)])}, {no_hours}"
    return no_hours


def hours_title(rule_type: str, channel_kind: str, about: str, qualifier: str | None) -> str:
    """« Accueil sans rendez-vous (l'après-midi, horaires non précisés) : … », « Horaires
    (téléphone) : … »."""
    if rule_type == "walk_in":
        head = _("Accueil sans rendez-vous")
    else:
        head = _("Horaires ({kind})").format(kind=channel_kind)
    if qualifier:
        return _("{head} ({qualifier}) : {about}").format(
            head=head, qualifier=qualifier, about=about
        )
    return _("{head} : {about}").format(head=head, about=about)


def alarm(type_label: str) -> str:
    said = _("Les créneaux « {type} » ouvrent dans {minutes} minutes.")
    return said.format(type=french.one_line(type_label), minutes=ALARM_MINUTES)


def how_to_book(channel: dict[str, Any]) -> list[str]:
    """The lines of an event's description that say where to book: the link, the menu of the
    prefecture's site, the channel's own instructions."""
    lines = []
    if channel.get("url"):
        lines.append(_("Lien : {url}").format(url=channel["url"]))
    if channel.get("email"):
        lines.append(_("Courriel : {email}").format(email=channel["email"]))
    if channel.get("phone"):
        lines.append(_("Téléphone : {phone}").format(phone=french.phone(channel["phone"])))
    if channel.get("portal_path"):
        said = _("Sur le site de la préfecture, rubrique « {path} ».")
        lines.append(said.format(path=channel["portal_path"]))
    return lines + [line for line in (channel.get("instructions") or "").split("\n") if line]


def closure_title(place: str, open_ended: bool) -> str:
    head = _("Fermeture sans date de fin") if open_ended else _("Fermeture")
    return _("{head} : {about}").format(head=head, about=french.one_line(place))


def closure_text(place: str, closed_from: str, closed_until: str | None) -> str:
    """« Antenne Campus : fermeture du 21 décembre 2020 au 3 janvier 2021. »; an open-ended
    closure is an event on its first day only."""
    name = french.one_line(place)
    if closed_until:
        return _("{place} : {closure}.").format(
            place=name, closure=french.closure(closed_from, closed_until)
        )
    said = _(
        "{place} : fermeture à partir du {day}, sans date de fin connue (l'événement n'occupe "
        "que le premier jour)."
    )
    return said.format(place=name, day=french.date(closed_from))


def first_day_title(place: str) -> str:
    said = _("Premier jour d'accueil des rendez-vous : {place}")
    return said.format(place=french.one_line(place))


def first_day_text(place: str, day: str) -> str:
    said = _("{place} accueille les rendez-vous à partir du {day}.")
    return said.format(place=french.one_line(place), day=french.date(day))


def last_day_title(place: str) -> str:
    said = _("Dernier jour d'accueil des rendez-vous : {place}")
    return said.format(place=french.one_line(place))


def last_day_text(place: str, day: str, next_day: str) -> str:
    said = _(
        "{place} accueille les rendez-vous jusqu'au {day} ; à partir du {next_day}, ce lieu "
        "n'accueille plus de rendez-vous."
    )
    return said.format(
        place=french.one_line(place), day=french.date(day), next_day=french.date(next_day)
    )


# --- what a calendar says of itself ------------------------------------------------------------


def type_name(type_label: str) -> str:
    said = _("Rendez-vous titres de séjour en Isère : {type}")
    return said.format(type=french.one_line(type_label))


def calendar_intro(type_label: str | None) -> str:
    if type_label:
        about = _("pour « {type} »").format(type=french.one_line(type_label))
    else:
        about = _("pour chaque type")
    said = _(
        "Quand ouvrent les créneaux de rendez-vous {about}, les jours et heures d'accueil, les "
        "fermetures et les dates de validité des lieux, d'après le tableau « Modalités de prise "
        "de rendez-vous » de la préfecture de l'Isère."
    )
    return said.format(about=about)


def calendar_source(version: str, observed: str | None, published: str | None) -> str:
    if observed:
        seen = _("le {day}").format(day=french.short_date(observed))
    else:
        seen = _("à une date inconnue")
    said = _(
        "Informations relevées sur le site de la préfecture {seen} (version {version} des "
        "données, publiée le {published}). Ces informations peuvent changer : vérifiez toujours "
        "sur le site de la préfecture."
    )
    return said.format(seen=seen, version=version, published=french.short_date(published))


def unscheduled(about: str, sentence: str, why: str) -> str:
    """A rule that gives no event: « Sans événement (aucun jour de la semaine précisé) :
    Renouvellements… : Nouveaux créneaux à 9 h. »"""
    return _("Sans événement ({why}) : {about} : {sentence}").format(
        why=why, about=about, sentence=sentence
    )


def unread(row: dict[str, Any]) -> str:
    """An unread sentence of the table, named in the calendar's description."""
    said = _(
        "Phrase non lue (ligne {row}, colonne « {column} ») : {sentence} ; ses informations ne "
        "sont dans aucun événement : lisez-la sur le site de la préfecture."
    )
    return said.format(
        row=row.get("source_row"),
        column=french.one_line(row.get("column")),
        sentence=french.quoted(row.get("sentence")),
    )
