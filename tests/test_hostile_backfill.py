"""Hostile snapshot folders and sources: links out of the folder, files that are not regular
files, names that forge message lines, and inputs over the size cap however they are read."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from core.settings import MAX_SOURCE_BYTES
from rdv_opendata.cli import main

PREFIX = "rdv-opendata: error: "
FORGED = "x\n\x1b[31mrdv-opendata: error: fake.txt"


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_backfill(capsys, folder: Path, output: Path) -> tuple[int, str, str]:
    return run_cli(capsys, "backfill", "--no-orchestrator", str(folder), "--output", str(output))


def archived(output: Path) -> list[bytes]:
    """The bytes of every snapshot archived under ``output/snapshots``."""
    return [p.read_bytes() for p in (output / "snapshots").iterdir() if not p.name.endswith("json")]


def assert_one_line_each(err: str, count: int) -> None:
    lines = err.splitlines()
    assert len(lines) == count
    assert all(line.startswith(PREFIX) for line in lines)
    assert all(ch == "\n" or ch.isprintable() for ch in err)


@pytest.fixture()
def outside(tmp_path, seed_text) -> Path:
    """A readable, valid snapshot outside the backfill folder: it must never be published."""
    secret = tmp_path / "secret.txt"
    secret.write_text(seed_text.replace("à 6 sem", "à 9 sem"), encoding="utf-8")
    return secret


def test_links_out_of_the_folder_and_odd_entries_are_skipped_and_reported(
    seed_text, tmp_path, capsys, outside
):
    folder = tmp_path / "snapshots"
    folder.mkdir()
    (folder / "2020-11-02.txt").write_text(seed_text, encoding="utf-8")
    (folder / "2020-11-09.txt").symlink_to("/etc/passwd")
    (folder / "2020-11-10.txt").symlink_to(Path("..") / outside.name)  # relative, climbs out
    (folder / "2020-11-11.txt").symlink_to(outside)
    os.mkfifo(folder / "2020-11-16.txt")
    (folder / "2020-11-23.txt").mkdir()
    (folder / "2020-11-24.txt").symlink_to("2020-11-24.txt")  # a loop
    (folder / "2020-11-30.txt").symlink_to("2020-11-02.txt")  # inside the folder: read

    code, out, err = run_backfill(capsys, folder, tmp_path / "out")

    assert code == 1
    assert out.startswith("8 snapshots: published 1.0.0; 1 unchanged; 6 failed")
    assert err.splitlines() == [
        PREFIX + "2020-11-09.txt: skipped: a link pointing outside the folder",
        PREFIX + "2020-11-10.txt: skipped: a link pointing outside the folder",
        PREFIX + "2020-11-11.txt: skipped: a link pointing outside the folder",
        PREFIX + "2020-11-16.txt: skipped: a FIFO, not a regular file",
        PREFIX + "2020-11-23.txt: skipped: a folder, not a regular file",
        PREFIX + "2020-11-24.txt: cannot be read (Too many levels of symbolic links)",
    ]
    passwd = Path("/etc/passwd").read_bytes()
    assert archived(tmp_path / "out") == [seed_text.encode("utf-8")]
    assert all(
        passwd not in data and outside.read_bytes() != data for data in archived(tmp_path / "out")
    )


def test_a_file_name_cannot_forge_a_message_line(seed_text, tmp_path, capsys, outside):
    folder = tmp_path / "snapshots"
    folder.mkdir()
    (folder / "2020-11-02.txt").write_text(seed_text, encoding="utf-8")
    (folder / FORGED).write_text("<html><body>en travaux</body></html>", encoding="utf-8")
    (folder / ("2020-11-09\x1b[2K\r.txt")).symlink_to(outside)

    code, _, err = run_backfill(capsys, folder, tmp_path / "out")

    assert code == 1
    assert_one_line_each(err, 2)
    assert PREFIX + "2020-11-09\\x1b[2K\\r.txt: skipped: a link pointing outside" in err
    assert PREFIX + "x\\n\\x1b[31mrdv-opendata: error: fake.txt: no table" in err


def test_a_hostile_folder_or_source_name_stays_on_one_line(tmp_path, capsys):
    code, _, err = run_backfill(capsys, tmp_path / FORGED, tmp_path / "out")
    assert code == 1
    assert_one_line_each(err, 1)
    assert "\\x1b[31m" in err and "does not exist" in err

    source = str(tmp_path / FORGED)
    code, _, err = run_cli(
        capsys, "publish", "--no-orchestrator", "--source", source, "--output", str(tmp_path / "o")
    )
    assert code == 1
    assert_one_line_each(err, 1)
    assert "\\x1b[31m" in err and "does not exist" in err


def test_a_backfill_snapshot_over_the_cap_is_refused(seed_text, tmp_path, capsys):
    folder = tmp_path / "snapshots"
    folder.mkdir()
    (folder / "2020-11-02.txt").write_text(seed_text, encoding="utf-8")
    big = seed_text.encode("utf-8") + b"\n" * (6_300_000 - len(seed_text.encode("utf-8")))
    (folder / "2020-11-09.txt").write_bytes(big)

    code, _, err = run_backfill(capsys, folder, tmp_path / "out")

    assert code == 1
    assert_one_line_each(err, 1)
    assert err.startswith(PREFIX + "2020-11-09.txt: source ")
    assert err.rstrip().endswith(f"is 6300000 bytes, over the {MAX_SOURCE_BYTES}-byte cap")
    assert all(len(data) <= MAX_SOURCE_BYTES for data in archived(tmp_path / "out"))


def feed(fifo: Path, data: bytes) -> threading.Thread:
    """Write ``data`` into ``fifo`` from a thread; the reader may stop early (broken pipe)."""

    def write() -> None:
        try:
            with fifo.open("wb") as pipe:
                pipe.write(data)
        except BrokenPipeError:
            pass

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


def test_a_fifo_source_over_the_cap_is_refused(tmp_path, capsys):
    fifo = tmp_path / "source.html"
    os.mkfifo(fifo)
    writer = feed(fifo, b"<html>" + b" " * 8_400_000 + b"</html>")
    output = tmp_path / "out"

    code, _, err = run_cli(
        capsys, "publish", "--no-orchestrator", "--source", str(fifo), "--output", str(output)
    )

    writer.join(timeout=10)
    assert code == 1
    assert_one_line_each(err, 1)
    assert err.rstrip().endswith(f"over the {MAX_SOURCE_BYTES}-byte cap")
    assert not output.exists() or not list((output / "snapshots").glob("*"))


def test_stdin_over_the_cap_is_refused(tmp_path):
    command = [sys.executable, "-m", "rdv_opendata", "publish", "--no-orchestrator"]
    command += ["--source", "/dev/stdin", "--output", str(tmp_path / "out")]
    data = b"<html>" + b" " * 8_400_000 + b"</html>"
    done = subprocess.run(command, input=data, capture_output=True, timeout=300)
    err = done.stderr.decode("utf-8")
    assert done.returncode == 1
    assert_one_line_each(err, 1)
    assert f"over the {MAX_SOURCE_BYTES}-byte cap" in err
    assert not (tmp_path / "out" / "snapshots").exists() or not archived(tmp_path / "out")


def test_a_source_at_the_cap_is_read_whole(tmp_path):
    """The cap refuses only what is beyond it: exactly MAX_SOURCE_BYTES bytes are read."""
    from extract.read import read_path

    exact = tmp_path / "exact.txt"
    exact.write_bytes(b"a" * MAX_SOURCE_BYTES)
    assert len(read_path(exact).data) == MAX_SOURCE_BYTES
