"""Each table of a release passes Validata alone: its CSV file against its standalone schema
(``schemas/<resource>.json``), as data.gouv.fr validates a resource that declares a schema.

Validata is validata-table 0.12.5, run in its own locked environment (``tools/validata``,
``make validata``: its pins exclude Prefect's); the same checks with the project's frictionless run
in the fast tier. A standalone schema keeps no foreign key to another table (Validata would stop:
« package is required for foreign keys to other resources »), and keeps the key of ``procedures``
to itself, which Validata enforces.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from schemas import registry

ROOT = Path(__file__).resolve().parents[3]
VALIDATA_PYTHON = ROOT / ".venv-validata" / "bin" / "python"
VALIDATE = ROOT / "tools" / "validata" / "validate.py"
RELEASES = ("1.0.0", "1.1.0")


def validata(*pairs: tuple[Path, Path]) -> tuple[int, list[dict]]:
    """Validata's exit status and reports for (schema, CSV) pairs."""
    assert VALIDATA_PYTHON.is_file(), "Validata is not installed: run `make validata`"
    arguments = [str(path) for pair in pairs for path in pair]
    done = subprocess.run(
        [str(VALIDATA_PYTHON), str(VALIDATE), *arguments],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


def table(folder: Path, name: str) -> tuple[Path, Path]:
    return folder / "schemas" / f"{name}.json", folder / "data" / f"{name}.csv"


def rows_of(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


@pytest.mark.slow
@pytest.mark.parametrize("version", RELEASES)
def test_every_table_passes_validata_alone(served_releases, version):
    folder = served_releases / "releases" / version
    status, reports = validata(*(table(folder, name) for name in registry.RESOURCE_ORDER))
    verdicts = {Path(item["path"]).stem: item["report"] for item in reports}
    assert list(verdicts) == list(registry.RESOURCE_ORDER)
    invalid = {name: report["errors"] for name, report in verdicts.items() if not report["valid"]}
    assert invalid == {} and status == 0
    for name, report in verdicts.items():
        # every field and every row was read and checked (a resource error stops Validata before
        # the rows: 0 fields, -1 rows processed; an empty table also counts -1)
        rows = rows_of(folder / "data" / f"{name}.csv")
        assert report["stats"]["fields"] == len(registry.fields(name))
        assert report["stats"]["rows"] == rows
        assert report["stats"]["rows_processed"] == (rows or -1)


@pytest.fixture()
def copied(served_releases, tmp_path) -> Path:
    folder = tmp_path / "release"
    shutil.copytree(served_releases / "releases" / "1.1.0", folder)
    return folder


def rewrite(path: Path, field: str, value: str) -> None:
    """Set ``field`` of the first row that has a value in it to ``value``."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    target = next(row for row in rows if row[field])
    target[field] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.slow
def test_validata_rejects_what_the_schema_forbids(copied):
    """The same run says no to a parent that is not a démarche of the table (the key of
    ``procedures`` to itself) and to a channel type outside the enumeration."""
    rewrite(copied / "data" / "procedures.csv", "parent_id", "demarche-inconnue")
    rewrite(copied / "data" / "channels.csv", "channel_type", "pigeon")
    status, reports = validata(table(copied, "procedures"), table(copied, "channels"))
    assert status == 1
    errors = {Path(item["path"]).stem: item["report"]["errors"] for item in reports}
    assert [e["type"] for e in errors["procedures"]] == ["foreign-key"]
    assert [e["type"] for e in errors["channels"]] == ["constraint-error"]


@pytest.mark.parametrize("version", RELEASES)
@pytest.mark.parametrize("name", registry.RESOURCE_ORDER)
def test_every_table_passes_frictionless_alone(served_releases, version, name):
    """``frictionless validate --schema schemas/<name>.json data/<name>.csv``, for every table."""
    from frictionless import Resource, Schema

    folder = served_releases / "releases" / version
    schema_path, data_path = table(folder, name)
    schema = Schema.from_descriptor(json.loads(schema_path.read_text("utf-8")))
    report = Resource(path=data_path.name, basepath=str(data_path.parent), schema=schema).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])


@pytest.mark.parametrize("version", RELEASES)
def test_the_package_keeps_every_key_between_tables(served_releases, version):
    package = json.loads(
        (served_releases / "releases" / version / "datapackage.json").read_text("utf-8")
    )
    for resource in package["resources"]:
        assert resource["schema"].get("foreignKeys") == registry.table_schema(resource["name"]).get(
            "foreignKeys"
        )
    linked = [r["name"] for r in package["resources"] if r["schema"].get("foreignKeys")]
    assert len(linked) == 6  # the keys the standalone schemas leave out are all still here
