"""Write, audit, then publish: the outputs a run changes are switched in together, or not at all.

A run builds every output it changes (the catalog, ``latest``, ``latest.json``, the history, the
DCAT catalogue, the site, the state, the record of attempts) in a staging folder inside the output
folder (same file system), named as in the output folder (``ReleaseStore.staged``). Once all are
built and audited, ``commit``:

1. checks that each can take its place (a folder where a file belongs, a link: refused, with
   nothing changed);
2. writes the journal ``.switch.json`` naming them with their inode numbers, in one atomic write:
   **this is the commit** (one output alone, most often the record of an unchanged run, needs
   none: its one rename is the commit);
3. puts each in its place (``atomic.replace_path``), in the order of ``layout.SWITCHED`` (the
   catalog first), then removes the journal and the staging folder, which holds the old
   outputs (``reclaim``: a large one, a site of thousands of files, by a process of its own).

A run stopped before the journal leaves every output as it was (the next run removes the staging
folder as a leftover); a run killed after it is finished by the next one (``finish``), before
anything else. The inode numbers make that idempotent: an output already in its place is known
by its number, and whatever then sits at its staged name is the old one, to delete.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from core.errors import PublishError
from publish.layout import LATEST, RELEASES_DIR, SITE_DIR, STAGING_PREFIX, SWITCH_FILE, SWITCHED
from publish.release.atomic import crash_point, fsync_dir, remove, replace_path, write_atomic
from publish.release.reclaim import reclaim
from publish.release.spare import retire

#: a release version as a folder may be named: semantic, nothing else (it becomes a path)
VERSION = re.compile(r"^(?:0|[1-9][0-9]{0,8})\.(?:0|[1-9][0-9]{0,8})\.(?:0|[1-9][0-9]{0,8})$")


def begin(root: Path) -> Path:
    """A new, empty staging folder in the output folder ``root``."""
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
    staging.chmod(0o755)  # mkdtemp makes it private; what it holds is for everyone
    return staging


def staged_names(staging: Path) -> list[str]:
    """What the staging folder holds, in the order it is switched: the new releases' folders
    (``releases/<version>``, never listed yet), then the outputs of ``layout.SWITCHED``."""
    releases = staging / RELEASES_DIR
    new = (
        sorted(f"{RELEASES_DIR}/{p.name}" for p in releases.iterdir()) if releases.is_dir() else []
    )
    return [*new, *(name for name in SWITCHED if os.path.lexists(staging / name))]


def switched(name: str) -> bool:
    """Whether a run may switch in ``name``: an output of ``layout.SWITCHED`` or a release."""
    folder, _, version = name.partition("/")
    return name in SWITCHED or (folder == RELEASES_DIR and bool(VERSION.match(version)))


def check_targets(root: Path, staging: Path, names: list[str]) -> None:
    """Refuse, before the commit, an output that could not be replaced: a folder where a file
    belongs or the reverse, or a symbolic link (other than ``latest``, which may be one)."""
    for name in names:
        target = root / name
        if not os.path.lexists(target) or (name == LATEST and target.is_symlink()):
            continue
        if name.startswith(f"{RELEASES_DIR}/"):
            raise PublishError(f"{name} already exists in {root}: nothing was published")
        if target.is_symlink():
            raise PublishError(
                f"{name} is a symbolic link in {root}: refusing to replace it (it would write "
                "outside the output folder); remove it. Nothing was published"
            )
        staged_folder = (staging / name).is_dir() and not (staging / name).is_symlink()
        if target.is_dir() and not staged_folder and name != LATEST:
            raise PublishError(
                f"{name} is a folder in {root}, where a file belongs: remove it. Nothing was "
                "published"
            )
        if staged_folder and not target.is_dir():
            raise PublishError(
                f"{name} is a file in {root}, where a folder belongs: remove it. Nothing was "
                "published"
            )


def commit(root: Path, staging: Path) -> list[str]:
    """Switch in what ``staging`` holds (see the module's doc); returns the names switched."""
    names = staged_names(staging)
    check_targets(root, staging, names)
    if not names:
        remove(staging)
        return []
    if len(names) == 1:  # one output (a run's record, most often): one rename is atomic
        crash_point("outputs-staged")
        replace_path(staging / names[0], root / names[0], step=f"switch-{names[0]}")
        remove(staging)
        return names
    journal = {
        "staging": staging.name,
        "outputs": [{"name": n, "inode": os.lstat(staging / n).st_ino} for n in names],
    }
    crash_point("outputs-staged")
    write_atomic(
        root / SWITCH_FILE,
        (json.dumps(journal, indent=2) + "\n").encode("utf-8"),
        step="switch-journal-tmp-written",
    )
    crash_point("switch-journal-written")
    finish(root)
    return names


def finish(root: Path) -> list[str]:
    """Finish a committed switch that a killed run left (nothing when there is no journal);
    returns what was done."""
    path = root / SWITCH_FILE
    if not os.path.lexists(path):
        return []
    staging, outputs = _read_journal(root, path)
    done = []
    for name, inode in outputs:
        staged, target = staging / name, root / name
        if _inode(target) == inode:  # already in place: what is left at the staged name is old
            remove(staged)
            continue
        if _inode(staged) != inode:
            raise PublishError(
                f"cannot finish the switch of {SWITCH_FILE} in {root}: {name} is neither in "
                f"place nor in {staging.name}; restore the output folder from a backup"
            )
        target.parent.mkdir(exist_ok=True)  # releases/, for the first release
        step = f"switch-{name.partition('/')[0]}"  # a release: switch-releases
        # one fsync of each folder, below; the old output stays in the staging folder, garbage
        replace_path(staged, target, step=step, sync=False, keep_old=True)
        done.append(f"switched in {name}")
    for folder in {(root / name).parent for name, _ in outputs}:
        fsync_dir(folder)
    path.unlink()  # lost in a crash, the journal is finished again: everything is in place
    retire(staging / SITE_DIR, root)  # the old site, when large: the next build's spare
    reclaim(staging)  # the old outputs: a large site is deleted by a process of its own
    return done


def _read_journal(root: Path, path: Path) -> tuple[Path, list[tuple[str, int]]]:
    """The journal's staging folder and outputs, each checked (it names paths to replace)."""
    try:
        journal: Any = json.loads(path.read_text(encoding="utf-8"))
        staging = journal["staging"]
        outputs = [(o["name"], o["inode"]) for o in journal["outputs"]]
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise PublishError(
            f"{path} is not a switch journal ({exc}); restore the output folder from a backup"
        ) from None
    if (
        not isinstance(staging, str)
        or not staging.startswith(STAGING_PREFIX)
        or "/" in staging
        or any(
            not isinstance(n, str) or not switched(n) or not isinstance(i, int) for n, i in outputs
        )
    ):
        raise PublishError(f"{path} names what a run never switches; restore it from a backup")
    return root / staging, outputs


def _inode(path: Path) -> int | None:
    try:
        return os.lstat(path).st_ino
    except FileNotFoundError:
        return None
