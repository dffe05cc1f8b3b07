"""The standalone Table Schemas a release publishes: ``schemas/<resource>.json``.

Each is the resource's schema from ``schemas/tables/`` (the one source of truth) with the metadata
schema.data.gouv.fr asks for (``name``, ``title``, ``description``, ``homepage``, ``version``,
``contributors``) and encourages (``path``, ``created``, ``lastModified``, ``licenses``,
``countryCode``, ``keywords``, ``resources``), and an ``example`` for every field, as a CSV cell
(Table Schema: the example is a string; a list joins its items with the field's delimiter).

A standalone schema validates its CSV file alone, as Validata (schema.data.gouv.fr, data.gouv.fr)
and ``frictionless validate --schema`` do: it keeps a foreign key to its own table (written as
Table Schema's self-reference, ``"resource": ""``) and leaves out those to other tables, which need
the whole package (« package is required for foreign keys to other resources »). Those stay in
``datapackage.json`` and in the data dictionary, where the package is at hand.

The schema's ``version`` is the package's MAJOR.MINOR.0: fields, types and constraints change
only in a MAJOR or a MINOR release (``publish/release/bump.py``). A PATCH release keeps them; its
titles,
descriptions or examples may read better, and its ``path`` and ``lastModified`` are its own.

Examples are taken, in this order, from: the release's own rows (the first value; for a list, a
value of several items, else two items the rows hold), for a foreign key the example of the field
it points to, the field's enum, its title (or its title as an identifier), a value its description
quotes, a value of the same type elsewhere in the rows, a value by type. Each candidate is checked
against the field (type, format and constraints, with frictionless); the first valid one is kept.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from core import settings
from core.errors import PublishError
from normalise.rules import slug
from publish import layout
from publish.formats.table import CSV
from schemas import registry

Rows = Sequence[Mapping[str, Any]]

#: the last resort, by field type (a string falls back on its title before)
TYPE_EXAMPLES = {
    "integer": "1",
    "number": "1.5",
    "boolean": "true",
    "date": "2021-01-04",
    "time": "09:00:00",
    "datetime": "2021-01-04T09:00:00Z",
    "year": "2021",
    "yearmonth": "2021-01",
    "list": "a,b",
}
FORMAT_EXAMPLES = {"email": "contact@example.org", "uri": "https://www.isere.gouv.fr/"}
#: what surrounds a value quoted in a description
PUNCTUATION = "«»“”\"'()[],;:.!?"
CLOCK = re.compile(r"^(\d{1,2})[:h](\d{2})$")
FRENCH_DATE = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")


def schema_version(version: str) -> str:
    """MAJOR.MINOR.0 of a package version ("1.4.2" -> "1.4.0"); anything else as it is."""
    parts = version.split(".")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        return f"{parts[0]}.{parts[1]}.0"
    return version


def cell_text(field: Mapping[str, Any], value: Any) -> str:
    """A plain JSON value as the text of its CSV cell ("" for a missing one)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return str(field.get("delimiter", ",")).join(str(item) for item in value)
    return str(value)


@functools.cache
def _reader(descriptor_json: str) -> Any:
    """The frictionless field of a descriptor (built once: each costs about a millisecond)."""
    from frictionless import Field

    return Field.from_descriptor(json.loads(descriptor_json))


def readers_ready() -> None:
    """frictionless ready to read cells: its plugins found and its profiles compiled, which its
    first field costs (about 50 ms). The standby does it before it is given the schemas
    (``core.standby``)."""
    _reader(json.dumps({"name": "ready", "type": "string"}))


def is_valid(field: Mapping[str, Any], text: str) -> bool:
    """Whether ``text`` is a valid, non-empty cell of ``field``: type, format and constraints
    (frictionless), and the items' enum of a list (``itemConstraints``, this project's own)."""
    if not text:
        return False
    descriptor = {k: v for k, v in field.items() if k != "itemConstraints"}
    value, notes = _reader(json.dumps(descriptor, sort_keys=True)).read_cell(text)
    if notes:
        return False
    allowed = field.get("itemConstraints", {}).get("enum")
    return not allowed or all(item in allowed for item in value)


