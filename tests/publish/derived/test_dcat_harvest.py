"""``catalog.jsonld`` as data.gouv.fr's DCAT harvester reads it (its rules in
``udata_harvest.py`` here), on two releases served at a real address: one dataset imported, no
item skipped, its resources the latest release's files and the history, its spatial coverage the
Isère bounding box, and nothing it would fetch from the network."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import RDF

from core import settings
from publish.release.store import ReleaseStore
from schemas import registry
from tests.conftest import SERVED_AT
from tests.publish.derived.udata_harvest import DCAT, harvest

CATALOG = f"{SERVED_AT}/catalog.jsonld"
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")


@pytest.fixture(scope="module")
def page(served_releases: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(served_releases / "catalog.jsonld", format="json-ld")


@pytest.fixture(scope="module")
def items(page):
    return harvest(page)


def test_one_dataset_is_imported_and_no_item_is_skipped(items):
    assert [(item.remote_id, item.status, item.error) for item in items] == [
        (settings.PACKAGE_NAME, "done", None)
    ]
    assert str(items[0].node) == f"{CATALOG}#dataset"


def test_its_resources_are_the_latest_files_and_the_history(items, served_releases):
    (item,) = items
    latest = ReleaseStore(served_releases).catalog()[-1]["version"]
    urls = {r.url.removeprefix(SERVED_AT + "/") for r in item.resources}
    names = registry.RESOURCE_ORDER
    assert urls == {
        f"releases/{latest}/datapackage.json",
        f"releases/{latest}/data/rdv-isere.xlsx",
        f"releases/{latest}/data/rdv-isere.en.xlsx",
        "history.sqlite",
        *(f"releases/{latest}/data/{n}.{suffix}" for n in names for suffix in EXTENSIONS),
    }
    for found in item.resources:
        path = served_releases / found.url.removeprefix(SERVED_AT + "/")
        assert found.checksum == ("sha256", hashlib.sha256(path.read_bytes()).hexdigest())
        assert found.filesize == path.stat().st_size
        assert found.format == FORMATS[path.suffix], found.url
        assert found.title


EXTENSIONS = ("csv", "json", "parquet")
FORMATS = {
    ".csv": "csv",
    ".json": "json",
    ".parquet": "parquet",
    ".xlsx": "xlsx",
    ".sqlite": "vnd.sqlite3",  # no EU file type for SQLite: the IANA media type's name
}


def test_each_csv_resource_names_its_standalone_schema(items, served_releases):
    (item,) = items
    schemas = {r.url: r.schema for r in item.resources if r.url.endswith(".csv")}
    assert len(schemas) == len(registry.RESOURCE_ORDER)
    for url, schema in schemas.items():
        assert schema == url.replace("/data/", "/schemas/").removesuffix(".csv") + ".json"
        standalone = json.loads(
            (served_releases / schema.removeprefix(SERVED_AT + "/")).read_text("utf-8")
        )
        assert standalone["path"] == schema


def test_the_spatial_coverage_is_the_departements_bounding_box(items):
    (item,) = items
    west, south, east, north = settings.PACKAGE_SPATIAL_BBOX
    assert item.polygons == [
        [[[west, south], [east, south], [east, north], [west, north], [west, south]]]
    ]
    assert item.warnings == []  # the centroid, in GML, is left aside without a warning


def test_dates_frequency_and_tags(items, served_releases):
    (item,) = items
    observed = [e["source_observed"] for e in ReleaseStore(served_releases).catalog()]
    assert item.temporal == (min(observed), observed[-1])
    assert item.frequency == "daily"
    assert "Gouvernement et secteur public" in item.tags
    assert set(settings.PACKAGE_KEYWORDS) <= set(item.tags)


def test_releases_typed_as_datasets_were_each_a_skipped_item(page):
    """The model before issue 22: every release a plain dcat:Dataset without an identifier."""
    older = rdflib.Graph()
    for triple in page:
        older.add(triple)
    releases = list(older.objects(rdflib.URIRef(f"{CATALOG}#dataset"), DCAT.hasVersion))
    for release in releases:
        older.set((release, RDF.type, DCAT.Dataset))
    found = harvest(older)
    assert sorted(item.status for item in found) == ["done", "skipped", "skipped"]
    assert {item.error for item in found if item.status == "skipped"} == {"missing identifier"}
