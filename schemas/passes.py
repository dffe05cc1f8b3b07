"""Whether a typed frame passes its pandera schema, asked without pandera's report.

pandera's ``validate`` runs each check through its error machinery: every result is reshaped
into failure cases and a message, even a column that passes (a string column's dtype check
answers value by value, so each of them builds an empty table of failure cases and prints it).
For the nine small frames of a release that is about 50 ms, most of a fast publish's validation.

A release's frames almost always pass, so ``passes`` asks the schema's own questions directly:
the columns, in order and none more (``strict``, ``ordered``); each column's dtype (its pandera
dtype's own ``check``, answered as pandera reads it), its nulls (``nullable``), its duplicates
(``unique``) and its ``Check`` objects, called as pandera calls them (missing values set aside);
the key's duplicates (the frame's ``unique``) and the frame's own checks. It only says whether
the frame passes: on any doubt (a failed check, one that cannot run, a schema feature it does not
read) it is False, and the caller runs pandera's ``validate`` for the report, so a failure is
reported exactly as pandera reports it. ``tests/test_schema_passes.py`` compares the two on
mutated frames.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pandas as pd
import pandera.pandas as pa


def passes(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> bool:
    """Whether ``schema.validate(frame, lazy=True)`` would find nothing (False when unsure)."""
    if not _reads(schema) or list(frame.columns) != list(schema.columns):
        return False
    try:
        return all(
            _column_passes(column, frame[name]) for name, column in schema.columns.items()
        ) and _frame_passes(schema, frame)
    except Exception:  # a check that cannot run is a failure pandera reports: left to it
        return False


def _reads(schema: pa.DataFrameSchema) -> bool:
    """Whether the schema uses only what ``passes`` reads: no coercion, parsers, index, regex
    columns, defaults or a frame dtype (anything else is left to pandera)."""
    if schema.coerce or schema.index is not None or schema.dtype is not None or schema.parsers:
        return False
    if schema.strict is not True or not schema.ordered or schema.add_missing_columns:
        return False
    return all(
        not (c.coerce or c.regex or c.parsers or c.default is not None or c.drop_invalid_rows)
        and c.required
        for c in schema.columns.values()
    )


@cache
def _as_pandera(dtype: Any) -> Any:
    """A pandas dtype as pandera reads it: the dtype of a column declared with it (pandera's
    own reading, not a mapping of this project's: those are in ``schemas/types.py``)."""
    return pa.Column(dtype).dtype


def _dtype_passes(column: pa.Column, values: pd.Series) -> bool:
    """pandera's dtype check: the column's dtype asked about the series' own dtype and values;
    its answer is one boolean, or one per value."""
    if column.dtype is None:
        return True
    answer: Any = column.dtype.check(_as_pandera(values.dtype), values)
    return bool(answer if isinstance(answer, bool) else answer.all())


def _column_passes(column: pa.Column, values: pd.Series) -> bool:
    if not _dtype_passes(column, values):
        return False
    if not column.nullable and values.hasnans:
        return False
    if column.unique and not values.is_unique:
        return False
    return all(bool(check(values).check_passed) for check in column.checks)


def _frame_passes(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> bool:
    """The key's duplicates (every row of a duplicated key counts, as pandera reports them) and
    the frame's own checks."""
    if schema.unique:
        keys = [schema.unique] if all(isinstance(k, str) for k in schema.unique) else schema.unique
        if any(frame.duplicated(subset=list(key), keep=False).any() for key in keys):
            return False
    return all(bool(check(frame).check_passed) for check in schema.checks)
