"""The JSON the store publishes, as types: ``changes.json`` and the entries of ``releases.json``.

Defined once, here; ``publish/changes/diff.py`` and ``rdv_opendata/pipeline.py`` build them,
``publish/release/store.py``, ``publish/changes/summary.py`` and the website read them. The types
say what is
written today (the README, « What lands in output/ »); readers of older releases still use
``.get`` for keys that releases written before them may lack (``source_observed``, ``summary``).

Key order is the order of the JSON files: a ``TypedDict`` is a plain ``dict``, written as built.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

#: one row of a resource, as in its JSON file
Row = dict[str, Any]


class FieldChange(TypedDict):
    old: Any
    new: Any


class ChangedRow(TypedDict):
    """A row present in both releases: its primary key (``|``-joined) and its changed fields."""

    key: str
    fields: dict[str, FieldChange]


class ResourceChanges(TypedDict):
    """The rows of one resource that were added, removed (whole rows) or changed."""

    added: list[Row]
    removed: list[Row]
    changed: list[ChangedRow]


class SchemaChange(TypedDict):
    """A change of a resource's schema; ``breaking`` ones make a MAJOR version."""

    kind: str  # "field-added", "field-renamed", "constraint-tightened", …
    resource: str
    field: str | None
    detail: str
    breaking: bool


class MetadataChange(TypedDict):
    """A changed title or description (``path``: ``key``, ``resource.key`` or
    ``resource.field.key``)."""

    path: str
    old: Any
    new: Any


class Changes(TypedDict):
    """What changed between two packages (``publish.changes.diff.diff``)."""

    resources: dict[str, ResourceChanges]
    schema: list[SchemaChange]
    metadata: list[MetadataChange]


class ChangeRecord(TypedDict):
    """``releases/<version>/changes.json``: the changes of a release, from the version before."""

    from_version: str | None  # None for the first release
    to_version: str
    bump: str  # "initial", "major", "minor" or "patch"
    resources: dict[str, ResourceChanges]
    schema: list[SchemaChange]
    metadata: list[MetadataChange]
    summary: list[str]  # the French lines of CHANGES.md, as plain text


class RowCounts(TypedDict):
    added: int
    removed: int
    changed: int


class CatalogEntry(TypedDict):
    """One release in ``releases.json`` (``{"releases": [entry, …]}``, oldest first)."""

    version: str
    published: str  # ISO 8601, UTC
    source_sha256: str
    source_observed: NotRequired[str | None]  # absent from entries written before it was kept
    bump: str
    changes: dict[str, RowCounts]
    rows: dict[str, int]
    #: SHA-256 of the reviewed readings (readings.toml) the release was read with; absent: none
    readings_sha256: NotRequired[str | None]