def _from_rows(field: Mapping[str, Any], rows: Rows) -> Iterator[str]:
    texts = [cell_text(field, row.get(field["name"])) for row in rows]
    texts = [t for t in texts if t]
    if field.get("type") == "list":
        yield from _list_from_rows(field, texts)
    yield from texts[:1]


def _list_from_rows(field: Mapping[str, Any], texts: list[str]) -> Iterator[str]:
    """A list showing its delimiter: a value of several items, else two items seen in the rows
    (in the order of the items' enum, when there is one)."""
    delimiter = str(field.get("delimiter", ","))
    yield from [t for t in texts if delimiter in t][:1]
    items = list(dict.fromkeys(item for t in texts for item in t.split(delimiter)))
    order = field.get("itemConstraints", {}).get("enum") or items
    items.sort(key=lambda item: order.index(item) if item in order else len(order))
    if len(items) > 1:
        yield delimiter.join(items[:2])


def _from_enum(field: Mapping[str, Any]) -> Iterator[str]:
    enum = field.get("constraints", {}).get("enum")
    if enum:
        yield str(enum[0])
    items = field.get("itemConstraints", {}).get("enum")
    if items:
        yield str(field.get("delimiter", ",")).join(str(item) for item in items[:2])


def _quoted(field: Mapping[str, Any]) -> Iterator[str]:
    """The words of the field's description, as cells of its type (« 14h » or 14:00 for a time,
    a French date for a date): a telephone number, an hour, an example number."""
    for word in str(field.get("description", "")).split():
        word = word.strip(PUNCTUATION)
        if field.get("type") == "time" and (clock := CLOCK.match(word)):
            yield f"{int(clock[1]):02d}:{clock[2]}:00"
        elif field.get("type") == "date" and (day := FRENCH_DATE.match(word)):
            yield f"{day[3]}-{day[2]}-{day[1]}"
        else:
            yield word


def _same_type(field: Mapping[str, Any], rows: Mapping[str, Rows]) -> Iterator[str]:
    """A value of a field of the same type (not a string) elsewhere in the release."""
    if field.get("type", "string") == "string":
        return
    for name in registry.RESOURCE_ORDER:
        for other in registry.fields(name):
            if other.get("type") == field.get("type") and other.get("format") == field.get(
                "format"
            ):
                yield from _from_rows(other, rows.get(name, []))


def _by_type(field: Mapping[str, Any]) -> Iterator[str]:
    kind = field.get("type", "string")
    if kind == "integer" and "minimum" in field.get("constraints", {}):
        yield str(field["constraints"]["minimum"])
    if field.get("format") in FORMAT_EXAMPLES:
        yield FORMAT_EXAMPLES[field["format"]]
    if kind in TYPE_EXAMPLES:
        yield TYPE_EXAMPLES[kind]


def candidates(
    field: Mapping[str, Any],
    rows: Mapping[str, Rows],
    own: Rows,
    referenced: str | None,
) -> Iterator[str]:
    """Every example worth trying for ``field``, best first (``own``: its resource's rows;
    ``referenced``: the example of the field a foreign key points to)."""
    yield from _from_rows(field, own)
    if referenced:
        yield referenced
    yield from _from_enum(field)
    if field.get("type", "string") == "string":
        yield str(field.get("title", ""))
        yield slug(str(field.get("title", "")))
    yield from _quoted(field)
    yield from _same_type(field, rows)
    yield from _by_type(field)


def _references(name: str) -> dict[str, tuple[str, str]]:
    """Field -> (resource, field) it points to, for each foreign key of ``name``."""
    found = {}
    for key in registry.foreign_keys(name):
        target = key["reference"]
        here = [key["fields"]] if isinstance(key["fields"], str) else key["fields"]
        there = [target["fields"]] if isinstance(target["fields"], str) else target["fields"]
        for mine, theirs in zip(here, there, strict=False):
            found[mine] = (target.get("resource") or name, theirs)
    return found


