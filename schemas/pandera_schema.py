"""pandera schemas derived from the Table Schema files (never written a second time).

``pandera.io.from_frictionless_schema`` maps date/time to strings and ignores formats and
foreign keys, so this small converter is used instead; ``tests/test_schemas.py`` checks that
every Table Schema constraint has its pandera counterpart. The dtypes (and the checks of what a
dtype cannot say, such as time objects) come from the type table, ``schemas.types``.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
import pandera.pandas as pa

from schemas import registry, types

# e-mail syntax: one @, a dotted domain, no spaces or angle brackets
EMAIL = re.compile(r"^[^@\s<>\"'()]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$")


def is_http_url(value: str) -> bool:
    parts = urlsplit(value)
    return (
        parts.scheme in ("http", "https")
        and bool(parts.netloc)
        and not any(c.isspace() for c in value)
    )


def _items_ok(value: Any, field: dict[str, Any]) -> bool:
    """A list value: a non-empty tuple of distinct items of the item enum, in enum order."""
    enum = field.get("itemConstraints", {}).get("enum")
    if not types.holds(field, value) or not value or len(set(value)) != len(value):
        return False
    if enum is None:
        return True
    return all(item in enum for item in value) and list(value) == sorted(value, key=enum.index)


def column(field: dict[str, Any]) -> pa.Column:
    constraints = field.get("constraints", {})
    checks: list[pa.Check] = []
    if "enum" in constraints:
        checks.append(pa.Check.isin(constraints["enum"]))
    if "minimum" in constraints and field["type"] != "list":
        checks.append(pa.Check.ge(constraints["minimum"]))
    if "maximum" in constraints:
        checks.append(pa.Check.le(constraints["maximum"]))
    if "pattern" in constraints:  # Table Schema patterns match the whole value
        checks.append(pa.Check.str_matches(f"^(?:{constraints['pattern']})$"))
    if field.get("format") == "uri":
        checks.append(
            pa.Check(lambda s: s.map(is_http_url), element_wise=False, name="http_or_https_url")
        )
    if field.get("format") == "email":
        checks.append(
            pa.Check(lambda s: s.map(lambda v: bool(EMAIL.match(v))), name="email_syntax")
        )
    if field["type"] == "list":
        checks.append(
            pa.Check(lambda s, f=field: s.map(lambda v: _items_ok(v, f)), name="list_items")
        )
    if (typed := types.kind(field).check) is not None:  # what the dtype cannot say
        checks.append(pa.Check(lambda s, ok=typed[1]: s.map(ok), name=typed[0]))
    return pa.Column(
        types.pandera_dtype(field),
        checks=checks,
        nullable=not constraints.get("required", False),
        unique=bool(constraints.get("unique", False)),
        title=field.get("title"),
        description=field.get("description"),
        coerce=False,
    )


def _dates_in_order(frame: pd.DataFrame) -> pd.Series:
    ordered = [
        start is None or end is None or start <= end
        for start, end in zip(frame["valid_from"], frame["valid_until"], strict=True)
    ]
    return pd.Series(ordered, index=frame.index, dtype=bool)


#: checks that Table Schema cannot state, per resource
EXTRA_CHECKS: dict[str, list[pa.Check]] = {
    "locations": [pa.Check(_dates_in_order, name="valid_from <= valid_until")],
}


@cache
def schema(name: str) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {f["name"]: column(f) for f in registry.fields(name)},
        checks=EXTRA_CHECKS.get(name, []),
        unique=registry.primary_key(name) if len(registry.primary_key(name)) > 1 else None,
        strict=True,
        ordered=True,
        name=name,
    )
