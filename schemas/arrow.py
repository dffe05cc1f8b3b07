"""Arrow schemas and Parquet bytes derived from the Table Schema files.

A resource's Parquet file is its typed frame (``schemas.frames``) with the Arrow types of
``schemas.types`` and pandas' metadata, so ``pd.read_parquet`` gives the frame's dtypes back.
"""

from __future__ import annotations

import io
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from schemas import registry, types
from schemas.frames import to_frame


def arrow_schema(name: str) -> pa.Schema:
    return pa.schema(
        [
            pa.field(
                f["name"],
                types.arrow_type(f),
                nullable=not f.get("constraints", {}).get("required", False),
                metadata={"title": f.get("title", ""), "description": f.get("description", "")},
            )
            for f in registry.fields(name)
        ]
    )


def parquet_bytes(name: str, records: list[dict[str, Any]]) -> bytes:
    """The resource's rows (plain JSON values) as a Parquet file."""
    frame = to_frame(name, records)
    table = pa.Table.from_pandas(frame, schema=arrow_schema(name), preserve_index=False)
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="snappy")
    return buffer.getvalue()
