"""The third hardening round (issue 21, point 5): noncharacters, two labels of one type, hosts as
browsers parse them, the base URL, forged change lines, observed dates in the future, and what a
new user met. Each case was seen failing before its fix."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from core.errors import NormaliseError
from extract import extract_table
from normalise import normalise
from rdv_opendata.settings import DEFAULT_SOURCE
from tests.helpers import edit_descriptor

SEED = DEFAULT_SOURCE.read_text(encoding="utf-8")


def read(text: str) -> dict:
    return normalise(extract_table(text.encode("utf-8")))


# --- noncharacters ------------------------------------------------------------------------------

NONCHARACTERS = [chr(c) for c in range(0xFDD0, 0xFDF0)] + [
    chr(plane * 0x10000 + low) for plane in range(17) for low in (0xFFFE, 0xFFFF)
]


@pytest.mark.parametrize("character", ["\ufffe", "\uffff", "\ufdd0", "\U0010ffff"])
def test_a_noncharacter_is_refused_naming_row_and_column(character):
    text = SEED.replace("Visibilité à 6 semaines", f"Visibilité{character} à 6 semaines", 1)
    with pytest.raises(NormaliseError) as caught:
        read(text)
    message = str(caught.value)
    assert message.startswith("row 3, column 'Remarques': the text holds the character U+")
    assert f"U+{ord(character):04X} (a noncharacter)" in message


@given(st.sampled_from(NONCHARACTERS), st.sampled_from(["Préfecture", "Conjoints de français"]))
def test_every_noncharacter_is_refused_in_any_column(character, anchor):
    text = SEED.replace(anchor, anchor + character, 1)
    with pytest.raises(NormaliseError, match="a noncharacter"):
        read(text)


# --- two labels, one type -----------------------------------------------------------------------


def test_two_labels_giving_one_type_id_are_refused_naming_both():
    assert len(read(SEED)["appointment_types"]) == 8
    text = SEED.replace("<b>Démarches autres</b>", "<b>Retrait d'un titre de sejour</b>", 1)
    with pytest.raises(NormaliseError) as caught:
        read(text)
    message = str(caught.value)
    assert message.startswith("row 6, column 'Type de rendez-vous': ")
    assert "« Retrait d'un titre de séjour »" in message
    assert "« Retrait d'un titre de sejour » (row 5)" in message
    assert "'retrait-d-un-titre-de-sejour'" in message


ORIGINAL = "Démarches autres"


def _spelt(character: str, how: str) -> str:
    if how == "upper":
        return character.upper()
    if how == "plain":
        return character.translate(str.maketrans("éèêàç", "eeeac"))
    return character


@given(
    st.lists(st.sampled_from(["keep", "upper", "plain"]), min_size=16, max_size=16),
    st.sampled_from([" ", "-", " - ", "'", " / "]),
)
def test_a_type_label_differing_only_in_what_its_id_drops_is_refused(changes, space):
    # another row's label rewritten (case, accents, punctuation) so that its id is the same
    label = "".join(map(_spelt, ORIGINAL, changes)).replace(" ", space)
    assume(label != ORIGINAL)
    text = SEED.replace("<p><b>Retrait d'un titre de séjour</b></p>", f"<p><b>{label}</b></p>", 1)
    with pytest.raises(NormaliseError, match=f"« {ORIGINAL} » .* give the same type id"):
        read(text)


# --- hosts parsed as browsers parse them --------------------------------------------------------


def _spell_part(value: int, how: str) -> str:
    return {"dec": str(value), "oct": f"0{value:o}", "hex": f"0x{value:x}", "HEX": f"0X{value:X}"}[
        how
    ]


@st.composite
def ipv4_spellings(draw, first: int, second: int | None = None) -> str:
    """An address of a non-public range spelt as a browser still reads it: octal, hex, short
    forms (127.1, 2130706433), a trailing dot, full-width digits, percent-encoded."""
    parts = [first, second if second is not None else draw(st.integers(0, 255))]
    parts += [draw(st.integers(0, 255)), draw(st.integers(1, 254))]
    fields = draw(st.integers(1, 4))
    head = parts[: fields - 1]
    tail = 0
    for part in parts[fields - 1 :]:
        tail = tail * 256 + part
    hows = st.sampled_from(["dec", "oct", "hex", "HEX"])
    text = ".".join([_spell_part(p, draw(hows)) for p in head] + [_spell_part(tail, draw(hows))])
    if draw(st.booleans()):
        text += "."
    form = draw(st.sampled_from(["plain", "fullwidth", "percent"]))
    if form == "fullwidth":
        text = text.translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    elif form == "percent":
        text = "".join(f"%{ord(c):02X}" if c.isdigit() and draw(st.booleans()) else c for c in text)
    return text


NON_PUBLIC = st.one_of(
    ipv4_spellings(127),
    ipv4_spellings(10),
    ipv4_spellings(192, 168),
    ipv4_spellings(169, 254),
    ipv4_spellings(0),
)


@given(NON_PUBLIC, st.sampled_from(["http", "https", "HTTPS"]))
def test_every_spelling_of_a_non_public_address_is_refused(host, scheme):
    from normalise.safety import link_problem

    problem = link_problem(f"{scheme}://{host}/rendez-vous")
    assert problem is not None and "non-public host" in problem, (host, problem)


@pytest.mark.parametrize(
    "host", ["0177.0.0.1", "127.1", "0x7f.1", "2130706433", "%31%32%37.0.0.1", "０x7f.1", "0"]
)
def test_the_loopback_spellings_of_the_attack_are_refused(host):
    from normalise.safety import link_problem

    assert "non-public host" in (link_problem(f"http://{host}/") or "")


LABELS = st.from_regex(r"\A[a-z][a-z0-9]{0,9}\Z")  # a last label of digits is not a name


@given(
    st.sampled_from(["www.isere.gouv.fr", "isere.gouv.fr", "gouv.fr", "www.interieur.gouv.fr"]),
    st.lists(LABELS, min_size=1, max_size=3),
    st.booleans(),
    st.booleans(),
)
def test_a_lookalike_suffix_of_the_states_domain_is_refused(official, extra, upper, dot):
    from normalise.safety import link_problem

    host = ".".join([official, *extra])
    host = host.upper() if upper else host
    problem = link_problem(f"https://{host}{'.' if dot else ''}/rendez-vous")
    assert problem is not None and "gouv.fr" in problem, (host, problem)


@pytest.mark.parametrize(
    "host", ["www.isere-gouv.fr", "gouv-fr.example", "isere.gouv.fr-rdv.example"]
)
def test_a_host_that_borrows_the_word_gouv_is_refused(host):
    from normalise.safety import link_problem

    assert "gouv.fr" in (link_problem(f"https://{host}/") or "")


@given(
    st.sampled_from(["www.isere.gouv.fr", "administration-etrangers-en-france.interieur.gouv.fr"]),
    st.booleans(),
    st.booleans(),
)
def test_the_states_own_hosts_are_accepted_however_spelt(host, upper, dot):
    from normalise.safety import link_problem

    host = host.upper() if upper else host
    assert link_problem(f"https://{host}{'.' if dot else ''}/") is None


@pytest.mark.parametrize(
    "href", ["http://0177.0.0.1/rdv", "http://127.1/rdv", "https://www.isere.gouv.fr.evil.example/"]
)
def test_a_booking_link_to_a_lookalike_or_loopback_host_refuses_the_run(href):
    seed_link = '<a href="https://www.isere.gouv.fr/">https://www.isere.gouv.fr/</a>'
    assert seed_link in SEED
    text = SEED.replace(seed_link, f'<a href="{href}">{href}</a>', 1)
    with pytest.raises(NormaliseError) as caught:
        read(text)
    assert str(caught.value).startswith("row 1, column 'Modalités de prise de rendez-vous': link ")


# --- the base URL -------------------------------------------------------------------------------

BAD_BASE_URLS = {
    "a quote": 'https://data.example.org/"x',
    "a space": "https://data.example.org/a b",
    "a newline": "https://data.example.org/\nx",
    "a tab": "https://data\t.example.org/",
    "a fragment": "https://data.example.org/#top",
    "a query": "https://data.example.org/?a=1",
    "a user name": "https://user:secret@data.example.org/",
    "another scheme": "ftp://data.example.org/",
    "no scheme": "data.example.org/rdv",
    "no host": "https:///rdv",
    "an angle bracket": "https://data.example.org/<x>",
}


@pytest.mark.parametrize("url", BAD_BASE_URLS.values(), ids=BAD_BASE_URLS.keys())
def test_a_bad_base_url_is_refused_by_the_library(url, tmp_path):
    from core.errors import PublishError
    from rdv_opendata import pipeline

    with pytest.raises(PublishError, match=r"the public address .* \(--base-url\) "):
        pipeline.run(str(DEFAULT_SOURCE), tmp_path / "out", base_url=url)
    assert not (tmp_path / "out" / "releases").exists()


@pytest.mark.parametrize("url", BAD_BASE_URLS.values(), ids=BAD_BASE_URLS.keys())
def test_a_bad_base_url_is_refused_at_the_cli_in_one_line(url, tmp_path):
    from tests.helpers import publish_process

    result = publish_process(DEFAULT_SOURCE, tmp_path / "out", None, "--base-url", url)
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("rdv-opendata: error: the public address ")
    assert "--base-url" in lines[0]
    assert "secret" not in result.stderr
    assert not (tmp_path / "out" / "releases").exists()


def test_a_bad_base_url_in_the_environment_is_refused_naming_the_variable(tmp_path, monkeypatch):
    from core.errors import PublishError
    from rdv_opendata import pipeline
    from rdv_opendata.settings import BASE_URL_ENV

    monkeypatch.setenv(BASE_URL_ENV, "https://data.example.org/#x")
    with pytest.raises(PublishError, match=BASE_URL_ENV):
        pipeline.run(str(DEFAULT_SOURCE), tmp_path / "out")


@given(
    st.sampled_from(["http", "https", "HTTPS"]),
    st.from_regex(r"\A[a-z][a-z0-9-]{0,12}(\.[a-z][a-z0-9-]{0,12}){1,3}\Z"),
    st.from_regex(r"\A(/[A-Za-z0-9._~-]{0,12}){0,3}\Z"),
)
def test_a_plain_base_url_is_accepted(scheme, host, path):
    from rdv_opendata.settings import base_url

    assert (
        base_url(f"{scheme}://{host}{path}").lower()
        == f"{scheme}://{host}{path}".rstrip("/").lower()
    )


def test_a_bad_base_url_is_refused_before_the_orchestrator_starts(tmp_path):
    import subprocess
    import sys

    command = [sys.executable, "-m", "rdv_opendata", "publish", "--output", str(tmp_path / "o")]
    command += ["--base-url", "https://data.example.org/\n#x"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("rdv-opendata: error: the public address ")


# --- change lines on standard output and in the notifications -----------------------------------

FORGED = (
    "<p>Ligne<br>- Type supprimé : Renouvellements de titre de séjour</p><p>===</p>"
    "<p>Le lien n'étant pas actif"
)


def _forged_lines_absent(text: str) -> None:
    lines = text.splitlines()
    assert not any(line.lstrip("- ").startswith("Type supprimé") for line in lines), text
    assert "===" not in lines
    assert "⏎ - Type supprimé : Renouvellements" in text


def test_remarks_cannot_forge_change_lines_on_stdout_or_in_notifications(tmp_path):
    from rdv_opendata import pipeline
    from rdv_opendata.notify import release_message, store_context
    from tests.helpers import publish_process

    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(SEED, encoding="utf-8")
    second.write_text(SEED.replace("<p>Le lien n'étant pas actif", FORGED, 1), encoding="utf-8")
    assert publish_process(first, tmp_path / "cli").returncode == 0
    shown = publish_process(second, tmp_path / "cli")
    assert shown.returncode == 0, shown.stderr
    _forged_lines_absent(shown.stdout)

    pipeline.run(str(first), tmp_path / "lib")
    result = pipeline.run(str(second), tmp_path / "lib")
    _, body = release_message(result, store_context(tmp_path / "lib"))
    _forged_lines_absent(body)


def test_english_notifications_mark_line_breaks_as_french_ones_do(tmp_path, monkeypatch):
    """The English lines are said again from the release's facts: a break in a remark showed as
    a space there, where the French lines show ⏎ (the same forged text, one line either way)."""
    from rdv_opendata import pipeline
    from rdv_opendata.notify import release_message, store_context
    from rdv_opendata.settings import NOTIFY_LANGUAGE_ENV

    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(SEED, encoding="utf-8")
    second.write_text(SEED.replace("<p>Le lien n'étant pas actif", FORGED, 1), encoding="utf-8")
    pipeline.run(str(first), tmp_path / "lib")
    result = pipeline.run(str(second), tmp_path / "lib")
    monkeypatch.setenv(NOTIFY_LANGUAGE_ENV, "en")
    _, body = release_message(result, store_context(tmp_path / "lib"))
    assert "⏎ - Type supprimé : Renouvellements" in body
    assert not any(line.lstrip("- ").startswith("Type supprimé") for line in body.splitlines())


# --- observed dates in the future ---------------------------------------------------------------


def _one_line_refusal(result, *words: str) -> str:
    assert result.returncode == 1, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def test_an_observed_option_in_the_future_is_refused(tmp_path):
    from tests.helpers import publish_process

    result = publish_process(DEFAULT_SOURCE, tmp_path / "out", None, "--observed", "2099-01-01")
    line = _one_line_refusal(result, "2099-01-01", "--observed", "in the future")
    assert line.startswith("rdv-opendata: error: ")
    assert not (tmp_path / "out" / "releases").exists()


def test_a_date_in_the_file_name_in_the_future_is_refused(tmp_path):
    from tests.helpers import publish_process

    source = tmp_path / "page-2099-01-01.txt"
    source.write_text(SEED, encoding="utf-8")
    result = publish_process(source, tmp_path / "out")
    _one_line_refusal(result, "2099-01-01", "file name", "in the future")


def test_a_modification_time_in_the_future_is_refused(tmp_path):
    import os

    from tests.helpers import publish_process

    source = tmp_path / "page.txt"
    source.write_text(SEED, encoding="utf-8")
    future = 4_070_908_800  # 2099-01-01
    os.utime(source, (future, future))
    result = publish_process(source, tmp_path / "out")
    _one_line_refusal(result, "2099-01-01", "modification time", "in the future")


def test_a_last_modified_in_the_future_is_refused():
    from core.errors import SourceError
    from extract.read import read_url
    from tests.http_server import send, serve

    def page(request, hit):
        send(request, 200, SEED.encode(), {"Last-Modified": "Thu, 01 Jan 2099 08:00:00 GMT"})

    with serve({"/page": page}) as server:
        with pytest.raises(SourceError, match="2099-01-01 .*Last-Modified.* in the future"):
            read_url(server.url("/page"))


def test_today_and_the_allowed_skew_are_accepted():

    from extract import observed

    today = observed.today()
    for date in (today, today + observed.FUTURE_SKEW):
        assert observed.not_future(date.isoformat(), "--observed") == date.isoformat()


def test_a_release_recorded_in_the_future_is_named_and_can_be_published_over(tmp_path, monkeypatch):
    """An output whose latest release was observed in 2099 (accepted before this check): a
    genuine page is refused with a line that says so and how to go on, not as a rollback; with
    --allow-rollback it is published, and the guard works again from it."""
    import datetime as dt

    from core.errors import PublishError
    from extract import observed
    from rdv_opendata import pipeline

    first = tmp_path / "page-2099-01-01.txt"
    first.write_text(SEED, encoding="utf-8")
    with monkeypatch.context() as patched:  # as if this check did not exist yet
        patched.setattr(observed, "today", lambda: dt.date(2100, 1, 1))
        pipeline.run(str(first), tmp_path / "out")
    genuine = tmp_path / "page.txt"
    genuine.write_text(SEED.replace("6 semaines", "5 semaines", 1), encoding="utf-8")
    with pytest.raises(PublishError) as caught:
        pipeline.run(str(genuine), tmp_path / "out")
    message = str(caught.value)
    assert "refusing a rollback" not in message
    assert "records the observed date 2099-01-01, in the future" in message
    assert "--allow-rollback" in message
    result = pipeline.run(str(genuine), tmp_path / "out", allow_rollback=True)
    assert result.version == "1.1.0"
    older = tmp_path / "page-2020-01-01.txt"
    older.write_text(SEED.replace("6 semaines", "4 semaines", 1), encoding="utf-8")
    with pytest.raises(PublishError, match="refusing a rollback"):
        pipeline.run(str(older), tmp_path / "out")


# --- the analysts' loader downloads as validate and diff do -------------------------------------


@pytest.fixture()
def a_release(tmp_path) -> Path:
    import shutil

    from rdv_opendata import pipeline

    source = tmp_path / "a.txt"
    source.write_text(SEED, encoding="utf-8")
    pipeline.run(str(source), tmp_path / "out")
    copy = tmp_path / "served"
    shutil.copytree(tmp_path / "out" / "latest", copy)
    return copy


HOSTILE_PATHS = {
    "a parent path": "../../../etc/passwd",
    "an absolute path": "/etc/passwd",
    "a URL elsewhere": "http://127.0.0.1:9/x.csv",
}


@pytest.mark.parametrize("path", HOSTILE_PATHS.values(), ids=HOSTILE_PATHS.keys())
def test_the_loader_refuses_a_path_outside_the_package_over_http_and_on_disk(a_release, path):
    from core.errors import SourceError
    from rdv_opendata.loader import load_release
    from tests.helpers import serve_folder

    edit_descriptor(a_release, lambda d: d["resources"][0].update(path=path))
    with pytest.raises(SourceError, match="outside the package"):
        load_release(a_release)
    with serve_folder(a_release) as url:
        with pytest.raises(SourceError, match="outside the package"):
            load_release(url)


def test_the_loader_stops_a_download_at_the_size_cap(a_release, monkeypatch):
    from core.errors import SourceError
    from publish.reading import remote
    from rdv_opendata.loader import load_release
    from tests.helpers import serve_folder

    monkeypatch.setattr(remote, "MAX_FILE_BYTES", 2_000)  # the same code, a smaller cap
    with serve_folder(a_release) as url:
        with pytest.raises(SourceError, match="over the 2000-byte cap"):
            load_release(url)


# --- a source file's name, never its local path -------------------------------------------------


def _published_bytes(output: Path) -> Iterator[tuple[Path, bytes]]:
    """Every file of the output folder, and each member of every zip (the workbook)."""
    import zipfile

    for path in sorted(output.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        data = path.read_bytes()
        yield path, data
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    yield path / member, archive.read(member)


def test_a_source_files_local_path_is_published_nowhere(tmp_path):
    import json

    from tests.helpers import publish_process

    folder = tmp_path / "home" / "publisher-name" / "private" / "work"
    folder.mkdir(parents=True)
    source = folder / "page.txt"
    source.write_text(SEED, encoding="utf-8")
    output = tmp_path / "out"
    result = publish_process(source, output)
    assert result.returncode == 0, result.stderr
    found = [str(p) for p, data in _published_bytes(output) if b"publisher-name" in data]
    assert not found
    descriptor = json.loads((output / "latest" / "datapackage.json").read_text("utf-8"))
    assert descriptor["sources"][0]["path"] == "page.txt"


# --- the placeholder base URL -------------------------------------------------------------------

PLACEHOLDER_NOTE = "the public address is still the placeholder https://rdv-opendata.example.org"


def test_a_publish_on_the_placeholder_address_ends_with_one_line_saying_so(tmp_path):
    import os
    import subprocess
    import sys

    from rdv_opendata.settings import BASE_URL_ENV

    env = {k: v for k, v in os.environ.items() if k != BASE_URL_ENV}
    command = [sys.executable, "-m", "rdv_opendata", "publish", "--no-orchestrator"]
    command += ["--source", str(DEFAULT_SOURCE), "--output", str(tmp_path / "out")]
    run = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert run.returncode == 0, run.stderr
    last = run.stdout.strip().splitlines()[-1]
    assert last.startswith(f"note: {PLACEHOLDER_NOTE}") and "--base-url" in last
    assert run.stdout.count(PLACEHOLDER_NOTE) == 1
    again = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert again.stdout.strip().splitlines()[-1].startswith("note: ")  # unchanged runs too
    served = command + ["--base-url", "https://data.example.org/rdv"]
    third = subprocess.run(served, capture_output=True, text=True, env=env, timeout=300)
    assert PLACEHOLDER_NOTE not in third.stdout + third.stderr


# --- a failed orchestrated run says one line ----------------------------------------------------


@pytest.mark.slow
def test_a_failed_orchestrated_run_says_one_line_and_prefect_logs_to_its_ui_and_file(tmp_path):
    """A real flow run (Prefect's temporary server, a home of its own) on a page without the
    table: stderr is the one line of the refusal; Prefect's lines are in its log file and in its
    database, which its UI reads."""
    import sqlite3
    import subprocess

    from tests.test_orchestrator import publish, user_env

    bad = tmp_path / "page.txt"
    bad.write_text("no table here\n", encoding="utf-8")
    home = tmp_path / "prefect-home"
    env = user_env(PREFECT_HOME=str(home))
    run: subprocess.CompletedProcess = publish(
        "--source", str(bad), "--output", str(tmp_path / "out"), env=env
    )
    assert run.returncode == 1
    assert run.stderr.strip().splitlines() == [
        "rdv-opendata: error: no table with the expected header found (looked for a row with "
        "Type de rendez-vous | Démarches | Modalités de prise de rendez-vous | Lieu de "
        "rendez-vous | Remarques)"
    ], run.stderr
    logged = (home / "logs" / "rdv-opendata.log").read_text("utf-8")
    assert "Beginning flow run" in logged and "no table with the expected header" in logged
    with sqlite3.connect(home / "prefect.db") as database:
        messages = [row[0] for row in database.execute("SELECT message FROM log")]
    assert any("no table with the expected header" in message for message in messages)
