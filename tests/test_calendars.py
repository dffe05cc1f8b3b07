"""The iCalendar feeds of the site (``website/calendars.py``), read back from real releases
(``tests/calendar_series.py``) by two independent parsers, icalendar and vobject: one calendar
per type and one for all, events that say the published rules, stable UIDs whose SEQUENCE rises
when a rule changes, no stale event, and the same bytes when nothing changed."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
import vobject
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from core import i18n
from publish import layout
from publish.release.store import ReleaseStore
from tests.calendar_series import (
    BASE_URL,
    FIRST_REQUESTS,
    OTHERS,
    RENEWALS,
    STEPS,
    STUDENTS,
    UNREAD,
    WALK_IN_TYPE,
    WITHDRAWAL,
    calendar_files,
    published_at,
)
from tests.ical_reference import calendar_component
from website.build import build_site, site_freshness
from website.calendar_events import uid
from website.calendars import (
    Latest,
    calendar_docs,
    store_history,
    subscription,
    type_subscriptions,
)
from website.feeds import SAFE_ID
from website.ical import Renderer

PARIS = ZoneInfo("Europe/Paris")
DOMAIN = "@isere-modalites-rdv-sejour"


def parsed(data: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(data)


def events(data: bytes) -> dict[str, Any]:
    """The VEVENTs of a calendar by UID (each UID once)."""
    found = [e for e in parsed(data).walk("VEVENT")]
    by_uid = {str(e["UID"]): e for e in found}
    assert len(by_uid) == len(found), "a UID twice in one calendar"
    return by_uid


def rows(series: Any, version: str, resource: str) -> list[dict[str, Any]]:
    path = series.output / layout.release_dir(version) / layout.data_file(resource, ".json")
    return json.loads(path.read_text("utf-8"))


def rule_uid(rule_id: str) -> str:
    return uid("slot-rule", rule_id)


def type_path(type_id: str) -> str:
    return layout.type_calendar(type_id)


def description(data: bytes) -> str:
    return str(parsed(data)["DESCRIPTION"])


def instant(value: Any) -> Any:
    """A DTSTART as a comparable value: a datetime in UTC, or a date."""
    return value.astimezone(dt.UTC) if isinstance(value, dt.datetime) else value


# --- two parsers -------------------------------------------------------------------------------


def test_every_calendar_is_read_alike_by_icalendar_and_vobject(calendar_series):
    checked = 0
    for files in calendar_series.calendars.values():
        for name, data in files.items():
            mine = parsed(data)
            theirs = vobject.readOne(data.decode("utf-8"))
            assert str(mine["VERSION"]) == theirs.version.value == "2.0"
            assert str(mine["DESCRIPTION"]) == theirs.description.value
            # icalendar 7 keeps the TEXT escapes of NAME and X-WR-CALNAME (it does not know
            # them as text); vobject reads them
            assert theirs.x_wr_calname.value == theirs.contents["name"][0].value
            assert theirs.x_wr_calname.value.startswith("Rendez-vous titres de séjour en Isère")
            assert [str(z["TZID"]) for z in mine.walk("VTIMEZONE")] == ["Europe/Paris"]
            ours = {str(e["UID"]): e for e in mine.walk("VEVENT")}
            other = {e.uid.value: e for e in getattr(theirs, "vevent_list", [])}
            assert sorted(ours) == sorted(other), name
            for key, event in ours.items():
                twin = other[key]
                assert str(event["SUMMARY"]) == twin.summary.value
                assert int(event["SEQUENCE"]) == int(twin.sequence.value)
                assert instant(event["DTSTART"].dt) == instant(twin.dtstart.value)
                assert event["DTSTAMP"].dt == twin.dtstamp.value
                checked += 1
    assert checked > 20


def test_one_calendar_for_all_types_and_one_per_type_ever_published(calendar_series):
    types = {t["type_id"] for t in rows(calendar_series, "1.0.0", "appointment_types")}
    expected = {layout.MAIN_CALENDAR, *(type_path(t) for t in types)}
    for files in calendar_series.calendars.values():
        assert set(files) == expected  # « Démarches autres », gone in 1.1.0, keeps its calendar
    gone = calendar_series.calendars["1.2.0"][type_path(OTHERS)]
    assert events(gone) == {}
    assert "n'est plus dans le tableau de la préfecture" in description(gone)
    assert vobject.readOne(gone.decode()).x_wr_calname.value == (
        "Rendez-vous titres de séjour en Isère : Démarches autres"
    )


# --- what the events say -----------------------------------------------------------------------


def test_a_slot_release_is_a_weekly_event_at_its_time_with_an_alarm_and_the_link(
    calendar_series,
):
    rule = next(
        r
        for r in rows(calendar_series, "1.0.0", "slot_rules")
        if r["channel_id"] == f"{RENEWALS}--online-booking"
    )
    channel = next(
        c
        for c in rows(calendar_series, "1.0.0", "channels")
        if c["channel_id"] == rule["channel_id"]
    )
    files = calendar_series.calendars["1.0.0"]
    event = events(files[type_path(RENEWALS)])[rule_uid(rule["rule_id"])]
    assert event["DTSTART"].dt == dt.datetime(2020, 12, 21, 0, 0, tzinfo=PARIS)  # first Monday
    assert str(event["DTSTART"].params["TZID"]) == "Europe/Paris"
    assert event["RRULE"]["FREQ"] == ["WEEKLY"] and event["RRULE"]["BYDAY"] == ["MO"]
    assert str(event["URL"]) == channel["url"]
    assert str(event["LOCATION"]) == "Préfecture"
    assert "visibles 6 semaines à l'avance" in str(event["DESCRIPTION"])
    (alarm,) = event.walk("VALARM")
    assert alarm["TRIGGER"].dt == -dt.timedelta(minutes=10)
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert str(alarm["DESCRIPTION"]) == (
        "Les créneaux « Renouvellements de titre de séjour » ouvrent dans 10 minutes."
    )
    assert rule_uid(rule["rule_id"]) == (
        f"slot-rule/{RENEWALS}--online-booking--slot-release{DOMAIN}"
    )


def test_a_walk_in_without_hours_says_so_and_invents_none(calendar_series):
    files = calendar_series.calendars["1.0.0"]
    (event,) = events(files[type_path(WALK_IN_TYPE)]).values()
    assert str(event["SUMMARY"]) == (
        "Accueil sans rendez-vous (l'après-midi, horaires non précisés) : "
        "Dépôt des dossiers d'admission exceptionnelle au séjour"
    )
    start = event["DTSTART"].dt
    assert type(start) is dt.date and start == dt.date(2020, 12, 23)  # a day, no hour
    assert event["RRULE"]["BYDAY"] == ["WE"]
    assert event.walk("VALARM") == []
    assert "dans la limite de 10 places" in str(event["DESCRIPTION"])


def test_every_rule_with_days_is_one_event_of_the_calendar_of_all(calendar_series):
    for version, files in calendar_series.calendars.items():
        found = events(files[layout.MAIN_CALENDAR])
        rules = {rule_uid(r["rule_id"]) for r in rows(calendar_series, version, "slot_rules")}
        assert rules <= set(found), version
        others = set(found) - rules
        assert all(key.startswith(("closure/", "place/")) for key in others), others
        # each type's calendar holds exactly the events of that type's rules, closures, places
        for name, data in files.items():
            assert set(events(data)) <= set(found), name


def test_the_last_day_of_a_place_is_an_all_day_event(calendar_series):
    files = calendar_series.calendars["1.0.0"]
    key = uid("place", "antenne-campus/valid-until")
    for name in (layout.MAIN_CALENDAR, type_path(STUDENTS)):
        event = events(files[name])[key]
        assert event["DTSTART"].dt == dt.date(2020, 12, 18)
        assert event["DTEND"].dt == dt.date(2020, 12, 19)
        assert str(event["SUMMARY"]) == "Dernier jour d'accueil des rendez-vous : Antenne Campus"
        assert "à partir du 19 décembre 2020, ce lieu n'accueille plus" in str(event["DESCRIPTION"])
    assert key not in events(files[type_path(RENEWALS)])  # the renewals are at the Préfecture


def test_a_closure_is_all_day_and_the_walk_in_skips_its_days(calendar_series):
    files = calendar_series.calendars["1.1.0"]
    closure = events(files[type_path(WALK_IN_TYPE)])[uid("closure", "prefecture/2021-03-29")]
    assert closure["DTSTART"].dt == dt.date(2021, 3, 29)
    assert closure["DTEND"].dt == dt.date(2021, 4, 3)  # exclusive: closed until 2 April
    assert str(closure["SUMMARY"]) == "Fermeture : Préfecture"
    # every type received at the Préfecture gets the closure, the others do not
    assert uid("closure", "prefecture/2021-03-29") in events(files[type_path(RENEWALS)])
    assert uid("closure", "prefecture/2021-03-29") not in events(files[type_path(STUDENTS)])
    calendar = parsed(files[type_path(WALK_IN_TYPE)])
    days = sorted(
        o["DTSTART"].dt.date()
        for o in recurring_ical_events.of(calendar).between((2021, 3, 22), (2021, 4, 10))
        if "Accueil" in str(o["SUMMARY"])
    )
    expected = [dt.date(2021, 3, d) for d in (22, 23, 24, 25)]
    expected += [dt.date(2021, 4, d) for d in (5, 6, 7, 8)]
    assert days == expected


def test_an_unread_sentence_gives_no_event_but_each_calendar_of_its_type_names_it(
    calendar_series,
):
    files = calendar_series.calendars["1.1.0"]
    for name in (layout.MAIN_CALENDAR, type_path(RENEWALS)):
        assert f"« {UNREAD} »" in description(files[name])
        assert all("premier" not in str(e["SUMMARY"]) for e in events(files[name]).values())
    assert UNREAD not in description(files[type_path(WALK_IN_TYPE)])
    assert UNREAD not in description(calendar_series.calendars["1.0.0"][layout.MAIN_CALENDAR])


def test_a_calendar_says_when_its_facts_were_observed_and_that_no_hour_is_invented(
    calendar_series,
):
    said = " ".join(description(calendar_series.calendars["1.2.0"][type_path(RENEWALS)]).split())
    assert "relevées sur le site de la préfecture le 11/02/2021 (version 1.2.0" in said
    assert "Aucune heure n'est inventée" in said
    priority = "1eres-demandes-de-titre-de-sejour-prioritaires"  # a form: no rule, no date
    nothing = calendar_series.calendars["1.0.0"][type_path(priority)]
    assert events(nothing) == {}
    assert "Pas d'événement pour l'instant" in description(nothing)
    closed = calendar_series.calendars["1.1.0"][type_path(priority)]  # the Préfecture closes
    assert list(events(closed)) == [uid("closure", "prefecture/2021-03-29")]
    assert "Pas d'événement pour l'instant" not in description(closed)


# --- history: UIDs, SEQUENCE, DTSTAMP ----------------------------------------------------------


def _event(series: Any, version: str, type_id: str, rule_id: str) -> Any:
    return events(series.calendars[version][type_path(type_id)]).get(rule_uid(rule_id))


def test_a_changed_rule_keeps_its_uid_and_raises_its_sequence(calendar_series):
    renewals = f"{RENEWALS}--online-booking--slot-release"
    first = f"{FIRST_REQUESTS}--online-booking--slot-release"
    stamps = {version: published_at(epoch) for version, epoch, _, _ in STEPS}
    seen = {v: _event(calendar_series, v, RENEWALS, renewals) for v in stamps}
    assert [int(seen[v]["SEQUENCE"]) for v in stamps] == [0, 1, 1]
    assert seen["1.1.0"]["DTSTART"].dt == dt.datetime(2021, 1, 19, 9, 30, tzinfo=PARIS)  # Tuesday
    assert [seen[v]["DTSTAMP"].dt for v in stamps] == [
        stamps["1.0.0"],
        stamps["1.1.0"],
        stamps["1.1.0"],  # unchanged in 1.2.0: the same stamp, the same bytes
    ]
    assert seen["1.2.0"]["CREATED"].dt == stamps["1.0.0"]
    assert seen["1.1.0"].to_ical() == seen["1.2.0"].to_ical()
    again = {v: _event(calendar_series, v, FIRST_REQUESTS, first) for v in stamps}
    assert [int(again[v]["SEQUENCE"]) for v in stamps] == [0, 0, 1]
    assert again["1.2.0"]["DTSTART"].dt.time() == dt.time(8, 0)
    assert again["1.2.0"]["LAST-MODIFIED"].dt == stamps["1.2.0"]


def test_the_uids_of_rules_that_stay_never_change(calendar_series):
    before = events(calendar_series.calendars["1.0.0"][layout.MAIN_CALENDAR])
    after = events(calendar_series.calendars["1.1.0"][layout.MAIN_CALENDAR])
    ids = [
        {r["rule_id"] for r in rows(calendar_series, v, "slot_rules")} for v in ("1.0.0", "1.1.0")
    ]
    kept = ids[0] & ids[1]
    assert len(kept) == 5  # the walk-in, whose hours changed, among them
    assert {rule_uid(r) for r in kept} <= set(before) & set(after)


def test_a_removed_rule_leaves_no_event(calendar_series):
    gone = rule_uid(f"{WITHDRAWAL}--online-booking--slot-release")
    assert gone in events(calendar_series.calendars["1.0.0"][layout.MAIN_CALENDAR])
    for version in ("1.1.0", "1.2.0"):
        for name, data in calendar_series.calendars[version].items():
            assert gone not in events(data), (version, name)
    assert events(calendar_series.calendars["1.1.0"][type_path(WITHDRAWAL)]) == {}


def test_rebuilding_the_site_gives_the_same_calendar_bytes(calendar_series, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(STEPS[-1][1]))  # the last run's clock
    store = ReleaseStore(calendar_series.output, base_url=BASE_URL)
    build_site(store)
    rebuilt = calendar_files(calendar_series.output / layout.SITE_DIR)
    assert rebuilt == calendar_series.calendars["1.2.0"]


# --- the site's links --------------------------------------------------------------------------


def test_the_home_page_links_every_calendar_for_subscription(calendar_series):
    site = calendar_series.output / layout.SITE_DIR
    page = BeautifulSoup((site / layout.SITE_INDEX).read_text("utf-8"), "html.parser")
    base = f"{BASE_URL}/{layout.SITE_DIR}/"
    targets = []
    for block in page.select("p.calendar"):
        webcal, https = [a["href"] for a in block.find_all("a")]
        assert https.startswith(base) and webcal == "webcal" + https.removeprefix("https")
        assert block.find("a").get_text() == "S'abonner"
        targets.append(https.removeprefix(base))
    sections = page.select("section.type")
    assert targets[0] == layout.MAIN_CALENDAR
    assert targets[1:] == [type_path(s["id"]) for s in sections]
    assert all((site / target).is_file() for target in targets)
    assert all(s.select_one("p.calendar") is not None for s in sections)


def test_the_renderer_writes_the_bytes_of_the_whole_icalendar_object(calendar_series, monkeypatch):
    """Each event and the VTIMEZONE are serialised once per build and joined: the bytes are
    exactly icalendar's for the whole calendar."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(STEPS[-1][1]))  # the last run's clock
    store = ReleaseStore(calendar_series.output, base_url=BASE_URL)
    history = store_history(store)
    last = store.catalog()[-1]
    latest = Latest(
        last["version"],
        history[-1].published,
        last["source_observed"],
        store.package(last["version"]).rows,
        BASE_URL,
        tuple(site_freshness(store, last).lines()),
    )
    types = [
        (t["type_id"], t["label"]) for t in rows(calendar_series, "1.0.0", "appointment_types")
    ]
    renderer = Renderer()
    docs = calendar_docs(history, latest, types)
    assert sum(len(doc.events) for doc in docs) > len(docs)  # events shared between calendars
    for doc in docs:
        assert renderer.calendar(doc) == calendar_component(doc).to_ical()
        assert renderer.calendar(doc) == calendar_series.calendars["1.2.0"][doc.path]


URLS = r"[a-z]{2,8}://[^/?#\s]{0,20}(/[^\s]{0,20})?"


@settings(max_examples=300)
@given(
    st.text(max_size=60) | st.from_regex(URLS, fullmatch=True),
    st.lists(st.from_regex(SAFE_ID) | st.text(max_size=8), max_size=5),
    st.sampled_from(i18n.languages()),
)
def test_each_types_links_are_those_of_its_own_address(base_url, type_ids, language):
    """The addresses of thousands of types' calendars are made from their folder's, split once:
    each is the one ``subscription`` makes from the type's own address, whatever the base URL
    (a query, a fragment, no scheme, no host) and in every language; a base URL that
    ``urlsplit`` refuses is refused alike."""
    with i18n.language(language):
        try:
            expected = {
                t: subscription(base_url, layout.type_calendar(t))
                for t in type_ids
                if SAFE_ID.match(t)
            }
        except ValueError:
            with pytest.raises(ValueError):
                type_subscriptions(base_url, type_ids)
            return
        assert type_subscriptions(base_url, type_ids) == expected
