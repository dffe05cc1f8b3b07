"""The release chain, and its check: ``rdv-opendata verify OUTPUT``.

Each release holds ``evidence.json``, listed in its ``SHA256SUMS`` like every file::

    {"version": "1.1.0",
     "previous": {"version": "1.0.0", "sha256sums": "<SHA-256 of releases/1.0.0/SHA256SUMS>"},
     "source": {"sha256": "<the source's SHA-256>",
                "warc": {"file": "warc/….warc.gz", "sha256": "<the WARC file's SHA-256>",
                         "record_id": "<urn:uuid:…>", "record_type": "response",
                         "payload_digest": "sha256:<base32>", "target": "…", "date": "…"}}}

A release's ``SHA256SUMS`` thus covers every byte of it, the link to the one before included,
and through that link every release before it: changing one byte anywhere breaks a link. With
``--sign-key`` each ``SHA256SUMS`` is also signed (``SHA256SUMS.sig``, ``signature.py``).

``verify_chain`` walks the catalog from its first release and raises ``BrokenChain`` naming the
first broken link in one line. Releases made before the chain existed (no ``evidence.json``)
are checked against their own ``SHA256SUMS``; the chain starts at the first release that has
one, which records the ``SHA256SUMS`` of the release before it, so those are anchored too.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.digest import sha256, sha256_file
from core.errors import BrokenChain
from extract.warc import PAYLOAD_TYPES, find_record, sha256_hex
from publish import layout
from publish.reading.integrity import check_sums
from publish.reading.signature import fingerprint, signed_by
from publish.reading.untrusted import inside

VERSION = re.compile(r"^(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})$")


def evidence_record(
    version: str,
    previous: dict[str, str] | None,
    source_sha256: str,
    warc: dict[str, Any] | None,
    signed_by: str | None = None,
) -> dict[str, Any]:
    """A release's ``evidence.json``: its link to the release before it (``previous``: its
    version and the SHA-256 of its SHA256SUMS; None for the first), its source's WARC record,
    and the fingerprint of the key that signs its SHA256SUMS (None: not signed), so that a
    signature removed is seen even without the key."""
    return {
        "version": version,
        "previous": previous,
        "source": {"sha256": source_sha256, "warc": warc},
        "signed_by": signed_by,
    }


@dataclass(kw_only=True)
class Verdict:
    """An intact chain: its releases, those made before the chain existed, the first signed
    one, and the head (the SHA-256 of the newest ``SHA256SUMS``: record it to detect a later
    truncation)."""

    releases: list[str] = field(default_factory=list)
    before_chain: list[str] = field(default_factory=list)
    signed_from: str | None = None
    head: str | None = None

    def line(self) -> str:
        first, last = self.releases[0], self.releases[-1]
        said = f"chain intact: {len(self.releases)} release(s), {first} to {last}"
        if self.before_chain:
            said += (
                f"; {', '.join(self.before_chain)} predate the chain (checked against their "
                f"{layout.SUMS_FILE} only, anchored by the next release)"
            )
        if self.signed_from:
            said += f"; signed from {self.signed_from}"
        return f"{said}; head {layout.SUMS_FILE} sha256 {self.head}"


def _json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BrokenChain(f"{what} is missing") from None
    except (OSError, ValueError) as exc:
        raise BrokenChain(f"{what} is unreadable ({exc})") from None


def catalog_versions(root: Path) -> list[str]:
    """The catalog's versions, checked: semantic, each once, in increasing order."""
    raw = _json(root / layout.CATALOG_FILE, layout.CATALOG_FILE)
    entries = raw.get("releases") if isinstance(raw, dict) else None
    if not isinstance(entries, list) or not entries:
        raise BrokenChain(f"{layout.CATALOG_FILE} lists no release")
    versions = [e.get("version") if isinstance(e, dict) else None for e in entries]
    for number, version in enumerate(versions, start=1):
        if not isinstance(version, str) or not VERSION.match(version):
            raise BrokenChain(f"{layout.CATALOG_FILE}: entry {number} has no valid version")
    for before, after in zip(versions, versions[1:], strict=False):
        if _key(after) <= _key(before):  # type: ignore[arg-type]
            raise BrokenChain(
                f"{layout.CATALOG_FILE}: {after} is listed after {before} (releases reordered)"
            )
    return versions  # type: ignore[return-value]


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def _folders(root: Path, versions: list[str]) -> None:
    """Every release of the catalog has its folder, and no other folder is there."""
    folder = root / layout.RELEASES_DIR
    for version in versions:
        if not (folder / version).is_dir():
            raise BrokenChain(
                f"release {version} is missing ({layout.release_dir(version)} is gone)"
            )
    for extra in sorted(p.name for p in folder.iterdir() if p.name not in versions):
        raise BrokenChain(
            f"{layout.RELEASES_DIR}/{extra} is not in {layout.CATALOG_FILE} "
            "(a release added, renamed or removed from the catalog; or the leftover of a run "
            "killed before its commit, which the next run removes)"
        )


