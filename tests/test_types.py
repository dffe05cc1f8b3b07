"""The one type table (``schemas.types``): the frames, the analysts' loader and the Parquet files
agree on every dtype and value, enumerations are categories of the schema's whole enum, arbitrary
valid rows survive rows -> frame -> CSV/Parquet -> frame, and no other module maps types."""

from __future__ import annotations

import ast
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract import extract_table
from normalise import normalise
from publish.formats.tabular import csv_text
from rdv_opendata.loader import load_release, typed_frame
from schemas import registry, types
from schemas.arrow import parquet_bytes
from schemas.frames import to_frame, to_frames, to_records
from schemas.validate import validate_frames
from tests.helpers import write_package

ROOT = Path(__file__).resolve().parent.parent
FIELDS = [(name, f) for name in registry.RESOURCE_ORDER for f in registry.fields(name)]
ENUMS = [(name, f) for name, f in FIELDS if types.kind_name(f) == types.ENUM]


@pytest.fixture(scope="module")
def release(tmp_path_factory, seed_bytes) -> Path:
    """The snapshot's package, written as the pipeline writes it."""
    folder = tmp_path_factory.mktemp("types-release")
    frames = to_frames(normalise(extract_table(seed_bytes)))
    write_package(frames, folder, {"title": "t", "path": "x"}, "1.0.0", "2026-11-26T00:00:00Z")
    return folder


@pytest.fixture(scope="module")
def three_ways(release, seed_bytes) -> dict[str, dict[str, pd.DataFrame]]:
    """Each resource as the pipeline's frame, as the loader reads it, as pandas reads Parquet."""
    return {
        "frames": to_frames(normalise(extract_table(seed_bytes))),
        "loader": load_release(release),
        "parquet": {
            name: pd.read_parquet(release / "data" / f"{name}.parquet")
            for name in registry.RESOURCE_ORDER
        },
    }


def test_every_type_of_the_schemas_has_one_row_and_every_row_is_used():
    assert {types.kind_name(f) for _, f in FIELDS} == set(types.KINDS)


@pytest.mark.parametrize("name", registry.RESOURCE_ORDER)
def test_loader_frames_and_parquet_have_the_same_dtypes(three_ways, name):
    frames, loader, parquet = (three_ways[way][name] for way in ("frames", "loader", "parquet"))
    assert dict(loader.dtypes) == dict(frames.dtypes)
    if parquet.empty:  # pyarrow reads a dictionary only along with data (schemas/types.py)
        parquet = parquet.astype(dict(frames.dtypes))
    assert dict(parquet.dtypes) == dict(frames.dtypes)
    assert list(frames.columns) == registry.field_names(name)
    pd.testing.assert_frame_equal(loader, frames)
    pd.testing.assert_frame_equal(tuples(name, parquet), frames)


@pytest.mark.parametrize(("name", "field"), ENUMS, ids=[f"{n}.{f['name']}" for n, f in ENUMS])
def test_enum_categories_are_the_whole_enum_in_schema_order(three_ways, name, field):
    enum = field["constraints"]["enum"]
    for way, frames in three_ways.items():
        if way == "parquet" and frames[name].empty:
            continue  # no rows: pyarrow reads no dictionary (the test above says so)
        dtype = frames[name][field["name"]].dtype
        assert isinstance(dtype, pd.CategoricalDtype), way
        assert list(dtype.categories) == enum and not dtype.ordered, way
    assert types.pandera_dtype(field) == pd.CategoricalDtype(enum)
    assert list(to_frame(name, [])[field["name"]].cat.categories) == enum  # no rows: all values


def test_the_seed_leaves_enum_values_unused(three_ways):
    """So the test above shows that the loader and Parquet keep the values no row uses."""
    frames = three_ways["frames"]
    enum = {(n, f["name"]): set(f["constraints"]["enum"]) for n, f in ENUMS}
    assert any(set(frames[n][column].dropna()) < values for (n, column), values in enum.items())


def test_a_value_outside_the_enum_is_kept_not_lost():
    field = next(f for f in registry.fields("slot_rules") if f["name"] == "period")
    column = types.series(field, ["morning", "evening", None])
    assert list(column.cat.categories) == [*field["constraints"]["enum"], "evening"]
    assert column.tolist()[:2] == ["morning", "evening"]


