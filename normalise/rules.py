"""The normalisation rules: each a small named function with its pattern defined right above it.

They read one fact from one piece of text and return it typed, or None when the text does not
state it. They never guess: text that announces a fact but does not state it readably raises a
NormaliseError (see ``announces_slot_fact``).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from rdv_opendata.errors import NormaliseError

WEEKDAYS = {
    "lundi": "monday",
    "mardi": "tuesday",
    "mercredi": "wednesday",
    "jeudi": "thursday",
    "vendredi": "friday",
    "samedi": "saturday",
    "dimanche": "sunday",
}
_WEEKDAY = "|".join(WEEKDAYS)
_APOS = "['’]"


def slug(text: str) -> str:
    """A label as an identifier: accents stripped, lower case, words joined by '-'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def key(*parts: str | None) -> str:
    """A composite identifier: the given ids joined by '--' (a slug never holds '--')."""
    return "--".join(part for part in parts if part)


# « de semaine en semaine le lundi à 00h00 »
SLOT_OPENING = re.compile(
    rf"Ouverture des créneaux de semaine en semaine le (?P<weekday>{_WEEKDAY}) "
    r"à (?P<hour>\d{1,2}) ?h ?(?P<minute>\d{2})?\.?",
    re.IGNORECASE,
)
# « Visibilité à N semaines »
VISIBILITY = re.compile(r"Visibilité à (?P<weeks>\d+) semaines?\.?", re.IGNORECASE)
# words that announce a scheduling fact: if present, the fact must be readable
SLOT_WORDS = re.compile(r"ouverture des créneaux|visibilité", re.IGNORECASE)


@dataclass(frozen=True)
class SlotRelease:
    weekday: str | None
    time: str | None
    frequency: str | None
    visibility_weeks: int | None
    rest: str  # the text with the facts removed


def slot_release(text: str) -> SlotRelease | None:
    """Read « Ouverture des créneaux de semaine en semaine le lundi à 00h00. Visibilité à N
    semaines. » (either sentence may come alone); None when the text states neither."""
    opening = SLOT_OPENING.search(text)
    visibility = VISIBILITY.search(text)
    if not opening and not visibility:
        return None
    weekday = time = frequency = None
    if opening:
        hour, minute = int(opening["hour"]), int(opening["minute"] or 0)
        if hour > 23 or minute > 59:
            raise NormaliseError(f"impossible opening time {opening.group(0)!r}")
        weekday = WEEKDAYS[opening["weekday"].lower()]
        time = dt.time(hour, minute).isoformat()
        frequency = "weekly"
    weeks = int(visibility["weeks"]) if visibility else None
    rest = text
    for match in (opening, visibility):
        if match:
            rest = rest.replace(match.group(0), " ")
    return SlotRelease(weekday, time, frequency, weeks, rest)


def announces_slot_fact(text: str) -> bool:
    return SLOT_WORDS.search(text) is not None


# « Sans rendez-vous, le mercredi après-midi, dans la limite de N places »
WALK_IN = re.compile(r"^Sans rendez-vous\b", re.IGNORECASE)
WALK_IN_DAY = re.compile(
    rf"\ble (?P<weekday>{_WEEKDAY})(?: (?P<period>matin|après-midi|toute la journée))?",
    re.IGNORECASE,
)
WALK_IN_CAPACITY = re.compile(r"dans la limite de (?P<capacity>\d+) places?", re.IGNORECASE)
PERIODS = {"matin": "morning", "après-midi": "afternoon", "toute la journée": "all_day"}


@dataclass(frozen=True)
class WalkIn:
    weekday: str | None
    period: str | None
    frequency: str | None
    capacity: int | None


