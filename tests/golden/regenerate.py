"""Regenerate the golden CSVs from the bundled snapshot and the digests of a three-release
series (``series.py``): ``make golden``, then review the diff.

The golden files are never edited by hand; ``tests/test_golden.py`` compares them with what the
pipeline produces now.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from extract import extract_table
from publish.formats.tabular import csv_text
from rdv_opendata.pipeline import build_frames
from rdv_opendata.settings import DEFAULT_SOURCE
from schemas.frames import to_records
from schemas.registry import RESOURCE_ORDER
from tests.golden.series import DIGESTS, build_series, digests, write_digests

GOLDEN_DIR = Path(__file__).parent


def expected_csvs() -> dict[str, str]:
    frames = build_frames(extract_table(DEFAULT_SOURCE.read_bytes()))
    return {name: csv_text(name, to_records(name, frames[name])) for name in RESOURCE_ORDER}


def main() -> None:
    for name, text in expected_csvs().items():
        path = GOLDEN_DIR / f"{name}.csv"
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
    with tempfile.TemporaryDirectory() as work:
        write_digests(digests(build_series(Path(work))))
    print(f"wrote {DIGESTS}")


if __name__ == "__main__":
    main()
