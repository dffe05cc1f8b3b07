"""Write a data package: CSV and JSON per resource, and its datapackage.json (Data Package v2)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path
from typing import Any

import pandas as pd

from core import settings
from schemas import registry
from schemas.arrow import parquet_bytes
from schemas.frames import to_records


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def csv_text(name: str, records: list[dict[str, Any]]) -> str:
    """RFC 4180 CSV (UTF-8, header row, '\\n' line ends); missing values are empty cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    names = registry.field_names(name)
    writer.writerow(names)
    for record in records:
        writer.writerow([_csv_cell(record[n]) for n in names])
    return buffer.getvalue()


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(value)
    return str(value)


def json_text(records: list[dict[str, Any]] | dict[str, Any]) -> str:
    """Indented UTF-8 JSON with a final newline: the one JSON style of every published file."""
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def descriptor(
    resources: list[dict[str, Any]], source: dict[str, Any], version: str, created: str
) -> dict[str, Any]:
    return {
        "$schema": settings.DATAPACKAGE_PROFILE,
        "name": settings.PACKAGE_NAME,
        "title": settings.PACKAGE_TITLE,
        "description": settings.PACKAGE_DESCRIPTION,
        "version": version,
        "created": created,
        "keywords": list(settings.PACKAGE_KEYWORDS),
        "licenses": [settings.PACKAGE_LICENSE],
        "sources": [source],
        "resources": resources,
    }


def render_package(
    frames: dict[str, pd.DataFrame],
    source: dict[str, Any],
    version: str,
    created: str,
) -> tuple[dict[str, Any], dict[str, bytes], dict[str, list[dict[str, Any]]]]:
    """The descriptor, the files (relative path -> bytes, datapackage.json included) and the rows
    (plain JSON values per resource) of a package. Nothing is written."""
    files: dict[str, bytes] = {}
    rows: dict[str, list[dict[str, Any]]] = {}
    resources = []
    for name in registry.RESOURCE_ORDER:
        records = to_records(name, frames[name])
        rows[name] = records
        csv_bytes = csv_text(name, records).encode("utf-8")
        json_bytes = json_text(records).encode("utf-8")
        parquet = parquet_bytes(name, records)
        files[f"data/{name}.csv"] = csv_bytes
        files[f"data/{name}.json"] = json_bytes
        files[f"data/{name}.parquet"] = parquet
        resources.append(
            {
                "name": name,
                "type": "table",
                "path": f"data/{name}.csv",
                "scheme": "file",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                **registry.resource_meta(name),
                "bytes": len(csv_bytes),
                "hash": f"sha256:{sha256(csv_bytes)}",
                "schema": registry.table_schema(name),
                "json": {
                    "path": f"data/{name}.json",
                    "mediatype": "application/json",
                    "bytes": len(json_bytes),
                    "hash": f"sha256:{sha256(json_bytes)}",
                },
                "parquet": {
                    "path": f"data/{name}.parquet",
                    "mediatype": "application/vnd.apache.parquet",
                    "bytes": len(parquet),
                    "hash": f"sha256:{sha256(parquet)}",
                    "description": "Mêmes lignes en Parquet, types conservés : dates, entiers "
                    "nullables, booléens, énumérations en catégories.",
                },
            }
        )
    package = descriptor(resources, source, version, created)
    files["datapackage.json"] = json_text(package).encode("utf-8")
    return package, files, rows


def write_files(directory: Path, files: dict[str, bytes]) -> None:
    for relative, data in files.items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
