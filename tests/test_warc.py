"""Every read of the source is kept as WARC/1.1 (issue 21, point 1), read back by warcio's own
tools: ``warcio index`` and ``warcio check`` on the command line, ``ArchiveIterator`` in Python.
Pages come from a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.archiveiterator import ArchiveIterator

from core.errors import PublishError, RdvError
from extract.exchange import Exchange
from extract.read import Source
from extract.warc import NOT_MODIFIED_PROFILE, capture, find_record, labelled, sha256_hex
from publish import layout
from rdv_opendata import pipeline
from tests.http_server import send, serve

BASE_URL = "https://donnees.example.org/rdv"
WARCIO = [sys.executable, "-m", "warcio.cli"]


def records(path: Path) -> list[dict]:
    """Every record of a WARC file: its type, its WARC headers, its HTTP headers as written and
    its payload as a reader replays it."""
    found = []
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream):
            http = record.http_headers
            found.append(
                {
                    "type": record.rec_type,
                    "warc": dict(record.rec_headers.headers),
                    "status": http.get_statuscode()
                    if http and record.rec_type != "request"
                    else None,
                    "http": list(http.headers) if http else [],
                    "payload": record.content_stream().read(),
                }
            )
    return found


def warc_files(output: Path) -> list[Path]:
    return sorted((output / layout.WARC_DIR).glob("*.warc.gz"))


def snapshot_bytes(output: Path) -> dict[str, bytes]:
    return {
        p.name.split(".")[0]: p.read_bytes()
        for p in (output / layout.SNAPSHOTS_DIR).iterdir()
        if not p.name.endswith(layout.SNAPSHOT_META_SUFFIX)
    }


def last_attempt(output: Path) -> dict:
    return json.loads((output / layout.ATTEMPTS_FILE).read_text("utf-8"))["attempts"][-1]


def run(source: str, output: Path, **options) -> pipeline.RunResult:
    return pipeline.run(source, output, base_url=BASE_URL, **options)


def page_route(body: bytes, etag: str = '"v1"'):
    def page(request, hit):
        if request.headers.get("If-None-Match") == etag:
            send(request, 304, b"", {"ETag": etag})
        else:
            send(
                request,
                200,
                body,
                {
                    "Content-Type": "text/plain; charset=utf-8",
                    "ETag": etag,
                    "X-Witness": "caf\xe9 as sent",  # one byte beyond ASCII, ISO-8859-1
                },
            )

    return page


def test_a_fetched_page_is_a_request_and_a_response_that_warcio_indexes_and_replays(
    tmp_path, seed_bytes
):
    output = tmp_path / "out"
    with serve({"/page": page_route(seed_bytes)}) as server:
        result = run(server.url("/page"), output)
    assert result.status == "published"
    (warc,) = warc_files(output)
    index = subprocess.run([*WARCIO, "index", str(warc)], capture_output=True, text=True)
    assert index.returncode == 0, index.stderr
    types = [json.loads(line)["warc-type"] for line in index.stdout.splitlines()]
    assert types == ["warcinfo", "response", "request"]
    check = subprocess.run([*WARCIO, "check", "-v", str(warc)], capture_output=True, text=True)
    assert check.returncode == 0 and "digest pass" in check.stdout, check.stdout + check.stderr

    # replayed by warcio's own command, the response is the page
    offset = next(
        json.loads(line)["offset"]
        for line in index.stdout.splitlines()
        if json.loads(line)["warc-type"] == "response"
    )
    replay = subprocess.run(
        [*WARCIO, "extract", "--payload", str(warc), offset], capture_output=True
    )
    assert replay.returncode == 0 and replay.stdout == seed_bytes

    found = records(warc)
    response = next(r for r in found if r["type"] == "response")
    request = next(r for r in found if r["type"] == "request")
    snapshot = snapshot_bytes(output)
    digest = hashlib.sha256(seed_bytes).hexdigest()
    # replayed, the response is the snapshot, byte for byte, and its digest is the snapshot's
    assert response["payload"] == snapshot[digest] == seed_bytes
    assert response["warc"]["WARC-Payload-Digest"] == labelled(digest)
    assert sha256_hex(response["warc"]["WARC-Payload-Digest"]) == digest
    assert response["warc"]["WARC-Target-URI"] == server.url("/page")
    assert response["warc"]["WARC-IP-Address"] == "127.0.0.1"  # who answered
    assert response["status"] == "200"
    # the headers as received: the server's own, with their bytes
    assert ("X-Witness", "caf\xe9 as sent") in response["http"]
    assert ("ETag", '"v1"') in response["http"]
    # the request as sent, tied to its response
    assert request["warc"]["WARC-Concurrent-To"] == response["warc"]["WARC-Record-ID"]
    sent = dict(request["http"])
    assert sent["Accept-Encoding"] == "identity" and sent["User-Agent"].startswith("rdv-opendata")
    # the release names that record
    evidence = json.loads(
        (output / layout.release_dir("1.0.0") / layout.EVIDENCE_FILE).read_text("utf-8")
    )
    assert evidence["source"]["warc"]["record_id"] == response["warc"]["WARC-Record-ID"]
    assert evidence["source"]["warc"]["file"] == f"{layout.WARC_DIR}/{warc.name}"


def test_a_304_is_a_revisit_that_refers_to_the_earlier_response(tmp_path, seed_bytes):
    output = tmp_path / "out"
    with serve({"/page": page_route(seed_bytes)}) as server:
        run(server.url("/page"), output)
        (first,) = warc_files(output)
        second = run(server.url("/page"), output)
        assert server.headers["/page"][-1]["If-None-Match"] == '"v1"'
    assert second.status == "unchanged"
    (later,) = [path for path in warc_files(output) if path != first]
    response = next(r for r in records(first) if r["type"] == "response")
    revisit = next(r for r in records(later) if r["type"] == "revisit")
    request = next(r for r in records(later) if r["type"] == "request")
    assert revisit["warc"]["WARC-Profile"] == NOT_MODIFIED_PROFILE
    assert revisit["warc"]["WARC-Refers-To"] == response["warc"]["WARC-Record-ID"]
    assert revisit["warc"]["WARC-Refers-To-Date"] == response["warc"]["WARC-Date"]
    assert revisit["warc"]["WARC-Refers-To-Target-URI"] == server.url("/page")
    assert revisit["warc"]["WARC-Payload-Digest"] == response["warc"]["WARC-Payload-Digest"]
    assert revisit["status"] == "304" and revisit["payload"] == b""
    assert dict(request["http"])["If-None-Match"] == '"v1"'
    # the next 304 refers to the same response: the one that holds the page
    state = json.loads((output / layout.STATE_FILE).read_text("utf-8"))
    assert state["warc_record_id"] == response["warc"]["WARC-Record-ID"]


def test_a_file_is_a_resource_record_dated_by_its_observed_day(tmp_path, seed_bytes):
    source = tmp_path / "page.txt"
    source.write_bytes(seed_bytes)
    output = tmp_path / "out"
    run(str(source), output, observed="2020-12-17")
    (warc,) = warc_files(output)
    index = subprocess.run([*WARCIO, "index", str(warc)], capture_output=True, text=True)
    assert [json.loads(line)["warc-type"] for line in index.stdout.splitlines()] == [
        "warcinfo",
        "resource",
    ]
    (resource,) = [r for r in records(warc) if r["type"] == "resource"]
    assert resource["payload"] == seed_bytes
    assert resource["warc"]["WARC-Date"] == "2020-12-17T00:00:00Z"
    assert resource["warc"]["RDV-Observed-From"] == "--observed"
    assert resource["warc"]["WARC-Target-URI"] == "file:page.txt"  # never the local folder
    assert str(tmp_path) not in warc.read_bytes().decode("latin-1") + gzip.decompress(
        warc.read_bytes()
    ).decode("latin-1")
    assert (
        sha256_hex(resource["warc"]["WARC-Payload-Digest"])
        == hashlib.sha256(seed_bytes).hexdigest()
    )


def test_redirects_are_recorded_hop_by_hop(tmp_path, seed_bytes):
    output = tmp_path / "out"
    routes = {
        "/old": lambda request, hit: send(request, 301, b"moved", {"Location": "/page"}),
        "/page": page_route(seed_bytes),
    }
    with serve(routes) as server:
        run(server.url("/old"), output)
    (warc,) = warc_files(output)
    found = [(r["type"], r["warc"]["WARC-Target-URI"], r["status"]) for r in records(warc)[1:]]
    assert found == [
        ("response", server.url("/old"), "301"),
        ("request", server.url("/old"), None),
        ("response", server.url("/page"), "200"),
        ("request", server.url("/page"), None),
    ]


def test_credentials_never_reach_the_warc(tmp_path, seed_bytes):
    output = tmp_path / "out"
    with serve({"/page": page_route(seed_bytes)}) as server:
        url = server.url("/page").replace("http://", "http://alice:s3cret@")
        run(url, output)
    (warc,) = warc_files(output)
    text = gzip.decompress(warc.read_bytes()).decode("latin-1")
    assert "s3cret" not in text and "alice" not in text
    assert base64.b64encode(b"alice:s3cret").decode() not in text
    request = next(r for r in records(warc) if r["type"] == "request")
    assert dict(request["http"])["Authorization"] == "[redacted]"


def test_a_refused_run_keeps_its_warc(tmp_path, seed_bytes):
    """What the page said is evidence even when we refuse to publish it: a page that cannot
    be read, and a rollback, each leave their WARC (and their snapshot)."""
    output = tmp_path / "out"
    with serve({"/bad": page_route(b"<html><p>no table here</p></html>")}) as server:
        with pytest.raises(RdvError):
            run(server.url("/bad"), output)
    (warc,) = warc_files(output)
    response = next(r for r in records(warc) if r["type"] == "response")
    assert response["payload"] == b"<html><p>no table here</p></html>"
    assert last_attempt(output)["outcome"] == "failed"
    assert last_attempt(output)["warc"] == f"{layout.WARC_DIR}/{warc.name}"  # its evidence

    newer, older = tmp_path / "2021-01-14.txt", tmp_path / "2020-12-01.txt"
    newer.write_bytes(seed_bytes)
    older.write_bytes(seed_bytes.replace(b"6 semaines", b"9 semaines"))
    run(str(newer), output)
    assert last_attempt(output)["outcome"] == "published"
    assert (output / last_attempt(output)["warc"]).is_file()
    with pytest.raises(PublishError, match="rollback"):
        run(str(older), output)
    refused = last_attempt(output)
    assert refused["outcome"] == "refused" and (output / refused["warc"]).is_file()
    resources = [r for w in warc_files(output) for r in records(w) if r["type"] == "resource"]
    assert sorted(r["warc"]["WARC-Target-URI"] for r in resources) == [
        "file:2020-12-01.txt",
        "file:2021-01-14.txt",
    ]


def test_a_compressed_answer_is_kept_as_sent_and_replays_as_the_page(tmp_path, seed_bytes):
    """A server that compresses though asked not to: the WARC holds the bytes it sent (its
    payload digest is theirs); replayed, the record is the page, and the chain accepts it."""
    packed = gzip.compress(seed_bytes, mtime=0)

    def page(request, hit):
        headers = {"Content-Type": "text/plain", "Content-Encoding": "gzip"}
        send(request, 200, packed, headers)

    output = tmp_path / "out"
    with serve({"/page": page}) as server:
        run(server.url("/page"), output)
    (warc,) = warc_files(output)
    response = next(r for r in records(warc) if r["type"] == "response")
    assert response["payload"] == seed_bytes
    assert sha256_hex(response["warc"]["WARC-Payload-Digest"]) == hashlib.sha256(packed).hexdigest()
    from publish.reading.chain import verify_chain

    assert verify_chain(output).releases == ["1.0.0"]


HEADER_TEXT = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF, blacklist_characters="\x7f"),
    max_size=40,
).map(str.strip)


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def an_exchange(**changed: Any) -> Exchange:
    """A GET of http://127.0.0.1:1/page answered 200 « la page », with ``changed`` fields."""
    fields: dict[str, Any] = {
        "url": "http://127.0.0.1:1/page",
        "date": "2026-01-02T03:04:05Z",
        "method": "GET",
        "target": "/page",
        "request_headers": (("Host", "127.0.0.1:1"),),
        "http_version": "HTTP/1.1",
        "status": 200,
        "reason": "OK",
        "response_headers": (("Content-Type", "text/plain"),),
        "body": b"la page",
    }
    return Exchange(**{**fields, **changed})


