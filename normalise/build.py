"""RawTable to the seven resources of the data contract, as lists of plain dicts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict

from core.errors import NormaliseError
from core.settings import COL_LOCATION, COL_TYPE, EXPECTED_HEADER
from extract.model import RawCell, RawTable
from normalise import rules, safety
from normalise.channel import Channel, Quarantined, read_modalities, read_remarks
from normalise.grammar import Closure
from normalise.places import read_place
from normalise.readings import DEFAULT_POLICY, ReadingPolicy
from schemas.registry import RESOURCE_ORDER

Rows = list[dict]
RESOURCES = RESOURCE_ORDER  # the schemas' order is the one list of resource names

PRIORITY = "prioritaires"


def _procedure_items(cell: RawCell) -> Iterator[tuple[str, int]]:
    """(label, depth) of every démarche in the cell: list dashes removed, inline lists
    « Parent : - a - b » expanded into the parent and its items one level deeper."""
    for block, depth in zip(cell.blocks, cell.depths or (0,) * len(cell.blocks), strict=True):
        base = max(depth, 1)
        if nested := rules.inline_list(rules.strip_dash(block)):
            parent, items = nested
            yield parent, base
            for item in items:
                yield item, base + 1
        else:
            yield rules.strip_dash(block), base


def procedures(cell: RawCell, channel_id: str) -> Rows:
    """The démarches of one channel with scope, parent and position among siblings."""
    out: Rows = []
    # stack of (depth, procedure_id) of the open parents; a block ending with ':' opens one
    parents: list[tuple[int, str]] = []
    counters: dict[str | None, int] = {}
    intro_depth: int | None = None
    for label, depth in _procedure_items(cell):
        intro = rules.LIST_INTRO.match(label)
        if intro_depth is not None and not intro and depth <= intro_depth:
            # items written at the same depth as the « Parent : » before them are its children,
            # up to the next « … : »
            depth = intro_depth + 1
        if intro:
            label, intro_depth = intro["parent"], depth
        while parents and parents[-1][0] >= depth:
            parents.pop()
        parent_id = parents[-1][1] if parents else None
        split = rules.exclusion(label)
        parts = (
            [(label, "included")]
            if split is None
            else [
                (text, scope)
                for text, scope in ((split[0], "included"), (split[1], "excluded"))
                if text
            ]
        )
        for text, scope in parts:
            counters[parent_id] = counters.get(parent_id, 0) + 1
            procedure_id = rules.key(parent_id or channel_id, rules.slug(text))
            out.append(
                {
                    "procedure_id": procedure_id,
                    "channel_id": channel_id,
                    "label": text,
                    "scope": scope,
                    "parent_id": parent_id,
                    "position": counters[parent_id],
                }
            )
        parents.append((depth, out[-1]["procedure_id"]))
    return out


def _type_rows(table: RawTable) -> Iterator[tuple[int, str, tuple[RawCell, ...]]]:
    """(source_row, type label, cells) per data row; an empty or spanned first cell continues
    the type above (the export's empty cell and the page's rowspan are the same thing)."""
    label: str | None = None
    for number, row in enumerate(table.rows, start=1):
        first = row[0]
        if first.spanned_from is None and not first.is_empty:
            label = " ".join(first.blocks)
        if label is None:
            raise NormaliseError(
                f"row {number}, column {COL_TYPE!r}: empty, and there is no type above it"
            )
        yield number, label, row


def _add_type(types: dict[str, dict], label: str, number: int) -> str:
    """The id of the row's type, added at its first row. Two labels that give one id (« Démarches
    autres » and « Demarches autres ») are refused rather than merged, which would drop one label
    silently; nor do they get a second id, whose suffix would hang on the rows' order."""
    type_id = rules.slug(label)
    known = types.get(type_id)
    if known is None:
        types[type_id] = {
            "type_id": type_id,
            "label": label,
            "position": len(types) + 1,
            "priority": PRIORITY in label.lower(),
            "source_row": number,
        }
    elif known["label"] != label:
        raise NormaliseError(
            f"row {number}, column {COL_TYPE!r}: « {label} » and « {known['label']} » (row "
            f"{known['source_row']}) give the same type id {type_id!r}; write them alike if "
            "they are one type, or tell them apart by more than case, accents or punctuation"
        )
    return type_id


def _add_location(locations: dict[str, dict], location_id: str, place, where: str) -> None:
    """A place named in several rows is one location; a validity stated in one row holds for
    all, and two different validities are refused."""
    row = locations.setdefault(
        location_id,
        {"location_id": location_id, "name": place.name, "valid_from": None, "valid_until": None},
    )
    for attribute in ("valid_from", "valid_until"):
        value = getattr(place, attribute)
        value = value.isoformat() if value else None
        if value is not None and row[attribute] not in (None, value):
            raise NormaliseError(
                f"{where}: {attribute} of « {place.name} » is {value}, another row says "
                f"{row[attribute]}"
            )
        row[attribute] = row[attribute] or value


def _add_closure(
    closures: dict[tuple[str, str], dict],
    location_id: str,
    closure: Closure,
    row: int,
    where: str,
    read_by: str,
) -> None:
    start = closure.closed_from.isoformat()
    end = closure.closed_until.isoformat() if closure.closed_until else None
    found = closures.setdefault(
        (location_id, start),
        {
            "location_id": location_id,
            "closed_from": start,
            "closed_until": end,
            "source_row": row,
            "read_by": read_by,
        },
    )
    if found["closed_until"] != end:
        raise NormaliseError(
            f"{where}: the closure from {start} ends on {end or 'no date'}, another row says "
            f"{found['closed_until'] or 'no date'}"
        )


