"""Load a release into pandas with the schema's types: ``load_release(path_or_url)``.

Accepts a release folder, its ``datapackage.json``, or the URL of a published
``datapackage.json``, downloaded by the code of ``validate`` and ``diff``
(``publish.reading.remote``: the descriptor checked as untrusted first, only the files it names
inside the package fetched, each under a size cap). Each CSV is checked against the SHA-256 in
the descriptor, then typed by the type table (``schemas.types``), exactly as the pipeline's
frames and the Parquet files: strings -> ``string``, enumerations -> ``category`` (the schema's
whole enum, in its order), integers -> ``Int64`` (nullable), booleans -> ``boolean``, dates ->
``datetime.date``, times -> ``datetime.time``, lists -> tuples of strings.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from core.digest import sha256
from core.errors import SourceError
from publish.layout import DESCRIPTOR_FILE
from publish.reading.remote import download_package
from publish.reading.untrusted import descriptor_problems, inside
from publish.reading.verify import descriptor_path as descriptor_file
from schemas.frames import typed_frame as frame_of_rows


def _local(descriptor_path: Path) -> tuple[dict[str, Any], Callable[[str], bytes]]:
    """The descriptor of a package on disk, checked as untrusted (``validate`` and ``diff`` do the
    same), and a reader of the files it names, never outside the package."""
    if not descriptor_path.is_file():
        raise SourceError(f"no {DESCRIPTOR_FILE} at {descriptor_path}")
    folder = descriptor_path.parent
    try:
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise SourceError(f"{descriptor_path}: not a JSON descriptor ({exc})") from None
    if problems := descriptor_problems(descriptor, folder):
        raise SourceError(f"{descriptor_path}: {problems[0]}")

    def read(relative: str) -> bytes:
        target = inside(folder, relative)
        if target is None:
            raise SourceError(f"{relative}: outside the package")
        return target.read_bytes()

    return descriptor, read


def typed_frame(data: bytes, schema: dict[str, Any]) -> pd.DataFrame:
    """A resource's CSV bytes as a frame typed by its Table Schema."""
    rows = csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""))
    return frame_of_rows(schema.get("fields", []), list(rows))


def load_release(location: str | Path) -> dict[str, pd.DataFrame]:
    """Every resource of the release as a typed DataFrame, keyed by resource name."""
    text = str(location)
    if text.startswith(("http://", "https://")):
        # the download of validate and diff: descriptor checked first, only the files it names
        # inside the package fetched, each capped in size
        with tempfile.TemporaryDirectory(prefix="rdv-opendata-release-") as folder:
            return _load(*_local(download_package(text, Path(folder))))
    return _load(*_local(descriptor_file(Path(text))))


def _load(descriptor: dict[str, Any], read: Callable[[str], bytes]) -> dict[str, pd.DataFrame]:
    frames = {}
    for resource in descriptor["resources"]:
        data = read(resource["path"])
        expected = resource.get("hash", "").removeprefix("sha256:")
        if expected and sha256(data) != expected:
            raise SourceError(f"{resource['path']}: hash mismatch with {DESCRIPTOR_FILE}")
        frames[resource["name"]] = typed_frame(data, resource.get("schema", {}))
    return frames
