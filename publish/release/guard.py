"""The mass-deletion guard: a source cut down to a few rows must never replace a full release."""

from __future__ import annotations


def mass_deletions(old_counts: dict[str, int], new_counts: dict[str, int]) -> list[str]:
    """One message per resource that would lose more than half of its rows.

    Count-based; a resource with 0 or 1 row before cannot lose "more than half" in a meaningful
    way and is not guarded (no division, no refusal of a single removed row).
    """
    problems = []
    for name, before in old_counts.items():
        after = new_counts.get(name, 0)
        if before >= 2 and (before - after) * 2 > before:
            problems.append(f"{name} would go from {before} to {after} rows")
    return problems
