"""``untrusted.inside`` (os.path's strings instead of pathlib's objects) answers exactly as the
pathlib version it replaced, kept here as the reference: on real folders with files, links that
stay inside, links that lead out and a link loop, for any path drawn from their names."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from publish.reading.untrusted import inside


def reference_inside(folder: Path, relative: str) -> Path | None:
    """The pathlib version ``inside`` replaced."""
    if not relative or "://" in relative or relative.startswith(("/", "\\")) or "\0" in relative:
        return None
    root = folder.resolve()
    candidate = (root / relative).resolve()
    return candidate if candidate.is_relative_to(root) else None


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """outside/ and root_sibling/ beside root/; root/ holds files, a folder, links in, out and
    in a loop, and a link to itself as a folder (root_link)."""
    base = tmp_path_factory.mktemp("inside")
    (base / "outside").mkdir()
    (base / "outside" / "secret").write_text("x")
    root = base / "root"
    (root / "data").mkdir(parents=True)
    (root / "data" / "a.csv").write_text("a")
    (root / "b.json").write_text("b")
    os.symlink("data", root / "in_link")
    os.symlink("../outside", root / "out_link")
    os.symlink(str(base / "outside" / "secret"), root / "abs_out")
    os.symlink("loop_b", root / "loop_a")
    os.symlink("loop_a", root / "loop_b")
    os.symlink("root", base / "root_link")
    (base / "root_sibling").mkdir()  # a name the root's is a prefix of: outside all the same
    return base


PARTS = ["data", "a.csv", "b.json", "in_link", "out_link", "abs_out", "loop_a", "missing", "..",
         ".", "", "secret", "root", "root_sibling", "x://y", "\0", "\\", "~"]  # fmt: skip


@settings(max_examples=400, suppress_health_check=[HealthCheck.function_scoped_fixture])
@example(parts=["..", "root_sibling"], lead="", folder="root")
@example(parts=["..", "..", "root", "b.json"], lead="./", folder="root/data")
@example(parts=["loop_a", "x"], lead="", folder="root")
@example(parts=["loop_a", "", "data"], lead="", folder="root")  # "//" after a loop: CI found it
@given(
    parts=st.lists(st.sampled_from(PARTS), max_size=5),
    lead=st.sampled_from(["", "/", "//", "./"]),
    folder=st.sampled_from(["root", "root_link", "root/data", "root/in_link", "root/loop_a"]),
)
def test_inside_answers_as_the_pathlib_version(
    tree: Path, parts: list[str], lead: str, folder: str
) -> None:
    relative = lead + "/".join(parts)
    outcomes: list[tuple[str, object]] = []
    for function in (inside, reference_inside):
        try:
            outcomes.append(("value", function(tree / folder, relative)))
        except RuntimeError as exc:  # a link loop
            outcomes.append(("error", str(exc)))
    assert outcomes[0] == outcomes[1]


def test_inside_keeps_what_stays_inside_and_refuses_the_rest(tree: Path) -> None:
    root = tree / "root"
    assert inside(root, "data/a.csv") == (root / "data" / "a.csv").resolve()
    assert inside(root, "in_link/a.csv") == (root / "data" / "a.csv").resolve()
    assert inside(root, "data/../b.json") == (root / "b.json").resolve()
    for outside in ("out_link/secret", "abs_out", "../outside/secret", "/etc/passwd", "x://y"):
        assert inside(root, outside) is None, outside
    with pytest.raises(RuntimeError, match="Symlink loop"):
        inside(root, "loop_a/x")
