"""``catalog.jsonld`` at the output root: the package described in DCAT-AP 3, as JSON-LD.

What data.gouv.fr (udata's DCAT harvester) and other catalogues read. The model:

- one ``dcat:Catalog`` (the file itself) listing one ``dcat:Dataset``, the package: title,
  description, keywords, theme (the EU data theme ``GOVE``), publisher, contact point, landing page
  (the site), licence, update frequency (``dct:accrualPeriodicity``), temporal coverage
  (``dct:PeriodOfTime`` from the earliest observed source to the latest), spatial coverage (Isère,
  an INSEE IRI with its bounding box and centroid), ``dct:issued`` (the first release) and
  ``dct:modified`` (the latest). Its distributions are those of the latest release, and
  ``history.sqlite`` (every release in one database) when the output holds it;
- every release is a version of it (DCAT 3 versioning): the package ``dcat:hasVersion`` each
  release and ``dcat:hasCurrentVersion`` the latest; a release has ``dcat:version``,
  ``adms:versionNotes`` (its change summary, in French), ``dct:issued``, ``dcat:isVersionOf`` the
  package, ``dcat:previousVersion`` and its own distributions. Its class is ``release_class``, the
  catalogue's own subclass of ``dcat:Dataset``: a SHACL validator checks it as a dataset, while
  udata, which imports every subject typed ``dcat:Dataset`` itself (and skips those without a
  ``dct:identifier``), imports the package alone: data.gouv.fr shows one dataset, kept up to date,
  and no skipped item;
- a distribution per published file: CSV, JSON and Parquet per resource, the release's
  spreadsheet (``data/rdv-isere.xlsx``, when there) and datapackage.json, each with its download
  URL (also its access URL), IANA media type, format (the EU file type, else the IANA media type),
  size, SHA-256 (``spdx:Checksum``), licence, dates, availability (``STABLE``) and, for a
  resource's CSV file, the standalone Table Schema it conforms to (``dct:conformsTo``, when the
  release has ``schemas/``).

The values come from the EU and ADMS vocabularies (``vocabularies``), and every IRI the catalogue
points to is typed with the class DCAT-AP gives its property (``dcat_ranges``), for validators that
neither reason nor fetch: ``shapes/dcat-ap-3.0.1.ttl`` states what DCAT-AP 3.0.1 checks.

URLs are ``base_url`` + the file's path in the output folder (the versioned ``releases/<v>/…``,
never ``latest/``). Sizes and digests are read from the files on disk. Nothing depends on the time
of the call, so an unchanged output gives the same bytes (``write_catalog`` then writes nothing).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from core import settings
from core.digest import sha256_file
from core.errors import PublishError
from publish import layout
from publish.derived import vocabularies
from publish.derived.dcat_ranges import declare_ranges
from publish.formats.table import by_suffix, extra_paths
from publish.formats.tabular import json_text
from publish.reading.untrusted import inside
from publish.release.atomic import write_atomic
from publish.release.store import ReleaseStore

CONTEXT = {
    "adms": "http://www.w3.org/ns/adms#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "spdx": "http://spdx.org/rdf/terms#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
IANA = "https://www.iana.org/assignments/media-types/"  # the form udata recognises
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
LANGUAGE = "http://publications.europa.eu/resource/authority/language/FRA"

Node = dict[str, Any]


def _iri(value: str) -> Node:
    return {"@id": value}


def _typed(value: str, datatype: str) -> Node:
    return {"@value": value, "@type": datatype}


def _french(text: str) -> Node:
    return {"@value": text, "@language": settings.PACKAGE_LANGUAGE}


def _date(day: str) -> Node:
    return _typed(day, "xsd:date")


def _moment(timestamp: str) -> Node:
    return _typed(timestamp, "xsd:dateTime")


def _period(start: str | None, end: str | None) -> Node | None:
    """A ``dct:PeriodOfTime`` (a blank node: udata fetches an IRI), None when nothing is known."""
    if not start and not end:
        return None
    period: Node = {"@type": "dct:PeriodOfTime"}
    if start:
        period["dcat:startDate"] = _date(start)
    if end:
        period["dcat:endDate"] = _date(end)
    return period


class Urls:
    """The IRIs and URLs of one output folder served at ``base``."""

    def __init__(self, base_url: str) -> None:
        self.base = base_url.rstrip("/")
        self.catalog = f"{self.base}/{layout.DCAT_FILE}"
        self.dataset = f"{self.catalog}#dataset"
        self.publisher = f"{self.catalog}#publisher"
        self.contact = f"{self.catalog}#contact"
        self.home = f"{self.base}/{layout.SITE_HOME}"
        self.release_class = f"{self.catalog}#Release"

    def file(self, relative: str) -> str:
        return f"{self.base}/{quote(relative)}"

    def release(self, version: str) -> str:
        return f"{self.catalog}#release-{version}"

    def distribution(self, relative: str) -> str:
        return f"{self.catalog}#file-{quote(relative)}"

    def release_page(self, version: str) -> str:
        return f"{self.base}/{layout.SITE_DIR}/{layout.site_release_page(version)}"


#: what the files other than a resource's are, for ``dct:description`` (DCAT-AP recommends one)
DESCRIPTIONS = {
    "datapackage": (
        "Les métadonnées de la version : chaque ressource avec son schéma (Table Schema), ses "
        "fichiers CSV, JSON et Parquet et leurs sommes de contrôle, les sources et la licence."
    ),
    "spreadsheet": (
        "Toutes les tables dans un classeur, pour les personnes : une feuille « Synthèse » "
        "(comment, quand et où, par type de rendez-vous), une feuille par table avec les libellés "
        "en français, une feuille « Lisez-moi » et une feuille « Dictionnaire ». Les fichiers CSV "
        "restent la référence."
    ),
    "history": (
        "Toutes les versions publiées dans une base SQLite, reconstruite à chaque publication : "
        "à interroger en SQL, avec pandas ou Datasette."
    ),
}


def distribution(
    output: Path,
    relative: str,
    urls: Urls,
    *,
    title: str,
    issued: str,
    description: str | None = None,
    conforms_to: str | None = None,
) -> Node | None:
    """The ``dcat:Distribution`` of the file at ``output/relative`` (None when it is missing)."""
    path = inside(output, relative)
    if path is None or not path.is_file():
        return None
    fmt = by_suffix(path.suffix)
    media_type = fmt.media_type if fmt else "application/octet-stream"
    file_type = fmt.eu_file_type if fmt else None
    node: Node = {
        "@id": urls.distribution(relative),
        "@type": "dcat:Distribution",
        "dct:title": _french(title),
        "dcat:downloadURL": _iri(urls.file(relative)),
        "dcat:accessURL": _iri(urls.file(relative)),
        "dcat:mediaType": _iri(IANA + media_type),
        "dcat:byteSize": _typed(str(path.stat().st_size), "xsd:nonNegativeInteger"),
        "spdx:checksum": {
            "@type": "spdx:Checksum",
            "spdx:algorithm": _iri("spdx:checksumAlgorithm_sha256"),
            "spdx:checksumValue": _typed(sha256_file(path), "xsd:hexBinary"),
        },
        "dct:license": _iri(settings.PACKAGE_LICENSE["path"]),
        "dct:issued": _moment(issued),
        "dct:modified": _moment(issued),
    }
    node["dct:format"] = _iri(file_format(media_type, file_type))
    node["dcatap:availability"] = _iri(vocabularies.AVAILABILITY)
    if description:
        node["dct:description"] = _french(description)
    if conforms_to:
        node["dct:conformsTo"] = _iri(conforms_to)
    return node


def file_format(media_type: str, file_type: str | None) -> str:
    """The ``dct:format`` of a file: its EU file type, else its IANA media type (SQLite has no EU
    file type; SEMIC's GeoDCAT-AP mapping gives it the IANA one too)."""
    return EU_FILE_TYPE + file_type if file_type else IANA + media_type


def _resources(store: ReleaseStore, version: str) -> list[Any]:
    """The resources a release's descriptor lists (the store's package, read once per build);
    none when the release cannot be read (its files are then described without them)."""
    try:
        return list(store.package(version).descriptor.get("resources", []))
    except PublishError:
        return []


def release_distributions(store: ReleaseStore, version: str, issued: str, urls: Urls) -> list[Node]:
    """The distributions of release ``version``: datapackage.json, then per resource its CSV,
    JSON and Parquet files, then the spreadsheet (those of its files that exist)."""
    prefix = layout.release_dir(version)
    output = store.home(prefix)  # the output folder, or this run's staging folder
    folder = output / prefix
    found = [
        distribution(
            output,
            f"{prefix}/{layout.DESCRIPTOR_FILE}",
            urls,
            title=f"Descripteur du paquet de données ({layout.DESCRIPTOR_FILE}, Data Package v2)",
            description=DESCRIPTIONS["datapackage"],
            issued=issued,
            conforms_to=settings.DATAPACKAGE_PROFILE,
        )
    ]
    for resource in _resources(store, version):
        if not isinstance(resource, dict) or not isinstance(resource.get("name"), str):
            continue
        schema = resource.get("schemaPath")
        conforms = (
            urls.file(f"{prefix}/{schema}")
            if isinstance(schema, str) and inside(folder, schema) is not None
            else None
        )
        paths = [resource.get("path"), *extra_paths(resource)]
        for path in paths:
            if not isinstance(path, str) or inside(folder, path) is None:
                continue
            fmt = by_suffix(Path(path).suffix)
            kind = fmt.name if fmt else Path(path).suffix.lstrip(".")
            found.append(
                distribution(
                    output,
                    f"{prefix}/{path}",
                    urls,
                    title=f"{resource.get('title') or resource['name']} ({kind})",
                    description=resource.get("description"),
                    issued=issued,
                    conforms_to=conforms if path == resource.get("path") else None,
                )
            )
    found.append(
        distribution(
            output,
            f"{prefix}/{layout.WORKBOOK_FILE}",
            urls,
            title="Toutes les tables dans un classeur (XLSX)",
            description=DESCRIPTIONS["spreadsheet"],
            issued=issued,
        )
    )
    return [node for node in found if node is not None]


def _version_notes(store: ReleaseStore, entry: Mapping[str, Any]) -> str:
    """The release's French change lines (its ``changes.json``, through the store), else its
    version and bump."""
    try:
        changes: Mapping[str, Any] | None = store.changes(entry["version"])
    except PublishError:
        changes = None
    lines = changes.get("summary") if changes else None
    if isinstance(lines, list) and lines and all(isinstance(line, str) for line in lines):
        return "\n".join(lines)
    return f"Version {entry['version']} ({entry.get('bump', '')})."


def _common(urls: Urls) -> Node:
    """What the package and each of its releases say alike."""
    return {
        "dct:description": _french(settings.PACKAGE_DESCRIPTION),
        "dct:publisher": _iri(urls.publisher),
        "dcat:contactPoint": _iri(urls.contact),
        "dct:spatial": _iri(settings.PACKAGE_SPATIAL["uri"]),
        "dct:language": _iri(LANGUAGE),
        "dct:license": _iri(settings.PACKAGE_LICENSE["path"]),
        "dcat:keyword": [_french(word) for word in settings.PACKAGE_KEYWORDS],
        "dcat:theme": _iri(vocabularies.THEME),
    }


def release_class(urls: Urls) -> Node:
    """The class of the releases: a subclass of ``dcat:Dataset``. A SHACL validator checks each
    release as a dataset (``rdfs:subClassOf`` counts for ``sh:targetClass`` and ``sh:class``);
    data.gouv.fr's harvester, which takes the subjects typed ``dcat:Dataset`` itself, imports the
    dataset alone, not one dataset per release, and reports no skipped item."""
    return {
        "@id": urls.release_class,
        "@type": "rdfs:Class",
        "rdfs:subClassOf": _iri("dcat:Dataset"),
        "rdfs:label": _french("Version publiée du jeu de données"),
        "rdfs:comment": _french(
            "Une version publiée, immuable, du jeu de données : ses fichiers ne changent plus. "
            "Le jeu de données (dcat:hasVersion) suit la dernière."
        ),
    }


def release_node(
    store: ReleaseStore, entries: list[Mapping[str, Any]], index: int, urls: Urls
) -> tuple[Node, list[Node]]:
    """The release ``entries[index]`` as a version of the package, and its distributions."""
    entry = entries[index]
    version = entry["version"]
    observed = [e["source_observed"] for e in entries[: index + 1] if e.get("source_observed")]
    distributions = release_distributions(store, version, entry["published"], urls)
    node: Node = {
        "@id": urls.release(version),
        "@type": urls.release_class,
        "dct:title": _french(f"{settings.PACKAGE_TITLE} (version {version})"),
        **_common(urls),
        "dcat:version": version,
        "adms:versionNotes": _french(_version_notes(store, entry)),
        "dct:issued": _moment(entry["published"]),
        "dct:modified": _moment(entry["published"]),
        "dcat:isVersionOf": _iri(urls.dataset),
        "dcat:landingPage": _iri(urls.release_page(version)),
        "dcat:distribution": [_iri(d["@id"]) for d in distributions],
    }
    if index:
        node["dcat:previousVersion"] = _iri(urls.release(entries[index - 1]["version"]))
    period = _period(min(observed) if observed else None, entry.get("source_observed"))
    if period:
        node["dct:temporal"] = period
    return node, distributions


def dataset_node(
    output: Path, entries: list[Mapping[str, Any]], urls: Urls, current: list[Node]
) -> tuple[Node, list[Node]]:
    """The package across its releases (``current``: the latest release's distributions), and
    the distributions only it has (``history.sqlite``)."""
    first, latest = entries[0], entries[-1]
    observed = [e["source_observed"] for e in entries if e.get("source_observed")]
    history = distribution(
        output,
        layout.HISTORY_FILE,
        urls,
        title="Historique de toutes les versions (base SQLite)",
        description=DESCRIPTIONS["history"],
        issued=latest["published"],
    )
    own = [history] if history else []
    node: Node = {
        "@id": urls.dataset,
        "@type": "dcat:Dataset",
        "dct:identifier": settings.PACKAGE_NAME,
        "dct:title": _french(settings.PACKAGE_TITLE),
        **_common(urls),
        "dcat:landingPage": _iri(urls.home),
        "dct:accrualPeriodicity": _iri(settings.PACKAGE_FREQUENCY),
        "dct:issued": _moment(first["published"]),
        "dct:modified": _moment(latest["published"]),
        "dcat:version": latest["version"],
        "dcat:hasCurrentVersion": _iri(urls.release(latest["version"])),
        "dcat:hasVersion": [_iri(urls.release(e["version"])) for e in entries],
        "dcat:distribution": [_iri(d["@id"]) for d in [*current, *own]],
    }
    period = _period(min(observed) if observed else None, latest.get("source_observed"))
    if period:
        node["dct:temporal"] = period
    return node, own


def _agents(urls: Urls) -> list[Node]:
    contact: Node = {
        "@id": urls.contact,
        "@type": "vcard:Organization",
        "vcard:fn": settings.PUBLISHER_NAME,
        "vcard:hasURL": _iri(urls.home),
    }
    if settings.PUBLISHER_EMAIL:
        contact["vcard:hasEmail"] = _iri(f"mailto:{settings.PUBLISHER_EMAIL}")
    return [
        {
            "@id": urls.publisher,
            "@type": "foaf:Agent",
            "foaf:name": settings.PUBLISHER_NAME,
            "dct:type": _iri(settings.PUBLISHER_TYPE),
        },
        contact,
        vocabularies.location_node(),
        {
            "@id": settings.PACKAGE_LICENSE["path"],
            "@type": "dct:LicenseDocument",
            "rdfs:label": _french(settings.PACKAGE_LICENSE["title"]),
            "dct:identifier": settings.PACKAGE_LICENSE["name"],
            "dct:type": _iri(vocabularies.LICENCE_TYPE),
        },
    ]


def catalog_jsonld(output: Path | ReleaseStore, *, base_url: str) -> dict[str, Any]:
    """The DCAT-AP description of the output folder ``output`` (or of the store, which reads
    each release once per build), served at ``base_url``: from its catalog (``releases.json``)
    and its release folders. PublishError when nothing is published."""
    store = output if isinstance(output, ReleaseStore) else ReleaseStore(Path(output))
    output = store.root
    entries: list[Mapping[str, Any]] = list(store.catalog())
    if not entries:
        raise PublishError(f"no release in {output}: nothing to describe in {layout.DCAT_FILE}")
    urls = Urls(base_url)
    releases: list[Node] = []
    files: list[Node] = []
    current: list[Node] = []
    for index in range(len(entries)):
        node, distributions = release_node(store, entries, index, urls)
        releases.append(node)
        files.extend(distributions)
        current = distributions
    # the history as this run staged it, else as published
    dataset, own = dataset_node(store.path(layout.HISTORY_FILE).parent, entries, urls, current)
    catalog: Node = {
        "@id": urls.catalog,
        "@type": "dcat:Catalog",
        "dct:title": _french(f"Catalogue : {settings.PACKAGE_TITLE}"),
        "dct:description": _french(settings.PACKAGE_DESCRIPTION),
        "dct:publisher": _iri(urls.publisher),
        "foaf:homepage": _iri(urls.home),
        "dct:language": _iri(LANGUAGE),
        "dct:license": _iri(settings.PACKAGE_LICENSE["path"]),
        "dct:issued": _moment(entries[0]["published"]),
        "dct:modified": _moment(entries[-1]["published"]),
        "dct:spatial": _iri(settings.PACKAGE_SPATIAL["uri"]),
        "dcat:themeTaxonomy": _iri(vocabularies.DATA_THEMES),
        "dcat:dataset": [_iri(urls.dataset)],
    }
    nodes = [catalog, dataset, *releases, *files, *own, *_agents(urls)]
    return {
        "@context": {**CONTEXT, **vocabularies.PREFIXES},
        "@graph": declare_ranges([*nodes, release_class(urls), *vocabularies.concept_nodes()]),
    }


def write_catalog(
    output: Path | ReleaseStore, *, base_url: str = settings.PUBLIC_BASE_URL
) -> Path | None:
    """Write ``output/catalog.jsonld`` (atomically, and only when its content changes); None,
    and nothing written, while nothing is published. Call it with the output's lock held."""
    store = output if isinstance(output, ReleaseStore) else ReleaseStore(Path(output))
    if not store.catalog():
        return None
    shown, target = store.path(layout.DCAT_FILE), store.target(layout.DCAT_FILE)
    data = json_text(catalog_jsonld(store, base_url=base_url)).encode("utf-8")
    try:
        if shown.is_symlink() or not shown.is_file() or shown.read_bytes() != data:
            write_atomic(target, data, step="dcat-tmp-written")
            return target
    except OSError as exc:
        raise PublishError(
            f"cannot write {store.root / layout.DCAT_FILE}: {exc.strerror or exc}"
        ) from None
    return shown
