"""One release layout and one format table (issue 19): ``publish.layout`` names every file of the
output folder and of a release, ``publish.formats.table`` every published format; nothing else in
the code writes one of those names, media types or file types as a literal."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from core import i18n
from publish import layout
from publish.formats import table
from publish.reading.load import load_package
from schemas.registry import RESOURCE_ORDER, table_schema

ROOT = Path(__file__).resolve().parents[3]
PACKAGES = (
    "core",
    "extract",
    "normalise",
    "schemas",
    "publish",
    "website",
    "rdv_opendata",
    "flows",
)
#: the names a release or the output folder gives its files (the site's pages are not here:
#: their names are also the templates' names)
FILE_NAMES = {
    layout.DESCRIPTOR_FILE,
    layout.CHANGES_FILE,
    layout.SUMMARY_FILE,
    layout.DICTIONARY_FILE,
    layout.SUMS_FILE,
    Path(layout.WORKBOOK_FILE).name,
    layout.CATALOG_FILE,
    layout.LATEST_JSON,
    layout.STATE_FILE,
    layout.ATTEMPTS_FILE,
    layout.LOCK_FILE,
    layout.HISTORY_FILE,
    layout.HISTORY_METADATA_FILE,
    layout.DCAT_FILE,
    layout.SITE_VERSION_FILE,
    layout.SITE_BANNER_FILE,
    layout.MAIN_CALENDAR,
}
#: what only the format table may say: media types and EU file types
FORMAT_WORDS = {fmt.media_type for fmt in table.FORMATS} | {
    f"file-type/{fmt.eu_file_type}" for fmt in table.FORMATS if fmt.eu_file_type
}
OWNERS = {"publish/layout.py": FILE_NAMES, "publish/formats/table.py": FORMAT_WORDS}


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the docstring nodes of ``tree`` (a docstring may name a file)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def literals(path: Path) -> list[tuple[int, str]]:
    """Every string literal of the file (f-strings' literal parts included), but docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
    ]


def _pattern(words: set[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w.-])(?:{alternatives})(?![\w-])")


def offenders(words: set[str], owner: str) -> list[str]:
    pattern = _pattern(words)
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if relative == owner:
                continue
            for line, text in literals(path):
                if "://" in text:
                    continue  # a URL (a profile's address) names someone else's file
                if match := pattern.search(text):
                    found.append(f"{relative}:{line} writes {match.group(0)!r}")
    return found


@pytest.fixture(scope="module")
def bundled_rows(_seed_release_template):
    return load_package(_seed_release_template / layout.LATEST).rows


@pytest.mark.parametrize("owner", sorted(OWNERS))
def test_only_the_layout_and_the_format_table_name_files_and_formats(owner):
    assert offenders(OWNERS[owner], owner) == []


def test_the_check_finds_a_literal_file_name(tmp_path):
    """The check itself could fail: a module naming a release file is found."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""Reads changes.json (a docstring may say so)."""\n'
        'PATH = f"releases/{1}/changes.json"\nOTHER = "SHA256SUMS"\nFINE = "changes.jsonl"\n',
        encoding="utf-8",
    )
    pattern = _pattern(FILE_NAMES)
    hits = [text for _, text in literals(sample) if pattern.search(text)]
    assert sorted(hits) == ["/changes.json", "SHA256SUMS"]


def test_a_published_release_holds_exactly_the_files_the_layout_names(seed_release):
    release = next((seed_release / layout.RELEASES_DIR).iterdir())
    found = {p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file()}
    named = {
        layout.DESCRIPTOR_FILE,
        layout.CHANGES_FILE,
        layout.SUMMARY_FILE,
        layout.DICTIONARY_FILE,
        layout.EVIDENCE_FILE,
        layout.SUMS_FILE,
        layout.WORKBOOK_FILE,
        # the other languages' change summaries and workbooks (core.i18n)
        *(layout.summary_file(lang, i18n.DEFAULT) for lang in i18n.languages()[1:]),
        *(layout.workbook_file(lang, i18n.DEFAULT) for lang in i18n.languages()[1:]),
        *(layout.schema_file(name) for name in RESOURCE_ORDER),
        *(
            layout.data_file(name, fmt.suffix)
            for name in RESOURCE_ORDER
            for fmt in table.RESOURCE_FORMATS
        ),
    }
    assert found == named


def test_the_output_folder_holds_only_what_the_layout_names(seed_release):
    named = {
        layout.RELEASES_DIR,
        layout.LATEST,
        layout.LATEST_JSON,
        layout.CATALOG_FILE,
        layout.STATE_FILE,
        layout.ATTEMPTS_FILE,
        layout.LOCK_FILE,
        layout.SNAPSHOTS_DIR,
        layout.WARC_DIR,
        layout.SITE_DIR,
        layout.HISTORY_FILE,
        layout.HISTORY_METADATA_FILE,
        layout.DCAT_FILE,
    }
    assert {p.name for p in seed_release.iterdir()} <= named
    assert (seed_release / layout.SITE_HOME).is_file()


@pytest.mark.parametrize(
    "fmt", [f for f in table.FORMATS if f.reader and f.writer], ids=lambda f: f.key
)
@pytest.mark.parametrize("name", RESOURCE_ORDER)
def test_each_format_reads_back_what_it_wrote(fmt, name, bundled_rows):
    """Every row of the bundled snapshot's release, in each format, read back by the table's
    reader, is the row written."""
    assert fmt.writer is not None and fmt.reader is not None
    rows = bundled_rows[name]
    assert rows or name in ("closures", "unread_sentences")
    assert fmt.reader(fmt.writer(name, rows), table_schema(name)) == rows


def test_every_format_has_one_suffix_and_media_type():
    suffixes = [fmt.suffix for fmt in table.FORMATS]
    keys = [fmt.key for fmt in table.FORMATS]
    assert len(set(suffixes)) == len(suffixes) and len(set(keys)) == len(keys)
    assert all(table.by_suffix(fmt.suffix) is fmt for fmt in table.FORMATS)
    assert table.by_suffix(".exe") is None
    assert table.RESOURCE_FORMATS[0] is table.CSV
