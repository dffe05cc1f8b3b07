"""The publishing pipeline as plain functions: what the Prefect tasks wrap, step by step.

The steps, in the order a run meets them, are ``STEPS``: fetch, archive, parse, normalise,
validate, diff, publish, each a function of that name. It is the one list of them: the Prefect
flow (``flows/publish_flow.py``) makes a task of each, and ``run`` chains them through a
``Runner``: ``direct`` without an orchestrator (what the kill tests drive, being fast to start),
the flow's runner as tasks. Either way the same code decides which steps run, in which order.

No Prefect here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, ParamSpec, Protocol, TypeVar

import pandas as pd

from core import parallel, standby
from core.collector import collections_spaced
from core.digest import sha256
from core.errors import (
    FutureRelease,
    MassDeletionRefused,
    PublishError,
    RdvError,
    RollbackRefused,
    SourceError,
    ValidationFailed,
)
from core.markdown import text_line
from core.settings import PUBLIC_BASE_URL
from extract import RawTable, extract_table
from extract import observed as observation
from extract.read import Source, is_url, now_utc, read_path, read_url
from extract.redact import redact_url
from extract.warc import Earlier, capture, refused_answer
from normalise import normalise as normalise_table
from normalise.readings import DEFAULT_POLICY, ReadingPolicy, load_readings, stale_readings
from publish.changes import languages
from publish.changes.diff import diff as diff_packages
from publish.changes.diff import row_counts
from publish.changes.records import CatalogEntry, ChangeRecord, Changes, RowCounts
from publish.changes.summary import ChangeLines, Labels, release_lines, summary_markdown
from publish.changes.workbook import workbook_bytes
from publish.derived.audit import audit_outputs
from publish.derived.refresh import due as derived_due
from publish.derived.refresh import refresh_derived
from publish.formats.schema_files import schema_files
from publish.formats.tabular import json_text
from publish.layout import CHANGES_FILE, DICTIONARY_FILE, EVIDENCE_FILE, SUMMARY_FILE
from publish.reading.chain import evidence_record
from publish.reading.load import PackageData
from publish.release.bump import decide_bump, next_version
from publish.release.guard import mass_deletions
from publish.release.package import (
    ResourceData,
    history,
    render_package,
    resource_data,
    write_files,
)
from publish.release.store import ReleaseStore
from rdv_opendata import settings
from rdv_opendata.reader import reader_fingerprint
from rdv_opendata.settings import DEFAULT_SOURCE
from schemas.dictionary import dictionary_markdown
from schemas.frames import to_frames
from schemas.validate import validate_frames
from website.alert_words import failure_kind
from website.freshness import CHECKED_OUTCOMES

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True, kw_only=True)
class Plan:
    """What publishing this source would do: no bump means nothing to publish."""

    bump: str | None
    version: str | None
    changes: Changes
    previous: str | None  # the latest release's version
    old: PackageData | None  # the latest release's data, already checked intact


@dataclass(kw_only=True)
class RunResult:
    status: str  # "published" or "unchanged"
    version: str | None
    bump: str | None = None
    reason: str = ""
    path: str | None = None
    rows: dict[str, int] = field(default_factory=dict)
    changes: dict[str, RowCounts] = field(default_factory=dict)
    summary: str = ""  # Markdown (CHANGES.md, artifacts)
    lines: list[str] = field(default_factory=list)  # the same facts as plain text
    recovered: list[str] = field(default_factory=list)
    unread: int = 0  # rows of unread_sentences in the release the run leaves as latest
    stale_readings: list[str] = field(default_factory=list)  # readings whose sentence is gone
    warc: str | None = None  # the WARC file of this run's read of the source

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, kw_only=True)
class Step:
    """One step of the pipeline: its function, after which it is named, and whether it reads
    the network (the flow tags its task so; it retries by itself, see ``extract/fetch.py``)."""

    function: Callable[..., Any]
    network: bool = False

    @property
    def name(self) -> str:
        return self.function.__name__


class Runner(Protocol):
    """How ``run`` has a step done: ``runner(function, *args)`` returns ``function(*args)``,
    called directly (``direct``) or as the step's Prefect task (``flows/publish_flow.py``)."""

    def __call__(self, function: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R: ...


# --- the steps -----------------------------------------------------------------------------------


def fetch(
    source: str | None,
    store: ReleaseStore,
    policy: Any = None,
    log: Callable[[str], None] = lambda message: None,
    observed: str | None = None,
) -> Source:
    """The source's bytes: a URL is fetched (conditionally, with the last good run's ETag and
    Last-Modified), anything else is read as a path; None is the bundled snapshot. ``observed``
    (a file's date, ``--observed``) says when its content was seen on the site."""
    if source is not None and not source.strip():  # a deployment whose Variable is unset
        raise SourceError(
            "no source configured: set the prefecture's page URL (the deployment's source, or "
            "the Prefect Variable rdv_opendata_source); the bundled snapshot is never implied"
        )
    if source is not None and is_url(source):
        if observed:
            raise SourceError("--observed is for files: a page is observed when it is fetched")
        etag, last_modified = store.validators(source)
        return read_url(source, etag, last_modified, policy, log)
    return read_path(source, observed, bundled=DEFAULT_SOURCE)


def archive(store: ReleaseStore, source: Source) -> dict[str, Any]:
    """Keep the source's exact bytes in ``snapshots/`` (nothing new after a 304) and its read as
    a WARC file in ``warc/`` (a 304: a revisit of the last good response); the WARC record that
    holds the source (``evidence.json``'s ``source.warc``). Before any parsing: a run refused
    later keeps the proof of what the page said."""
    earlier = store.earlier_response() if source.not_modified else None
    made = capture(
        source,
        Earlier(
            record_id=earlier["warc_record_id"],
            target=earlier["warc_target"],
            date=earlier["warc_date"],
            payload_sha256=earlier["source_sha256"],
        )
        if earlier
        else None,
    )
    if not source.not_modified:
        store.archive(source.data, source.suffix, source.metadata())
    file = store.archive_capture(made.name, made.data)
    return {
        "file": file,
        "sha256": sha256(made.data),
        "record_id": made.record_id,
        "record_type": made.record_type,
        "payload_digest": made.payload_digest,
        "target": made.target,
        "date": made.date,
    }


def parse(source: Source) -> RawTable:
    return extract_table(source.data)


def normalise(
    table: RawTable, policy: ReadingPolicy = DEFAULT_POLICY
) -> dict[str, list[dict[str, Any]]]:
    """The table's facts as the rows of the contract's resources (``normalise``, rule-based),
    with the run's reviewed readings; an unread sentence refuses the run only when strict."""
    return normalise_table(table, policy)


def reading_policy(readings: str | Path | None = None, strict: bool = False) -> ReadingPolicy:
    """The reviewed readings of ``readings`` (default: the checkout's ``readings.toml``),
    checked whole before anything is read."""
    path = Path(readings) if readings is not None else settings.DEFAULT_READINGS
    if readings is not None and not path.is_file():
        raise SourceError(f"no readings file at {path}")
    return ReadingPolicy(load_readings(path), strict)


def validate(resources: dict[str, list[dict]]) -> dict[str, pd.DataFrame]:
    """Typed frames, validated by pandera (lazily); raises ValidationFailed naming the first."""
    frames = to_frames(resources)
    errors = validate_frames(frames)
    if errors:
        raise ValidationFailed.of("the normalised data", errors)
    return frames


def source_metadata(source: Source, table: RawTable) -> dict[str, Any]:
    """What depends on the form of the source: it lives only in datapackage.json ``sources``."""
    return {
        "title": table.title or "Tableau source",
        "path": redact_url(source.location),
        "retrieved": source.retrieved,
        "observed": source.observed,
        "observedFrom": source.observed_from,
        "sha256": sha256(source.data),
        "bytes": len(source.data),
        "encoding": table.encoding,
        "encodingSource": table.encoding_source,
        "form": table.form,
    }


def candidate(
    frames: dict[str, pd.DataFrame],
    meta: dict[str, Any],
    *,
    base_url: str = PUBLIC_BASE_URL,
    data: ResourceData | None = None,
) -> PackageData:
    """The package this source would give, to compare with the latest release (its metadata
    built on the same public address, without the files only a written release needs).
    ``data``: the frames' resources made already (``resource_data``), which the release written
    after it shares."""
    descriptor, _, rows = render_package(
        frames, meta, version="", created="", base_url=base_url, extras=False, data=data
    )
    return PackageData(descriptor=descriptor, rows=rows)


def diff(
    store: ReleaseStore, new: PackageData, source_sha256: str, readings_sha256: str = ""
) -> Plan:
    """The changes from the latest release to ``new``, and the version they call for. The
    reviewed readings are an input like the page: a new reading that types a sentence is a
    change of the data (MINOR), not a fix of the reader (PATCH)."""
    latest = store.latest_entry()
    old = store.latest_package()
    changes = diff_packages(old, new)
    source_changed = (
        latest is None
        or latest.get("source_sha256") != source_sha256
        or (latest.get("readings_sha256") or "") != readings_sha256
    )
    bump = decide_bump(changes, first=old is None, source_changed=source_changed)
    previous = latest["version"] if latest else None
    version = next_version(previous, bump) if bump else None
    return Plan(bump=bump, version=version, changes=changes, previous=previous, old=old)


def check_mass_deletion(store: ReleaseStore, new: PackageData, allow: bool) -> None:
    old = store.latest_entry()
    if old is None or allow:
        return
    problems = mass_deletions(old.get("rows", {}), {k: len(v) for k, v in new.rows.items()})
    if problems:
        raise MassDeletionRefused(
            "refusing to publish: "
            + "; ".join(problems)
            + " compared with the latest release (use --allow-mass-deletion if this is right)"
        )


def publish(
    store: ReleaseStore,
    frames: dict[str, pd.DataFrame],
    meta: dict[str, Any],
    the_plan: Plan,
    new: PackageData,
    allow_mass_deletion: bool = False,
    readings_sha256: str = "",
    data: ResourceData | None = None,
    warc: dict[str, Any] | None = None,
) -> RunResult:
    """Write the planned release and make it the latest (after the mass-deletion guard).
    ``data``: the frames' resources, made once with the candidate (``resource_data``);
    ``warc``: the source's WARC record (``archive``), chained in ``evidence.json``."""
    assert the_plan.bump and the_plan.version
    check_mass_deletion(store, new, allow_mass_deletion)
    created = now_utc()
    rows = {name: len(r) for name, r in new.rows.items()}
    version, large = the_plan.version, store.large(sum(rows.values()))
    # the workbooks (a second and a half of work each at 10,000 rows): for a large table, made
    # by second processes while this one says the changes and renders the package; for a small
    # one, by the command's standby if it has one (``core.standby``), as are the schemas
    made = {"version": version, "created": created, "source": meta}
    dates = history(store.catalog(), meta.get("observed"))
    with (
        parallel.meanwhile(  # their examples checked by frictionless
            False,
            "the schemas",
            schema_files,
            dict(new.rows),
            version=version,
            created=created,
            first_published=dates["first_published"],
            base_url=store.base_url,
        ) as schemas,
        parallel.meanwhile(
            large, "the workbook", workbook_bytes, dict(new.rows), **made
        ) as default_workbook,
        parallel.meanwhile(
            large, "the workbooks in other languages", languages.workbooks, dict(new.rows), **made
        ) as other_workbooks,
    ):
        changes: ChangeRecord = {
            "from_version": the_plan.previous,
            "to_version": version,
            "bump": the_plan.bump,
            **the_plan.changes,
            "summary": [],
        }
        # each line said once per language, its labels' indexes built once
        said = ChangeLines(changes, Labels(the_plan.old, new))
        summary = summary_markdown(changes, the_plan.old, new, said)
        changes["summary"] = release_lines(changes, the_plan.old, new, said)  # the site

        def write(folder: Path) -> None:
            evidence = evidence_record(
                version, store.chain_head(), meta["sha256"], warc, store.signer()
            )
            files = {
                CHANGES_FILE: json_text(dict(changes)).encode("utf-8"),
                SUMMARY_FILE: summary.encode("utf-8"),
                **languages.summaries(changes, the_plan.old, new, said),  # CHANGES.en.md…
                DICTIONARY_FILE: dictionary_markdown(new.rows, heading="##").encode("utf-8"),
                EVIDENCE_FILE: json_text(evidence).encode("utf-8"),
            }
            # last, what the second processes make
            files |= render_package(
                frames,
                meta,
                version,
                created,
                **dates,
                base_url=store.base_url,
                data=data,
                spreadsheet=default_workbook,
                schemas=schemas,
            )[1]
            files |= other_workbooks()  # data/rdv-isere.en.xlsx…
            write_files(folder, files)

        counts = row_counts(the_plan.changes)
        entry: CatalogEntry = {
            "version": version,
            "published": created,
            "source_sha256": meta["sha256"],
            "source_observed": meta.get("observed"),
            "bump": the_plan.bump,
            "changes": counts,
            "rows": rows,
            "readings_sha256": readings_sha256 or None,
        }
        path = store.publish(version, write, entry)
    return RunResult(
        status="published",
        version=the_plan.version,
        bump=the_plan.bump,
        path=str(path),
        rows=rows,
        changes=counts,
        summary=summary,
        lines=[text_line(line) for line in changes["summary"]],  # stdout, notifications
    )


#: every step, in the order a run meets them: the one list of them (the flow's tasks too)
STEPS: tuple[Step, ...] = (
    Step(function=fetch, network=True),
    Step(function=archive),
    Step(function=parse),
    Step(function=normalise),
    Step(function=validate),
    Step(function=diff),
    Step(function=publish),
)


def step_of(function: Callable[..., Any]) -> Step:
    """The step of ``STEPS`` whose function this is; anything else is refused (a step that a
    run would call but the flow would have no task for)."""
    for step in STEPS:
        if step.function is function:
            return step
    name = getattr(function, "__name__", repr(function))
    raise LookupError(f"{name} is not a step of the pipeline (rdv_opendata.pipeline.STEPS)")


def direct(function: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
    """The runner without an orchestrator: the step, called."""
    step_of(function)
    return function(*args, **kwargs)


def build_frames(
    table: RawTable, policy: ReadingPolicy = DEFAULT_POLICY
) -> dict[str, pd.DataFrame]:
    """The normalise and validate steps of a parsed table, called (the docs and golden files)."""
    return validate(normalise(table, policy))


# --- the rest of a run ----------------------------------------------------------------------------


def open_store(
    output: Path,
    base_url: str | None = None,
    latest_copy: bool | None = None,
    stale_after_days: int | None = None,
    sign_key: str | Path | None = None,
) -> ReleaseStore:
    """The output folder's store, served at ``base_url`` (else the environment's, else the
    placeholder), with ``latest`` as a link or a copy (``latest_copy``, else the environment),
    its site warning after ``stale_after_days`` without a check (else the environment's)."""
    key = None
    if sign_key is not None:  # read before anything: a bad key refuses the run at once
        from publish.reading.signature import load_private_key

        key = load_private_key(Path(sign_key))
    return ReleaseStore(
        output,
        base_url=settings.base_url(base_url),
        latest_copy=settings.latest_copy(latest_copy),
        stale_after_days=settings.stale_after_days(stale_after_days),
        sign_key=key,
        second_process_from=settings.second_process_from(),
    )


def check_rollback(store: ReleaseStore, meta: dict[str, Any]) -> None:
    """Refuse data observed before the latest release's source: publishing it would roll the
    facts back (a stray ``make run`` of the 2020 snapshot after a newer page)."""
    latest = store.latest_entry()
    if latest is None:
        return
    before, now = latest.get("source_observed"), meta.get("observed")
    if before and now and _in_the_future(before):
        # accepted before future dates were refused: every genuine page would look like a
        # rollback; say what is wrong, and let a person publish over it
        raise FutureRelease(
            f"the latest release {latest['version']} records the observed date {before}, in the "
            f"future, so this source (observed on {now}) cannot be checked against it; make sure "
            "this source is the current page, then pass --allow-rollback to publish it over "
            "that release"
        )
    if before and now and now < before:
        raise RollbackRefused(
            f"refusing a rollback: this source was observed on {now}, before the source of the "
            f"latest release {latest['version']} (observed on {before}); pass --allow-rollback "
            "to publish it anyway"
        )


def _in_the_future(date: str) -> bool:
    try:
        observation.not_future(str(date)[:10], "latest release")
    except (SourceError, ValueError):
        return True
    return False


def unchanged(store: ReleaseStore, reason: str) -> RunResult:
    latest = store.latest_entry()
    return RunResult(
        status="unchanged",
        version=latest["version"] if latest else None,
        reason=reason,
        path=str(store.latest) if latest else None,
        rows=latest.get("rows", {}) if latest else {},
    )


@dataclass(frozen=True, kw_only=True)
class Built:
    """A source parsed, normalised and validated, ready to diff (what backfill fans out)."""

    frames: dict[str, pd.DataFrame]
    meta: dict[str, Any]


def build(raw: Source, step: Runner = direct, policy: ReadingPolicy = DEFAULT_POLICY) -> Built:
    table = step(parse, raw)
    frames = step(validate, step(normalise, table, policy))
    return Built(frames=frames, meta=source_metadata(raw, table))


def process(
    store: ReleaseStore,
    raw: Source,
    allow_mass_deletion: bool = False,
    step: Runner = direct,
    built: Built | None = None,
    site: bool = True,
    allow_rollback: bool = False,
    policy: ReadingPolicy = DEFAULT_POLICY,
) -> RunResult:
    """Archive the source and publish a release if its data changed (the caller holds the lock).

    ``built`` is the source already parsed and validated (backfill builds them in parallel).
    """
    warc = step(archive, store, raw)
    try:
        result = _process(
            store, raw, allow_mass_deletion, step, built, allow_rollback, policy, warc
        )
    except RdvError as exc:
        exc.warc = warc["file"]  # the refused read's evidence, named by its attempt
        raise
    result.warc = warc["file"]
    if site:  # at every run: a site that lags the catalog is rebuilt
        refresh_outputs(store)
    return result


def refresh_outputs(store: ReleaseStore, derived: bool = True) -> None:
    """Bring the site (and with ``derived``, the history and the DCAT catalogue) up to date
    with the store's catalog, then audit what was rebuilt: in a staged view
    (``ReleaseStore.staged``), before anything is switched in. The history and the catalogue
    are made by another process while this one builds the site: a second process of their own
    for a large table, else the command's standby if it has one (``core.standby``)."""
    from website.build import ensure_site

    if not (derived and derived_due(store)):
        ensure_site(store)
        audit_outputs(store)
        return
    alongside = store.large(store.latest_rows())
    # here, the releases the site read; in another process, those it reads itself
    given = store.sendable() if alongside or standby.current() else store
    with parallel.meanwhile(
        alongside, "the history and the catalogue", refresh_derived, given
    ) as derived_outputs:
        ensure_site(store)
        rebuilt = derived_outputs()  # history.sqlite, catalog.jsonld
    audit_outputs(store, rebuilt)  # the history read back by its builder, beside the site


def _process(
    store: ReleaseStore,
    raw: Source,
    allow_mass_deletion: bool,
    step: Runner,
    built: Built | None,
    allow_rollback: bool,
    policy: ReadingPolicy = DEFAULT_POLICY,
    warc: dict[str, Any] | None = None,
) -> RunResult:
    if raw.not_modified:
        if store.latest_entry() is None:
            raise PublishError(f"{raw.location} answered 304 but nothing was published yet")
        store.mark_good(None, raw.metadata(), capture=warc)
        return unchanged(store, "not modified since the last run (HTTP 304)")
    digest = sha256(raw.data)
    reader = reader_fingerprint(policy)
    stale: list[str] = []
    if store.latest_entry() and store.last_good_source(reader) == digest:
        result = unchanged(store, "same source bytes as the last run")
    else:
        ready = built or build(raw, step, policy)
        stale = stale_readings(policy.readings, list(ready.frames["source_cells"]["text"]))
        data = resource_data(ready.frames)  # the candidate's files are the release's
        new = candidate(ready.frames, ready.meta, base_url=store.base_url, data=data)
        the_plan = step(diff, store, new, digest, policy.readings.digest)
        if the_plan.bump is None:
            result = unchanged(store, "same data as the latest release")
        else:
            if not allow_rollback:
                check_rollback(store, ready.meta)
            result = step(
                publish,
                store,
                ready.frames,
                ready.meta,
                the_plan,
                new,
                allow_mass_deletion,
                policy.readings.digest,
                data,
                warc,
            )
    store.mark_good(digest, raw.metadata(), reader, capture=warc)
    result.stale_readings = stale
    latest = store.latest_entry()
    result.unread = int(latest.get("rows", {}).get("unread_sentences", 0)) if latest else 0
    return result


@collections_spaced()  # a large table's objects walked by fewer collections
def run(
    source: str | None,
    output: Path,
    allow_mass_deletion: bool = False,
    step: Runner = direct,
    log: Callable[[str], None] = lambda message: None,
    policy: Any = None,
    observed: str | None = None,
    allow_rollback: bool = False,
    base_url: str | None = None,
    latest_copy: bool | None = None,
    strict: bool = False,
    readings: str | Path | None = None,
    stale_after_days: int | None = None,
    sign_key: str | Path | None = None,
) -> RunResult:
    """The whole pipeline: the ``STEPS`` fetch, archive, parse, normalise, validate, diff,
    publish, in that order (a run stops early when nothing changed). Every attempt is recorded
    in ``attempts.json``, a failed one included.

    ``step(function, *args)`` runs each step: ``direct`` calls it, the Prefect flow's runner
    runs it as the step's task. ``base_url`` (where the output folder is served) and
    ``latest_copy`` (``latest/`` as a real folder) default to the environment's settings.
    ``readings`` (default: the checkout's ``readings.toml``) are checked before anything is
    read; ``strict`` refuses the run on any unread sentence. ``stale_after_days`` (default: the
    environment's, else 8) is how long without a successful check before the site warns.
    ``sign_key``: an ed25519 private key (PEM) that signs each new release's SHA256SUMS.
    """
    reading = reading_policy(readings, strict)
    store = open_store(output, base_url, latest_copy, stale_after_days, sign_key)
    raw: Source | None = None
    try:
        raw = step(fetch, source, store, policy, log, observed)
        with store.lock():
            recovered = store.recover()
            for done in recovered:
                log(f"recovery: {done}")
            # write every output this run changes, audit them, then switch them in together
            with store.staged() as view:
                result = process(
                    view,
                    raw,
                    allow_mass_deletion,
                    step,
                    site=False,
                    allow_rollback=allow_rollback,
                    policy=reading,
                )
                view.record_attempt(
                    {**attempt(view, raw, result.status, result.reason or ""), "warc": result.warc}
                )
                refresh_outputs(view)  # after the record: the site's banner depends on it
            for ident in result.stale_readings:
                log(f"readings: {ident!r} is stale (its sentence appears nowhere in the table)")
    except RdvError as exc:
        record_failure(store, raw, exc, log)
        raise
    result.recovered = recovered
    return result


def checked(raw: Source) -> str | None:
    """When a successful run saw the prefecture's page: a page fetched (a 304 included), when it
    was fetched; a file, the day its content was seen on the site (reading it checks nothing
    newer: the bundled snapshot stays of 2020)."""
    return raw.retrieved if is_url(raw.location) else raw.observed


def attempt(store: ReleaseStore, raw: Source | None, outcome: str, reason: str) -> dict[str, Any]:
    """One run's record: when, how it ended and why, which source it read, and when that run
    saw the page (``checked``: None unless it succeeded, see ``website.freshness``)."""
    digest = sha256(raw.data) if raw is not None and raw.data else None
    latest = store.latest_entry()
    published = latest.get("source_sha256") if latest else None
    return {
        "time": now_utc(),
        "outcome": outcome,
        "reason": reason,
        "version": latest["version"] if latest else None,
        "source_sha256": digest,
        "source_observed": raw.observed if raw is not None else None,
        "source_changed": None if digest is None else digest != published,
        "checked": checked(raw) if raw is not None and outcome in CHECKED_OUTCOMES else None,
    }


def _keep_answer(store: ReleaseStore, error: RdvError) -> dict[str, str]:
    """The WARC file a failed attempt names: of the page it read and refused, or of the error
    answer of the server (a 404, a 503 given up on), kept now as the page's state that day."""
    answered = getattr(error, "answered", ())
    if not isinstance(error, SourceError) or not answered:
        return {"warc": error.warc} if error.warc else {}
    made = refused_answer(answered, now_utc())
    return {"warc": store.archive_capture(made.name, made.data)}


def record_failure(
    store: ReleaseStore, raw: Source | None, error: RdvError, log: Callable[[str], None]
) -> None:
    """Record a failed attempt (with its ``kind``: ``website.alert_words.failure_kind``) and
    bring the site up to date (a changed source that could not be read: the banner; too long
    without a successful check: the warning); never hides the failure itself (another publisher
    holding the lock: nothing recorded)."""
    try:
        with store.lock():
            # a guard or the store refused (rollback, mass deletion, lock…): the page was read
            outcome = "refused" if isinstance(error, PublishError) else "failed"
            # what stopped it, for the alerts (the feeds' entry), beside the one-line reason
            kind = failure_kind(error)
            kept = _keep_answer(store, error)
            with store.staged() as view:
                view.record_attempt(
                    {**attempt(view, raw, outcome, str(error)), "kind": kind, **kept}
                )
                if view.latest_entry() is not None:
                    refresh_outputs(view, derived=False)
    except RdvError as exc:
        log(f"could not record the failed attempt: {exc}")
