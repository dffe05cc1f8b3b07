"""Read one table row's « Modalités » and « Remarques » cells into a channel and its facts.

Each cell is read sentence by sentence (``normalise/sentences.py``): a sentence is read whole into
a statement, is free text holding no fact, or is unread (kept in ``Channel.unread``, its facts
absent). A statement's rules join the channel's rules of the same type and procedure
(``RuleBook``): a sentence that only completes the rule before (« Visibilité à 4 semaines. ») is
merged into it, one that states other days or hours is a rule of its own. What does not fit (two
values for one field of one rule, a link that is not this channel's) makes that sentence unread,
as a whole: none of its facts is kept.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from core.errors import NormaliseError
from core.settings import COL_MODALITIES, COL_REMARKS
from extract.model import Link, RawCell
from normalise import rules
from normalise.grammar import Closure
from normalise.readings import DEFAULT_POLICY, ReadingPolicy
from normalise.sentences import Sentence, Unread, sentences, unread
from normalise.statements import RuleFacts, Statement, StatementError, rules_of

#: the rule a channel of this type implies: what a headless fact continues (« Le mercredi
#: après-midi. »), and what an empty rule of that type adds nothing to
CHANNEL_RULE = {"walk_in": "walk_in", "phone": "opening_hours"}


@dataclass
class Contact:
    email: str
    role: str
    public_use: bool
    notes: str | None = None
    address: str = ""  # as the source writes it (``email`` is its lower-case key)


@dataclass
class Rule:
    rule_type: str
    applies_to: str | None
    facts: RuleFacts
    read_by: list[str] = field(default_factory=list)

    def copy(self) -> Rule:
        """A deep copy (``copy.deepcopy``'s, a tenth of its time): the facts hold values only."""
        return Rule(self.rule_type, self.applies_to, copy.copy(self.facts), list(self.read_by))

    def absorb(self, facts: RuleFacts, read_by: str) -> None:
        self.facts.merge(facts)
        if read_by not in self.read_by:
            self.read_by.append(read_by)


Groups = dict[tuple[str, str | None], list[Rule]]


def copy_rules(groups: Groups, last_added: list[Rule]) -> tuple[Groups, list[Rule]]:
    """``copy.deepcopy((groups, last_added))``: each rule copied once (``Rule.copy``), a rule
    in both (or twice in one) one copy wherever it was, as deepcopy's memo does."""
    copies: dict[int, Rule] = {}

    def copied(rule: Rule) -> Rule:
        if id(rule) not in copies:
            copies[id(rule)] = rule.copy()
        return copies[id(rule)]

    new_groups = {key: [copied(rule) for rule in rules] for key, rules in groups.items()}
    return new_groups, [copied(rule) for rule in last_added]


@dataclass
class Quarantined:
    """An unread sentence of a row: where it is and why."""

    column: str
    position: int
    sentence: str
    unread: Unread


@dataclass
class Channel:
    channel_type: str
    url: str | None = None
    email: str | None = None
    phone: str | None = None
    portal_url: str | None = None
    portal_path: str | None = None
    portal_hint: str | None = None
    instructions: list[str] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    closures: list[tuple[Closure, str, str]] = field(default_factory=list)  # (closure, where, by)
    unread: list[Quarantined] = field(default_factory=list)


class RuleBook:
    """The rules of one channel by (rule type, procedure), each group in the order stated."""

    def __init__(self, existing: list[Rule] | None = None) -> None:
        self.groups: Groups = {}
        for rule in existing or []:
            self.groups.setdefault((rule.rule_type, rule.applies_to), []).append(rule)
        self.last_kind: str | None = None
        self.last_added: list[Rule] = []  # the rules of the last statement, which may be completed

    def add(self, statement: Statement, applies_to: str | None, default: str | None) -> None:
        """Add what a statement says, whole or not at all (``StatementError``: nothing changed)."""
        if not statement.states_rule:
            return
        kind = statement.rule_type or self.last_kind or default
        if kind is None:
            raise StatementError("a day, time or number without saying what for")
        groups, last_added = copy_rules(self.groups, self.last_added)
        group = groups.setdefault((kind, applies_to), [])
        stated = rules_of(statement, kind)
        if not stated:  # the shared facts alone complete the rules just stated, or start one
            targets = [r for r in last_added if any(r is g for g in group)] or group[-1:]
            if not targets:
                targets = [Rule(kind, applies_to, RuleFacts())]
                group.extend(targets)
            for rule in targets:
                rule.absorb(statement.shared, statement.read_by)
            added = targets
        else:
            added = []
            for number, facts in enumerate(stated):
                last = group[-1] if group else None
                if number == 0 and last is not None and _fits(last.facts, facts):
                    last.absorb(facts, statement.read_by)
                    added.append(last)
                else:
                    rule = Rule(kind, applies_to, RuleFacts())
                    rule.absorb(facts, statement.read_by)
                    group.append(rule)
                    added.append(rule)
        self.groups, self.last_added = groups, added
        self.last_kind = kind

    def finish(self, channel_type: str, where: str) -> list[Rule]:
        out = []
        for rule in (rule for group in self.groups.values() for rule in group):
            if rule.facts.is_empty():
                if CHANNEL_RULE.get(channel_type) == rule.rule_type:
                    continue
                if rule.rule_type == "slot_release":
                    raise NormaliseError(f"{where}: slots are said to open, but not when")
            out.append(rule)
        return out


def _fits(rule: RuleFacts, facts: RuleFacts) -> bool:
    """Whether ``facts`` completes ``rule`` without contradicting any field of it."""
    try:
        copy.copy(rule).merge(facts)  # as deep as needed: the facts hold values only
    except StatementError:
        return False
    return True


def _blocks(cell: RawCell) -> list[tuple[str, tuple[Link, ...]]]:
    links = cell.block_links or tuple(() for _ in cell.blocks)
    return list(zip(cell.blocks, links, strict=True))


def _one(current: str | None, new: str | None, what: str) -> str | None:
    if new is None or current in (None, new):
        return current or new
    raise StatementError(f"two values for {what} ({current!r} and {new!r})")


@dataclass
class _Modalities:
    """What the sentences of a « Modalités » cell have said so far."""

    where: str
    kinds: list[str] = field(default_factory=list)
    url: str | None = None
    email: str | None = None
    phone: str | None = None
    portal_url: str | None = None
    book: RuleBook = field(default_factory=RuleBook)

    def add(self, statement: Statement) -> None:
        """What one sentence says, whole or not at all (``StatementError``: nothing changed).
        The trial shares the book: ``take`` changes it last, by ``RuleBook.add``, which changes
        it whole or not at all itself."""
        trial = replace(self, kinds=list(self.kinds))
        trial.take(statement)
        self.__dict__.update(trial.__dict__)

    def take(self, statement: Statement) -> None:
        for mark in statement.channels:
            if mark.kind == "site":
                self.portal_url = _one(self.portal_url, mark.url, "the prefecture's site")
            elif mark.kind == "inbox":
                raise NormaliseError(f"{self.where}: a form's mailbox belongs in « Remarques »")
            else:
                self.kinds.append(mark.kind)
                self.url = _one(self.url, mark.url, "the link")
                self.email = _one(self.email, mark.email, "the e-mail")
        self.phone = _one(self.phone, statement.phone, "the phone number")
        typed = {m.url for m in statement.channels} | {m.email for m in statement.channels}
        stray = [x for x in (*statement.urls, *statement.emails) if x not in typed]
        if stray or statement.validity or statement.closures:
            what = stray[0] if stray else "a date"
            raise StatementError(f"it gives {what!r} without saying what it is for")
        self.book.add(statement, None, None)

    def kind(self, has_path: bool, text: str) -> str:
        """The one kind of channel the cell names (a menu path alone: booking on the site)."""
        kinds = self.kinds or (["online_booking"] if has_path else [])
        if len(set(kinds)) != 1:
            what = (
                "no booking channel" if not kinds else "several channels (" + ", ".join(kinds) + ")"
            )
            raise NormaliseError(f"{self.where}: {what} in {text!r}")
        if self.phone and kinds[0] != "phone":
            raise NormaliseError(f"{self.where}: a phone number in a {kinds[0]} channel")
        if kinds[0] == "phone" and not self.phone:
            raise NormaliseError(f"{self.where}: a phone channel without a phone number")
        return kinds[0]


def _quarantine(
    unread: list[Quarantined], column: str, position: int, sentence: Sentence, why: Unread
) -> None:
    unread.append(Quarantined(column, position, sentence.text, why))


def read_modalities(cell: RawCell, row: int, reader: ReadingPolicy = DEFAULT_POLICY) -> Channel:
    """The channel type and its links, menu path, e-mail, phone and rules from « Modalités »."""
    said = _Modalities(f"row {row}, column {COL_MODALITIES!r}")
    path = hint = None
    free_blocks: list[str] = []
    quarantined: list[Quarantined] = []
    positions = itertools.count(1)  # each sentence's place in the cell, in reading order
    for block, links in _blocks(cell):
        if found_path := rules.portal_path(block):
            path, hint = found_path.path, found_path.hint or hint
            continue
        if path and (found_hint := rules.hint(block)):
            hint = found_hint
            continue
        free = []
        for sentence in sentences(block, links, said.where, reader):
            position = next(positions)
            if sentence.unread:
                _quarantine(quarantined, COL_MODALITIES, position, sentence, sentence.unread)
            elif sentence.statement is None:
                free.append(sentence.text)
            else:
                try:
                    said.add(sentence.statement)
                except StatementError as exc:
                    why = unread(reader, sentence, str(exc), said.where)
                    _quarantine(quarantined, COL_MODALITIES, position, sentence, why)
        if free:
            free_blocks.append(" ".join(free))
    kind = said.kind(path is not None, cell.text)
    on_site = kind in ("online_booking", "online_form")
    channel = Channel(
        channel_type=kind,
        # the link that performs the action; the site's home page only when nothing more specific
        url=said.url or (said.portal_url if on_site else None),
        email=said.email,
        phone=said.phone,
        portal_url=said.portal_url,
        portal_path=path,
        portal_hint=hint,
        instructions=free_blocks,
        unread=quarantined,
    )
    channel.rules = said.book.finish(kind, said.where)
    if said.email:
        channel.contacts.append(Contact(said.email.lower(), "booking", True, address=said.email))
    return channel


def _check_restated(channel: Channel, statement: Statement) -> None:
    """Links, phones and channel marks in « Remarques » must restate what the channel has."""
    known_urls = {channel.url, channel.portal_url}
    for url in statement.urls:
        if url not in known_urls:
            raise StatementError(f"it gives the link {url!r}, which is not this channel's")
    if statement.phone and statement.phone != channel.phone:
        raise StatementError(
            f"it gives the phone number {statement.phone}, which is not this channel's"
        )
    if statement.validity:
        raise StatementError("it gives a validity date outside the « Lieu » column")


@dataclass
class _Remarks:
    """What the sentences of a « Remarques » cell add to their channel."""

    channel: Channel
    where: str
    reader: ReadingPolicy
    book: RuleBook
    positions: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    last_contact: Contact | None = None

    def block(self, block: str, links: tuple[Link, ...]) -> None:
        channel = self.channel
        applies_to, text = None, block
        if scoped := rules.for_procedure(block):
            applies_to, text = scoped
        free: list[str] = []
        stated = False
        for sentence in sentences(text, links, self.where, self.reader):
            position = next(self.positions)
            if sentence.unread:
                _quarantine(channel.unread, COL_REMARKS, position, sentence, sentence.unread)
                stated = True
            elif sentence.statement is None:
                free.append(sentence.text)
            else:
                stated = True
                try:
                    self.statement(sentence.statement, applies_to)
                except StatementError as exc:
                    why = unread(self.reader, sentence, str(exc), self.where)
                    _quarantine(channel.unread, COL_REMARKS, position, sentence, why)
        if not stated:
            channel.instructions.append(block)
        elif free:
            rest = " ".join(free)
            channel.instructions.append(
                f"{block.split(':', 1)[0].strip()} : {rest}" if applies_to else rest
            )

    def statement(self, statement: Statement, applies_to: str | None) -> None:
        """One read sentence, whole or not at all."""
        channel = self.channel
        _check_restated(channel, statement)
        self.book.add(statement, applies_to, CHANNEL_RULE.get(channel.channel_type))
        inbox = {m.email for m in statement.channels if m.kind == "inbox"}
        for address in statement.emails:
            role = "form_inbox" if address in inbox else "other"
            self.last_contact = Contact(address.lower(), role, True, address=address)
            channel.contacts.append(self.last_contact)
        channel.closures += [(c, self.where, statement.read_by) for c in statement.closures]


def read_remarks(
    cell: RawCell, row: int, channel: Channel, reader: ReadingPolicy = DEFAULT_POLICY
) -> None:
    """Scheduling rules, mailboxes, closures and remaining instructions from « Remarques »."""
    where = f"row {row}, column {COL_REMARKS!r}"
    # the rules « Modalités » states, which « Remarques » may complete
    said = _Remarks(channel, where, reader, RuleBook(channel.rules))
    for block, links in _blocks(cell):
        contact = said.last_contact
        if contact and rules.MAILBOX_NOTE.search(block) and not _has_fact(block, links, where):
            if rules.NOT_FOR_PUBLIC.search(block):
                contact.public_use = False
            contact.notes = "\n".join(filter(None, [contact.notes, block]))
            continue
        said.block(block, links)
    channel.rules = said.book.finish(channel.channel_type, where)


def _has_fact(block: str, links: tuple[Link, ...], where: str) -> bool:
    """Whether a block says anything beyond free text (a note on a mailbox must not)."""
    return any(
        s.statement is not None or s.unread is not None
        for s in sentences(block, links, where, DEFAULT_POLICY)
    )
