"""``catalog.jsonld`` (DCAT-AP 3 in JSON-LD, what data.gouv.fr harvests) read back with rdflib and
queried with SPARQL, on a real output of two releases; and the catalogue metadata of
datapackage.json (homepage, contributors, frequency, temporal and spatial coverage)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
import rdflib

from core import settings
from core.i18n import languages
from publish.changes.diff import diff_metadata
from publish.derived.dcat import catalog_jsonld, write_catalog
from publish.layout import DCAT_FILE as CATALOG_FILE
from publish.reading.load import PackageData
from publish.reading.verify import verify_package
from publish.release.package import history, render_package, write_files
from publish.release.store import ReleaseStore
from schemas import registry

BASE = "https://data.example.fr/rdv"
PREFIXES = """
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX adms: <http://www.w3.org/ns/adms#>
PREFIX spdx: <http://spdx.org/rdf/terms#>
PREFIX vcard: <http://www.w3.org/2006/vcard/ns#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
IANA = "https://www.iana.org/assignments/media-types/"
SHA256 = rdflib.URIRef("http://spdx.org/rdf/terms#checksumAlgorithm_sha256")
# rdflib's own JSON-LD parser still builds a ConjunctiveGraph
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")


@pytest.fixture(scope="module")
def output(two_releases: Path, tmp_path_factory) -> Path:
    """The two releases as a run leaves them: the history database at the root and each
    release's spreadsheet included."""
    folder = tmp_path_factory.mktemp("dcat") / "out"
    shutil.copytree(two_releases, folder, symlinks=True)
    assert (folder / "history.sqlite").is_file()
    assert (folder / "releases" / "1.1.0" / "data" / "rdv-isere.xlsx").is_file()
    return folder


@pytest.fixture(scope="module")
def graph(output: Path) -> rdflib.Graph:
    path = write_catalog(output, base_url=BASE + "/")
    assert path == output / CATALOG_FILE
    return rdflib.Graph().parse(path, format="json-ld")


def rows(graph: rdflib.Graph, query: str) -> list:
    return list(graph.query(PREFIXES + query))


def on_disk(output: Path, url: str) -> Path:
    assert url.startswith(BASE + "/"), url
    return output / url.removeprefix(BASE + "/")


def test_every_distribution_has_url_media_type_and_the_files_size_and_sha256(graph, output):
    found = rows(
        graph,
        """SELECT ?d ?url ?access ?type ?size ?algorithm ?sum WHERE {
            ?d a dcat:Distribution .
            OPTIONAL { ?d dcat:downloadURL ?url }
            OPTIONAL { ?d dcat:accessURL ?access }
            OPTIONAL { ?d dcat:mediaType ?type }
            OPTIONAL { ?d dcat:byteSize ?size }
            OPTIONAL { ?d spdx:checksum ?c . ?c a spdx:Checksum ;
                       spdx:algorithm ?algorithm ; spdx:checksumValue ?sum }
        }""",
    )
    # per release: datapackage.json, CSV, JSON, Parquet per resource and the spreadsheet; the
    # history database
    # per release: the descriptor, 3 files a table, a workbook per language; and the history
    assert len(found) == 2 * (1 + 3 * len(registry.RESOURCE_ORDER) + len(languages())) + 1
    for d, url, access, media_type, size, algorithm, value in found:
        assert url is not None and media_type is not None, d
        assert access == url
        assert str(media_type).startswith(IANA)
        path = on_disk(output, str(url))
        assert path.is_file() and not path.is_symlink(), url
        assert int(size) == path.stat().st_size, url
        assert algorithm == SHA256
        assert str(value) == hashlib.sha256(path.read_bytes()).hexdigest(), url


def test_distributions_have_the_media_type_of_their_file(graph):
    types = {
        Path(str(url)).suffix: str(media_type)
        for url, media_type in rows(
            graph, "SELECT ?url ?type WHERE { ?d dcat:downloadURL ?url ; dcat:mediaType ?type }"
        )
    }
    assert types == {
        ".csv": IANA + "text/csv",
        ".json": IANA + "application/json",
        ".parquet": IANA + "application/vnd.apache.parquet",
        ".xlsx": IANA + "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".sqlite": IANA + "application/vnd.sqlite3",
    }


