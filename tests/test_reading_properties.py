"""Properties of the reader, beyond the examples of the corpus.

- Round trip: typed facts rendered in many French phrasings read back as the same facts,
  ``read(render(fact)) == fact``.
- Mutation: changing any digit, day or month name of the bundled snapshot either changes the
  typed data or is refused; it never leaves the typed data as it was.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import RdvError
from extract import extract_table
from normalise import normalise
from normalise.lexicon import DAY_NAMES_FR, MONTH_NAMES_FR, WEEKDAY_VALUES
from rdv_opendata.settings import DEFAULT_SOURCE
from schemas import registry
from tests.phrasing import read_facts

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --- rendering typed facts in French ------------------------------------------------------------

UNITS = (
    "zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize"
).split()
TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}


def number_in_words(n: int) -> str:
    """1..69 in French words (« vingt et un », « quarante-deux »)."""
    if n < 17:
        return UNITS[n]
    if n < 20:
        return "dix-" + UNITS[n - 10]
    tens, unit = divmod(n, 10)
    if unit == 0:
        return TENS[tens]
    return f"{TENS[tens]} et un" if unit == 1 else f"{TENS[tens]}-{UNITS[unit]}"


@st.composite
def number(draw, n: int) -> str:
    return draw(st.sampled_from([str(n), number_in_words(n)]))


@st.composite
def clock(draw, value: dt.time) -> str:
    h, m = value.hour, value.minute
    forms = [f"{h}h{m:02d}", f"{h:02d}h{m:02d}", f"{h} h {m:02d}", f"{h}:{m:02d}"]
    if m == 0:
        forms += [f"{h}h", f"{h} h", f"{h} heures"]
    if (h, m) == (12, 0):
        forms.append("midi")
    if (h, m) == (0, 0):
        forms.append("minuit")
    return draw(st.sampled_from(forms))


def day_list(days: list[str], article: str) -> str:
    names = [DAY_NAMES_FR[d] for d in days]
    if article == "le":
        names = [f"le {n}" for n in names]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " et " + names[-1]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " et " + names[-1]
    return f"les {listed}" if len(names) > 1 else f"le {listed}"


@st.composite
def days_phrase(draw, days: list[str]) -> str:
    forms = [day_list(days, "le"), day_list(days, "les")]
    if len(days) == 1:
        name = DAY_NAMES_FR[days[0]]
        forms += [f"chaque {name}", f"tous les {name}s"]
    indexes = [WEEKDAY_VALUES.index(d) for d in days]
    if len(days) > 1 and indexes == list(range(indexes[0], indexes[-1] + 1)):
        forms.append(f"du {DAY_NAMES_FR[days[0]]} au {DAY_NAMES_FR[days[-1]]}")
    return draw(st.sampled_from(forms))


times = st.builds(dt.time, st.integers(0, 23), st.sampled_from([0, 0, 15, 30, 45, 5, 59]))
some_days = st.sets(st.sampled_from(WEEKDAY_VALUES[:6]), min_size=1, max_size=5).map(
    lambda chosen: [d for d in WEEKDAY_VALUES if d in chosen]
)


@st.composite
def slot_release(draw):
    day = draw(st.sampled_from(WEEKDAY_VALUES[:6]))
    at = draw(times)
    weeks = draw(st.integers(1, 52))
    head = draw(
        st.sampled_from(
            [
                "Ouverture des créneaux",
                "Les créneaux sont ouverts",
                "Les nouveaux créneaux sont mis en ligne",
                "Mise en ligne des créneaux",
                "Ouverture des créneaux de semaine en semaine",
            ]
        )
    )
    release = f"{head} {draw(days_phrase([day]))} à {draw(clock(at))}."
    visibility = draw(
        st.sampled_from(
            [
                "Visibilité à {} semaines.",
                "Visibilité de {} semaines.",
                "Visibilité : {} semaines.",
                "Les créneaux sont visibles {} semaines à l'avance.",
            ]
        )
    ).format(draw(number(weeks)))
    expected = {
        "rule_type": "slot_release",
        "weekdays": [day],
        "time": at.isoformat(),
        "frequency": "weekly",
        "visibility_weeks": weeks,
    }
    return f"{release} {visibility}", expected


@given(slot_release())
@SETTINGS
def test_a_slot_release_reads_back_as_written(case):
    text, expected = case
    assert read_facts(remarks=text)["rules"] == [expected]


@st.composite
def hours(draw):
    start = draw(times)
    end = draw(times.filter(lambda t: t > start))
    form = draw(st.sampled_from(["de {} à {}", "entre {} et {}", "{}-{}", "de {} jusqu'à {}"]))
    return form.format(draw(clock(start)), draw(clock(end))), start, end


@st.composite
def walk_in_or_phone(draw):
    days = draw(some_days)
    kind = draw(st.sampled_from(["walk_in", "phone"]))
    when = draw(days_phrase(days))
    expected = {"weekdays": days, "frequency": "weekly"}
    if kind == "walk_in" and draw(st.booleans()):
        period = draw(st.sampled_from(["morning", "afternoon", "all_day"]))
        said = {"morning": "matin", "afternoon": "après-midi", "all_day": "toute la journée"}
        when += (", " if period == "all_day" else " ") + said[period]
        expected["period"] = period
    else:
        said, start, end = draw(hours())
        when += f" {said}"
        expected |= {"start_time": start.isoformat(), "end_time": end.isoformat()}
    channel: dict = {"channel_type": kind}
    if kind == "phone":
        digits = draw(st.sampled_from(["476603400", "465719876", "140204060"]))
        national = "0" + digits
        written = draw(
            st.sampled_from(
                [
                    " ".join(national[i : i + 2] for i in range(0, 10, 2)),
                    ".".join(national[i : i + 2] for i in range(0, 10, 2)),
                    national,
                    "+33 " + digits[0] + " " + " ".join(digits[i : i + 2] for i in (1, 3, 5, 7)),
                ]
            )
        )
        text = f"Par téléphone au {written}, {when}"
        channel["phone"] = "+33" + digits
        rule_type = "opening_hours"
    else:
        head = draw(st.sampled_from(["Sans rendez-vous", "Accueil sans rendez-vous"]))
        text = f"{head}, {when}" if draw(st.booleans()) else f"{head} {when}"
        rule_type = "walk_in"
        if draw(st.booleans()):
            places = draw(st.integers(1, 60))
            form = draw(st.sampled_from(["dans la limite de {} places", "{} places disponibles"]))
            text += ", " + form.format(draw(number(places)))
            expected["capacity"] = places
    return text, channel, {"rule_type": rule_type, **expected}


@given(walk_in_or_phone())
@SETTINGS
def test_walk_in_and_phone_hours_read_back_as_written(case):
    text, channel, rule = case
    found = read_facts(modalities=text)
    assert found["channel"] == channel
    assert found["rules"] == [dict(sorted(rule.items(), key=lambda kv: ORDER.index(kv[0])))]


ORDER = registry.field_names("slot_rules")


@st.composite
def date_phrase(draw, value: dt.date, with_year: bool = True) -> str:
    day = "1er" if value.day == 1 and draw(st.booleans()) else str(value.day)
    month = MONTH_NAMES_FR[value.month]
    weekday = DAY_NAMES_FR[WEEKDAY_VALUES[value.weekday()]] + " " if draw(st.booleans()) else ""
    year = f" {value.year}" if with_year else ""
    numeric = f"{value.day:02d}/{value.month:02d}" + (f"/{value.year}" if with_year else "")
    return draw(st.sampled_from([f"{weekday}{day} {month}{year}", numeric]))


dates = st.dates(dt.date(2019, 1, 1), dt.date(2030, 12, 31))


@st.composite
def place(draw):
    until = draw(dates)
    start = until - dt.timedelta(days=draw(st.integers(0, 299)))
    kind = draw(st.sampled_from(["until", "closure"]))
    if kind == "until":
        text = f"Antenne Campus (jusqu'au {draw(date_phrase(until))})"
        return text, {"name": "Antenne Campus", "valid_until": until.isoformat()}, []
    # the year (and the month) may be given once, at the end
    first = draw(date_phrase(start, with_year=start.year != until.year or draw(st.booleans())))
    text = f"Antenne Campus (fermée du {first} au {draw(date_phrase(until))})"
    return text, {"name": "Antenne Campus"}, [[start.isoformat(), until.isoformat()]]


@given(place())
@SETTINGS
def test_validity_and_closures_read_back_as_written(case):
    text, where, closures = case
    found = read_facts(place=text)
    assert (found["place"], found["closures"]) == ([where], closures)


# --- mutations of the snapshot ------------------------------------------------------------------

SEED = DEFAULT_SOURCE.read_text(encoding="utf-8")
NAMES = sorted({*DAY_NAMES_FR.values(), *MONTH_NAMES_FR.values()}, key=len, reverse=True)
MUTABLE = re.compile(r"\d|\b(?:" + "|".join(NAMES) + r")\b")
SITES = [m for m in MUTABLE.finditer(SEED)]


def typed(text: str) -> dict:
    data = normalise(extract_table(text.encode("utf-8")))
    return {name: rows for name, rows in data.items() if name != "source_cells"}


ORIGINAL = typed(SEED)


@st.composite
def mutation(draw):
    site = draw(st.sampled_from(SITES))
    old = site.group(0)
    if old.isdigit():
        new = draw(st.sampled_from([d for d in "0123456789" if d != old]))
    else:
        same_kind = (
            DAY_NAMES_FR.values() if old in DAY_NAMES_FR.values() else MONTH_NAMES_FR.values()
        )
        new = draw(st.sampled_from([n for n in same_kind if n != old]))
    return SEED[: site.start()] + new + SEED[site.end() :], (site.start(), old, new)


def test_the_snapshot_has_facts_to_mutate():
    assert len(SITES) > 50
    assert any(m.group(0) == "lundi" for m in SITES)


@pytest.mark.slow
@given(mutation())
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_changed_digit_or_day_changes_the_data_or_is_refused(case):
    text, where = case
    try:
        found = typed(text)
    except RdvError:
        return  # refused: safe
    assert found != ORIGINAL, f"mutation {where} left the typed data unchanged"
