"""Every sentence of the alerts (``rdv_opendata.notify``'s notifications and
``website.feeds``'s failure entries), in one place, in the current language (``core.i18n``):
each is a message of the catalogue (a constant read as ``words.NAME`` through the module's
``__getattr__``, or a function of plain values), and nothing here reads a file.

The domain errors (``core.errors``) are said through ``failure_kind``: a kind names what stopped
the run, ``STOP_SENTENCES`` says it in plain words. The one-line technical reason stays in the
logs, ``attempts.json`` and the run's artifact; it never reaches an alert.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.errors import (
    FutureRelease,
    LayoutError,
    LockHeld,
    MassDeletionRefused,
    NormaliseError,
    PublishError,
    RdvError,
    RollbackRefused,
    SourceError,
    ValidationFailed,
)
from core.i18n import DEFAULT, _, current
from publish import layout
from publish.changes.french import N_

FAILURE_TITLE = N_("Échec de la publication")
UNEXPECTED = "unexpected"
#: a failed attempt recorded before kinds were (the feeds keep only those on a changed page)
CHANGED = "changed"

#: what stopped the run, by kind, in plain words
STOP_SENTENCES: Mapping[str, str] = {
    "source": N_(
        "La page de la préfecture n'a pas pu être lue (absente, illisible ou trop grande)."
    ),
    "layout": N_("La page de la préfecture a changé de forme : son tableau n'a pas été reconnu."),
    "unread": N_(
        "Une phrase de la page de la préfecture n'a pas pu être comprise, et le mode strict "
        "interdit de publier une phrase non lue."
    ),
    "validation": N_(
        "Les données lues ne respectent pas leur schéma : elles n'ont pas été publiées."
    ),
    "rollback": N_(
        "La page lue est plus ancienne que celle de la dernière version : la publier ferait "
        "revenir les informations en arrière, la publication a été refusée."
    ),
    "mass-deletion": N_(
        "La page lue supprimerait une grande partie des informations : par prudence, la "
        "publication a été refusée."
    ),
    "future-release": N_(
        "La dernière version publiée porte une date de relevé dans le futur : aucune page ne "
        "peut lui être comparée, la publication attend qu'une personne vérifie la page."
    ),
    "lock": N_("Une autre publication était en cours dans le même dossier."),
    "publish": N_("Les fichiers de la publication n'ont pas pu être écrits ou relus."),
    "orchestrator": N_("L'orchestrateur (Prefect) n'a pas pu démarrer ou être joint."),
    CHANGED: N_("La page de la préfecture a changé et n'a pas pu être lue."),
    UNEXPECTED: N_("Une erreur inattendue a arrêté la publication (un défaut du programme)."),
}

#: a PublishError's kind, by a word of its one-line message (the guards' own words)
#: the domain errors, most specific first
_ERROR_KINDS: tuple[tuple[type[RdvError], str], ...] = (
    (SourceError, "source"),
    (LayoutError, "layout"),
    (NormaliseError, "unread"),
    (ValidationFailed, "validation"),
    (RollbackRefused, "rollback"),
    (MassDeletionRefused, "mass-deletion"),
    (FutureRelease, "future-release"),
    (LockHeld, "lock"),
    (PublishError, "publish"),
)

#: the sentences read as constants (``words.NOTHING_PUBLISHED``), each in the current language
TEXTS = {
    "NOTHING_PUBLISHED": N_(
        "Aucune version n'a encore été publiée : il n'y a rien d'autre en ligne."
    ),
    "UNKNOWN_DATE": N_("une date inconnue"),
}


def __getattr__(name: str) -> str:
    if name in TEXTS:
        return _(TEXTS[name])
    raise AttributeError(name)


def failure_title() -> str:
    return _(FAILURE_TITLE)


def failure_kind(error: BaseException | None) -> str:
    """The kind of what stopped a run (a key of ``STOP_SENTENCES``), by its class."""
    return next((kind for cls, kind in _ERROR_KINDS if isinstance(error, cls)), UNEXPECTED)


def stop_sentence(kind: Any, unknown: str = UNEXPECTED) -> str:
    """Why a run stopped, for its ``kind``; a kind not known here is said as ``unknown``'s."""
    return _(STOP_SENTENCES.get(str(kind), STOP_SENTENCES[unknown]))


def release_title(version: str) -> str:
    return _("Nouvelle version {version} du jeu de données des rendez-vous (Isère)").format(
        version=version
    )


def published_line(version: str) -> str:
    return _("Version {version} publiée.").format(version=version)


def dataset_line(title: str) -> str:
    return _("Jeu de données : {title}").format(title=title)


def observed_line(observed: str) -> str:
    return _("Informations relevées sur la page de la préfecture le {observed}.").format(
        observed=observed
    )


def tried_line(observed: str) -> str:
    return _("La page qui n'a pas pu être publiée a été relevée le {observed}.").format(
        observed=observed
    )


def still_online(version: str, observed: str) -> str:
    """The reassurance of a failure: the last good release stays published."""
    said = _("La dernière version publiée ({version}, relevée le {observed}) reste en ligne.")
    return said.format(version=version, observed=observed)


def site_line(url: str) -> str:
    return _("Le site : {url}").format(url=url)


def release_line(url: str) -> str:
    return _("La version : {url}").format(url=url)


def latest_line(url: str) -> str:
    return _("La dernière version (description) : {url}").format(url=url)


def link_lines(base_url: str, version: str | None) -> list[str]:
    """The links of every alert: the site's home page, the release ``version`` (when there is
    one) and latest.json, on the output's public address."""
    base = base_url.rstrip("/")
    folder = layout.site_language_dir(current(), DEFAULT)
    lines = [site_line(f"{base}/{layout.SITE_DIR}/{folder}{layout.SITE_INDEX}")]
    if version:
        lines.append(release_line(f"{base}/{layout.release_dir(version)}/"))
    return [*lines, latest_line(f"{base}/{layout.LATEST_JSON}")]
