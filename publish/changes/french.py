"""How facts are said, for the change summary and the website (one wording for both), in the
current language (``core.i18n``: French msgids, a catalogue per other language).

« lundi, mardi et vendredi », « 9 h – 11 h », « 04 65 71 98 76 », « fermée du 21 décembre 2020 au
3 janvier 2021 ». Pure functions of plain values (ISO strings, enum values); day and month names
from Babel's CLDR data.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from core.i18n import (
    DEFAULT,
    N_,
    WEEKDAYS,
    _,
    catalogue,
    current,
    day_name,
    long_date,
    numeric_date,
)
from publish.changes.records import SchemaChange

PERIODS_FR = {
    "morning": N_("matin"),
    "afternoon": N_("après-midi"),
    "all_day": N_("toute la journée"),
}
FREQUENCIES_FR = {"weekly": N_("chaque semaine")}
RULE_TYPES_FR = {
    "slot_release": N_("ouverture de créneaux"),
    "walk_in": N_("sans rendez-vous"),
    "opening_hours": N_("horaires d'ouverture"),
}
SCOPES_FR = {"included": N_("comprise"), "excluded": N_("exclue")}
ROLES_FR = {
    "booking": N_("prise de rendez-vous"),
    "form_inbox": N_("réception des formulaires"),
    "other": N_("autre"),
}


def said(words: dict[str, str], value: Any) -> str:
    """A code's words (one of the tables above) in the current language; an unknown code as it
    is."""
    return _(words[value]) if value in words else str(value)


def join(items: list[str]) -> str:
    """« a », « a et b », « a, b et c »."""
    if len(items) <= 1:
        return "".join(items)
    return _("{items} et {last}").format(items=", ".join(items[:-1]), last=items[-1])


def days(values: list[str] | str | None) -> str:
    if not values:
        return ""
    if isinstance(values, str):
        values = values.split(",")
    return ", ".join(day_name(v) for v in values)


def days_phrase(values: list[str] | None) -> str:
    """« le lundi », « les lundi et jeudi », « du mardi au vendredi » (3+ days in a row)."""
    if not values:
        return ""
    order = list(WEEKDAYS)
    names = [day_name(v) for v in values]
    indexes = [order.index(v) for v in values]
    if len(values) >= 3 and indexes == list(range(indexes[0], indexes[-1] + 1)):
        return _("du {first} au {last}").format(first=names[0], last=names[-1])
    if len(names) == 1:
        return _("le {day}").format(day=names[0])
    return _("les {days}").format(days=join(names))


def hours_phrase(start: str | None, end: str | None) -> str:
    """« de 14 h à 16 h », « à partir de 14 h », « jusqu'à 16 h »."""
    if start and end:
        return _("de {start} à {end}").format(start=time(start), end=time(end))
    return hours(start, end)


def time(value: str | None) -> str:
    """« 00:00:00 » -> « 0 h », « 08:45:00 » -> « 8 h 45 »."""
    if not value:
        return ""
    parsed = dt.time.fromisoformat(value)
    if parsed.minute:
        return _("{hour} h {minute:02d}").format(hour=parsed.hour, minute=parsed.minute)
    return _("{hour} h").format(hour=parsed.hour)


def hours(start: str | None, end: str | None) -> str:
    if not start and not end:
        return ""
    if start and end:
        return _("{start} – {end}").format(start=time(start), end=time(end))
    if start:
        return _("à partir de {start}").format(start=time(start))
    return _("jusqu'à {end}").format(end=time(end))


def date(value: str | None) -> str:
    """« 2020-12-21 » -> « 21 décembre 2020 » (« 1er » for the first of a month)."""
    if not value:
        return ""
    return long_date(dt.date.fromisoformat(value))


def short_date(value: Any) -> str | None:
    """« 17/12/2020 » for an ISO day or a timestamp (its day); None when it is neither."""
    try:
        return numeric_date(dt.date.fromisoformat(str(value)[:10]))
    except ValueError:
        return None


