"""The written package's check reads each resource once (``publish/reading/keys.py``): it must
pass exactly the packages frictionless's own ``Package.validate`` passes, and a failure is
reported as frictionless reports it. Each case edits a release (keeping the descriptor's bytes
and hash in step, so that the edit itself is the only fault) and compares the two."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from frictionless import FrictionlessException, Package

from publish.reading.keys import passes
from publish.reading.verify import report_problems, verify_package

Edit = Callable[[Path], None]


def _edit_csv(name: str, old: str, new: str, count: int = 1) -> Edit:
    """Replace ``old`` by ``new`` in ``data/<name>.csv`` and restate its bytes and hash."""

    def edit(folder: Path) -> None:
        path = folder / "data" / f"{name}.csv"
        text = path.read_text(encoding="utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, count), encoding="utf-8")
        data = path.read_bytes()

        def restate(resource: dict) -> None:
            resource["bytes"] = len(data)
            resource["hash"] = f"sha256:{hashlib.sha256(data).hexdigest()}"

        _edit_resource(name, restate)(folder)

    return edit


def _edit_resource(name: str, change: Callable[[dict], None]) -> Edit:
    def edit(folder: Path) -> None:
        path = folder / "datapackage.json"
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        change(next(r for r in descriptor["resources"] if r["name"] == name))
        path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")

    return edit


def _drop_line(name: str, starting: str) -> Edit:
    def edit(folder: Path) -> None:
        text = (folder / "data" / f"{name}.csv").read_text(encoding="utf-8")
        line = next(x for x in text.splitlines(keepends=True) if x.startswith(starting))
        _edit_csv(name, line, "")(folder)

    return edit


def _key(name: str, index: int, **changes: object) -> Edit:
    return _edit_resource(
        name, lambda r: r["schema"]["foreignKeys"][index]["reference"].update(changes)
    )


def _key_fields(name: str, index: int, fields: list[str]) -> Edit:
    return _edit_resource(
        name, lambda r: r["schema"]["foreignKeys"][index].update({"fields": fields})
    )


def _write(path: Path) -> None:
    path.write_text("email\n", encoding="utf-8")


WALK_IN = "depot-des-dossiers-d-admission-exceptionnelle-au-sejour"
CASES: dict[str, Edit] = {
    "intact": lambda folder: None,
    "a channel of an unknown type": _edit_csv(
        "channels", f",{WALK_IN},walk_in", ",nowhere,walk_in"
    ),
    "a rule of an unknown channel": _edit_csv(
        "slot_rules", f",{WALK_IN}--walk-in,walk_in", ",nowhere,walk_in"
    ),
    "a procedure under an unknown procedure (a key to itself)": _edit_csv(
        "procedures", ",included,,1", ",included,nowhere,1"
    ),
    "a type removed that channels point to": _drop_line("appointment_types", WALK_IN),
    "a channel removed that rules point to": _drop_line("channels", f"{WALK_IN}--walk-in"),
    "a capacity that is not an integer": _edit_csv("slot_rules", ",weekly,,10,", ",weekly,,dix,"),
    "a duplicate primary key": _edit_csv(
        "appointment_types",
        "renouvellements-de-titre-de-sejour,",
        "1eres-demandes-de-titre-de-sejour,",
    ),
    "a key to a resource the package lacks": _key("channels", 0, resource="types"),
    "a key to a field its target lacks": _key("channels", 0, fields=["label_id"]),
    "a key of a field its resource lacks": _key_fields("channels", 0, ["kind_id"]),
    "a key to itself by an empty name": _key("procedures", 1, resource=""),
    "a renamed header": _edit_csv("channels", "channel_id,type_id,", "channel_id,kind_id,"),
    "a file edited behind the descriptor": lambda folder: _write(folder / "data" / "contacts.csv"),
}


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    from rdv_opendata import pipeline

    output = tmp_path_factory.mktemp("keys") / "out"
    pipeline.run(None, output)
    return output / "releases" / "1.0.0"


#: edits that leave a valid package
VALID = {"intact", "a key to itself by an empty name"}


def _frictionless(folder: Path) -> tuple[bool | None, list]:
    """Whether frictionless's own validation passes the package (None: it cannot read the
    descriptor), and its problems as ``verify_package`` said them before it read each resource
    once."""
    try:
        report = Package(str(folder / "datapackage.json")).validate()
    except FrictionlessException as exc:
        return None, [exc.error.message]
    return report.valid, report_problems(report)


@pytest.mark.parametrize("case", CASES)
def test_a_package_passes_exactly_when_frictionless_passes_it(release, tmp_path, case):
    folder = tmp_path / "release"
    shutil.copytree(release, folder)
    CASES[case](folder)
    valid, problems = _frictionless(folder)
    found = verify_package(folder)
    if valid is None:
        assert [p.message.split(": ", 1)[1] for p in found] == problems
        return
    assert passes(Package(str(folder / "datapackage.json"))) == valid == (case in VALID)
    assert found == problems
