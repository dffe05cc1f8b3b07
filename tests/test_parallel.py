"""Work given to a second process (``core/parallel.py``): what it makes is what the run would
have made itself, its errors are the run's, and a second process that dies or outlives a failed
run never leaves the run waiting or the outputs half made."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from core import parallel, standby
from core.errors import NormaliseError, PublishError
from core.settings import SECOND_PROCESS_FROM_ROWS
from rdv_opendata import settings
from tests.golden.series import build_series, digests, read_digests

ROOT = Path(__file__).resolve().parent.parent


# functions the second process runs: module-level, as pickling by reference asks


def add(a: int, b: int) -> int:
    return a + b


def pid() -> int:
    return os.getpid()


def refuse(message: str) -> None:
    raise NormaliseError(message)


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def sleep_then_touch(seconds: float, path: str) -> None:
    time.sleep(seconds)
    Path(path).touch()


def die_halfway() -> None:
    """Write the start of a result, then die (killed while it sends back)."""
    os.write(int(sys.argv[1]), b"\x80\x05\x95half a result")
    os._exit(0)


def unpicklable() -> object:
    return lambda: None


def keywords(*, version: str, created: str) -> str:
    return f"{version} {created}"


def test_the_result_comes_back_from_another_process():
    with parallel.started("a sum", add, 2, 3) as pending:
        assert pending.result() == 5
    with parallel.started("a process id", pid) as pending:
        assert pending.result() != os.getpid()


def test_keyword_arguments_travel_too():
    with parallel.started("keywords", keywords, version="1.0.0", created="today") as pending:
        assert pending.result() == "1.0.0 today"


def test_large_arguments_and_results_travel_whole():
    rows = [{"type_id": f"type-{n}", "text": "é" * (n % 50)} for n in range(20_000)]
    with parallel.started("a copy", list, rows) as pending:
        assert pending.result() == rows


def test_an_error_of_the_work_is_raised_by_the_run_as_its_own():
    with parallel.started("a refusal", refuse, "row 3, column « Modalités »: unread") as pending:
        with pytest.raises(NormaliseError, match="row 3, column « Modalités »: unread"):
            pending.result()


def test_a_second_process_that_dies_fails_the_run_with_a_publish_error():
    with parallel.started("the site in en", die) as pending:
        with pytest.raises(PublishError, match=r"stopped \(exit code -9\) before it made the site"):
            pending.result()


def test_a_second_process_that_dies_while_it_sends_back_fails_the_run():
    with parallel.started("the history and the catalogue", die_halfway) as pending:
        with pytest.raises(PublishError, match="stopped .* before it made the history"):
            pending.result()


def test_a_result_that_cannot_travel_is_a_publish_error():
    with parallel.started("a function", unpicklable) as pending:
        with pytest.raises(PublishError, match="cannot send back its result"):
            pending.result()


def test_leaving_the_block_early_stops_the_second_process(tmp_path):
    """A run that fails before it waits: the second process does not go on writing."""
    marker = tmp_path / "written"
    with pytest.raises(RuntimeError):
        with parallel.started("a slow write", sleep_then_touch, 1.0, str(marker)):
            raise RuntimeError("the run failed")
    time.sleep(1.5)
    assert not marker.exists()


@pytest.mark.parametrize("wanted", [True, False])
def test_meanwhile_gives_the_same_answer_in_either_process(wanted):
    with parallel.meanwhile(wanted, "a sum", add, 20, 22) as answer:
        assert answer() == 42


def test_a_script_without_a_main_guard_runs_once(tmp_path):
    """``multiprocessing``'s spawn would run the top of the calling script again in the
    second process; ours never imports the caller's main module."""
    log = tmp_path / "runs.log"
    script = tmp_path / "script.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import sys
            sys.path.insert(0, {str(ROOT)!r})
            with open({str(log)!r}, "a") as f:
                f.write("run\\n")
            from core import parallel
            import operator
            with parallel.started("a sum", operator.add, 1, 2) as pending:
                print(pending.result())
            """
        ),
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "3"
    assert log.read_text(encoding="utf-8") == "run\n"


@pytest.mark.parametrize(
    ("rows", "threshold", "expected"),
    [(10_000, 2_000, True), (1_999, 2_000, False), (0, 0, True), (10**6, None, False)],
)
def test_worth_it_from_the_threshold(monkeypatch, rows, threshold, expected):
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    assert parallel.worth_it(rows, threshold) is expected


def test_never_on_a_single_core(monkeypatch):
    monkeypatch.setattr(parallel, "cores", lambda: 1)
    assert not parallel.worth_it(10**6, 0)


@pytest.mark.parametrize(
    ("said", "expected"),
    [("", SECOND_PROCESS_FROM_ROWS), ("0", 0), ("5000", 5000), ("never", None), ("NEVER", None)],
)
def test_the_threshold_from_the_environment(monkeypatch, said, expected):
    monkeypatch.setenv(settings.SECOND_PROCESS_ENV, said)
    assert settings.second_process_from() == expected


@pytest.mark.parametrize("said", ["-1", "1e3", "many", "2 000"])
def test_a_threshold_that_is_not_rows_is_refused_naming_the_variable(monkeypatch, said):
    monkeypatch.setenv(settings.SECOND_PROCESS_ENV, said)
    with pytest.raises(PublishError, match=settings.SECOND_PROCESS_ENV):
        settings.second_process_from()


@pytest.fixture()
def given_work(monkeypatch) -> list[str]:
    """What the run gives to second processes, on a machine of several cores."""
    given: list[str] = []

    class Recorded(parallel.Pending):
        def __init__(self, what, function, *args, **kwargs):
            given.append(what)
            super().__init__(what, function, *args, **kwargs)

    monkeypatch.setattr(parallel, "cores", lambda: 2)
    monkeypatch.setattr(parallel, "Pending", Recorded)
    return given


EVERY_PART = {
    "the workbook",
    "the workbooks in other languages",
    "the site in en",
    "the history and the catalogue",
}


@pytest.mark.slow
def test_a_series_made_with_second_processes_is_byte_identical(tmp_path, monkeypatch, given_work):
    """Every run of the golden series gives the workbooks, the site in the other languages and
    the history to second processes (threshold 0): every file is the reviewed one."""
    monkeypatch.setenv(settings.SECOND_PROCESS_ENV, "0")
    found, expected = digests(build_series(tmp_path)), read_digests()
    assert set(given_work) == EVERY_PART
    assert sorted(found) == sorted(expected)
    assert [name for name in expected if found[name] != expected[name]] == []


@pytest.mark.slow
@pytest.mark.usefixtures("prefect_harness")
def test_a_flow_run_gives_the_same_outputs_with_second_processes(tmp_path, monkeypatch, given_work):
    """Through the Prefect flow (its steps are tasks, in threads), the second processes make
    what a run without them makes: the release, the site, the history and the catalogue."""
    from flows.publish_flow import publish_release
    from rdv_opendata import pipeline

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1608422400")  # one clock for both runs
    monkeypatch.setenv(settings.SECOND_PROCESS_ENV, "never")
    pipeline.run(None, tmp_path / "alone")
    assert given_work == []
    monkeypatch.setenv(settings.SECOND_PROCESS_ENV, "0")
    result = publish_release(source=None, output=str(tmp_path / "flow"))
    assert result["status"] == "published"
    assert set(given_work) == EVERY_PART

    def outputs(folder: Path) -> dict[str, str]:
        kept = ("releases/", "site/", "history.sqlite", "catalog.jsonld")
        return {k: v for k, v in digests(folder).items() if k.startswith(kept)}

    alone, flow = outputs(tmp_path / "alone"), outputs(tmp_path / "flow")
    assert len(alone) > 50 and any(name.startswith("site/en/") for name in alone)
    assert flow == alone


def test_an_unchanged_run_starts_no_second_process(tmp_path, monkeypatch, given_work):
    """Nothing to rebuild, nothing given away: a second process costs its start."""
    from rdv_opendata import pipeline

    monkeypatch.setenv(settings.SECOND_PROCESS_ENV, "0")
    pipeline.run(None, tmp_path)
    assert set(given_work) == EVERY_PART
    given_work.clear()
    assert pipeline.run(None, tmp_path).status == "unchanged"
    assert given_work == []


@pytest.fixture()
def given_standby(monkeypatch) -> list[str]:
    """What the run gives to the command's standby (``core.standby``)."""
    given: list[str] = []
    give = standby.Standby.give

    def recorded(self, what, function, *args, **kwargs):
        given.append(what)
        return give(self, what, function, *args, **kwargs)

    monkeypatch.setattr(standby.Standby, "give", recorded)
    return given