def test_the_dtypes_are_the_documented_ones(three_ways):
    rules, places = three_ways["loader"]["slot_rules"], three_ways["loader"]["locations"]
    assert str(rules["visibility_weeks"].dtype) == "Int64"
    assert rules["rule_id"].dtype == pd.StringDtype()
    assert str(three_ways["loader"]["contacts"]["public_use"].dtype) == "boolean"
    assert {type(v) for v in places["valid_until"].dropna()} == {dt.date}
    assert {type(v) for v in rules["time"].dropna()} == {dt.time}
    assert {type(v) for v in rules["weekdays"].dropna()} == {tuple}


# --- arbitrary valid rows round-trip --------------------------------------------------------

# no bare "\r": the CSV writer (its line end is "\n") leaves it unquoted, and normalised text
# never holds one (tests/test_properties.py excludes it too)
TEXT = st.text(
    st.characters(exclude_categories=["Cs"], exclude_characters="\r"), min_size=1, max_size=30
)


def items_strategy(items: list[str]):
    """A non-empty list of distinct items, in the item enum's order (``itemConstraints``)."""
    chosen = st.sets(st.sampled_from(items), min_size=1)
    return chosen.map(lambda picked: [item for item in items if item in picked])


#: a strategy for each row of the type table: plain JSON values, as the JSON files hold them
STRATEGIES: dict[str, Any] = {
    "string": lambda field: TEXT,
    types.ENUM: lambda field: st.sampled_from(field["constraints"]["enum"]),
    "integer": lambda field: st.integers(
        field.get("constraints", {}).get("minimum", -(2**63)), 2**63 - 1
    ),
    "boolean": lambda field: st.booleans(),
    "date": lambda field: st.dates().map(dt.date.isoformat),
    "time": lambda field: st.times().map(lambda t: t.replace(microsecond=0).isoformat()),
    "list": lambda field: (
        items_strategy(field["itemConstraints"]["enum"])
        if "itemConstraints" in field
        else st.lists(TEXT.filter(lambda text: field["delimiter"] not in text), min_size=1)
    ),
}


def value_strategy(field: dict[str, Any]):
    pattern = field.get("constraints", {}).get("pattern")
    if pattern and types.kind_name(field) == "string":
        base = st.from_regex(f"^(?:{pattern})$", fullmatch=True)
    else:
        base = STRATEGIES[types.kind_name(field)](field)
    return base if field.get("constraints", {}).get("required") else st.none() | base


def rows_strategy(name: str):
    return st.lists(
        st.fixed_dictionaries({f["name"]: value_strategy(f) for f in registry.fields(name)}),
        max_size=6,
    )


