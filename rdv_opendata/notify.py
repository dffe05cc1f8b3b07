"""Notifications through Apprise: one message on a new release, one on a failed or refused run.

Targets are Apprise URLs (``mailto://…``, ``json://…``, …). A notification never fails a run:
each target's outcome is a :class:`Delivery`, which the caller logs and reports. Apprise is
imported only when there is something to send; Prefect only to read the Secret block, and only
when Prefect is already imported (the flow), never on the plain path.
"""

from __future__ import annotations

import functools
import logging
import os
import shlex
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ParamSpec, TypeVar
from urllib.parse import urlsplit

from core import i18n
from core.errors import RdvError
from core.markdown import text_line
from core.settings import PACKAGE_TITLE, PUBLIC_BASE_URL
from publish.changes import languages, unread
from publish.changes.french import one_line, short_date
from rdv_opendata.settings import NOTIFY_ENV, NOTIFY_LANGUAGE_ENV, NOTIFY_TIMEOUT
from website import alert_words as words
from website.alert_words import FAILURE_TITLE, UNEXPECTED

P = ParamSpec("P")
R = TypeVar("R")

__all__ = ["FAILURE_TITLE", "AlertContext", "failure_message", "release_message"]


@dataclass(frozen=True)
class Delivery:
    target: str  # the URL as it may be shown: no credentials
    delivered: bool
    reason: str = ""  # why not, in one line


@dataclass(frozen=True)
class AlertContext:
    """What every alert says beside its news: the dataset, where the output folder is served,
    the latest good release and the day its facts were seen, and (after a failure) the day the
    page that could not be published was seen."""

    base_url: str = PUBLIC_BASE_URL.rstrip("/")
    version: str | None = None
    observed: str | None = None
    tried: str | None = None
    dataset: str = PACKAGE_TITLE


def context_of(
    latest: Mapping[str, Any] | None, base_url: str, last_attempt: Mapping[str, Any] | None = None
) -> AlertContext:
    """The context of a store whose latest catalog entry is ``latest`` (None: nothing published)
    and whose last run is ``last_attempt`` (its ``source_observed`` when it did not publish)."""
    tried = None
    if last_attempt and last_attempt.get("outcome") in ("failed", "refused"):
        tried = last_attempt.get("source_observed")
    return AlertContext(
        base_url=base_url.rstrip("/"),
        version=latest.get("version") if latest else None,
        observed=latest.get("source_observed") if latest else None,
        tried=tried,
    )


def store_context(output: str | Path, base_url: str | None = None) -> AlertContext:
    """The context of the output folder ``output``; never raises (an unreadable folder: only the
    dataset and the links are said)."""
    from core.errors import RdvError
    from core.settings import PUBLIC_BASE_URL
    from rdv_opendata import settings

    try:
        url = settings.base_url(base_url)
    except RdvError:  # the refused address is the error already said: links to the placeholder
        url = PUBLIC_BASE_URL
    try:
        from publish.release.store import ReleaseStore

        store = ReleaseStore(Path(output), base_url=url)
        attempts = store.attempts()
        return context_of(store.latest_entry(), url, attempts[-1] if attempts else None)
    except Exception:  # an alert is sent even when the folder cannot be read
        return AlertContext(base_url=url.rstrip("/"))


def link_lines(context: AlertContext) -> list[str]:
    """The site's home page, the latest release's folder (when there is one) and latest.json."""
    return words.link_lines(context.base_url, context.version)


def _day(value: Any) -> str:
    return short_date(value) or words.UNKNOWN_DATE


def in_reader_language(make: Callable[P, R]) -> Callable[P, R]:
    """A message made in the readers' language: ``RDV_OPENDATA_NOTIFY_LANGUAGE`` (French when
    unset)."""

    @functools.wraps(make)
    def made(*args: P.args, **kwargs: P.kwargs) -> R:
        with i18n.language(os.environ.get(NOTIFY_LANGUAGE_ENV) or i18n.DEFAULT):
            return make(*args, **kwargs)

    return made


@in_reader_language
def release_message(result: Any, context: AlertContext | None = None) -> tuple[str, str]:
    """The title and body announcing a published release (a RunResult or its dict): the dataset,
    what changed, the day the facts were seen and the links (``context``, the store after the
    release). When the release has unread sentences, the title counts them and the body says
    them first, where each is, and how to teach them (``unread_body``). Every line of the body
    is one line of the message: no text from the source can pass for a line of its own."""
    data: Mapping[str, Any] = result.to_dict() if hasattr(result, "to_dict") else result
    version = data["version"]
    context = context or AlertContext(version=version)
    title = words.release_title(version)
    lines = said_again(data) or list(data.get("lines") or [words.published_line(version)])
    count = int(data.get("unread") or 0)
    if count and data.get("path"):  # the release's lines say them first: count, then each
        title += f" : {unread.count_words(count)}"
        lines = unread_body(lines[: count + 1], lines, _output_folder(str(data["path"])))
    lines.append(words.dataset_line(context.dataset))  # after the news: unread sentences first
    if context.observed:
        lines.append(words.observed_line(_day(context.observed)))
    lines += link_lines(context)
    return title, "\n".join(one_line(line) for line in lines)


def said_again(data: Mapping[str, Any]) -> list[str]:
    """In another language than French, the release's lines said again from its facts (the
    run's lines are French); none in French, or when its folder cannot be read."""
    if i18n.current() == i18n.DEFAULT or not data.get("path"):
        return []
    try:  # each on one line, its breaks marked ⏎ as the run's French lines are
        return [text_line(line) for line in languages.release_lines_of(Path(str(data["path"])))]
    except (OSError, ValueError, RdvError):  # the message is sent all the same, in French lines
        return []


