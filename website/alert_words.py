"""Every French sentence of the alerts (``rdv_opendata.notify``'s notifications and
``website.feeds``'s failure entries), in one place, so that a gettext catalogue can take them
over: each is a plain string or a function of plain values, and nothing here reads a file.

The domain errors (``core.errors``) are said through ``failure_kind``: a kind names what stopped
the run, ``STOP_SENTENCES`` says it in plain French. The one-line technical reason stays in the
logs, ``attempts.json`` and the run's artifact; it never reaches an alert.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.errors import (
    LayoutError,
    NormaliseError,
    PublishError,
    RdvError,
    SourceError,
    ValidationFailed,
)
from publish import layout

FAILURE_TITLE = "Échec de la publication"
UNEXPECTED = "unexpected"
#: a failed attempt recorded before kinds were (the feeds keep only those on a changed page)
CHANGED = "changed"

#: what stopped the run, by kind, in plain words
STOP_SENTENCES: Mapping[str, str] = {
    "source": "La page de la préfecture n'a pas pu être lue (absente, illisible ou trop grande).",
    "layout": "La page de la préfecture a changé de forme : son tableau n'a pas été reconnu.",
    "unread": (
        "Une phrase de la page de la préfecture n'a pas pu être comprise, et le mode strict "
        "interdit de publier une phrase non lue."
    ),
    "validation": "Les données lues ne respectent pas leur schéma : elles n'ont pas été publiées.",
    "rollback": (
        "La page lue est plus ancienne que celle de la dernière version : la publier ferait "
        "revenir les informations en arrière, la publication a été refusée."
    ),
    "mass-deletion": (
        "La page lue supprimerait une grande partie des informations : par prudence, la "
        "publication a été refusée."
    ),
    "lock": "Une autre publication était en cours dans le même dossier.",
    "publish": "Les fichiers de la publication n'ont pas pu être écrits ou relus.",
    "orchestrator": "L'orchestrateur (Prefect) n'a pas pu démarrer ou être joint.",
    CHANGED: "La page de la préfecture a changé et n'a pas pu être lue.",
    UNEXPECTED: "Une erreur inattendue a arrêté la publication (un défaut du programme).",
}

#: a PublishError's kind, by a word of its one-line message (the guards' own words)
_PUBLISH_KINDS = (("rollback", "rollback"), ("mass", "mass-deletion"), ("lock", "lock"))
#: the other domain errors, most specific first
_ERROR_KINDS: tuple[tuple[type[RdvError], str], ...] = (
    (SourceError, "source"),
    (LayoutError, "layout"),
    (NormaliseError, "unread"),
    (ValidationFailed, "validation"),
)

NOTHING_PUBLISHED = "Aucune version n'a encore été publiée : il n'y a rien d'autre en ligne."
UNKNOWN_DATE = "une date inconnue"


def failure_kind(error: BaseException | None) -> str:
    """The kind of what stopped a run (a key of ``STOP_SENTENCES``)."""
    if isinstance(error, PublishError):
        said = str(error).lower()
        return next((kind for word, kind in _PUBLISH_KINDS if word in said), "publish")
    return next((kind for cls, kind in _ERROR_KINDS if isinstance(error, cls)), UNEXPECTED)


def stop_sentence(kind: Any, unknown: str = UNEXPECTED) -> str:
    """Why a run stopped, for its ``kind``; a kind not known here is said as ``unknown``'s."""
    return STOP_SENTENCES.get(str(kind), STOP_SENTENCES[unknown])


def release_title(version: str) -> str:
    return f"Nouvelle version {version} du jeu de données des rendez-vous (Isère)"


def published_line(version: str) -> str:
    return f"Version {version} publiée."


def dataset_line(title: str) -> str:
    return f"Jeu de données : {title}"


def observed_line(observed: str) -> str:
    return f"Informations relevées sur la page de la préfecture le {observed}."


def tried_line(observed: str) -> str:
    return f"La page qui n'a pas pu être publiée a été relevée le {observed}."


def still_online(version: str, observed: str) -> str:
    """The reassurance of a failure: the last good release stays published."""
    return f"La dernière version publiée ({version}, relevée le {observed}) reste en ligne."


def site_line(url: str) -> str:
    return f"Le site : {url}"


def release_line(url: str) -> str:
    return f"La version : {url}"


def latest_line(url: str) -> str:
    return f"La dernière version (description) : {url}"


def link_lines(base_url: str, version: str | None) -> list[str]:
    """The links of every alert: the site's home page, the release ``version`` (when there is
    one) and latest.json, on the output's public address."""
    base = base_url.rstrip("/")
    lines = [site_line(f"{base}/{layout.SITE_HOME}")]
    if version:
        lines.append(release_line(f"{base}/{layout.release_dir(version)}/"))
    return [*lines, latest_line(f"{base}/{layout.LATEST_JSON}")]
