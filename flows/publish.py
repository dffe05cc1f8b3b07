"""The Prefect flow ``publish_release``: thin tasks around the pure pipeline steps.

Nothing here parses, normalises or validates by itself; each task calls one function of
``rdv_opendata.pipeline``. Prefect's own caching is off (our content hash decides what gets
published) and no task retries: only network I/O will (with URL sources).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from extract import RawTable
from extract.read import Source, read_path
from flows.logging import quiet_domain_tracebacks
from rdv_opendata import pipeline
from rdv_opendata.settings import DEFAULT_OUTPUT

quiet_domain_tracebacks()


@task(name="read", cache_policy=NO_CACHE)
def read_task(source: str | None) -> Source:
    return read_path(source)


@task(name="archive", cache_policy=NO_CACHE)
def archive_task(source: Source, output: Path) -> Path:
    return pipeline.archive(source, output)


@task(name="parse", cache_policy=NO_CACHE)
def parse_task(source: Source) -> RawTable:
    return pipeline.parse(source)


@task(name="normalise-validate", cache_policy=NO_CACHE)
def build_task(table: RawTable) -> dict[str, pd.DataFrame]:
    return pipeline.build_frames(table)


@task(name="publish", cache_policy=NO_CACHE)
def publish_task(
    frames: dict[str, pd.DataFrame], meta: dict[str, Any], output: Path
) -> pipeline.Published:
    return pipeline.publish(frames, meta, output)


@flow(name="publish_release", log_prints=False)
def publish_release(source: str | None = None, output: str = str(DEFAULT_OUTPUT)) -> dict:
    """Read the source, archive it, parse, normalise, validate and publish ``output/latest``."""
    logger = get_run_logger()
    out = Path(output)
    raw = read_task(source)
    archive_task(raw, out)
    table = parse_task(raw)
    frames = build_task(table)
    meta = pipeline.source_metadata(raw, table)
    published = publish_task(frames, meta, out)
    logger.info("published %s to %s", published.version, published.path)
    return {
        "status": "published",
        "version": published.version,
        "path": str(published.path),
        "counts": published.counts,
    }
