"""Notifications through Apprise, end to end against real servers on 127.0.0.1: an SMTP server
(aiosmtpd) for e-mail, an HTTP server for a JSON webhook. Nothing here touches the internet."""

from __future__ import annotations

import email
import json
from collections.abc import Iterator
from contextlib import contextmanager
from email import policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from core.errors import FutureRelease, LockHeld, MassDeletionRefused, RollbackRefused
from core.settings import PACKAGE_TITLE
from rdv_opendata import notify
from rdv_opendata.cli import main
from rdv_opendata.settings import NOTIFY_ENV
from tests.http_server import free_port, running
from website.alert_words import STOP_SENTENCES, failure_kind, stop_sentence

FAST = "cto=2&rto=2"  # Apprise's connect and read timeouts, in seconds


def seen(output: Path | str, last_attempt: bool = False) -> str:
    """« 05/12/2026 »: the day the latest release's facts were seen (``last_attempt``: the
    day the page of the last run was)."""
    from publish.changes.french import short_date
    from publish.release.store import ReleaseStore

    store = ReleaseStore(Path(output))
    entry = store.attempts()[-1] if last_attempt else store.latest_entry()
    assert entry is not None
    day = short_date(entry["source_observed"])
    assert day is not None
    return day


def base() -> str:
    from rdv_opendata.settings import base_url

    return base_url().rstrip("/")


def assert_actionable(body: str, release: str | None, day: str | None) -> None:
    """Every alert names the dataset, gives the day the facts were seen, and links the site
    and the release (``release``: the latest good one; None: none yet, latest.json only);
    never a line of English technical reason."""
    from core.settings import PACKAGE_TITLE

    assert f"Jeu de données : {PACKAGE_TITLE}" in body
    if day:
        assert day in body
    assert f"{base()}/site/index.html" in body
    assert f"{base()}/latest.json" in body
    if release:
        assert f"{base()}/releases/{release}/" in body
    for english in ("row 3", "cannot read", "refusing", "unexpected", "Error"):
        assert english not in body


# --- the servers ---------------------------------------------------------------------------


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture()
def smtp() -> Iterator[tuple[Mailbox, int]]:
    from aiosmtpd.controller import Controller

    mailbox, port = Mailbox(), free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()


class Webhook:
    """A JSON webhook: every POST body is kept, parsed, by path."""

    def __init__(self) -> None:
        self.received: list[tuple[str, dict]] = []
        hook = self

        class Request(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                hook.received.append((self.path, json.loads(self.rfile.read(length))))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Request)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"json://127.0.0.1:{self.port}/hook?{FAST}"

    @property
    def messages(self) -> list[dict]:
        return [body for _, body in self.received]


@contextmanager
def serve_webhook() -> Iterator[Webhook]:
    hook = Webhook()
    with running(hook.httpd):
        yield hook


@pytest.fixture()
def webhook() -> Iterator[Webhook]:
    with serve_webhook() as hook:
        yield hook


@pytest.fixture(autouse=True)
def no_targets_from_the_shell(monkeypatch):
    """Targets are only the ones each test sets: never a real one from the environment."""
    monkeypatch.delenv(NOTIFY_ENV, raising=False)


def mailto(port: int) -> str:
    return f"mailto://127.0.0.1:{port}?from=rdv@example.org&to=asso@example.org&{FAST}"


@pytest.fixture()
def sources(tmp_path, seed_text) -> dict[str, Path]:
    """The bundled snapshot, the same with a visibility 6 -> 8 weeks, and an unreadable one."""
    files = {
        "seed": seed_text,
        "edited": seed_text.replace("Visibilité à 6 semaines", "Visibilité à 8 semaines"),
        "unreadable": seed_text.replace(
            "Visibilité à 6 semaines", "Visibilité à quelques semaines"
        ),
    }
    folder = tmp_path / "sources"
    folder.mkdir()
    for name, text in files.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return {name: folder / f"{name}.txt" for name in files}