@given(
    body=st.binary(min_size=1, max_size=3000),
    value=HEADER_TEXT,
    chunked=st.booleans(),
    status=st.sampled_from([(200, "OK"), (203, "Non-Authoritative Information")]),
)
def test_any_exchange_round_trips_through_warc(tmp_path_factory, body, value, chunked, status):
    """Whatever the body and a header's bytes, the record replays the body and writes the
    headers byte for byte (a chunked answer is framed again so that a reader de-chunks it)."""
    headers = (("Content-Type", "text/plain"), ("X-Any", value))
    if chunked:
        headers += (("Transfer-Encoding", "chunked"),)
    exchange = an_exchange(status=status[0], reason=status[1], response_headers=headers, body=body)
    source = Source(
        data=body,
        location="http://127.0.0.1:1/page",
        retrieved="2026-01-02T03:04:05Z",
        exchanges=(exchange,),
    )
    made = capture(source)
    path = tmp_path_factory.mktemp("warc") / made.name
    path.write_bytes(made.data)
    found = find_record(path, made.record_id)
    assert found is not None and found.payload == body
    assert sha256_hex(found.headers["WARC-Payload-Digest"]) == hashlib.sha256(body).hexdigest()
    raw = gzip.decompress(made.data)
    assert f"X-Any: {value}\r\n".encode("latin-1") in raw
    assert capture(source).data == made.data  # the same read, the same bytes


