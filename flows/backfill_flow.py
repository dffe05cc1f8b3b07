"""The Prefect flow ``backfill_releases``: builds fan out through the task runner, publishing
stays in order (``rdv_opendata.backfill`` holds the logic).

Threads by default; ``dask_runner`` gives the same flow on a Dask cluster (prefect-dask), either
an existing one (``address``) or a local one started for the run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task, unmapped
from prefect.artifacts import (
    create_markdown_artifact,
    create_progress_artifact,
    update_progress_artifact,
)
from prefect.cache_policies import NO_CACHE

from core.markdown import markdown_escape
from extract.read import Source
from flows.artifacts import BACKFILL_KEY, PROGRESS_KEY
from flows.publish_flow import as_task
from flows.quiet_logs import quiet_domain_tracebacks
from normalise.readings import ReadingPolicy
from rdv_opendata import backfill
from rdv_opendata.settings import DEFAULT_OUTPUT

quiet_domain_tracebacks()


@task(name="build", cache_policy=NO_CACHE)
def build_task(source: Source, policy: ReadingPolicy) -> backfill.Outcome:
    """Parse, normalise and validate one snapshot (a domain error is returned, not raised)."""
    return backfill.build_outcome(source, policy)


def fan_out(sources: list[Source], policy: ReadingPolicy) -> list[backfill.Outcome]:
    futures = build_task.map(sources, policy=unmapped(policy))
    return [future.result() for future in futures]


@flow(name="backfill_releases", log_prints=False)
def backfill_releases(
    snapshot_dir: str,
    output: str = str(DEFAULT_OUTPUT),
    allow_mass_deletion: bool = False,
    base_url: str | None = None,
    latest_copy: bool | None = None,
    strict: bool = False,
    readings: str | None = None,
) -> dict[str, Any]:
    """Rebuild the release history from a folder of dated snapshots, in date order."""
    logger = get_run_logger()
    progress_id = create_progress_artifact(
        0.0, key=PROGRESS_KEY, description="Instantanés traités (%)"
    )

    def progress(done: int, total: int) -> None:
        update_progress_artifact(progress_id, 100.0 * done / max(total, 1))  # type: ignore[arg-type]

    result = backfill.backfill(
        Path(snapshot_dir),
        Path(output),
        allow_mass_deletion,
        mapper=fan_out,
        step=as_task,
        progress=progress,
        base_url=base_url,
        latest_copy=latest_copy,
        strict=strict,
        readings=readings,
    )
    for failure in result.failures:
        logger.warning("snapshot failed: %s", failure)
    lines = [
        f"- {len(result.published)} versions publiées : {', '.join(result.published) or 'aucune'}",
        f"- {result.unchanged} instantanés sans changement",
        *(f"- Échec : {markdown_escape(line)}" for line in result.failures),
    ]
    create_markdown_artifact(
        f"# Reprise de l'historique ({result.snapshots} instantanés)\n\n" + "\n".join(lines) + "\n",
        key=BACKFILL_KEY,
    )
    return result.to_dict()


def dask_runner(address: str | None = None, workers: int = 2):  # type: ignore[no-untyped-def]
    """A DaskTaskRunner on an existing cluster, or on a local one of ``workers`` processes."""
    from prefect_dask import DaskTaskRunner

    if address:
        return DaskTaskRunner(address=address)
    return DaskTaskRunner(
        cluster_kwargs={"n_workers": workers, "processes": True, "threads_per_worker": 1}
    )