def _latest(root: Path, versions: list[str]) -> None:
    named = _json(root / layout.LATEST_JSON, layout.LATEST_JSON)
    version = named.get("version") if isinstance(named, dict) else None
    if version != versions[-1]:
        raise BrokenChain(
            f"{layout.LATEST_JSON} names {version}, but the last release of "
            f"{layout.CATALOG_FILE} is {versions[-1]} (a release removed or added)"
        )


def verify_chain(root: Path, public_key: Any = None) -> Verdict:
    """Walk the chain of the output folder ``root`` from its first release; ``BrokenChain``
    names the first broken link. ``public_key``: every release from the first signed one on
    must carry a valid signature, the newest included."""
    versions = catalog_versions(root)
    _folders(root, versions)
    walk = _Walk(root, public_key)
    for version in versions:
        walk.release(version)
    _latest(root, versions)
    if public_key is not None and walk.verdict.signed_from is None:
        raise BrokenChain(f"no release is signed ({layout.SIGNATURE_FILE} missing everywhere)")
    return walk.verdict


class _Walk:
    """The walk along the catalog: what the previous release left to check the next one by."""

    def __init__(self, root: Path, public_key: Any) -> None:
        self.root, self.public_key = root, public_key
        self.previous: dict[str, str] | None = None  # version and SHA-256 of its SHA256SUMS
        self.chain_from: str | None = None
        self.verdict = Verdict()

    def release(self, version: str) -> None:
        folder = self.root / layout.release_dir(version)
        if problems := check_sums(folder):
            raise BrokenChain(f"release {version}: {problems[0]}")
        sums = (folder / layout.SUMS_FILE).read_bytes()
        self._signature(version, folder, sums)
        if (folder / layout.EVIDENCE_FILE).exists() or self.chain_from:
            self._link(version, folder)
            self.chain_from = self.chain_from or version
        else:
            self.verdict.before_chain.append(version)
        self.previous = {"version": version, "sha256sums": sha256(sums)}
        self.verdict.releases.append(version)
        self.verdict.head = self.previous["sha256sums"]

    def _signature(self, version: str, folder: Path, sums: bytes) -> None:
        if self.public_key is None:
            return
        path = folder / layout.SIGNATURE_FILE
        if path.is_file():
            if not signed_by(self.public_key, sums, path.read_bytes()):
                raise BrokenChain(
                    f"release {version}: {layout.SIGNATURE_FILE} is not this key's signature of "
                    f"its {layout.SUMS_FILE}"
                )
            self.verdict.signed_from = self.verdict.signed_from or version
        elif self.verdict.signed_from:
            raise BrokenChain(
                f"release {version} has no {layout.SIGNATURE_FILE}, though releases are signed "
                f"since {self.verdict.signed_from}"
            )

    def _link(self, version: str, folder: Path) -> None:
        where = f"{layout.release_dir(version)}/{layout.EVIDENCE_FILE}"
        if not (folder / layout.EVIDENCE_FILE).exists():
            raise BrokenChain(
                f"release {version} has no {layout.EVIDENCE_FILE}, though the chain began at "
                f"{self.chain_from}"
            )
        evidence = _json(folder / layout.EVIDENCE_FILE, where)
        if not isinstance(evidence, dict) or evidence.get("version") != version:
            found = evidence.get("version") if isinstance(evidence, dict) else None
            raise BrokenChain(f"{where} is the evidence of release {found} (a release renamed)")
        self._signer(version, folder, evidence.get("signed_by"))
        self._previous(version, evidence.get("previous"))
        self._changes(version, folder)
        found = evidence.get("source")
        source: dict[str, Any] = found if isinstance(found, dict) else {}
        _descriptor(version, folder, source.get("sha256"))
        _warc(self.root, version, source)

    def _signer(self, version: str, folder: Path, signer: Any) -> None:
        """A release that says it is signed has its signature, by the key it names."""
        if signer is None:
            return
        if not (folder / layout.SIGNATURE_FILE).is_file():
            raise BrokenChain(
                f"release {version} was signed, but its {layout.SIGNATURE_FILE} is gone"
            )
        if self.public_key is not None and fingerprint(self.public_key) != signer:
            raise BrokenChain(
                f"release {version} was signed by another key (fingerprint {str(signer)[:16]}…)"
            )

    def _previous(self, version: str, previous: Any) -> None:
        expected = self.previous
        named = previous.get("version") if isinstance(previous, dict) else None
        if expected is None and previous is not None:
            raise BrokenChain(
                f"release {version} follows {named}, which the catalog does not list (a release "
                "removed)"
            )
        if expected is None:
            return
        if named != expected["version"]:
            raise BrokenChain(
                f"release {version} follows {named}, not {expected['version']} (a release "
                "missing, inserted or reordered)"
            )
        if previous.get("sha256sums") != expected["sha256sums"]:
            raise BrokenChain(
                f"release {expected['version']} changed after release {version} was published: "
                f"its {layout.SUMS_FILE} is not the one {version} chained to"
            )

    def _changes(self, version: str, folder: Path) -> None:
        where = f"{layout.release_dir(version)}/{layout.CHANGES_FILE}"
        changes = _json(folder / layout.CHANGES_FILE, where)
        before = self.previous["version"] if self.previous else None
        if not isinstance(changes, dict) or (
            changes.get("from_version"),
            changes.get("to_version"),
        ) != (before, version):
            raise BrokenChain(f"{where} does not go from {before} to {version} (edited)")


