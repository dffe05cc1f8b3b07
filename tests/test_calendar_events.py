"""The pure steps of the calendars on hand-made rows: which rule gives which event (and which
none), the bounds of a place, the dates of a weekly event, and SEQUENCE from a history."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from core import i18n
from publish.changes import french
from website.calendar_events import (
    WEEKDAY_CODES,
    Days,
    EventSpec,
    Schedule,
    Weekly,
    schedule,
    uid,
    weekdays,
)
from website.calendars import Published, stamp
from website.ical import timing

D = dt.date


def release(
    rule: dict[str, Any] | None = None,
    place: dict[str, Any] | None = None,
    closures: list[dict[str, Any]] | None = None,
    channel_type: str = "walk_in",
) -> dict[str, list[dict[str, Any]]]:
    return {
        "appointment_types": [{"type_id": "type", "label": "Type « A »", "position": 1}],
        "channels": [
            {
                "channel_id": "modalite",
                "type_id": "type",
                "channel_type": channel_type,
                "url": "https://www.isere.gouv.fr/rdv",
                "phone": "+33465719876" if channel_type == "phone" else None,
                "location_id": "lieu" if place else None,
            }
        ],
        "slot_rules": [rule] if rule else [],
        "locations": [{"location_id": "lieu", "name": "Lieu", **place}] if place else [],
        "closures": [{"location_id": "lieu", **c} for c in closures or []],
    }


def rule(**fields: Any) -> dict[str, Any]:
    return {
        "rule_id": "regle",
        "channel_id": "modalite",
        "rule_type": "walk_in",
        "weekdays": ["monday", "thursday"],
        "frequency": "weekly",
        "time": None,
        "start_time": None,
        "end_time": None,
        "period": None,
        "visibility_weeks": None,
        "capacity": None,
        "applies_to": None,
        **fields,
    }


def only_event(rows: dict[str, list[dict[str, Any]]]) -> EventSpec:
    found = schedule(rows)
    assert found.notes == ()
    (event,) = found.events
    return event


# --- rules -------------------------------------------------------------------------------------


def test_a_slot_release_without_a_time_is_an_all_day_event_without_alarm():
    event = only_event(release(rule(rule_type="slot_release", weekdays=["monday"])))
    assert event.summary == "Ouverture des créneaux (heure non précisée) : Type « A »"
    assert event.when == Weekly(("monday",))
    assert event.alarm is None


def test_a_slot_release_with_a_time_has_an_alarm_and_its_procedure_in_the_title():
    event = only_event(
        release(rule(rule_type="slot_release", time="09:30:00", applies_to="Retrait"))
    )
    assert event.summary == "Ouverture des créneaux : Type « A » — Retrait"
    assert event.when == Weekly(("monday", "thursday"), start=dt.time(9, 30))
    assert event.alarm == "Les créneaux « Type « A » — Retrait » ouvrent dans 10 minutes."
    assert event.url == "https://www.isere.gouv.fr/rdv"
    assert event.uid == "slot-rule/regle@isere-modalites-rdv-sejour"


def test_an_hour_range_is_timed_and_each_partial_range_says_what_it_lacks():
    whole = only_event(release(rule(start_time="08:45:00", end_time="11:45:00")))
    assert whole.summary == "Accueil sans rendez-vous : Type « A »"
    assert (whole.when.start, whole.when.end) == (dt.time(8, 45), dt.time(11, 45))  # type: ignore[union-attr]
    start = only_event(release(rule(start_time="14:00:00")))
    assert start.summary == "Accueil sans rendez-vous (à partir de 14 h) : Type « A »"
    assert start.when == Weekly(("monday", "thursday"), start=dt.time(14))
    end = only_event(release(rule(end_time="16:00:00")))
    assert end.summary == "Accueil sans rendez-vous (jusqu'à 16 h) : Type « A »"
    assert end.when == Weekly(("monday", "thursday"))  # no start: all day, no hour invented
    morning = only_event(release(rule(period="morning")))
    assert morning.summary == (
        "Accueil sans rendez-vous (le matin, horaires non précisés) : Type « A »"
    )
    assert morning.when == Weekly(("monday", "thursday"))


def test_opening_hours_name_their_channel():
    event = only_event(
        release(
            rule(rule_type="opening_hours", start_time="14:00:00", end_time="16:00:00"),
            channel_type="phone",
        )
    )
    assert event.summary == "Horaires (téléphone) : Type « A »"
    assert "Téléphone : 04 65 71 98 76" in event.description


def test_a_rule_without_a_weekday_or_not_weekly_gives_a_note_and_no_event():
    for fields, why in (
        ({"weekdays": None}, "aucun jour de la semaine précisé"),
        ({"frequency": None}, "pas de fréquence hebdomadaire"),
    ):
        found = schedule(release(rule(start_time="09:00:00", **fields)))
        assert found.events == ()
        (note,) = found.notes
        assert note.text.startswith(f"Sans événement ({why}) : Type « A » : ")
        assert note.types == frozenset({"type"})
        assert "9 h" in note.text


def test_a_contract_1_row_with_one_weekday_reads_as_weekdays():
    assert weekdays({"weekday": "friday"}) == ("friday",)
    assert weekdays({"weekdays": "friday,monday"}) == ("monday", "friday")  # week order


# --- places ------------------------------------------------------------------------------------


def test_a_walk_in_is_bounded_by_its_place_and_skips_its_closures():
    rows = release(
        rule(start_time="09:00:00", end_time="11:00:00"),
        place={"valid_from": "2021-01-04", "valid_until": "2021-06-30"},
        closures=[
            {"closed_from": "2021-03-29", "closed_until": "2021-04-02"},
            {"closed_from": "2021-05-10", "closed_until": None},
        ],
    )
    events = {e.uid: e for e in schedule(rows).events}
    walk_in = events[uid("slot-rule", "regle")].when
    assert isinstance(walk_in, Weekly)
    assert (walk_in.not_before, walk_in.until) == (D(2021, 1, 4), D(2021, 6, 30))
    dates = timing(walk_in, since=D(2020, 12, 1))
    assert dates is not None
    assert dates.first == D(2021, 1, 4)  # a Monday, the place's first day
    assert dates.last == D(2021, 5, 9)  # the eve of the closure without end
    assert dates.skipped == (D(2021, 3, 29), D(2021, 4, 1))  # its Monday and Thursday
    closed = events[uid("closure", "lieu/2021-03-29")]
    assert closed.when == Days(D(2021, 3, 29), D(2021, 4, 2))
    assert closed.summary == "Fermeture : Lieu"
    open_ended = events[uid("closure", "lieu/2021-05-10")]
    assert open_ended.when == Days(D(2021, 5, 10), D(2021, 5, 10))
    assert open_ended.summary == "Fermeture sans date de fin : Lieu"
    assert events[uid("place", "lieu/valid-from")].when == Days(D(2021, 1, 4), D(2021, 1, 4))
    assert events[uid("place", "lieu/valid-until")].when == Days(D(2021, 6, 30), D(2021, 6, 30))


def test_a_walk_in_whose_place_no_longer_receives_has_no_date():
    rows = release(rule(start_time="09:00:00"), place={"valid_until": "2020-12-18"})
    walk_in = next(e for e in schedule(rows).events if e.uid == uid("slot-rule", "regle"))
    assert timing(walk_in.when, since=D(2020, 12, 19)) is None
    assert timing(walk_in.when, since=D(2020, 12, 17)) is not None  # Thursday the 17th


def test_a_slot_release_is_not_bounded_by_its_place():
    rows = release(
        rule(rule_type="slot_release", time="00:00:00"), place={"valid_until": "2020-12-18"}
    )
    event = next(e for e in schedule(rows).events if e.uid == uid("slot-rule", "regle"))
    assert event.when == Weekly(("monday", "thursday"), start=dt.time(0))


# --- SEQUENCE ----------------------------------------------------------------------------------

SPEC = EventSpec(
    uid="u", summary="Titre", description="Texte", when=Days(D(2021, 1, 1), D(2021, 1, 1))
)


def history(specs: list[EventSpec | None]) -> list[Published]:
    """One release per item (None: the event is absent), published a day apart."""
    start = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
    return [
        Published(
            f"1.{n}.0",
            start + dt.timedelta(days=n),
            D(2021, 1, 1) + dt.timedelta(days=n),
            Schedule(() if spec is None else (spec,), ()),
        )
        for n, spec in enumerate(specs)
    ]


@given(st.lists(st.sampled_from(["a", "b", None]), min_size=1, max_size=12))
def test_sequence_counts_the_releases_that_changed_the_event_or_brought_it_back(said):
    specs = [None if s is None else replace(SPEC, summary=s) for s in said]
    if specs[-1] is None:
        assert stamp(history(specs)) == []
        return
    (stamped,) = stamp(history(specs))
    present = [n for n, s in enumerate(said) if s is not None]
    # a change: different from the release before, or back after a release without it
    changes = [n for n in present[1:] if said[n - 1] is None or said[n] != said[n - 1]]
    assert stamped.sequence == len(changes)
    last = changes[-1] if changes else present[0]
    assert stamped.since == D(2021, 1, 1) + dt.timedelta(days=last)
    assert stamped.modified == dt.datetime(2021, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=last)
    assert stamped.created == dt.datetime(2021, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=present[0])


def test_a_new_calendar_holding_an_event_is_not_a_change_of_the_event():
    moved = replace(SPEC, types=frozenset({"autre"}))
    (stamped,) = stamp(history([SPEC, moved]))
    assert stamped.sequence == 0 and stamped.spec.types == frozenset({"autre"})


times = st.none() | st.sampled_from(["00:00:00", "08:45:00", "14:00:00"])
FIELDS = {
    "rule_type": st.sampled_from(["slot_release", "walk_in", "opening_hours"]),
    "weekdays": st.lists(st.sampled_from(list(WEEKDAY_CODES)), unique=True, max_size=4),
    "frequency": st.sampled_from(["weekly", "monthly", None]),
    "time": times,
    "start_time": times,
    "end_time": times,
    "period": st.sampled_from([None, "morning", "afternoon", "all_day"]),
    "visibility_weeks": st.sampled_from([None, 4]),
    "capacity": st.sampled_from([None, 10, 12]),
    "applies_to": st.sampled_from([None, "Étudiants"]),
}
edits = st.one_of(*(st.tuples(st.just(name), values) for name, values in FIELDS.items()))


@given(st.builds(rule, **FIELDS), st.lists(edits, max_size=12), st.sampled_from(i18n.languages()))
def test_a_rules_sentence_is_said_once_for_all_the_rules_that_say_the_same(one, changes, language):
    """A large table repeats one rule under thousands of types: its sentence is said once per
    language, and it is the sentence of each copy, whatever its identifiers, and not that of a
    rule that differs by any other field, in every language (``_rule_sentence``: said afresh)."""
    with i18n.language(language):
        for n, (name, value) in enumerate([("applies_to", one["applies_to"]), *changes]):
            one = {**one, name: value}
            copy = {**one, "rule_id": f"copie-{n}", "channel_id": f"modalite-{n}"}
            expected = french._rule_sentence(one)
            assert french.rule_sentence(one) == french.rule_sentence(copy) == expected
    with i18n.language(i18n.DEFAULT):
        assert french.rule_sentence(one) == french._rule_sentence(one)  # not another language's
