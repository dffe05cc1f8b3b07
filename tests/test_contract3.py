"""Contract 3 end to end: a sentence nothing reads is published as unread (the rest of the table
read), refused only with --strict; a maintainer teaches it in readings.toml without code; a cell
may state several rules of one type."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from core.errors import NormaliseError
from extract import extract_table
from normalise import normalise
from normalise.readings import ReadingPolicy, ReadingsError, load_readings
from rdv_opendata import pipeline
from rdv_opendata.unread import unread_report
from tests.phrasing import read_facts
from tests.test_phrasings import READ, REFUSED

SIX_WEEKS = "Visibilité à 6 semaines."  # the end of row 3's remark
FIRST_MONDAY = "Ouverture des créneaux le premier lundi du mois à 9h."
RENEWALS = "renouvellements-de-titre-de-sejour--online-booking"


def appended(seed_text: str, sentence: str) -> str:
    """The snapshot with ``sentence`` appended to row 3's « Remarques »."""
    assert seed_text.count(SIX_WEEKS) == 1
    return seed_text.replace(SIX_WEEKS, f"{SIX_WEEKS} {sentence}")


def data_of(text: str, reader: ReadingPolicy | None = None) -> dict[str, list[dict]]:
    return normalise(extract_table(text.encode("utf-8")), reader or ReadingPolicy())


def rows(folder: Path, name: str) -> list[dict]:
    return json.loads((folder / "latest" / "data" / f"{name}.json").read_text("utf-8"))


# --- publish what is read, flag what is not ----------------------------------------------------

#: sentences from the corpus nothing reads (hostile and structural ones aside)
UNREAD = [c["text"] for c in REFUSED if c["column"] == "remarks"]
#: sentences the grammar reads
TYPED = [c["text"] for c in READ if c["column"] == "remarks" and "Pour " not in c["text"]]
#: sentences that hold no fact at all
NO_FACT = ["Merci de votre compréhension.", "Ouverture des créneaux.", "Les usagers sont reçus."]


@pytest.fixture(scope="module")
def seed_data(seed_text):
    return data_of(seed_text)


