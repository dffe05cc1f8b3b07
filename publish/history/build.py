"""Every release of an output folder as one SQLite database, for Datasette (issue 14, point 4).

``build_history(output)`` rebuilds ``OUTPUT/history.sqlite`` from scratch from the catalog and the
release folders it lists, and writes ``OUTPUT/history.metadata.json`` beside it (Datasette 0.65
metadata: title, licence, source, table and column descriptions, canned queries). Both are written
to a temporary file in the output folder and renamed over the old one: a reader sees the old
database or the new one, never half of one. Explore them with::

    datasette serve OUTPUT/history.sqlite --metadata OUTPUT/history.metadata.json

Tables (see ``publish.history.columns`` and ``publish.history.metadata`` for what each column
means):

``releases``
    one row per release, in catalog order (``seq`` from 1): version (primary key), published,
    bump, source_sha256, source_observed (as the catalog says, may be NULL), ``observed`` (the
    date used everywhere else: source_observed, else the day it was published), previous_version,
    rows (total rows) and added / removed / changed (rows, every resource together).
``release_counts``
    per release and resource: rows, added, removed, changed (primary key version + resource).
one table per resource (``appointment_types``, ``locations``…)
    every version of every item, git-history style: one row per span of consecutive releases in
    which an item (a primary key) kept exactly the same content. The resource's own columns
    (lists as JSON text, dates and times as ISO text, booleans as 0/1), then ``_item`` (the key,
    composite keys joined by '|'), ``_version_from`` / ``_version_to`` (first and last release
    holding this content; primary key: ``_item`` + ``_version_from``), ``_seq_from`` /
    ``_seq_to`` (their ``releases.seq``), ``_observed_from`` / ``_observed_to`` (their observed
    dates), ``_published_from``, ``_started_by`` (``added``: the key was not in the previous
    release, or this is the first one; ``changed``: it was, with other content), ``_ended_by``
    (``changed``, ``removed`` or NULL while current) and ``_current`` (1 in the latest release).
    The rows of release ``n`` are those with ``_seq_from <= n <= _seq_to``.
``changes``
    one row per changed field per release (``kind`` = ``changed``, ``field``, ``old``, ``new``),
    and one row per added or removed item (``kind`` = ``added`` / ``removed``, ``field`` NULL, the
    whole row as a JSON object in ``new`` for an addition, in ``old`` for a removal). The first
    release adds every row. Read from each release's ``changes.json`` (computed with
    ``publish.changes.diff`` when a release has none). ``old`` and ``new`` keep their types (no
    column
    affinity: 6 stays an integer, a list is JSON text).

Full-text search (FTS5, accents ignored) covers the label, name and instruction columns of each
resource (``publish.history.database.FTS_COLUMNS``); Datasette offers it as a search box on those
tables.

The work is split by role: ``releases`` reads the release folders, ``rows`` turns the releases
into the tables' rows (item versions, counts, changes), ``columns`` says what columns the tables
have, ``database`` writes the database with sqlite3 (``ddl``: the SQL text of its tables, as
sqlite-utils wrote them) and ``metadata`` (with ``queries``, the canned queries' SQL) the
Datasette metadata.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from core.collector import collector_paused
from core.errors import PublishError, RdvError
from publish.formats.tabular import json_text
from publish.history.database import replace_database
from publish.history.metadata import history_metadata
from publish.history.releases import read_releases
from publish.layout import HISTORY_FILE, HISTORY_METADATA_FILE
from publish.release.atomic import crash_point, write_atomic
from publish.release.store import ReleaseStore


@collector_paused()
def build_history(output: Path | ReleaseStore) -> Path:
    """Rebuild ``OUTPUT/history.sqlite`` and ``OUTPUT/history.metadata.json`` from every
    release of the output folder (or of the store, which reads each release once per build);
    returns the database's path. A reader of the old files keeps them whole: the new ones are
    renamed over them once complete, the database once read back (``replace_database``). The
    collector is paused meanwhile (``core.collector``): every release's rows and their rows of
    the database are objects kept to the end, with no cycle among them (an eighth of the
    build's CPU at 10,000 types and five releases went to its collections)."""
    store = output if isinstance(output, ReleaseStore) else ReleaseStore(Path(output))
    output = store.root
    target = store.target(HISTORY_FILE)  # in the staging folder of a staged view
    releases = read_releases(store)  # checks the folder and the catalog first
    versions = [entry["version"] for entry in store.catalog()]
    try:
        crash_point("history-building")
        columns = replace_database(target, releases, versions)
        metadata = history_metadata(columns)
        write_atomic(
            store.target(HISTORY_METADATA_FILE),
            json_text(metadata).encode("utf-8"),
            step="history-metadata-tmp-written",
        )
    except (OSError, sqlite3.Error) as exc:
        raise PublishError(f"cannot write the history in {output}: {exc}") from None
    return target


def main(argv: list[str] | None = None) -> int:
    """``python -m publish.history.build OUTPUT``: rebuild the history of an output folder."""
    args = sys.argv[1:] if argv is None else argv
    output = Path(args[0] if args else "output")
    try:
        path = build_history(output)
    except RdvError as exc:
        print(f"history: error: {exc}", file=sys.stderr)
        return 1
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
