"""What an app developer and a static host see: the fixed addresses (``latest.json``,
``latest/``), ``--latest-copy`` for hosts that do not follow symbolic links, ``--base-url`` for
every URL of the metadata, and the files derived from the whole output (history, catalogue)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

import pytest

from rdv_opendata.cli import main
from rdv_opendata.settings import LATEST_COPY_ENV
from schemas import registry
from tests.helpers import serve_folder

BASE = "https://data.example.fr/rdv-isere"


class NoSymlinks(SimpleHTTPRequestHandler):
    """A static host that never follows a symbolic link (as many object stores and CDNs)."""

    def translate_path(self, path: str) -> str:
        real = super().translate_path(path)
        root = Path(self.directory)
        current = Path(real)
        while current != root and root in current.parents:
            if current.is_symlink():
                return str(root / "no-such-file")
            current = current.parent
        return real


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def publish(output: Path, *options: str) -> int:
    return main(["publish", "--no-orchestrator", "--output", str(output), *options])


@pytest.mark.slow
def test_a_static_host_without_symlinks_serves_every_latest_file_with_latest_copy(tmp_path):
    linked, copied = tmp_path / "linked", tmp_path / "copied"
    assert publish(linked) == 0
    assert publish(copied, "--latest-copy") == 0
    assert (linked / "latest").is_symlink()
    assert (copied / "latest").is_dir() and not (copied / "latest").is_symlink()

    with serve_folder(linked, NoSymlinks) as url:  # a link is not followed: latest/ is not there
        with pytest.raises(urllib.error.HTTPError):
            get(f"{url}latest/datapackage.json")
    with serve_folder(copied, NoSymlinks) as url:
        manifest = json.loads(get(f"{url}latest.json"))
        assert manifest["version"] == "1.0.0"
        names = {item["path"] for item in manifest["files"]}
        assert {"latest/datapackage.json", "latest/data/rdv-isere.xlsx"} <= names
        assert "latest/schemas/slot_rules.json" in names
        for item in manifest["files"]:  # each fixed address gives the file latest.json names
            for key in ("path", "release_path"):
                data = get(f"{url}{item[key]}")
                assert len(data) == item["bytes"], item[key]
                assert hashlib.sha256(data).hexdigest() == item["sha256"], item[key]
        for derived in ("catalog.jsonld", "history.sqlite", "releases.json"):
            assert get(f"{url}{derived}")


def test_every_url_of_the_metadata_is_built_on_the_base_url(tmp_path):
    output = tmp_path / "out"
    assert publish(output, "--base-url", BASE + "/") == 0
    package = json.loads((output / "latest" / "datapackage.json").read_text(encoding="utf-8"))
    assert package["homepage"] == f"{BASE}/site/index.html"
    schema = json.loads((output / "latest" / "schemas" / "slot_rules.json").read_text("utf-8"))
    assert schema["path"].startswith(f"{BASE}/releases/1.0.0/")
    manifest = json.loads((output / "latest.json").read_text(encoding="utf-8"))
    assert manifest["base_url"] == BASE
    assert all(item["url"] == f"{BASE}/{item['path']}" for item in manifest["files"])
    catalog = json.loads((output / "catalog.jsonld").read_text(encoding="utf-8"))
    text = json.dumps(catalog)
    assert f"{BASE}/releases/1.0.0/data/slot_rules.csv" in text
    assert "example.org" not in text  # the placeholder appears nowhere


@pytest.mark.parametrize(
    "url", ["ftp://example.fr/x", "https://user:secret@example.fr/", "not a url", "https://"]
)
def test_a_base_url_that_is_no_public_address_is_refused_in_one_line(tmp_path, capsys, url):
    assert publish(tmp_path / "out", "--base-url", url) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("rdv-opendata: error: the public address ")
    assert "--base-url" in err and len(err.splitlines()) == 1
    assert "secret" not in err  # credentials are never echoed
    assert not (tmp_path / "out" / "releases").exists()


def test_the_environment_asks_for_a_copy_too(tmp_path, monkeypatch):
    monkeypatch.setenv(LATEST_COPY_ENV, "1")
    assert publish(tmp_path / "out") == 0
    assert not (tmp_path / "out" / "latest").is_symlink()
    monkeypatch.delenv(LATEST_COPY_ENV)
    assert publish(tmp_path / "out") == 0  # unchanged, and latest becomes a link again
    assert (tmp_path / "out" / "latest").is_symlink()


def test_a_new_base_url_reaches_the_catalogue_on_an_unchanged_run(tmp_path):
    output = tmp_path / "out"
    assert publish(output) == 0
    assert publish(output, "--base-url", BASE) == 0  # unchanged data, new address
    for name in ("catalog.jsonld", "latest.json"):
        text = (output / name).read_text(encoding="utf-8")
        assert BASE in text and "example.org" not in text, name


def test_derived_files_are_rebuilt_when_missing_and_left_alone_when_current(tmp_path):
    output = tmp_path / "out"
    assert publish(output) == 0
    derived = [output / "history.sqlite", output / "catalog.jsonld", output / "latest.json"]
    stamps = [p.stat().st_mtime_ns for p in derived]
    assert publish(output) == 0  # unchanged: nothing rewritten
    assert [p.stat().st_mtime_ns for p in derived] == stamps
    for path in derived:
        path.unlink()
    assert publish(output) == 0  # unchanged, but what is missing comes back
    assert all(path.is_file() for path in derived)


@pytest.mark.slow
def test_make_run_s_command_produces_every_open_data_file(tmp_path):
    """What ``make run`` runs on a fresh clone (the CLI through Prefect's temporary server):
    the workbook, the schemas, the catalogue and the history are all there."""
    output = tmp_path / "out"
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect-home")}
    run = subprocess.run(
        [sys.executable, "-m", "rdv_opendata", "publish", "--output", str(output)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    latest = output / "latest"
    assert (latest / "data" / "rdv-isere.xlsx").stat().st_size > 5000
    assert len(list((latest / "schemas").glob("*.json"))) == len(registry.RESOURCE_ORDER)
    for name in ("catalog.jsonld", "history.sqlite", "history.metadata.json", "latest.json"):
        assert (output / name).stat().st_size > 0, name
