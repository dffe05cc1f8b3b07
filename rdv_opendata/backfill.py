"""Rebuild the release history from a folder of dated snapshots. No Prefect here.

Snapshots are taken in date order: the date in the file name (``2020-12-01.html``), else the
file's modification time. Each distinct content is parsed, normalised and validated once (the
flow fans this out in parallel through its task runner); publishing then goes strictly in order,
exactly as publishing each snapshot in turn would: a snapshot identical to the one before it
stops early, identical data publishes nothing, a bad one fails alone and the rest go on.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from extract.read import Source
from publish.package import sha256
from publish.store import ReleaseStore
from rdv_opendata import pipeline
from rdv_opendata.errors import RdvError, SourceError

DATE_IN_NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
#: what a mapper returns for each source: the built source, or the domain error it raised
Outcome = pipeline.Built | RdvError
Mapper = Callable[[list[Source]], list[Outcome]]


@dataclass
class BackfillResult:
    snapshots: int = 0
    published: list[str] = field(default_factory=list)  # versions, in order
    unchanged: int = 0
    failures: list[str] = field(default_factory=list)  # one line per snapshot that failed

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def snapshot_date(path: Path) -> dt.datetime:
    match = DATE_IN_NAME.search(path.name)
    if match:
        try:
            year, month, day = (int(x) for x in match.groups())
            return dt.datetime(year, month, day, tzinfo=dt.UTC)
        except ValueError:
            pass  # not a real date: fall back to the modification time
    return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)


def read_snapshots(folder: Path) -> tuple[list[Source], list[str]]:
    """The readable snapshots in date order, and one line per file that could not be read."""
    if not folder.is_dir():
        raise SourceError(f"snapshot folder {folder} does not exist")
    dated = []
    problems = []
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        try:
            data = path.read_bytes()
            when = snapshot_date(path)
        except OSError as exc:
            problems.append(f"{path.name}: cannot be read ({exc.strerror})")
            continue
        retrieved = when.replace(microsecond=0).isoformat().replace("+00:00", "Z")
        dated.append((when, path.name, Source(data, str(path), retrieved)))
    dated.sort(key=lambda item: (item[0], item[1]))
    return [source for _, _, source in dated], problems


def build_outcome(source: Source) -> Outcome:
    try:
        return pipeline.build(source)
    except RdvError as exc:
        return exc


def sequential(sources: list[Source]) -> list[Outcome]:
    return [build_outcome(source) for source in sources]


def backfill(
    folder: Path,
    output: Path,
    allow_mass_deletion: bool = False,
    mapper: Mapper = sequential,
    step: Callable[..., Any] = pipeline.direct,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> BackfillResult:
    sources, problems = read_snapshots(folder)
    result = BackfillResult(snapshots=len(sources) + len(problems), failures=problems)
    distinct: dict[str, Source] = {}
    for source in sources:
        distinct.setdefault(sha256(source.data), source)
    built = dict(zip(distinct, mapper(list(distinct.values())), strict=True))
    store = ReleaseStore(output)
    with store.lock():
        store.recover()
        for done, source in enumerate(sources, start=1):
            outcome = built[sha256(source.data)]
            try:
                if isinstance(outcome, RdvError):
                    step("archive", pipeline.archive, store, source)
                    raise outcome
                # the metadata of this very snapshot (an identical earlier one was built)
                outcome = replace(
                    outcome,
                    meta={**outcome.meta, "path": source.location, "retrieved": source.retrieved},
                )
                run = pipeline.process(
                    store, source, allow_mass_deletion, step, built=outcome, site=False
                )
            except RdvError as exc:
                result.failures.append(f"{Path(source.location).name}: {exc}")
            else:
                if run.status == "published" and run.version:
                    result.published.append(run.version)
                else:
                    result.unchanged += 1
            progress(done, len(sources))
        if result.published:
            from website.build import build_site

            build_site(store)  # once, at the end, rather than after each release
    return result