def walk_in(text: str) -> WalkIn | None:
    """Read « Sans rendez-vous, le mercredi après-midi, dans la limite de 10 places »."""
    if not WALK_IN.search(text):
        return None
    day = WALK_IN_DAY.search(text)
    capacity = WALK_IN_CAPACITY.search(text)
    return WalkIn(
        weekday=WEEKDAYS[day["weekday"].lower()] if day else None,
        period=PERIODS[day["period"].lower()] if day and day["period"] else None,
        # « le mercredi » in French means every Wednesday
        frequency="weekly" if day else None,
        capacity=int(capacity["capacity"]) if capacity else None,
    )


# « Antenne Campus (jusqu'au 18/12/2020) », « … (à partir du 01/01/2021) », « … (du … au …) »
_DATE = r"(\d{1,2}/\d{1,2}/\d{4})"
UNTIL = re.compile(rf"^jusqu{_APOS}au {_DATE}$", re.IGNORECASE)
FROM = re.compile(rf"^(?:à partir du|depuis le) {_DATE}$", re.IGNORECASE)
BETWEEN = re.compile(rf"^du {_DATE} au {_DATE}$", re.IGNORECASE)
PLACE_WITH_VALIDITY = re.compile(r"^(?P<name>.+?)\s*\((?P<validity>[^()]+)\)$")


def french_date(text: str) -> str:
    """DD/MM/YYYY to an ISO date, refusing impossible dates."""
    day, month, year = (int(x) for x in text.split("/"))
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        raise NormaliseError(f"impossible date {text!r}") from None


@dataclass(frozen=True)
class Place:
    name: str
    valid_from: str | None
    valid_until: str | None


def place(text: str) -> Place:
    """A place name and the validity dates that follow it in parentheses, if any."""
    match = PLACE_WITH_VALIDITY.match(text)
    if match:
        validity = match["validity"].strip()
        if until := UNTIL.match(validity):
            return Place(match["name"], None, french_date(until.group(1)))
        if since := FROM.match(validity):
            return Place(match["name"], french_date(since.group(1)), None)
        if between := BETWEEN.match(validity):
            return Place(match["name"], french_date(between[1]), french_date(between[2]))
    return Place(text, None, None)


# « Tous les cas, hors … », « … Hors … », « sauf … »
EXCLUSION = re.compile(
    r"^(?P<included>.*?)[,;]?\s*\b(?:hors|sauf)\b\s+(?P<excluded>.+)$", re.IGNORECASE
)


def exclusion(label: str) -> tuple[str | None, str] | None:
    """Split « X, hors Y » into (X, Y); (None, Y) for « Hors Y »; None without an exclusion."""
    match = EXCLUSION.match(label)
    if not match:
        return None
    return (match["included"].strip() or None), match["excluded"].strip()


# list items with their leading dash: « - Conjoints de français »
LEADING_DASH = re.compile(r"^[-–—•]\s*")


def strip_dash(text: str) -> str:
    return LEADING_DASH.sub("", text).strip()


# nested list written inline: « Démarches longues : - a - b - c »
INLINE_LIST = re.compile(r"^(?P<parent>[^:]+?)\s*:\s*[-–—]\s+(?P<items>.+)$")
INLINE_ITEM_SEPARATOR = re.compile(r"\s+[-–—]\s+")


def inline_list(text: str) -> tuple[str, list[str]] | None:
    match = INLINE_LIST.match(text)
    if not match:
        return None
    items = [item.strip() for item in INLINE_ITEM_SEPARATOR.split(match["items"])]
    return match["parent"].strip(), [item for item in items if item]


# a block ending with a colon introduces the list items that follow it
LIST_INTRO = re.compile(r"^(?P<parent>.+?)\s*:$")

# « Rubrique « Prendre un rendez-vous » > Prendre rendez-vous pour … »
RUBRIQUE = re.compile(r"^Rubrique «\s*(?P<menu>[^»]+?)\s*»\s*(?P<rest>.*)$")
PARENTHESISED = re.compile(r"^\((?P<inner>.+)\)$")


@dataclass(frozen=True)
class PortalPath:
    path: str
    hint: str | None


