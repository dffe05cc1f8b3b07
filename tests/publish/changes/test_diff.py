"""The pure diff: rows by key (type-aware), schema changes and the bump they decide."""

from __future__ import annotations

import copy

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from extract import extract_table
from publish.changes.diff import comparable, diff, diff_rows, has_row_changes
from publish.reading.load import PackageData, load_package
from publish.release.bump import decide_bump, next_version
from rdv_opendata import pipeline
from rdv_opendata.cli import main


@pytest.fixture(scope="module")
def package(seed_bytes) -> PackageData:
    table = extract_table(seed_bytes)
    return pipeline.candidate(pipeline.build_frames(table), {"title": "t", "path": "x"})


def edited(package: PackageData, edit) -> PackageData:
    new = PackageData(copy.deepcopy(package.descriptor), copy.deepcopy(package.rows))
    edit(new)
    return new


def field(package: PackageData, resource: str, name: str) -> dict:
    found = package.resource(resource)
    assert found is not None
    fields = found["schema"]["fields"]
    return next(f for f in fields if f["name"] == name)


def bump_of(old: PackageData, new: PackageData, source_changed: bool = True) -> str | None:
    return decide_bump(diff(old, new), first=False, source_changed=source_changed)


def test_diff_of_a_package_with_itself_is_empty(package):
    changes = diff(package, package)
    assert not has_row_changes(changes) and changes["schema"] == changes["metadata"] == []
    assert bump_of(package, package) is None


def test_values_are_compared_by_type():
    old = [{"id": "a", "n": 6, "t": None}]
    assert diff_rows(old, [{"id": "a", "n": "6", "t": ""}], ["id"], ["n", "t"])["changed"] == []
    changed = diff_rows(old, [{"id": "a", "n": 7, "t": None}], ["id"], ["n", "t"])["changed"]
    assert changed == [{"key": "a", "fields": {"n": {"old": 6, "new": 7}}}]


def test_composite_keys_are_joined_by_a_bar():
    old = [{"row": 3, "column": "Remarques", "text": "a"}]
    new = [{"row": 3, "column": "Remarques", "text": "b"}]
    (change,) = diff_rows(old, new, ["row", "column"], ["text"])["changed"]
    assert change["key"] == "3|Remarques"


def test_first_release_has_every_row_added(package):
    changes = diff(None, package)
    assert len(changes["resources"]["channels"]["added"]) == 9
    assert decide_bump(changes, first=True, source_changed=True) == "initial"


def _remove_field(p):
    p.resource("channels")["schema"]["fields"] = [
        f for f in p.resource("channels")["schema"]["fields"] if f["name"] != "portal_hint"
    ]


def _rename_field(p):
    field(p, "locations", "name")["name"] = "nom"


def _retype_field(p):
    field(p, "slot_rules", "capacity")["type"] = "number"


def _tighten(p):
    field(p, "slot_rules", "visibility_weeks")["constraints"]["minimum"] = 2


def _required_new_field(p):
    p.resource("locations")["schema"]["fields"].append(
        {"name": "city", "type": "string", "constraints": {"required": True}}
    )


def _optional_new_field(p):
    p.resource("locations")["schema"]["fields"].append({"name": "city", "type": "string"})


def _loosen(p):
    field(p, "channels", "channel_type")["constraints"]["enum"].append("phone")


def _new_resource(p):
    p.descriptor["resources"].append({"name": "holidays", "schema": {"fields": []}})
    p.rows["holidays"] = []


def _better_description(p):
    field(p, "slot_rules", "visibility_weeks")["description"] = "Mieux dit."


@pytest.mark.parametrize(
    ("edit", "bump", "kind"),
    [
        (_remove_field, "major", "field-removed"),
        (_rename_field, "major", "field-renamed"),
        (_retype_field, "major", "field-retyped"),
        (_tighten, "major", "constraint-tightened"),
        (_required_new_field, "major", "field-added"),
        (_optional_new_field, "minor", "field-added"),
        (_loosen, "minor", "constraint-loosened"),
        (_new_resource, "minor", "resource-added"),
        (_better_description, "patch", None),
    ],
)
def test_schema_changes_decide_the_bump(package, edit, bump, kind):
    new = edited(package, edit)
    changes = diff(package, new)
    assert [c["kind"] for c in changes["schema"]] == ([kind] if kind else [])
    assert bump_of(package, new) == bump


def test_removed_resource_is_major(package):
    def drop(p):
        p.descriptor["resources"] = [
            r for r in p.descriptor["resources"] if r["name"] != "contacts"
        ]
        del p.rows["contacts"]

    changes = diff(package, edited(package, drop))
    assert [c["kind"] for c in changes["schema"]] == ["resource-removed"]
    assert len(changes["resources"]["contacts"]["removed"]) == 3
    assert bump_of(package, edited(package, drop)) == "major"


