"""Rebuild the release history from a folder of dated snapshots. No Prefect here.

Snapshots are taken in date order: the date in the file name (``2020-12-01.html``), else the
file's modification time. Each distinct content is parsed, normalised and validated once (the
flow fans this out in parallel through its task runner); publishing then goes strictly in order,
exactly as publishing each snapshot in turn would: a snapshot identical to the one before it
stops early, identical data publishes nothing, a bad one fails alone and the rest go on.

Only regular files that stay inside the folder are read (links may point within it); a link out
of it, a FIFO, a device or a folder is skipped and reported, as is a file over the size cap.
Every reported line shows file names with their control characters escaped: one line each.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from core.digest import sha256
from core.errors import RdvError, SourceError
from extract import observed as observation
from extract.read import Source, read_capped, shown
from normalise.readings import DEFAULT_POLICY, ReadingPolicy
from publish.release.store import ReleaseStore
from rdv_opendata import pipeline

DATE_IN_NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
#: what a mapper returns for each source: the built source, or the domain error it raised
Outcome = pipeline.Built | RdvError
Mapper = Callable[[list[Source], ReadingPolicy], list[Outcome]]


@dataclass(kw_only=True)
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


#: what each kind of entry that is not a regular file is called in the report
KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
)


def refusal(real: Path, inside: Path) -> str | None:
    """Why the folder entry whose links resolve to ``real`` is skipped, or None to read it:
    only regular files that stay inside the folder (``inside``, resolved) are snapshots."""
    if not real.is_relative_to(inside):
        return "a link pointing outside the folder"
    mode = real.stat().st_mode
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in KINDS if test(mode)), "something else")
    return f"{kind}, not a regular file"


def read_regular(real: Path, location: str) -> bytes | None:
    """The bytes of the regular file ``real``, size-capped; None if it is no longer a regular
    file. It is opened without following a link swapped in since it was checked, and without
    waiting for a writer should a FIFO have been."""
    fd = os.open(real, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return read_capped(file, location)


def read_entry(path: Path, inside: Path) -> tuple[dt.datetime, Source] | str:
    """One entry of the snapshot folder, dated; or the line that reports why it was not read."""
    try:
        real = Path(os.path.realpath(path))
        reason = refusal(real, inside)
        data = None if reason else read_regular(real, str(path))
        when = snapshot_date(path)
    except OSError as exc:
        return shown(f"{path.name}: cannot be read ({exc.strerror or exc})")
    except SourceError as exc:
        return shown(f"{path.name}: {exc}")
    if data is None:
        return shown(f"{path.name}: skipped: {reason or 'not a regular file'}")
    retrieved = when.replace(microsecond=0).isoformat().replace("+00:00", "Z")
    seen = observation.of_file(path, None)  # the date in its name, else its modification time
    source = Source(
        data=data,
        location=str(path),
        retrieved=retrieved,
        observed=seen.date,
        observed_from=seen.how,
    )
    return when, source


def read_snapshots(folder: Path) -> tuple[list[Source], list[str]]:
    """The readable snapshots in date order, and one line per entry skipped or unreadable."""
    if not folder.is_dir():
        raise SourceError(f"snapshot folder {shown(str(folder))} does not exist")
    inside = Path(os.path.realpath(folder))
    dated = []
    problems = []
    for path in sorted(p for p in folder.iterdir() if not p.name.startswith(".")):
        entry = read_entry(path, inside)
        if isinstance(entry, str):
            problems.append(entry)
        else:
            dated.append(entry)
    dated.sort(key=lambda item: (item[0], Path(item[1].location).name))
    return [source for _, source in dated], problems


def build_outcome(source: Source, policy: ReadingPolicy = DEFAULT_POLICY) -> Outcome:
    try:
        return pipeline.build(source, policy=policy)
    except RdvError as exc:
        return exc


def sequential(sources: list[Source], policy: ReadingPolicy = DEFAULT_POLICY) -> list[Outcome]:
    return [build_outcome(source, policy) for source in sources]


def backfill(
    folder: Path,
    output: Path,
    allow_mass_deletion: bool = False,
    mapper: Mapper = sequential,
    step: pipeline.Runner = pipeline.direct,
    progress: Callable[[int, int], None] = lambda done, total: None,
    base_url: str | None = None,
    latest_copy: bool | None = None,
    strict: bool = False,
    readings: str | Path | None = None,
) -> BackfillResult:
    policy = pipeline.reading_policy(readings, strict)
    sources, problems = read_snapshots(folder)
    result = BackfillResult(snapshots=len(sources) + len(problems), failures=problems)
    distinct: dict[str, Source] = {}
    for source in sources:
        distinct.setdefault(sha256(source.data), source)
    built = dict(zip(distinct, mapper(list(distinct.values()), policy), strict=True))
    store = pipeline.open_store(output, base_url, latest_copy)
    with store.lock():
        store.recover()
        with store.staged() as view:  # every release and output switched in together, at the end
            _publish_all(view, sources, built, result, allow_mass_deletion, step, policy, progress)
    return result


def _publish_all(
    store: ReleaseStore,
    sources: list[Source],
    built: dict[str, Outcome],
    result: BackfillResult,
    allow_mass_deletion: bool,
    step: pipeline.Runner,
    policy: ReadingPolicy,
    progress: Callable[[int, int], None],
) -> None:
    """Publish each source's release in turn (a failed one is reported and the next goes on),
    then the site, the history and the catalogue, once."""
    for done, source in enumerate(sources, start=1):
        outcome = built[sha256(source.data)]
        try:
            if isinstance(outcome, RdvError):
                step(pipeline.archive, store, source)
                raise outcome
            # the metadata of this very snapshot (an identical earlier one was built)
            outcome = replace(
                outcome,
                meta={
                    **outcome.meta,
                    "path": source.location,
                    "retrieved": source.retrieved,
                    "observed": source.observed,
                    "observedFrom": source.observed_from,
                },
            )
            run = pipeline.process(
                store,
                source,
                allow_mass_deletion,
                step,
                built=outcome,
                site=False,
                policy=policy,
            )
        except RdvError as exc:
            result.failures.append(shown(f"{Path(source.location).name}: {exc}"))
        else:
            if run.status == "published" and run.version:
                result.published.append(run.version)
            else:
                result.unchanged += 1
        progress(done, len(sources))
    pipeline.refresh_outputs(store)  # once, at the end, rather than after each release