#: what a publish of a small table gives its standby, its imports first
STANDBY_PARTS = [
    "its imports",
    "the schemas",
    "the workbook",
    "the workbooks in other languages",
    "the check of the written package",
    "the history and the catalogue",
]


@pytest.mark.slow
def test_a_series_made_with_a_standby_is_byte_identical(tmp_path, given_standby):
    """Every run of the golden series gives the schemas, the workbooks, the check of the written
    package and the history to the standby: every file is the reviewed one."""
    with standby.standing_by(settings.STANDBY_MODULES):
        found = digests(build_series(tmp_path))
    expected = read_digests()
    assert given_standby == [STANDBY_PARTS[0], *STANDBY_PARTS[1:] * 3]
    assert sorted(found) == sorted(expected)
    assert [name for name in expected if found[name] != expected[name]] == []


def test_a_publish_without_the_orchestrator_has_a_standby(tmp_path, monkeypatch, given_standby):
    """``rdv-opendata publish --no-orchestrator`` starts one on a machine of several cores,
    and none when second processes are turned off; the release is the same."""
    from rdv_opendata.cli import main

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1608422400")  # one clock for both runs
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    assert main(["publish", "--no-orchestrator", "--output", str(tmp_path / "standby")]) == 0
    assert given_standby == STANDBY_PARTS
    given_standby.clear()
    monkeypatch.setenv(settings.SECOND_PROCESS_ENV, "never")
    assert main(["publish", "--no-orchestrator", "--output", str(tmp_path / "alone")]) == 0
    assert given_standby == []

    def release(folder: Path) -> dict[str, str]:
        return {k: v for k, v in digests(folder).items() if k.startswith("releases/")}

    assert len(release(tmp_path / "alone")) > 20
    assert release(tmp_path / "standby") == release(tmp_path / "alone")
