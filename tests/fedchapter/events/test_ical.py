from __future__ import annotations

from datetime import UTC, datetime

import icalendar
import recurring_ical_events

from fedchapter.events.ical import calendar_for, event_ics
from fedchapter.events.model import Event, EventStatus, Place
from fedchapter.events.recurrence import cancel_occurrence, move_occurrence, occurrences

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
YEAR_START, YEAR_END = datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)


def url_for(event: Event) -> str:
    return f"https://london.example/events/{event.id}"


def london_meeting(**changes: object) -> Event:
    fields: dict[str, object] = dict(
        id="mtg", title="Monthly meeting", description="## Agenda\n\n- **Campaign** update",
        start_local=datetime(2026, 1, 27, 18, 30), end_local=datetime(2026, 1, 27, 20, 30),
        timezone="Europe/London", created_at=NOW, updated_at=NOW,
        location=Place(name="Birkbeck", street="Malet Street", locality="London", postal_code="WC1E 7HX",
                       lat=51.5219, lon=-0.1303),
        rrule="FREQ=MONTHLY;BYDAY=-1TU", category="MOVEMENTS_POLITICS",
    )
    fields.update(changes)
    return Event(**fields)  # type: ignore[arg-type]


def melbourne_webinar() -> Event:
    return Event(
        id="web", title="Weekly webinar", start_local=datetime(2026, 3, 24, 19, 0),
        end_local=datetime(2026, 3, 24, 20, 0), timezone="Australia/Melbourne", created_at=NOW,
        updated_at=NOW, online_url="https://meet.example/melb", rrule="FREQ=WEEKLY;COUNT=20",
    )


def parse(data: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(data)


def test_the_calendar_keeps_the_zone_and_ships_its_definition() -> None:
    data = calendar_for([london_meeting()], name="London chapter", url_for=url_for, now=NOW,
                        timezone="Europe/London")
    assert b"DTSTART;TZID=Europe/London:20260127T183000" in data
    calendar = parse(data)
    assert calendar["X-WR-CALNAME"] == "London chapter"
    assert calendar["X-WR-TIMEZONE"] == "Europe/London"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["UID"]) == "https://london.example/events/mtg"
    assert str(vevent["URL"]) == "https://london.example/events/mtg"
    assert vevent["RRULE"].to_ical() == b"FREQ=MONTHLY;BYDAY=-1TU"
    assert str(vevent["LOCATION"]) == "Birkbeck, Malet Street, London WC1E 7HX"
    assert vevent["GEO"].latitude == 51.5219
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert vevent["CATEGORIES"].cats == ["Movements and politics"]
    assert str(vevent["DESCRIPTION"]) == "Agenda\n\n- Campaign update"


def test_calendar_apps_see_the_same_dates_as_the_site() -> None:
    event = london_meeting()
    event = cancel_occurrence(event, datetime(2026, 4, 28, 18, 30), now=NOW)
    event = move_occurrence(event, datetime(2026, 12, 29, 18, 30), datetime(2026, 12, 15, 19, 0),
                            datetime(2026, 12, 15, 21, 0), now=NOW)
    calendar = parse(calendar_for([event], name="London", url_for=url_for, now=NOW))
    from_ical = [(o.start.astimezone(UTC), o.end.astimezone(UTC))
                 for o in recurring_ical_events.of(calendar).between(YEAR_START, YEAR_END)]
    ours = [(o.start_utc, o.end_utc) for o in occurrences(event, YEAR_START, YEAR_END) if not o.cancelled]
    assert from_ical == ours
    assert len(ours) == 11
    assert datetime(2026, 12, 15, 19, 0, tzinfo=UTC) in [start for start, _ in from_ical]
    # Summer occurrences are at 18:30 local, which is 17:30 UTC.
    assert datetime(2026, 6, 30, 17, 30, tzinfo=UTC) in [start for start, _ in from_ical]


def test_exceptions_are_written_as_exdate_and_recurrence_id() -> None:
    event = cancel_occurrence(london_meeting(), datetime(2026, 4, 28, 18, 30), now=NOW)
    event = move_occurrence(event, datetime(2026, 12, 29, 18, 30), datetime(2026, 12, 15, 19, 0),
                            datetime(2026, 12, 15, 21, 0), now=NOW)
    data = calendar_for([event], name="London", url_for=url_for, now=NOW)
    assert b"EXDATE;TZID=Europe/London:20260428T183000" in data
    assert b"RECURRENCE-ID;TZID=Europe/London:20261229T183000" in data
    master, moved = parse(data).walk("VEVENT")
    assert master["UID"] == moved["UID"]


def test_a_network_calendar_with_chapters_in_two_zones() -> None:
    events = [london_meeting(), melbourne_webinar()]
    calendar = parse(calendar_for(events, name="Around the movement", url_for=url_for, now=NOW))
    assert sorted(tz["TZID"] for tz in calendar.walk("VTIMEZONE")) == ["Australia/Melbourne", "Europe/London"]
    assert "X-WR-TIMEZONE" not in calendar
    webinar = [v for v in calendar.walk("VEVENT") if str(v["SUMMARY"]) == "Weekly webinar"][0]
    assert str(webinar["LOCATION"]) == "https://meet.example/melb"
    instances = recurring_ical_events.of(calendar).between(datetime(2026, 3, 30), datetime(2026, 4, 15))
    webinar_starts = [o.start for o in instances if str(o["SUMMARY"]) == "Weekly webinar"]
    # 19:00 in Melbourne on either side of the end of summer time (5 April).
    assert [s.astimezone(UTC).hour for s in webinar_starts] == [8, 9, 9]
    assert all(s.hour == 19 for s in webinar_starts)


def test_a_single_cancelled_event_file() -> None:
    event = london_meeting(rrule=None, status=EventStatus.CANCELLED, online_url="https://meet.example/x")
    vevent = parse(event_ics(event, url=url_for(event), now=NOW)).walk("VEVENT")[0]
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert "RRULE" not in vevent
    assert "Online: https://meet.example/x" in str(vevent["DESCRIPTION"])
    assert vevent["DTSTART"].dt == datetime(2026, 1, 27, 18, 30, tzinfo=vevent["DTSTART"].dt.tzinfo)
    assert str(vevent["DTSTART"].params["TZID"]) == "Europe/London"
