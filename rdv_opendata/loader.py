"""Load a release into pandas with the schema's types: ``load_release(path_or_url)``.

Accepts a release folder, its ``datapackage.json``, or the URL of a published
``datapackage.json``. Each CSV is checked against the SHA-256 in the descriptor, then typed by the
type table (``schemas.types``), exactly as the pipeline's frames and the Parquet files: strings ->
``string``, enumerations -> ``category`` (the schema's whole enum, in its order), integers ->
``Int64`` (nullable), booleans -> ``boolean``, dates -> ``datetime.date``, times ->
``datetime.time``, lists -> tuples of strings.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pandas as pd

from core.digest import sha256
from core.errors import SourceError
from publish.layout import DESCRIPTOR_FILE
from publish.reading.remote import descriptor_url
from publish.reading.verify import descriptor_path as descriptor_file
from schemas.frames import typed_frame as frame_of_rows


def _opener(location: str | Path) -> tuple[dict[str, Any], Callable[[str], bytes]]:
    text = str(location)
    if text.startswith(("http://", "https://")):
        import httpx

        def fetch(url: str) -> bytes:
            response = httpx.get(url, timeout=30, follow_redirects=True)
            if response.status_code != 200:
                raise SourceError(f"{url}: HTTP {response.status_code}")
            return response.content

        base = descriptor_url(text)
        return json.loads(fetch(base)), lambda relative: fetch(urljoin(base, relative))
    path = Path(text)
    descriptor_path = descriptor_file(path)
    if not descriptor_path.is_file():
        raise SourceError(f"no {DESCRIPTOR_FILE} at {descriptor_path}")
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    return descriptor, lambda relative: (descriptor_path.parent / relative).read_bytes()


def typed_frame(data: bytes, schema: dict[str, Any]) -> pd.DataFrame:
    """A resource's CSV bytes as a frame typed by its Table Schema."""
    rows = csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""))
    return frame_of_rows(schema.get("fields", []), list(rows))


def load_release(location: str | Path) -> dict[str, pd.DataFrame]:
    """Every resource of the release as a typed DataFrame, keyed by resource name."""
    descriptor, read = _opener(location)
    frames = {}
    for resource in descriptor["resources"]:
        data = read(resource["path"])
        expected = resource.get("hash", "").removeprefix("sha256:")
        if expected and sha256(data) != expected:
            raise SourceError(f"{resource['path']}: hash mismatch with {DESCRIPTOR_FILE}")
        frames[resource["name"]] = typed_frame(data, resource.get("schema", {}))
    return frames
