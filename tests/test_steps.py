"""One step registry: ``pipeline.STEPS`` names the steps once, in order; the Prefect flow makes
its tasks from it, and the plain run and the flow run go through the same steps in that order."""

from __future__ import annotations

import inspect
import time

import pytest

from rdv_opendata import pipeline

ORDER = ["fetch", "archive", "parse", "normalise", "validate", "diff", "publish"]


def recorded_plain_run(output) -> tuple[pipeline.RunResult, list[str]]:
    """A run without an orchestrator, through its own runner, recording the steps it calls."""
    called: list[str] = []

    def recording(function, /, *args, **kwargs):
        called.append(function.__name__)
        return pipeline.direct(function, *args, **kwargs)

    return pipeline.run(None, output, step=recording), called


def test_the_registry_names_each_step_once_in_order():
    assert [step.name for step in pipeline.STEPS] == ORDER
    for step in pipeline.STEPS:
        assert step.function.__name__ == step.name
        # the pipeline's function of that name is the step's
        assert getattr(pipeline, step.name) is step.function
        assert pipeline.step_of(step.function) is step


def test_only_the_fetch_step_reads_the_network():
    assert [step.name for step in pipeline.STEPS if step.network] == ["fetch"]


def test_a_function_that_is_not_a_step_is_refused():
    with pytest.raises(LookupError, match="candidate is not a step of the pipeline"):
        pipeline.direct(pipeline.candidate, {}, {})


def test_the_plain_run_calls_every_step_in_the_registry_order(tmp_path):
    # the run without an orchestrator is this one with its default runner, direct
    assert inspect.signature(pipeline.run).parameters["step"].default is pipeline.direct
    result, called = recorded_plain_run(tmp_path)
    assert result.status == "published"
    assert called == ORDER
    _, again = recorded_plain_run(tmp_path)  # same bytes: stops after archiving
    assert again == ORDER[:2]


def test_the_flow_builds_one_task_per_step_from_the_registry():
    from flows import publish_flow

    assert list(publish_flow.TASKS) == [step.function for step in pipeline.STEPS]
    for step in pipeline.STEPS:
        made = publish_flow.TASKS[step.function]
        assert made.name == step.name and made.fn is step.function
        assert made.retries == 0
        assert (publish_flow.NETWORK_TAG in made.tags) == step.network


def task_run_names(flow_run_id, expected: int, timeout: float = 60.0) -> list[str]:
    """The step names of a flow run's task runs, in the order they started (the API records
    them from events: wait until all are there and finished)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    deadline = time.monotonic() + timeout
    with get_client(sync_client=True) as client:
        while True:
            runs = client.read_task_runs(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
            )
            done = [r for r in runs if r.state is not None and r.state.is_final()]
            if len(done) >= expected or time.monotonic() > deadline:
                break
            time.sleep(0.5)
    done.sort(key=lambda r: r.start_time.timestamp() if r.start_time else float("inf"))
    return [r.name.rsplit("-", 1)[0] for r in done]


@pytest.mark.slow
@pytest.mark.usefixtures("prefect_harness")
def test_the_flow_runs_the_registry_as_tasks_in_the_plain_runs_order(tmp_path):
    from flows.publish_flow import publish_release

    state = publish_release(source=None, output=str(tmp_path / "flow"), return_state=True)
    assert state.is_completed()
    assert state.result()["status"] == "published"
    names = task_run_names(state.state_details.flow_run_id, expected=len(ORDER))
    assert names == ORDER == [step.name for step in pipeline.STEPS]
    _, plain = recorded_plain_run(tmp_path / "plain")
    assert plain == names