def test_the_dataset_has_the_catalogue_metadata(graph, output):
    found = rows(
        graph,
        """SELECT ?ds ?publisher ?name ?contact ?landing ?frequency ?start ?end ?spatial
                  ?license ?issued ?modified ?title ?description WHERE {
            ?catalog a dcat:Catalog ; dcat:dataset ?ds .
            ?ds a dcat:Dataset ; dct:publisher ?publisher ; dcat:contactPoint ?contact ;
                dcat:landingPage ?landing ; dct:accrualPeriodicity ?frequency ;
                dct:temporal [ a dct:PeriodOfTime ; dcat:startDate ?start ; dcat:endDate ?end ] ;
                dct:spatial ?spatial ; dct:license ?license ; dct:issued ?issued ;
                dct:modified ?modified ; dct:title ?title ; dct:description ?description .
            ?publisher foaf:name ?name .
            ?contact a vcard:Organization ; vcard:hasURL ?url .
        }""",
    )
    assert len(found) == 1
    ds, _, name, _, landing, frequency, start, end, spatial, license, issued, modified, *_ = found[
        0
    ]
    entries = ReleaseStore(output).catalog()
    observed = sorted(e["source_observed"] for e in entries)
    assert (str(start), str(end)) == (observed[0], entries[-1]["source_observed"])
    assert str(name) == settings.PUBLISHER_NAME
    assert str(landing) == f"{BASE}/site/index.html"
    assert str(frequency) == "http://publications.europa.eu/resource/authority/frequency/DAILY"
    assert str(spatial) == "http://id.insee.fr/geo/departement/38"
    assert str(license) == settings.PACKAGE_LICENSE["path"]
    assert issued.toPython().isoformat().replace("+00:00", "Z") == entries[0]["published"]
    assert modified.toPython().isoformat().replace("+00:00", "Z") == entries[-1]["published"]
    keywords = {str(k) for (k,) in rows(graph, f"SELECT ?k WHERE {{ <{ds}> dcat:keyword ?k }}")}
    assert keywords == set(settings.PACKAGE_KEYWORDS)


def test_each_release_is_a_version_of_the_dataset_with_its_own_files(graph):
    versions = rows(
        graph,
        """SELECT ?version ?notes ?issued (COUNT(?d) AS ?files) WHERE {
            ?ds dct:identifier ?id ; dcat:hasVersion ?release .
            ?release a/rdfs:subClassOf dcat:Dataset ; dcat:version ?version ;
                     adms:versionNotes ?notes ; dct:issued ?issued ; dcat:isVersionOf ?ds ;
                     dcat:distribution ?d .
        } GROUP BY ?version ?notes ?issued ORDER BY ?version""",
    )
    assert [(str(v), int(n)) for v, _, _, n in versions] == [
        ("1.0.0", 1 + 3 * len(registry.RESOURCE_ORDER) + len(languages())),
        ("1.1.0", 1 + 3 * len(registry.RESOURCE_ORDER) + len(languages())),
    ]
    # the release's change summary, with no metadata change: the catalogue metadata is the same
    # from one release to the next
    assert str(versions[1][1]) == "Renouvellements de titre de séjour : visibilité 6 → 8 semaines"
    (current, previous), *_ = rows(
        graph,
        """SELECT ?current ?previous WHERE {
            ?ds dcat:hasCurrentVersion ?current . ?current dcat:previousVersion ?previous }""",
    )
    assert str(current).endswith("#release-1.1.0") and str(previous).endswith("#release-1.0.0")


def test_the_dataset_offers_the_latest_files_and_the_history(graph):
    urls = {
        str(url).removeprefix(BASE + "/")
        for (url,) in rows(
            graph,
            """SELECT ?url WHERE { ?c dcat:dataset ?ds . ?ds dcat:distribution ?d .
                                   ?d dcat:downloadURL ?url }""",
        )
    }
    assert "history.sqlite" in urls and "releases/1.1.0/data/rdv-isere.xlsx" in urls
    assert "releases/1.1.0/data/rdv-isere.en.xlsx" in urls
    assert {u for u in urls if u.startswith("releases/")} == {
        u for u in urls if u.startswith("releases/1.1.0/")
    }


def test_only_the_dataset_is_harvested_as_one(graph):
    """udata makes a data.gouv.fr dataset of each subject typed dcat:Dataset, and skips those
    without an identifier: only the dataset is so typed (test_dcat_harvest.py)."""
    identified = rows(graph, "SELECT ?ds WHERE { ?ds a dcat:Dataset ; dct:identifier ?id }")
    typed = rows(graph, "SELECT ?ds WHERE { ?ds a dcat:Dataset }")
    assert [str(ds) for (ds,) in identified] == [str(ds) for (ds,) in typed]
    assert [str(ds) for (ds,) in typed] == [f"{BASE}/{CATALOG_FILE}#dataset"]


def test_a_csv_conforms_to_its_published_schema(graph, output):
    schemas = rows(
        graph,
        """SELECT ?url ?schema WHERE { ?d dcat:downloadURL ?url ; dct:conformsTo ?schema .
                                       FILTER(STRENDS(STR(?url), ".csv")) }""",
    )
    assert len(schemas) == 2 * len(registry.RESOURCE_ORDER)
    for url, schema in schemas:
        assert on_disk(output, str(schema)).is_file()
        assert Path(str(schema)).stem == Path(str(url)).stem


def test_nothing_is_written_before_the_first_release(tmp_path):
    assert write_catalog(tmp_path / "out") is None
    assert not (tmp_path / "out" / CATALOG_FILE).exists()


def test_optional_files_are_left_out_when_absent(output, tmp_path):
    """An output made before the history and the spreadsheet existed (older releases)."""
    older = tmp_path / "older"
    shutil.copytree(output, older, symlinks=True)
    (older / "history.sqlite").unlink()
    for workbook in (older / "releases").glob("*/data/rdv-isere*.xlsx"):
        workbook.unlink()
    text = json.dumps(catalog_jsonld(older, base_url=BASE))
    assert "history.sqlite" not in text and "rdv-isere.xlsx" not in text