@pytest.mark.parametrize(
    ("status", "body", "attempts"),
    [(404, b"<h1>Page introuvable</h1>", 1), (503, b"Service indisponible", 3)],
)
def test_an_error_answer_is_kept_as_the_state_of_the_page(tmp_path, status, body, attempts):
    """A 404, or a 503 given up on after its retries: no page, no release, but the answer is
    what the page was that day: its WARC is kept and attempts.json names it."""
    from extract.fetch import FetchPolicy

    output = tmp_path / "out"
    rules = FetchPolicy(attempts=attempts, backoff_base=0.0, jitter=0.0, sleep=lambda s: None)
    with serve({"/page": lambda request, hit: send(request, status, body)}) as server:
        with pytest.raises(RdvError, match=f"HTTP {status}"):
            run(server.url("/page"), output, policy=rules)
    (warc,) = warc_files(output)
    responses = [r for r in records(warc) if r["type"] == "response"]
    assert [(r["status"], r["payload"]) for r in responses] == [(str(status), body)]
    assert responses[0]["warc"]["WARC-Target-URI"] == server.url("/page")
    failed = json.loads((output / layout.ATTEMPTS_FILE).read_text("utf-8"))["attempts"][-1]
    assert failed["outcome"] == "failed" and failed["warc"] == f"{layout.WARC_DIR}/{warc.name}"
    assert not (output / layout.RELEASES_DIR).exists()


