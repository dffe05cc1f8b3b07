"""The history database served by a real Datasette (``make explore``, ``scripts/explore.sh``): the
canned queries, the metadata and the table API over HTTP, a canned query's page in Chromium."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from bs4 import BeautifulSoup

from core.settings import PACKAGE_LICENSE
from publish.layout import HISTORY_FILE
from publish.layout import HISTORY_METADATA_FILE as METADATA_FILE
from tests.http_server import free_port, stop_group
from tests.publish.history.test_history import (
    NEW_ADDRESS,
    OLD_ADDRESS,
    RENEWAL_RULE,
    RENEWALS,
    three_releases_and_their_history,
)

BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def built(tmp_path_factory, seed_text) -> tuple[Path, float]:
    """The releases of ``test_history`` and their history."""
    return three_releases_and_their_history(tmp_path_factory.mktemp("history"), seed_text)


# --- explore.sh ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_explore_script_builds_a_missing_history_then_runs_datasette(built, tmp_path):
    output = tmp_path / "copy"
    shutil.copytree(built[0], output, symlinks=True)
    (output / HISTORY_FILE).unlink()
    script = Path(__file__).resolve().parents[3] / "scripts" / "explore.sh"
    env = {**os.environ, "OUTPUT": str(output)}
    query = "/history/adresses_apparues_ou_disparues.json?_shape=array"
    run = subprocess.run(
        [str(script), "--get", query], capture_output=True, text=True, env=env, timeout=120
    )
    assert run.returncode == 0, run.stderr
    assert "building" in run.stderr and (output / HISTORY_FILE).is_file()
    assert [a["evenement"] for a in json.loads(run.stdout)] == ["apparue", "disparue"]
    env["OUTPUT"] = str(tmp_path / "empty")
    (tmp_path / "empty").mkdir()
    run = subprocess.run([str(script)], capture_output=True, text=True, env=env, timeout=60)
    assert run.returncode == 1 and "no release" in run.stderr


# --- a real Datasette over the database ---------------------------------------------------------


@pytest.fixture(scope="module")
def datasette(built) -> Iterator[str]:
    """``datasette serve`` as ``make explore`` runs it, on a free port; yields its base URL."""
    output = built[0]
    port = free_port()
    log = open(output.parent / "datasette.log", "wb")
    process = subprocess.Popen(
        [
            str(BIN / "datasette"),
            "serve",
            str(output / HISTORY_FILE),
            "--metadata",
            str(output / METADATA_FILE),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (output.parent / "datasette.log").read_text()
            try:
                if httpx.get(f"{base}/-/versions.json", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "Datasette did not start within 60 s"
            time.sleep(0.2)
        yield base
    finally:
        stop_group(process)
        log.close()


def get_json(url: str) -> Any:
    response = httpx.get(url, timeout=30)
    assert response.status_code == 200, (url, response.text[:500])
    return response.json()


@pytest.mark.server
def test_datasette_serves_the_canned_queries_and_the_metadata(datasette):
    visibility = get_json(
        f"{datasette}/history/visibilite_par_type_au_fil_du_temps.json?_shape=array"
    )
    renewals = [r for r in visibility if r["type_de_rendez_vous"] == RENEWALS]
    assert [r["visibilite_semaines"] for r in renewals] == [6, 8]
    assert [(r["observee_depuis_le"], r["observee_jusqu_au"]) for r in renewals] == [
        ("2020-12-17", "2020-12-17"),
        ("2021-01-10", "2021-02-01"),
    ]
    addresses = get_json(f"{datasette}/history/adresses_apparues_ou_disparues.json?_shape=array")
    assert [(a["evenement"], a["adresse"]) for a in addresses] == [
        ("apparue", NEW_ADDRESS.lower()),
        ("disparue", OLD_ADDRESS.lower()),
    ]
    places = get_json(f"{datasette}/history/lieux_et_leurs_dates.json?_shape=array&_json=versions")
    assert places[0]["versions"] == ["1.0.0", "1.1.0"]
    metadata = get_json(f"{datasette}/-/metadata.json")
    assert metadata["license"] == "Licence Ouverte / Open Licence version 2.0"
    assert metadata["license_url"] == PACKAGE_LICENSE["path"]
    assert metadata["title"].endswith("historique des publications")
    queries = metadata["databases"]["history"]["queries"]
    assert queries["lieux_et_leurs_dates"]["title"] == "Lieux et leurs dates"


@pytest.mark.server
def test_datasette_table_api_filters_searches_and_reads_json_lists(datasette):
    rule = get_json(
        f"{datasette}/history/slot_rules.json?_shape=array&_item__exact={RENEWAL_RULE}"
        "&_sort=_seq_from&_json=weekdays"
    )
    assert [(r["visibility_weeks"], r["_observed_from"], r["weekdays"]) for r in rule] == [
        (6, "2020-12-17", ["monday"]),
        (8, "2021-01-10", ["monday"]),
    ]
    found = get_json(f"{datasette}/history/procedures.json?_shape=array&_search=sejour&_size=100")
    assert found and all("séjour" in r["label"].lower() for r in found)
    current = get_json(f"{datasette}/history/contacts.json?_shape=array&_current__exact=1")
    assert NEW_ADDRESS.lower() in {r["email"] for r in current}
    assert OLD_ADDRESS.lower() not in {r["email"] for r in current}


@pytest.mark.server
@pytest.mark.browser
def test_a_canned_query_page_in_chromium(datasette):
    from tests.test_site import png_size, screenshot

    url = f"{datasette}/history/visibilite_par_type_au_fil_du_temps"
    page = BeautifulSoup(httpx.get(url, timeout=30).text, "html.parser")  # rendered server-side
    text = " ".join(page.get_text(" ").split())
    assert "Visibilité par type au fil du temps" in text
    assert "Licence Ouverte / Open Licence version 2.0" in text  # the footer
    cells = [td.get_text(strip=True) for td in page.select("td.col-visibilite_semaines")]
    assert cells[:3] == ["4", "6", "8"]
    shot = screenshot(url, "datasette-visibilite-par-type.png", 1280, 900)
    assert png_size(shot) == (1280, 900)