def test_the_catalog_is_stable_and_rewritten_only_on_change(output, graph):
    target = output / CATALOG_FILE
    before = (target.read_bytes(), target.stat().st_mtime_ns)
    write_catalog(output, base_url=BASE)
    assert (target.read_bytes(), target.stat().st_mtime_ns) == before
    default = json.dumps(catalog_jsonld(output, base_url=settings.PUBLIC_BASE_URL))
    assert BASE not in default and settings.PUBLIC_BASE_URL + "/releases/1.1.0/" in default


# --- datapackage.json ----------------------------------------------------------------------------


def test_the_release_descriptor_has_the_catalogue_metadata(two_releases):
    folder = two_releases / "releases" / "1.1.0"
    package = json.loads((folder / "datapackage.json").read_text("utf-8"))
    assert package["homepage"] == f"{settings.PUBLIC_BASE_URL}/site/index.html"
    assert package["contributors"] == [
        {"title": "rdv-opendata", "path": package["homepage"], "roles": ["publisher"]}
    ]
    assert package["frequency"] == settings.PACKAGE_FREQUENCY
    assert package["spatial"] == {
        "title": "Isère",
        "insee": "38",
        "uri": "http://id.insee.fr/geo/departement/38",
    }
    if "temporal" in package:  # once the pipeline passes the catalog's history
        assert package["temporal"] == {"start": "2020-12-17", "end": observed(package)}
    assert verify_package(folder) == []  # frictionless still validates the package


def observed(package: dict) -> str:
    return package["sources"][0]["observed"]


ENTRIES = [
    {"version": "1.0.0", "published": "2021-01-04T07:00:00Z", "source_observed": "2020-12-17"},
    {"version": "1.1.0", "published": "2021-02-01T07:00:00Z", "source_observed": None},
    {"version": "1.2.0", "published": "2021-03-01T07:00:00Z", "source_observed": "2021-02-28"},
]


def test_history_gives_the_coverage_start_and_the_first_publication():
    assert history(ENTRIES, "2021-03-15") == {
        "coverage_start": "2020-12-17",
        "first_published": "2021-01-04T07:00:00Z",
    }
    assert history([], "2021-03-15") == {"coverage_start": "2021-03-15", "first_published": None}
    assert history([]) == {"coverage_start": None, "first_published": None}


def test_temporal_coverage_runs_from_the_earliest_observed_source_to_this_one(
    two_releases, tmp_path
):
    source = {"title": "Tableau", "path": "page.html", "observed": "2021-03-15"}
    frames = _frames(two_releases)
    package, files, _ = render_package(
        frames,
        source,
        "1.3.0",
        "2021-03-16T07:00:00Z",
        **history(ENTRIES, source["observed"]),
        base_url=BASE,
    )
    assert package["temporal"] == {"start": "2020-12-17", "end": "2021-03-15"}
    assert package["homepage"] == f"{BASE}/site/index.html"
    assert json.loads(files["schemas/slot_rules.json"])["created"] == "2021-01-04"
    write_files(tmp_path, files)
    assert verify_package(tmp_path) == []
    first, _, _ = render_package(frames, source, "1.0.0", "2021-03-16T07:00:00Z", **history([]))
    assert "temporal" not in first  # no start given: no coverage stated


def _frames(output: Path):
    from publish.reading.load import load_package
    from schemas.frames import to_frames

    return to_frames(load_package(output / "latest").rows)


def test_the_update_frequency_matches_the_schedule():
    from flows.deploy import CRONS

    # a cron on every day of the month, every month, every day of the week: DAILY
    assert any(cron.split()[2:] == ["*", "*", "*"] for cron in CRONS)
    assert settings.PACKAGE_FREQUENCY.endswith("/DAILY")


def test_temporal_coverage_alone_is_no_metadata_change(two_releases):
    frames = _frames(two_releases)
    before, after = (
        render_package(frames, {"observed": day}, "", "", coverage_start="2020-12-17")[0]
        for day in ("2021-01-10", "2021-03-01")
    )
    assert before["temporal"] != after["temporal"]
    assert diff_metadata(PackageData(before, {}), PackageData(after, {})) == []


def test_each_workbook_is_described_in_its_language(output):
    """The English workbook is a distribution of each release, with the EU code of its language,
    as the French one (it was published but left out of the catalogue)."""
    graph = rdflib.Graph().parse(
        data=json.dumps(catalog_jsonld(output, base_url=BASE)), format="json-ld"
    )
    language = rdflib.URIRef("http://purl.org/dc/terms/language")
    for name, code in (("rdv-isere.xlsx", "FRA"), ("rdv-isere.en.xlsx", "ENG")):
        node = rdflib.URIRef(f"{BASE}/catalog.jsonld#file-releases/1.1.0/data/{name}")
        assert set(graph.objects(node, language)) == {
            rdflib.URIRef(f"http://publications.europa.eu/resource/authority/language/{code}")
        }
