"""How facts are said in French, for the change summary and the website (one wording for both).

« lundi, mardi et vendredi », « 9 h – 11 h », « 04 65 71 98 76 », « fermée du 21 décembre 2020 au
3 janvier 2021 ». Pure functions of plain values (ISO strings, enum values).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from normalise.lexicon import DAY_NAMES_FR, MONTH_NAMES_FR
from publish.changes.records import SchemaChange

PERIODS_FR = {"morning": "matin", "afternoon": "après-midi", "all_day": "toute la journée"}
FREQUENCIES_FR = {"weekly": "chaque semaine"}
RULE_TYPES_FR = {
    "slot_release": "ouverture de créneaux",
    "walk_in": "sans rendez-vous",
    "opening_hours": "horaires d'ouverture",
}
SCOPES_FR = {"included": "comprise", "excluded": "exclue"}
ROLES_FR = {
    "booking": "prise de rendez-vous",
    "form_inbox": "réception des formulaires",
    "other": "autre",
}


def join(items: list[str]) -> str:
    """« a », « a et b », « a, b et c »."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]


def days(values: list[str] | str | None) -> str:
    if not values:
        return ""
    if isinstance(values, str):
        values = values.split(",")
    return ", ".join(DAY_NAMES_FR.get(v, v) for v in values)


def days_phrase(values: list[str] | None) -> str:
    """« le lundi », « les lundi et jeudi », « du mardi au vendredi » (3+ days in a row)."""
    if not values:
        return ""
    order = list(DAY_NAMES_FR)
    names = [DAY_NAMES_FR[v] for v in values]
    indexes = [order.index(v) for v in values]
    if len(values) >= 3 and indexes == list(range(indexes[0], indexes[-1] + 1)):
        return f"du {names[0]} au {names[-1]}"
    return f"le {names[0]}" if len(names) == 1 else f"les {join(names)}"


def hours_phrase(start: str | None, end: str | None) -> str:
    """« de 14 h à 16 h », « à partir de 14 h », « jusqu'à 16 h »."""
    if start and end:
        return f"de {time(start)} à {time(end)}"
    return hours(start, end)


def time(value: str | None) -> str:
    """« 00:00:00 » -> « 0 h », « 08:45:00 » -> « 8 h 45 »."""
    if not value:
        return ""
    parsed = dt.time.fromisoformat(value)
    return f"{parsed.hour} h" + (f" {parsed.minute:02d}" if parsed.minute else "")


def hours(start: str | None, end: str | None) -> str:
    if not start and not end:
        return ""
    if start and end:
        return f"{time(start)} – {time(end)}"
    return f"à partir de {time(start)}" if start else f"jusqu'à {time(end)}"


def date(value: str | None) -> str:
    """« 2020-12-21 » -> « 21 décembre 2020 » (« 1er » for the first of a month)."""
    if not value:
        return ""
    parsed = dt.date.fromisoformat(value)
    day = "1er" if parsed.day == 1 else str(parsed.day)
    return f"{day} {MONTH_NAMES_FR[parsed.month]} {parsed.year}"


def short_date(value: Any) -> str | None:
    """« 17/12/2020 » for an ISO day or a timestamp (its day); None when it is neither."""
    try:
        return dt.date.fromisoformat(str(value)[:10]).strftime("%d/%m/%Y")
    except ValueError:
        return None


def closure(closed_from: str, closed_until: str) -> str:
    """« fermeture du 21 décembre 2020 au 3 janvier 2021 » (neutral: a place has a gender)."""
    if closed_from == closed_until:
        return f"fermeture le {date(closed_from)}"
    return f"fermeture du {date(closed_from)} au {date(closed_until)}"


def phone(value: str | None) -> str:
    """E.164 to the way it is written in France: « +33465719876 » -> « 04 65 71 98 76 »."""
    if not value:
        return ""
    if value.startswith("+33") and len(value) == 12:
        national = "0" + value[3:]
        return " ".join(national[i : i + 2] for i in range(0, 10, 2))
    return value


