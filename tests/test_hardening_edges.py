"""Hostile servers, URLs and downloaded packages, and the CLI's last line of defence (issue 11)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from core.errors import SourceError
from extract.fetch import fetch
from extract.redact import redact_url
from rdv_opendata import pipeline
from rdv_opendata.cli import main
from tests.helpers import edit_descriptor
from tests.http_server import send, serve

# --- 5. a non-ASCII byte in an ETag must not poison state.json ---------------------------------


def test_a_non_ascii_etag_is_never_kept_nor_sent(seed_bytes, tmp_path):
    def page(request, hit):
        request.send_response(200)
        request.send_header("Content-Type", "text/plain; charset=utf-8")
        request.send_header("Content-Length", str(len(seed_bytes)))
        request.send_header("ETag", '"caf\u00e9"'.encode("latin-1").decode("latin-1"))
        request.end_headers()
        request.wfile.write(seed_bytes)

    output = tmp_path / "out"
    with serve({"/p": page}) as server:
        first = pipeline.run(server.url("/p"), output)
        state = json.loads((output / "state.json").read_text("utf-8"))
        assert state.get("etag") is None
        second = pipeline.run(server.url("/p"), output)  # no UnicodeEncodeError
    assert (first.status, second.status) == ("published", "unchanged")


def test_a_poisoned_state_file_is_not_sent_back(seed_bytes, tmp_path):
    def page(request, hit):
        send(request, 200, seed_bytes, {"ETag": '"v1"'})

    output = tmp_path / "out"
    with serve({"/p": page}) as server:
        pipeline.run(server.url("/p"), output)
        state = json.loads((output / "state.json").read_text("utf-8"))
        state["etag"] = '"caf\u00e9\u2603"'
        (output / "state.json").write_text(json.dumps(state), encoding="utf-8")
        assert pipeline.run(server.url("/p"), output).status == "unchanged"
        sent = server.headers["/p"][-1]
    assert "If-None-Match" not in sent


# --- 15. a 304 to a request that asked for no comparison ---------------------------------------


def test_a_304_without_validators_is_refused(tmp_path):
    def liar(request, hit):
        send(request, 304, b"", {"ETag": '"forged"'})

    with serve({"/p": liar}) as server, pytest.raises(SourceError, match="answered 304"):
        fetch(server.url("/p"))


def test_a_304_does_not_adopt_an_etag(seed_bytes, tmp_path):
    def page(request, hit):
        if request.headers.get("If-None-Match"):
            send(request, 304, b"", {"ETag": '"other"'})
        else:
            send(request, 200, seed_bytes, {"ETag": '"v1"'})

    output = tmp_path / "out"
    with serve({"/p": page}) as server:
        pipeline.run(server.url("/p"), output)
        assert pipeline.run(server.url("/p"), output).status == "unchanged"
    assert json.loads((output / "state.json").read_text("utf-8"))["etag"] == '"v1"'


# --- 12. credentials in a source URL are never published ---------------------------------------


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("http://user:password@host/p?token=abc", "http://host/p?token=REDACTED"),
        ("https://host/p?id=12&api_key=s3cret&x=1", "https://host/p?id=12&api_key=REDACTED&x=1"),
        ("https://host/p?Signature=zz&sid=1", "https://host/p?Signature=REDACTED&sid=REDACTED"),
        ("https://host/p", "https://host/p"),
    ],
)
def test_redact_url(url, shown):
    assert redact_url(url) == shown


def test_credentials_in_the_source_url_are_written_nowhere(seed_bytes, tmp_path):
    def page(request, hit):
        send(request, 200, seed_bytes, {"Content-Type": "text/plain"})

    output = tmp_path / "out"
    with serve({"/p?token=abc123": page}) as server:
        base = server.url("/p?token=abc123")
        url = base.replace("http://", "http://alice:hunter2@")
        assert pipeline.run(url, output).status == "published"
    for path in output.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"hunter2" not in data and b"abc123" not in data, path
    sources = json.loads((output / "latest" / "datapackage.json").read_text("utf-8"))["sources"]
    assert sources[0]["path"].endswith("/p?token=REDACTED")


# --- 20. downloaded packages are untrusted -----------------------------------------------------


@pytest.fixture()
def release(tmp_path, seed_text) -> Path:
    output = tmp_path / "out"
    source = tmp_path / "a.txt"
    source.write_text(seed_text, encoding="utf-8")
    pipeline.run(str(source), output)
    copy = tmp_path / "downloaded"
    shutil.copytree(output / "latest", copy)
    return copy


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["resources"][0].update(path="../../../etc/passwd"), "outside the package"),
        (lambda d: d["resources"][0].update(path="/etc/passwd"), "outside the package"),
        (
            lambda d: d["resources"][0].update(path="http://127.0.0.1:9/x.csv"),
            "outside the package",
        ),
        (lambda d: d["resources"][0].pop("path"), "has no path"),
        (lambda d: d.update(resources=None), "no list of resources"),
        (lambda d: d["resources"][0].update(schema={"fields": "x"}), "schema"),
        (lambda d: d["resources"].append("x"), "not a resource"),
    ],
)
def test_diff_and_validate_of_a_hostile_package_say_one_line(release, capsys, change, message):
    edit_descriptor(release, change)
    assert main(["diff", str(release), str(release)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("rdv-opendata: error: ") and message in err[0]
    assert main(["validate", str(release)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and message in err


def test_validate_never_reads_a_file_named_outside_the_package(release, capsys):
    (release / "SHA256SUMS").write_text("0" * 64 + "  ../../../../etc/hostname\n", encoding="utf-8")
    assert main(["validate", str(release)]) == 1
    err = capsys.readouterr().err
    assert "../../../../etc/hostname: outside the package" in err


# --- 21. a catch-all at the CLI's edge ---------------------------------------------------------


def test_an_unexpected_error_ends_in_one_line_with_how_to_get_details(tmp_path):
    """In a child process, as a user meets it: a step that fails in a way nobody anticipated."""
    program = (
        "import sys, rdv_opendata.cli as cli\n"
        "def broken(args):\n"
        "    return {}['missing']\n"
        "cli._diff = broken\n"
        "sys.exit(cli.main(['diff', 'a', 'b']))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "RDV_OPENDATA_DEBUG"}
    run = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, env=env, timeout=120
    )
    assert run.returncode == 1
    assert run.stderr.strip().splitlines() == [
        "rdv-opendata: error: unexpected KeyError: 'missing' "
        "(a bug: run again with RDV_OPENDATA_DEBUG=1 for the details)"
    ]
    debug = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        env={**env, "RDV_OPENDATA_DEBUG": "1"},
        timeout=120,
    )
    assert "Traceback" in debug.stderr and "KeyError" in debug.stderr


def test_the_catch_all_turns_any_exception_into_one_line(monkeypatch, capsys):
    from rdv_opendata import cli

    def boom(args):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(cli, "_validate", boom)
    monkeypatch.delenv("RDV_OPENDATA_DEBUG", raising=False)
    assert main(["validate", "x"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "rdv-opendata: error: unexpected ZeroDivisionError: division by zero "
        "(a bug: run again with RDV_OPENDATA_DEBUG=1 for the details)"
    ]
    monkeypatch.setenv("RDV_OPENDATA_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        main(["validate", "x"])


# --- validate and diff accept URLs, as load_release does ---------------------------------------


@pytest.mark.slow
def test_validate_and_diff_read_releases_over_http(seed_text, tmp_path, capsys):
    from tests.helpers import serve_folder

    output = tmp_path / "out"
    for name, text in (("a.txt", seed_text), ("b.txt", seed_text.replace("à 6 sem", "à 8 sem"))):
        (tmp_path / name).write_text(text, encoding="utf-8")
        pipeline.run(str(tmp_path / name), output)
    with serve_folder(output) as base:
        assert main(["validate", f"{base}releases/1.1.0/"]) == 0
        assert capsys.readouterr().out.strip() == f"valid: {base}releases/1.1.0/"
        assert (
            main(["diff", f"{base}releases/1.0.0", f"{base}releases/1.1.0/datapackage.json"]) == 0
        )
    out = capsys.readouterr().out
    assert "Renouvellements de titre de séjour : visibilité 6 → 8 semaines" in out


def test_a_remote_package_naming_files_outside_it_is_refused_and_nothing_fetched(
    release, tmp_path, capsys
):
    from tests.helpers import serve_folder

    edit_descriptor(release, lambda d: d["resources"][0].update(path="../../secret.csv"))
    (tmp_path / "secret.csv").write_text("never fetched", encoding="utf-8")
    with serve_folder(tmp_path) as base:
        assert main(["validate", f"{base}downloaded/"]) == 1
    err = capsys.readouterr().err  # the test server's access log is on stderr too
    ours = [line for line in err.splitlines() if line.startswith("rdv-opendata:")]
    assert len(ours) == 1 and "outside the package" in ours[0]
    assert "secret.csv HTTP" not in err  # never requested
