"""The cyclic garbage collector over a run: its collections spaced out (``collections_spaced``),
and paused over work that makes many objects and no garbage cycle (``collector_paused``).

A publish of a large table holds hundreds of thousands of small objects (rows, cells, lines),
and each of the collector's full collections walks them all: with the default thresholds, a
fifth of a 10,000-row publish went there (``make bench``, measure g)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused, then as it was (enabled or not). For work that makes
    hundreds of thousands of small objects kept to its end (a site's pages, lines and events, a
    workbook's cells) and no cycle to collect: each collection it would trigger walks the whole
    heap, the releases' rows too. Objects are still freed as soon as nothing refers to them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


#: a run's thresholds: a young collection every 50,000 allocations rather than 700, so that the
#: full ones, which walk every object, come rarely; cycles are still collected (bs4's trees)
RUN_THRESHOLDS = (50_000, 20, 100)


@contextmanager
def collections_spaced() -> Iterator[None]:
    """The collector's collections spaced out for a run (``RUN_THRESHOLDS``), then as they
    were."""
    before = gc.get_threshold()
    gc.set_threshold(*RUN_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)
