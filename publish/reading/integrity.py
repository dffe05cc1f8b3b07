"""SHA256SUMS of a release: the digest of every file it holds, checkable with ``sha256sum -c``.

``sums_text`` writes it, ``parse_sums`` is its one parser (``read_sums`` its one reader, with
one error policy), ``check_sums`` checks a folder against it."""

from __future__ import annotations

from pathlib import Path

from core.digest import sha256_file
from core.errors import PublishError
from publish.layout import SIGNATURE_FILE, SUMS_FILE
from publish.reading.untrusted import inside

#: the files of a release that SHA256SUMS does not list: itself, and its signature
UNLISTED = (SUMS_FILE, SIGNATURE_FILE)


def _listed(path: Path, folder: Path) -> bool:
    return path.is_file() and path.relative_to(folder).as_posix() not in UNLISTED


def sums_text(folder: Path) -> str:
    files = sorted(p for p in folder.rglob("*") if _listed(p, folder))
    return "".join(f"{sha256_file(p)}  {p.relative_to(folder).as_posix()}\n" for p in files)


def parse_sums(text: str) -> list[tuple[str, str]]:
    """The (digest, relative name) pairs of a SHA256SUMS text, in its order; a line without the
    two-space separator is kept with an empty name (``check_sums`` reports it)."""
    pairs = []
    for line in text.splitlines():
        digest, _, name = line.partition("  ")
        pairs.append((digest, name))
    return pairs


def read_sums(folder: Path) -> list[tuple[str, str]]:
    """The pairs of ``folder``'s SHA256SUMS; a ``PublishError`` naming the file when it is
    missing or cannot be read as text."""
    path = folder / SUMS_FILE
    try:
        return parse_sums(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PublishError(f"{path} is unreadable ({exc})") from None


def check_sums(folder: Path) -> list[str]:
    """Problems found (one line each): a file whose digest differs, missing, or not listed."""
    sums = folder / SUMS_FILE
    if not sums.is_file():
        return [f"{folder}: no {SUMS_FILE} file"]
    try:
        text = sums.read_text(encoding="utf-8")
    except (OSError, ValueError) as exc:
        reason = "not UTF-8 text" if isinstance(exc, ValueError) else exc.strerror
        return [f"{SUMS_FILE} is unreadable ({reason}: edited or corrupted after publication)"]
    problems, listed = [], set()
    for digest, name in parse_sums(text):
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
        if _listed(path, folder) and name not in listed:
            problems.append(f"{name}: not part of the release (not in {SUMS_FILE})")
    return problems
