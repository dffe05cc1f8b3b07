"""SHA256SUMS of a release: the digest of every file it holds, checkable with ``sha256sum -c``."""

from __future__ import annotations

import hashlib
from pathlib import Path

from publish.reading.untrusted import inside

SUMS_FILE = "SHA256SUMS"


def sha256_file(path: Path) -> str:
    """The file's SHA-256, read in blocks of 1 MiB (a history database may be large)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sums_text(folder: Path) -> str:
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != SUMS_FILE)
    return "".join(f"{sha256_file(p)}  {p.relative_to(folder).as_posix()}\n" for p in files)


def check_sums(folder: Path) -> list[str]:
    """Problems found (one line each): a file whose digest differs, missing, or not listed."""
    sums = folder / SUMS_FILE
    if not sums.is_file():
        return [f"{folder}: no {SUMS_FILE} file"]
    problems, listed = [], set()
    for line in sums.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        listed.add(name)
        path = inside(folder, name)
        if path is None:
            problems.append(f"{name}: outside the package (not read)")
        elif not path.is_file():
            problems.append(f"{name}: listed in {SUMS_FILE} but missing")
        elif sha256_file(path) != digest:
            problems.append(f"{name}: hash mismatch (edited or corrupted after publication)")
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_file() and path.name != SUMS_FILE and name not in listed:
            problems.append(f"{name}: not part of the release (not in {SUMS_FILE})")
    return problems
