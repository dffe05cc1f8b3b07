"""The ``rdv-opendata`` command line. Heavy imports happen inside the commands, so that
``--help`` stays fast; domain errors become one line on stderr and a non-zero exit."""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import logging
import os
import sys
import tempfile
from collections.abc import Iterator, MutableMapping, Sequence
from pathlib import Path

from publish.layout import (
    CHANGES_FILE,
    DCAT_FILE,
    DESCRIPTOR_FILE,
    LATEST_JSON,
    SIGNATURE_FILE,
    SUMS_FILE,
)

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
DEBUG_ENV = "RDV_OPENDATA_DEBUG"

#: seconds Prefect's temporary (ephemeral) server gets to answer before the run gives up, when
#: the user has not set PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS. Prefect's own 20 s is
#: often too short on a busy 2-core machine (it starts in about 16 s on a new PREFECT_HOME, alone).
EPHEMERAL_STARTUP_TIMEOUT = 120
STARTUP_TIMEOUT_ENV = "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"
ORCHESTRATOR_WAY_OUT = (
    "run with --no-orchestrator, or set PREFECT_API_URL to a running server (make serve)"
)


def _checkout() -> Path | None:
    """The project checkout this CLI runs from (pyproject.toml and flows/ beside the package),
    or None when it is installed elsewhere."""
    root = Path(__file__).resolve().parent.parent
    if (root / "pyproject.toml").is_file() and (root / "flows").is_dir():
        return root
    return None


#: Prefect's logging for the command's flow runs (a log file instead of the console)
PREFECT_LOGGING_FILE = Path(__file__).resolve().parent.parent / "flows" / "logging.yml"


