"""The controlled vocabularies ``catalog.jsonld`` takes its values from, and the nodes that
describe those values for a validator that reads nothing but the catalogue.

DCAT-AP 3.0.1 recommends a data theme, a planned availability for each distribution, a type for
the publisher and for the licence, and a bounding box and centroid for a spatial coverage. Each
value is an IRI of an EU or ADMS vocabulary; the catalogue states its class and label itself (a
``skos:Concept`` needs a ``skos:prefLabel`` in DCAT-AP's shapes), since a validator that does not
fetch the vocabularies sees only what the file says.

- data theme: ``GOVE`` (« Gouvernement et secteur public »): the data describe how a public
  service, the prefecture's immigration department, receives people; they are neither statistics
  nor facts about the population (``SOCI``);
- availability: ``STABLE`` for every distribution: a release's files never change and stay at
  their address, and ``history.sqlite`` keeps its address at the root of the output folder;
- licence type: ``Attribution`` (the Licence Ouverte 2.0 asks only for the source to be named);
- publisher type: ``settings.PUBLISHER_TYPE``, labelled from ``PUBLISHER_TYPES``.
"""

from __future__ import annotations

from typing import Any

from core import settings

Node = dict[str, Any]

#: prefixes the vocabulary nodes use, beside those of ``dcat.CONTEXT``
PREFIXES = {
    "dcatap": "http://data.europa.eu/r5r/",
    "gsp": "http://www.opengis.net/ont/geosparql#",
    "locn": "http://www.w3.org/ns/locn#",
}

EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"
DATA_THEMES = EU_AUTHORITY + "data-theme"
THEME = f"{DATA_THEMES}/GOVE"
THEME_LABELS = {"fr": "Gouvernement et secteur public", "en": "Government and public sector"}
AVAILABILITY = EU_AUTHORITY + "planned-availability/STABLE"
AVAILABILITY_LABELS = {"fr": "stable", "en": "stable"}
LICENCE_TYPE = "http://purl.org/adms/licencetype/Attribution"
LICENCE_TYPE_LABELS = {"en": "Attribution"}
#: the ADMS publisher types (``settings.PUBLISHER_TYPE`` is one of them) and their English labels
PUBLISHER_TYPES = {
    f"http://purl.org/adms/publishertype/{name}": label
    for name, label in (
        ("Academia-ScientificOrganisation", "Academia/Scientific organisation"),
        ("Company", "Company"),
        ("IndustryConsortium", "Industry consortium"),
        ("LocalAuthority", "Local Authority"),
        ("NationalAuthority", "National authority"),
        ("NonGovernmentalOrganisation", "Non-Governmental Organisation"),
        ("NonProfitOrganisation", "Non-Profit Organisation"),
        ("PrivateIndividual(s)", "Private Individual(s)"),
        ("RegionalAuthority", "Regional authority"),
        ("StandardisationBody", "Standardisation body"),
        ("SupraNationalAuthority", "Supra-national authority"),
    )
}
#: the coordinate reference system of the geometries: longitude, latitude in WGS 84
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"


def _labels(labels: dict[str, str]) -> list[Node]:
    return [{"@value": text, "@language": language} for language, text in labels.items()]


def _concept(iri: str, labels: dict[str, str], scheme: str | None = None) -> Node:
    node: Node = {"@id": iri, "@type": "skos:Concept", "skos:prefLabel": _labels(labels)}
    if scheme:
        node["skos:inScheme"] = {"@id": scheme}
    return node


def concept_nodes(publisher_type: str = settings.PUBLISHER_TYPE) -> list[Node]:
    """The concepts the catalogue uses (theme, availability, licence and publisher types) and
    the data-theme scheme of the catalogue's ``dcat:themeTaxonomy``."""
    if publisher_type not in PUBLISHER_TYPES:
        raise ValueError(f"unknown ADMS publisher type {publisher_type!r}")
    return [
        {
            "@id": DATA_THEMES,
            "@type": "skos:ConceptScheme",
            "dct:title": _labels({"fr": "Thèmes de données", "en": "Data theme"}),
        },
        _concept(THEME, THEME_LABELS, DATA_THEMES),
        _concept(AVAILABILITY, AVAILABILITY_LABELS, EU_AUTHORITY + "planned-availability"),
        _concept(LICENCE_TYPE, LICENCE_TYPE_LABELS, "http://purl.org/adms/licencetype/1.1"),
        _concept(
            publisher_type,
            {"en": PUBLISHER_TYPES[publisher_type]},
            "http://purl.org/adms/publishertype/1.0",
        ),
    ]


def _number(value: float) -> str:
    return f"{value:.3f}"


def bbox_wkt(west: float, south: float, east: float, north: float) -> Node:
    """A bounding box as a WKT polygon (longitude latitude, CRS84, counter-clockwise): the form
    data.gouv.fr's harvester turns into the dataset's spatial coverage."""
    corners = [(west, south), (east, south), (east, north), (west, north), (west, south)]
    ring = ", ".join(f"{_number(x)} {_number(y)}" for x, y in corners)
    return {"@value": f"POLYGON(({ring}))", "@type": "gsp:wktLiteral"}


def centroid_gml(longitude: float, latitude: float) -> Node:
    """A point as GML. data.gouv.fr's harvester reads WKT and GeoJSON geometries of a spatial
    coverage and logs a warning for a point in those forms; GML, as standard for DCAT-AP, it
    leaves aside."""
    point = (
        f'<gml:Point xmlns:gml="http://www.opengis.net/gml/3.2" srsName="{CRS84}">'
        f"<gml:pos>{_number(longitude)} {_number(latitude)}</gml:pos></gml:Point>"
    )
    return {"@value": point, "@type": "gsp:gmlLiteral"}


def location_node(
    spatial: dict[str, str] = settings.PACKAGE_SPATIAL,
    bbox: tuple[float, float, float, float] = settings.PACKAGE_SPATIAL_BBOX,
    centroid: tuple[float, float] = settings.PACKAGE_SPATIAL_CENTROID,
) -> Node:
    """The ``dct:Location`` of the spatial coverage: the INSEE département, its label and code,
    with its bounding box and centroid."""
    return {
        "@id": spatial["uri"],
        "@type": "dct:Location",
        "skos:prefLabel": {"@value": spatial["title"], "@language": settings.PACKAGE_LANGUAGE},
        "skos:notation": spatial["insee"],
        "dcat:bbox": bbox_wkt(*bbox),
        "dcat:centroid": centroid_gml(*centroid),
    }
