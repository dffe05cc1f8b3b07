"""Shared fixtures. Prefect gets a throw-away home before anything imports it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="rdv-prefect-home-"))
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
# a developer's own alert targets must never receive the tests' messages
os.environ.pop("RDV_OPENDATA_NOTIFY", None)
os.environ.pop("RDV_OPENDATA_SOURCE", None)

from rdv_opendata.settings import DEFAULT_SOURCE  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
HTML_PAGE = FIXTURES / "forms" / "seed-page-windows-1252.html"


@pytest.fixture(scope="session")
def seed_bytes() -> bytes:
    return DEFAULT_SOURCE.read_bytes()


@pytest.fixture(scope="session")
def seed_text(seed_bytes: bytes) -> str:
    return seed_bytes.decode("utf-8")


@pytest.fixture(scope="session")
def page_bytes() -> bytes:
    return HTML_PAGE.read_bytes()


@pytest.fixture(scope="session")
def page_text(page_bytes: bytes) -> str:
    return page_bytes.decode("windows-1252")


@pytest.fixture(scope="module")
def two_releases(tmp_path_factory, seed_text) -> Path:
    """An output folder with 1.0.0 (the snapshot) and 1.1.0 (a visibility 6 -> 8 weeks)."""
    from rdv_opendata import pipeline

    folder = tmp_path_factory.mktemp("two-releases")
    output = folder / "out"
    pipeline.run(None, output)
    edited = folder / "edited.txt"
    edited.write_text(
        seed_text.replace("Visibilité à 6 semaines", "Visibilité à 8 semaines"), encoding="utf-8"
    )
    pipeline.run(str(edited), output)
    return output


@pytest.fixture(scope="session")
def prefect_harness():
    """One real (temporary) Prefect API for the whole session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
