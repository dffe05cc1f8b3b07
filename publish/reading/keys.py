"""Frictionless's validation of a package, each resource read once.

``Package.validate`` checks a foreign key by reading the resource it points to again, whole,
for every key that points to it (``TableResource.__open_lookup``): a copy of the resource,
its schema validated again, every cell parsed again. In a release most keys point to the same
two tables, so a package was read about twice over. ``passes`` runs the same validation with the
keys set aside, collects each resource's key values from its own pass (the ``on_row`` callback:
the very rows frictionless parsed), then checks the keys as ``__open_lookup`` and the row stream
do: a key whose cells are all missing is skipped, and any other must be among the values the
referenced resource holds (its rows whose referenced cells are not all missing).

It only says whether the package passes. Any error, any warning (a partial report), a key to a
resource the package does not hold: ``passes`` is False, and the caller runs frictionless's own
validation for the report, so a failure is reported exactly as frictionless reports it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Cells = tuple[Any, ...]


@dataclass(frozen=True)
class Key:
    """One foreign key of ``resource``: its ``fields`` must be among the ``target`` resource's
    values of ``target_fields``."""

    resource: str
    fields: tuple[str, ...]
    target: str
    target_fields: tuple[str, ...]


@dataclass
class Values:
    """What the resources' passes collected: the values each key holds, and the values each
    referenced resource offers."""

    held: dict[Key, set[Cells]] = field(default_factory=dict)
    offered: dict[tuple[str, tuple[str, ...]], set[Cells]] = field(default_factory=dict)

    def collector(self, name: str, keys: list[Key]) -> Callable[[Any], None]:
        """The ``on_row`` callback of resource ``name``'s pass."""
        mine = [(self.held.setdefault(k, set()), k.fields) for k in keys if k.resource == name]
        offers = [
            (values, names) for (target, names), values in self.offered.items() if target == name
        ]

        def collect(row: Any) -> None:
            for values, names in mine:  # as TableResource's row stream reads a key's cells
                cells = tuple(row[n] for n in names)
                if set(cells) != {None}:
                    values.add(cells)
            for values, names in offers:  # as __open_lookup reads the referenced rows
                cells = tuple(row.get(n) for n in names)
                if set(cells) != {None}:
                    values.add(cells)

        return collect

    def all_found(self) -> bool:
        return all(
            held <= self.offered[(key.target, key.target_fields)] for key, held in self.held.items()
        )


def foreign_keys(package: Any) -> list[Key] | None:
    """Every foreign key of the package's resources (a reference without a resource is the
    resource itself); None when one points to a resource the package does not hold, or names a
    field its resource does not have (frictionless would skip that key: left to it)."""
    fields = {r.name: set(r.schema.field_names) if r.schema else set() for r in package.resources}
    keys = []
    for resource in package.resources:
        for fk in resource.schema.foreign_keys if resource.schema else []:
            target = fk["reference"]["resource"] or resource.name
            if target not in fields or not set(fk["fields"]) <= fields[resource.name]:
                return None
            keys.append(
                Key(resource.name, tuple(fk["fields"]), target, tuple(fk["reference"]["fields"]))
            )
    return keys


def passes(package: Any) -> bool:
    """Whether frictionless's ``package.validate()`` would find nothing: its metadata check of
    the whole package (keys included), then each resource validated with its keys set aside
    and checked from the values the passes collected. ``package`` is used up (its resources'
    keys are removed): pass a package read for this call."""
    from frictionless import FrictionlessException

    try:
        package.to_descriptor(validate=True)
    except FrictionlessException:
        return False
    keys = foreign_keys(package)
    if keys is None:
        return False
    values = Values()
    for key in keys:
        values.offered.setdefault((key.target, key.target_fields), set())
    for resource in package.resources:
        if resource.schema:
            resource.schema.foreign_keys = []
        report = resource.validate(on_row=values.collector(resource.name, keys))
        if not report.valid or report.warnings or any(t.warnings for t in report.tasks):
            return False
    return values.all_found()
