"""Check CSV files against Table Schemas with Validata, as data.gouv.fr checks a resource that
declares a schema, and print one JSON report per file.

Runs in the environment of ``tools/validata`` (``make validata`` installs it), not the project's:

    .venv-validata/bin/python tools/validata/validate.py SCHEMA CSV [SCHEMA CSV ...]

The output is a JSON list of ``{"schema", "path", "report"}``, ``report`` being Validata's own
(``valid``, ``errors`` with their French messages, ``warnings``, ``stats``). Exit status 0 when
every file is valid, 1 when one is not, 2 on wrong usage. Nothing is fetched: the schema and the
file are read from disk. (validata-table 0.12.5's own ``validata`` command cannot start: its entry
point names a module the package no longer has; this calls the same validation it would.)
"""

from __future__ import annotations

import json
import sys
from typing import Any


def report(schema: str, path: str) -> dict[str, Any]:
    """Validata's report on the CSV file ``path`` against the Table Schema file ``schema``."""
    from validata_core import resource_service, validation_service

    with open(path, "rb") as handle:
        resource = resource_service.from_file_content(path, handle.read())
    result: dict[str, Any] = validation_service.validate_resource(resource, schema).to_dict()
    return result


def main(argv: list[str]) -> int:
    if not argv or len(argv) % 2:
        print("usage: validate.py SCHEMA CSV [SCHEMA CSV ...]", file=sys.stderr)
        return 2
    reports = [
        {"schema": schema, "path": path, "report": report(schema, path)}
        for schema, path in zip(argv[::2], argv[1::2], strict=True)
    ]
    json.dump(reports, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0 if all(item["report"]["valid"] for item in reports) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
