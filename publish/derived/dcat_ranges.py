"""The classes of the values ``catalog.jsonld`` points to, stated in the catalogue itself.

DCAT-AP 3.0.1 gives each property a range (its ``range.ttl`` shapes: the value of
``dcat:mediaType`` is a ``dct:MediaType``, of ``dct:language`` a ``dct:LinguisticSystem``, …).
A validator that does not reason, and does not fetch the vocabularies, checks a range by the
``rdf:type`` the data states. ``declare_ranges`` reads every IRI the catalogue's nodes point to
through one of ``RANGES``' properties and types it: the node that already describes it gains the
missing classes, any other IRI gets a node of its own (sorted, so the same catalogue gives the same
bytes).

The versions of the dataset are not in ``RANGES`` (``dcat:hasVersion`` …): their class is the
catalogue's own subclass of ``dcat:Dataset`` (see ``dcat.release_class``), never ``dcat:Dataset``
itself, so that a harvester reading ``rdf:type dcat:Dataset`` meets only the dataset.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

Node = dict[str, Any]

#: property -> class of its IRI values, as DCAT-AP 3.0.1 states them
RANGES: Mapping[str, str] = {
    "dcat:accessURL": "rdfs:Resource",
    "dcat:contactPoint": "vcard:Kind",
    "dcat:distribution": "dcat:Distribution",
    "dcat:downloadURL": "rdfs:Resource",
    "dcat:landingPage": "foaf:Document",
    "dcat:mediaType": "dct:MediaType",
    "dcat:theme": "skos:Concept",
    "dcat:themeTaxonomy": "skos:ConceptScheme",
    "dcatap:availability": "skos:Concept",
    "dct:accrualPeriodicity": "dct:Frequency",
    "dct:conformsTo": "dct:Standard",
    "dct:format": "dct:MediaTypeOrExtent",
    "dct:language": "dct:LinguisticSystem",
    "dct:license": "dct:LicenseDocument",
    "dct:publisher": "foaf:Agent",
    "dct:spatial": "dct:Location",
    "dct:type": "skos:Concept",
    "foaf:homepage": "foaf:Document",
    "spdx:algorithm": "spdx:ChecksumAlgorithm",
}


def _iris(value: Any) -> Iterator[str]:
    """The IRIs a property value points to (a reference, or a list of them)."""
    values = value if isinstance(value, list) else [value]
    for item in values:
        if isinstance(item, dict) and isinstance(item.get("@id"), str):
            yield item["@id"]


def _nested(node: Node) -> Iterator[Node]:
    """``node`` and the nodes written inside it (a checksum, a period of time)."""
    yield node
    for value in node.values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict) and "@value" not in item and set(item) != {"@id"}:
                yield from _nested(item)


def required_classes(nodes: list[Node]) -> dict[str, set[str]]:
    """IRI -> the classes ``RANGES`` gives it, for every IRI the nodes point to."""
    required: dict[str, set[str]] = {}
    for top in nodes:
        for node in _nested(top):
            for prop, value in node.items():
                if prop in RANGES:
                    for iri in _iris(value):
                        required.setdefault(iri, set()).add(RANGES[prop])
    return required


def _types(node: Node) -> list[str]:
    kind = node.get("@type", [])
    return list(kind) if isinstance(kind, list) else [kind]


def _with_types(node: Node, classes: set[str]) -> Node:
    types = _types(node)
    missing = sorted(classes - set(types))
    if not missing:
        return node
    merged = [*types, *missing]
    return {**node, "@type": merged[0] if len(merged) == 1 else merged}


def declare_ranges(nodes: list[Node]) -> list[Node]:
    """``nodes`` with the classes their values need: a node already in the list gains its
    missing classes in place of itself, the other IRIs are appended, sorted, as typed nodes."""
    required = required_classes(nodes)
    described = {node["@id"] for node in nodes if isinstance(node.get("@id"), str)}
    typed = [_with_types(node, required.get(node.get("@id", ""), set())) for node in nodes]
    extra = [
        _with_types({"@id": iri}, classes)
        for iri, classes in sorted(required.items())
        if iri not in described
    ]
    return typed + extra
