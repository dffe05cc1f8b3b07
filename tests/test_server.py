"""A real Prefect server on 127.0.0.1: serve the scheduled deployment, trigger a run through the
API with run_deployment, check the release on disk and the artifacts through the API; also put
the prefect.yaml deployment on a work pool. Everything is shut down, also on failure."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from flows.artifacts import CHANGES_KEY, RELEASE_KEY, RESOURCES_KEY
from flows.deploy import (
    CRONS,
    DEMO_DEPLOYMENT_NAME,
    DEPLOYMENT_NAME,
    NO_SOURCE,
    SOURCE_VARIABLE,
    TIMEZONE,
)
from publish.reading.verify import verify_package
from tests.http_server import free_port, stop_group

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def wait_for(condition, seconds: float, what: str, process: subprocess.Popen | None = None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"{what}: the process exited with {process.returncode}")
        try:
            value = condition()
            if value:
                return value
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def concurrency_limit(deployment: dict) -> int | None:
    """The deployment's limit (the server keeps it as a global concurrency limit)."""
    limit = deployment.get("global_concurrency_limit") or {}
    return deployment.get("concurrency_limit") or limit.get("limit")


def crons_of(deployment: dict) -> list[tuple[str, str]]:
    return sorted(
        (s["schedule"]["cron"], s["schedule"]["timezone"]) for s in deployment["schedules"]
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, dict[str, str]]]:
    home = tmp_path_factory.mktemp("prefect-home")
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_API_URL": api,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_RUNNER_POLL_FREQUENCY": "1",
    }
    log = open(home / "server.log", "wb")
    process = subprocess.Popen(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for(
            lambda: httpx.get(f"{api}/health", timeout=2).json() is True,
            120,
            "the Prefect server",
            process,
        )
        yield api, env
    finally:
        stop_group(process)
        log.close()


@pytest.mark.server
def test_served_deployment_runs_through_the_api(server, tmp_path):
    api, env = server
    output = tmp_path / "out"
    log_path = tmp_path / "serve.log"
    log = open(log_path, "wb")
    serving = subprocess.Popen(
        [sys.executable, "-m", "flows.deploy", "--demo", "--output", str(output)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        name = f"publish_release/{DEMO_DEPLOYMENT_NAME}"
        deployment = wait_for(
            lambda: (
                httpx.get(f"{api}/deployments/name/{name}", timeout=5).json().get("id")
                and httpx.get(f"{api}/deployments/name/{name}", timeout=5).json()
            ),
            60,
            "the served deployment",
            serving,
        )
        assert concurrency_limit(deployment) == 1
        crons = crons_of(deployment)
        assert crons == sorted((cron, TIMEZONE) for cron in CRONS)
        assert deployment["description"].startswith("DÉMONSTRATION")
        assert "demo" in deployment["tags"]

        trigger = textwrap.dedent(f"""
            import json
            from prefect.deployments import run_deployment
            run = run_deployment({name!r}, timeout=240, poll_interval=1)
            print(json.dumps({{"id": str(run.id), "state": run.state.type.value}}))
        """)
        done = subprocess.run(
            [sys.executable, "-c", trigger], env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr
        run = json.loads(done.stdout.strip().splitlines()[-1])
        assert run["state"] == "COMPLETED", log_path.read_text(errors="replace")[-3000:]
    finally:
        stop_group(serving)
        log.close()

    assert verify_package(output / "latest") == []
    assert (output / "latest").resolve().name == "1.0.0"
    found = httpx.post(
        f"{api}/artifacts/filter",
        json={"artifacts": {"flow_run_id": {"any_": [run["id"]]}}},
        timeout=10,
    ).json()
    by_key = {artifact["key"]: artifact for artifact in found}
    assert {CHANGES_KEY, RESOURCES_KEY, RELEASE_KEY} <= set(by_key)
    assert by_key[CHANGES_KEY]["type"] == "markdown"
    assert "Version 1.0.0" in by_key[CHANGES_KEY]["data"]
    link = by_key[RELEASE_KEY]["data"]  # Prefect stores a link artifact as Markdown
    assert "Version 1.0.0" in link and (output / "releases" / "1.0.0").resolve().as_uri() in link
    table = json.loads(by_key[RESOURCES_KEY]["data"])
    assert {row["resource"]: row["rows"] for row in table}["channels"] == 9


@pytest.mark.server
def test_prefect_yaml_deploys_to_a_work_pool(server):
    api, env = server
    prefect = str(BIN / "prefect")
    created = subprocess.run(
        [prefect, "work-pool", "create", "rdv-opendata", "--type", "process"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert created.returncode == 0, created.stdout + created.stderr
    page = "https://www.isere.gouv.fr/Demarches-administratives/Etrangers"
    variable = subprocess.run(
        [prefect, "variable", "set", SOURCE_VARIABLE, page],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert variable.returncode == 0, variable.stdout + variable.stderr
    deployed = subprocess.run(
        [prefect, "--no-prompt", "deploy", "--all"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    deployment = httpx.get(
        f"{api}/deployments/name/publish_release/{DEPLOYMENT_NAME}", timeout=10
    ).json()
    assert deployment["work_pool_name"] == "rdv-opendata"
    assert deployment["parameters"]["source"] == page  # the Variable, never the bundled file
    crons = crons_of(deployment)
    assert crons == sorted((cron, TIMEZONE) for cron in CRONS)
    assert concurrency_limit(deployment) == 1


@pytest.mark.slow
def test_a_deployment_without_a_source_is_refused_in_one_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "RDV_OPENDATA_SOURCE"}
    run = subprocess.run(
        [sys.executable, "-m", "flows.deploy", "--output", str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [f"rdv-opendata: error: {NO_SOURCE}"]
    assert list(tmp_path.iterdir()) == []  # nothing served, nothing published