def tuples(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """A frame read from Parquet, its lists (NumPy arrays, pyarrow's only choice) as tuples."""
    frame = frame.copy()
    for field in registry.fields(name):
        if types.kind_name(field) == "list":
            cells = [None if v is None else tuple(v) for v in frame[field["name"]]]
            frame[field["name"]] = pd.Series(cells, index=frame.index, dtype=object)
    return frame


def test_every_row_of_the_table_has_a_strategy():
    assert set(STRATEGIES) == set(types.KINDS)


@pytest.mark.slow
@pytest.mark.parametrize("name", registry.RESOURCE_ORDER)
@settings(max_examples=40)
@given(data=st.data())
def test_valid_rows_round_trip_through_frames_csv_and_parquet(name, data):
    rows = data.draw(rows_strategy(name))
    frame = to_frame(name, rows)
    records = to_records(name, frame)
    assert records == rows
    loaded = typed_frame(csv_text(name, records).encode("utf-8"), registry.table_schema(name))
    pd.testing.assert_frame_equal(loaded, frame)
    parquet = pd.read_parquet(io.BytesIO(parquet_bytes(name, records)))
    assert to_records(name, parquet) == rows
    if not rows:  # no data, no Parquet dictionary: only the categories are lost (schemas.types)
        lost = {f["name"]: pd.CategoricalDtype([]) for n, f in ENUMS if n == name}
        frame = frame.astype(lost)
    pd.testing.assert_frame_equal(tuples(name, parquet), frame)


def test_seed_frames_still_validate(three_ways):
    assert validate_frames(three_ways["frames"]) == []
    assert validate_frames(three_ways["loader"]) == []


# --- no second mapping ----------------------------------------------------------------------

#: pyarrow type factories, pandas dtypes and converters: only the type table may name them
ARROW_TYPES = {
    "string", "large_string", "utf8", "binary", "bool_", "int8", "int16", "int32", "int64",
    "uint8", "uint16", "uint32", "uint64", "float16", "float32", "float64", "decimal128",
    "date32", "date64", "time32", "time64", "timestamp", "duration", "list_", "large_list",
    "dictionary", "struct", "map_",
}  # fmt: skip
PANDAS_TYPES = {
    "CategoricalDtype", "Categorical", "StringDtype", "Int64Dtype", "Int32Dtype", "BooleanDtype",
    "Float64Dtype", "ArrowDtype", "DatetimeTZDtype", "to_datetime", "to_numeric", "to_timedelta",
}  # fmt: skip
DTYPE_TEXT = re.compile(
    r"^(?:U?Int|Float)(?:8|16|32|64)$|^category$|datetime64|timedelta64|\[pyarrow\]|^date32"
)
CHECKED = [
    *sorted((ROOT / "schemas").glob("*.py")),
    *sorted((ROOT / "publish").glob("*.py")),
    ROOT / "rdv_opendata" / "loader.py",
]
TABLE = ROOT / "schemas" / "types.py"


def _names_a_type(node: ast.AST, modules: dict[str, str]) -> str | None:
    if isinstance(node, ast.Attribute) and node.attr == "astype":
        return ".astype"
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        module, name = modules.get(node.value.id, ""), f"{node.value.id}.{node.attr}"
        if (module == "pyarrow" and node.attr in ARROW_TYPES) or (
            module == "pandas" and node.attr in PANDAS_TYPES
        ):
            return name
    if isinstance(node, ast.keyword) and node.arg in ("dtype", "dtype_backend"):
        if isinstance(node.value, ast.Constant):  # dtype=bool for a check's result is fine
            return f"{node.arg}={node.value.value!r}"
    if isinstance(node, ast.Constant) and isinstance(node.value, str):  # prose is no dtype
        text = node.value
        return repr(text) if DTYPE_TEXT.search(text) and not re.search(r"\s", text) else None
    return None


def type_mappings(source: str) -> list[str]:
    """What in ``source`` names a pandas, pandera or Arrow type: a pyarrow type factory, a pandas
    dtype or converter, a pandera engine, ``dtype="…"``, ``.astype``, a dtype's name."""
    tree = ast.parse(source)
    modules: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules |= {(a.asname or a.name): a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules |= {(a.asname or a.name): f"{node.module}.{a.name}" for a in node.names}
    found = [
        f"line {getattr(node, 'lineno', '?')}: {what}"
        for node in ast.walk(tree)
        if (what := _names_a_type(node, modules))
    ]
    return found + [f"imports {m}" for m in modules.values() if m.startswith("pandera.engines")]


def test_the_detector_finds_type_mappings():
    assert type_mappings(TABLE.read_text(encoding="utf-8"))  # the table itself is one
    sample = (
        "import pandas as pd\nimport pyarrow as pa\nfrom pandera.engines import pandas_engine\n"
        "a = pa.date32()\nb = s.astype('boolean')\nc = pd.Series(v, dtype='Int64')\n"
        "d = pd.CategoricalDtype(e)\nf = 'datetime64[ns]'\n"
    )
    assert sorted(found.split(": ", 1)[-1] for found in type_mappings(sample)) == [
        "'Int64'", "'datetime64[ns]'", ".astype", "dtype='Int64'",
        "imports pandera.engines.pandas_engine", "pa.date32", "pd.CategoricalDtype",
    ]  # fmt: skip
    assert type_mappings("import pandera.pandas as pa\nc = pa.Column(d, pa.Check.isin(e))") == []


@pytest.mark.parametrize("path", CHECKED, ids=[str(p.relative_to(ROOT)) for p in CHECKED])
def test_only_the_type_table_maps_types(path):
    if path == TABLE:
        return
    assert type_mappings(path.read_text(encoding="utf-8")) == [], "use schemas/types.py"
