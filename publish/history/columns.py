"""The columns of the history's tables, with their SQLite types and French descriptions: the fixed
ones (``releases``, ``release_counts``, ``changes`` and the item-version columns every resource
table ends with) and, in ``Columns``, each resource's own, gathered from the releases read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core.errors import PublishError
from publish.history.releases import Release
from schemas import registry

RESERVED_TABLES = frozenset({"releases", "release_counts", "changes"})

#: the item-version columns every resource table has, after the resource's own, in French
META_COLUMNS: dict[str, tuple[type, str]] = {
    "_item": (str, "Clé de l'élément (clé primaire de la ressource, parties jointes par « | »)."),
    "_version_from": (str, "Première publication où l'élément a ce contenu."),
    "_version_to": (str, "Dernière publication où l'élément a exactement ce contenu."),
    "_seq_from": (int, "Rang de _version_from dans releases (seq)."),
    "_seq_to": (int, "Rang de _version_to dans releases (seq)."),
    "_observed_from": (str, "Date d'observation de la source de _version_from."),
    "_observed_to": (str, "Date d'observation de la source de _version_to."),
    "_published_from": (str, "Date et heure de publication de _version_from (UTC)."),
    "_started_by": (
        str,
        "added : l'élément apparaît (absent de la publication précédente, ou première "
        "publication) ; changed : son contenu a changé.",
    ),
    "_ended_by": (
        str,
        "changed : le contenu change à la publication suivante ; removed : l'élément en "
        "disparaît ; vide : contenu toujours actuel.",
    ),
    "_current": (int, "1 quand ce contenu est celui de la dernière publication."),
}
SQL_TYPES: dict[str, type] = {"integer": int, "boolean": int, "number": float, "year": int}

RELEASE_COLUMNS: dict[str, tuple[type, str]] = {
    "version": (str, "Numéro de version (semver) de la publication."),
    "seq": (int, "Rang de la publication, à partir de 1, dans l'ordre du catalogue."),
    "published": (str, "Date et heure de publication (UTC, ISO 8601)."),
    "bump": (str, "Nature du changement de version : initial, major, minor ou patch."),
    "source_sha256": (str, "Empreinte SHA-256 de la source lue."),
    "source_observed": (str, "Date où le contenu de la source a été vu sur le site, si connue."),
    "observed": (
        str,
        "Date d'observation retenue : source_observed, sinon le jour de la publication.",
    ),
    "previous_version": (str, "La publication précédente, vide pour la première."),
    "rows": (int, "Nombre total de lignes publiées, toutes ressources confondues."),
    "added": (
        int,
        "Lignes ajoutées depuis la publication précédente, hors source_cells (comme la page "
        "d'historique du site ; le détail par table est dans release_counts).",
    ),
    "removed": (int, "Lignes supprimées depuis la publication précédente, hors source_cells."),
    "changed": (int, "Lignes modifiées depuis la publication précédente, hors source_cells."),
}
COUNT_COLUMNS: dict[str, tuple[type, str]] = {
    "version": (str, "La publication."),
    "resource": (str, "La ressource (nom de table)."),
    "rows": (int, "Nombre de lignes publiées."),
    "added": (int, "Lignes ajoutées."),
    "removed": (int, "Lignes supprimées."),
    "changed": (int, "Lignes modifiées."),
}
#: the columns of ``changes`` (their types: ``publish.history.database.CHANGES_SQL``)
CHANGE_COLUMNS: dict[str, str] = {
    "id": "Numéro du changement, dans l'ordre des publications.",
    "version": "La publication qui apporte le changement.",
    "seq": "Rang de cette publication (releases.seq).",
    "previous_version": "La publication précédente (vide pour la première).",
    "observed": "Date d'observation de la source de cette publication.",
    "resource": "La ressource (table) concernée.",
    "item": "Clé de l'élément (parties d'une clé composée jointes par « | »).",
    "kind": "added : élément ajouté ; removed : supprimé ; changed : un champ modifié.",
    "field": "Le champ modifié (vide pour un ajout ou une suppression).",
    "old": "Ancienne valeur ; pour une suppression, toute la ligne (objet JSON).",
    "new": "Nouvelle valeur ; pour un ajout, toute la ligne (objet JSON).",
}


@dataclass
class Columns:
    """Per resource, its fields in order with their types and French descriptions: the latest
    release's schema first, then fields only older releases had (the current schemas of
    ``schemas/tables`` count as the oldest, so every resource has its table)."""

    order: dict[str, dict[str, type]] = field(default_factory=dict)
    described: dict[str, dict[str, str]] = field(default_factory=dict)
    meta: dict[str, dict[str, str]] = field(default_factory=dict)
    latest: Release | None = None  # the newest release read

    @classmethod
    def of_registry(cls) -> Columns:
        columns = cls()
        for name in registry.RESOURCE_ORDER:
            columns.add_resource(name, registry.fields(name), registry.resource_meta(name))
        return columns

    def add(self, release: Release) -> None:
        self.latest = release
        for resource in release.package.descriptor.get("resources", []):
            fields = release.package.fields(resource["name"])
            self.add_resource(resource["name"], fields, resource)

    def add_resource(self, name: str, fields: list[dict[str, Any]], meta: dict[str, Any]) -> None:
        if name in RESERVED_TABLES:
            raise PublishError(f"cannot build the history: a resource is named {name!r}")
        types = {f["name"]: SQL_TYPES.get(f.get("type", "string"), str) for f in fields}
        described = {f["name"]: described_field(f) for f in fields}
        older_types, older_described = self.order.get(name, {}), self.described.get(name, {})
        self.order[name] = types | {k: v for k, v in older_types.items() if k not in types}
        self.described[name] = described | {
            k: v for k, v in older_described.items() if k not in described
        }
        self.meta[name] = {
            "title": meta.get("title") or name,
            "description": meta.get("description") or "",
        }


def described_field(spec: dict[str, Any]) -> str:
    """A column's description for Datasette: the field's French title and description, and how
    a list is kept (Datasette 0.65 has no column types: ``?_json=<column>`` reads it back as a
    list in the JSON API)."""
    text = " : ".join(p for p in (spec.get("title"), spec.get("description")) if p)
    if spec.get("type") == "list":
        text += f" (Liste en texte JSON ; dans l'API, ?_json={spec['name']} la rend en liste.)"
    return text
