"""Normalisation of the whole table: the facts of the seed, stable identifiers, nothing lost."""

from __future__ import annotations

import pytest

from core.settings import EXPECTED_HEADER
from extract import extract_table, parse_text
from normalise import RESOURCES, normalise
from schemas import registry


@pytest.fixture(scope="module")
def data(seed_bytes):
    return normalise(extract_table(seed_bytes))


def by(rows, field):
    return {row[field]: row for row in rows}


def test_every_resource_has_exactly_its_schema_fields(data):
    assert set(data) == set(RESOURCES) == set(registry.RESOURCE_ORDER)
    for name, rows in data.items():
        for row in rows:
            assert list(row) == registry.field_names(name), name


def test_appointment_types_in_source_order_with_priority(data):
    types = data["appointment_types"]
    assert [t["position"] for t in types] == list(range(1, 9))
    assert types[0]["label"] == "1ères demandes de titre de séjour « prioritaires »"
    assert [t["priority"] for t in types] == [True] + [False] * 7


def test_students_row_gives_one_rule_per_procedure(data):
    rules = [r for r in data["slot_rules"] if r["channel_id"].startswith("etudiants-")]
    assert {(r["applies_to"], r["visibility_weeks"]) for r in rules} == {
        ("Retrait d'un titre de séjour", 4),
        ("Dépôt d'un dossier ou une démarche longue", 8),
    }
    assert all(
        (r["weekdays"], r["time"], r["frequency"]) == (["monday"], "00:00:00", "weekly")
        for r in rules
    )


def test_visibility_per_type(data):
    channels = by(data["channels"], "channel_id")
    weeks = {
        channels[r["channel_id"]]["type_id"]: r["visibility_weeks"]
        for r in data["slot_rules"]
        if r["applies_to"] is None and r["rule_type"] == "slot_release"
    }
    assert weeks == {
        "1eres-demandes-de-titre-de-sejour": 4,
        "renouvellements-de-titre-de-sejour": 6,
        "retrait-d-un-titre-de-sejour": 4,
    }


def test_walk_in_rule_and_empty_location_stays_null(data):
    (walk_in,) = [r for r in data["slot_rules"] if r["rule_type"] == "walk_in"]
    assert (walk_in["weekdays"], walk_in["period"], walk_in["capacity"]) == (
        ["wednesday"],
        "afternoon",
        10,
    )
    channel = by(data["channels"], "channel_id")[walk_in["channel_id"]]
    assert channel["channel_type"] == "walk_in"
    assert channel["location_id"] is None and channel["url"] is None


def test_campus_antenna_ends_on_18_december_2020(data):
    assert by(data["locations"], "location_id")["antenne-campus"] == {
        "location_id": "antenne-campus",
        "name": "Antenne Campus",
        "valid_from": None,
        "valid_until": "2020-12-18",
    }


def test_channel_kinds_and_links(data):
    kinds = [(c["source_row"], c["channel_type"]) for c in data["channels"]]
    assert kinds == [
        (1, "online_form"),
        (2, "online_booking"),
        (3, "online_booking"),
        (4, "walk_in"),
        (5, "email"),
        (6, "online_booking"),
        (7, "email"),
        (8, "online_application"),
        (9, "online_booking"),
    ]
    channels = {c["source_row"]: c for c in data["channels"]}
    assert channels[2]["url"] == "http://www.isere.gouv.fr/booking/create/24993"
    assert channels[8]["url"].startswith("https://administration-etrangers-en-france")
    assert channels[3]["url"] == "https://www.isere.gouv.fr/"  # no more specific link given
    assert channels[5]["email"] == "Pref-rdv-sejour@isere.gouv.fr"
    assert channels[6]["portal_path"] == (
        "Prendre un rendez-vous > Prendre rendez-vous pour un retrait de titre de séjour "
        "(SAUF ÉTUDIANTS)"
    )


def test_contacts(data):
    contacts = by(data["contacts"], "email")
    assert set(contacts) == {
        "pref-etrangersd1@isere.gouv.fr",
        "pref-rdv-sejour@isere.gouv.fr",
        "pref-sejour-ase@isere.gouv.fr",
    }
    inbox = contacts["pref-etrangersd1@isere.gouv.fr"]
    assert (inbox["role"], inbox["public_use"]) == ("form_inbox", False)
    assert "associations" in inbox["notes"]
    assert contacts["pref-rdv-sejour@isere.gouv.fr"]["role"] == "booking"


