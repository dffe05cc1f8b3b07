"""The cyclic garbage collector paused over work that makes many objects and no garbage cycle."""

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