def publish(source: Path, output: Path, *extra: str) -> int:
    return main(
        ["publish", "--no-orchestrator", "--source", str(source), "--output", str(output), *extra]
    )


# --- messages and targets (pure) -----------------------------------------------------------


def test_release_message_is_the_french_summary():
    result = {
        "status": "published",
        "version": "1.1.0",
        "lines": ["Renouvellements de titre de séjour : visibilité 6 → 8 semaines", "Autre"],
    }
    context = notify.AlertContext(
        base_url="https://rdv.example.org", version="1.1.0", observed="2024-03-01T08:00:00Z"
    )
    title, body = notify.release_message(result, context)
    assert title == "Nouvelle version 1.1.0 du jeu de données des rendez-vous (Isère)"
    assert body.splitlines() == [
        "Renouvellements de titre de séjour : visibilité 6 → 8 semaines",
        "Autre",
        f"Jeu de données : {PACKAGE_TITLE}",
        "Informations relevées sur la page de la préfecture le 01/03/2024.",
        "Le site : https://rdv.example.org/site/index.html",
        "La version : https://rdv.example.org/releases/1.1.0/",
        "La dernière version (description) : https://rdv.example.org/latest.json",
    ]


def test_a_failure_says_why_in_plain_words_and_what_stays_online():
    from core.errors import NormaliseError

    context = notify.context_of(
        {"version": "1.2.0", "source_observed": "2024-03-01"},
        "https://rdv.example.org/",
        {"outcome": "failed", "source_observed": "2024-03-08"},
    )
    kind = failure_kind(NormaliseError("row 3, column 'Remarques': cannot read it"))
    assert notify.failure_message(kind, context) == (
        "Échec de la publication",
        "\n".join(
            [
                f"Jeu de données : {PACKAGE_TITLE}",
                STOP_SENTENCES["unread"],
                "La page qui n'a pas pu être publiée a été relevée le 08/03/2024.",
                "La dernière version publiée (1.2.0, relevée le 01/03/2024) reste en ligne.",
                "Le site : https://rdv.example.org/site/index.html",
                "La version : https://rdv.example.org/releases/1.2.0/",
                "La dernière version (description) : https://rdv.example.org/latest.json",
            ]
        ),
    )


def test_every_domain_error_has_its_plain_sentence():
    from core.errors import DecodeError, LayoutError, PublishError, SourceError, ValidationFailed

    assert failure_kind(DecodeError("x")) == "source"
    assert failure_kind(SourceError("x")) == "source"
    assert failure_kind(LayoutError("x")) == "layout"
    assert failure_kind(ValidationFailed("x")) == "validation"
    # a guard's kind is its class, never a word of its message
    assert failure_kind(RollbackRefused("refusing a rollback: …")) == "rollback"
    assert failure_kind(MassDeletionRefused("refusing to publish: 90 % fewer rows")) == (
        "mass-deletion"
    )
    assert failure_kind(FutureRelease("… pass --allow-rollback …")) == "future-release"
    assert failure_kind(LockHeld("another publish is running")) == "lock"
    assert failure_kind(PublishError("cannot write the rollback lock file (mass)")) == "publish"
    assert failure_kind(PublishError("cannot write to x")) == "publish"
    assert failure_kind(ZeroDivisionError()) == failure_kind(None) == "unexpected"
    assert set(STOP_SENTENCES) >= {"source", "unread", "orchestrator", "unexpected"}
    assert stop_sentence("no such kind") == STOP_SENTENCES["unexpected"]


def test_a_first_ever_failure_says_nothing_was_published():
    context = notify.context_of(None, "https://rdv.example.org", None)
    _, body = notify.failure_message("source", context)
    assert "Aucune version n'a encore été publiée" in body
    assert "https://rdv.example.org/latest.json" in body
    assert "reste en ligne" not in body


