"""Publish one package to ``DIR/latest/`` and archive the source bytes in ``DIR/snapshots/``.

The package is built in a temporary folder inside ``DIR``, validated there with frictionless,
and only then put in place of the previous ``latest/``: a failure leaves the previous one as it
was. (Versioned releases build on this.)
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from publish.package import sha256, write_package
from publish.verify import verify_package
from rdv_opendata.errors import PublishError, ValidationFailed

FIRST_VERSION = "1.0.0"


def archive_snapshot(data: bytes, suffix: str, output: Path) -> Path:
    """Keep the exact source bytes under ``snapshots/<sha256><suffix>`` (never overwritten)."""
    folder = output / "snapshots"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{sha256(data)}{suffix}"
    if not target.exists():
        fd, tmp = tempfile.mkstemp(prefix=".snapshot-", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    return target


def validation_failed(what: str, errors: list[dict[str, Any]]) -> ValidationFailed:
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return ValidationFailed(f"{what} failed validation: {errors[0]['message']}{more}", errors)


def publish_latest(
    frames: dict[str, pd.DataFrame],
    source: dict[str, Any],
    output: Path,
    created: str,
    version: str = FIRST_VERSION,
) -> Path:
    """Write, validate and put in place ``output/latest``; returns its path."""
    try:
        output.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(prefix=".building-", dir=output))
    except OSError as exc:
        raise PublishError(f"cannot write to {output}: {exc.strerror}") from None
    latest = output / "latest"
    try:
        write_package(frames, building, source, version, created)
        errors = verify_package(building)
        if errors:
            raise validation_failed("the written package", errors)
        previous = output / f".previous-{building.name}"
        if latest.exists():
            latest.rename(previous)
        building.rename(latest)
        shutil.rmtree(previous, ignore_errors=True)
    except OSError as exc:
        raise PublishError(f"cannot write the package in {output}: {exc.strerror}") from None
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return latest