def test_data_change_is_minor_with_a_new_source_and_patch_without(package):
    def fix(p):
        p.rows["slot_rules"][0]["applies_to"] = "Tous"

    new = edited(package, fix)
    assert bump_of(package, new, source_changed=True) == "minor"
    assert bump_of(package, new, source_changed=False) == "patch"


def test_next_version():
    assert next_version(None, "initial") == "1.0.0"
    assert next_version("1.4.2", "major") == "2.0.0"
    assert next_version("1.4.2", "minor") == "1.5.0"
    assert next_version("1.4.2", "patch") == "1.4.3"


def test_cli_diff_between_two_releases(seed_text, tmp_path, capsys):
    out = tmp_path / "out"
    pipeline.run(None, out)
    source = tmp_path / "s.txt"
    source.write_text(seed_text.replace("Visibilité à 6", "Visibilité à 8"), encoding="utf-8")
    pipeline.run(str(source), out)
    old, new = out / "releases" / "1.0.0", out / "releases" / "1.1.0"
    assert main(["diff", str(old), str(new / "datapackage.json")]) == 0
    assert capsys.readouterr().out == (
        "Renouvellements de titre de séjour : visibilité 6 → 8 semaines\n"
    )
    assert main(["diff", str(old), str(new), "--json"]) == 0
    import json

    document = json.loads(capsys.readouterr().out)
    assert (document["from_version"], document["to_version"], document["bump"]) == (
        "1.0.0",
        "1.1.0",
        "minor",
    )
    assert document["resources"] == json.loads((new / "changes.json").read_text())["resources"]
    assert load_package(new).version == "1.1.0"


def test_summary_escapes_markdown(package):
    from publish.changes.summary import summary_markdown

    def relabel(p):
        p.rows["appointment_types"][0]["label"] = "[cliquez](javascript:alert(1)) <b>"

    new = edited(package, relabel)
    changes = {
        "from_version": "1.0.0",
        "to_version": "1.1.0",
        "bump": "minor",
        **diff(package, new),
    }
    text = summary_markdown(changes, package, new)
    assert "\\[cliquez\\](javascript:alert(1)) &lt;b&gt;" in text
    assert "](javascript" not in text.replace("\\]", "") and "<b>" not in text


def test_published_json_has_the_keys_of_its_types_in_their_order(two_releases):
    """changes.json and the catalog's entries are what publish/changes/records.py says, key for
    key."""
    import json

    from publish.changes.records import (
        CatalogEntry,
        ChangedRow,
        ChangeRecord,
        FieldChange,
        ResourceChanges,
        RowCounts,
    )

    def keys(typed) -> list[str]:
        return list(typed.__annotations__)

    catalog = json.loads((two_releases / "releases.json").read_text("utf-8"))["releases"]
    assert [entry["version"] for entry in catalog] == ["1.0.0", "1.1.0"]
    for entry in catalog:
        assert list(entry) == keys(CatalogEntry)
        assert all(list(counts) == keys(RowCounts) for counts in entry["changes"].values())
        record = json.loads(
            (two_releases / "releases" / entry["version"] / "changes.json").read_text("utf-8")
        )
        assert list(record) == keys(ChangeRecord)
        for changes in record["resources"].values():
            assert list(changes) == keys(ResourceChanges)
            for row in changes["changed"]:
                assert list(row) == keys(ChangedRow)
                assert all(list(v) == keys(FieldChange) for v in row["fields"].values())
    assert record["resources"]["slot_rules"]["changed"][0]["fields"] == {
        "visibility_weeks": {"old": 6, "new": 8}
    }


values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 2),
    st.sampled_from([0.0, 1.0, 1.5]),
    st.sampled_from(["", "1", "true", "a"]),
    st.lists(st.sampled_from(["a", "b"]), max_size=2),
)
rows_of = st.lists(
    st.fixed_dictionaries({"id": st.sampled_from(["1", "2", "3"]), "a": values, "b": values}),
    max_size=4,
    unique_by=lambda r: r["id"],
)


@example(  # the same fields in another order: True and 1 swapped between a and b (CI)
    old=[{"a": True, "b": 1, "id": "3"}], new=[{"b": True, "a": 1, "id": "3"}]
)
@given(rows_of, rows_of)
def test_rows_found_identical_differ_in_no_field(old: list, new: list) -> None:
    """The shortcut of ``diff_rows`` (rows equal with values of the same types) finds the changes
    the field-by-field comparison finds: ``True`` and ``1`` are equal in Python, not here."""
    found = diff_rows(old, new, ["id"], ["a", "b"])
    old_by = {r["id"]: r for r in old}
    expected = [
        {f for f in ("a", "b") if comparable(old_by[r["id"]][f]) != comparable(r[f])}
        for r in new
        if r["id"] in old_by
    ]
    assert [set(c["fields"]) for c in found["changed"]] == [e for e in expected if e]
