"""How busy the machine's cores are during one large publish, and when its second processes start
and are waited for: where a core sits idle (issue 19). Linux only (``/proc/stat``).

    python benchmarks/timeline.py [ROWS] [RELEASES]
    # a store of RELEASES releases (default 1) of a table of ROWS rows (default 10,000), then
    # one more publish, timed: each row changed, as in make bench's g

Prints the publish's wall time, each second process's start and wait, a line of the cores' use
(four marks a second) and the idle core-seconds. A report, never a target: the bench has those.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import cold_caches, large_source

SAMPLE_S = 0.25
#: a mark per sample: fewer than 0.3 cores busy, 0.8, 1.2, 1.7, more
MARKS = ((0.3, " "), (0.8, "."), (1.2, "-"), (1.7, "="), (float("inf"), "#"))


def busy_jiffies() -> tuple[int, int]:
    """The machine's busy and total time so far (``/proc/stat``, every core)."""
    with open("/proc/stat", encoding="ascii") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    return sum(values) - values[3] - values[4], sum(values)  # less idle and iowait


class Sampler(threading.Thread):
    """Cores busy in each ``SAMPLE_S`` until ``stop``."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: list[float] = []
        self.done = threading.Event()

    def run(self) -> None:
        cores = os.cpu_count() or 1
        busy, total = busy_jiffies()
        while not self.done.wait(SAMPLE_S):
            now_busy, now_total = busy_jiffies()
            self.samples.append((now_busy - busy) / max(1, now_total - total) * cores)
            busy, total = now_busy, now_total

    def line(self) -> str:
        return "".join(next(m for limit, m in MARKS if used < limit) for used in self.samples)

    def idle(self) -> float:
        cores = os.cpu_count() or 1
        return sum(max(0.0, cores - used) * SAMPLE_S for used in self.samples)


def watch_second_processes(events: list[tuple[float, str]], start: list[float]) -> None:
    """Record when each second process starts and how long the run waits for it."""
    from core import parallel

    init, result = parallel.Pending.__init__, parallel.Pending.result

    def started(self: Any, what: str, *args: Any, **kwargs: Any) -> None:
        events.append((time.perf_counter() - start[0], f"start {what}"))
        init(self, what, *args, **kwargs)

    def waited(self: Any) -> Any:
        asked = time.perf_counter()
        try:
            return result(self)
        finally:
            waited_s = time.perf_counter() - asked
            events.append((asked - start[0], f"waited {waited_s:.2f} s for {self.what}"))

    parallel.Pending.__init__ = started  # type: ignore[method-assign]
    parallel.Pending.result = waited  # type: ignore[method-assign]


def main() -> None:
    from rdv_opendata import pipeline

    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    releases = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    with tempfile.TemporaryDirectory(prefix="rdv-timeline-") as tmp:
        work = Path(tmp)
        sources = []
        for capacity in (10, 12):
            path = work / f"places-{capacity}.txt"
            path.write_text(large_source(rows, capacity), encoding="utf-8")
            sources.append(str(path))
        for n in range(releases):
            pipeline.run(sources[n % 2], work / "out")
        os.sync()  # the files of the publishes before written out, as hours apart
        events: list[tuple[float, str]] = []
        start = [0.0]
        watch_second_processes(events, start)
        cold_caches()
        sampler = Sampler()
        start[0] = time.perf_counter()
        sampler.start()
        pipeline.run(sources[releases % 2], work / "out")
        wall = time.perf_counter() - start[0]
        sampler.done.set()
        sampler.join()
    print(f"publish of {rows:,} rows onto {releases} release(s): {wall:.2f} s")
    for at, what in events:
        print(f"{at:6.2f} s  {what}")
    print("cores busy, four marks a second (' ' none, '.' under 1, '-' 1, '=' over 1, '#' 2):")
    print(sampler.line())
    print(f"idle core-seconds: {sampler.idle():.1f} of {wall * (os.cpu_count() or 1):.1f}")


if __name__ == "__main__":
    main()
