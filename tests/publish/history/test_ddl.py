"""The history's SQL text is sqlite-utils' own, for any table: the same text in ``sqlite_master``
and the same transactions give the same database bytes as when sqlite-utils wrote it (the golden
series compares the whole file). sqlite-utils stays a test dependency, as the reference."""

from __future__ import annotations

import sqlite3

import sqlite_utils
from hypothesis import given, settings
from hypothesis import strategies as st

from publish.history import ddl

names = st.text(
    st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=12
).filter(lambda n: not n.lower().startswith("sqlite_"))
kinds = st.sampled_from([str, int, float, bool])


@st.composite
def tables(draw: st.DrawFn) -> dict:
    columns = draw(st.dictionaries(names, kinds, min_size=1, max_size=6))
    order = list(columns)
    compound = st.lists(st.sampled_from(order), min_size=2, max_size=3, unique=True).map(tuple)
    pk = draw(st.sampled_from(order) | compound if len(order) > 1 else st.sampled_from(order))
    not_null = draw(st.lists(st.sampled_from(order), unique=True))
    referencing = draw(st.lists(st.sampled_from(order), unique=True, max_size=2))
    return {
        "name": draw(names.filter(lambda n: n != "releases")),
        "columns": columns,
        "pk": pk,
        "not_null": not_null,
        "foreign_keys": [(c, "releases", "version") for c in referencing],
    }


def reference_db() -> sqlite_utils.Database:
    db = sqlite_utils.Database(memory=True)
    db.table("releases").create({"version": str}, pk="version")
    return db


@settings(max_examples=300, deadline=None)
@given(tables())
def test_create_table_is_sqlite_utils_text(table: dict) -> None:
    expected = reference_db().create_table_sql(
        table["name"],
        dict(table["columns"]),
        pk=table["pk"],
        not_null=table["not_null"],
        foreign_keys=table["foreign_keys"],
    )
    assert ddl.create_table(**table) == expected


def traced(action) -> list[str]:
    """The statements ``action(db)`` makes sqlite-utils run, reads of the schema left out."""
    db = reference_db()
    db.table("t x").create({"a": str, 'b"q': str, "c": int}, pk="a")
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    action(db)
    db.conn.set_trace_callback(None)
    reads = ("select ", "PRAGMA ", "SELECT quote", "BEGIN", "COMMIT", "-- ")
    return [s for s in seen if not s.startswith(reads)]


@given(st.lists(st.sampled_from(["a", 'b"q', "c"]), min_size=1, max_size=3, unique=True))
def test_index_and_full_text_search_are_sqlite_utils_text(columns: list[str]) -> None:
    assert traced(lambda db: db.table("t x").create_index(columns)) == [
        ddl.create_index("t x", columns)
    ]
    tokenize = "unicode61 remove_diacritics 2"
    assert traced(lambda db: db.table("t x").enable_fts(columns, tokenize=tokenize)) == [
        ddl.create_fts("t x", columns, tokenize),
        ddl.populate_fts("t x", columns),
    ]


def test_a_free_index_name_takes_the_next_number_as_sqlite_utils_does() -> None:
    from publish.history.database import _free_index_name

    conn = sqlite3.connect(":memory:")
    conn.execute('CREATE TABLE "t" ("v" TEXT)')
    assert _free_index_name(conn, "t", "v") == "idx_t_v"
    conn.execute(ddl.create_index("t", ["v"]))
    conn.execute(ddl.create_index("t", ["v"], "idx_t_v_2"))
    assert _free_index_name(conn, "t", "v") == "idx_t_v_3"
