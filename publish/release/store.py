"""The release store in an output folder: releases, latest, catalog, snapshots, lock, recovery.

Layout (see DATA_CONTRACT): ``releases/<version>/`` (immutable), ``latest`` (a symlink to the
newest release, or a real copy of it for static hosts, switched atomically:
``publish/release/latest.py``),
``latest.json`` (the newest version and its files), ``releases.json`` (the catalog, rewritten
atomically),
``snapshots/<sha256><ext>`` (every source ever read). ``state.json`` remembers the SHA-256 of the
last source that was published or confirmed unchanged, so identical bytes stop before parsing.

A publish builds the release in ``.building-*`` inside the output folder (same file system),
validates it there, renames it into ``releases/``, rewrites the catalog, then switches
``latest``. The catalog is the truth: a release folder that is not in it is the leftover of a
killed run, removed by the next one, and ``latest`` and ``latest.json`` are made to show the
catalog's last entry.
"""

from __future__ import annotations

import contextlib
import copy
import fcntl
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from core import parallel, settings, standby
from core.digest import sha256
from core.errors import LockHeld, PublishError, ValidationFailed
from core.problem import Problem
from core.standby import Given
from extract.redact import redact_url
from publish import layout
from publish.changes.records import CatalogEntry, ChangeRecord
from publish.formats.tabular import json_text
from publish.reading.integrity import check_sums, read_sums, sums_text
from publish.reading.load import PackageData, load_package
from publish.reading.verify import verify_package
from publish.release import switch
from publish.release.atomic import TMP_PREFIX, crash_point, fsync_dir, remove, write_atomic
from publish.release.latest import latest_is, manifest_is, point_latest, write_manifest
from publish.release.reclaim import reclaim

#: what ``state.json`` remembers of the last good run's WARC record (for a 304's revisit)
WARC_STATE = ("warc_file", "warc_record_id", "warc_target", "warc_date")
#: the kinds of refusal (``attempts.json``'s ``kind``) that hold back a changed page for a
#: person to check: the site says so (``unread_change``)
HELD_BACK = frozenset({"mass-deletion", "future-release"})
#: how many run attempts ``attempts.json`` keeps
MAX_ATTEMPTS = 500
BUILDING_PREFIX = ".building-"
#: the frictionless check of a written package: what it is called in a run's errors
_CHECK = "the check of the written package"
_WRITTEN_PACKAGE = "the written package"
PREVIOUS_PREFIX = ".previous-"
#: a release version as the catalog may name it: semantic, nothing else (it becomes a path)
VERSION = switch.VERSION


def _json_bytes(value: Any) -> bytes:
    return json_text(value).encode("utf-8")


