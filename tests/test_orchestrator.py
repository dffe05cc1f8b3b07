"""The CLI and Prefect's orchestrator, as a user meets them: the settings the CLI gives Prefect
before importing it, one line and the way out when no orchestrator can start or be reached, and
several orchestrated publishes at once, each with its own temporary server."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rdv_opendata import cli
from rdv_opendata.settings import DEFAULT_SOURCE

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(sys.executable).parent / "rdv-opendata"
WAY_OUT = "run with --no-orchestrator, or set PREFECT_API_URL to a running server (make serve)"
PREFIX = "rdv-opendata: error: the Prefect orchestrator could not start or be reached ("


def user_env(**extra: str) -> dict[str, str]:
    """The environment of a user who configured no Prefect setting (plus ``extra``)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.pop("RDV_OPENDATA_DEBUG", None)
    return {**env, **extra}


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def publish(*args: str, env: dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(SCRIPT), "publish", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=timeout,
    )


def test_the_cli_fills_in_only_the_prefect_settings_left_unset():
    env: dict[str, str] = {}
    cli._prefect_environment(env)
    assert env == {
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": str(cli.EPHEMERAL_STARTUP_TIMEOUT),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_HOME": str(ROOT / ".prefect"),  # the home scripts/serve.sh (make serve) uses
        # Prefect's lines to its UI and a log file in that home, not to stderr (issue 21)
        "PREFECT_LOGGING_SETTINGS_PATH": str(cli.PREFECT_LOGGING_FILE),
    }
    assert cli.EPHEMERAL_STARTUP_TIMEOUT >= 60
    mine = {
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "7",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "true",
        "PREFECT_HOME": "/somewhere/else",
        "PREFECT_LOGGING_SETTINGS_PATH": "/my/logging.yml",
    }
    env = dict(mine)
    cli._prefect_environment(env)
    assert env == mine


def test_outside_a_checkout_prefect_keeps_its_own_home(monkeypatch, tmp_path):
    monkeypatch.setattr(cli, "__file__", str(tmp_path / "site-packages" / "rdv_opendata" / "x"))
    (tmp_path / "site-packages" / "flows").mkdir(parents=True)  # installed: no pyproject.toml
    env: dict[str, str] = {}
    cli._prefect_environment(env)
    assert "PREFECT_HOME" not in env and cli._checkout() is None


def test_prefect_reads_the_settings_the_cli_gives_it(tmp_path):
    code = (
        "from rdv_opendata.cli import _prefect_environment; _prefect_environment(); "
        "from prefect.settings import get_current_settings as g; s = g(); "
        "print(s.server.ephemeral.startup_timeout_seconds, s.server.analytics_enabled, s.home)"
    )
    home = tmp_path / "home"  # a user-set home, kept (the checkout's is tested above)
    run = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=user_env(PREFECT_HOME=str(home)),
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == [str(cli.EPHEMERAL_STARTUP_TIMEOUT), "False", str(home)]


@pytest.fixture()
def released(tmp_path) -> Path:
    """An output folder holding release 1.0.0 (published without Prefect: fast)."""
    output = tmp_path / "out"
    run = publish("--no-orchestrator", "--output", str(output), env=user_env(), timeout=300)
    assert run.returncode == 0, run.stderr
    assert (output / "releases" / "1.0.0").is_dir()
    return output


def assert_one_line_with_the_way_out(run: subprocess.CompletedProcess) -> str:
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    ours = [line for line in run.stderr.splitlines() if line.startswith("rdv-opendata:")]
    assert len(ours) == 1, run.stderr
    (line,) = ours
    assert run.stderr.strip().splitlines()[-1] == line  # nothing after it
    assert line.startswith(PREFIX) and line.endswith(f"); {WAY_OUT}"), line
    return line


@pytest.mark.slow
def test_an_unreachable_api_is_one_line_and_the_release_is_kept(released, tmp_path):
    before = tree_digest(released)
    env = user_env(PREFECT_API_URL="http://127.0.0.1:9/api", PREFECT_HOME=str(tmp_path / "ph"))
    run = publish("--output", str(released), env=env, timeout=300)
    line = assert_one_line_with_the_way_out(run)
    assert run.stderr.strip() == line  # the only line at all
    assert "failed to reach API at http://127.0.0.1:9/api" in line
    assert tree_digest(released) == before


@pytest.mark.slow
def test_a_temporary_server_too_slow_to_start_is_one_line(released, tmp_path):
    """Prefect raises ``RuntimeError: Timed out while attempting to connect to ephemeral Prefect
    API server.`` when its temporary server does not answer in time; a limit of 0 s makes that
    certain (the setting is an integer: 0.01 is refused before anything starts)."""
    before = tree_digest(released)
    env = user_env(
        PREFECT_HOME=str(tmp_path / "fresh-home"),
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="0",
    )
    run = publish("--output", str(released), env=env, timeout=300)
    line = assert_one_line_with_the_way_out(run)
    assert "did not answer within 0 s" in line
    assert "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS" in line
    assert "telemetry" not in run.stderr.lower()
    assert tree_digest(released) == before


@pytest.mark.slow
def test_four_orchestrated_publishes_at_once(tmp_path):
    """Four publishes started together, each with its own temporary server (a new home each),
    as a user tried on a 2-core machine: all four publish, none prints a traceback."""
    source = tmp_path / "seed.txt"
    shutil.copy2(DEFAULT_SOURCE, source)
    started = time.monotonic()
    processes = []
    for i in range(4):
        env = user_env(PREFECT_HOME=str(tmp_path / f"home-{i}"))
        output = tmp_path / f"out-{i}"
        processes.append(
            subprocess.Popen(
                [str(SCRIPT), "publish", "--source", str(source), "--output", str(output)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
                cwd=ROOT,
            )
        )
    results = [(p, *p.communicate(timeout=900)) for p in processes]
    elapsed = time.monotonic() - started
    print(f"four orchestrated publishes at once: {elapsed:.1f} s")
    for i, (process, out, err) in enumerate(results):
        assert process.returncode == 0, f"publish {i}: {out}\n{err}"
        assert "Traceback" not in err, f"publish {i}: {err}"
        assert "published 1.0.0" in out
        assert (tmp_path / f"out-{i}" / "releases" / "1.0.0").is_dir()


def test_prefect_yaml_pull_step_finds_the_checkout_from_any_folder(tmp_path, monkeypatch):
    """No machine's absolute path in prefect.yaml: a process worker starts each run in a
    temporary folder, and the pull step moves it into the checkout it is installed from."""
    import yaml
    from prefect.utilities.importtools import import_object

    text = (ROOT / "prefect.yaml").read_text(encoding="utf-8")
    assert "$PWD" not in text and str(ROOT) not in text
    ((name, inputs),) = [step.popitem() for step in yaml.safe_load(text)["pull"]]
    monkeypatch.chdir(tmp_path)
    assert import_object(name)(**(inputs or {})) == {"directory": str(ROOT)}
    assert Path.cwd() == ROOT and (Path.cwd() / "flows" / "publish_flow.py").is_file()