def test_targets_are_split_on_white_space():
    env = {NOTIFY_ENV: " json://a/x\n mailto://b?to=c@example.org\tjson://d "}
    assert notify.targets(env) == ["json://a/x", "mailto://b?to=c@example.org", "json://d"]
    assert notify.targets({}) == []
    assert notify.targets({NOTIFY_ENV: "  "}) == []


def test_a_url_apprise_does_not_accept_is_a_failed_delivery_without_its_secrets():
    (bad,) = notify.send("t", "b", ["nosuchservice://user:hunter2@example.org/x"])
    assert not bad.delivered
    assert bad.reason
    assert "hunter2" not in bad.target + bad.reason


# --- the CLI without orchestrator ----------------------------------------------------------


def test_an_e_mail_announces_each_new_release(smtp, sources, tmp_path, monkeypatch, capsys):
    mailbox, port = smtp
    monkeypatch.setenv(NOTIFY_ENV, mailto(port))
    output = tmp_path / "out"
    assert publish(sources["seed"], output) == 0
    assert publish(sources["edited"], output) == 0
    assert capsys.readouterr().err == ""
    assert [m["Subject"] for m in mailbox.messages] == [
        "Nouvelle version 1.0.0 du jeu de données des rendez-vous (Isère)",
        "Nouvelle version 1.1.0 du jeu de données des rendez-vous (Isère)",
    ]
    assert mailbox.envelopes[-1] == ("rdv@example.org", ["asso@example.org"])
    body = mailbox.messages[-1].get_body(("plain", "html")).get_content()
    assert "Renouvellements de titre de séjour : visibilité 6 → 8 semaines" in body
    assert body.count("→") == 1
    assert_actionable(body, "1.1.0", seen(output))
    assert f"Informations relevées sur la page de la préfecture le {seen(output)}." in body


def test_an_unchanged_run_sends_nothing(webhook, sources, tmp_path, monkeypatch):
    output = tmp_path / "out"
    assert publish(sources["seed"], output) == 0
    monkeypatch.setenv(NOTIFY_ENV, webhook.url)
    assert publish(sources["seed"], output) == 0  # same bytes
    assert webhook.received == []


def test_a_failed_run_posts_its_reason_to_the_webhook(
    webhook, sources, tmp_path, monkeypatch, capsys
):
    output = tmp_path / "out"
    assert publish(sources["seed"], output) == 0
    monkeypatch.setenv(NOTIFY_ENV, webhook.url)
    assert publish(sources["unreadable"], output, "--strict") == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("rdv-opendata: error: row 3, column 'Remarques'")
    ((path, message),) = webhook.received
    assert path.startswith("/hook")
    assert message["title"] == "Échec de la publication"
    assert message["type"] == "failure"
    body = message["message"]
    assert STOP_SENTENCES["unread"] in body
    day = seen(output)
    assert f"La dernière version publiée (1.0.0, relevée le {day}) reste en ligne." in body
    assert_actionable(body, "1.0.0", day)


