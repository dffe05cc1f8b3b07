"""The safety checks: what no published cell may hold, whatever it says. Hostile text refuses the
whole run (Contract 3 keeps it so): control, bidi and invisible characters, words in look-alike
letters, scheduling facts hidden in a label, links that are not public http(s) URLs or plain
mailto addresses, and markup in text. The layout rules are in ``normalise/rules.py``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

from confusable_homoglyphs import categories

from core import urls
from core.errors import NormaliseError
from core.settings import COL_PROCEDURES, COL_TYPE, EXPECTED_HEADER, MAX_CELL_CHARACTERS
from extract.model import RawCell, RawTable
from normalise import detector
from normalise.rules import mailto


def _confusables() -> Any:
    """The table of look-alike letters, loaded when a word or a host name in letters other than
    Latin ones is met (its JSON takes a tenth of the normaliser's start-up, and French text
    rarely needs it)."""
    from confusable_homoglyphs import confusables

    return confusables


def link_problem(href: str) -> str | None:
    """Why a link may not be published, or None: it must be an absolute http(s) URL with no user
    name, to a public host whose name is in one script and does not borrow the State's domain,
    or a mailto: link to a plain address. The host is judged as a browser reads it
    (``core.urls``: ``0177.0.0.1`` is the loopback address)."""
    text = href.strip()
    if text.lower().startswith("mailto:"):
        return None if mailto(text) else "is a mailto link to more than a plain address"
    url = urls.web_url(text)
    if url is None:
        return "is not an absolute http(s) URL or a mailto address"
    if url.userinfo or "@" in text.split("//", 1)[-1].split("/", 1)[0]:
        return "carries a user name before its host, which can disguise where it leads"
    if not urls.public_host(url.host):
        return f"points to a non-public host ({url.host})"
    if deceptive_host(url.host):
        return f"has a host name that mixes scripts or looks like Latin letters ({url.host})"
    if urls.state_lookalike(url.host):
        return (
            f"has a host name that borrows the State's domain {urls.STATE_DOMAIN} without being "
            f"under it ({url.host})"
        )
    return None


def deceptive_host(host: str) -> bool:
    """A host label (punycode decoded) written in letters of several scripts, or in letters of
    another script that look like Latin ones (« аррӏе » in Cyrillic)."""
    for label in host.lower().split("."):
        try:
            shown = label.encode("ascii").decode("idna") if label.startswith("xn--") else label
        except UnicodeError:
            return True
        if shown.isascii():
            continue
        confusables = _confusables()
        if confusables.is_mixed_script(shown) or confusables.is_confusable(
            shown, preferred_aliases=["latin"]
        ):
            return True
    return False


# text that looks like markup (« <script> », « <img onerror=…> »): text fields never hold markup
MARKUP_IN_TEXT = re.compile(r"<\s*[A-Za-z!/?][^>]{0,40}")


def markup_in_text(text: str) -> str | None:
    """The first markup-like fragment of a cell's text, or None."""
    match = MARKUP_IN_TEXT.search(text)
    return match.group(0) if match else None


# characters no published text may hold: C0/C1 controls (a line break between blocks excepted),
# bidirectional overrides and isolates, invisible zero-width characters, and noncharacters
_INVISIBLE = frozenset(
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)


#: Unicode's 66 noncharacters (U+FDD0..U+FDEF, and the last two code points of every plane:
#: U+FFFE, U+FFFF, …, U+10FFFF): never meant for interchange (a U+FFFE reads as a byte-order
#: mark turned around)
NONCHARACTER = re.compile(
    "[\ufdd0-\ufdef"
    + "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(17))
    + "]"
)


def unsafe_character(text: str) -> str | None:
    """The first control, bidi or invisible character of ``text``, or its first noncharacter,
    described; or None."""
    if found := NONCHARACTER.search(text):
        return f"U+{ord(found.group(0)):04X} (a noncharacter)"
    for character in text:
        if character in "\n\r\t":
            continue
        if unicodedata.category(character) == "Cc" or character in _INVISIBLE:
            name = unicodedata.name(character, "control character")
            return f"U+{ord(character):04X} ({name})"
    return None


#: a word longer than this is shown cut, so that a refusal stays a readable line
SHOWN_WORD = 60
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def deceptive_word(text: str) -> str | None:
    """The first word of ``text`` written in letters of several scripts (« Visibilitе » with a
    Cyrillic е), or in letters of another script that look like Latin ones, described; or None."""
    for match in _WORD.finditer(text):
        word = match.group(0)
        if word.isascii():
            continue
        shown = word if len(word) <= SHOWN_WORD else word[:SHOWN_WORD] + "…"
        scripts = {categories.alias(c) for c in word if c.isalpha()} - {"COMMON"}
        if len(scripts) > 1:
            named = " and ".join(s.capitalize() for s in sorted(scripts, key=_latin_first))
            return f"the word {shown!r} mixes {named} letters"
        if scripts != {"LATIN"} and _confusables().is_confusable(word, preferred_aliases=["latin"]):
            script = next(iter(scripts)).capitalize()
            return f"the word {shown!r} is written in {script} letters that looks like Latin"
    return None


def _latin_first(script: str) -> tuple[bool, str]:
    return (script != "LATIN", script)


def _character_problem(cell: RawCell) -> str | None:
    """A cell's text over the length cap, or a character no published text may hold."""
    if len(cell.text) > MAX_CELL_CHARACTERS:
        return (
            f"the cell holds {len(cell.text)} characters, over the "
            f"{MAX_CELL_CHARACTERS}-character cap"
        )
    for text in (cell.text, cell.html, *(link.href for link in cell.links)):
        if found := unsafe_character(text):
            return f"the text holds the character {found}"
    return None


#: columns published whole as labels: they may not hide a scheduling fact
LABEL_COLUMNS = (COL_TYPE, COL_PROCEDURES)


@functools.lru_cache(maxsize=4096)  # a cell is immutable, and a table repeats its cells
def cell_problem(column: str, cell: RawCell) -> str | None:
    """Why a cell cannot be published as it is, or None: a control, bidi or invisible character
    (in its text or raw HTML: U+0085 reads as white space), a word in look-alike letters, a
    scheduling fact hidden in a label, a link that is not a public http(s) URL or a plain mailto,
    markup in its text; or a text over the length cap, refused before anything reads it."""
    if found := _character_problem(cell):
        return found
    if found := deceptive_word(cell.text):
        return found
    if column in LABEL_COLUMNS:
        for block in cell.blocks:
            if tokens := detector.fact_tokens(block, detector.LABEL_KINDS):
                return (
                    f"the label « {block} » holds the {tokens[0].kind} {tokens[0].text!r}, a "
                    "fact a label cannot type"
                )
    for link in cell.links:
        if problem := link_problem(link.href):
            return f"link {link.href[:80]!r} {problem}"
    if fragment := markup_in_text(cell.text):
        return f"the text holds markup {fragment!r}"
    return None


def check_cells(table: RawTable) -> None:
    """Refuse the first cell that cannot be published as it is, naming its row and column."""
    for number, row in enumerate(table.rows, start=1):
        for column, cell in zip(EXPECTED_HEADER, row, strict=True):
            if cell.spanned_from is None and (problem := cell_problem(column, cell)):
                raise NormaliseError(f"row {number}, column {column!r}: {problem}")
