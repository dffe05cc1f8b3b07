"""The calendars' own serialiser (``website/ical.py``, ``website/ical_lines.py``) against the
``icalendar`` library (``tests/ical_reference.py``, the builders the site used before): for
arbitrary event texts (non-ASCII, emoji, long lines, commas, semicolons, backslashes, carets,
line breaks, lone CRs), dates, times, stamps and fields, the bytes are icalendar's, byte for
byte, and icalendar reads them back as the values written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
import pytest
import vobject
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.ical_reference import calendar_component, paris_timezone
from website.calendar_events import WEEKDAY_CODES, Days, EventSpec, Weekly
from website.ical import (
    PARIS,
    TZID,
    ZONE,
    CalendarDoc,
    Placed,
    Stamped,
    Timing,
    render_calendar,
)
from website.ical_lines import duration, fold, text, uri
from website.ical_lines import utc as said_utc

#: the characters that make folding and escaping hard, and some of every UTF-8 length
HARD = list('ab N\\^;,:"\n\r\té€😀\u0301\u2028')
texts = st.one_of(
    st.text(),
    st.text(alphabet=st.sampled_from(HARD), max_size=400),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=60, max_size=400),
)
#: a URI is written as it is: anything but a line break, nor a backslash (no URI character,
#: RFC 3986, and icalendar's reader takes it for an escape)
uris = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\r\n\\"), max_size=200)
days = st.dates(min_value=dt.date(2, 1, 1), max_value=dt.date(9998, 12, 1))
zones: st.SearchStrategy[Any] = st.sampled_from(
    [None, dt.UTC, PARIS, dt.timezone(dt.timedelta(hours=-9, minutes=-30)), dt.timezone.max]
)
moments = st.datetimes(
    min_value=dt.datetime(2, 1, 1), max_value=dt.datetime(9998, 12, 1), timezones=zones
)


@st.composite
def whens(draw: Any) -> tuple[Weekly | Days, Timing]:
    first = draw(days)
    last = draw(st.none() | st.dates(min_value=first, max_value=dt.date(9998, 12, 1)))
    if draw(st.booleans()):
        end = last or first
        return Days(first, end), Timing(first, end)
    weekdays = tuple(draw(st.lists(st.sampled_from(list(WEEKDAY_CODES)), min_size=1, unique=True)))
    start = draw(st.none() | st.times())
    weekly = Weekly(weekdays, start=start, end=draw(st.none() | st.times()) if start else None)
    skipped = tuple(draw(st.lists(st.dates(min_value=first, max_value=last or first))))
    return weekly, Timing(first, last, skipped)


@st.composite
def placed(draw: Any, uid: str) -> Placed:
    when, timing = draw(whens())
    spec = EventSpec(
        uid=uid,
        summary=draw(texts),
        description=draw(texts),
        when=when,
        url=draw(st.none() | uris),
        location=draw(st.none() | texts),
        alarm=draw(st.none() | texts),
    )
    created = draw(moments)
    stamped = Stamped(spec, draw(st.integers(-5, 10**9)), timing.first, created, draw(moments))
    return Placed(stamped, timing)


@st.composite
def docs(draw: Any) -> CalendarDoc:
    uids = draw(st.lists(texts, unique=True, max_size=4))
    return CalendarDoc(
        path="calendar.ics",
        name=draw(texts),
        description=draw(texts),
        page=draw(uris),
        source=draw(uris),
        last_modified=draw(moments),
        events=tuple(draw(placed(uid)) for uid in uids),
    )


def said(value: str) -> str:
    """A TEXT as a reader gets it back: every line break a LF (and ``\\N``, icalendar's
    escape of one, read as a line break before it writes)."""
    return value.replace("\\N", "\n").replace("\r\n", "\n").replace("\r", "\n")


def utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC) if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def seconds(moment: Any) -> Any:
    return moment.replace(microsecond=0)


def local(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, seconds(time))


def check_dates(event: Any, placed: Placed) -> None:
    """DTSTART, DTEND and EXDATE read back as the event's days, or its Paris times."""
    when, timing = placed.stamped.spec.when, placed.timing
    start = when.start if isinstance(when, Weekly) else None
    begins = event["DTSTART"].dt
    if start is None:
        assert begins == timing.first and not isinstance(begins, dt.datetime)
        last = (timing.last or timing.first) if isinstance(when, Days) else timing.first
        assert event["DTEND"].dt == last + dt.timedelta(days=1)
        skipped = [d.dt for d in event["EXDATE"].dts] if "EXDATE" in event else []
        assert skipped == list(timing.skipped)
        return
    assert str(event["DTSTART"].params["TZID"]) == TZID
    assert begins.replace(tzinfo=None) == local(timing.first, start)
    skipped = [d.dt.replace(tzinfo=None) for d in event["EXDATE"].dts] if "EXDATE" in event else []
    assert skipped == [local(day, start) for day in timing.skipped]


