"""The layout rules of the table: each a small named function with its pattern right above it.

They read how the table is laid out (list dashes, « hors … » exclusions, inline sub-lists, the
menu path « Rubrique … », « Pour … : » scopes, mailbox notes, links). The *facts* of its
sentences (days, times, dates, numbers, phones…) are read by the grammar
(``normalise/grammar.py``), never here; what no cell may hold at all (hostile characters,
look-alike letters, links, markup) is checked in ``normalise/safety.py``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import unquote

# letters NFKD does not decompose, which the ascii encoding would otherwise drop
LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """A label as an identifier: ligatures spelt out (œ → oe), accents stripped, lower case,
    words joined by '-'."""
    spelt = text.translate(LIGATURES)
    ascii_text = unicodedata.normalize("NFKD", spelt).encode("ascii", "ignore").decode()
    return _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")


def key(*parts: str | None) -> str:
    """A composite identifier: the given ids joined by '--' (a slug never holds '--')."""
    return "--".join(part for part in parts if part)


# « Tous les cas, hors … », « … Hors … », « sauf … »
EXCLUSION = re.compile(
    r"^(?P<included>.*?)[,;]?\s*\b(?:hors|sauf)\b\s+(?P<excluded>.+)$", re.IGNORECASE
)


def exclusion(label: str) -> tuple[str | None, str] | None:
    """Split « X, hors Y » into (X, Y); (None, Y) for « Hors Y »; None without an exclusion.
    A dash before either part (« hors -Y ») is a list dash, not the label's: it goes."""
    match = EXCLUSION.match(label)
    if not match:
        return None
    return (strip_dash(match["included"]) or None), strip_dash(match["excluded"])


# list items with their leading dashes or bullets: « - Conjoints de français », « -- … »,
# « - - … », « • … » (a dash inside the text stays)
LEADING_DASH = re.compile(r"^(?:[-–—•]\s*)+")


def strip_dash(text: str) -> str:
    return LEADING_DASH.sub("", text).strip()


# nested list written inline: « Démarches longues : - a - b - c »
INLINE_LIST = re.compile(r"^(?P<parent>[^:]+?)\s*:\s*[-–—]\s+(?P<items>.+)$")
INLINE_ITEM_SEPARATOR = re.compile(r"\s+[-–—]\s+")


def inline_list(text: str) -> tuple[str, list[str]] | None:
    match = INLINE_LIST.match(text)
    if not match:
        return None
    # an item's own stray dashes (« - -Renouvellement ») go, as a block's list dashes do
    items = [strip_dash(item) for item in INLINE_ITEM_SEPARATOR.split(match["items"])]
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
    r"^Pour (?:le |la |les |l['’ʼ]|un |une )?(?P<what>[^:]+?)\s*:\s*(?P<rest>.*)$",
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


# a paragraph about the mailbox named just before it
MAILBOX_NOTE = re.compile(r"^(?:Cette|Cet|Ce) (?:boîte|adresse|courriel|mail)\b", re.IGNORECASE)
NOT_FOR_PUBLIC = re.compile(r"n['’ʼ]a pas vocation à être utilisée? par les usagers", re.IGNORECASE)


# a plain address: what a mailto: link may decode to, nothing more (no ?, &, =, %, quotes, spaces)
PLAIN_ADDRESS = re.compile(
    r"^[A-Za-z0-9](?:[A-Za-z0-9._+-]{0,63})@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))+$"
)


def mailto(href: str) -> str | None:
    """The address of a mailto: link (query dropped), or None for any other link and for an
    address that decodes to more than a plain address (« x%3Fbcc%3D… » would become a Bcc)."""
    if not href.lower().startswith("mailto:"):
        return None
    address = unquote(href[len("mailto:") :].split("?", 1)[0]).strip()
    return address if PLAIN_ADDRESS.match(address) else None
