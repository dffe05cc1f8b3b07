"""The Table Schema JSON files in ``schemas/tables/``: the one source of truth for every resource.

Everything else (the pandera schemas, the typed DataFrames, the CSV/JSON writers, the package
descriptor, the data dictionary) is derived from them.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

TABLES_DIR = Path(__file__).parent / "tables"

#: resources in the order they are published (parents before the tables that point at them)
RESOURCE_ORDER = (
    "appointment_types",
    "locations",
    "closures",
    "channels",
    "procedures",
    "slot_rules",
    "contacts",
    "unread_sentences",
    "source_cells",
)


@cache
def _load(name: str) -> dict[str, Any]:
    path = TABLES_DIR / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def resource_meta(name: str) -> dict[str, str]:
    """The resource's French title and description (kept beside its schema)."""
    raw = _load(name)
    return {"title": raw["title"], "description": raw["description"]}


def table_schema(name: str) -> dict[str, Any]:
    """A fresh copy of the resource's Table Schema (without the resource-level metadata)."""
    raw = copy.deepcopy(_load(name))
    raw.pop("title", None)
    raw.pop("description", None)
    return raw


def fields(name: str) -> list[dict[str, Any]]:
    return _load(name)["fields"]


def field_names(name: str) -> list[str]:
    return [f["name"] for f in fields(name)]


def primary_key(name: str) -> list[str]:
    return list(_load(name)["primaryKey"])


def foreign_keys(name: str) -> list[dict[str, Any]]:
    return copy.deepcopy(_load(name).get("foreignKeys", []))
