"""A second process started at the very start of a command, which does its imports while the run
does its own, then does the parts of the run it is given, one after the other (issue 19, b).

A publish of the bundled snapshot spent a fifth of its time on work with imports of its own:
the workbooks (xlsxwriter), the standalone schemas and the check of the written package
(frictionless: its import, plugin discovery and profiles), the history and the catalogue
(sqlite3). A second process started for each (``core.parallel``) would pay its start and its
imports on the run's path; one started before the run imports pandas has them done by the time
it is given work, on a core the run leaves idle.

``standing_by(modules)`` starts it for a block, importing ``modules``; inside the block,
``core.parallel.meanwhile`` gives it the work that a small table would have done in the run's
own process (and ``ReleaseStore.publish`` the check of the written package, settled before the
commit). As with every second process, it is an optimisation
only: what it makes is what the run would have made itself, byte for byte; an error it raises
is raised by the run as its own; if it dies, the work it was given fails the run with a
``PublishError``; leaving the block stops it.

The work travels as ``core.parallel``'s does: a fresh interpreter (never a fork) reads the
import path, then one pickled ``(function, args, kwargs)`` after another on its standard input;
each outcome comes back on a pipe of its own, in the order the work was given, each preceded
by its length.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import pickle
import queue
import struct
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from typing import Any, BinaryIO, Generic, TypeVar

from core.collector import collections_spaced
from core.errors import PublishError

T = TypeVar("T")

#: the standby's first steps: the run's import path, then the work it is sent, until its input
#: ends (the run's main module is never imported again, as in ``core.parallel``)
BOOTSTRAP = (
    "import pickle, sys; sys.path[:] = pickle.load(sys.stdin.buffer); "
    "from core.standby import serve; serve(sys.stdin.buffer, int(sys.argv[1]))"
)

#: an outcome's length, before it on the pipe
_LENGTH = struct.Struct("<Q")


def outcome(function: Callable[..., Any], args: Sequence[Any], kwargs: dict[str, Any]) -> bytes:
    """``("done", result)`` or ``("failed", exception)`` of ``function(*args, **kwargs)``,
    pickled; a result or an exception that cannot be pickled is a ``PublishError``."""
    try:
        with collections_spaced():  # as in the run that gave the work
            said: tuple[str, Any] = ("done", function(*args, **kwargs))
    except Exception as exc:  # raised again in the run, as its own
        said = ("failed", exc)
    try:
        return pickle.dumps(said, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:
        failure = PublishError(f"the second process cannot send back its result: {exc}")
        return pickle.dumps(("failed", failure), protocol=pickle.HIGHEST_PROTOCOL)


def import_modules(names: Sequence[str]) -> None:
    """Import ``names``, in order (the standby's first work: what the run will give it needs
    them); ``module:function`` imports the module and calls its function (without arguments):
    the first use of a library that costs more than its import."""
    for name in names:
        module, _, function = name.partition(":")
        imported = importlib.import_module(module)
        if function:
            getattr(imported, function)()


#: in a second process (a standby or ``core.parallel``'s), the run it works for
_run: int | None = None


def working_for() -> int | None:
    """The process id of the run this process works for, in a second process; else None. A
    crash point met by the work kills that run with it (``publish.release.atomic``): a run
    killed at a step is killed whole, whichever of its processes was at that step."""
    return _run


def serving() -> None:
    """Mark this process as a second process of the run that started it."""
    global _run
    _run = os.getppid()


def serve(jobs: BinaryIO, result_fd: int) -> None:
    """In the standby: do each pickled work read from ``jobs`` and write its outcome, with its
    length first, to ``result_fd``, until ``jobs`` ends."""
    serving()
    with os.fdopen(result_fd, "wb") as results:
        while True:
            try:
                function, args, kwargs = pickle.load(jobs)
            except EOFError:
                return
            data = outcome(function, args, kwargs)
            results.write(_LENGTH.pack(len(data)) + data)
            results.flush()


def _send(stdin: BinaryIO, waiting: queue.SimpleQueue[bytes | None]) -> None:
    """Write the work to the standby as it is given (from a thread: the run never waits for
    the standby to read), then end its input."""
    with contextlib.suppress(OSError):  # it died: the work's result() says so
        with stdin:
            while (job := waiting.get()) is not None:
                stdin.write(job)
                stdin.flush()


def spawn(bootstrap: str) -> tuple[subprocess.Popen[bytes], BinaryIO]:
    """A fresh interpreter running ``bootstrap`` (``python -c``), its input a pipe, given the
    writing end of a pipe of its own as its first argument; returns it and the reading end
    (its end of file: the interpreter is gone). Its output goes to the run's errors."""
    reading, writing = os.pipe()
    try:
        process = subprocess.Popen(
            [sys.executable, "-c", bootstrap, str(writing)],
            stdin=subprocess.PIPE,
            stdout=sys.stderr.fileno() if has_fileno(sys.stderr) else subprocess.DEVNULL,
            pass_fds=(writing,),
        )
    except OSError:
        os.close(reading)
        raise
    finally:
        os.close(writing)  # the process holds the only writing end: EOF when it dies
    return process, os.fdopen(reading, "rb")