def check_event(event: Any, placed: Placed) -> None:
    stamped, spec = placed.stamped, placed.stamped.spec
    assert str(event["UID"]) == said(spec.uid)
    assert str(event["SUMMARY"]) == said(spec.summary)
    assert str(event["DESCRIPTION"]) == said(spec.description)
    assert str(event.get("LOCATION", "")) == said(spec.location or "")
    assert str(event.get("URL", "")) == (spec.url or "")
    assert int(event["SEQUENCE"]) == stamped.sequence
    assert event["DTSTAMP"].dt == event["LAST-MODIFIED"].dt == seconds(utc(stamped.modified))
    assert event["CREATED"].dt == seconds(utc(stamped.created))
    alarms = event.walk("VALARM")
    assert [str(a["DESCRIPTION"]) for a in alarms] == ([said(spec.alarm)] if spec.alarm else [])
    check_dates(event, placed)
    if isinstance(spec.when, Weekly):
        rule = event["RRULE"]
        assert rule.get("BYDAY", []) == [WEEKDAY_CODES[d] for d in spec.when.weekdays]


def check_read_back(data: bytes, doc: CalendarDoc) -> None:
    calendar: Any = icalendar.Calendar.from_ical(data)
    assert str(calendar["DESCRIPTION"]) == said(doc.description)
    assert (str(calendar["URL"]), str(calendar["SOURCE"])) == (doc.page, doc.source)
    assert calendar["LAST-MODIFIED"].dt == seconds(utc(doc.last_modified))
    assert [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")] == [TZID]
    events = calendar.walk("VEVENT")
    assert len(events) == len(doc.events)
    for event, placed in zip(events, doc.events, strict=True):
        check_event(event, placed)


@settings(max_examples=300, deadline=None)
@given(docs())
def test_the_calendars_bytes_are_icalendars_and_read_back_as_written(doc):
    ours = render_calendar(doc)
    assert ours == calendar_component(doc).to_ical()
    check_read_back(ours, doc)


@settings(max_examples=500)
@given(texts)
@example("x" * 73 + "\\;")  # an escape across the fold: its backslash goes to the next line
@example("é" * 37 + "a")  # a two-octet character that would end at the 75th octet
@example("^" * 200)
def test_a_text_line_is_folded_and_escaped_as_icalendar_does(value):
    event = icalendar.Event()
    event.add("summary", value)
    expected = event.to_ical().removeprefix(b"BEGIN:VEVENT\r\n").removesuffix(b"END:VEVENT\r\n")
    ours = fold(f"SUMMARY:{text(value)}")
    assert ours == expected
    assert all(len(physical) <= 75 for physical in ours.split(b"\r\n"))
    assert str(
        icalendar.Event.from_ical(b"BEGIN:VEVENT\r\n" + ours + b"END:VEVENT\r\n")["SUMMARY"]
    ) == said(value)


def test_the_calendar_name_reads_back_with_vobject():
    """icalendar keeps NAME and X-WR-CALNAME escaped (it does not know them as TEXT): vobject
    reads them."""
    name = "Rendez-vous, « tous »; les\\types 😀 " + "é" * 50
    doc = CalendarDoc(
        "calendar.ics", name, "d", "https://p", "https://s", dt.datetime(2021, 1, 1), ()
    )
    read = vobject.readOne(render_calendar(doc).decode("utf-8"))
    assert read.x_wr_calname.value == read.contents["name"][0].value == name


@given(st.timedeltas())
def test_a_duration_is_said_as_icalendar_does(span):
    assert duration(span) == icalendar.vDuration(span).to_ical().decode()


def test_the_vtimezone_is_icalendars():
    assert ZONE == paris_timezone().to_ical()


@pytest.mark.parametrize("address", ["https://a.example/\nX", "https://a.example/\r"])
def test_a_line_break_in_an_address_is_refused_as_icalendar_refuses_it(address):
    with pytest.raises(ValueError, match="line break"):
        uri(address)
    with pytest.raises(ValueError, match="CR or LF"):
        icalendar.vUri(address)


def test_both_readings_of_an_ambiguous_paris_time_are_said_in_utc():
    """23 h on 9 April 1927 came twice in Paris: equal datetimes for Python (same tzinfo), two
    moments for iCalendar (found by hypothesis)."""
    first = dt.datetime(1927, 4, 9, 23, 0, tzinfo=PARIS)
    second = first.replace(fold=1)
    assert first == second and first.astimezone(dt.UTC) != second.astimezone(dt.UTC)
    for moment in (first, second):
        event = icalendar.Event()
        event.add("dtstamp", moment)
        assert f"DTSTAMP:{said_utc(moment)}".encode() in event.to_ical()
