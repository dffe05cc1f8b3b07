"""The format table: every format the project publishes, said once, with its suffix, IANA media
type, EU file type (the Publications Office's authority list), and its writer and reader.

Adding a format is adding a row here: the package (``publish.release.package``), the DCAT
catalogue, the untrusted-descriptor check and the download all read this table.

- ``RESOURCE_FORMATS``: each resource of a release in each of these, CSV first (the resource's
  own ``path``; the others are objects of the resource named by their ``key``).
- ``WORKBOOK``: the whole release in one spreadsheet (``layout.WORKBOOK_FILE``).
- ``DATABASE``: every release in one SQLite database (``layout.HISTORY_FILE``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from publish.formats import tabular

#: ``writer(resource, rows)``: the file's bytes
Writer = Callable[[str, tabular.Rows], bytes]
#: ``reader(data, table_schema)``: the rows, as plain JSON values
Reader = Callable[[bytes, tabular.Schema], tabular.Rows]


@dataclass(frozen=True)
class Format:
    key: str  # the descriptor's name of the format (``format``, or the resource's object)
    name: str  # as catalogues show it
    suffix: str
    media_type: str  # IANA
    eu_file_type: str | None  # http://publications.europa.eu/resource/authority/file-type/<…>
    writer: Writer | None = None  # None: written by its own module (the workbook, the history)
    reader: Reader | None = None  # None: read by an application (a spreadsheet, Datasette)
    description: str | None = None  # said in the descriptor, in French

    def __str__(self) -> str:
        return self.key


CSV = Format("csv", "CSV", ".csv", "text/csv", "CSV", tabular.write_csv, tabular.read_csv)
JSON = Format(
    "json", "JSON", ".json", "application/json", "JSON", tabular.write_json, tabular.read_json
)
PARQUET = Format(
    "parquet",
    "Parquet",
    ".parquet",
    "application/vnd.apache.parquet",
    "PARQUET",
    tabular.write_parquet,
    tabular.read_parquet,
    description="Mêmes lignes en Parquet, types conservés : dates, entiers nullables, booléens, "
    "énumérations en catégories.",
)
WORKBOOK = Format(
    "spreadsheet",
    "XLSX",
    ".xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "XLSX",
    description="Toutes les tables dans un classeur pour tableur : une feuille « Synthèse » par "
    "type de rendez-vous, puis une feuille par table (titres et libellés en français, dates et "
    "nombres typés, OUI/NON, feuille « Dictionnaire »).",
)
DATABASE = Format("sqlite", "SQLite", ".sqlite", "application/vnd.sqlite3", None)

RESOURCE_FORMATS: tuple[Format, ...] = (CSV, JSON, PARQUET)
FORMATS: tuple[Format, ...] = (*RESOURCE_FORMATS, WORKBOOK, DATABASE)
#: the formats of a resource given as an object of the resource (``resource["json"]`` …)
EXTRA_FORMATS: tuple[Format, ...] = RESOURCE_FORMATS[1:]


def by_suffix(suffix: str) -> Format | None:
    """The format of a file name's suffix, None when the project publishes no such format."""
    return next((f for f in FORMATS if f.suffix == suffix), None)


def extra_paths(resource: dict[str, Any]) -> list[Any]:
    """The paths a resource names for its other formats (as given: an untrusted descriptor may
    hold anything there; objects without a path give None)."""
    return [
        extra.get("path")
        for extra in (resource.get(fmt.key) for fmt in EXTRA_FORMATS)
        if isinstance(extra, dict)
    ]
