"""The Prefect flow ``publish_release``: each step of ``rdv_opendata.pipeline.run`` as a task.

The tasks are made from the pipeline's registry, ``pipeline.STEPS``, one per step and named
after it; the flow hands ``pipeline.run`` a runner that runs each step as its task, so the
orchestrated and the plain runs share one sequence of steps and there is no second list of
them here. Prefect's caching is off (our own content hash decides whether a release happens)
and no task retries: the fetch step retries network failures itself (``extract/fetch.py``, with
backoff and Retry-After), and a task retry on top would multiply its waits and retry refusals
that cannot change (a 404, the size cap); its task is tagged ``network`` instead, for a Prefect
concurrency limit. A new release is announced through Apprise from the flow body, a failure
from the ``on_failure`` hook (so a deployment's failed runs notify too);
``rdv-opendata-notifications`` says where to.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar, cast

from prefect import Task, flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.logging.loggers import flow_run_logger

from core.errors import RdvError
from flows.artifacts import report_failure, report_notifications, report_run
from flows.quiet_logs import quiet_domain_tracebacks
from rdv_opendata import notify, pipeline
from rdv_opendata.settings import DEFAULT_OUTPUT, NOTIFY_BLOCK
from website.alert_words import failure_kind

quiet_domain_tracebacks()

P = ParamSpec("P")
R = TypeVar("R")
#: the tag of the tasks of steps that read the network
NETWORK_TAG = "network"


def step_task(step: pipeline.Step) -> Task[..., Any]:
    """The Prefect task of one step of the pipeline, named after it."""
    make = task(
        name=step.name,
        cache_policy=NO_CACHE,
        retries=0,
        tags=[NETWORK_TAG] if step.network else None,
    )
    return make(step.function)


#: step function -> its task, for every step of the registry
TASKS: dict[Callable[..., Any], Task[..., Any]] = {
    step.function: step_task(step) for step in pipeline.STEPS
}


def as_task(function: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
    """The flow's runner (``pipeline.Runner``): the step ``function`` run as its task."""
    step = pipeline.step_of(function)  # a function that is not a step is refused
    return cast(R, TASKS[step.function](*args, **kwargs))


def failure_reason(exc: BaseException) -> str:
    """The one-line reason a run failed, as its artifact and its notification give it."""
    return str(exc) if isinstance(exc, RdvError) else f"unexpected {type(exc).__name__}: {exc}"


def send_notification(message: tuple[str, str], notify_type: str, log: Any) -> None:
    """Send the run's message to the targets (the environment, else the Secret block) and
    report where it went; a failed notification is logged, never raised."""
    deliveries = notify.notify(message, log, notify_type, block=NOTIFY_BLOCK)
    try:
        report_notifications(message[0], deliveries)
    except Exception as exc:
        log(f"notification report not saved: {type(exc).__name__}: {exc}")


def notify_failure(flow: Any, flow_run: Any, state: Any) -> None:
    """``on_failure`` hook: every failed run, a deployment's included, notifies its reason."""
    try:
        logger = flow_run_logger(flow_run, flow)
        try:
            exc = state.result(raise_on_failure=False)
        except Exception:
            exc = None
        error = exc if isinstance(exc, BaseException) else None  # its reason: in the logs
        parameters = getattr(flow_run, "parameters", None) or {}
        context = notify.store_context(
            parameters.get("output", str(DEFAULT_OUTPUT)), parameters.get("base_url")
        )
        message = notify.failure_message(failure_kind(error), context)
        send_notification(message, "failure", logger.warning)
    except Exception as exc:  # a hook that raises gets a traceback in the run's logs
        flow_run_logger(flow_run, flow).warning(
            "notification not sent: %s: %s", type(exc).__name__, exc
        )


@flow(name="publish_release", log_prints=False, on_failure=[notify_failure])
def publish_release(
    source: str | None = None,
    output: str = str(DEFAULT_OUTPUT),
    allow_mass_deletion: bool = False,
    observed: str | None = None,
    allow_rollback: bool = False,
    base_url: str | None = None,
    latest_copy: bool | None = None,
    strict: bool = False,
    readings: str | None = None,
    stale_after_days: int | None = None,
    sign_key: str | None = None,
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
            base_url=base_url,
            latest_copy=latest_copy,
            strict=strict,
            readings=readings,
            stale_after_days=stale_after_days,
            sign_key=sign_key,
        ).to_dict()
    except Exception as exc:  # anticipated or not, the run leaves its failure artifact
        report_failure(failure_reason(exc))
        raise
    report_run(result)
    logger.info(
        "%s %s (%s)", result["status"], result["version"], result["bump"] or result["reason"]
    )
    if result["status"] == "published":
        context = notify.store_context(output, base_url)
        send_notification(notify.release_message(result, context), "info", logger.warning)
    return result
