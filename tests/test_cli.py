"""The CLI's validate command and its help (no Prefect needed)."""

from __future__ import annotations

import pytest

from extract import extract_table
from normalise import normalise
from rdv_opendata.cli import main
from schemas.frames import to_frames
from tests.helpers import write_package


@pytest.fixture()
def package(seed_bytes, tmp_path):
    frames = to_frames(normalise(extract_table(seed_bytes)))
    write_package(frames, tmp_path, {"title": "t", "path": "x"}, "1.0.0", "2026-11-26T00:00:00Z")
    return tmp_path


def test_validate_accepts_a_good_package(package, capsys):
    assert main(["validate", str(package)]) == 0
    assert main(["validate", str(package / "datapackage.json")]) == 0
    assert "valid:" in capsys.readouterr().out


def test_validate_names_the_corrupted_file(package, capsys):
    path = package / "data" / "locations.csv"
    path.write_text(path.read_text(encoding="utf-8")[:-20], encoding="utf-8")
    assert main(["validate", str(package)]) == 1
    err = capsys.readouterr().err
    assert "invalid: locations" in err and "hash" in err


def test_validate_missing_package(tmp_path, capsys):
    assert main(["validate", str(tmp_path)]) == 1
    assert "no datapackage.json" in capsys.readouterr().err


def test_help_lists_the_commands(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "publish" in out and "validate" in out


def test_validate_names_a_release_file_edited_after_publication(tmp_path, capsys):
    from rdv_opendata.pipeline import run

    run(None, tmp_path)
    release = tmp_path / "releases" / "1.0.0"
    assert main(["validate", str(release)]) == 0
    with (release / "CHANGES.md").open("a", encoding="utf-8") as handle:
        handle.write("edited\n")
    assert main(["validate", str(tmp_path / "latest")]) == 1
    assert "invalid: CHANGES.md: hash mismatch" in capsys.readouterr().err


def test_help_imports_no_heavy_library():
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from rdv_opendata.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = ('pandas', 'pandera', 'frictionless', 'prefect', 'pyarrow', 'bs4', 'httpx')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().splitlines()[-1] == "[]"