def field_examples(rows: Mapping[str, Rows]) -> dict[str, dict[str, str]]:
    """Resource -> field -> example, for every field of every resource (parents first, so that a
    foreign key can take the example of the field it points to)."""
    examples: dict[str, dict[str, str]] = {}
    for name in registry.RESOURCE_ORDER:
        examples[name] = {}
        references = _references(name)
        for field in registry.fields(name):
            target = references.get(field["name"])
            referenced = examples.get(target[0], {}).get(target[1]) if target else None
            # a value of the release's own rows is valid (the rows passed pandera, and the
            # written package passes frictionless): only the other candidates are checked
            example = next(_from_rows(field, rows.get(name, [])), None) or next(
                (
                    text
                    for text in candidates(field, rows, rows.get(name, []), referenced)
                    if is_valid(field, text)
                ),
                None,
            )
            if example is None:
                raise PublishError(f"no valid example for the field {name}.{field['name']}")
            examples[name][field["name"]] = example
    return examples


def standalone_foreign_keys(name: str, keys: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The foreign keys of resource ``name`` that its CSV file can be checked against alone: those
    to itself, as self-references (``"resource": ""``); the keys to other resources are left out."""
    own = []
    for key in keys:
        reference = dict(key["reference"])
        if reference.get("resource", "") in ("", name):
            own.append({**key, "reference": {**reference, "resource": ""}})
    return own


def _day(timestamp: str) -> str:
    return timestamp[:10]


def published_schema(
    name: str,
    examples: Mapping[str, str],
    *,
    version: str,
    created: str,
    first_published: str | None,
    base_url: str,
) -> dict[str, Any]:
    """The standalone Table Schema of resource ``name`` in release ``version`` (published at
    ``created``; ``first_published``: when the first release of the package was)."""
    base = base_url.rstrip("/")
    release = f"{base}/{layout.release_dir(version)}"
    meta = registry.resource_meta(name)
    table = registry.table_schema(name)
    fields = [{**field, "example": examples[field["name"]]} for field in table.pop("fields")]
    keys = standalone_foreign_keys(name, table.pop("foreignKeys", []))
    if keys:
        table["foreignKeys"] = keys
    contributor: dict[str, Any] = {
        "title": settings.PUBLISHER_NAME,
        "path": f"{base}/{layout.SITE_HOME}",
        "role": "publisher",
    }
    if settings.PUBLISHER_EMAIL:
        contributor["email"] = settings.PUBLISHER_EMAIL
    return {
        "$schema": settings.TABLESCHEMA_PROFILE,
        "name": f"{settings.PACKAGE_NAME}-{name.replace('_', '-')}",
        "title": meta["title"],
        "description": meta["description"],
        "keywords": list(settings.PACKAGE_KEYWORDS),
        "countryCode": settings.COUNTRY_CODE,
        "homepage": f"{base}/{layout.SITE_HOME}",
        "path": f"{release}/{layout.schema_file(name)}",
        "licenses": [dict(settings.PACKAGE_LICENSE)],
        "resources": [
            {
                "title": f"Fichier valide : {meta['title']} (version {version}, CSV)",
                "name": f"{name.replace('_', '-')}-csv",
                "path": f"{release}/{layout.data_file(name, CSV.suffix)}",
            }
        ],
        "created": _day(first_published or created),
        "lastModified": _day(created),
        "version": schema_version(version),
        "contributors": [contributor],
        "fields": fields,
        **table,
    }


def schema_files(
    rows: Mapping[str, Rows],
    *,
    version: str,
    created: str,
    first_published: str | None,
    base_url: str,
) -> dict[str, dict[str, Any]]:
    """Relative path -> standalone schema, for every resource of the release."""
    examples = field_examples(rows)
    return {
        layout.schema_file(name): published_schema(
            name,
            examples[name],
            version=version,
            created=created,
            first_published=first_published,
            base_url=base_url,
        )
        for name in registry.RESOURCE_ORDER
    }
