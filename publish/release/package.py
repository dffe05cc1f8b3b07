"""Write a data package: CSV and JSON per resource, and its datapackage.json (Data Package v2)."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict

import pandas as pd

from core import settings
from core.digest import sha256
from publish import layout
from publish.changes import workbook
from publish.formats import table
from publish.formats.schema_files import schema_files
from publish.formats.tabular import json_text
from schemas import registry
from schemas.frames import to_records


class History(TypedDict):
    """What a release's metadata needs from the releases before it (``history(…)``)."""

    coverage_start: str | None  # the earliest day a source was observed, this one included
    first_published: str | None  # when the first release was published (ISO 8601)


def history(entries: Iterable[Mapping[str, Any]], observed: str | None = None) -> History:
    """The ``render_package`` keywords that come from the catalog's entries (``releases.json``,
    oldest first) and this source's ``observed`` day:
    ``render_package(…, **history(store.catalog(), meta.get("observed")))``."""
    entries = list(entries)
    days = [e["source_observed"] for e in entries if e.get("source_observed")]
    days += [observed] if observed else []
    return {
        "coverage_start": min(days) if days else None,
        "first_published": entries[0].get("published") if entries else None,
    }


def temporal(observed: str | None, coverage_start: str | None) -> dict[str, str] | None:
    """The days the package's facts were seen on the site: from ``coverage_start`` (the earliest
    observed source of the catalog) to this release's ``observed`` day. None without a start:
    the coverage is stated only when the caller gives it (``history``)."""
    if not coverage_start:
        return None
    if not observed:
        return {"start": coverage_start}
    return {"start": min(coverage_start, observed), "end": observed}


def contributors(base_url: str) -> list[dict[str, Any]]:
    """The publisher, with its role (Data Package v2 ``roles``)."""
    publisher: dict[str, Any] = {
        "title": settings.PUBLISHER_NAME,
        "path": homepage(base_url),
        "roles": ["publisher"],
    }
    if settings.PUBLISHER_EMAIL:
        publisher["email"] = settings.PUBLISHER_EMAIL
    return [publisher]


def homepage(base_url: str) -> str:
    return f"{base_url.rstrip('/')}/{layout.SITE_HOME}"


def descriptor(
    resources: list[dict[str, Any]],
    source: dict[str, Any],
    version: str,
    created: str,
    *,
    coverage_start: str | None = None,
    base_url: str = settings.PUBLIC_BASE_URL,
) -> dict[str, Any]:
    """The datapackage.json of a release. Beyond Data Package v2's own properties, three custom
    ones for catalogues: ``frequency`` (an EU frequency IRI), ``spatial`` (the area: title, INSEE
    code, IRI) and, when ``coverage_start`` is given, ``temporal`` (``start`` and ``end`` days)."""
    package: dict[str, Any] = {
        "$schema": settings.DATAPACKAGE_PROFILE,
        "name": settings.PACKAGE_NAME,
        "title": settings.PACKAGE_TITLE,
        "description": settings.PACKAGE_DESCRIPTION,
        "homepage": homepage(base_url),
        "version": version,
        "created": created,
        "keywords": list(settings.PACKAGE_KEYWORDS),
        "licenses": [settings.PACKAGE_LICENSE],
        "contributors": contributors(base_url),
        "frequency": settings.PACKAGE_FREQUENCY,
        "spatial": dict(settings.PACKAGE_SPATIAL),
    }
    coverage = temporal(source.get("observed"), coverage_start)
    if coverage is not None:
        package["temporal"] = coverage
    return {**package, "sources": [source], "resources": resources}


@dataclass(frozen=True)
class ResourceData:
    """Every resource of a package: its rows (plain JSON values), its files in each format and
    how the descriptor describes it. They depend on the frames alone, so the candidate compared
    with the latest release and the release written after it share them (``render_package``'s
    ``data``): each file is made once per run."""

    rows: dict[str, list[dict[str, Any]]]
    files: dict[str, bytes]
    resources: list[dict[str, Any]]


