"""What data.gouv.fr's DCAT harvester does with one page of a catalogue, reduced to the rules that
decide what it imports, so that a test can read ``catalog.jsonld`` as it does without udata's
server (MongoDB, Flask). Read from udata's ``udata/harvest/backends/dcat.py`` (``DcatBackend``),
``udata/harvest/backends/base.py`` (``process_dataset``), ``udata/core/dataset/rdf.py``
(``dataset_from_rdf``, ``resource_from_rdf``, ``spatial_from_rdf``, ``temporal_from_rdf``) and
``udata/rdf.py`` (``themes_from_rdf``, ``schema_from_rdf``):

- each subject typed ``dcat:Dataset`` or ``dcat:DatasetSeries`` is an item (``rdf:type`` itself:
  ``rdfs:subClassOf`` is not followed), except one without a title whose only link in the page is
  a ``dcat:servesDataset`` or ``dct:hasPart`` (it is left aside without an item);
- an item without ``dct:identifier`` is *skipped* (« missing identifier »), one without
  ``dct:title`` too (« missing title on dataset »); the others become datasets;
- a dataset's resources are its distributions that have a URL (download URL, else access URL),
  with a format (EU file type, else IANA media type, lower case), a checksum when its algorithm is
  MD5, SHA-1 or SHA-256, and the schema it conforms to;
- its spatial coverage is the polygons of the WKT or GeoJSON literals on its ``dct:spatial``
  nodes (any other geometry is logged as unsupported; other literals are ignored); its temporal
  coverage is read from a ``dct:PeriodOfTime`` written in the page, an IRI being fetched instead;
- its tags are its keywords and the labels of its themes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import rdflib
from rdflib.namespace import RDF, RDFS

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
GSP = rdflib.Namespace("http://www.opengis.net/ont/geosparql#")
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
EU_FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"
IANA = "https://www.iana.org/assignments/media-types/"
CHECKSUMS = {
    SPDX.checksumAlgorithm_md5: "md5",
    SPDX.checksumAlgorithm_sha1: "sha1",
    SPDX.checksumAlgorithm_sha256: "sha256",
}
DEFAULT_LANGUAGE = "fr"  # data.gouv.fr's


@dataclass
class Resource:
    url: str
    title: str | None
    format: str | None
    mime: str | None
    filesize: int | None
    checksum: tuple[str, str] | None
    schema: str | None


@dataclass
class Item:
    node: rdflib.term.Node
    remote_id: str | None
    status: str  # "done" or "skipped"
    error: str | None = None
    resources: list[Resource] = field(default_factory=list)
    polygons: list[list] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    temporal: tuple[str | None, str | None] | None = None
    frequency: str | None = None
    tags: list[str] = field(default_factory=list)


def value(graph: rdflib.Graph, node, prop) -> rdflib.term.Node | None:
    """One value, the one in the default language when there are several literals."""
    values = list(graph.objects(node, prop))
    for candidate in values:
        if isinstance(candidate, rdflib.Literal) and candidate.language == DEFAULT_LANGUAGE:
            return candidate
    return values[0] if values else None


def text(graph: rdflib.Graph, node, prop) -> str | None:
    found = value(graph, node, prop)
    return str(found) if found is not None else None


def external(graph: rdflib.Graph, node) -> bool:
    if value(graph, node, DCT.title) is not None:
        return False
    links = list(graph.subject_predicates(node))
    return len(links) == 1 and links[0][1] in (DCAT.servesDataset, DCT.hasPart)


def file_format(graph: rdflib.Graph, distribution) -> str | None:
    found = value(graph, distribution, DCT["format"])
    if found is None:
        return None
    label = value(graph, found, RDFS.label)
    name = str(label if label is not None else found)
    if name.startswith(EU_FILE_TYPE):
        return name.removeprefix(EU_FILE_TYPE).lower()
    if name.startswith(IANA):
        return name.removeprefix(IANA).split("/")[-1].lower()
    return name.lower()


def checksum(graph: rdflib.Graph, distribution) -> tuple[str, str] | None:
    node = value(graph, distribution, SPDX.checksum)
    named = value(graph, node, SPDX.algorithm) if node is not None else None
    algorithm = CHECKSUMS.get(named) if isinstance(named, rdflib.URIRef) else None
    return (algorithm, text(graph, node, SPDX.checksumValue) or "") if algorithm else None


def resource(graph: rdflib.Graph, distribution) -> Resource | None:
    url = text(graph, distribution, DCAT.downloadURL) or text(graph, distribution, DCAT.accessURL)
    if not url:
        return None
    mime = text(graph, distribution, DCAT.mediaType)
    size = value(graph, distribution, DCAT.byteSize)
    return Resource(
        url=url,
        title=text(graph, distribution, DCT.title),
        format=file_format(graph, distribution),
        mime=mime.removeprefix(IANA) if mime else None,
        filesize=int(size) if isinstance(size, rdflib.Literal) else None,
        checksum=checksum(graph, distribution),
        schema=text(graph, distribution, DCT.conformsTo),
    )


def geometry(literal: rdflib.Literal) -> dict | None:
    """The GeoJSON of a WKT or GeoJSON literal (None for another literal)."""
    if literal.datatype == GSP.geoJSONLiteral:
        return json.loads(str(literal))
    if literal.datatype != GSP.wktLiteral:
        return None
    wkt = str(literal).strip().upper()
    kind = wkt.split("(", 1)[0].strip()
    if kind != "POLYGON":
        return {"type": kind.title(), "coordinates": []}
    ring = wkt.removeprefix("POLYGON").strip().removeprefix("((").removesuffix("))")
    points = [[float(n) for n in pair.split()] for pair in ring.split(",")]
    return {"type": "Polygon", "coordinates": [points]}


def spatial(graph: rdflib.Graph, node, item: Item) -> None:
    for term in graph.objects(node, DCT.spatial):
        for literal in graph.objects(term, None):
            found = geometry(literal) if isinstance(literal, rdflib.Literal) else None
            if found is None:
                continue
            if found["type"] == "Polygon":
                item.polygons.append(found["coordinates"])
            else:
                item.warnings.append(f"Unsupported GeoJSON type '{found['type']}'")


def temporal(graph: rdflib.Graph, node) -> tuple[str | None, str | None] | None:
    period = value(graph, node, DCT.temporal)
    if period is None:
        return None
    if isinstance(period, rdflib.URIRef):
        raise AssertionError(f"the harvester would fetch {period} from the network")
    return text(graph, period, DCAT.startDate), text(graph, period, DCAT.endDate)


def tags(graph: rdflib.Graph, node) -> list[str]:
    words = [str(k) for k in graph.objects(node, DCAT.keyword) if isinstance(k, rdflib.Literal)]
    for theme in graph.objects(node, DCAT.theme):
        label = text(graph, theme, SKOS.prefLabel)
        words.append(label if label else str(theme))
    return sorted(set(words))


def dataset(graph: rdflib.Graph, node, remote_id: str) -> Item:
    item = Item(node=node, remote_id=remote_id, status="done")
    distributions = list(graph.objects(node, DCAT.distribution))
    item.resources = [r for r in (resource(graph, d) for d in distributions) if r is not None]
    spatial(graph, node, item)
    item.temporal = temporal(graph, node)
    frequency = text(graph, node, DCT.accrualPeriodicity)
    if frequency and frequency.startswith(EU_FREQUENCY):
        item.frequency = frequency.removeprefix(EU_FREQUENCY).lower()
    item.tags = tags(graph, node)
    return item


def harvest(graph: rdflib.Graph) -> list[Item]:
    """The items of one harvest of the page ``graph``, in the harvester's order of subjects."""
    nodes = dict.fromkeys(
        [*graph.subjects(RDF.type, DCAT.Dataset), *graph.subjects(RDF.type, DCAT.DatasetSeries)]
    )
    items = []
    for node in nodes:
        if external(graph, node):
            continue
        remote_id = text(graph, node, DCT.identifier)
        if not remote_id:
            items.append(Item(node, None, "skipped", "missing identifier"))
        elif value(graph, node, DCT.title) is None:
            items.append(Item(node, remote_id, "skipped", "missing title on dataset"))
        else:
            items.append(dataset(graph, node, remote_id))
    return items
