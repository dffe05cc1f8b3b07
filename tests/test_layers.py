"""The house has one top: imports only go down the layers, read from the source with ``ast``.

core (errors, constants) <- extract, normalise, schemas, publish, website (pure) <- rdv_opendata
(application: pipeline, backfill, notify) <- flows (Prefect wrappers) <- rdv_opendata.cli (top).

Inside ``publish``, six rooms on ``publish.layout``: formats <- reading <- changes <- release <-
history <- derived (see ``publish/__init__.py``). The release chain and ``rdv-opendata verify``
live in ``reading`` (``chain.py``, ``signature.py``): reading an output back, as low as they can
be, so that ``release`` writes ``evidence.json`` with the one definition of it.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PURE = ("extract", "normalise", "schemas", "publish", "website")
PROJECT = ("core", *PURE, "rdv_opendata", "flows")


def imports_of(path: Path) -> set[str]:
    """Every project module ``path`` imports, at any depth of the file (lazy imports count)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if name.split(".")[0] in (*PROJECT, "prefect")}


def files_of(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", PURE)
def test_pure_packages_import_neither_the_application_nor_prefect(package: str) -> None:
    wrong = {
        f"{path.relative_to(ROOT)} imports {name}"
        for path in files_of(package)
        for name in imports_of(path)
        if name.split(".")[0] in ("rdv_opendata", "flows", "prefect")
    }
    assert not wrong, sorted(wrong)


def test_the_floor_imports_nothing_of_the_project() -> None:
    wrong = {
        f"{path.relative_to(ROOT)} imports {name}"
        for path in files_of("core")
        for name in imports_of(path)
        if name.split(".")[0] != "core"
    }
    assert not wrong, sorted(wrong)


def test_only_the_cli_imports_flows_from_the_application() -> None:
    wrong = {
        f"{path.relative_to(ROOT)} imports {name}"
        for path in files_of("rdv_opendata")
        if path.name != "cli.py"
        for name in imports_of(path)
        if name.split(".")[0] == "flows"
    }
    assert not wrong, sorted(wrong)


def runs_without_the_application(code: str) -> None:
    """Run ``code`` in a fresh interpreter, then check that it loaded no module of the
    application, of the flows or of Prefect."""
    check = (
        "\nloaded = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('rdv_opendata', 'flows', 'prefect'))\n"
        "assert not loaded, loaded"
    )
    done = subprocess.run(
        [sys.executable, "-c", "import sys\n" + code + check],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


def test_extract_is_usable_without_the_application() -> None:
    """A fresh interpreter reads the bundled table with ``extract`` alone: no module of the
    application, of the flows or of Prefect gets loaded."""
    snapshot = str(ROOT / "rdv_opendata" / "data" / "isere-modalites-rdv-2020.txt")
    code = (
        "from extract import extract_table; from extract.read import read_path\n"
        f"table = extract_table(read_path({snapshot!r}).data)\n"
        "assert len(table.rows) > 5, len(table.rows)\n"
    )
    runs_without_the_application(code)


#: the rooms of ``publish``, lowest first: a room imports only from itself, the rooms below it
#: and ``publish.layout``
PUBLISH_ROOMS = ("formats", "reading", "changes", "release", "history", "derived")


def test_publish_is_made_of_its_rooms_and_its_layout() -> None:
    loose = sorted(path.name for path in (ROOT / "publish").glob("*.py"))
    assert loose == ["__init__.py", "layout.py"]
    rooms = sorted(path.parent.name for path in (ROOT / "publish").glob("*/__init__.py"))
    assert rooms == sorted(PUBLISH_ROOMS)
    for room in PUBLISH_ROOMS:
        door = (ROOT / "publish" / room / "__init__.py").read_text(encoding="utf-8")
        assert ast.get_docstring(ast.parse(door)), f"publish/{room}/ has no docstring at its door"


@pytest.mark.parametrize("room", PUBLISH_ROOMS)
def test_a_room_of_publish_imports_only_downwards(room: str) -> None:
    allowed = {"layout", *PUBLISH_ROOMS[: PUBLISH_ROOMS.index(room) + 1]}
    wrong = {
        f"{path.relative_to(ROOT)} imports {name}"
        for path in files_of(f"publish/{room}")
        for name in imports_of(path)
        if name.startswith("publish.") and name.split(".")[1] not in allowed
    }
    assert not wrong, sorted(wrong)


def test_verify_is_usable_without_the_application() -> None:
    """``rdv-opendata verify``'s code (``publish/reading/chain.py``, with ``extract/warc.py``
    and the signatures) is pure: a fresh interpreter checks an (empty) output folder with it
    and loads no module of the application, of the flows or of Prefect."""
    code = (
        "import tempfile, pathlib\n"
        "from core.errors import BrokenChain\n"
        "from publish.reading.chain import verify_chain\n"
        "try:\n"
        "    verify_chain(pathlib.Path(tempfile.mkdtemp()))\n"
        "except BrokenChain as exc:\n"
        "    assert 'releases.json is missing' in str(exc), exc\n"
    )
    runs_without_the_application(code)


#: libraries a fast publish of the bundled snapshot does without, each imported only where it is
#: used: phonenumbers at the first phone number read (normalise/grammar_channels.py), fsspec never
#: (warcio imports it for its own tools: extract/warc.py imports warcio without it), hypothesis
#: never (pandera's data synthesis: schemas/validate.py). Each cost every publish its start-up
#: (issue 19, measure b).
LAZY_FOR_THE_SNAPSHOT = ("phonenumbers", "fsspec", "hypothesis")


def test_a_fast_publish_of_the_snapshot_imports_no_library_it_does_not_use(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from rdv_opendata.cli import main\n"
        f"assert main(['publish', '--no-orchestrator', '--output', {str(tmp_path)!r}]) == 0\n"
        f"print(sorted(m for m in {LAZY_FOR_THE_SNAPSHOT!r} if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_checking_the_base_url_imports_no_part_of_extract() -> None:
    """The CLI checks ``--base-url`` first, before it imports the pipeline with the garbage
    collector paused (``cli._quick_imports``): extract (and its HTML parsers) must wait for that,
    being imported a tenth cheaper there. Only a refused address needs extract (to redact it)."""
    code = (
        "import sys\n"
        "from rdv_opendata.settings import base_url\n"
        "assert base_url('https://example.org/') == 'https://example.org'\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('extract', 'bs4', 'lxml'))\n"
        "assert not loaded, loaded\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
