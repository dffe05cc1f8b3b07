"""Read one table row's « Modalités » and « Remarques » cells into a channel and its facts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extract.model import RawCell
from normalise import rules
from rdv_opendata.errors import NormaliseError
from rdv_opendata.settings import COL_MODALITIES, COL_REMARKS

_SEPARATORS = re.compile(r"^[\s>→.:;,]+|[\s>→;,]+$")


def _tidy(text: str) -> str:
    """Drop the '>' / '→' separators and the space a removed fact leaves behind."""
    return _SEPARATORS.sub("", " ".join(text.split())).strip()


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
    weekday: str | None = None
    time: str | None = None
    period: str | None = None
    frequency: str | None = None
    visibility_weeks: int | None = None
    capacity: int | None = None


@dataclass
class Channel:
    channel_type: str
    url: str | None = None
    email: str | None = None
    portal_url: str | None = None
    portal_path: str | None = None
    portal_hint: str | None = None
    instructions: list[str] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)


def _blocks(cell: RawCell) -> list[tuple[str, list[str]]]:
    """Each block of the cell with the hrefs of the links inside it."""
    links = cell.block_links or tuple(() for _ in cell.blocks)
    return [
        (block, [link.href for link in found])
        for block, found in zip(cell.blocks, links, strict=True)
    ]


def _first_http(hrefs: list[str]) -> str | None:
    return next((u for u in map(rules.http_url, hrefs) if u), None)


def read_modalities(cell: RawCell, row: int) -> Channel:
    """The channel type and its links, menu path and e-mail from the « Modalités » cell."""
    kinds: list[str] = []
    url = email = portal_url = path = hint = None
    unread: list[str] = []
    walk = None
    for block, hrefs in _blocks(cell):
        link = _first_http(hrefs)
        if found := rules.walk_in(block):
            kinds.append("walk_in")
            walk = found
        elif rules.EMAIL_CHANNEL.search(block) and rules.addresses(block, hrefs):
            kinds.append("email")
            email = rules.addresses(block, hrefs)[0]
        elif rules.APPLICATION_CHANNEL.search(block) and link:
            kinds.append("online_application")
            url = link
        elif rules.BOOKING_LINK.search(block) and link:
            kinds.append("online_booking")
            url = link
        elif rules.FORM_CHANNEL.search(block):
            kinds.append("online_form")
        elif rules.SITE.search(block) and link:
            portal_url = link
        elif found_path := rules.portal_path(block):
            path = found_path.path
            hint = found_path.hint or hint
        elif path and (found_hint := rules.hint(block)):
            hint = found_hint
        else:
            unread.append(block)
    if not kinds and path:
        kinds.append("online_booking")  # a menu path on the site is where one books
    if len(set(kinds)) != 1:
        what = "no booking channel" if not kinds else "several channels (" + ", ".join(kinds) + ")"
        raise NormaliseError(f"row {row}, column {COL_MODALITIES!r}: {what} in {cell.text!r}")
    channel = Channel(
        channel_type=kinds[0],
        # the link that performs the action; the site's home page only when nothing more specific
        url=url or (portal_url if kinds[0] in ("online_booking", "online_form") else None),
        email=email,
        portal_url=portal_url,
        portal_path=path,
        portal_hint=hint,
        instructions=unread,
    )
    if walk:
        channel.rules.append(
            Rule(
                "walk_in",
                None,
                walk.weekday,
                None,
                walk.period,
                walk.frequency,
                None,
                walk.capacity,
            )
        )
    if email:
        channel.contacts.append(Contact(email.lower(), "booking", True))
    return channel


def read_remarks(cell: RawCell, row: int, channel: Channel) -> None:
    """Scheduling rules, mailboxes and remaining instructions from the « Remarques » cell."""
    last_contact: Contact | None = None
    for block, hrefs in _blocks(cell):
        addresses = rules.addresses(block, hrefs)
        if addresses:
            role = "form_inbox" if rules.FORM_INBOX.search(block) else "other"
            for address in addresses:
                last_contact = Contact(address.lower(), role, True)
                channel.contacts.append(last_contact)
            continue
        if last_contact and rules.MAILBOX_NOTE.search(block):
            if rules.NOT_FOR_PUBLIC.search(block):
                last_contact.public_use = False
            last_contact.notes = "\n".join(filter(None, [last_contact.notes, block]))
            continue
        applies_to, text = None, block
        if scoped := rules.for_procedure(block):
            applies_to, text = scoped
        release = rules.slot_release(text)
        if release is None and rules.announces_slot_fact(text):
            raise NormaliseError(
                f"row {row}, column {COL_REMARKS!r}: cannot read the scheduling fact in {block!r}"
            )
        if release is None:
            channel.instructions.append(block)
            continue
        if rules.announces_slot_fact(release.rest):
            raise NormaliseError(
                f"row {row}, column {COL_REMARKS!r}: cannot read the scheduling fact in "
                f"{_tidy(release.rest)!r}"
            )
        channel.rules.append(
            Rule(
                "slot_release",
                applies_to,
                release.weekday,
                release.time,
                None,
                release.frequency,
                release.visibility_weeks,
                None,
            )
        )
        rest = _tidy(release.rest)
        if rest:
            channel.instructions.append(
                f"{block.split(':', 1)[0].strip()} : {rest}" if applies_to else rest
            )
