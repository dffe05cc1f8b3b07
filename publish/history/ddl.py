"""The SQL text of the history's tables, indexes and full-text search, written as sqlite-utils
writes it (``Database.create_table_sql``, ``Table.create_index``, ``Table.enable_fts``).

The history used sqlite-utils; importing it (with click and its plugin manager) was about 27 ms
of a publish of a few hundred milliseconds over its stack (``make bench``, measure b). A
database keeps each statement's text in ``sqlite_master`` and counts its write transactions in
its header, so the same text in the same transactions gives the same bytes:
``tests/publish/history/test_ddl.py`` compares these statements with sqlite-utils' own (kept as a
test dependency) for any table, and the golden series compares the whole file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

#: a column's Python type as sqlite-utils names it (``sqlite_utils.db.COLUMN_TYPE_MAPPING``)
SQL_TYPE_NAMES: dict[type, str] = {str: "TEXT", int: "INTEGER", bool: "INTEGER", float: "REAL"}


def quote(identifier: str) -> str:
    """An identifier in double quotes, its own doubled."""
    return '"{}"'.format(identifier.replace('"', '""'))


def quote_text(text: str) -> str:
    """A string literal, as SQLite's ``quote()`` writes one."""
    return "'{}'".format(text.replace("'", "''"))


def create_table(
    name: str,
    columns: Mapping[str, type],
    pk: str | Sequence[str],
    not_null: Iterable[str] = (),
    foreign_keys: Iterable[tuple[str, str, str]] = (),
) -> str:
    """``CREATE TABLE``: ``columns`` in order, ``pk`` one column or several, ``foreign_keys``
    (column, other table, other column) written on their column."""
    required = set(not_null)
    references = {column: (table, other) for column, table, other in foreign_keys}
    single = pk if isinstance(pk, str) else None
    lines = []
    for column, kind in columns.items():
        extras = []
        if column == single:
            extras.append("PRIMARY KEY")
        if column in required:
            extras.append("NOT NULL")
        if column in references:
            table, other = references[column]
            extras.append(f"REFERENCES {quote(table)}({quote(other)})")
        suffix = (" " + " ".join(extras)) if extras else ""
        lines.append(f"   {quote(column)} {SQL_TYPE_NAMES[kind]}{suffix}")
    compound = ""
    if single is None and len(pk) > 1:
        compound = ",\n   PRIMARY KEY ({})".format(", ".join(quote(p) for p in pk))
    return "CREATE TABLE {} (\n{}{}\n);\n        ".format(quote(name), ",\n".join(lines), compound)


def index_name(table: str, columns: Sequence[str]) -> str:
    return "idx_{}_{}".format(table.replace(" ", "_"), "_".join(columns))


def create_index(table: str, columns: Sequence[str], name: str | None = None) -> str:
    """``CREATE INDEX``, named ``idx_<table>_<columns>`` unless ``name`` is given."""
    return "CREATE INDEX {}\n    ON {} ({});".format(
        quote(name or index_name(table, columns)),
        quote(table),
        ", ".join(quote(c) for c in columns),
    )


def create_fts(table: str, columns: Sequence[str], tokenize: str) -> str:
    """The FTS5 table ``<table>_fts`` over ``columns``, its content read from ``table``."""
    return (
        "CREATE VIRTUAL TABLE {} USING FTS5 (\n    {},\n    tokenize={},\n    content={}\n)"
    ).format(
        quote(table + "_fts"),
        ", ".join(quote(c) for c in columns),
        quote_text(tokenize),
        quote(table),
    )


def populate_fts(table: str, columns: Sequence[str]) -> str:
    quoted = ", ".join(quote(c) for c in columns)
    return "INSERT INTO {} (rowid, {})\n    SELECT rowid, {} FROM {};".format(
        quote(table + "_fts"), quoted, quoted, quote(table)
    )


def insert(table: str, columns: Sequence[str]) -> str:
    """``INSERT`` of one row of ``columns``, by position."""
    return "INSERT INTO {} ({}) VALUES ({})".format(
        quote(table), ", ".join(quote(c) for c in columns), ", ".join("?" for _ in columns)
    )
