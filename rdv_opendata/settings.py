"""Settings of the application (CLI, pipeline, notifications): where the bundled snapshot lives,
the default output folder and the notification targets. The pure packages' constants are in
``core/settings.py``."""

from __future__ import annotations

import os
from pathlib import Path

#: the snapshot bundled with the project, read when no --source is given
DEFAULT_SOURCE = Path(__file__).parent / "data" / "isere-modalites-rdv-2020.txt"
DEFAULT_OUTPUT = Path("output")
#: the reviewed readings the maintainers keep in the repository (Contract 3), read when no
#: --readings is given; a missing file is no reading
DEFAULT_READINGS = Path(__file__).resolve().parent.parent / "readings.toml"

#: where the output folder is served (every URL in datapackage.json, the schemas and
#: catalog.jsonld is built on it): ``--base-url``, else this environment variable, else
#: ``core.settings.PUBLIC_BASE_URL`` (a placeholder on a reserved domain)
BASE_URL_ENV = "RDV_OPENDATA_BASE_URL"
#: ``latest/`` as a real folder instead of a symlink (static hosts): ``--latest-copy``, or this
#: environment variable set to 1
LATEST_COPY_ENV = "RDV_OPENDATA_LATEST_COPY"


#: how many days without a successful check of the page before every page, feed and calendar
#: warns: ``--stale-after``, else this environment variable, else
#: ``core.settings.STALE_AFTER_DAYS``
STALE_AFTER_ENV = "RDV_OPENDATA_STALE_AFTER_DAYS"


def stale_after_days(given: int | None = None) -> int:
    """The threshold in days; a value that is not a whole number of days, at least 1, is
    refused (a ``PublishError`` naming where it came from)."""
    from core.errors import PublishError
    from core.settings import STALE_AFTER_DAYS

    said = given if given is not None else os.environ.get(STALE_AFTER_ENV, "").strip()
    if said in ("", None):
        return STALE_AFTER_DAYS
    try:
        days = int(said)
    except ValueError:
        days = 0
    if days < 1:
        where = "--stale-after" if given is not None else STALE_AFTER_ENV
        raise PublishError(f"{where} must be a whole number of days, at least 1 (got {said!r})")
    return days


#: from how many rows in the latest release a run gives part of its work to a second process
#: (``core/parallel.py``): this environment variable (a whole number, or ``never``), else
#: ``core.settings.SECOND_PROCESS_FROM_ROWS``
SECOND_PROCESS_ENV = "RDV_OPENDATA_SECOND_PROCESS_FROM_ROWS"

#: what the standby of ``rdv-opendata publish --no-orchestrator`` imports while the run imports
#: its own (``core.standby``), in the order its work comes: the workbooks, the schemas and the
#: check of the written package (frictionless, made ready to read cells: ``module:function``
#: calls the function), the history and the catalogue. None of them imports pandas; the run
#: then never imports frictionless.
STANDBY_MODULES = (
    "publish.changes.workbook",
    "publish.changes.languages",
    "publish.formats.xlsx",
    "publish.formats.schema_files:readers_ready",
    "publish.reading.verify",
    "publish.reading.keys",
    "publish.derived.refresh",
    "publish.history.build",
    "publish.derived.dcat",
)


def second_process_from() -> int | None:
    """The threshold in rows (None: never); anything but a whole number of rows, at least 0,
    or ``never`` is refused (a ``PublishError`` naming the variable)."""
    from core.errors import PublishError
    from core.settings import SECOND_PROCESS_FROM_ROWS

    said = os.environ.get(SECOND_PROCESS_ENV, "").strip()
    if not said:
        return SECOND_PROCESS_FROM_ROWS
    if said.lower() == "never":
        return None
    if not said.isdigit():
        raise PublishError(
            f"{SECOND_PROCESS_ENV} must be a whole number of rows or 'never' (got {said!r})"
        )
    return int(said)


def base_url(given: str | None = None) -> str:
    """The public address (no trailing slash); one that is not an absolute http(s) URL with a
    host and nothing else (``core.urls.base_url_problem``) is refused (a ``PublishError`` naming
    where it came from, the address shown without credentials)."""
    from core.errors import PublishError
    from core.settings import PUBLIC_BASE_URL
    from core.urls import base_url_problem

    url = given or os.environ.get(BASE_URL_ENV) or PUBLIC_BASE_URL
    if problem := base_url_problem(url):
        # only here: extract imports its HTML parsers, which the CLI imports later with the
        # garbage collector paused (cli._quick_imports), a tenth cheaper than here
        from extract.redact import redact_url

        where = "--base-url" if given else BASE_URL_ENV
        raise PublishError(f"the public address {redact_url(url)!r} ({where}) {problem}")
    return url.rstrip("/")


def latest_copy(given: bool | None = None) -> bool:
    if given is not None:
        return given
    return os.environ.get(LATEST_COPY_ENV, "").strip().lower() in ("1", "true", "yes", "oui")


# notifications (rdv_opendata/notify.py): Apprise URLs, separated by white space, from this
# environment variable; when it is unset, in a flow run, from the Prefect Secret block so named
NOTIFY_ENV = "RDV_OPENDATA_NOTIFY"
NOTIFY_BLOCK = "rdv-opendata-notify"
NOTIFY_TIMEOUT = 30.0  # seconds for a message to reach one target (Apprise's deadline)
#: the language of the notifications (a folder of ``core/locales``, e.g. ``en``); French when
#: unset, and a language without a catalogue is said in French
NOTIFY_LANGUAGE_ENV = "RDV_OPENDATA_NOTIFY_LANGUAGE"
