"""A fingerprint of the code and schemas that turn source bytes into data.

The "same source bytes" shortcut is only sound while the reader is the same: a new grammar or a
new schema can give other data from the very same bytes (a MAJOR release for Contract 2, say).
So ``state.json`` records this fingerprint beside the source's SHA-256, and the shortcut is taken
only when both match.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from normalise.readings import DEFAULT_POLICY, ReadingPolicy

_ROOT = Path(__file__).resolve().parent.parent
#: what reading depends on: extraction, normalisation, the schemas (and their writers)
READER_PARTS = ("extract/*.py", "normalise/*.py", "schemas/*.py", "schemas/tables/*.json")


@cache
def _code_fingerprint() -> str:
    digest = hashlib.sha256()
    for pattern in READER_PARTS:
        for path in sorted(_ROOT.glob(pattern)):
            digest.update(path.relative_to(_ROOT).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def reader_fingerprint(policy: ReadingPolicy = DEFAULT_POLICY) -> str:
    """The code, the schemas and the reviewed readings (a new reading republishes), and whether
    the run is strict."""
    digest = hashlib.sha256(_code_fingerprint().encode())
    digest.update(policy.fingerprint().encode())
    return digest.hexdigest()[:16]