def test_a_long_error_body_is_kept_up_to_its_cap_and_marked_truncated(tmp_path):
    from extract.fetch import ERROR_BODY_CAP

    output = tmp_path / "out"
    body = b"x" * (ERROR_BODY_CAP * 3)
    with serve({"/page": lambda request, hit: send(request, 410, body)}) as server:
        with pytest.raises(RdvError, match="HTTP 410"):
            run(server.url("/page"), output)
    (warc,) = warc_files(output)
    (response,) = [r for r in records(warc) if r["type"] == "response"]
    assert response["payload"] == body[:ERROR_BODY_CAP]
    assert response["warc"]["WARC-Truncated"] == "length"


def test_two_reads_that_differ_never_share_a_file_name_or_a_record_id():
    """Two reads in the same second (a fixed SOURCE_DATE_EPOCH, or a fast server) that got the
    same answer to different requests (a server ignoring If-None-Match): before, both files
    were named after the response's id, and the second run was refused as overwriting a WARC."""
    answer = an_exchange()
    conditional = an_exchange(request_headers=(("Host", "127.0.0.1:1"), ("If-None-Match", '"a"')))
    first, second = (
        capture(Source(data=b"la page", location=answer.url, retrieved=answer.date, exchanges=(e,)))
        for e in (answer, conditional)
    )
    assert first.name != second.name
    ids = [{r["warc"]["WARC-Record-ID"] for r in records_of(made.data)} for made in (first, second)]
    assert len(ids[0] & ids[1]) <= 1  # at most the response, which is the same answer


def records_of(data: bytes) -> list[dict]:
    path = Path(tempfile.mkdtemp()) / "capture.warc.gz"
    path.write_bytes(data)
    return records(path)


def test_a_backfill_keeps_each_snapshot_as_a_resource_and_its_chain_holds(tmp_path, seed_text):
    from publish.reading.chain import verify_chain
    from rdv_opendata.backfill import backfill

    folder = tmp_path / "snapshots"
    folder.mkdir()
    (folder / "2020-12-01.txt").write_text(seed_text, encoding="utf-8")
    changed = seed_text.replace("Visibilité à 6 semaines", "Visibilité à 8 semaines")
    (folder / "2020-12-08.txt").write_text(changed, encoding="utf-8")
    (folder / "2020-12-15.txt").write_text(changed, encoding="utf-8")  # the same page again
    output = tmp_path / "out"
    result = backfill(folder, output, base_url=BASE_URL)
    assert result.published == ["1.0.0", "1.1.0"] and result.unchanged == 1
    dates = sorted(
        r["warc"]["WARC-Date"]
        for path in warc_files(output)
        for r in records(path)
        if r["type"] == "resource"
    )
    assert dates == ["2020-12-01T00:00:00Z", "2020-12-08T00:00:00Z", "2020-12-15T00:00:00Z"]
    assert verify_chain(output).releases == ["1.0.0", "1.1.0"]
