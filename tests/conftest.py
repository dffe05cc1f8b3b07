"""Shared fixtures. Prefect gets a throw-away home before anything imports it."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="rdv-prefect-home-"))
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
# a developer's own alert targets must never receive the tests' messages
os.environ.pop("RDV_OPENDATA_NOTIFY", None)
os.environ.pop("RDV_OPENDATA_SOURCE", None)

from rdv_opendata.settings import DEFAULT_SOURCE

# one profile for every property: no per-example deadline (a loaded CI machine is slow, not
# wrong); in CI (CI=true) the examples are derandomised, so a red build is reproducible
settings.register_profile("rdv", deadline=None, derandomize=bool(os.environ.get("CI")))
settings.load_profile("rdv")

#: the test tiers: ``pytest -m "not slow and not server and not browser"`` is the fast one
MARKERS = {
    "slow": "takes more than ~3 s (crash and kill tests, flows, backfill, state machines)",
    "server": "starts a server process (Prefect, Datasette)",
    "browser": "runs Chromium (skipped when it is not installed)",
}
NO_CHROMIUM = "chromium is not installed: run `make browser`"


def pytest_configure(config: pytest.Config) -> None:
    for name, meaning in MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {meaning}")


def chromium_path() -> str | None:
    """Chromium on PATH, else Debian's /usr/bin/chromium, else None."""
    found = shutil.which("chromium") or "/usr/bin/chromium"
    return found if Path(found).exists() else None


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("browser") and chromium_path() is None:
        pytest.skip(NO_CHROMIUM)


CHECKOUT_OUTPUT = Path(__file__).resolve().parent.parent / "output"


def _checkout_output_state() -> list[tuple[str, int]]:
    if not CHECKOUT_OUTPUT.is_dir():
        return []
    return sorted(
        (str(p.relative_to(CHECKOUT_OUTPUT)), p.lstat().st_mtime_ns)
        for p in CHECKOUT_OUTPUT.rglob("*")
    )


@pytest.fixture(autouse=True, scope="session")
def _the_checkout_output_is_left_alone():
    """No test writes into the checkout's own output/ (a default --output once did): it belongs to
    the developer's `make run`."""
    before = _checkout_output_state()
    yield
    assert _checkout_output_state() == before, (
        "a test (or another process) wrote into the checkout's output/"
    )


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


@pytest.fixture(scope="session")
def _seed_release_template(tmp_path_factory) -> Path:
    from rdv_opendata import pipeline

    output = tmp_path_factory.mktemp("seed-release") / "out"
    pipeline.run(None, output)
    return output


@pytest.fixture()
def seed_release(_seed_release_template: Path, tmp_path: Path) -> Path:
    """A fresh output folder holding 1.0.0, the bundled snapshot's release: a copy (times and
    the relative ``latest`` link kept) of one published once per session, as a publish with
    every output costs about half a second."""
    output = tmp_path / "out"
    shutil.copytree(_seed_release_template, output, symlinks=True)
    return output


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


#: where the tests' served output lives: a real address, not the placeholder default
SERVED_AT = "https://donnees.example.fr/rdv"


@pytest.fixture(scope="session")
def served_releases(tmp_path_factory, seed_text) -> Path:
    """Two releases, 1.0.0 (the snapshot) and 1.1.0 (a visibility 6 -> 8 weeks), published with
    ``--base-url SERVED_AT`` as a deployment publishes them: every URL of the catalogue, the
    schemas and the descriptors is built on it. Read only: copy it to change it."""
    from rdv_opendata import pipeline

    folder = tmp_path_factory.mktemp("served")
    output = folder / "out"
    pipeline.run(None, output, base_url=SERVED_AT)
    edited = folder / "edited.txt"
    edited.write_text(
        seed_text.replace("Visibilité à 6 semaines", "Visibilité à 8 semaines"), encoding="utf-8"
    )
    pipeline.run(str(edited), output, base_url=SERVED_AT)
    return output


@pytest.fixture(scope="session")
def prefect_harness():
    """One real (temporary) Prefect API for the whole session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def calendar_series(tmp_path_factory, seed_text):
    """Three releases with the calendars of the site after each (``tests/calendar_series.py``)."""
    from tests.calendar_series import build_calendar_series

    return build_calendar_series(tmp_path_factory.mktemp("calendar-series"), seed_text)