class ReleaseStore:
    """An output folder. ``base_url`` is where it is served (every URL of the metadata is built
    on it); ``latest_copy`` makes ``latest`` a real folder rather than a link (static hosts);
    ``stale_after_days``: how long without a successful check before the site warns;
    ``second_process_from``: from how many rows in the latest release a run gives part of its
    work to a second process (``large``; None: never)."""

    #: a copy for another process (``sendable``): it builds outputs, never a release
    _sent = False

    def __init__(
        self,
        root: Path,
        *,
        base_url: str = settings.PUBLIC_BASE_URL,
        latest_copy: bool = False,
        stale_after_days: int = settings.STALE_AFTER_DAYS,
        sign_key: Any = None,
        second_process_from: int | None = settings.SECOND_PROCESS_FROM_ROWS,
    ) -> None:
        self.root = Path(root)
        self.base_url = base_url.rstrip("/")
        self.latest_copy = latest_copy
        self.stale_after_days = stale_after_days
        #: an ed25519 private key (``publish.reading.signature.load_private_key``): each release's
        #: SHA256SUMS gets a detached signature
        self.sign_key = sign_key
        self.second_process_from = second_process_from
        self.releases = self.root / layout.RELEASES_DIR
        self.latest = self.root / layout.LATEST
        self.snapshots = self.root / layout.SNAPSHOTS_DIR
        self.warcs = self.root / layout.WARC_DIR
        self.lock_path = self.root / layout.LOCK_FILE
        #: committed releases never change: each is read once per store (one build)
        self._packages: dict[str, PackageData] = {}
        #: in a staged view (``staged``): where this run's outputs are built
        self._staging: Path | None = None
        #: in a staged view: the checks of the written packages given to the command's standby,
        #: settled before its commit (``_settle_checks``)
        self._checks: list[Given[list[Problem]]] = []

    def sendable(self) -> ReleaseStore:
        """This store as it may go to a second process (``core.parallel``) that builds outputs
        from it: without the private key (never written to a pipe; it does not pickle anyway)
        and without the releases read so far (the other process reads what it needs)."""
        view = copy.copy(self)
        view.sign_key, view._packages, view._sent, view._checks = None, {}, True, []
        return view

    def large(self, rows: int) -> bool:
        """Whether a run on a release of ``rows`` rows gives part of its work to a second
        process (``core.parallel``)."""
        return parallel.worth_it(rows, self.second_process_from)

    def latest_rows(self) -> int:
        """The rows of the latest release, all tables together (0 before the first)."""
        latest = self.latest_entry()
        return sum(latest.get("rows", {}).values()) if latest else 0

    # --- where each output is read and written -------------------------------------------------

    def home(self, name: str) -> Path:
        """The folder that holds the output ``name`` (a path relative to the output folder):
        this run's staging folder when it staged it, else the output folder."""
        if self._staging is not None and os.path.lexists(self._staging / name):
            return self._staging
        return self.root

    def path(self, name: str) -> Path:
        """Where the output ``name`` is read: as this run staged it, else as published."""
        return self.home(name) / name

    def target(self, name: str) -> Path:
        """Where the output ``name`` is written: in the staging folder of a staged view."""
        return (self._staging or self.root) / name

    def staged_names(self) -> list[str]:
        """The outputs this staged view has built so far (none for the store itself)."""
        return switch.staged_names(self._staging) if self._staging is not None else []

    @property
    def catalog_path(self) -> Path:
        return self.path(layout.CATALOG_FILE)

    @property
    def state_path(self) -> Path:
        return self.path(layout.STATE_FILE)

    @property
    def attempts_path(self) -> Path:
        return self.path(layout.ATTEMPTS_FILE)

    @property
    def site(self) -> Path:
        return self.path(layout.SITE_DIR)

    @contextlib.contextmanager
    def staged(self) -> Iterator[ReleaseStore]:
        """A view of this store whose writes go to a staging folder, switched in together when
        the block ends without an exception (``switch.commit``), else dropped with every release
        folder the block moved into ``releases/``: everything stays as it was. Audit what was
        built before the block ends. Call with the lock held."""
        view = copy.copy(self)
        view._checks = []
        try:
            switch.finish(self.root)  # never a new commit over one not yet switched in
            view._staging = switch.begin(self.root)
        except OSError as exc:
            raise PublishError(f"cannot write to {self.root}: {exc.strerror or exc}") from None
        try:
            yield view
            view._settle_checks()  # a written package that fails its check is never committed
            switch.commit(self.root, view._staging)
        except OSError as exc:
            if self._abandon(view):
                raise PublishError(
                    f"cannot write the outputs in {self.root}: {exc.strerror or exc}"
                ) from None
            raise PublishError(
                f"the run's outputs are committed in {self.root} but not all in place "
                f"({exc.strerror or exc}): the next run puts them in place"
            ) from None
        except Exception as exc:
            failed = view._failed_check(exc)
            self._abandon(view)
            if failed is not None:  # the cause: what was built after it read a wrong package
                raise failed from exc
            raise
        except BaseException:
            self._abandon(view)
            raise

    def _settle_checks(self) -> None:
        """Wait for the checks of the written packages given to the standby; the first that
        found problems refuses the run."""
        for check in self._checks:
            if errors := check.result():
                raise ValidationFailed.of(_WRITTEN_PACKAGE, errors)

    def _failed_check(self, raised: Exception) -> ValidationFailed | None:
        """When the block raised ``raised`` before its checks were settled: the refusal of a
        check that found problems (it is the cause), else None (a check that could not end
        says nothing: ``raised`` stands)."""
        if isinstance(raised, ValidationFailed) and raised.errors:
            return None  # raised by a check, or by the run's own validation
        try:
            self._settle_checks()
        except ValidationFailed as refusal:
            return refusal
        except Exception:  # a check that could not end says nothing
            pass
        return None

    def _abandon(self, view: ReleaseStore) -> bool:
        """Drop what a staged view built, unless it committed (the next run then finishes the
        switch); returns whether it was dropped."""
        if os.path.lexists(self.root / layout.SWITCH_FILE):
            return False
        if view._staging is not None:
            remove(view._staging)
        return True

    # --- locking and recovery ------------------------------------------------------------------

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Exclusive lock on the output folder; a second publisher fails at once."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            if self.lock_path.is_symlink():
                raise PublishError(
                    f"{self.lock_path.name} is a symbolic link in {self.root}: refusing to write "
                    "through it; remove it"
                )
            # O_NOFOLLOW: a link swapped in at this moment is refused too, never truncated
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
            handle = os.fdopen(fd, "r+")
        except OSError as exc:
            raise PublishError(f"cannot write to {self.root}: {exc.strerror}") from None
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "another process"
                raise LockHeld(
                    f"another publish is running on {self.root} (lock held by {holder}); "
                    "try again when it has finished"
                ) from None
            handle.seek(0)
            handle.truncate()
            handle.write(f"pid {os.getpid()}")
            handle.flush()
            yield
        finally:
            handle.close()

    def check_layout(self) -> None:
        """Refuse an output folder whose parts lead elsewhere: deleting through a link to another
        folder would delete what is not ours."""
        for part in (self.releases, self.snapshots, self.warcs, self.site):
            if part.is_symlink():
                raise PublishError(
                    f"{part.name} is a symbolic link in {self.root}: refusing to publish through "
                    "it (it would write or delete outside the output folder)"
                )

    def recover(self) -> list[str]:
        """Clean what a killed run left behind; returns what was done (for the run report).
        The catalog and the layout are checked before anything is deleted."""
        if not self.root.exists():
            return []
        self.check_layout()
        finished = switch.finish(self.root)  # a run killed after its commit: switched in now
        known = {entry["version"] for entry in self.catalog()}
        return [
            *finished,
            *self._remove_leftovers(),
            *self._remove_unpublished(known),
            *self._show_latest(),
        ]

    def _remove_leftovers(self) -> list[str]:
        """Folders being built or removed, temporary files: in the output folder, and temporary
        files in ``snapshots/`` and ``releases/``."""
        done = []
        for leftover in self.root.iterdir():
            if leftover.name.startswith(
                (BUILDING_PREFIX, PREVIOUS_PREFIX, TMP_PREFIX, layout.STAGING_PREFIX)
            ):
                remove(leftover)
                done.append(f"removed leftover {leftover.name}")
            elif leftover.name.startswith(layout.TRASH_PREFIX):
                reclaim(leftover)  # garbage whose deleting process stopped: said nowhere
        for folder in (self.snapshots, self.warcs, self.releases):
            if folder.is_dir():
                for leftover in folder.glob(f"{TMP_PREFIX}*"):
                    remove(leftover)
                    done.append(f"removed leftover {folder.name}/{leftover.name}")
        return done

    def _remove_unpublished(self, known: set[str]) -> list[str]:
        """Release folders the catalog does not list: a run killed before its commit."""
        done = []
        if self.releases.is_dir():
            for folder in self.releases.iterdir():
                if folder.name not in known:
                    remove(folder)
                    done.append(f"removed unpublished release folder {folder.name}")
        return done

    def _show_latest(self) -> list[str]:
        """``latest`` and ``latest.json`` made to show the catalog's last release."""
        done: list[str] = []
        last = self.latest_entry()
        if last is not None:
            if not latest_is(self.root, last["version"], copy=self.latest_copy):
                point_latest(self.root, last["version"], copy=self.latest_copy)
                done.append(f"pointed latest at {last['version']}")
            if not manifest_is(self.root, last, self.base_url):
                write_manifest(self.root, last, self.base_url)
                done.append(f"rewrote {layout.LATEST_JSON} for {last['version']}")
        return done

    # --- catalog and state ---------------------------------------------------------------------

    def catalog(self) -> list[CatalogEntry]:
        """The catalog's entries, each checked: a dict with a semantic ``version`` (it names a
        folder, so nothing else may get through)."""
        if not self.catalog_path.exists():
            return []
        try:
            raw = json.loads(self.catalog_path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise PublishError(f"{self.catalog_path} is not valid JSON ({exc})") from None
        except OSError as exc:
            raise PublishError(f"cannot read {self.catalog_path}: {exc.strerror}") from None
        entries = raw.get("releases") if isinstance(raw, dict) else None
        if not isinstance(entries, list):
            raise PublishError(
                f'{self.catalog_path} is not a catalog (expected {{"releases": [...]}}); '
                "restore it from a backup"
            )
        for number, entry in enumerate(entries, start=1):
            version = entry.get("version") if isinstance(entry, dict) else None
            if not isinstance(version, str) or not VERSION.match(version):
                raise PublishError(
                    f"{self.catalog_path} entry {number} has no valid version "
                    f"({str(version)[:40]!r}); restore the catalog from a backup"
                )
        return entries

    def latest_entry(self) -> CatalogEntry | None:
        catalog = self.catalog()
        return catalog[-1] if catalog else None

    def release_path(self, version: str) -> Path:
        """A release's folder: as this run staged it, else as published."""
        return self.path(layout.release_dir(version))

    def package(self, version: str, *, intact: bool | None = None) -> PackageData:
        """A committed release's package, read once per store (releases are immutable); a
        ``PublishError`` when it cannot be read. An intact release (its ``SHA256SUMS`` checked
        here, or by the caller: ``intact=True``) is read from its JSON files, as written; any
        other from its CSV files, typed by its schemas (``load_package``)."""
        if version not in self._packages:
            folder = self.release_path(version)
            if intact is None:
                intact = not check_sums(folder)
            self._packages[version] = load_package(folder, intact=intact)
        return self._packages[version]

    def descriptor(self, version: str) -> dict[str, Any]:
        """A committed release's ``datapackage.json``: its package's when the package was read,
        else the descriptor alone (an unchanged run asks only this, not every table); a
        ``PublishError`` naming the file when it cannot be read or is not an object."""
        if version in self._packages:
            return self._packages[version].descriptor
        where = f"{layout.release_dir(version)}/{layout.DESCRIPTOR_FILE}"
        try:
            descriptor = json.loads(self.path(where).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise PublishError(f"{where} is unreadable ({exc})") from None
        if not isinstance(descriptor, dict):
            raise PublishError(f"{where} is not a package descriptor")
        return descriptor

    def changes(self, version: str) -> ChangeRecord | None:
        """A release's ``changes.json``; None when it has none (a release of an older layout),
        a ``PublishError`` naming the file when it cannot be read or is not a change record."""
        where = f"{layout.release_dir(version)}/{layout.CHANGES_FILE}"
        try:
            changes = json.loads(self.path(where).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise PublishError(f"{where} is unreadable ({exc})") from None
        if not isinstance(changes, dict) or not isinstance(changes.get("resources", {}), dict):
            raise PublishError(f"{where} is not a change record")
        return changes  # type: ignore[return-value]

    def sums(self, version: str) -> list[tuple[str, str]]:
        """A release's ``SHA256SUMS`` as (digest, name) pairs; a ``PublishError`` naming the
        file when it is missing or unreadable."""
        return read_sums(self.release_path(version))

    def latest_package(self) -> PackageData | None:
        """The newest release, after checking it is intact: never diff against a corrupt one."""
        entry = self.latest_entry()
        if entry is None:
            return None
        folder = self.release_path(entry["version"])
        problems = check_sums(folder)
        if problems:
            raise PublishError(
                f"the latest release {entry['version']} is corrupt ({problems[0]}); restore "
                f"{folder} from a backup (rdv-opendata validate {folder} lists every problem)"
            )
        return self.package(entry["version"], intact=True)

    def state(self) -> dict[str, Any]:
        if not self.state_path.exists():
            return {}
        try:
            state = json.loads(self.state_path.read_text(encoding="utf-8"))
        except (ValueError, OSError):
            return {}  # an unreadable state only costs a full run
        if not isinstance(state, dict):
            return {}
        return {k: v for k, v in state.items() if isinstance(v, str) or v is None}

    def last_good_source(self, reader: str | None = None) -> str | None:
        """The SHA-256 of the last source published or found unchanged, if it was read by
        ``reader`` (a fingerprint of the reading code) and checked against the catalog's latest
        release; None otherwise. A run killed after the catalog moved but before the state was
        written leaves them apart: then the shortcut is not taken."""
        state = self.state()
        if reader is not None and state.get("reader") != reader:
            return None
        latest = self.latest_entry()
        if latest is None or state.get("latest") != latest["version"]:
            return None
        return state.get("source_sha256")

    def validators(self, location: str) -> tuple[str | None, str | None]:
        """ETag and Last-Modified of the last good run, when it read the same URL."""
        state = self.state()
        if state.get("location") != redact_url(location) or self.latest_entry() is None:
            return None, None
        return state.get("etag"), state.get("last_modified")

    def mark_good(
        self,
        source_sha256: str | None,
        source: dict[str, Any],
        reader: str | None = None,
        capture: dict[str, Any] | None = None,
    ) -> None:
        """Remember the last source that was published or found unchanged, and by which reader;
        with its WARC record (``capture``) when it holds the page (a 304's revisit refers to
        the response before it, which stays the one remembered)."""
        previous = self.state()
        latest = self.latest_entry()
        state = {
            "source_sha256": source_sha256 or previous.get("source_sha256"),
            "reader": reader or previous.get("reader"),
            "latest": latest["version"] if latest else None,
            **recorded(source),
            **{key: previous.get(key) for key in WARC_STATE},
        }
        if capture is not None and capture.get("record_type") != "revisit":
            state |= {key: capture.get(key.removeprefix("warc_")) for key in WARC_STATE}
        if self.state_path.is_file() and state == previous:
            return  # nothing new to remember (a file read again, unchanged)
        try:
            write_atomic(
                self.target(layout.STATE_FILE), _json_bytes(state), step="state-tmp-written"
            )
        except OSError as exc:
            raise PublishError(
                f"cannot write {self.root / layout.STATE_FILE}: {exc.strerror or exc}"
            ) from None

    # --- run attempts --------------------------------------------------------------------------

    def attempts(self) -> list[dict[str, Any]]:
        """Every run's attempt, oldest first (``record_attempt``); an unreadable file: none."""
        try:
            raw = json.loads(self.attempts_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        found = raw.get("attempts") if isinstance(raw, dict) else None
        return [a for a in found if isinstance(a, dict)] if isinstance(found, list) else []

    def record_attempt(self, attempt: dict[str, Any]) -> None:
        """Append one run's attempt (time, outcome, one-line reason, source); the newest
        ``MAX_ATTEMPTS`` are kept. Call with the lock held."""
        kept = [*self.attempts(), attempt][-MAX_ATTEMPTS:]
        try:
            write_atomic(
                self.target(layout.ATTEMPTS_FILE),
                _json_bytes({"attempts": kept}),
                step="attempts-tmp-written",
            )
        except OSError as exc:
            raise PublishError(
                f"cannot write {self.root / layout.ATTEMPTS_FILE}: {exc.strerror or exc}"
            ) from None

    def unread_change(self) -> dict[str, Any] | None:
        """The last attempt when it stopped on a source that differs from the latest release's:
        the page changed and could not be read (failed), or a guard held it back for a person
        to check (refused, of a kind in ``HELD_BACK``: not a rollback, which is an older page
        rather than a change); else None."""
        attempts = self.attempts()
        last = attempts[-1] if attempts else {}
        if not last.get("source_changed"):
            return None
        if last.get("outcome") == "failed" or (
            last.get("outcome") == "refused" and last.get("kind") in HELD_BACK
        ):
            return last
        return None

    # --- snapshots -----------------------------------------------------------------------------

    def archive(self, data: bytes, suffix: str, meta: dict[str, Any] | None = None) -> Path:
        """Keep the exact source bytes under ``snapshots/<sha256><suffix>``, never overwritten,
        with how they were first retrieved (location, time, ETag, Last-Modified) beside them."""
        target = self.snapshots / f"{sha256(data)}{suffix}"
        try:
            self.snapshots.mkdir(parents=True, exist_ok=True)
            if not _holds(target, data):  # missing, or not the bytes its name promises
                write_atomic(target, data, step="snapshot-tmp-written")
                if meta is not None:
                    write_atomic(
                        target.with_name(target.name + layout.SNAPSHOT_META_SUFFIX),
                        _json_bytes(recorded(meta)),
                    )
        except OSError as exc:
            raise PublishError(
                f"cannot archive the source in {self.snapshots}: {exc.strerror or exc}"
            ) from None
        return target

    def archive_capture(self, name: str, data: bytes) -> str:
        """Keep a WARC file under ``warc/<name>``, never overwritten; its path relative to the
        output folder."""
        target = self.warcs / name
        try:
            self.warcs.mkdir(parents=True, exist_ok=True)
            if not _holds(target, data):
                if target.exists():
                    raise PublishError(
                        f"{layout.warc_file(name)} exists with other bytes: refusing to overwrite "
                        "a WARC file"
                    )
                write_atomic(target, data, step="warc-tmp-written")
        except OSError as exc:
            raise PublishError(
                f"cannot archive the source's WARC in {self.warcs}: {exc.strerror or exc}"
            ) from None
        return layout.warc_file(name)

    def earlier_response(self) -> dict[str, str] | None:
        """The WARC record of the last good run's response (what a 304 says is still current),
        when the state remembers one."""
        state = self.state()
        found = {key: state.get(key) for key in WARC_STATE}
        if not all(found.values()) or not state.get("source_sha256"):
            return None
        return {**found, "source_sha256": state["source_sha256"]}  # type: ignore[dict-item]

    def signer(self) -> str | None:
        """The fingerprint of the key that signs the releases, None when they are not signed."""
        if self.sign_key is None:
            return None
        from publish.reading.signature import fingerprint

        return fingerprint(self.sign_key)

    def chain_head(self) -> dict[str, str] | None:
        """The latest release and the SHA-256 of its SHA256SUMS: what the next release chains
        to (``evidence.json``'s ``previous``); None before the first release."""
        latest = self.latest_entry()
        if latest is None:
            return None
        sums = self.release_path(latest["version"]) / layout.SUMS_FILE
        try:
            return {"version": latest["version"], "sha256sums": sha256(sums.read_bytes())}
        except OSError as exc:
            raise PublishError(
                f"cannot read {layout.release_dir(latest['version'])}/{layout.SUMS_FILE}: "
                f"{exc.strerror or exc}"
            ) from None

    # --- publishing ----------------------------------------------------------------------------

    def publish(self, version: str, write: Callable[[Path], None], entry: CatalogEntry) -> Path:
        """Build a release with ``write(folder)``, validate it, and make it the latest."""
        if self._sent:
            raise PublishError("a store sent to another process never publishes (it cannot sign)")
        relative = layout.release_dir(version)
        if os.path.lexists(self.root / relative) or os.path.lexists(self.target(relative)):
            raise PublishError(f"release {version} already exists in {self.releases}")
        final = self.target(relative)  # in the staging folder of a staged view
        final.parent.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(prefix=BUILDING_PREFIX, dir=self.root))
        moved = committed = False
        try:
            building.chmod(0o755)  # mkdtemp makes it private; a release is for everyone
            write(building)
            (building / layout.SUMS_FILE).write_text(sums_text(building), encoding="utf-8")
            if self.sign_key is not None:
                from publish.reading.signature import sign

                signature = sign(self.sign_key, (building / layout.SUMS_FILE).read_bytes())
                (building / layout.SIGNATURE_FILE).write_bytes(signature)
            # in a staged view, the command's standby checks while the run builds its outputs
            helper = standby.current() if self._staging is not None else None
            if helper is None:
                errors = verify_package(building)
                if errors:
                    raise ValidationFailed.of(_WRITTEN_PACKAGE, errors)
            crash_point("release-built")
            building.rename(final)
            moved = True
            fsync_dir(final.parent)
            if helper is not None:
                self._checks.append(helper.give(_CHECK, verify_package, final))
            crash_point("release-moved")
            catalog = [*self.catalog(), entry]
            write_atomic(
                self.target(layout.CATALOG_FILE),
                _json_bytes({"releases": catalog}),
                step="catalog-tmp-written",
            )
            committed = True
            crash_point("catalog-written")
            home = self.home(relative)  # where the release is, to link, copy and list
            point_latest(home, version, copy=self.latest_copy, at=self.target(layout.LATEST))
            crash_point("latest-switched")
            write_manifest(home, entry, self.base_url, at=self.target(layout.LATEST_JSON))
        except OSError as exc:
            raise PublishError(
                f"cannot write the release in {self.root}: {exc.strerror or exc}"
            ) from None
        finally:
            remove(building)
            if moved and not committed:  # never leave a release the catalog does not list
                remove(final)
            remove(self.root / f"{PREVIOUS_PREFIX}latest")
        return self.root / relative  # where it is published (staged until switched in)


def recorded(source: dict[str, Any]) -> dict[str, Any]:
    """A source's metadata as it may be written down: its URL without credentials."""
    location = source.get("location")
    return {**source, "location": redact_url(location)} if isinstance(location, str) else source


def _holds(path: Path, data: bytes) -> bool:
    """Whether ``path`` is a regular file holding exactly ``data``."""
    if path.is_symlink() or not path.is_file() or path.stat().st_size != len(data):
        return False
    return sha256(path.read_bytes()) == sha256(data)