def _unread_row(row: int, type_id: str, channel_id: str | None, found: Quarantined) -> dict:
    return {
        "source_row": row,
        "column": found.column,
        "position": found.position,
        "sentence": found.sentence,
        "tokens": list(found.unread.tokens),
        "reason": found.unread.reason,
        "type_id": type_id,
        "channel_id": channel_id,
    }


def _named_procedures(rows: Rows) -> dict[str, str | None]:
    """A channel's démarches by the slug of their label; a label given twice names none."""
    named: dict[str, str | None] = {}
    for row in rows:
        label = rules.slug(row["label"])
        named[label] = None if label in named else row["procedure_id"]
    return named


def _rule_rows(channel: Channel, channel_id: str, procedures: Rows) -> Rows:
    """The channel's rules; the n-th rule of one type and procedure keeps its place as « -n »;
    a rule for a named démarche points at it when it names exactly one of the channel's."""
    out: Rows = []
    counts: dict[str, int] = {}
    named = _named_procedures(procedures)
    for rule in channel.rules:
        rule_id = rules.key(
            channel_id, rules.slug(rule.rule_type), rules.slug(rule.applies_to or "")
        )
        counts[rule_id] = counts.get(rule_id, 0) + 1
        out.append(
            {
                "rule_id": rule_id if counts[rule_id] == 1 else f"{rule_id}-{counts[rule_id]}",
                "channel_id": channel_id,
                "rule_type": rule.rule_type,
                "applies_to": rule.applies_to,
                **rule.facts.as_row(),
                "read_by": ",".join(rule.read_by),
                "procedure_id": named.get(rules.slug(rule.applies_to)) if rule.applies_to else None,
            }
        )
    return out


def source_cells(table: RawTable) -> Rows:
    out: Rows = []
    for number, row in enumerate(table.rows, start=1):
        for column, cell in zip(EXPECTED_HEADER, row, strict=True):
            if cell.is_empty or cell.spanned_from is not None:
                continue
            out.append(
                {
                    "source_row": number,
                    "column": column,
                    "text": cell.text,
                    "links": " ".join(link.href for link in cell.links) or None,
                }
            )
    return out


def normalise(table: RawTable, reader: ReadingPolicy = DEFAULT_POLICY) -> dict[str, Rows]:
    """Every fact of the table as rows of the contract's resources (plain Python values).

    ``reader`` holds the reviewed readings and says whether an unread sentence refuses the run
    (``strict``) or becomes a row of ``unread_sentences`` (the default)."""
    safety.check_cells(table)
    out: dict[str, Rows] = {name: [] for name in RESOURCES}
    types: dict[str, dict] = {}
    locations: dict[str, dict] = {}
    contacts: dict[str, dict] = {}
    closures: dict[tuple[str, str], dict] = {}
    channel_counts: dict[tuple[str, str], int] = {}
    for number, label, row in _type_rows(table):
        _, demarches, modalities, place_cell, remarks = row
        type_id = _add_type(types, label, number)
        channel: Channel = read_modalities(modalities, number, reader)
        read_remarks(remarks, number, channel, reader)

        kind_key = (type_id, channel.channel_type)
        channel_counts[kind_key] = channel_counts.get(kind_key, 0) + 1
        ordinal = channel_counts[kind_key]
        channel_id = rules.key(type_id, rules.slug(channel.channel_type))
        if ordinal > 1:  # a type with two channels of one kind: the contract's ordinal
            channel_id = f"{channel_id}-{ordinal}"

        location_id = None
        if not place_cell.is_empty:
            where = f"row {number}, column {COL_LOCATION!r}"
            place = read_place(" ".join(place_cell.blocks), where, reader)
            location_id = rules.slug(place.name)
            _add_location(locations, location_id, place, where)
            for closure in place.closures:
                _add_closure(closures, location_id, closure, number, where, place.read_by)
            channel.unread += [
                Quarantined(COL_LOCATION, 1, sentence, why) for sentence, why in place.unread
            ]
        for closure, where, read_by in channel.closures:
            if location_id is None:
                raise NormaliseError(f"{where}: a closure, but the row names no place")
            _add_closure(closures, location_id, closure, number, where, read_by)
        out["channels"].append(
            {
                "channel_id": channel_id,
                "type_id": type_id,
                "channel_type": channel.channel_type,
                "url": channel.url,
                "email": channel.email,
                "phone": channel.phone,
                "portal_url": channel.portal_url,
                "portal_path": channel.portal_path,
                "portal_hint": channel.portal_hint,
                "location_id": location_id,
                "instructions": "\n".join(channel.instructions) or None,
                "source_row": number,
            }
        )
        its_procedures = procedures(demarches, channel_id)
        out["procedures"].extend(its_procedures)
        out["slot_rules"].extend(_rule_rows(channel, channel_id, its_procedures))
        out["unread_sentences"].extend(
            _unread_row(number, type_id, channel_id, found) for found in channel.unread
        )
        for contact in channel.contacts:
            # a mailbox named twice keeps its first mention; every mention stays in source_cells
            contacts.setdefault(contact.email, {"channel_id": channel_id, **asdict(contact)})
    out["appointment_types"] = [
        {k: v for k, v in row.items() if k != "source_row"} for row in types.values()
    ]
    out["locations"] = list(locations.values())
    out["closures"] = list(closures.values())
    out["contacts"] = [
        {
            "email": c["email"],
            "address": c["address"],
            "channel_id": c["channel_id"],
            "role": c["role"],
            "public_use": c["public_use"],
            "notes": c["notes"],
        }
        for c in contacts.values()
    ]
    out["unread_sentences"].sort(
        key=lambda r: (r["source_row"], EXPECTED_HEADER.index(r["column"]), r["position"])
    )
    out["source_cells"] = source_cells(table)
    if not out["channels"]:
        raise NormaliseError("the table has a header but no data rows")
    return out
