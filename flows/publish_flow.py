"""The Prefect flow ``publish_release``: each step of ``rdv_opendata.pipeline.run`` as a task.

The tasks are thin wrappers named after the steps; the flow hands them to ``pipeline.run``, so
the orchestrated and the plain runs share one sequence of steps. Prefect's caching is off (our
own content hash decides whether a release happens) and no task retries: only network I/O will.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import Task, flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.artifacts import report_failure, report_run
from flows.quiet_logs import quiet_domain_tracebacks
from rdv_opendata import pipeline
from rdv_opendata.errors import RdvError
from rdv_opendata.settings import DEFAULT_OUTPUT

quiet_domain_tracebacks()

STEPS = {
    "fetch": pipeline.read,
    "archive": pipeline.archive,
    "parse": pipeline.parse,
    "normalise": pipeline.normalise,
    "validate": pipeline.validate,
    "diff": pipeline.plan,
    "publish": pipeline.publish,
}
TASKS: dict[str, Task] = {
    name: task(function, name=name, cache_policy=NO_CACHE) for name, function in STEPS.items()
}


def as_task(name: str, function: Any, *args: Any) -> Any:
    assert STEPS[name] is function, f"step {name!r} is not the function its task wraps"
    return TASKS[name](*args)


@flow(name="publish_release", log_prints=False)
def publish_release(
    source: str | None = None,
    output: str = str(DEFAULT_OUTPUT),
    allow_mass_deletion: bool = False,
    observed: str | None = None,
    allow_rollback: bool = False,
) -> dict[str, Any]:
    """Read the source, archive it, and publish a new release when its data changed."""
    logger = get_run_logger()
    try:
        result = pipeline.run(
            source,
            Path(output),
            allow_mass_deletion,
            step=as_task,
            log=logger.warning,
            observed=observed,
            allow_rollback=allow_rollback,
        ).to_dict()
    except RdvError as exc:
        report_failure(str(exc))
        raise
    except Exception as exc:  # not anticipated: the run still leaves its failure artifact
        report_failure(f"unexpected {type(exc).__name__}: {exc}")
        raise
    report_run(result)
    logger.info(
        "%s %s (%s)", result["status"], result["version"], result["bump"] or result["reason"]
    )
    return result
