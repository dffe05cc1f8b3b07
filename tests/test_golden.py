"""The CSVs the pipeline produces for the bundled snapshot equal the reviewed golden files.

On a difference pytest shows a line diff; if the change is intended, run ``make golden`` and
review the diff of ``tests/golden/`` before committing it.
"""

from __future__ import annotations

import pytest

from schemas.registry import RESOURCE_ORDER
from tests.golden.regenerate import GOLDEN_DIR, expected_csvs
from tests.golden.series import build_series, digests, read_digests


@pytest.fixture(scope="module")
def produced() -> dict[str, str]:
    return expected_csvs()


@pytest.mark.parametrize("name", RESOURCE_ORDER)
def test_resource_matches_golden_csv(produced, name):
    golden = (GOLDEN_DIR / f"{name}.csv").read_text(encoding="utf-8")
    assert produced[name].splitlines() == golden.splitlines()


@pytest.mark.slow
def test_a_three_release_series_is_byte_identical_to_the_reviewed_one(tmp_path):
    """Every file of the output folder (releases, catalogue, feeds, site, history database)
    after three releases under a fixed clock: a refactoring changes none of their bytes."""
    found, expected = digests(build_series(tmp_path)), read_digests()
    assert sorted(found) == sorted(expected)
    assert [name for name in expected if found[name] != expected[name]] == []