def _prefect_environment(env: MutableMapping[str, str] | None = None) -> None:
    """Prefect's settings for a CLI run, set before Prefect is imported and only where the user
    set nothing: a start-up limit for the temporary server that fits a busy machine, no
    telemetry (there is no network: each run would log an error), and, from a checkout, the
    checkout's .prefect/ as PREFECT_HOME, the home `make serve` (scripts/serve.sh) uses too."""
    env = os.environ if env is None else env
    env.setdefault(STARTUP_TIMEOUT_ENV, str(EPHEMERAL_STARTUP_TIMEOUT))
    env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    checkout = _checkout()
    if checkout is not None:
        env.setdefault("PREFECT_HOME", str(checkout / ".prefect"))
    # Prefect's own lines go to its UI (run logs, through the API) and to a log file in its
    # home, never to the command's stderr, which stays the run's one result line
    if "PREFECT_LOGGING_SETTINGS_PATH" not in env and PREFECT_LOGGING_FILE.is_file():
        home = Path(env.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()
        with contextlib.suppress(OSError):  # an unwritable home: Prefect's default logging
            (home / "logs").mkdir(parents=True, exist_ok=True)
            env["PREFECT_LOGGING_SETTINGS_PATH"] = str(PREFECT_LOGGING_FILE)
    # Prefect's background services warn on stderr while they flush at exit on a busy machine
    # (« EventsWorker - Still processing items »): the CLI's stderr stays the one-line result
    for service in ("EventsWorker", "APILogWorker"):
        logging.getLogger(service).setLevel(logging.ERROR)


def enter_checkout() -> dict[str, str]:
    """The pull step of prefect.yaml: a process worker starts each flow run in a temporary
    folder, so the run moves into the checkout this package is installed from (`make setup`
    installs it in place), wherever that checkout is, and finds flows/ there."""
    checkout = _checkout()
    if checkout is None:
        raise RuntimeError("rdv_opendata is not installed from a checkout: run `make setup`")
    os.chdir(checkout)
    return {"directory": str(checkout)}


def _orchestrator_failure(exc: BaseException) -> str | None:
    """The one-line cause when ``exc`` says the Prefect API could not start or be reached
    (the temporary server's start-up timeout, a refused or dropped connection), else None."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        message = " ".join(str(current).split())
        if isinstance(current, RuntimeError):
            if message.startswith("Timed out while attempting to connect to ephemeral Prefect"):
                limit = os.environ.get(STARTUP_TIMEOUT_ENV, "20")
                return (
                    f"its temporary server did not answer within {limit} s, the limit set by "
                    f"{STARTUP_TIMEOUT_ENV}"
                )
            if message.startswith("Failed to reach API at"):
                return message[0].lower() + message[1:]  # "failed to reach API at …"
        if "httpx" in sys.modules:
            import httpx

            if isinstance(current, httpx.TransportError):  # the source's own are FetchErrors
                try:
                    where = f" at {current.request.url}"
                except RuntimeError:  # no request attached
                    where = ""
                return f"{type(current).__name__}{where}: {message or 'no detail'}"[:300]
        current = current.__cause__ or current.__context__
    return None


def _add_output_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--base-url",
        metavar="URL",
        help=f"where the output folder is served: every URL of the metadata ({DESCRIPTOR_FILE}, "
        f"schemas, {DCAT_FILE}, {LATEST_JSON}) is built on it (default: $RDV_OPENDATA_BASE_URL, "
        "else a placeholder)",
    )
    command.add_argument(
        "--latest-copy",
        action="store_const",
        const=True,
        default=None,
        help="make latest/ a real folder, for static hosts that do not follow symbolic links "
        "(default: a link; or set RDV_OPENDATA_LATEST_COPY=1)",
    )


def _add_reading_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--strict",
        action="store_true",
        help="refuse the run when a sentence holding a fact cannot be read (default: publish "
        "it in unread_sentences, every other fact read)",
    )
    command.add_argument(
        "--readings",
        metavar="FILE",
        help="the reviewed readings (default: readings.toml of the checkout)",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rdv-opendata",
        description="Publish the Isère prefecture's residence-permit appointment table as a "
        "validated, versioned Frictionless data package.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    publish = commands.add_parser("publish", help="publish a new release if the source changed")
    publish.add_argument("--source", help="path of the source (default: the bundled snapshot)")
    publish.add_argument("--output", default="output", help="output folder (default: output)")
    publish.add_argument(
        "--allow-mass-deletion",
        action="store_true",
        help="publish even if a resource loses more than half of its rows",
    )
    publish.add_argument(
        "--observed",
        metavar="DATE",
        help="the day (YYYY-MM-DD) the source file's content was seen on the prefecture's site "
        "(default: a date in its name, else its modification time)",
    )
    publish.add_argument(
        "--allow-rollback",
        action="store_true",
        help="publish a source observed before the latest release's source",
    )
    _add_output_options(publish)
    publish.add_argument(
        "--stale-after",
        type=int,
        metavar="DAYS",
        help="warn on every page, feed and calendar after this many days without a successful "
        "check of the page (default: $RDV_OPENDATA_STALE_AFTER_DAYS, else 8)",
    )
    _add_reading_options(publish)
    publish.add_argument(
        "--sign-key",
        metavar="PEM",
        help="an ed25519 private key (openssl genpkey -algorithm ed25519): each new release's "
        f"{SUMS_FILE} gets a detached signature, {SIGNATURE_FILE}",
    )
    publish.add_argument(
        "--no-orchestrator",
        action="store_true",
        help="run the same steps without Prefect (same releases, faster start)",
    )
    backfill = commands.add_parser("backfill", help="rebuild the history from dated snapshots")
    backfill.add_argument("snapshot_dir", help="folder of snapshots (e.g. 2020-12-01.html)")
    backfill.add_argument("--output", default="output", help="output folder (default: output)")
    _add_output_options(backfill)
    _add_reading_options(backfill)
    backfill.add_argument("--allow-mass-deletion", action="store_true")
    backfill.add_argument(
        "--no-orchestrator",
        action="store_true",
        help="run without Prefect (builds one after the other)",
    )
    backfill.add_argument(
        "--dask",
        action="store_true",
        help="fan the builds out on a local Dask cluster (prefect-dask)",
    )
    backfill.add_argument("--dask-address", help="fan the builds out on this Dask scheduler")
    validate = commands.add_parser("validate", help="validate a release (schema and checksums)")
    validate.add_argument("package", help=f"a release folder or its {DESCRIPTOR_FILE}")
    diff = commands.add_parser("diff", help="print what changed between two releases")
    diff.add_argument("old", help=f"the older release folder or {DESCRIPTOR_FILE}")
    diff.add_argument("new", help=f"the newer release folder or {DESCRIPTOR_FILE}")
    diff.add_argument("--json", action="store_true", help=f"print {CHANGES_FILE} instead")
    verify = commands.add_parser(
        "verify",
        help="walk the release chain of an output folder from its first release and name the "
        "first broken link",
    )
    verify.add_argument("output", help="an output folder")
    verify.add_argument(
        "--public-key",
        metavar="PEM",
        help="the ed25519 public key: every release from the first signed one on must be "
        "signed by it",
    )
    unread = commands.add_parser(
        "unread", help="list the sentences nothing could read, each with a readings.toml stub"
    )
    unread.add_argument("location", help="an output folder (its latest release) or a release")
    return parser


def _quick_imports() -> None:
    """Import the pipeline's heavy libraries with the cyclic garbage collector paused: imports
    create many objects and no garbage, and collections during them cost about a tenth of
    the start-up (benchmarks/bench.py, measure b)."""
    gc.disable()
    try:
        import rdv_opendata.pipeline  # noqa: F401
    finally:
        gc.enable()
        gc.freeze()  # what the imports created is never collected: skip it from now on


def _standby_wanted() -> bool:
    """Whether a publish without the orchestrator starts a standby (``core.standby``): on a
    machine of several cores, unless second processes are turned off (``never``; a setting
    that is not understood is refused by the run itself)."""
    from core import parallel
    from core.errors import PublishError
    from rdv_opendata import settings

    try:
        return parallel.cores() > 1 and settings.second_process_from() is not None
    except PublishError:
        return False


def _publish(args: argparse.Namespace) -> int:
    options = {
        "allow_mass_deletion": args.allow_mass_deletion,
        "observed": args.observed,
        "allow_rollback": args.allow_rollback,
        "base_url": args.base_url,
        "latest_copy": args.latest_copy,
        "strict": args.strict,
        "readings": args.readings,
        "stale_after_days": args.stale_after,
        "sign_key": args.sign_key,
    }
    if args.no_orchestrator:
        from core import standby
        from rdv_opendata.settings import STANDBY_MODULES

        # started first: its imports are done on another core while the run does its own
        with standby.standing_by(STANDBY_MODULES, _standby_wanted()):
            _quick_imports()
            from rdv_opendata.pipeline import run

            result = run(args.source, Path(args.output), **options).to_dict()
    else:
        from flows.publish_flow import publish_release

        result = publish_release(source=args.source, output=args.output, **options)
    if result["status"] == "published":
        print(f"published {result['version']} ({result['bump']}) in {result['path']}")
        for line in result["lines"]:
            print(f"- {line}")
        if args.no_orchestrator:  # a flow run notifies by itself
            from rdv_opendata.notify import notify, release_message, store_context, warn

            context = store_context(args.output, args.base_url)
            notify(release_message(result, context), warn)
    else:
        print(f"unchanged: {result['reason']} (latest is {result['version']})")
    if result.get("unread"):
        print(
            f"{result['unread']} sentence(s) could not be read and are published in "
            f"unread_sentences: rdv-opendata unread {args.output} lists them, with a "
            "readings.toml stub for each"
        )
    for ident in result.get("stale_readings", []):
        print(f"readings.toml: {ident!r} is stale (its sentence appears nowhere in the table)")
    _placeholder_note(args.base_url)
    return EXIT_OK


def _placeholder_note(given: str | None) -> None:
    """The last line of a publish whose links all point to the placeholder address."""
    from core.settings import PUBLIC_BASE_URL
    from rdv_opendata.settings import BASE_URL_ENV, base_url

    if base_url(given) == PUBLIC_BASE_URL:
        print(
            f"note: the public address is still the placeholder {PUBLIC_BASE_URL}: every link "
            f"published points there; give the address the output is served at with --base-url "
            f"(or {BASE_URL_ENV})"
        )


def _backfill(args: argparse.Namespace) -> int:
    with _progress_bar() as progress:
        if args.no_orchestrator:
            from rdv_opendata.backfill import backfill

            result = backfill(
                Path(args.snapshot_dir),
                Path(args.output),
                args.allow_mass_deletion,
                progress=progress,
                base_url=args.base_url,
                latest_copy=args.latest_copy,
                strict=args.strict,
                readings=args.readings,
            ).to_dict()
        else:
            from flows.backfill_flow import backfill_releases, dask_runner

            flow = backfill_releases
            if args.dask or args.dask_address:
                flow = flow.with_options(task_runner=dask_runner(args.dask_address))
            result = flow(
                args.snapshot_dir,
                args.output,
                args.allow_mass_deletion,
                base_url=args.base_url,
                latest_copy=args.latest_copy,
                strict=args.strict,
                readings=args.readings,
            )
    print(
        f"{result['snapshots']} snapshots: published {', '.join(result['published']) or 'nothing'}"
        f"; {result['unchanged']} unchanged; {len(result['failures'])} failed"
    )
    for failure in result["failures"]:
        print(f"rdv-opendata: error: {failure}", file=sys.stderr)
    return EXIT_ERROR if result["failures"] else EXIT_OK


class _progress_bar:
    """A progress bar on a terminal (stderr), nothing otherwise; called as progress(done, total)."""

    def __enter__(self):  # type: ignore[no-untyped-def]
        self.bar = None
        if sys.stderr.isatty():
            from rich.progress import Progress

            self.bar = Progress(transient=True)
            self.bar.start()
            self.task = self.bar.add_task("backfill", total=None)
        return self

    def __call__(self, done: int, total: int) -> None:
        if self.bar is not None:
            self.bar.update(self.task, completed=done, total=total)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


@contextlib.contextmanager
def _local(location: str) -> Iterator[str]:
    """A release folder or datapackage.json as given, or a URL downloaded into a temporary
    folder (``validate`` and ``diff`` accept http(s) URLs, as ``load_release`` does)."""
    from extract.read import is_url

    if not is_url(location):
        yield location
        return
    from publish.reading.remote import download_package

    with tempfile.TemporaryDirectory(prefix="rdv-opendata-") as folder:
        yield str(download_package(location, Path(folder)))


def _validate(args: argparse.Namespace) -> int:
    with _local(args.package) as package:
        return _validate_local(package, args.package)


def _validate_local(package: str, shown: str) -> int:
    from publish.reading.integrity import check_sums
    from publish.reading.verify import descriptor_path, verify_package

    problems = [problem.message for problem in verify_package(package)]
    folder = descriptor_path(package).parent
    if (folder / SUMS_FILE).exists():
        problems += check_sums(folder)
    for problem in problems:
        print(f"invalid: {problem}", file=sys.stderr)
    if problems:
        return EXIT_ERROR
    print(f"valid: {shown}")
    return EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    from publish.changes.diff import diff
    from publish.changes.summary import summary_lines
    from publish.reading.load import load_package
    from publish.release.bump import decide_bump

    with _local(args.old) as old_path, _local(args.new) as new_path:
        old, new = load_package(old_path), load_package(new_path)
    changes = diff(old, new)
    same_source = [s.get("sha256") for s in old.descriptor.get("sources", [])] == [
        s.get("sha256") for s in new.descriptor.get("sources", [])
    ]
    if args.json:
        document = {
            "from_version": old.version,
            "to_version": new.version,
            "bump": decide_bump(changes, first=False, source_changed=not same_source),
            **changes,
        }
        print(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        lines = summary_lines(changes, old, new)
        print("\n".join(lines) if lines else "Aucun changement.")
    return EXIT_OK


def _verify(args: argparse.Namespace) -> int:
    from core.errors import BrokenChain
    from publish.reading.chain import verify_chain
    from publish.reading.signature import load_public_key

    key = load_public_key(Path(args.public_key)) if args.public_key else None
    try:
        verdict = verify_chain(Path(args.output), key)
    except BrokenChain as exc:
        raise BrokenChain(f"broken chain: {exc}") from None
    print(verdict.line())
    return EXIT_OK


def _unread(args: argparse.Namespace) -> int:
    from rdv_opendata.unread import unread_report

    print(unread_report(Path(args.location)), end="")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from core.errors import RdvError

    commands = {
        "publish": _publish,
        "backfill": _backfill,
        "validate": _validate,
        "diff": _diff,
        "unread": _unread,
        "verify": _verify,
    }
    orchestrated = args.command in ("publish", "backfill") and not args.no_orchestrator
    if args.command in ("publish", "backfill"):
        _prefect_environment()  # before anything imports Prefect
    kind = "unexpected"  # what stopped the run, for the alert (website.alert_words.failure_kind)
    try:
        if hasattr(args, "base_url"):  # refused here, before a flow or a server starts
            from rdv_opendata.settings import base_url

            base_url(args.base_url)
        return commands[args.command](args)
    except RdvError as exc:
        reason = str(exc)
        print(f"rdv-opendata: error: {reason}", file=sys.stderr)
        from website.alert_words import failure_kind

        kind = failure_kind(exc)
    except OSError as exc:  # a safety net: the store names its own I/O failures
        kind = "publish"
        where = f" ({exc.filename})" if exc.filename else ""
        reason = f"{exc.strerror or exc}{where}"
        print(f"rdv-opendata: error: {reason}", file=sys.stderr)
    except KeyboardInterrupt:
        print("rdv-opendata: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the last line of defence: one line, never a traceback
        if os.environ.get(DEBUG_ENV):
            raise
        cause = _orchestrator_failure(exc) if orchestrated else None
        if cause is not None:
            return _orchestrator_unavailable(args, cause)
        detail = " ".join(str(exc).split())[:300]
        reason = f"unexpected {type(exc).__name__}: {detail}"
        print(
            f"rdv-opendata: error: {reason} (a bug: run again with {DEBUG_ENV}=1 for the details)",
            file=sys.stderr,
        )
    if args.command == "publish" and args.no_orchestrator:  # a flow run notifies in its hook
        _notify_failure(args, kind)
    return EXIT_ERROR


def _orchestrator_unavailable(args: argparse.Namespace, cause: str) -> int:
    """No flow ran, so no flow hook reports it: one line naming the way out, and the alert."""
    import logging

    # the temporary server's "Stopping temporary server" line would follow ours at exit
    logging.getLogger("prefect").disabled = True
    reason = f"the Prefect orchestrator could not start or be reached ({cause})"
    print(f"rdv-opendata: error: {reason}; {ORCHESTRATOR_WAY_OUT}", file=sys.stderr)
    if args.command == "publish":  # RDV_OPENDATA_NOTIFY: no API needed
        _notify_failure(args, "orchestrator")
    return EXIT_ERROR


def _notify_failure(args: argparse.Namespace, kind: str) -> None:
    """The failure alert: why in plain words, and what stays online (the technical reason is
    the error line already printed)."""
    from rdv_opendata.notify import failure_message, notify, store_context, warn

    notify(failure_message(kind, store_context(args.output, args.base_url)), warn, "failure")