def _descriptor(version: str, folder: Path, source_sha256: Any) -> None:
    where = f"{layout.release_dir(version)}/{layout.DESCRIPTOR_FILE}"
    descriptor = _json(folder / layout.DESCRIPTOR_FILE, where)
    sources = descriptor.get("sources") if isinstance(descriptor, dict) else None
    first = sources[0] if isinstance(sources, list) and sources else {}
    if descriptor.get("version") != version or first.get("sha256") != source_sha256:
        raise BrokenChain(
            f"{where} is not release {version} of the source its {layout.EVIDENCE_FILE} names"
        )


def _warc(root: Path, version: str, source: dict[str, Any]) -> None:
    """The source's WARC file is the one recorded, and its record replays the source."""
    warc, digest = source.get("warc"), source.get("sha256")
    if not isinstance(warc, dict) or not isinstance(digest, str):
        raise BrokenChain(f"release {version}: its {layout.EVIDENCE_FILE} names no WARC record")
    name = str(warc.get("file"))
    path = inside(root, name)
    if path is None or not path.is_file():
        raise BrokenChain(f"release {version}: its source's WARC file {name} is missing")
    if sha256_file(path) != warc.get("sha256"):
        raise BrokenChain(
            f"release {version}: its source's WARC file {name} changed (SHA-256 differs)"
        )
    try:
        found = find_record(path, str(warc.get("record_id")))
    except ValueError as exc:
        raise BrokenChain(f"release {version}: {name} is {exc}") from None
    if found is None or found.record_type not in PAYLOAD_TYPES:
        raise BrokenChain(f"release {version}: {name} holds no record {warc.get('record_id')}")
    if sha256(found.payload) != digest:
        raise BrokenChain(f"release {version}: {name} replays other bytes than the source")
    recorded = sha256_hex(found.headers.get("WARC-Payload-Digest", ""))
    if recorded != digest and not _content_coded(found):
        raise BrokenChain(f"release {version}: {name}'s payload digest is not the source's")
    _snapshot(root, version, digest)


def _content_coded(found: Any) -> bool:
    """A response whose server compressed it anyway: its payload digest is of the bytes on
    the wire, the snapshot is of the decoded page."""
    return found.record_type == "response" and found.content_coded


def _snapshot(root: Path, version: str, digest: str) -> None:
    folder = root / layout.SNAPSHOTS_DIR
    kept = [
        p
        for p in folder.glob(f"{digest}.*")
        if not p.name.endswith(layout.SNAPSHOT_META_SUFFIX) and sha256_file(p) == digest
    ]
    if not kept:
        raise BrokenChain(
            f"release {version}: the snapshot of its source ({layout.SNAPSHOTS_DIR}/{digest}.*) "
            "is missing or altered"
        )
