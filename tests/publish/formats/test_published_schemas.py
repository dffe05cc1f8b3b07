"""Each release publishes ``schemas/<resource>.json``: a standalone Table Schema with the metadata
schema.data.gouv.fr asks for and a valid ``example`` for every field, generated from
``schemas/tables/`` (the one source of truth) and referenced by datapackage.json.

The schema.data.gouv.fr requirements are those of its validation page (``site/validation.md`` in
the datagouv/schema.data.gouv.fr repository: ``name``, ``title``, ``description``, ``homepage``,
``version`` in semver, ``contributors`` with a role; ``path``, ``created`` and ``lastModified``
encouraged) and of its aggregator (``aggregateur/validators.py``: title, description, homepage and
version required); it publishes no JSON Schema of them, so ``SCHEMA_DATA_GOUV_FR`` below is written
from that page.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest

from core import settings
from extract import extract_table
from normalise import normalise
from publish.formats.schema_files import cell_text, field_examples, is_valid, schema_version
from publish.reading.integrity import check_sums
from publish.reading.verify import verify_package
from publish.release.package import render_package
from rdv_opendata.settings import DEFAULT_SOURCE
from schemas import registry
from schemas.frames import to_frames

VERSION, CREATED, FIRST = "1.4.2", "2021-03-02T08:00:00Z", "2020-12-18T07:00:00Z"
BASE = "https://data.example.fr/rdv"
SOURCE = {"title": "Tableau source", "path": "isere.txt", "observed": "2021-03-01"}

#: schema.data.gouv.fr's requirements for a Table Schema, from its validation page
SCHEMA_DATA_GOUV_FR = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["name", "title", "description", "homepage", "version", "contributors", "fields"],
    "properties": {
        "name": {"type": "string", "pattern": "^[a-z0-9_-]+$"},
        "title": {"type": "string", "minLength": 1},
        "description": {"type": "string", "minLength": 1},
        "homepage": {"type": "string", "format": "uri", "pattern": "^https?://"},
        "version": {"type": "string", "pattern": r"^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$"},
        "contributors": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["title", "role"],
                "properties": {
                    "title": {"type": "string", "minLength": 1},
                    "role": {"type": "string", "minLength": 1},
                    "email": {"type": "string", "format": "email"},
                    "path": {"type": "string", "format": "uri"},
                },
            },
        },
        "path": {"type": "string", "format": "uri", "pattern": r"^https?://.+\.json$"},
        "created": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "lastModified": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "countryCode": {"const": "FR"},
        "licenses": {
            "type": "array",
            "minItems": 1,
            "items": {"type": "object", "required": ["name", "path", "title"]},
        },
        "fields": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["name", "type", "title", "description", "example"],
                "properties": {"example": {"type": "string", "minLength": 1}},
            },
        },
    },
}


@pytest.fixture(scope="module")
def snapshot_rows() -> dict[str, list[dict]]:
    frames = to_frames(normalise(extract_table(DEFAULT_SOURCE.read_bytes())))
    _, _, rows = render_package(frames, SOURCE, VERSION, CREATED)
    return rows


@pytest.fixture(scope="module")
def rendered() -> tuple[dict, dict[str, bytes]]:
    frames = to_frames(normalise(extract_table(DEFAULT_SOURCE.read_bytes())))
    package, files, _ = render_package(
        frames, SOURCE, VERSION, CREATED, first_published=FIRST, base_url=BASE + "/"
    )
    return package, files


@pytest.fixture(scope="module")
def schemas(rendered) -> dict[str, dict]:
    _, files = rendered
    return {name: json.loads(files[f"schemas/{name}.json"]) for name in registry.RESOURCE_ORDER}


def without_examples(fields: list[dict]) -> list[dict]:
    return [{k: v for k, v in field.items() if k != "example"} for field in fields]


def test_each_resource_has_its_schema_file_referenced_beside_the_inline_schema(rendered):
    package, files = rendered
    for resource in package["resources"]:
        name = resource["name"]
        assert resource["schemaPath"] == f"schemas/{name}.json"
        # the inline schema stays: the loader and app developers read it
        assert resource["schema"] == registry.table_schema(name)
        standalone = json.loads(files[resource["schemaPath"]])
        assert without_examples(standalone["fields"]) == resource["schema"]["fields"]
    assert sorted(p for p in files if p.startswith("schemas/")) == sorted(
        f"schemas/{name}.json" for name in registry.RESOURCE_ORDER
    )


@pytest.mark.parametrize("name", registry.RESOURCE_ORDER)
def test_the_schema_is_generated_from_the_registry(schemas, name):
    schema = schemas[name]
    table = registry.table_schema(name)
    assert without_examples(schema["fields"]) == table["fields"]
    assert schema["primaryKey"] == table["primaryKey"]
    # only the keys to the table itself, as self-references: the others need the package
    own = [
        {**key, "reference": {**key["reference"], "resource": ""}}
        for key in table.get("foreignKeys", [])
        if key["reference"]["resource"] in ("", name)
    ]
    assert schema.get("foreignKeys", []) == own
    assert {k: schema[k] for k in ("title", "description")} == registry.resource_meta(name)


@pytest.mark.parametrize("name", registry.RESOURCE_ORDER)
def test_a_valid_table_schema_for_frictionless_and_its_json_profiles(schemas, name):
    from frictionless import Schema, system

    schema = schemas[name]
    report = Schema.validate_descriptor(schema)
    assert report.valid, report.flatten(["message"])
    jsonschema.validate(schema, Schema.metadata_profile)
    for field in schema["fields"]:
        jsonschema.validate(field, system.select_field_class(field["type"]).metadata_profile)
    assert schema["$schema"] == "https://datapackage.org/profiles/2.0/tableschema.json"


@pytest.mark.parametrize("name", registry.RESOURCE_ORDER)
def test_the_schema_meets_schema_data_gouv_fr_requirements(schemas, name):
    schema = schemas[name]
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    jsonschema.Draft202012Validator(SCHEMA_DATA_GOUV_FR, format_checker=checker).validate(schema)
    assert schema["name"] == f"isere-modalites-rdv-sejour-{name.replace('_', '-')}"
    assert schema["contributors"] == [
        {"title": "rdv-opendata", "path": f"{BASE}/site/index.html", "role": "publisher"}
    ]
    assert schema["homepage"] == f"{BASE}/site/index.html"
    assert schema["licenses"] == [settings.PACKAGE_LICENSE]


@pytest.mark.parametrize("name", registry.RESOURCE_ORDER)
def test_version_and_dates_follow_the_package(schemas, name):
    schema = schemas[name]
    assert schema["version"] == "1.4.0"  # the package's MAJOR.MINOR
    assert schema["created"] == "2020-12-18"  # the first release
    assert schema["lastModified"] == "2021-03-02"  # this release
    assert schema["path"] == f"{BASE}/releases/{VERSION}/schemas/{name}.json"
    assert schema["resources"][0]["path"] == f"{BASE}/releases/{VERSION}/data/{name}.csv"


def test_schema_version():
    assert [schema_version(v) for v in ("1.0.0", "2.3.7", "10.20.30", "")] == [
        "1.0.0",
        "2.3.0",
        "10.20.0",
        "",
    ]


@pytest.mark.parametrize("name", registry.RESOURCE_ORDER)
def test_a_row_of_the_examples_is_valid_against_the_schema(schemas, name, tmp_path):
    """Every example, cast by frictionless with its field's type, format and constraints, in a
    one-row CSV validated against the schema (its foreign keys aside: they point elsewhere)."""
    from frictionless import Resource, Schema

    schema = dict(schemas[name])
    schema.pop("foreignKeys", None)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([f["name"] for f in schema["fields"]])
    writer.writerow([f["example"] for f in schema["fields"]])
    path = tmp_path / f"{name}.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    report = Resource(
        path=path.name, basepath=str(tmp_path), schema=Schema.from_descriptor(schema)
    ).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])
    for field in schema["fields"]:
        assert is_valid(field, field["example"]), (name, field["name"], field["example"])
        items = field.get("itemConstraints", {}).get("enum")
        if items:
            assert set(field["example"].split(field["delimiter"])) <= set(items)


@pytest.mark.parametrize("name", registry.RESOURCE_ORDER)
def test_examples_come_from_the_data_when_it_has_a_value(schemas, snapshot_rows, name):
    for field in schemas[name]["fields"]:
        values = {cell_text(field, row[field["name"]]) for row in snapshot_rows[name]} - {""}
        if not values:
            continue
        if field["type"] == "list":
            seen = {item for value in values for item in value.split(field["delimiter"])}
            assert set(field["example"].split(field["delimiter"])) <= seen
        else:
            assert field["example"] in values, (name, field["name"])


def test_a_list_example_shows_its_delimiter(schemas):
    weekdays = next(f for f in schemas["slot_rules"]["fields"] if f["name"] == "weekdays")
    assert weekdays["example"] == "monday,wednesday"  # the snapshot has only one-day lists


def test_fields_without_data_take_a_related_or_documented_example(schemas):
    examples = {
        (name, f["name"]): f["example"] for name in schemas for f in schemas[name]["fields"]
    }
    # a foreign key takes the example of the field it points to
    assert examples[("closures", "location_id")] == examples[("locations", "location_id")]
    # the telephone number quoted in the field's description (E.164)
    assert examples[("channels", "phone")] == "+33465719876"
    # « de 14h à 16h » donne 14:00 / 16:00
    assert examples[("slot_rules", "start_time")] == "14:00:00"
    assert examples[("slot_rules", "end_time")] == "16:00:00"


def test_every_field_has_a_valid_example_even_without_rows():
    examples = field_examples({})
    for name in registry.RESOURCE_ORDER:
        for field in registry.fields(name):
            assert is_valid(field, examples[name][field["name"]]), (name, field["name"])


def test_published_releases_carry_their_schemas(two_releases: Path):
    for version, minor in (("1.0.0", "1.0.0"), ("1.1.0", "1.1.0")):
        folder = two_releases / "releases" / version
        assert verify_package(folder) == [] and check_sums(folder) == []
        package = json.loads((folder / "datapackage.json").read_text("utf-8"))
        for resource in package["resources"]:
            schema = json.loads((folder / resource["schemaPath"]).read_text("utf-8"))
            assert schema["version"] == minor
            assert without_examples(schema["fields"]) == resource["schema"]["fields"]
