"""Importing a library without one of its optional companions.

Some libraries import an optional package when they can, for a feature this project never uses,
and pay for it at every start: pandera's built-in checks import hypothesis (its data synthesis),
warcio imports fsspec (to open remote files by name in its command-line tools; fsspec reads
every installed distribution's entry points as it loads). ``without`` makes such an import fail
as if the package were not installed, for the time of the block, so that the library takes the
way it takes without it. A package the process has imported already is kept: the library then
sees it, as it would have anyway.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def without(*packages: str) -> Iterator[None]:
    """Inside the block, ``import <package>`` raises ImportError for each of ``packages`` not
    imported yet."""
    hidden = [name for name in packages if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # what makes an import fail
    try:
        yield
    finally:
        for name in hidden:
            if sys.modules.get(name, "") is None:
                del sys.modules[name]