def test_a_first_ever_failure_is_notified_with_its_links(
    webhook, sources, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv(NOTIFY_ENV, webhook.url)
    assert publish(sources["unreadable"], tmp_path / "out", "--strict") == 1
    assert capsys.readouterr().err.startswith("rdv-opendata: error: row 3")
    (message,) = webhook.messages
    body = message["message"]
    assert STOP_SENTENCES["unread"] in body
    day = seen(tmp_path / "out", last_attempt=True)
    assert f"La page qui n'a pas pu être publiée a été relevée le {day}." in body
    assert "Aucune version n'a encore été publiée" in body
    assert_actionable(body, None, day)


def test_a_refused_run_posts_its_reason_too(webhook, sources, tmp_path, monkeypatch, capsys):
    output = tmp_path / "out"
    assert publish(sources["seed"], output) == 0
    monkeypatch.setenv(NOTIFY_ENV, webhook.url)
    assert publish(sources["edited"], output, "--observed", "2001-01-01") == 1  # a rollback
    (message,) = webhook.messages
    assert message["title"] == "Échec de la publication"
    body = message["message"]
    assert STOP_SENTENCES["rollback"] in body
    assert "relevée le 01/01/2001" in body  # the page refused
    day = seen(output)
    assert f"La dernière version publiée (1.0.0, relevée le {day}) reste en ligne." in body
    assert_actionable(body, "1.0.0", day)


def test_an_unreachable_target_changes_nothing_but_one_line(sources, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(NOTIFY_ENV, f"json://user:hunter2@127.0.0.1:1/x?{FAST}")
    assert publish(sources["seed"], tmp_path / "out") == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("published 1.0.0 (initial)")
    (line,) = captured.err.splitlines()
    assert line.startswith("rdv-opendata: warning: notification not delivered to json://")
    assert "127.0.0.1:1/x" in line and "hunter2" not in line
    assert (tmp_path / "out" / "latest" / "datapackage.json").exists()
    # and a failed run still exits 1 with its error, the failed notification on one more line
    assert publish(sources["unreadable"], tmp_path / "out", "--strict") == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and err[0].startswith("rdv-opendata: error: row 3")
    assert err[1].startswith("rdv-opendata: warning: notification not delivered")


def test_other_commands_never_notify(webhook, tmp_path, monkeypatch):
    monkeypatch.setenv(NOTIFY_ENV, webhook.url)
    assert main(["validate", str(tmp_path / "nothing-here")]) == 1
    assert main(["diff", str(tmp_path / "a"), str(tmp_path / "b")]) == 1
    assert webhook.received == []


@pytest.mark.slow
def test_the_plain_path_does_not_import_prefect(sources, tmp_path, webhook):
    import os
    import subprocess
    import sys

    code = (
        "import sys; from rdv_opendata.cli import main; "
        f"code = main(['publish', '--no-orchestrator', '--source', {str(sources['seed'])!r}, "
        f"'--output', {str(tmp_path / 'out')!r}]); "
        "assert 'prefect' not in sys.modules, 'prefect imported'; sys.exit(code)"
    )
    env = {k: v for k, v in os.environ.items() if k != NOTIFY_ENV}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    env[NOTIFY_ENV] = webhook.url
    code = code.replace("'--output'", f"'--source', {str(sources['edited'])!r}, '--output'")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    assert [m["title"] for m in webhook.messages] == [
        "Nouvelle version 1.1.0 du jeu de données des rendez-vous (Isère)"
    ]


# --- the Prefect flow ----------------------------------------------------------------------


def latest_artifact(key: str):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key]))
        )
    return max(found, key=lambda a: str(a.created))


def run_logs(flow_run_id) -> list[str]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
    from prefect.logging.handlers import APILogWorker

    APILogWorker.drain_all(timeout=5)
    with get_client(sync_client=True) as client:
        logs = client.read_logs(
            log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id]))
        )
    return [log.message for log in logs]