def unread_body(said: list[str], lines: list[str], output: str) -> list[str]:
    """The lines of a release with unread sentences: ``said`` (their count, then each with its
    row, column and type: ``publish.changes.summary.unread_lines``), how to teach them to the output
    folder ``output``, then the release's other lines (``lines`` without ``said``)."""
    rest = lines[len(said) :] if lines[: len(said)] == said else lines
    return [*said, unread.teach_line(output), *rest]


def _output_folder(release: str) -> str:
    """The output folder of the release folder ``release`` (``DIR/releases/<version>``), as it
    is typed in a shell; a name that cannot be shown on one line is not shown."""
    folder = str(Path(release).parent.parent)
    if not all(c.isprintable() for c in folder):
        return "DOSSIER_DE_SORTIE"
    return shlex.quote(folder)


@in_reader_language
def failure_message(kind: str = UNEXPECTED, context: AlertContext | None = None) -> tuple[str, str]:
    """The title and body of a failed or refused run: the dataset, why it stopped in plain
    words (``kind``: ``website.alert_words.failure_kind``), the day the page it read was seen, that
    the last good release stays online (or that nothing was published yet) and the links.
    The one-line technical error is not said: it is in the logs, attempts.json and the run's
    artifact, and an alert is read by people who cannot act on it."""
    context = context or AlertContext()
    lines = [words.dataset_line(context.dataset), words.stop_sentence(kind)]
    if context.tried:
        lines.append(words.tried_line(_day(context.tried)))
    if context.version:
        lines.append(words.still_online(context.version, _day(context.observed)))
    else:
        lines.append(words.NOTHING_PUBLISHED)
    lines += link_lines(context)
    return words.failure_title(), "\n".join(one_line(line) for line in lines)


def targets(env: Mapping[str, str] | None = None, block: str | None = None) -> list[str]:
    """The Apprise URLs in ``RDV_OPENDATA_NOTIFY`` (white-space separated); when it is unset,
    those in the Prefect Secret block ``block``, if Prefect is loaded and the block exists."""
    env = os.environ if env is None else env
    if NOTIFY_ENV in env:
        return env[NOTIFY_ENV].split()
    if block is None or "prefect" not in sys.modules:
        return []
    from prefect.blocks.system import Secret

    try:
        secret: Any = Secret.load(block, _sync=True)  # type: ignore[call-arg]
        value = secret.get()
    except ValueError:  # no such block
        return []
    urls = value if isinstance(value, list) else [value]
    return [url for item in urls for url in str(item).split()]


def send(title: str, body: str, urls: list[str], notify_type: str = "info") -> list[Delivery]:
    """Send the message to each target in turn; never raises."""
    if not urls:
        return []
    import apprise

    asset = apprise.AppriseAsset(app_id="rdv-opendata", app_desc="rdv-opendata")
    deliveries = []
    apprise_logger = logging.getLogger("apprise")  # its warnings become our one line
    propagate, apprise_logger.propagate = apprise_logger.propagate, False
    try:
        for url in urls:
            deliveries.append(_send_one(apprise, asset, title, body, url, notify_type))
    finally:
        apprise_logger.propagate = propagate
    return deliveries


def _send_one(
    apprise: Any, asset: Any, title: str, body: str, url: str, notify_type: str
) -> Delivery:
    shown = f"{urlsplit(url).scheme or '?'}://…"  # until Apprise has parsed it: no secret shown
    try:
        notifier = apprise.Apprise(asset=asset)
        with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s") as logs:
            accepted = notifier.add(url)
        if not accepted:
            said = logs.getvalue().replace(url, shown)
            return _delivery(shown, False, f"not a URL Apprise accepts: {said}")
        shown = notifier[0].url(privacy=True).split("?")[0]  # credentials masked, no options
        result = notifier.notify(
            body,
            title,
            notify_type=notify_type,
            body_format=apprise.NotifyFormat.TEXT,
            timeout=NOTIFY_TIMEOUT,
        )
        said = " ".join(entry.message for entry in result.logs())
        return _delivery(shown, bool(result), "" if result else said or result.status.name.lower())
    except Exception as exc:  # a notifier's bug must not fail the run either
        return _delivery(shown, False, f"{type(exc).__name__}: {exc}")


def _delivery(target: str, delivered: bool, reason: str) -> Delivery:
    return Delivery(target, delivered, " ".join(reason.split())[:300])


def warn(line: str) -> None:
    """How the CLI logs a failed notification: one line on stderr."""
    print(f"rdv-opendata: warning: {line}", file=sys.stderr)


def notify(
    message: tuple[str, str],
    log: Callable[[str], None],
    notify_type: str = "info",
    block: str | None = None,
) -> list[Delivery]:
    """Send ``message`` to the configured targets; each failed delivery is one ``log`` line."""
    try:
        deliveries = send(*message, targets(block=block), notify_type)
    except Exception as exc:  # the targets could not be read (Prefect API unreachable…)
        log(f"notification not sent: {type(exc).__name__}: {' '.join(str(exc).split())[:300]}")
        return []
    for delivery in deliveries:
        if not delivery.delivered:
            log(f"notification not delivered to {delivery.target}: {delivery.reason}")
    return deliveries
