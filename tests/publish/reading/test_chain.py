"""The release chain (issue 21, point 2): ``rdv-opendata verify`` walks it from the first
release and names the first broken link, whatever was tampered with, and passes an untampered
output. A hypothesis state machine tampers anywhere."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from core.errors import BrokenChain, PublishError
from publish import layout
from publish.formats.tabular import json_text
from publish.reading.chain import verify_chain
from publish.reading.integrity import sums_text
from publish.reading.signature import load_public_key
from rdv_opendata import cli, pipeline
from rdv_opendata.settings import DEFAULT_SOURCE
from tests.golden.series import STEPS
from tests.helpers import tree_hash

BASE_URL = "https://donnees.example.org/rdv"
VERSIONS = ("1.0.0", "1.1.0", "1.2.0")


def write_keys(folder: Path) -> tuple[Path, Path]:
    key = Ed25519PrivateKey.generate()
    private, public = folder / "key.pem", folder / "key.pub.pem"
    private.write_bytes(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    public.write_bytes(
        key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    )
    return private, public


def publish_series(work: Path, sign_key: Path | None, steps=STEPS) -> Path:
    """The golden series' releases (a first one, a changed fact, a removed type), each from a
    file, signed with ``sign_key`` when given."""
    output = work / "out"
    seed = DEFAULT_SOURCE.read_text(encoding="utf-8")
    # the environment as it was afterwards (SOURCE_DATE_EPOCH, the clock of each release)
    with mock.patch.dict(os.environ), contextlib.chdir(work):
        for number, (epoch, observed, edit) in enumerate(steps):
            os.environ["SOURCE_DATE_EPOCH"] = epoch
            Path(f"page-{number}.txt").write_text(edit(seed), encoding="utf-8")
            pipeline.run(
                f"page-{number}.txt",
                output,
                observed=observed,
                base_url=BASE_URL,
                sign_key=sign_key,
            )
    return output


@pytest.fixture(scope="module")
def signed_series(tmp_path_factory) -> tuple[Path, Path]:
    """A signed output of three releases, and the public key: copy it before tampering."""
    work = tmp_path_factory.mktemp("signed")
    private, public = write_keys(work)
    return publish_series(work, private), public


def copy_output(template: Path, into: Path) -> Path:
    target = into / "out"
    shutil.copytree(template, target, symlinks=True)
    return target


def broken(output: Path, public_key: Path | None = None) -> str:
    key = load_public_key(public_key) if public_key else None
    with pytest.raises(BrokenChain) as caught:
        verify_chain(output, key)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_an_untampered_output_passes_with_and_without_the_key(signed_series):
    output, public = signed_series
    verdict = verify_chain(output, load_public_key(public))
    assert verdict.releases == list(VERSIONS)
    assert verdict.signed_from == "1.0.0" and verdict.before_chain == []
    sums = (output / layout.release_dir("1.2.0") / layout.SUMS_FILE).read_bytes()
    assert verdict.head == __import__("hashlib").sha256(sums).hexdigest()
    assert verify_chain(output).releases == list(VERSIONS)


def test_each_release_records_the_previous_manifest_and_its_source_warc(signed_series):
    output, _ = signed_series
    evidence = [
        json.loads((output / layout.release_dir(v) / layout.EVIDENCE_FILE).read_text("utf-8"))
        for v in VERSIONS
    ]
    assert evidence[0]["previous"] is None
    for before, record in zip(VERSIONS, evidence[1:], strict=False):
        sums = (output / layout.release_dir(before) / layout.SUMS_FILE).read_bytes()
        assert record["previous"] == {
            "version": before,
            "sha256sums": __import__("hashlib").sha256(sums).hexdigest(),
        }
    for record in evidence:
        warc = record["source"]["warc"]
        assert set(warc) >= {"file", "sha256", "record_id", "payload_digest"}
        assert (output / warc["file"]).is_file()
        assert record["signed_by"]


def test_verify_on_the_command_line(signed_series, tmp_path, capsys):
    output, public = signed_series
    assert cli.main(["verify", str(output), "--public-key", str(public)]) == 0
    said = capsys.readouterr().out
    assert said.startswith("chain intact: 3 release(s), 1.0.0 to 1.2.0; signed from 1.0.0")
    copy = copy_output(output, tmp_path)
    data = copy / layout.release_dir("1.1.0") / "data" / "closures.csv"
    data.write_bytes(data.read_bytes() + b"\n")
    assert cli.main(["verify", str(copy)]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert "release 1.1.0: data/closures.csv: hash mismatch" in error


def test_openssl_keys_sign_and_verify(tmp_path):
    """The README's commands make the keys, and OpenSSL checks a signature too."""
    key, pub = tmp_path / "k.pem", tmp_path / "k.pub.pem"
    subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", key], check=True)
    subprocess.run(["openssl", "pkey", "-in", key, "-pubout", "-out", pub], check=True)
    output = publish_series(tmp_path, key, STEPS[:1])
    assert verify_chain(output, load_public_key(pub)).signed_from == "1.0.0"
    release = output / layout.release_dir("1.0.0")
    checked = subprocess.run(
        [
            "openssl", "pkeyutl", "-verify", "-pubin", "-inkey", pub, "-rawin",
            "-in", release / layout.SUMS_FILE, "-sigfile", release / layout.SIGNATURE_FILE,
        ],
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert checked.returncode == 0 and "Verified Successfully" in checked.stdout


def test_a_key_that_is_not_ed25519_is_refused_before_anything(tmp_path):
    bad = tmp_path / "bad.pem"
    bad.write_text("not a key", encoding="utf-8")
    with pytest.raises(PublishError, match="not an unencrypted PEM private key"):
        pipeline.run(str(DEFAULT_SOURCE), tmp_path / "out", base_url=BASE_URL, sign_key=bad)
    assert not (tmp_path / "out").exists()


def test_another_key_is_named(signed_series, tmp_path):
    output, _ = signed_series
    _, other = write_keys(tmp_path)
    assert "release 1.0.0" in broken(output, other)


def test_a_sums_file_that_is_not_text_is_named(signed_series, tmp_path):
    """Found by the state machine: a byte of SHA256SUMS flipped to one that is not UTF-8 raised
    UnicodeDecodeError from the sums check instead of naming the release."""
    copy = copy_output(signed_series[0], tmp_path)
    sums = copy / layout.release_dir("1.0.0") / layout.SUMS_FILE
    sums.write_bytes(b"\xe6" + sums.read_bytes()[1:])
    assert broken(copy) == (
        "release 1.0.0: SHA256SUMS is unreadable (not UTF-8 text: edited or corrupted after "
        "publication)"
    )


def test_an_old_release_edited_and_summed_again_breaks_the_next_link(signed_series, tmp_path):
    """Without the key, the chain alone names it: the next release chained to other sums."""
    copy = copy_output(signed_series[0], tmp_path)
    folder = copy / layout.release_dir("1.0.0")
    changes = folder / layout.CHANGES_FILE
    record = json.loads(changes.read_text("utf-8"))
    record["summary"] = ["Rien n'a changé."]
    changes.write_text(json.dumps(record), encoding="utf-8")
    (folder / layout.SUMS_FILE).write_text(sums_text(folder), encoding="utf-8")
    assert "release 1.0.0 changed after release 1.1.0 was published" in broken(copy)


def test_releases_made_before_the_chain_are_checked_by_their_sums_and_anchored(tmp_path):
    """Two releases of the older layout (no evidence.json), then one of this one: the chain
    starts at 1.2.0, which records 1.1.0's SHA256SUMS; verify says so, and still names an edit
    of an old release."""
    output = publish_series(tmp_path, None, STEPS[:2])
    for version in VERSIONS[:2]:  # as the code before the chain made them
        folder = output / layout.release_dir(version)
        (folder / layout.EVIDENCE_FILE).unlink()
        (folder / layout.SUMS_FILE).write_text(sums_text(folder), encoding="utf-8")
    later = tmp_path / "later"
    later.mkdir()
    shutil.move(output, later / "out")
    output = publish_series(later, None, STEPS[2:])  # 1.2.0, made with the chain
    verdict = verify_chain(output)
    assert verdict.before_chain == ["1.0.0", "1.1.0"] and verdict.releases == list(VERSIONS)
    assert "1.0.0, 1.1.0 predate the chain" in verdict.line()
    evidence = output / layout.release_dir("1.2.0") / layout.EVIDENCE_FILE
    assert json.loads(evidence.read_text("utf-8"))["previous"]["version"] == "1.1.0"

    old = output / layout.release_dir("1.1.0")
    (old / layout.SUMMARY_FILE).write_text("# Autre chose\n", encoding="utf-8")
    assert "release 1.1.0" in broken(output)
    (old / layout.SUMS_FILE).write_text(sums_text(old), encoding="utf-8")
    assert "release 1.1.0 changed after release 1.2.0 was published" in broken(output)


# --- the state machine ---------------------------------------------------------------------------


class Tampering(RuleBasedStateMachine):
    """A copy of a signed output, tampered with anywhere, one step after another; after each,
    verify (with the public key) must name one of the places tampered with, and must pass while
    nothing is."""

    template: Path
    public: Path

    @initialize()
    def copy(self) -> None:
        self.work = Path(tempfile.mkdtemp(prefix="tamper-"))
        self.output = copy_output(self.template, self.work)
        self.named: list[str] = []  # what the verdict may name: one of these
        self.untouched = tree_hash(self.output)

    def teardown(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)

    def folder(self, version: str) -> Path:
        return self.output / layout.release_dir(version)

    def files(self, version: str) -> list[Path]:
        folder = self.folder(version)
        return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []

    @rule(version=st.sampled_from(VERSIONS), data=st.data())
    def flip_a_byte(self, version: str, data: st.DataObject) -> None:
        files = [p for p in self.files(version) if p.stat().st_size]
        if not files:
            return
        path = data.draw(st.sampled_from(files))
        content = bytearray(path.read_bytes())
        at = data.draw(st.integers(0, len(content) - 1))
        content[at] ^= data.draw(st.integers(1, 255))
        path.write_bytes(bytes(content))
        self.named.append(version)

    @rule(version=st.sampled_from(VERSIONS))
    def delete_a_release(self, version: str) -> None:
        if self.folder(version).is_dir():
            shutil.rmtree(self.folder(version))
            self.named.append(version)

    @rule(version=st.sampled_from(VERSIONS), to=st.sampled_from(("0.9.0", "1.1.5", "2.0.0")))
    def rename_a_release(self, version: str, to: str) -> None:
        if self.folder(version).is_dir() and not self.folder(to).exists():
            self.folder(version).rename(self.folder(to))
            self.named += [version, to]

    @rule(pair=st.sampled_from([(0, 1), (1, 2), (0, 2)]))
    def swap_two_release_folders(self, pair: tuple[int, int]) -> None:
        a, b = (self.folder(VERSIONS[i]) for i in pair)
        if a.is_dir() and b.is_dir():
            aside = a.with_name("aside")
            a.rename(aside)
            b.rename(a)
            aside.rename(b)
            self.named += [VERSIONS[i] for i in pair]

    @rule(pair=st.sampled_from([(0, 1), (1, 2), (0, 2)]))
    def reorder_the_catalog(self, pair: tuple[int, int]) -> None:
        path = self.output / layout.CATALOG_FILE
        catalog = json.loads(path.read_text("utf-8"))
        entries = catalog["releases"]
        if max(pair) < len(entries):
            entries[pair[0]], entries[pair[1]] = entries[pair[1]], entries[pair[0]]
            path.write_text(json_text(catalog), encoding="utf-8")  # as published
            self.named.append(layout.CATALOG_FILE)

    @rule()
    def drop_the_newest_release_from_folder_and_catalog(self) -> None:
        path = self.output / layout.CATALOG_FILE
        catalog = json.loads(path.read_text("utf-8"))
        if len(catalog["releases"]) < 2:
            return
        last = catalog["releases"].pop()["version"]
        path.write_text(json_text(catalog), encoding="utf-8")
        shutil.rmtree(self.folder(last), ignore_errors=True)
        self.named += [last, layout.LATEST_JSON]

    @rule(version=st.sampled_from(VERSIONS), resum=st.booleans())
    def edit_a_changes_json(self, version: str, resum: bool) -> None:
        """An old change record edited, its release's SHA256SUMS made again or not (the
        signature cannot be: the key is not the attacker's)."""
        folder = self.folder(version)
        path = folder / layout.CHANGES_FILE
        if not path.is_file():
            return
        record = json.loads(path.read_text("utf-8"))
        record["summary"] = [*record.get("summary", []), "- Type supprimé : forgé"]
        path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        if resum:
            (folder / layout.SUMS_FILE).write_text(sums_text(folder), encoding="utf-8")
        self.named.append(version)

    @rule(data=st.data())
    def truncate_or_delete_a_warc(self, data: st.DataObject) -> None:
        warcs = sorted((self.output / layout.WARC_DIR).glob("*.warc.gz"))
        if not warcs:
            return
        path = data.draw(st.sampled_from(warcs))
        size = path.stat().st_size
        keep = data.draw(st.integers(-1, size - 1))
        if keep < 0:
            path.unlink()
        else:
            path.write_bytes(path.read_bytes()[:keep])
        self.named.append(f"{layout.WARC_DIR}/{path.name}")

    @rule(version=st.sampled_from(VERSIONS), data=st.data())
    def tamper_with_a_snapshot(self, version: str, data: st.DataObject) -> None:
        snapshots = [
            p
            for p in sorted((self.output / layout.SNAPSHOTS_DIR).iterdir())
            if not p.name.endswith(layout.SNAPSHOT_META_SUFFIX)
        ]
        path = data.draw(st.sampled_from(snapshots))
        evidence = self.folder(version) / layout.EVIDENCE_FILE
        if not evidence.is_file() or not path.is_file():
            return
        if json.loads(evidence.read_text("utf-8"))["source"]["sha256"] != path.name.split(".")[0]:
            return
        path.write_bytes(path.read_bytes() + b" ")
        self.named.append(version)

    @rule(pair=st.sampled_from([(0, 1), (1, 2), (0, 2)]), delete=st.booleans())
    def swap_or_delete_signatures(self, pair: tuple[int, int], delete: bool) -> None:
        a, b = (self.folder(VERSIONS[i]) / layout.SIGNATURE_FILE for i in pair)
        if not (a.is_file() and b.is_file()):
            return
        if delete:
            a.unlink()
            self.named.append(VERSIONS[pair[0]])
            return
        first, second = a.read_bytes(), b.read_bytes()
        a.write_bytes(second)
        b.write_bytes(first)
        self.named += [VERSIONS[i] for i in pair]

    @rule(to=st.sampled_from(("1.3.0", "0.1.0")))
    def add_a_release_folder(self, to: str) -> None:
        source = self.folder(VERSIONS[0])
        if source.is_dir() and not self.folder(to).exists():
            shutil.copytree(source, self.folder(to))
            self.named.append(to)

    @invariant()
    def verify_names_the_tampering(self) -> None:
        if not hasattr(self, "output"):
            return
        key = load_public_key(self.public)
        if tree_hash(self.output) == self.untouched:  # nothing, or tampering undone
            assert verify_chain(self.output, key).releases == list(VERSIONS)
            return
        if not self.named:
            assert verify_chain(self.output, key).releases == list(VERSIONS)
            return
        message = broken(self.output, self.public)
        assert any(place in message for place in self.named), (message, self.named)


@pytest.mark.slow
def test_tampering_anywhere_is_named(signed_series) -> None:
    """Verify names every tampering the state machine tries, and passes an untampered copy."""
    Tampering.template, Tampering.public = signed_series
    run_state_machine_as_test(
        Tampering,
        settings=settings(
            max_examples=int(os.environ.get("TAMPER_EXAMPLES", "40")),
            stateful_step_count=4,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )


def test_publish_signs_and_verify_checks_on_the_command_line(tmp_path, capsys):
    private, public = write_keys(tmp_path)
    output = tmp_path / "out"
    argv = ["publish", "--no-orchestrator", "--output", str(output), "--base-url", BASE_URL]
    assert cli.main([*argv, "--sign-key", str(private)]) == 0
    capsys.readouterr()
    assert cli.main(["verify", str(output), "--public-key", str(public)]) == 0
    assert "signed from 1.0.0" in capsys.readouterr().out
    assert cli.main([*argv, "--sign-key", str(tmp_path / "missing.pem")]) == 1
    assert "cannot read the signing key" in capsys.readouterr().err
