"""A validation problem as data, frictionless-style: what ``schemas/validate.py`` finds in the
typed frames and ``publish/reading/verify.py`` in a written package, and what ``ValidationFailed``
keeps.

Each problem has a machine-readable ``type`` (``schema-error``, ``foreign-key-error``,
``package-error``, ``partial-report``, or frictionless's own error types), the resource it is
in (None for the whole package), the 1-based row and the field when it has them, and a one-line
``message`` that names all of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, kw_only=True)
class Problem:
    type: str
    resource: str | None
    row: int | None = None
    field: str | None = None
    message: str

    def to_dict(self) -> dict[str, Any]:
        """The problem as JSON-ready data, keys in the order of the fields."""
        return {
            "type": self.type,
            "resource": self.resource,
            "row": self.row,
            "field": self.field,
            "message": self.message,
        }