def rule_sentence(row: dict[str, Any]) -> str:
    """A slot rule as a sentence for people: « Sans rendez-vous du mardi au vendredi, de 8 h 45 à
    11 h 45, dans la limite de 15 places. »"""
    days_said = days_phrase(row.get("weekdays"))
    single = len(row.get("weekdays") or []) == 1
    if row["rule_type"] == "slot_release" and row.get("frequency") == "weekly" and single:
        days_said = "chaque " + days_said.removeprefix("le ")
    when = [days_said] if days_said else []
    if row.get("period"):
        when[-1:] = [f"{' '.join(when)} {PERIODS_FR[row['period']]}".strip()]
    if row.get("start_time") or row.get("end_time"):
        when.append(hours_phrase(row.get("start_time"), row.get("end_time")))
    if row["rule_type"] == "slot_release":
        head = " ".join(["Nouveaux créneaux", *when])
        if row.get("time"):
            head += f" à {time(row['time'])}"
        visible = f"visibles {row['visibility_weeks']} semaines à l'avance"
        if not row.get("visibility_weeks"):
            return head + "."
        if head == "Nouveaux créneaux":
            return f"Créneaux {visible}."
        return f"{head} ; {visible}."
    head = "Sans rendez-vous" if row["rule_type"] == "walk_in" else "Horaires :"
    text = ", ".join([head + (" " + when[0] if when else ""), *when[1:]]).replace(" :,", " :")
    if row.get("capacity"):
        text += f", dans la limite de {row['capacity']} places"
    return text + "."


def one_line(text: Any) -> str:
    """Untrusted text on one line: every run of white space (line breaks, Unicode separators)
    is one space, and a character that is not printable is shown as « \ufffd »."""
    said = " ".join(str(text if text is not None else "").split())
    return "".join(c if c.isprintable() else "\ufffd" for c in said)


def quoted(text: Any) -> str:
    """« text », on one line (``one_line``); nothing for no text."""
    return f"« {one_line(text)} »" if text else ""


#: how a changed field of a row is said: field -> (words, how to say a value)
FIELD_SAYING: dict[str, tuple[str, Callable[[Any], str]]] = {
    "weekdays": ("jours", days),
    "time": ("heure d'ouverture des créneaux", time),
    "period": ("moment", lambda v: PERIODS_FR.get(v, v) if v else ""),
    "frequency": ("fréquence", lambda v: FREQUENCIES_FR.get(v, v) if v else ""),
    "phone": ("téléphone", phone),
    "closed_until": ("fermé jusqu'au", date),
    # unread_sentences: the prefecture's words, quoted; what the detector saw
    "sentence": ("phrase", quoted),
    "tokens": ("faits repérés", lambda v: ", ".join(map(one_line, v)) if v else ""),
}


#: how a schema change is said: kind -> sentence (resource and field titles filled in)
SCHEMA_CHANGES_FR = {
    "resource-added": "nouvelle table {resource}",
    "resource-removed": "table {resource} retirée",
    "field-added": "nouveau champ {field} dans {resource}",
    "field-removed": "champ {field} retiré de {resource}",
    "field-renamed": "champ {field} renommé dans {resource} ({detail})",
    "field-retyped": "type du champ {field} de {resource} modifié ({detail})",
    "constraint-loosened": "{detail} du champ {field} de {resource} assouplie",
    "constraint-tightened": "{detail} du champ {field} de {resource} resserrée",
    "primary-key-changed": "clé primaire de {resource} modifiée ({detail})",
    "foreign-key-added": "nouvelle référence de {resource} vers {detail}",
    "foreign-key-removed": "référence de {resource} vers {detail} retirée",
}


CONSTRAINTS_FR = {
    "enum": "liste des valeurs permises",
    "required": "obligation",
    "unique": "unicité",
    "pattern": "forme imposée",
}


def schema_change(change: SchemaChange, resource_title: str, field_title: str | None) -> str:
    """« Schéma (changement incompatible) : champ « Jour » (weekday) retiré de « Règles… » »."""
    template = SCHEMA_CHANGES_FR.get(change["kind"], change["kind"] + " {resource} {field}")
    field = f"« {field_title} » ({change['field']})" if change.get("field") else ""
    detail = change.get("detail", "")
    if change["kind"].startswith("constraint-"):
        detail = CONSTRAINTS_FR.get(detail, f"contrainte {detail}")
    text = template.format(resource=f"« {resource_title} »", field=field, detail=detail)
    head = "Schéma (changement incompatible)" if change.get("breaking") else "Schéma"
    return f"{head} : {text}"


NBSP = "\u00a0"
_OPENING = re.compile(r"«\s*")
_CLOSING = re.compile(r"\s*»")
_BEFORE_SIGN = re.compile(r"\s+([:;!?])")


def typography(text: str) -> str:
    """French typography for text shown to people: a non-breaking space inside « » and before
    : ; ! ? where a space is written (« 10:30 » and « https:// » are left alone), so a line
    never starts with a sign or leaves a guillemet alone. The published data keep their own
    spaces: this is for display only."""
    text = _OPENING.sub("«" + NBSP, text)
    text = _CLOSING.sub(NBSP + "»", text)
    return _BEFORE_SIGN.sub(NBSP + r"\1", text)
