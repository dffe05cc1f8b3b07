"""The publishing pipeline as plain functions: what the Prefect tasks wrap, step by step.

No Prefect here; ``flows/publish.py`` chains these as tasks, and the tests call them directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from extract import RawTable, extract_table
from extract.read import Source, now_utc
from normalise import normalise
from publish.latest import FIRST_VERSION, archive_snapshot, publish_latest, validation_failed
from publish.package import sha256
from schemas.frames import to_frames
from schemas.validate import validate_frames


@dataclass(frozen=True)
class Published:
    path: Path
    version: str
    counts: dict[str, int]


def parse(source: Source) -> RawTable:
    return extract_table(source.data)


def build_frames(table: RawTable) -> dict[str, pd.DataFrame]:
    """Normalise and validate (pandera, lazily); raises ValidationFailed naming the first error."""
    frames = to_frames(normalise(table))
    errors = validate_frames(frames)
    if errors:
        raise validation_failed("the normalised data", errors)
    return frames


def source_metadata(source: Source, table: RawTable) -> dict[str, Any]:
    """What depends on the form of the source: it lives only in datapackage.json ``sources``."""
    return {
        "title": table.title or "Tableau source",
        "path": source.location,
        "retrieved": source.retrieved,
        "sha256": sha256(source.data),
        "bytes": len(source.data),
        "encoding": table.encoding,
        "encodingSource": table.encoding_source,
        "form": table.form,
    }


def archive(source: Source, output: Path) -> Path:
    return archive_snapshot(source.data, source.suffix, output)


def publish(frames: dict[str, pd.DataFrame], meta: dict[str, Any], output: Path) -> Published:
    path = publish_latest(frames, meta, output, created=now_utc())
    return Published(path, FIRST_VERSION, {name: len(frame) for name, frame in frames.items()})