@pytest.mark.slow
@pytest.mark.usefixtures("prefect_harness")
def test_the_flow_notifies_a_release_and_a_failure(webhook, sources, tmp_path, monkeypatch):
    from core.errors import NormaliseError
    from flows.artifacts import NOTIFICATIONS_KEY
    from flows.publish_flow import publish_release

    output = str(tmp_path / "out")
    unreachable = f"json://127.0.0.1:1/x?{FAST}"
    monkeypatch.setenv(NOTIFY_ENV, f"{webhook.url} {unreachable}")
    result = publish_release(source=str(sources["seed"]), output=output)
    assert result["status"] == "published"
    (message,) = webhook.messages
    assert message["title"] == "Nouvelle version 1.0.0 du jeu de données des rendez-vous (Isère)"
    assert message["message"].startswith("Première publication")
    assert_actionable(message["message"], "1.0.0", seen(output))
    report = latest_artifact(NOTIFICATIONS_KEY).data
    assert f"127.0.0.1:{webhook.port}/hook" in report and "127.0.0.1:1/x" in report
    assert "| oui |" in report and "| non |" in report

    publish_release(source=str(sources["seed"]), output=output)  # unchanged: no message
    assert len(webhook.messages) == 1

    state = publish_release(
        source=str(sources["unreadable"]), output=output, strict=True, return_state=True
    )
    assert state.is_failed()
    with pytest.raises(NormaliseError):
        state.result()
    failure = webhook.messages[-1]
    assert len(webhook.messages) == 2
    assert failure["title"] == "Échec de la publication" and failure["type"] == "failure"
    assert STOP_SENTENCES["unread"] in failure["message"]
    assert f"(1.0.0, relevée le {seen(output)}) reste en ligne" in failure["message"]
    assert_actionable(failure["message"], "1.0.0", seen(output))
    report = latest_artifact(NOTIFICATIONS_KEY).data
    assert "Échec de la publication" in report and "| oui |" in report
    logs = run_logs(state.state_details.flow_run_id)
    assert any("notification not delivered to json://127.0.0.1:1/x" in line for line in logs)
    assert any("Hook 'notify_failure' finished running successfully" in line for line in logs)
    # the project's own error: its one-line reason in the run logs, never a traceback
    assert any("cannot read the sentence" in line for line in logs)
    assert not [line for line in logs if "Traceback" in line]


@pytest.mark.slow
@pytest.mark.usefixtures("prefect_harness")
def test_the_cli_does_not_notify_a_flow_run_twice(webhook, sources, tmp_path, monkeypatch):
    monkeypatch.setenv(NOTIFY_ENV, webhook.url)
    output = str(tmp_path / "out")
    assert main(["publish", "--source", str(sources["seed"]), "--output", output]) == 0
    assert (
        main(["publish", "--strict", "--source", str(sources["unreadable"]), "--output", output])
        == 1
    )
    assert [m["title"] for m in webhook.messages] == [
        "Nouvelle version 1.0.0 du jeu de données des rendez-vous (Isère)",
        "Échec de la publication",
    ]


@pytest.mark.slow
@pytest.mark.usefixtures("prefect_harness")
def test_an_unexpected_error_in_the_flow_is_notified(webhook, tmp_path, monkeypatch):
    from flows.publish_flow import publish_release
    from rdv_opendata import pipeline

    def broken(*args, **kwargs):
        raise ZeroDivisionError("nobody saw this coming")

    monkeypatch.setattr(pipeline, "run", broken)
    monkeypatch.setenv(NOTIFY_ENV, webhook.url)
    state = publish_release(source=None, output=str(tmp_path / "out"), return_state=True)
    assert state.is_failed()
    (message,) = webhook.messages
    assert STOP_SENTENCES["unexpected"] in message["message"]
    assert "Aucune version n'a encore été publiée" in message["message"]
    assert_actionable(message["message"], None, None)  # nothing read: no date to give


@pytest.mark.slow
@pytest.mark.usefixtures("prefect_harness")
def test_the_targets_can_live_in_a_prefect_secret_block(webhook, sources, tmp_path, monkeypatch):
    from prefect.blocks.system import Secret

    from flows.publish_flow import publish_release
    from rdv_opendata.settings import NOTIFY_BLOCK

    monkeypatch.delenv(NOTIFY_ENV, raising=False)
    Secret(value=webhook.url).save(NOTIFY_BLOCK, overwrite=True)
    try:
        publish_release(source=str(sources["seed"]), output=str(tmp_path / "out"))
    finally:
        Secret.delete(NOTIFY_BLOCK)
    assert [m["title"] for m in webhook.messages] == [
        "Nouvelle version 1.0.0 du jeu de données des rendez-vous (Isère)"
    ]
    publish_release(source=str(sources["edited"]), output=str(tmp_path / "out"))
    assert len(webhook.messages) == 1  # no block, no variable: no targets
