"""Read one table row's « Modalités » and « Remarques » cells into a channel and its facts.

Each cell is read sentence by sentence (``normalise/sentences.py``): a sentence is either read
whole into a statement, or is free text holding no fact. Statements about the same rule (same
rule type, same procedure) are merged field by field; a field stated twice with two values is
refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.errors import NormaliseError
from core.settings import COL_MODALITIES, COL_REMARKS
from extract.model import Link, RawCell
from normalise import rules
from normalise.grammar import Closure
from normalise.sentences import sentences
from normalise.statements import RuleFacts, Statement, StatementError, place_times

#: the rule a headless fact continues in a channel of this type (« Le mercredi après-midi. »)
DEFAULT_RULE = {"walk_in": "walk_in", "phone": "opening_hours"}
#: a channel type already says this much; an empty rule of that type adds nothing
IMPLIED_RULE = {"walk_in": "walk_in", "phone": "opening_hours"}


@dataclass
class Contact:
    email: str
    role: str
    public_use: bool
    notes: str | None = None


@dataclass
class Rule:
    rule_type: str
    applies_to: str | None
    facts: RuleFacts


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
    closures: list[tuple[Closure, str]] = field(default_factory=list)  # (closure, where)


class RuleBook:
    """The rules of one channel, merged by (rule type, procedure) in the order first stated."""

    def __init__(self) -> None:
        self.rules: dict[tuple[str, str | None], Rule] = {}
        self.last_kind: str | None = None

    def add(
        self,
        statement: Statement,
        applies_to: str | None,
        default: str | None,
        where: str,
        sentence: str,
    ) -> None:
        if not statement.states_rule:
            return
        kind = statement.rule_type or self.last_kind or default
        if kind is None:
            raise NormaliseError(
                f"{where}: « {sentence} » gives a day, time or number without saying what for"
            )
        statement.rule_type = kind
        try:
            place_times(statement)
            rule = self.rules.setdefault((kind, applies_to), Rule(kind, applies_to, RuleFacts()))
            rule.facts.merge(statement.facts)
        except StatementError as exc:
            raise NormaliseError(f"{where}: {exc} in « {sentence} »") from None
        self.last_kind = kind

    def finish(self, channel_type: str, where: str) -> list[Rule]:
        out = []
        for rule in self.rules.values():
            if rule.facts.is_empty():
                if IMPLIED_RULE.get(channel_type) == rule.rule_type:
                    continue
                if rule.rule_type == "slot_release":
                    raise NormaliseError(f"{where}: slots are said to open, but not when")
            out.append(rule)
        return out


def _blocks(cell: RawCell) -> list[tuple[str, tuple[Link, ...]]]:
    links = cell.block_links or tuple(() for _ in cell.blocks)
    return list(zip(cell.blocks, links, strict=True))


def _one(current: str | None, new: str | None, what: str, where: str) -> str | None:
    if new is None or current in (None, new):
        return current or new
    raise NormaliseError(f"{where}: two values for {what} ({current!r} and {new!r})")


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

    def add(self, statement: Statement, sentence: str) -> None:
        where = self.where
        for mark in statement.channels:
            if mark.kind == "site":
                self.portal_url = _one(self.portal_url, mark.url, "the prefecture's site", where)
            elif mark.kind == "inbox":
                raise NormaliseError(f"{where}: a form's mailbox belongs in « Remarques »")
            else:
                self.kinds.append(mark.kind)
                self.url = _one(self.url, mark.url, "the link", where)
                self.email = _one(self.email, mark.email, "the e-mail", where)
        self.phone = _one(self.phone, statement.phone, "the phone number", where)
        typed = {m.url for m in statement.channels} | {m.email for m in statement.channels}
        stray = [x for x in (*statement.urls, *statement.emails) if x not in typed]
        if stray or statement.validity or statement.closures:
            what = stray[0] if stray else "a date"
            raise NormaliseError(
                f"{where}: « {sentence} » gives {what!r} without saying what it is for"
            )
        self.book.add(statement, None, None, where, sentence)

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


def read_modalities(cell: RawCell, row: int) -> Channel:
    """The channel type and its links, menu path, e-mail, phone and rules from « Modalités »."""
    said = _Modalities(f"row {row}, column {COL_MODALITIES!r}")
    path = hint = None
    unread: list[str] = []
    for block, links in _blocks(cell):
        if found_path := rules.portal_path(block):
            path, hint = found_path.path, found_path.hint or hint
            continue
        if path and (found_hint := rules.hint(block)):
            hint = found_hint
            continue
        free = []
        for sentence in sentences(block, links, said.where):
            if sentence.statement is None:
                free.append(sentence.text)
            else:
                said.add(sentence.statement, sentence.text)
        if free:
            unread.append(" ".join(free))
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
        instructions=unread,
    )
    channel.rules = said.book.finish(kind, said.where)
    if said.email:
        channel.contacts.append(Contact(said.email.lower(), "booking", True))
    return channel


def _check_restated(channel: Channel, statement: Statement, where: str, sentence: str) -> None:
    """Links, phones and channel marks in « Remarques » must restate what the channel has."""
    known_urls = {channel.url, channel.portal_url}
    for url in statement.urls:
        if url not in known_urls:
            raise NormaliseError(
                f"{where}: « {sentence} » gives the link {url!r}, which is not this channel's"
            )
    if statement.phone and statement.phone != channel.phone:
        raise NormaliseError(
            f"{where}: « {sentence} » gives the phone number {statement.phone}, "
            "which is not this channel's"
        )
    if statement.validity:
        raise NormaliseError(
            f"{where}: « {sentence} » gives a validity date outside the « Lieu » column"
        )


def read_remarks(cell: RawCell, row: int, channel: Channel) -> None:
    """Scheduling rules, mailboxes, closures and remaining instructions from « Remarques »."""
    where = f"row {row}, column {COL_REMARKS!r}"
    book = RuleBook()
    for rule in channel.rules:  # the rules « Modalités » states, which « Remarques » may complete
        book.rules[(rule.rule_type, rule.applies_to)] = rule
    last_contact: Contact | None = None
    default = DEFAULT_RULE.get(channel.channel_type)
    for block, links in _blocks(cell):
        if last_contact and rules.MAILBOX_NOTE.search(block) and not _has_fact(block, links, where):
            if rules.NOT_FOR_PUBLIC.search(block):
                last_contact.public_use = False
            last_contact.notes = "\n".join(filter(None, [last_contact.notes, block]))
            continue
        applies_to, text = None, block
        if scoped := rules.for_procedure(block):
            applies_to, text = scoped
        free: list[str] = []
        stated = False
        for sentence in sentences(text, links, where):
            statement = sentence.statement
            if statement is None:
                free.append(sentence.text)
                continue
            stated = True
            _check_restated(channel, statement, where, sentence.text)
            inbox = {m.email for m in statement.channels if m.kind == "inbox"}
            for address in statement.emails:
                last_contact = Contact(
                    address.lower(), "form_inbox" if address in inbox else "other", True
                )
                channel.contacts.append(last_contact)
            channel.closures += [(closure, where) for closure in statement.closures]
            book.add(statement, applies_to, default, where, sentence.text)
        if not stated:
            channel.instructions.append(block)
        elif free:
            rest = " ".join(free)
            channel.instructions.append(
                f"{block.split(':', 1)[0].strip()} : {rest}" if applies_to else rest
            )
    channel.rules = book.finish(channel.channel_type, where)


def _has_fact(block: str, links: tuple[Link, ...], where: str) -> bool:
    return any(s.statement is not None for s in sentences(block, links, where))