def portal_path(text: str) -> PortalPath | None:
    """« Rubrique « A » > B » to « A > B », with a trailing « (dans …) » as a hint."""
    match = RUBRIQUE.match(text)
    if not match:
        return None
    path, rest, hint = match["menu"], match["rest"].strip(), None
    if rest.startswith(">"):
        path = f"{path} > {rest[1:].strip()}"
    elif paren := PARENTHESISED.match(rest):
        hint = paren["inner"].strip()
    elif rest:
        path = f"{path} {rest}"
    return PortalPath(path, hint)


def hint(text: str) -> str | None:
    """A block that is only a parenthesis, « (dans la page d'accueil …) », is a portal hint."""
    match = PARENTHESISED.match(text)
    return match["inner"].strip() if match else None


# « Pour le retrait d'un titre de séjour : … »
FOR_PROCEDURE = re.compile(
    rf"^Pour (?:le |la |les |l{_APOS}|un |une )?(?P<what>[^:]+?)\s*:\s*(?P<rest>.*)$",
    re.IGNORECASE,
)


def for_procedure(text: str) -> tuple[str, str] | None:
    """« Pour le retrait d'un titre de séjour : rest » to (« Retrait d'un titre de séjour », rest):
    the article dropped and the first letter capitalised, as procedure labels are written."""
    match = FOR_PROCEDURE.match(text)
    if not match:
        return None
    what = match["what"].strip()
    return what[:1].upper() + what[1:], match["rest"].strip()


# channel markers of the « Modalités » column
EMAIL_CHANNEL = re.compile(
    rf"\b(?:envoi d{_APOS}un (?:mail|courriel|e-mail)|par (?:mail|courriel))", re.IGNORECASE
)
FORM_CHANNEL = re.compile(r"\bformulaire à (?:remplir|compléter)\b", re.IGNORECASE)
APPLICATION_CHANNEL = re.compile(r"\bse fait en ligne\b", re.IGNORECASE)
BOOKING_LINK = re.compile(rf"\b(?:choix d{_APOS}un créneau|via le lien)\b", re.IGNORECASE)
SITE = re.compile(r"\bsite internet de la préfecture\b", re.IGNORECASE)
# mailboxes named in the remarks
FORM_INBOX = re.compile(r"\benvoyée? à la boîte\b", re.IGNORECASE)
MAILBOX_NOTE = re.compile(r"^(?:Cette|Cet|Ce) (?:boîte|adresse|courriel|mail)\b", re.IGNORECASE)
NOT_FOR_PUBLIC = re.compile(
    rf"n{_APOS}a pas vocation à être utilisée? par les usagers", re.IGNORECASE
)


def mailto(href: str) -> str | None:
    """The address of a mailto: link (query dropped), or None for any other link."""
    if not href.lower().startswith("mailto:"):
        return None
    address = unquote(href[len("mailto:") :].split("?", 1)[0]).strip()
    return address or None


# an address written as plain text, without a mailto: link
EMAIL_IN_TEXT = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


def addresses(block: str, hrefs: list[str]) -> list[str]:
    """The e-mail addresses of a block: its mailto: links, else the addresses in its text."""
    linked = [a for a in map(mailto, hrefs) if a]
    return linked or EMAIL_IN_TEXT.findall(block)


def http_url(href: str) -> str | None:
    """The link if it is an absolute http(s) URL with a host, else None."""
    parts = urlsplit(href.strip())
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return href.strip()
    return None


# text that looks like markup (« <script> », « <img onerror=…> »): text fields never hold markup
MARKUP_IN_TEXT = re.compile(r"<\s*[A-Za-z!/?][^>]{0,40}")


def markup_in_text(text: str) -> str | None:
    """The first markup-like fragment of a cell's text, or None."""
    match = MARKUP_IN_TEXT.search(text)
    return match.group(0) if match else None


def unsafe_link(href: str) -> bool:
    """Only absolute http(s) links and mailto: links with an address are accepted."""
    return http_url(href) is None and mailto(href) is None