def closure(closed_from: str, closed_until: str) -> str:
    """« fermeture du 21 décembre 2020 au 3 janvier 2021 » (neutral: a place has a gender)."""
    if closed_from == closed_until:
        return _("fermeture le {day}").format(day=date(closed_from))
    return _("fermeture du {first} au {last}").format(
        first=date(closed_from), last=date(closed_until)
    )


def phone(value: str | None) -> str:
    """E.164 to the way it is written in France: « +33465719876 » -> « 04 65 71 98 76 »."""
    if not value:
        return ""
    if value.startswith("+33") and len(value) == 12:
        national = "0" + value[3:]
        return " ".join(national[i : i + 2] for i in range(0, 10, 2))
    return value


#: what a slot rule's sentence never says: a large table repeats one rule under thousands of
#: types, and only these differ
RULE_IDENTIFIERS = frozenset({"rule_id", "channel_id"})


class _Said(dict[tuple[Any, ...], str]):
    """Sentences said, by language, catalogue and what the rule says (``rule_sentence``);
    ``cache_clear`` as ``functools`` caches have it (a new process's state, for benchmarks)."""

    def cache_clear(self) -> None:
        self.clear()


_SENTENCES = _Said()
SENTENCES_KEPT = 4096


def rule_sentence(row: dict[str, Any]) -> str:
    """A slot rule as a sentence for people: « Sans rendez-vous du mardi au vendredi, de 8 h 45 à
    11 h 45, dans la limite de 15 places. » Said once per language for all the rules that say the
    same (the home page, the change lines and the calendars each say every rule)."""
    try:
        key = (
            current(),
            catalogue(),
            *(
                (k, tuple(v) if type(v) is list else v)
                for k, v in row.items()
                if k not in RULE_IDENTIFIERS
            ),
        )
        return _SENTENCES[key]
    except KeyError:
        if len(_SENTENCES) >= SENTENCES_KEPT:
            _SENTENCES.clear()
        said = _SENTENCES[key] = _rule_sentence(row)
        return said
    except TypeError:  # a value that is no key (never in a valid row)
        return _rule_sentence(row)


def _rule_sentence(row: dict[str, Any]) -> str:
    days_said = days_phrase(row.get("weekdays"))
    single = len(row.get("weekdays") or []) == 1
    if row["rule_type"] == "slot_release" and row.get("frequency") == "weekly" and single:
        days_said = _("chaque {day}").format(day=day_name(row["weekdays"][0]))
    when = [days_said] if days_said else []
    if row.get("period"):
        when[-1:] = [f"{' '.join(when)} {said(PERIODS_FR, row['period'])}".strip()]
    if row.get("start_time") or row.get("end_time"):
        when.append(hours_phrase(row.get("start_time"), row.get("end_time")))
    if row["rule_type"] == "slot_release":
        return _release_sentence(row, when)
    head = _("Sans rendez-vous") if row["rule_type"] == "walk_in" else _("Horaires :")
    text = ", ".join([head + (" " + when[0] if when else ""), *when[1:]]).replace(":,", ":")
    if row.get("capacity"):
        text += _(", dans la limite de {capacity} places").format(capacity=row["capacity"])
    return text + "."


def _release_sentence(row: dict[str, Any], when: list[str]) -> str:
    new = _("Nouveaux créneaux")
    head = " ".join([new, *when])
    if row.get("time"):
        head += " " + _("à {time}").format(time=time(row["time"]))
    visible = _("visibles {weeks} semaines à l'avance").format(weeks=row["visibility_weeks"])
    if not row.get("visibility_weeks"):
        return head + "."
    if head == new:
        return _("Créneaux {visible}.").format(visible=visible)
    return _("{head} ; {visible}.").format(head=head, visible=visible)


def one_line(text: Any) -> str:
    """Untrusted text on one line: every run of white space (line breaks, Unicode separators)
    is one space, and a character that is not printable is shown as « \ufffd »."""
    said = " ".join(str(text if text is not None else "").split())
    if said.isprintable():  # nearly always: no character to replace, none read one by one
        return said
    return "".join(c if c.isprintable() else "\ufffd" for c in said)


