"""Work of a run done in a second process, while the run goes on with the rest (issue 19).

A publish of a large table spends most of its time on parts that do not depend on each other: a
workbook per language, the site's pages, feeds and calendars per language, the history database.
Most machines have more than one core; the run gives one such part to a second process and does
the others meanwhile, then waits for it (``started``). The caller decides when it is worth it: a
second process costs its start and its imports (a few tenths of a second), so small tables are
done in the run's own process.

The second process is a fresh interpreter (``BOOTSTRAP``), not a fork: it inherits none of the
run's threads or locks (Prefect's, pyarrow's). The work is a module-level function; the import
path, the function and its arguments travel pickled on its standard input, and the result on a
pipe of its own. It is an optimisation only, never a difference: what it makes is what the run
would have made itself, byte for byte (``tests/test_parallel.py``). An error it raises is raised
by the run as if the run had met it; a second process that dies (killed, out of memory) fails the
run with a ``PublishError``, and a run that fails first stops the second process before it goes
on.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO, Generic, TypeVar

from core import standby
from core.errors import PublishError
from core.standby import outcome, spawn

T = TypeVar("T")

#: the second process's first steps: take the run's import path, then do the work it is sent.
#: The run's main module is never imported again (``multiprocessing``'s ``spawn`` does, and so
#: runs a second time the top of a script that has no ``__main__`` guard).
BOOTSTRAP = (
    "import pickle, sys; sys.path[:] = pickle.load(sys.stdin.buffer); "
    "from core.parallel import serve; serve(sys.stdin.buffer, int(sys.argv[1]))"
)


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


def serve(job: BinaryIO, result_fd: int) -> None:
    """In the second process: read the work (a pickled function and its arguments) from ``job``,
    do it, and write ``("done", result)`` or ``("failed", exception)``, pickled, to
    ``result_fd``."""
    standby.serving()
    function, args, kwargs = pickle.load(job)
    data = outcome(function, args, kwargs)
    with os.fdopen(result_fd, "wb") as result:
        result.write(data)


def _send(stdin: BinaryIO, path: list[str], job: bytes) -> None:
    """Write the import path and the work to the second process (from a thread: the run goes on
    while the second process starts and reads)."""
    with contextlib.suppress(OSError):  # it died: result() says so
        with stdin:
            pickle.dump(path, stdin)
            stdin.write(job)


class Pending(Generic[T]):
    """``function(*args, **kwargs)`` running in a second process; ``result()`` waits for it.
    ``what`` names the work in an error (« the site in en »)."""

    def __init__(self, what: str, function: Callable[..., T], *args: Any, **kwargs: Any) -> None:
        self.what = what
        job = pickle.dumps((function, args, kwargs), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self._process, self._result = spawn(BOOTSTRAP)
        except OSError as exc:
            raise PublishError(f"cannot start a second process for {what}: {exc}") from None
        assert self._process.stdin is not None
        self._sender = threading.Thread(
            target=_send, args=(self._process.stdin, list(sys.path), job), daemon=True
        )
        self._sender.start()

    def result(self) -> T:
        """What the work returned, or the exception it raised, raised here."""
        with self._result:
            data = self._result.read()
        code = self._process.wait()
        self._sender.join()
        try:
            outcome, value = pickle.loads(data)
        except Exception:  # nothing, or the start of a result: it died before it was sent
            raise PublishError(
                f"the second process stopped (exit code {code}) before it made {self.what}"
            ) from None
        if outcome == "failed":
            raise value
        return value  # type: ignore[no-any-return]

    def stop(self) -> None:
        """Stop the second process if it still runs (the run failed or did not wait)."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        self._sender.join()
        self._result.close()


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


def elsewhere(what: str, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``function(*args, **kwargs)``, done by the command's standby if it has one (its imports
    done meanwhile, ``core.standby``), else here; ``what`` names the work in an error."""
    helper = standby.current()
    if helper is None:
        return function(*args, **kwargs)
    return helper.give(what, function, *args, **kwargs).result()


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
