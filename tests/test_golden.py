"""The CSVs the pipeline produces for the bundled snapshot equal the reviewed golden files.

On a difference pytest shows a line diff; if the change is intended, run ``make golden`` and
review the diff of ``tests/golden/`` before committing it.
"""

from __future__ import annotations

import pytest

from schemas.registry import RESOURCE_ORDER
from tests.golden.regenerate import GOLDEN_DIR, expected_csvs


@pytest.fixture(scope="module")
def produced() -> dict[str, str]:
    return expected_csvs()


@pytest.mark.parametrize("name", RESOURCE_ORDER)
def test_resource_matches_golden_csv(produced, name):
    golden = (GOLDEN_DIR / f"{name}.csv").read_text(encoding="utf-8")
    assert produced[name].splitlines() == golden.splitlines()