def _others(data: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Every row of the table but those an appended sentence may add to: row 3's rules, its
    unread sentences and its text."""
    out = {name: list(found) for name, found in data.items()}
    out.pop("source_cells")
    out.pop("unread_sentences")
    out["slot_rules"] = [r for r in data["slot_rules"] if r["channel_id"] != RENEWALS]
    out["channels"] = [{**c, "instructions": None} for c in data["channels"]]
    out["closures"] = [c for c in data["closures"] if c["source_row"] != 3]
    return out


@pytest.mark.parametrize("sentence", UNREAD + TYPED + NO_FACT)
def test_an_appended_sentence_is_typed_or_unread_and_nothing_else_changes(
    seed_text, seed_data, sentence
):
    data = data_of(appended(seed_text, sentence))
    assert _others(data) == _others(seed_data)
    before = [r for r in seed_data["slot_rules"] if r["channel_id"] == RENEWALS]
    after = {r["rule_id"]: r for r in data["slot_rules"] if r["channel_id"] == RENEWALS}
    for rule in before:  # a rule already read keeps every fact it had (a sentence may add some)
        kept = after[rule["rule_id"]]
        assert {k: v for k, v in rule.items() if v is not None and k != "read_by"} == {
            k: kept[k] for k, v in rule.items() if v is not None and k != "read_by"
        }
    unread = [u["sentence"] for u in data["unread_sentences"]]
    if sentence in NO_FACT:
        assert data["slot_rules"] == seed_data["slot_rules"] and unread == []
    elif sentence in UNREAD:
        assert (
            unread == [" ".join(sentence.split())] or data["slot_rules"] != seed_data["slot_rules"]
        )
    else:  # read, unless it contradicts what the remark already says (then unread, whole)
        assert all("two values" in u["reason"] for u in data["unread_sentences"])


@pytest.mark.parametrize("case", READ + REFUSED, ids=lambda c: c["text"][:50])
def test_strict_refuses_exactly_where_a_sentence_is_unread(case):
    if case.get("always") or case.get("default_error"):
        return  # refused either way (test_phrasings)
    found = read_facts(**{case["column"]: case["text"]})
    try:
        read_facts(ReadingPolicy(strict=True), **{case["column"]: case["text"]})
    except NormaliseError:
        refused = True
    else:
        refused = False
    assert refused == bool(found["unread"])


def test_an_unread_sentence_names_its_place_tokens_and_reason(seed_text):
    (row,) = data_of(appended(seed_text, FIRST_MONDAY))["unread_sentences"]
    assert row["source_row"] == 3 and row["column"] == "Remarques" and row["position"] == 3
    assert row["sentence"] == FIRST_MONDAY
    assert {"ordinal:premier", "weekday:lundi", "time:9h"} <= set(row["tokens"])
    assert "premier" in row["reason"]
    assert row["type_id"] == "renouvellements-de-titre-de-sejour"
    assert row["channel_id"] == RENEWALS


# --- several rules per channel --------------------------------------------------------------------


def test_two_hour_ranges_on_the_same_days_are_two_rules_with_stable_keys(seed_text):
    text = seed_text.replace(
        "Sans rendez-vous, le mercredi après-midi, dans la limite de 10 places disponibles",
        "Sans rendez-vous du lundi au jeudi de 8h45 à 11h45 et de 14h à 15h30",
    )
    walk_in = [r for r in data_of(text)["slot_rules"] if r["rule_type"] == "walk_in"]
    assert [
        (r["rule_id"].rsplit("--", 1)[-1], r["start_time"], r["end_time"]) for r in walk_in
    ] == [
        ("walk-in", "08:45:00", "11:45:00"),
        ("walk-in-2", "14:00:00", "15:30:00"),
    ]
    assert all(r["weekdays"] == ["monday", "tuesday", "wednesday", "thursday"] for r in walk_in)
    # a changed hour is a changed field of the same rule, not a removal plus an addition
    later = [
        r
        for r in data_of(text.replace("15h30", "16h"))["slot_rules"]
        if r["rule_type"] == "walk_in"
    ]
    assert [r["rule_id"] for r in later] == [r["rule_id"] for r in walk_in]


def test_a_contradiction_is_unread_not_half_kept(seed_text):
    data = data_of(appended(seed_text, "Visibilité à 9 semaines."))
    (row,) = data["unread_sentences"]
    assert "two values for visibility_weeks" in row["reason"]
    rule = next(r for r in data["slot_rules"] if r["channel_id"] == RENEWALS)
    assert rule["visibility_weeks"] == 6


# --- reviewed readings -------------------------------------------------------------------------

READING = f'''
[[reading]]
id = "premier-lundi-du-mois"
sentence = "{FIRST_MONDAY}"
reviewed_by = "Camille, ADA Grenoble"
reviewed_on = 2026-12-01
note = "monthly: the release time only, never a weekly rule"

[[reading.statements]]
resource = "slot_rules"
rule_type = "slot_release"
time = "09:00"
'''


def test_a_reviewed_reading_round_trips_unread_taught_typed(seed_text, tmp_path):
    source, output, readings = tmp_path / "page.txt", tmp_path / "out", tmp_path / "readings.toml"
    source.write_text(appended(seed_text, FIRST_MONDAY), encoding="utf-8")
    readings.write_text("", encoding="utf-8")
    first = pipeline.run(str(source), output, readings=readings)
    assert (first.version, first.unread) == ("1.0.0", 1)
    report = unread_report(output, dt.date(2026, 12, 4))
    assert "row 3, column 'Remarques', sentence 3" in report
    assert f'sentence = "{FIRST_MONDAY}"' in report and 'reviewed_by = ""' in report
    # the stub as printed stops the next run, naming it: nothing is typed from a blank stub
    stub = report[report.index("[[reading]]") : report.index("# Add the completed")]
    readings.write_text(stub, encoding="utf-8")
    with pytest.raises(ReadingsError, match=r"entry 1 \('ligne-3-[a-z-]+'\): '\w+' is missing"):
        pipeline.run(str(source), output, readings=readings)
    readings.write_text(READING, encoding="utf-8")
    taught = pipeline.run(str(source), output, readings=readings)
    assert (taught.version, taught.bump, taught.unread) == ("1.1.0", "minor", 0)
    assert rows(output, "unread_sentences") == []
    (rule,) = [
        r for r in rows(output, "slot_rules") if r["read_by"] == "reading:premier-lundi-du-mois"
    ]
    assert (rule["rule_id"], rule["time"], rule["weekdays"], rule["frequency"]) == (
        f"{RENEWALS}--slot-release-2",
        "09:00:00",
        None,
        None,
    )
    assert any("Phrase de nouveau lue" in line for line in taught.lines), taught.lines
    # the readings are part of the reader's fingerprint: the same bytes again are unchanged
    again = pipeline.run(str(source), output, readings=readings)
    assert again.status == "unchanged" and again.stale_readings == []


def test_a_reading_whose_sentence_is_gone_is_stale_and_changes_nothing(seed_text, tmp_path):
    readings = tmp_path / "readings.toml"
    readings.write_text(READING, encoding="utf-8")
    plain = pipeline.run(None, tmp_path / "a")
    stale = pipeline.run(None, tmp_path / "b", readings=readings)
    assert stale.stale_readings == ["premier-lundi-du-mois"]
    for name in ("slot_rules", "unread_sentences", "closures"):
        assert rows(tmp_path / "a", name) == rows(tmp_path / "b", name)
    assert plain.stale_readings == []


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("id = 'X Y'", r"entry 1 \('X Y'\): 'id' must be a slug"),
        ("reviewed_on = '2026-12-01'", r"'reviewed_on' must be a date"),
        ("reviewed_on = 2999-01-01", r"'reviewed_on' 2999-01-01 is in the future"),
        ("colour = 'blue'", r"unknown key 'colour'"),
        (
            "statements = [{resource = 'slot_rules', rule_type = 'slot_release', time = '25:00'}]",
            r"statement 1, field 'time': '25:00' is not a time",
        ),
        (
            "statements = [{resource = 'slot_rules', rule_type = 'walk_in', weekdays = ['lundi']}]",
            r"field 'weekdays'",
        ),
        (
            "statements = [{resource = 'closures', closed_from = 2021-01-08, "
            "closed_until = 2021-01-04}]",
            r"'closed_until' is before 'closed_from'",
        ),
        ("statements = [{resource = 'channels'}]", r"'resource' must be one of"),
        ("statements = []", r"no statement: say in 'note' why"),
    ],
)
def test_a_bad_reading_stops_the_run_before_anything_is_read(tmp_path, entry, message):
    base = {
        "id": "id = 'ok'",
        "sentence": "sentence = 'Une phrase.'",
        "reviewed_by": "reviewed_by = 'Camille'",
        "reviewed_on": "reviewed_on = 2026-12-01",
        "statements": "statements = [{resource = 'slot_rules', rule_type = 'walk_in'}]",
    }
    key = entry.split("=")[0].strip()
    base[key] = entry
    path = tmp_path / "readings.toml"
    path.write_text("[[reading]]\n" + "\n".join(base.values()) + "\n", encoding="utf-8")
    with pytest.raises(ReadingsError, match=message) as caught:
        load_readings(path, dt.date(2026, 12, 4))
    assert str(caught.value).startswith("readings.toml: entry 1")
    output = tmp_path / "out"
    with pytest.raises(ReadingsError):
        pipeline.run(None, output, readings=path)
    assert not output.exists() or not (output / "releases").exists()


def test_the_cli_lists_unread_sentences_with_stubs(seed_text, tmp_path, capsys):
    from rdv_opendata.cli import main

    source = tmp_path / "page.txt"
    source.write_text(appended(seed_text, FIRST_MONDAY), encoding="utf-8")
    output = tmp_path / "out"
    args = ["publish", "--no-orchestrator", "--source", str(source), "--output", str(output)]
    assert main(args) == 0
    assert "1 sentence(s) could not be read" in capsys.readouterr().out
    assert main(["unread", str(output)]) == 0
    printed = capsys.readouterr().out
    assert printed.count("[[reading]]") == 1 and FIRST_MONDAY in printed
    assert main([*args, "--strict"]) == 1
    assert "cannot read the sentence" in capsys.readouterr().err


# --- fidelity: a rule's procedure, an address as written --------------------------------------


def test_a_rule_for_a_named_procedure_links_to_it(seed_data):
    procedures = {p["procedure_id"]: p for p in seed_data["procedures"]}
    scoped = [r for r in seed_data["slot_rules"] if r["applies_to"]]
    linked = {r["applies_to"]: r["procedure_id"] for r in scoped}
    # « Pour le retrait d'un titre de séjour : » names the row's démarche of that label
    procedure = procedures[linked["Retrait d'un titre de séjour"]]
    rule = next(r for r in scoped if r["applies_to"] == "Retrait d'un titre de séjour")
    assert procedure["label"] == "Retrait d'un titre de séjour"
    assert procedure["channel_id"] == rule["channel_id"]
    # « le dépôt d'un dossier ou une démarche longue » names no one démarche: no link, never a guess
    assert linked["Dépôt d'un dossier ou une démarche longue"] is None
    assert all(r["procedure_id"] is None for r in seed_data["slot_rules"] if not r["applies_to"])


def test_an_address_keeps_its_spelling_in_channels_and_contacts(seed_data):
    written = "Pref-rdv-sejour@isere.gouv.fr"
    channel = next(c for c in seed_data["channels"] if c["email"] == written)
    contact = next(c for c in seed_data["contacts"] if c["channel_id"] == channel["channel_id"])
    assert contact["email"] == "pref-rdv-sejour@isere.gouv.fr"  # the key, lower-case (contract)
    assert contact["address"] == channel["email"]  # as the source writes it, in both
    for contact in seed_data["contacts"]:
        assert contact["address"].lower() == contact["email"]


def test_a_real_unread_sentence_is_said_first_on_every_surface(seed_text, tmp_path):
    """The surfaces' own tests hand-make their rows; here the real reader leaves the sentence
    unread and every surface says so first."""
    from rdv_opendata import notify
    from tests.test_unread_surfaces import entry_lines, page, plain

    output, source = tmp_path / "out", tmp_path / "page.txt"
    pipeline.run(None, output)
    source.write_text(appended(seed_text, FIRST_MONDAY), encoding="utf-8")
    result = pipeline.run(str(source), output)
    assert (result.version, result.unread) == ("1.1.0", 1)
    summary = (output / "releases" / "1.1.0" / "CHANGES.md").read_text("utf-8")
    body = summary.split("\n\n", 1)[1]
    assert plain(body).startswith("**1 phrase de la préfecture n'a pas pu être lue")
    banner = page(output, "index.html").find("section", id=RENEWALS.split("--")[0])
    assert FIRST_MONDAY in plain(banner.find("h2").find_next_sibling().get_text())
    _, lines = entry_lines(output, "feed.xml", "1.1.0")
    assert lines[0].startswith("1 phrase") and FIRST_MONDAY in lines[1]
    _, message = notify.release_message(result.to_dict())
    assert FIRST_MONDAY in message.splitlines()[1]
    assert f"rdv-opendata unread {output}" in message
