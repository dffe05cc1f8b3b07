"""``catalog.jsonld`` against what DCAT-AP 3.0.1 requires (``shapes/dcat-ap-3.0.1.ttl``, the
project's statement of the official "Full" set: shapes, ranges and recommendations), checked as an
independent validator checks it: pyshacl, no inference, on an output of two releases served at a
real address. No violation and no warning; and each kind of check is shown to fail when the
catalogue lacks what it checks."""

from __future__ import annotations

import functools
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pyshacl
import pytest
import rdflib
from rdflib.namespace import RDF, RDFS

from core import settings
from publish.derived import vocabularies
from publish.derived.dcat import catalog_jsonld
from tests.conftest import SERVED_AT

ROOT = Path(__file__).resolve().parents[3]
SHAPES = ROOT / "shapes" / "dcat-ap-3.0.1.ttl"
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
# open namespaces (rdflib's closed DCAT one warns when pytest looks at the module)
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
FOAF = rdflib.Namespace("http://xmlns.com/foaf/0.1/")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
DCATAP = rdflib.Namespace("http://data.europa.eu/r5r/")
IANA = "https://www.iana.org/assignments/media-types/"
CATALOG = f"{SERVED_AT}/catalog.jsonld"
RELEASE = rdflib.URIRef(f"{CATALOG}#release-1.0.0")
CSV_FILE = rdflib.URIRef(f"{CATALOG}#file-releases/1.1.0/data/channels.csv")
# rdflib's own JSON-LD parser still builds a ConjunctiveGraph
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")


@functools.cache
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(SHAPES, format="turtle")