class Standby:
    """A second process doing the work it is given, in order; start it with ``standing_by``."""

    def __init__(self, modules: Sequence[str]) -> None:
        self._process, self._results = spawn(BOOTSTRAP)
        self._received: list[tuple[str, Any] | None] = []  # outcomes read, in order
        self._given = 0
        self._waiting: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._waiting.put(pickle.dumps(list(sys.path), protocol=pickle.HIGHEST_PROTOCOL))
        assert self._process.stdin is not None
        self._sender = threading.Thread(
            target=_send, args=(self._process.stdin, self._waiting), daemon=True
        )
        self._sender.start()
        self.give("its imports", import_modules, list(modules))

    def give(self, what: str, function: Callable[..., T], *args: Any, **kwargs: Any) -> Given[T]:
        """``function(*args, **kwargs)`` done by the standby after the work given before;
        ``result()`` of what this returns waits for it. ``what`` names the work in an error."""
        job = pickle.dumps((function, args, kwargs), protocol=pickle.HIGHEST_PROTOCOL)
        self._waiting.put(job)
        self._given += 1
        return Given(self, self._given - 1, what)

    def outcome(self, index: int, what: str) -> tuple[str, Any]:
        """The outcome of the work given ``index``-th, reading those before it first."""
        while len(self._received) <= index:
            self._received.append(self._read())
        said = self._received[index]
        if said is None:
            if self._process.poll() is None:  # what it sent cannot be read: it is no use
                self._process.kill()
            code = self._process.wait()
            raise PublishError(
                f"the second process stopped (exit code {code}) before it made {what}"
            )
        return said

    def _read(self) -> tuple[str, Any] | None:
        """The next outcome on the pipe; None once the standby is gone (died or stopped)."""
        try:
            head = self._results.read(_LENGTH.size)
            if len(head) < _LENGTH.size:
                return None
            data = self._results.read(_LENGTH.unpack(head)[0])
            said = pickle.loads(data)
        except Exception:  # the start of an outcome: it died while it sent it
            return None
        return said  # type: ignore[no-any-return]

    def stop(self) -> None:
        """End the standby's input and stop it if it still runs (work not asked for is not
        waited for)."""
        self._waiting.put(None)
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        self._sender.join()
        self._results.close()


class Given(Generic[T]):
    """Work given to the standby; ``result()`` waits for it."""

    def __init__(self, standby: Standby, index: int, what: str) -> None:
        self.standby, self.index, self.what = standby, index, what

    def result(self) -> T:
        """What the work returned, or the exception it raised, raised here."""
        said, value = self.standby.outcome(self.index, self.what)
        if said == "failed":
            raise value
        return value  # type: ignore[no-any-return]


_current: ContextVar[Standby | None] = ContextVar("standby", default=None)


def current() -> Standby | None:
    """The standby of the block (``standing_by``), if any."""
    return _current.get()


@contextlib.contextmanager
def standing_by(modules: Sequence[str], wanted: bool = True) -> Iterator[Standby | None]:
    """A standby importing ``modules`` for the block (when ``wanted``; else none), stopped when
    the block is left. A standby that cannot start leaves the run as it would be without."""
    standby = None
    if wanted:
        with contextlib.suppress(OSError):
            standby = Standby(modules)
    token = _current.set(standby)
    try:
        yield standby
    finally:
        _current.reset(token)
        if standby is not None:
            standby.stop()


def has_fileno(stream: Any) -> bool:
    try:
        stream.fileno()
    except (AttributeError, OSError, ValueError):  # pytest's capture, a notebook
        return False
    return True
