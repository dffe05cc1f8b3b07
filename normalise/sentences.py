"""A block of a cell, sentence by sentence: each is read whole into a Statement, is free text, or
is *unread* — and it may be free text only when the detector finds no fact in it.

This is where the no-silent-loss promise is kept (Contract 3). A sentence holding a fact-carrying
token (``normalise/detector.py``) is read by a reviewed reading (``normalise/readings.py``) when
one matches it exactly, else by the grammar. When neither reads it whole, or what it states does
not fit (an impossible date, two values for one field), it is *unread*: its facts are absent from
the typed resources, and the sentence itself becomes a row of ``unread_sentences`` that every
surface shows. With ``strict`` (``--strict``) an unread sentence stops the run instead, naming
the row, the column and the sentence (Contract 2's behaviour).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from core.errors import NormaliseError
from extract.model import Link
from normalise import detector, grammar, lexicon
from normalise.readings import ReadingPolicy, reviewed_statement
from normalise.statements import Statement, StatementError, fold

SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_LOOKS_LIKE_TARGET = re.compile(r"^(?:https?://|www\.|mailto:)|@", re.IGNORECASE)


@dataclass(frozen=True)
class Unread:
    """A sentence holding facts that nothing reads: why, and what the detector saw in it."""

    tokens: tuple[str, ...]  # « weekday:lundi », « time:9h »
    reason: str


@dataclass(frozen=True)
class Sentence:
    text: str  # as written in the source
    statement: Statement | None  # None: free text with no fact, or unread
    tokens: tuple[str, ...] = ()
    unread: Unread | None = None


def unread(policy: ReadingPolicy, sentence: Sentence, reason: str, where: str) -> Unread:
    """The sentence quarantined for ``reason``; with a strict policy (or a sentence holding no
    fact token, which nothing may hide), the run refused instead."""
    if policy.strict or not sentence.tokens:
        raise NormaliseError(f"{where}: {reason} in {_shown(sentence.text)}")
    return Unread(sentence.tokens, reason)


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


def _tokens(text: str) -> tuple[str, ...]:
    """What the detector sees in the sentence, each once, in text order (« weekday:lundi »)."""
    return tuple(dict.fromkeys(f"{t.kind}:{t.text}" for t in detector.fact_tokens(text)))


def read(written: str, text: str, where: str, reader: ReadingPolicy) -> Sentence:
    """One sentence (``written`` as in the source, ``text`` its reading form with link targets):
    its statement, free text (which holds no fact), or unread."""
    tokens = _tokens(text)
    if reading := reader.readings.match(written):
        statement = reviewed_statement(reading)
        return Sentence(written, statement if statement.holds_fact else None, tokens)
    try:
        phrases = grammar.read_sentence(text)
        statement = fold(phrases)
    except grammar.Unread as miss:
        if not tokens:
            return Sentence(written, None)
        if reader.strict:
            kind, _, shown = tokens[0].partition(":")
            raise NormaliseError(
                f"{where}: cannot read the sentence {_shown(written)} (it holds the {kind} "
                f"{shown!r}; no rule reads it from « {miss.word} »)"
            ) from None
        return Sentence(
            written, None, tokens, Unread(tokens, f"no rule reads it from « {miss.word} »")
        )
    except (grammar.SentenceError, StatementError) as exc:
        sentence = Sentence(written, None, tokens)
        return Sentence(written, None, tokens, unread(reader, sentence, str(exc), where))
    if not statement.holds_fact and not tokens:
        return Sentence(written, None)  # only filler and a rule's kind: nothing typed or lost
    return Sentence(written, statement, tokens)


def sentences(
    block: str, links: tuple[Link, ...] | list[Link], where: str, reader: ReadingPolicy
) -> Iterator[Sentence]:
    """The sentences of a block, each read, kept as free text, or unread."""
    reading = split(with_link_targets(lexicon.reading_form(block), links, where))
    written = split(block)
    if len(written) != len(reading):  # free text is kept as written whenever it lines up
        written = reading
    for shown, part in zip(written, reading, strict=True):
        yield read(" ".join(shown.split()), part, where, reader)
