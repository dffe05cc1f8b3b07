"""``rdv-opendata unread OUTPUT_OR_RELEASE``: the sentences a release could not read, each with a
``readings.toml`` stub a maintainer fills in to teach it (Contract 3).

The stub is deliberately incomplete: ``reviewed_by`` is empty and the statement's fields are
comments, so a stub pasted unread stops the next run with a line naming it, rather than typing
a guess.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from core.errors import SourceError
from normalise.rules import slug
from publish.changes.unread import RESOURCE
from publish.formats.table import JSON
from publish.layout import DESCRIPTOR_FILE, LATEST, data_file

#: a statement template per kind of token the detector saw: what a reviewer most likely types
TEMPLATES = {
    "slot_rules": (
        'resource = "slot_rules"\n'
        'rule_type = "slot_release"        # slot_release | walk_in | opening_hours\n'
        '# weekdays = ["monday"]            # monday … sunday\n'
        '# time = "09:00"                   # when new slots open (slot_release)\n'
        '# start_time = "09:00"             # an hour range (walk_in, opening_hours)\n'
        '# end_time = "12:00"\n'
        '# period = "morning"               # morning | afternoon | all_day\n'
        '# frequency = "weekly"\n'
        "# visibility_weeks = 4\n"
        "# capacity = 10\n"
    ),
    "closures": (
        'resource = "closures"\n'
        "closed_from = 2021-01-04           # a date, no quotes\n"
        "# closed_until = 2021-01-08        # none: closed until further notice\n"
    ),
}
DATE_KINDS = frozenset({"date", "month"})


def release_folder(location: Path) -> Path:
    """The release a location names: a release folder, its datapackage.json, or an output
    folder (its latest release)."""
    if location.name == DESCRIPTOR_FILE:
        location = location.parent
    if (location / LATEST / DESCRIPTOR_FILE).is_file():
        return location / LATEST
    if (location / DESCRIPTOR_FILE).is_file():
        return location
    raise SourceError(f"no release at {location} (an output folder or a release folder)")


def unread_rows(release: Path) -> list[dict[str, Any]]:
    path = release / data_file(RESOURCE, JSON.suffix)
    if not path.is_file():
        return []  # a release older than Contract 3
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SourceError(f"{path}: unreadable ({exc})") from None
    return list(rows)


def toml_string(text: str) -> str:
    """A TOML basic string (json's escapes are TOML's for these characters)."""
    return json.dumps(text, ensure_ascii=False)


def stub(row: dict[str, Any], today: dt.date) -> str:
    """A ``[[reading]]`` entry for one unread sentence, to complete and paste."""
    kinds = {token.split(":", 1)[0] for token in row["tokens"]}
    template = "closures" if kinds & DATE_KINDS and "time" not in kinds else "slot_rules"
    ident = slug(f"ligne-{row['source_row']}-{' '.join(row['sentence'].split()[:5])}")[:60]
    statement = "".join(
        f"# {line}\n" if not line.startswith("#") else f"{line}\n"
        for line in TEMPLATES[template].splitlines()
    )
    return (
        "[[reading]]\n"
        f'id = "{ident.strip("-")}"\n'
        f"sentence = {toml_string(row['sentence'])}\n"
        'reviewed_by = ""                   # who checked this reading against the page\n'
        f"reviewed_on = {today.isoformat()}\n"
        '# note = ""                        # why, if the reading is not obvious\n'
        "# the facts, with the resources' own field names; uncomment and fill in\n"
        "# (or leave no statement and say in note why the sentence holds no fact)\n"
        "# [[reading.statements]]\n"
        f"{statement}"
    )


def unread_report(location: Path, today: dt.date | None = None) -> str:
    release = release_folder(location)
    rows = unread_rows(release)
    if not rows:
        return f"No unread sentence in {release}.\n"
    today = today or dt.date.today()
    out = [f"{len(rows)} sentence(s) of {release} could not be read:\n"]
    for row in rows:
        where = f"row {row['source_row']}, column {row['column']!r}, sentence {row['position']}"
        out += [
            f"# {where} (type {row['type_id']}): {row['reason']}",
            f"# tokens: {', '.join(row['tokens'])}",
            stub(row, today),
        ]
    out.append(
        "# Add the completed entries to readings.toml; the next run types each sentence "
        "(read_by = reading:<id>) and it leaves unread_sentences.\n"
    )
    return "\n".join(out)
