"""A release read back: what ``PackageData`` answers, and the one error policy of each of a
release's own files when the store reads them (``changes.json``, ``SHA256SUMS``, the package)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import PublishError
from publish import layout
from publish.formats import table
from publish.reading.integrity import check_sums, parse_sums, read_sums, sums_text
from publish.reading.load import PackageData, load_package
from publish.release.store import ReleaseStore
from schemas.registry import RESOURCE_ORDER, table_schema


@pytest.fixture()
def store(seed_release) -> ReleaseStore:
    return ReleaseStore(seed_release)


def test_a_package_answers_its_schemas_keys_and_files(store):
    package = store.package("1.0.0")
    for name in RESOURCE_ORDER:
        schema = table_schema(name)
        assert package.schema(name) == schema
        assert package.fields(name) == schema["fields"]
        key = schema["primaryKey"]
        assert package.key(name) == ([key] if isinstance(key, str) else key)
    listed = {name for _, name in store.sums("1.0.0")}
    assert set(package.files()) <= listed
    assert len(package.files()) == len(RESOURCE_ORDER) * len(table.RESOURCE_FORMATS) + 1
    assert package.schema("no_such_table") == {} and package.key("no_such_table") == []


def test_a_primary_key_given_as_one_name_is_a_list_of_one():
    package = PackageData({"resources": [{"name": "t", "schema": {"primaryKey": "id"}}]}, {})
    assert package.key("t") == ["id"]


def test_the_store_reads_each_release_once(store, monkeypatch):
    calls: list[str] = []
    monkeypatch.setattr(
        "publish.release.store.load_package",
        lambda path, **how: calls.append(str(path)) or load_package(path, **how),
    )
    first = store.package("1.0.0")
    assert store.package("1.0.0") is first
    assert len(calls) == 1
    assert ReleaseStore(store.root).package("1.0.0") is not first  # a store is one build


def test_changes_json_absent_is_none_and_garbled_is_one_line_naming_it(store):
    changes = store.changes("1.0.0")
    assert changes is not None and changes["to_version"] == "1.0.0"
    path = store.release_path("1.0.0") / layout.CHANGES_FILE
    path.unlink()
    assert store.changes("1.0.0") is None
    for garbled in ("{", "[]", '{"resources": []}', "\udcff"):
        path.write_text(garbled, encoding="utf-8", errors="surrogateescape")
        with pytest.raises(PublishError) as caught:
            store.changes("1.0.0")
        message = str(caught.value)
        assert "releases/1.0.0/changes.json" in message and "\n" not in message


def test_sums_missing_or_unreadable_is_one_line_naming_the_file(store):
    assert len(store.sums("1.0.0")) > 20
    path = store.release_path("1.0.0") / layout.SUMS_FILE
    path.write_bytes(b"\xff\xfe not text")
    with pytest.raises(PublishError, match="SHA256SUMS is unreadable"):
        store.sums("1.0.0")
    path.unlink()
    with pytest.raises(PublishError, match="SHA256SUMS is unreadable"):
        read_sums(store.release_path("1.0.0"))


def test_sums_written_then_parsed_name_every_file_and_check_clean(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a b.csv").write_text("x\n", encoding="utf-8")
    (tmp_path / "datapackage.json").write_text(json.dumps({}), encoding="utf-8")
    text = sums_text(tmp_path)
    (tmp_path / layout.SUMS_FILE).write_text(text, encoding="utf-8")
    assert [name for _, name in parse_sums(text)] == ["data/a b.csv", "datapackage.json"]
    assert check_sums(tmp_path) == []


@given(
    st.lists(
        st.tuples(
            st.text("0123456789abcdef", min_size=64, max_size=64),
            st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1),
        ),
        max_size=5,
    )
)
def test_parse_sums_reads_back_any_list_it_could_be_given(pairs):
    text = "".join(f"{digest}  {name}\n" for digest, name in pairs)
    assert parse_sums(text) == pairs