@pytest.fixture(scope="module")
def catalogue(served_releases: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(served_releases / "catalog.jsonld", format="json-ld")


def results(graph: rdflib.Graph) -> set[tuple[str, str, str]]:
    """(severity, path, constraint) of every result pyshacl reports, without inference."""
    _, report, _ = pyshacl.validate(
        graph, shacl_graph=shapes(), inference="none", allow_warnings=False
    )
    found = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        path = report.value(result, SH.resultPath)
        found.add(
            (
                report.value(result, SH.resultSeverity).fragment,
                report.namespace_manager.normalizeUri(path) if path else "",
                report.value(result, SH.sourceConstraintComponent).fragment,
            )
        )
    return found


def test_the_catalogue_passes_every_check_without_a_warning(catalogue):
    assert results(catalogue) == set()


def copy_of(graph: rdflib.Graph) -> rdflib.Graph:
    copy = rdflib.Graph()
    copy.namespace_manager = graph.namespace_manager
    for triple in graph:
        copy.add(triple)
    return copy


Change = Callable[[rdflib.Graph], object]


def _untype(value: str, cls: rdflib.URIRef) -> Change:
    return lambda g: g.remove((rdflib.URIRef(value), RDF.type, cls))


def _drop(subject: rdflib.URIRef, prop: rdflib.URIRef) -> Change:
    return lambda g: g.remove((subject, prop, None))


#: a change of the catalogue -> the results it must give, and only those
BROKEN = {
    "a media type without its class": (
        _untype(IANA + "text/csv", DCTERMS.MediaType),
        {("Violation", "dcat:mediaType", "ClassConstraintComponent")},
    ),
    "a file type without its class": (
        _untype(
            "http://publications.europa.eu/resource/authority/file-type/CSV",
            DCTERMS.MediaTypeOrExtent,
        ),
        {("Violation", "dct:format", "ClassConstraintComponent")},
    ),
    "the language without its class": (
        _untype(
            "http://publications.europa.eu/resource/authority/language/FRA",
            DCTERMS.LinguisticSystem,
        ),
        {("Violation", "dct:language", "ClassConstraintComponent")},
    ),
    "the frequency without its class": (
        _untype(settings.PACKAGE_FREQUENCY, DCTERMS.Frequency),
        {("Violation", "dct:accrualPeriodicity", "ClassConstraintComponent")},
    ),
    "the contact point not a vcard:Kind": (
        _untype(f"{CATALOG}#contact", rdflib.URIRef("http://www.w3.org/2006/vcard/ns#Kind")),
        {("Violation", "dcat:contactPoint", "ClassConstraintComponent")},
    ),
    "the site's home page not a document": (
        _untype(f"{SERVED_AT}/site/index.html", FOAF.Document),
        {
            ("Violation", "dcat:landingPage", "ClassConstraintComponent"),
            ("Violation", "foaf:homepage", "ClassConstraintComponent"),
        },
    ),
    "a download URL not a resource": (
        _untype(f"{SERVED_AT}/releases/1.1.0/data/channels.csv", RDFS.Resource),
        {
            ("Violation", "dcat:downloadURL", "ClassConstraintComponent"),
            ("Violation", "dcat:accessURL", "ClassConstraintComponent"),
        },
    ),
    "the checksum algorithm without its class": (
        _untype(str(SPDX.checksumAlgorithm_sha256), SPDX.ChecksumAlgorithm),
        {("Violation", "spdx:algorithm", "ClassConstraintComponent")},
    ),
    "a schema not a standard": (
        _untype(f"{SERVED_AT}/releases/1.1.0/schemas/channels.json", DCTERMS.Standard),
        {("Violation", "dct:conformsTo", "ClassConstraintComponent")},
    ),
    "the theme without a label": (
        _drop(rdflib.URIRef(vocabularies.THEME), SKOS.prefLabel),
        {("Violation", "skos:prefLabel", "MinCountConstraintComponent")},
    ),
    "a release without a title (releases are checked as datasets)": (
        _drop(RELEASE, DCTERMS.title),
        {("Violation", "dct:title", "MinCountConstraintComponent")},
    ),
    "a release without a theme": (
        _drop(RELEASE, DCAT.theme),
        {("Warning", "dcat:theme", "MinCountConstraintComponent")},
    ),
    "a release without keywords": (
        _drop(RELEASE, DCAT.keyword),
        {("Warning", "dcat:keyword", "MinCountConstraintComponent")},
    ),
    "a file without its availability": (
        _drop(CSV_FILE, DCATAP.availability),
        {("Warning", "dcatap:availability", "MinCountConstraintComponent")},
    ),
    "a file without a description": (
        _drop(CSV_FILE, DCTERMS.description),
        {("Warning", "dct:description", "MinCountConstraintComponent")},
    ),
    "a file without a format": (
        _drop(CSV_FILE, DCTERMS["format"]),
        {("Warning", "dct:format", "MinCountConstraintComponent")},
    ),
    "the catalogue without its first publication": (
        _drop(rdflib.URIRef(CATALOG), DCTERMS.issued),
        {("Warning", "dct:issued", "MinCountConstraintComponent")},
    ),
    "the catalogue without a theme taxonomy": (
        _drop(rdflib.URIRef(CATALOG), DCAT.themeTaxonomy),
        {("Warning", "dcat:themeTaxonomy", "MinCountConstraintComponent")},
    ),
    "the département without a bounding box": (
        _drop(rdflib.URIRef(settings.PACKAGE_SPATIAL["uri"]), DCAT.bbox),
        {("Warning", "dcat:bbox", "MinCountConstraintComponent")},
    ),
    "no type for the publisher": (
        _drop(rdflib.URIRef(f"{CATALOG}#publisher"), DCTERMS.type),
        {("Warning", "dct:type", "MinCountConstraintComponent")},
    ),
    "two media types on one file": (
        lambda g: g.add((CSV_FILE, DCAT.mediaType, rdflib.URIRef(IANA + "application/json"))),
        {("Violation", "dcat:mediaType", "MaxCountConstraintComponent")},
    ),
    "a date without its datatype": (
        lambda g: g.set((CSV_FILE, DCTERMS.issued, rdflib.Literal("4 janvier 2021"))),
        {
            ("Violation", "dct:issued", "NodeConstraintComponent"),
            ("Violation", "", "OrConstraintComponent"),  # inside :Temporal
        },
    ),
}


@pytest.mark.parametrize("broken", BROKEN, ids=list(BROKEN))
def test_each_check_fails_on_a_catalogue_that_lacks_it(catalogue, broken):
    change, expected = BROKEN[broken]
    graph = copy_of(catalogue)
    change(graph)
    assert set(graph) != set(catalogue)  # the change changed something
    assert results(graph) == expected


def test_releases_are_datasets_to_a_validator_but_not_typed_dcat_dataset(catalogue):
    releases = set(catalogue.objects(rdflib.URIRef(f"{CATALOG}#dataset"), DCAT.hasVersion))
    assert len(releases) == 2
    for release in releases:
        (kind,) = catalogue.objects(release, RDF.type)
        assert kind != DCAT.Dataset
        assert (kind, RDFS.subClassOf, DCAT.Dataset) in catalogue
    assert set(catalogue.subjects(RDF.type, DCAT.Dataset)) == {rdflib.URIRef(f"{CATALOG}#dataset")}


def test_the_recommended_values_come_from_the_eu_vocabularies(catalogue):
    dataset = rdflib.URIRef(f"{CATALOG}#dataset")
    gove = rdflib.URIRef(f"{vocabularies.EU_AUTHORITY}data-theme/GOVE")
    stable = rdflib.URIRef(f"{vocabularies.EU_AUTHORITY}planned-availability/STABLE")
    assert set(catalogue.objects(dataset, DCAT.theme)) == {gove}
    assert set(catalogue.objects(RELEASE, DCAT.theme)) == {gove}
    files = set(catalogue.subjects(RDF.type, DCAT.Distribution))
    assert files and all(set(catalogue.objects(f, DCATAP.availability)) == {stable} for f in files)
    assert rdflib.Literal("Gouvernement et secteur public", lang="fr") in set(
        catalogue.objects(gove, SKOS.prefLabel)
    )
    sqlite = rdflib.URIRef(f"{CATALOG}#file-history.sqlite")
    assert catalogue.value(sqlite, DCTERMS["format"]) == rdflib.URIRef(
        IANA + "application/vnd.sqlite3"
    )


def test_the_departement_has_its_extent(catalogue):
    isere = rdflib.URIRef(settings.PACKAGE_SPATIAL["uri"])
    assert catalogue.value(isere, SKOS.notation) == rdflib.Literal("38")
    bbox = str(catalogue.value(isere, DCAT.bbox))
    ring = bbox.removeprefix("POLYGON((").removesuffix("))").split(", ")
    points = [tuple(float(n) for n in corner.split()) for corner in ring]
    assert len(points) == 5 and points[0] == points[-1]
    west, south = min(x for x, _ in points), min(y for _, y in points)
    east, north = max(x for x, _ in points), max(y for _, y in points)
    # Grenoble, Vienne (west), Bourg-d'Oisans (east) and the centroid fall inside
    for x, y in [(5.724, 45.188), (4.874, 45.525), (6.030, 45.055), (5.574, 45.264)]:
        assert west < x < east and south < y < north
    centroid = str(catalogue.value(isere, DCAT.centroid))
    assert "<gml:pos>5.574 45.264</gml:pos>" in centroid


def test_the_catalogue_covers_the_area_and_names_its_first_publication(catalogue, served_releases):
    from publish.release.store import ReleaseStore

    catalog = rdflib.URIRef(CATALOG)
    first = ReleaseStore(served_releases).catalog()[0]["published"]
    issued = catalogue.value(catalog, DCTERMS.issued).toPython()
    assert issued.isoformat().replace("+00:00", "Z") == first
    assert catalogue.value(catalog, DCTERMS.spatial) == rdflib.URIRef(
        settings.PACKAGE_SPATIAL["uri"]
    )
    assert catalogue.value(catalog, DCAT.themeTaxonomy) == rdflib.URIRef(vocabularies.DATA_THEMES)


def test_an_unknown_publisher_type_is_refused():
    with pytest.raises(ValueError, match="unknown ADMS publisher type"):
        vocabularies.concept_nodes("http://purl.org/adms/publishertype/Nobody")
    assert settings.PUBLISHER_TYPE in vocabularies.PUBLISHER_TYPES


def test_an_output_without_history_nor_spreadsheets_passes_too(served_releases, tmp_path):
    """An output made before the history and the workbook existed: fewer files, same checks."""
    older = tmp_path / "older"
    shutil.copytree(served_releases, older, symlinks=True)
    (older / "history.sqlite").unlink()
    for workbook in (older / "releases").glob("*/data/rdv-isere.xlsx"):
        workbook.unlink()
    text = json.dumps(catalog_jsonld(older, base_url=SERVED_AT))
    graph = rdflib.Graph().parse(data=text, format="json-ld")
    assert "history.sqlite" not in text
    assert results(graph) == set()
