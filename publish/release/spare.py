"""The site a run replaced, kept as a spare: the next build takes its files' places (their inodes
and blocks) for the files it writes under the same names, instead of deleting 40,000 files and
creating 40,000 new ones.

Why: on this project's machine (ext4, no journal, online discard), a file created while many
recently deleted ones sit in its block group costs the kernel 50-150 µs (``find_inode_bit`` skips
each inode deleted in the last minutes, reading its table block), against about 10 µs for a
rename and an overwrite; and deleting the old site made the disk discard its blocks. At 10,000
appointment types a publish writes about 40,000 feeds and calendars.

The life of a spare, one at most, ``layout.SITE_SPARE`` in the output folder:

1. **retired** (``retire``): the site a commit replaced is renamed the spare, when it is large
   (``KEEP_ABOVE`` entries) and there is none; otherwise it is garbage, as before (``reclaim``);
2. **claimed** (``claim``): a site build renames it beside its building folder (``spare_of``),
   so that a killed build leaves it as a leftover of that build (``BUILDING_PREFIX``), which
   ``recover`` removes;
3. **reused** (``website.files.recycling``): each file written takes the spare's file of the
   same name, when it is a regular file of ours with no other link;
4. **reclaimed** (``release_spare``): what the build did not reuse is deleted after it.

A reader of the site never sees a spare: ``site/`` is switched whole (``atomic.replace_path``),
and a spare is a site that was replaced at least one build before its files are rewritten. Only a
reader still holding a file it opened then would see the file's new content.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from publish import layout
from publish.release.reclaim import BACKGROUND_ABOVE, larger_than, reclaim

#: a site of more entries than this is kept as the spare; a smaller one, a real table's site of
#: about a hundred files, is deleted at once, as before: its build gains nothing from a spare
KEEP_ABOVE = BACKGROUND_ABOVE
#: the suffix of a claimed spare, beside the building folder that reuses it
CLAIMED_SUFFIX = ".spare"


def spare_of(building: Path) -> Path:
    """Where the build in ``building`` keeps the spare it claimed."""
    return building.with_name(building.name + CLAIMED_SUFFIX)


def _is_folder(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def retire(old_site: Path, root: Path) -> bool:
    """Keep ``old_site``, a site just replaced, as the spare of the output folder ``root`` when
    it is large and there is none (returns True); else it stays garbage, the caller's."""
    spare = root / layout.SITE_SPARE
    if _is_folder(old_site) and not os.path.lexists(spare) and larger_than(old_site, KEEP_ABOVE):
        try:
            os.rename(old_site, spare)
            return True
        except OSError:
            pass
    return False


def claim(root: Path, building: Path) -> Path | None:
    """Take the spare of ``root`` for the build in ``building``: returns where it now is
    (``spare_of(building)``), or None when there is none (or it is not a folder)."""
    spare, claimed = root / layout.SITE_SPARE, spare_of(building)
    if not _is_folder(spare):
        return None
    try:
        os.rename(spare, claimed)
    except OSError:
        return None
    return claimed if _is_folder(claimed) else None


def release_spare(building: Path) -> None:
    """Delete what the build in ``building`` left of the spare it claimed."""
    claimed = spare_of(building)
    if os.path.lexists(claimed):
        reclaim(claimed)
