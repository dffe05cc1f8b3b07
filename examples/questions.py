"""Real questions answered from a release with pandas (run by the tests, so it never rots).

    python examples/questions.py [RELEASE] [OLDER_RELEASE]

RELEASE defaults to output/latest; with OLDER_RELEASE it also says what changed between them.
"""

from __future__ import annotations

import sys

import pandas as pd

from rdv_opendata.loader import load_release


def email_only_procedures(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Procedures that can only be booked by e-mail (every channel offering them is e-mail)."""
    merged = frames["procedures"].merge(frames["channels"], on="channel_id")
    merged = merged[merged["scope"] == "included"]
    kinds = merged.groupby("label", observed=True)["channel_type"].agg(set)
    only = kinds[kinds.map(lambda k: k == {"email"})].index
    rows = merged[merged["label"].isin(only)]
    return rows[["label", "email"]].drop_duplicates().sort_values("label").reset_index(drop=True)


def visibility_by_type(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """How many weeks ahead slots are visible, per appointment type (and procedure)."""
    rules = frames["slot_rules"].dropna(subset=["visibility_weeks"])
    merged = rules.merge(frames["channels"], on="channel_id").merge(
        frames["appointment_types"], on="type_id"
    )
    table = merged[["label", "applies_to", "visibility_weeks"]].rename(columns={"label": "type"})
    return table.sort_values(["type", "applies_to"], na_position="first").reset_index(drop=True)


def changes_between(older: str, newer: str) -> list[str]:
    """What changed, as the French summary lines (rdv-opendata diff OLDER NEWER)."""
    from publish.changes.diff import diff
    from publish.changes.summary import summary_lines
    from publish.reading.load import load_package

    old, new = load_package(older), load_package(newer)
    return summary_lines(diff(old, new), old, new)


def main(argv: list[str]) -> None:
    release = argv[0] if argv else "output/latest"
    frames = load_release(release)
    pd.set_option("display.width", 160)
    print("Démarches qui ne se prennent que par courriel :")
    print(email_only_procedures(frames).to_string(index=False))
    print("\nVisibilité des créneaux (semaines) par type :")
    print(visibility_by_type(frames).to_string(index=False))
    if len(argv) > 1:
        print(f"\nChangements de {argv[1]} à {release} :")
        for line in changes_between(argv[1], release):
            print(f"- {line}")


if __name__ == "__main__":
    main(sys.argv[1:])