def resource_data(frames: dict[str, pd.DataFrame]) -> ResourceData:
    files: dict[str, bytes] = {}
    rows = {name: to_records(name, frames[name]) for name in registry.RESOURCE_ORDER}
    resources = [_resource(name, rows[name], files) for name in registry.RESOURCE_ORDER]
    return ResourceData(rows=rows, files=files, resources=resources)


def render_package(
    frames: dict[str, pd.DataFrame],
    source: dict[str, Any],
    version: str,
    created: str,
    *,
    coverage_start: str | None = None,
    first_published: str | None = None,
    base_url: str = settings.PUBLIC_BASE_URL,
    extras: bool = True,
    data: ResourceData | None = None,
    spreadsheet: Callable[[], bytes] | None = None,
    schemas: Callable[[], dict[str, dict[str, Any]]] | None = None,
) -> tuple[dict[str, Any], dict[str, bytes], dict[str, list[dict[str, Any]]]]:
    """The descriptor, the files (relative path -> bytes, datapackage.json and the standalone
    schemas ``schemas/<resource>.json`` included) and the rows (plain JSON values per resource)
    of a package. Nothing is written.

    ``coverage_start`` and ``first_published`` come from the releases before this one
    (``history(store.catalog(), source["observed"])``): without ``coverage_start`` the descriptor
    states no temporal coverage; without ``first_published`` the schemas' ``created`` is this
    release's day.
    ``base_url``: where the output folder is served (the package's and the schemas' URLs).
    ``extras``: False leaves out what only a written release needs (the standalone schemas and
    the spreadsheet): what a candidate compared with the latest release needs is the rest.
    ``data``: the frames' ``resource_data``, when it is made already.
    ``spreadsheet``: the workbook's bytes when they are made elsewhere (a second process), asked
    for last; ``schemas``: the standalone schemas (``schema_files``) when they are made
    elsewhere."""
    data = data or resource_data(frames)
    files, rows = dict(data.files), data.rows
    resources = copy.deepcopy(data.resources)  # each descriptor its own
    package = descriptor(
        resources, source, version, created, coverage_start=coverage_start, base_url=base_url
    )
    if extras:
        made_schemas = (
            schema_files(
                rows,
                version=version,
                created=created,
                first_published=first_published,
                base_url=base_url,
            )
            if schemas is None
            else schemas()
        )
        for path, schema in made_schemas.items():
            files[path] = json_text(schema).encode("utf-8")
        if spreadsheet is None:
            made = workbook.workbook_bytes(rows, version=version, created=created, source=source)
        else:
            made = spreadsheet()
        package["spreadsheet"] = _file_object(table.WORKBOOK, layout.WORKBOOK_FILE, made, files)
    files[layout.DESCRIPTOR_FILE] = json_text(package).encode("utf-8")
    return package, files, rows


def _file_object(
    fmt: table.Format, path: str, data: bytes, files: dict[str, bytes]
) -> dict[str, Any]:
    """A file of the package, added to ``files``, as the descriptor describes it."""
    files[path] = data
    described: dict[str, Any] = {
        "path": path,
        "mediatype": fmt.media_type,
        "bytes": len(data),
        "hash": f"sha256:{sha256(data)}",
    }
    if fmt.description:
        described["description"] = fmt.description
    return described


def _resource(name: str, records: list[dict[str, Any]], files: dict[str, bytes]) -> dict[str, Any]:
    """A resource in each format of the table (its files added to ``files``), as the descriptor
    describes it: CSV as the resource itself, the other formats as its objects."""
    described = {
        fmt.key: _file_object(
            fmt, layout.data_file(name, fmt.suffix), fmt.writer(name, records), files
        )
        for fmt in table.RESOURCE_FORMATS
        if fmt.writer is not None
    }
    main = described.pop(table.CSV.key)
    return {
        "name": name,
        "type": "table",
        "path": main["path"],
        "scheme": "file",
        "format": table.CSV.key,
        "mediatype": main["mediatype"],
        "encoding": "utf-8",
        **registry.resource_meta(name),
        "bytes": main["bytes"],
        "hash": main["hash"],
        "schema": registry.table_schema(name),
        "schemaPath": layout.schema_file(name),
        **described,
    }


def write_files(directory: Path, files: dict[str, bytes]) -> None:
    for relative, data in files.items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