def test_exclusions_and_nested_procedures(data):
    procedures = data["procedures"]
    excluded = {p["label"] for p in procedures if p["scope"] == "excluded"}
    assert excluded == {
        "renouvellement des cartes de résident de 10 ans",
        "étudiants, chercheurs, scientifiques et membres de leur famille",
    }
    parent = next(p for p in procedures if p["label"] == "Démarches longues")
    children = [p for p in procedures if p["parent_id"] == parent["procedure_id"]]
    assert [(c["position"], c["label"]) for c in children][:2] == [
        (1, "carte de séjour recherche d'emploi ou création d'entreprise"),
        (2, "APS Jeunes Diplômés (après un titre de séjour étudiant)"),
    ]
    assert len(children) == 6
    assert not any(p["label"].startswith("-") for p in procedures)


def test_nested_html_list_reads_like_the_inline_one(seed_text):
    inline = (
        "<p>Démarches longues : - carte de séjour recherche d'emploi ou création "
        "d'entreprise - APS Jeunes Diplômés (après un titre de séjour étudiant) - duplicata "
        "- Renouvellement de récépissé - Changement d'adresse ou d'état-civil - "
        "Modification</p>"
    )
    nested = (
        "<ul><li>Démarches longues :<ul><li>carte de séjour recherche d'emploi ou création "
        "d'entreprise</li><li>APS Jeunes Diplômés (après un titre de séjour étudiant)</li>"
        "<li>duplicata</li><li>Renouvellement de récépissé</li><li>Changement d'adresse ou "
        "d'état-civil</li><li>Modification</li></ul></li></ul>"
    )
    assert inline in seed_text
    a = normalise(parse_text(seed_text))["procedures"]
    b = normalise(parse_text(seed_text.replace(inline, nested)))["procedures"]
    assert a == b


def test_every_non_empty_cell_is_kept(seed_bytes, data):
    table = extract_table(seed_bytes)
    expected = {
        (number, column): cell.text
        for number, row in enumerate(table.rows, 1)
        for column, cell in zip(EXPECTED_HEADER, row, strict=True)
        if cell.text
    }
    assert {(c["source_row"], c["column"]): c["text"] for c in data["source_cells"]} == expected


def _ids(data):
    keys = {
        "appointment_types": "type_id",
        "channels": "channel_id",
        "procedures": "procedure_id",
        "slot_rules": "rule_id",
        "locations": "location_id",
        "contacts": "email",
    }
    return {name: sorted(r[key] for r in data[name]) for name, key in keys.items()}


def test_identifiers_do_not_depend_on_row_order(seed_text, data):
    lines = seed_text.split("\n")
    a = next(i for i, line in enumerate(lines) if line.startswith("<b>Renouvellements"))
    b = next(i for i, line in enumerate(lines) if line.startswith("<b>Démarches autres"))
    lines[a], lines[b] = lines[b], lines[a]
    assert _ids(normalise(parse_text("\n".join(lines)))) == _ids(data)


def test_identifiers_survive_a_changed_fact(seed_text, data):
    changed = seed_text.replace("Visibilité à 6 semaines", "Visibilité à 8 semaines").replace(
        "Pref-rdv-sejour@isere.gouv.fr", "rdv-sejour@isere.gouv.fr"
    )
    after = normalise(parse_text(changed))
    assert _ids(after)["slot_rules"] == _ids(data)["slot_rules"]
    assert _ids(after)["channels"] == _ids(data)["channels"]
    rule = by(after["slot_rules"], "rule_id")[
        "renouvellements-de-titre-de-sejour--online-booking--slot-release"
    ]
    assert rule["visibility_weeks"] == 8


@pytest.mark.parametrize("dash", ["-", "–", "- -", "—"])
def test_an_inline_item_with_a_stray_dash_is_read_as_a_list_item(dash):
    """« Démarches longues : - duplicata - -Renouvellement » (a dash typed twice, found by
    test_properties' mutations): the item is « Renouvellement », as a block's own list dashes
    are removed, never a label starting with a dash."""
    from normalise import rules

    text = f"Démarches longues : - duplicata - {dash}Renouvellement de récépissé - Changement"
    parent, items = rules.inline_list(text)
    assert parent == "Démarches longues"
    assert items == ["duplicata", "Renouvellement de récépissé", "Changement"]
