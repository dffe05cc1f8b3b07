"""For analysts: Parquet files with proper types, the pandas loader (folder and URL), the
example script, and the data dictionary kept in step with the schemas."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from core.errors import SourceError
from rdv_opendata.docs import README, readme_dictionary
from rdv_opendata.loader import load_release
from schemas import registry
from schemas.dictionary import END, START
from tests.helpers import serve_folder

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def output(two_releases) -> Path:
    return two_releases


def test_parquet_files_have_proper_types(output):
    data = output / "latest" / "data"
    locations = pq.read_table(data / "locations.parquet")
    assert locations.schema.field("valid_until").type == pa.date32()
    rules = pq.read_table(data / "slot_rules.parquet")
    assert rules.schema.field("visibility_weeks").type == pa.int64()
    assert rules.schema.field("weekdays").type == pa.list_(pa.string())
    assert pa.types.is_dictionary(rules.schema.field("rule_type").type)
    assert pq.read_table(data / "contacts.parquet").schema.field("public_use").type == pa.bool_()
    frame = pd.read_parquet(data / "slot_rules.parquet", dtype_backend="numpy_nullable")
    assert str(frame["visibility_weeks"].dtype) == "Int64"
    assert frame["visibility_weeks"].isna().sum() == 1  # the walk-in rule
    assert pd.read_parquet(data / "slot_rules.parquet")["rule_type"].dtype == "category"
    assert list(pd.read_parquet(data / "slot_rules.parquet")["weekdays"][0]) == ["monday"]
    package = (output / "latest" / "datapackage.json").read_text()
    assert '"path": "data/slot_rules.parquet"' in package


def test_loader_applies_the_schema_types(output):
    frames = load_release(output / "latest")
    assert set(frames) == set(registry.RESOURCE_ORDER)
    rules, places = frames["slot_rules"], frames["locations"]
    assert str(rules["visibility_weeks"].dtype) == "Int64"
    assert isinstance(rules["rule_type"].dtype, pd.CategoricalDtype)
    assert list(rules["rule_type"].cat.categories) == ["slot_release", "walk_in", "opening_hours"]
    assert rules["weekdays"].tolist()[:3] == [("monday",), ("monday",), ("wednesday",)]
    assert str(frames["contacts"]["public_use"].dtype) == "boolean"
    campus = places.set_index("location_id").loc["antenne-campus", "valid_until"]
    assert campus == dt.date(2020, 12, 18)
    assert load_release(output / "latest" / "datapackage.json")["channels"].shape == (9, 12)


def test_loader_reads_a_release_over_http(output):
    with serve_folder(output) as base:
        url = f"{base}releases/1.1.0/datapackage.json"
        frames = load_release(url)
        assert frames["slot_rules"]["visibility_weeks"].max() == 8
        broken = url.replace("1.1.0", "9.9.9")
        with pytest.raises(SourceError, match="HTTP 404"):
            load_release(broken)


def test_loader_refuses_a_file_that_does_not_match_its_hash(output, tmp_path):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(output / "releases" / "1.0.0", copy)
    path = copy / "data" / "locations.csv"
    path.write_text(path.read_text().replace("2020-12-18", "2021-12-18"))
    with pytest.raises(SourceError, match="data/locations.csv: hash mismatch"):
        load_release(copy)


def test_example_script_answers_its_questions(output):
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "examples" / "questions.py"),
            str(output / "latest"),
            str(output / "releases" / "1.0.0"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr
    assert "Démarches qui ne se prennent que par courriel :" in run.stdout
    assert "Modification sur un titre de séjour Pref-rdv-sejour@isere.gouv.fr" in run.stdout
    assert "Renouvellements de titre de séjour" in run.stdout
    assert "- Renouvellements de titre de séjour : visibilité 6 → 8 semaines" in run.stdout


def test_readme_dictionary_matches_the_schemas():
    readme = README.read_text(encoding="utf-8")
    section = readme.split(START, 1)[1].split(END, 1)[0].strip()
    assert section == readme_dictionary().strip(), "run `make docs` and commit README.md"


def test_each_release_has_its_dictionary(output):
    text = (output / "latest" / "DATA_DICTIONARY.md").read_text(encoding="utf-8")
    for name in registry.RESOURCE_ORDER:
        assert f"## `{name}`" in text
        for field in registry.fields(name):
            assert f"| `{field['name']}` |" in text
