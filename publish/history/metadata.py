"""The Datasette 0.65 metadata of the history database (``history.metadata.json``): title, licence,
source, table and column descriptions in French, and the canned queries of
``publish.history.queries``, each with the licence and source in its footer."""

from __future__ import annotations

from typing import Any

from core.settings import PACKAGE_DESCRIPTION, PACKAGE_LICENSE, PACKAGE_TITLE
from publish.history.columns import (
    CHANGE_COLUMNS,
    COUNT_COLUMNS,
    META_COLUMNS,
    RELEASE_COLUMNS,
    Columns,
)
from publish.history.queries import QUERIES
from publish.history.releases import Release
from publish.layout import HISTORY_DATABASE

#: the database's name in Datasette, hence in the metadata and in its addresses (/history/…):
#: Datasette names a database after its file, so ``publish.history.build`` names the file after it

#: the prefecture's site, the source's home when the releases do not name the page they read
PREFECTURE_SITE = "https://www.isere.gouv.fr/"
SOURCE_TITLE = "Préfecture de l'Isère, Service Immigration et Intégration"

TABLE_DESCRIPTIONS = {
    "releases": (
        "Publications",
        "Une ligne par publication (version) : date de publication, date d'observation de la "
        "source, nature du changement de version et nombre de lignes ajoutées, supprimées ou "
        "modifiées.",
    ),
    "release_counts": (
        "Comptes par publication et ressource",
        "Pour chaque publication et chaque ressource : lignes publiées, ajoutées, supprimées, "
        "modifiées.",
    ),
    "changes": (
        "Changements",
        "Un changement par ligne : un champ modifié (ancienne et nouvelle valeur), ou un élément "
        "ajouté ou supprimé (toute la ligne en JSON, champ vide).",
    ),
}
HISTORY_NOTE = (
    " Historique : une ligne par version d'un élément (même clé, même contenu), de "
    "_version_from à _version_to ; _current vaut 1 pour le contenu actuel. Les listes sont "
    "du texte JSON, les dates et heures du texte ISO 8601."
)


def source_url(latest: Release | None) -> str:
    """The page the latest release was read from when it is a web address, else the site."""
    sources = latest.package.descriptor.get("sources") if latest else None
    path = sources[0].get("path") if isinstance(sources, list) and sources else None
    if isinstance(path, str) and path.startswith(("https://", "http://")):
        return path
    return PREFECTURE_SITE


def table_metadata(columns: Columns) -> dict[str, Any]:
    tables: dict[str, Any] = {}
    for name, (title, description) in TABLE_DESCRIPTIONS.items():
        tables[name] = {"title": title, "description": description}
    tables["releases"] |= {
        "sort": "seq",
        "columns": {k: text for k, (_, text) in RELEASE_COLUMNS.items()},
    }
    tables["release_counts"]["columns"] = {k: text for k, (_, text) in COUNT_COLUMNS.items()}
    tables["changes"] |= {"columns": CHANGE_COLUMNS, "facets": ["resource", "kind", "version"]}
    for name, meta in columns.meta.items():
        described = {k: v for k, v in columns.described[name].items() if v}
        tables[name] = {
            "title": f"{meta['title']} (historique)",
            "description": meta["description"] + HISTORY_NOTE,
            "columns": described | {k: text for k, (_, text) in META_COLUMNS.items()},
            "facets": ["_current", "_version_from"],
        }
    return tables


def history_metadata(columns: Columns) -> dict[str, Any]:
    """Datasette 0.65 metadata for the history database (``columns``: what it holds)."""
    credits = {
        "license": PACKAGE_LICENSE["title"],
        "license_url": PACKAGE_LICENSE["path"],
        "source": SOURCE_TITLE,
        "source_url": source_url(columns.latest),
    }
    return {
        "title": f"{PACKAGE_TITLE} : historique des publications",
        "description": PACKAGE_DESCRIPTION
        + " Chaque publication (version) et chaque version de chaque élément, avec les dates "
        "où la source a été observée.",
        **credits,
        "databases": {
            HISTORY_DATABASE: {
                "title": "Historique des publications",
                "description": (
                    "Toutes les publications et toutes les versions des données, reconstruites "
                    "à partir des dossiers de publication."
                ),
                "tables": table_metadata(columns),
                # a canned query's page shows its own metadata in the footer, not the site's
                # (the SQL is one click away: the results come first)
                "queries": {
                    name: {**query, "hide_sql": True, **credits} for name, query in QUERIES.items()
                },
            }
        },
    }
