"""Work of a run done in a second process, while the run goes on with the rest (issue 19).

A publish of a large table spends most of its time on parts that do not depend on each other: a
workbook per language, the site's pages, feeds and calendars per language, the history database.
Most machines have more than one core; the run gives one such part to a second process and does
the others meanwhile, then waits for it (``started``). The caller decides when it is worth it: a
second process costs its start and its imports (a few tenths of a second), so small tables are
done in the run's own process.

The second process is a fresh interpreter (``core.standby.BOOTSTRAP``), not a fork: it inherits
none of the run's threads or locks (Prefect's, pyarrow's). The work is a module-level function;
the import path, the function and its arguments travel pickled on its standard input, and the
result on a pipe of its own (``core.standby``, the one way for work to travel). It is an
optimisation only, never a difference: what it makes is what the run would have made itself,
byte for byte (``tests/test_parallel.py``). An error it raises is raised by the run as if the
run had met it; a second process that dies (killed, out of memory) fails the run with a
``PublishError``, and a run that fails first stops the second process before it goes on.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

from core import standby
from core.errors import PublishError

T = TypeVar("T")


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def worth_it(rows: int, from_rows: int | None) -> bool:
    """Whether a run of ``rows`` rows gives work to a second process: from ``from_rows`` rows
    (None: never), on a machine with more than one core."""
    return from_rows is not None and rows >= from_rows and cores() > 1


class Pending(Generic[T]):
    """``function(*args, **kwargs)`` running in a second process; ``result()`` waits for it.
    ``what`` names the work in an error (« the site in en »). The second process is a standby
    given this one work (``core.standby``: one way for work to travel)."""

    def __init__(self, what: str, function: Callable[..., T], *args: Any, **kwargs: Any) -> None:
        self.what = what
        try:
            self._standby = standby.Standby(())
        except OSError as exc:
            raise PublishError(f"cannot start a second process for {what}: {exc}") from None
        self._given = self._standby.give(what, function, *args, **kwargs)

    def result(self) -> T:
        """What the work returned, or the exception it raised, raised here."""
        return self._given.result()

    def stop(self) -> None:
        """Stop the second process if it still runs (the run failed or did not wait)."""
        self._standby.stop()


@contextlib.contextmanager
def meanwhile(
    wanted: bool, what: str, function: Callable[..., T], *args: Any, **kwargs: Any
) -> Iterator[Callable[[], T]]:
    """A way to get ``function(*args, **kwargs)`` later in the block: started now in a second
    process when ``wanted``; else given now to the command's standby if it has one
    (``core.standby``), else done here when it is asked for."""
    if wanted:
        with started(what, function, *args, **kwargs) as pending:
            yield pending.result
        return
    helper = standby.current()
    if helper is not None:
        yield helper.give(what, function, *args, **kwargs).result
        return
    yield lambda: function(*args, **kwargs)


@contextlib.contextmanager
def started(
    what: str, function: Callable[..., T], *args: Any, **kwargs: Any
) -> Iterator[Pending[T]]:
    """``function(*args, **kwargs)`` started in a second process for the block: call
    ``result()`` in it. Leaving the block stops the process if it still runs."""
    pending = Pending(what, function, *args, **kwargs)
    try:
        yield pending
    finally:
        pending.stop()
