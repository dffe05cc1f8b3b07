"""Notifications in the readers' language: ``RDV_OPENDATA_NOTIFY_LANGUAGE`` (French when unset)
says which catalogue (``core/locales``) the messages are made in; the links then go to that
language's site. A real failed run, its message posted to a webhook on loopback."""

from __future__ import annotations

from pathlib import Path

import pytest

from core import i18n
from core.settings import PACKAGE_TITLE
from rdv_opendata import notify
from rdv_opendata.settings import NOTIFY_ENV, NOTIFY_LANGUAGE_ENV
from tests.test_notify import publish, seen, sources, webhook  # noqa: F401 (fixtures)
from website.alert_words import STOP_SENTENCES


def context() -> notify.AlertContext:
    return notify.context_of(
        {"version": "1.2.0", "source_observed": "2024-03-01"},
        "https://rdv.example.org/",
        {"outcome": "failed", "source_observed": "2024-03-08"},
    )


def test_a_failure_in_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(NOTIFY_LANGUAGE_ENV, "en")
    assert notify.failure_message("unread", context()) == (
        "Publication failed",
        "\n".join(
            [
                f"Dataset: {PACKAGE_TITLE}",
                "A sentence of the prefecture's page could not be understood, and strict mode "
                "forbids publishing an unread sentence.",
                "The page that could not be published was read on 8 Mar 2024.",
                "The last published version (1.2.0, read on 1 Mar 2024) stays online.",
                "The website: https://rdv.example.org/site/en/index.html",
                "The version: https://rdv.example.org/releases/1.2.0/",
                "The latest version (description): https://rdv.example.org/latest.json",
            ]
        ),
    )
    assert i18n.current() == i18n.DEFAULT  # the language is the message's, not the process's


def test_french_when_unset_and_for_a_language_without_a_catalogue(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(NOTIFY_LANGUAGE_ENV, raising=False)
    french = notify.failure_message("unread", context())
    assert french[0] == "Échec de la publication"
    assert STOP_SENTENCES["unread"] in french[1]
    monkeypatch.setenv(NOTIFY_LANGUAGE_ENV, "xx")
    assert notify.failure_message("unread", context())[0] == french[0]


def test_a_release_in_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(NOTIFY_LANGUAGE_ENV, "en")
    title, body = notify.release_message({"status": "published", "version": "1.1.0"})
    assert title == "New version 1.1.0 of the appointments dataset (Isère)"
    assert body.splitlines()[:2] == ["Version 1.1.0 published.", f"Dataset: {PACKAGE_TITLE}"]


def test_a_failed_run_posts_its_english_message(
    webhook,  # noqa: F811
    sources,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    output = tmp_path / "out"
    assert publish(sources["seed"], output) == 0
    monkeypatch.setenv(NOTIFY_ENV, webhook.url)
    monkeypatch.setenv(NOTIFY_LANGUAGE_ENV, "en")
    assert publish(sources["unreadable"], output, "--strict") == 1
    ((_, message),) = webhook.received
    assert message["title"] == "Publication failed"
    body = message["message"]
    assert "strict mode forbids publishing an unread sentence" in body
    assert "/site/en/index.html" in body and "stays online" in body
    assert seen(output) not in body  # a French date: the English one is said instead


def test_a_release_s_changes_are_said_in_english(
    webhook,  # noqa: F811
    sources,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The run's own lines are French (CHANGES.md); an English message says them again from the
    release's facts, as CHANGES.en.md does."""
    output = tmp_path / "out"
    monkeypatch.setenv(NOTIFY_ENV, webhook.url)
    monkeypatch.setenv(NOTIFY_LANGUAGE_ENV, "en")
    assert publish(sources["seed"], output) == 0
    assert publish(sources["edited"], output) == 0
    first, second = (message for _, message in webhook.received)
    assert first["message"].startswith("First publication: ")
    assert second["title"] == "New version 1.1.0 of the appointments dataset (Isère)"
    body = second["message"]
    assert body.splitlines()[0] == "Renouvellements de titre de séjour: visibility 6 → 8 weeks"
    assert "semaines" not in body and "/site/en/index.html" in body
