"""The standby (``core/standby.py``): a second process started before the run's imports, doing
the work it is given in order. What it makes is what the run would have made itself, its
errors are the run's, and a standby that dies or outlives its block never leaves the run waiting
or the outputs half made."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from core import parallel, standby
from core.errors import NormaliseError, PublishError

# functions the standby runs: module-level, as pickling by reference asks


def pid() -> int:
    return os.getpid()


def add(a: int, b: int, *, times: int = 1) -> int:
    return (a + b) * times


def refuse(message: str) -> None:
    raise NormaliseError(message)


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def unpicklable() -> object:
    return lambda: None


def sleep_then_touch(seconds: float, path: str) -> None:
    time.sleep(seconds)
    Path(path).touch()


def is_imported(name: str) -> bool:
    import sys

    return name in sys.modules


MARKS: list[str] = []


def mark() -> None:
    MARKS.append("called")


def test_work_is_done_by_another_process_in_the_order_it_was_given():
    with standby.standing_by([]) as helper:
        assert helper is not None and standby.current() is helper
        first = helper.give("a sum", add, 1, 2)
        second = helper.give("a pid", pid)
        third = helper.give("a product", add, 2, 3, times=4)
        # asked out of order: the outcomes before it are read and kept
        assert third.result() == 20
        assert second.result() != os.getpid()
        assert first.result() == 3
        assert second.result() == helper.give("its pid again", pid).result()
    assert standby.current() is None


def test_its_imports_are_done_before_the_work_it_is_given():
    with standby.standing_by(["json.tool"]) as helper:
        assert helper is not None
        assert helper.give("a check", is_imported, "json.tool").result() is True


def test_a_module_and_function_is_imported_then_called():
    MARKS.clear()
    standby.import_modules(["json", f"{__name__}:mark"])
    assert MARKS == ["called"]


def test_a_warm_up_that_fails_is_no_reason_to_fail_the_work():
    with standby.standing_by(["no_such_module_here"]) as helper:
        assert helper is not None
        assert helper.give("a sum", add, 20, 22).result() == 42


def test_an_error_of_the_work_is_raised_by_the_run_as_its_own_and_the_standby_goes_on():
    with standby.standing_by([]) as helper:
        assert helper is not None
        refused = helper.give("a refusal", refuse, "no such hour")
        after = helper.give("a sum", add, 1, 1)
        with pytest.raises(NormaliseError, match="no such hour"):
            refused.result()
        assert after.result() == 2


def test_a_standby_that_dies_fails_the_work_given_naming_it():
    with standby.standing_by([]) as helper:
        assert helper is not None
        done = helper.give("a sum", add, 1, 2)
        helper.give("a death", die)
        lost = helper.give("the workbook", add, 3, 4)
        assert done.result() == 3
        with pytest.raises(PublishError, match="stopped .* before it made the workbook"):
            lost.result()


def test_a_result_that_cannot_travel_is_a_publish_error():
    with standby.standing_by([]) as helper:
        assert helper is not None
        with pytest.raises(PublishError, match="cannot send back its result"):
            helper.give("a function", unpicklable).result()
        assert helper.give("a sum", add, 2, 2).result() == 4


def test_leaving_the_block_stops_the_standby(tmp_path):
    """A run that fails before it waits: the standby does not go on writing."""
    marker = tmp_path / "written"
    with pytest.raises(RuntimeError):
        with standby.standing_by([]) as helper:
            assert helper is not None
            helper.give("a slow write", sleep_then_touch, 1.0, str(marker))
            raise RuntimeError("the run failed")
    time.sleep(1.5)
    assert not marker.exists()
    assert helper._process.poll() is not None


def test_not_wanted_starts_nothing():
    with standby.standing_by(["json"], wanted=False) as helper:
        assert helper is None and standby.current() is None
        with parallel.meanwhile(False, "a pid", pid) as answer:
            assert answer() == os.getpid()


def test_meanwhile_gives_small_work_to_the_standby():
    """Work a small table does in the run's own process goes to the standby when there is one;
    a large table's still gets a second process of its own."""
    here = os.getpid()
    with standby.standing_by([]) as helper:
        assert helper is not None
        theirs = helper.give("its pid", pid).result()
        with parallel.meanwhile(False, "a pid", pid) as small:
            assert small() == theirs
        with parallel.meanwhile(True, "a pid", pid) as large:
            assert large() not in (here, theirs)
