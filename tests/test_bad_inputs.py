"""Bad, broken and hostile input never costs a release: one line naming the problem, a non-zero
exit, no traceback, nothing new under releases/ and latest unchanged. Inputs that can be read
exactly are published, with no executable content anywhere in the output."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from pathlib import Path

import pytest

from core.settings import MAX_SOURCE_BYTES
from extract import extract_table
from normalise import normalise
from publish.layout import WARC_DIR
from rdv_opendata import pipeline
from tests.helpers import publish_process

BAD = Path(__file__).parent / "fixtures" / "bad"
CASES = sorted(p.name.removesuffix(".expected") for p in BAD.glob("*.expected"))


def digest(folder: Path) -> dict[str, str]:
    """The published data (releases, latest, catalog): not the archived snapshots and WARC
    files (a refused page is kept as evidence), the run record or the site, which now says that
    the changed page could not be read."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
        and not str(p.relative_to(folder)).startswith(("snapshots", "site", WARC_DIR))
        and p.name not in (".lock", "attempts.json")
    }


@pytest.fixture()
def released(seed_release) -> Path:
    return seed_release


def assert_refused(
    run: subprocess.CompletedProcess, expected: str, output: Path, before: dict[str, str]
) -> None:
    assert run.returncode == 1
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert "Traceback" not in run.stderr
    assert re.search(expected, lines[0]), lines[0]
    assert lines[0].startswith("rdv-opendata: error: ")
    assert digest(output) == before  # nothing new under releases/, latest and catalog as before
    assert sorted(p.name for p in (output / "releases").iterdir()) == ["1.0.0"]


def test_the_corpus_is_complete():
    assert len(CASES) == 15


#: plain French that nothing reads (``CASE.unread``: the sentence): refused only with --strict
UNREAD = sorted(p.name.removesuffix(".unread") for p in BAD.glob("*.unread"))


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_refused(case, released):
    expected = (BAD / f"{case}.expected").read_text(encoding="utf-8").strip()
    before = digest(released)
    strict = ("--strict",) if case in UNREAD else ()
    assert_refused(publish_process(BAD / case, released, None, *strict), expected, released, before)


@pytest.mark.parametrize("case", UNREAD)
def test_an_unread_sentence_is_published_as_unread_without_strict(case, released):
    sentence = (BAD / f"{case}.unread").read_text(encoding="utf-8").strip()
    run = publish_process(BAD / case, released)
    assert run.returncode == 0, run.stderr
    assert "rdv-opendata unread" in run.stdout
    rows = json.loads((released / "latest" / "data" / "unread_sentences.json").read_text("utf-8"))
    assert [row["sentence"] for row in rows] == [sentence]


def test_input_over_the_size_cap_is_refused(released, tmp_path):
    big = tmp_path / "big.html"
    big.write_bytes(b"<html>" + b" " * MAX_SOURCE_BYTES + b"</html>")
    before = digest(released)
    assert_refused(publish_process(big, released), r"over the 5242880-byte cap", released, before)


# --- inputs that are read exactly: same data as the snapshot ---------------------------------


@pytest.fixture(scope="module")
def seed_data(seed_bytes):
    return normalise(extract_table(seed_bytes))


def test_windows_1252_page_without_declaration_is_read_exactly(page_text, seed_data):
    undeclared = page_text.replace(
        '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">', ""
    )
    assert "charset" not in undeclared
    table = extract_table(undeclared.encode("windows-1252", "xmlcharrefreplace"))
    assert (table.encoding, table.encoding_source) == ("cp1252", "fallback")
    assert normalise(table) == seed_data


def test_unclosed_cells_and_rows_parse_like_the_well_formed_twin(page_bytes, seed_data):
    malformed = page_bytes.replace(b"</td>", b"").replace(b"</tr>", b"")
    assert b"</td>" not in malformed
    assert normalise(extract_table(malformed)) == seed_data


def test_deeply_nested_markup_is_read_without_exhausting_the_stack(seed_text, seed_data):
    # seven times Python's recursion limit, and under the export cell's markup cap (issue 21:
    # 50,000 levels, 650,000 characters, are now refused by the cap before parsing)
    depth = 7_000
    nested = "<span>" * depth + "Préfecture" + "</span>" * depth
    text = seed_text.replace("\tPréfecture\t<p>Le formulaire", f"\t{nested}\t<p>Le formulaire", 1)
    assert text != seed_text
    assert normalise(extract_table(text.encode("utf-8"))) == seed_data


def test_scripts_and_event_handlers_never_reach_the_output(seed_text, tmp_path):
    hostile = seed_text.replace(
        "<b>Démarches autres</b>",
        "<b>Démarches autres</b><script>alert('x')</script><img src=x onerror=alert(1)>",
    ).replace("Préfecture\t\n", 'Préfecture<style>body{background:url("javascript:1")}</style>\t\n')
    source = tmp_path / "hostile.txt"
    source.write_text(hostile, encoding="utf-8")
    result = pipeline.run(str(source), tmp_path / "out")
    assert result.status == "published"
    release = tmp_path / "out" / "releases" / "1.0.0"
    site = tmp_path / "out" / "site"
    for path in [*release.rglob("*"), *site.rglob("*")]:
        if path.is_file():
            content = path.read_bytes().lower()
            for needle in (b"<script", b"alert(", b"onerror", b"javascript:", b"<style"):
                assert needle not in content, (path.name, needle)
    types = json.loads((release / "data" / "appointment_types.json").read_text())
    assert "Démarches autres" in [t["label"] for t in types]
