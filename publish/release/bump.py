"""The version bump, after the Frictionless data-package version pattern:

- MAJOR: the schema changed incompatibly (a resource or field removed, renamed or retyped, a
  constraint tightened, a required field added);
- MINOR: the source's data changed (rows added, removed or modified) or the schema changed
  compatibly (a new optional field or resource, a constraint loosened);
- PATCH: the source did not change but the published output did (a normalisation fix in a new
  version of this project, better titles or descriptions);
- none: nothing published changed — no release.
"""

from __future__ import annotations

from publish.changes.diff import Changes, has_row_changes

FIRST_VERSION = "1.0.0"


def decide_bump(changes: Changes, first: bool, source_changed: bool) -> str | None:
    if first:
        return "initial"
    if any(change["breaking"] for change in changes["schema"]):
        return "major"
    if changes["schema"]:
        return "minor"
    if has_row_changes(changes):
        return "minor" if source_changed else "patch"
    if changes["metadata"]:
        return "patch"
    return None


def next_version(previous: str | None, bump: str) -> str:
    if previous is None or bump == "initial":
        return FIRST_VERSION
    major, minor, patch = (int(x) for x in previous.split("."))
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    if bump == "patch":
        return f"{major}.{minor}.{patch + 1}"
    raise ValueError(f"unknown bump {bump!r}")