def quoted(text: Any) -> str:
    """« text », on one line (``one_line``); nothing for no text."""
    return f"« {one_line(text)} »" if text else ""


#: how a changed field of a row is said: field -> (words, how to say a value)
FIELD_SAYING: dict[str, tuple[str, Callable[[Any], str]]] = {
    "weekdays": (N_("jours"), days),
    "time": (N_("heure d'ouverture des créneaux"), time),
    "period": (N_("moment"), lambda v: said(PERIODS_FR, v) if v else ""),
    "frequency": (N_("fréquence"), lambda v: said(FREQUENCIES_FR, v) if v else ""),
    "phone": (N_("téléphone"), phone),
    "closed_until": (N_("fermé jusqu'au"), date),
    # unread_sentences: the prefecture's words, quoted; what the detector saw
    "sentence": (N_("phrase"), quoted),
    "tokens": (N_("faits repérés"), lambda v: ", ".join(map(one_line, v)) if v else ""),
}


#: how a schema change is said: kind -> sentence (resource and field titles filled in)
SCHEMA_CHANGES_FR = {
    "resource-added": N_("nouvelle table {resource}"),
    "resource-removed": N_("table {resource} retirée"),
    "field-added": N_("nouveau champ {field} dans {resource}"),
    "field-removed": N_("champ {field} retiré de {resource}"),
    "field-renamed": N_("champ {field} renommé dans {resource} ({detail})"),
    "field-retyped": N_("type du champ {field} de {resource} modifié ({detail})"),
    "constraint-loosened": N_("{detail} du champ {field} de {resource} assouplie"),
    "constraint-tightened": N_("{detail} du champ {field} de {resource} resserrée"),
    "primary-key-changed": N_("clé primaire de {resource} modifiée ({detail})"),
    "foreign-key-added": N_("nouvelle référence de {resource} vers {detail}"),
    "foreign-key-removed": N_("référence de {resource} vers {detail} retirée"),
}


CONSTRAINTS_FR = {
    "enum": N_("liste des valeurs permises"),
    "required": N_("obligation"),
    "unique": N_("unicité"),
    "pattern": N_("forme imposée"),
}


def schema_change(change: SchemaChange, resource_title: str, field_title: str | None) -> str:
    """« Schéma (changement incompatible) : champ « Jour » (weekday) retiré de « Règles… » »."""
    kind = change["kind"]
    template = (
        _(SCHEMA_CHANGES_FR[kind]) if kind in SCHEMA_CHANGES_FR else kind + " {resource} {field}"
    )
    field = f"« {field_title} » ({change['field']})" if change.get("field") else ""
    detail = change.get("detail", "")
    if kind.startswith("constraint-"):
        detail = (
            _(CONSTRAINTS_FR[detail])
            if detail in CONSTRAINTS_FR
            else _("contrainte {detail}").format(detail=detail)
        )
    text = template.format(resource=f"« {resource_title} »", field=field, detail=detail)
    head = _("Schéma (changement incompatible)") if change.get("breaking") else _("Schéma")
    return _("{head} : {text}").format(head=head, text=text)


NBSP = "\u00a0"
_OPENING = re.compile(r"«\s*")
_CLOSING = re.compile(r"\s*»")
_BEFORE_SIGN = re.compile(r"\s+([:;!?])")
#: what the three above change: a text without any is left as it is, unread by them
_SIGNS = re.compile("[«»:;!?]")


def typography(text: str) -> str:
    """French typography for text shown to people: a non-breaking space inside « » and before
    : ; ! ? where a space is written (« 10:30 » and « https:// » are left alone), so a line
    never starts with a sign or leaves a guillemet alone. The published data keep their own
    spaces: this is for display only."""
    if current() != DEFAULT or not _SIGNS.search(text):
        return text
    text = _OPENING.sub("«" + NBSP, text)
    text = _CLOSING.sub(NBSP + "»", text)
    return _BEFORE_SIGN.sub(NBSP + r"\1", text)
