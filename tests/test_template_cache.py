"""The site's templates are compiled once per process (one Jinja environment for every language)
and kept compiled between runs (``website.languages.template_cache``): a run reading them renders
exactly what a compiling run renders, and a damaged or unwritable cache is passed over."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest

from website import languages

TEMPLATES = ("index.html", "history.html", "release.html")


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The cache in a temporary directory of this test's own; a new environment each time."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    languages.environment.cache_clear()
    yield tmp_path
    languages.environment.cache_clear()


def cache_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("_jinja2-cache-*/*.cache"))


def refuse_compiling(monkeypatch: pytest.MonkeyPatch) -> None:
    def compiling(*args: object, **kwargs: object) -> None:
        raise AssertionError("a template was compiled although its cache was there")

    monkeypatch.setattr(jinja2.Environment, "compile", compiling)


def test_one_environment_serves_every_language_and_build() -> None:
    assert languages.environment() is languages.environment()


def test_a_second_run_reads_the_compiled_templates(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = languages.environment()
    compiled = {name: first.get_template(name) for name in TEMPLATES}
    assert len(cache_files(cache_dir)) >= len(TEMPLATES)
    languages.environment.cache_clear()  # as a new process starts
    refuse_compiling(monkeypatch)
    second = languages.environment()
    for name in TEMPLATES:
        read = second.get_template(name)
        assert read.blocks.keys() == compiled[name].blocks.keys()
        assert (
            read.root_render_func.__code__.co_code
            == compiled[name].root_render_func.__code__.co_code
        )


def test_a_damaged_cache_is_compiled_again(cache_dir: Path) -> None:
    languages.environment().get_template("index.html")
    for path in cache_files(cache_dir):
        path.write_bytes(path.read_bytes()[:40])  # cut in the middle of its code
    languages.environment.cache_clear()
    template = languages.environment().get_template("index.html")
    assert "root" in template.root_render_func.__name__


def test_a_cache_that_cannot_be_written_is_passed_over(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", full)
    template = languages.environment().get_template("history.html")
    assert template.blocks and cache_files(cache_dir) == []


def test_no_cache_at_all_when_the_temporary_directory_is_unsafe(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unsafe(self: object) -> str:
        raise RuntimeError("Cannot determine safe temp directory.")

    monkeypatch.setattr(jinja2.FileSystemBytecodeCache, "_get_default_cache_dir", unsafe)
    env = languages.environment()
    assert env.bytecode_cache is None and env.get_template("index.html").blocks
