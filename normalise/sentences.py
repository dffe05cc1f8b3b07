"""A block of a cell, sentence by sentence: each is read whole by the grammar into a Statement, or
is free text — and it may be free text only when the detector finds no fact in it.

This is where the no-silent-loss promise is enforced: a sentence holding a fact-carrying token
(``normalise/detector.py``) that the grammar does not read whole stops the run, naming the row,
the column and the sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from core.errors import NormaliseError
from extract.model import Link
from normalise import detector, grammar, lexicon
from normalise.statements import Statement, StatementError, fold

SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_LOOKS_LIKE_TARGET = re.compile(r"^(?:https?://|www\.|mailto:)|@", re.IGNORECASE)


@dataclass(frozen=True)
class Sentence:
    text: str  # as written in the source
    statement: Statement | None  # None: free text, with no fact in it


def link_target(link: Link) -> str:
    """What a link points at, as it would be written in text: the address of a mailto link,
    else the href."""
    from normalise.rules import mailto  # the one place mailto: is decoded

    return mailto(link.href) or link.href


def with_link_targets(block: str, links: tuple[Link, ...] | list[Link], where: str) -> str:
    """The block with each link's text replaced by what the link points at, so that the grammar
    reads the real target (« via ce lien » -> « via https://… »). A link whose text is itself an
    address or URL must point where its text says."""
    text = block
    position = 0
    for link in links:
        target = link_target(link)
        shown = link.text.strip()
        if shown.lower() == target.lower():
            found = text.find(shown, position)
            position = found + len(shown) if found >= 0 else position
            continue
        if _LOOKS_LIKE_TARGET.search(shown):
            raise NormaliseError(f"{where}: the link text {shown[:80]!r} points to {target[:80]!r}")
        # the link's own text is the last place it is shown (« via le lien <a>lien</a> »)
        found = text.rfind(shown, position) if shown else -1
        if found < 0:
            text = f"{text} {target}"
            position = len(text)
        else:
            text = text[:found] + target + text[found + len(shown) :]
            position = found + len(target)
    return text


def split(block: str) -> list[str]:
    return [part for part in SENTENCE_END.split(block) if part.strip()]


def _shown(sentence: str) -> str:
    return "« " + " ".join(sentence.split()) + " »"


def read(text: str, where: str) -> Statement | None:
    """One sentence: its statement, or None for free text (which holds no fact)."""
    tokens = detector.fact_tokens(text)
    try:
        phrases = grammar.read_sentence(text)
    except grammar.Unread as miss:
        if tokens:
            token = tokens[0]
            raise NormaliseError(
                f"{where}: cannot read the sentence {_shown(text)} (it holds the {token.kind} "
                f"{token.text!r}; no rule reads it from « {miss.word} »)"
            ) from None
        return None
    except grammar.SentenceError as exc:
        raise NormaliseError(f"{where}: {exc} in {_shown(text)}") from None
    try:
        statement = fold(phrases)
    except StatementError as exc:
        raise NormaliseError(f"{where}: {exc} in {_shown(text)}") from None
    if not phrases and not tokens:
        return None  # only filler words: nothing typed, nothing lost
    return statement


def sentences(block: str, links: tuple[Link, ...] | list[Link], where: str) -> Iterator[Sentence]:
    """The sentences of a block, each read or kept as free text."""
    reading = split(with_link_targets(lexicon.reading_form(block), links, where))
    written = split(block)
    if len(written) != len(reading):  # free text is kept as written whenever it lines up
        written = reading
    for shown, part in zip(written, reading, strict=True):
        yield Sentence(shown, read(part, where))
