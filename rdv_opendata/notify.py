"""Notifications through Apprise: one message on a new release, one on a failed or refused run.

Targets are Apprise URLs (``mailto://…``, ``json://…``, …). A notification never fails a run:
each target's outcome is a :class:`Delivery`, which the caller logs and reports. Apprise is
imported only when there is something to send; Prefect only to read the Secret block, and only
when Prefect is already imported (the flow), never on the plain path.
"""

from __future__ import annotations

import logging
import os
import shlex
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from publish.changes import unread
from publish.changes.french import one_line
from rdv_opendata.settings import NOTIFY_ENV, NOTIFY_TIMEOUT

FAILURE_TITLE = "Échec de la publication"


@dataclass(frozen=True)
class Delivery:
    target: str  # the URL as it may be shown: no credentials
    delivered: bool
    reason: str = ""  # why not, in one line


def release_message(result: Any) -> tuple[str, str]:
    """The title and body announcing a published release (a RunResult or its dict). When the
    release has unread sentences, the title counts them and the body says them first, where
    each is, and how to teach them (``unread_body``). Every line of the body is one line of the
    message: no text from the source can pass for a line of its own."""
    data: Mapping[str, Any] = result.to_dict() if hasattr(result, "to_dict") else result
    version = data["version"]
    title = f"Nouvelle version {version} du jeu de données des rendez-vous (Isère)"
    lines = list(data.get("lines") or [f"Version {version} publiée."])
    count = int(data.get("unread") or 0)
    if count and data.get("path"):  # the release's lines say them first: count, then each
        title += f" : {unread.count_words(count)}"
        lines = unread_body(lines[: count + 1], lines, _output_folder(str(data["path"])))
    return title, "\n".join(one_line(line) for line in lines)


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


def failure_message(reason: str) -> tuple[str, str]:
    return FAILURE_TITLE, " ".join(reason.split())


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
