from __future__ import annotations

from datetime import UTC, datetime

import pytest

from fedchapter.events.model import Event, EventStatus, Place
from fedchapter.events.recurrence import cancel_occurrence, occurrences
from fedchapter.events.timefmt import event_summary_line, format_in_zone, format_span, zone_abbreviation

NOW = datetime(2025, 1, 5, 9, 0, tzinfo=UTC)


def make_event(**changes: object) -> Event:
    fields: dict[str, object] = dict(
        id="mtg", title="Monthly meeting", start_local=datetime(2025, 6, 24, 18, 30),
        end_local=datetime(2025, 6, 24, 20, 30), timezone="Europe/London", created_at=NOW,
        updated_at=NOW, location=Place(name="Birkbeck", street="Malet Street", locality="London"),
    )
    fields.update(changes)
    return Event(**fields)  # type: ignore[arg-type]


def test_summary_line_for_a_london_meeting() -> None:
    assert event_summary_line(make_event()) == "Tue 24 Jun 18:30 BST – Birkbeck, London"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("de", "Di., 24. Juni 18:30 BST – Birkbeck, London"),
        ("en-US", "Tue, Jun 24 6:30 PM BST – Birkbeck, London"),
        ("fr", "mar. 24 juin 18:30 BST – Birkbeck, London"),
        ("not a locale!", "Tue 24 Jun 18:30 BST – Birkbeck, London"),
    ],
)
def test_summary_line_in_other_languages(locale: str, expected: str) -> None:
    assert event_summary_line(make_event(), locale=locale) == expected


def test_summary_line_in_vienna_in_german_uses_the_german_zone_name() -> None:
    vienna = make_event(timezone="Europe/Vienna", location=Place(name="Amerlinghaus", locality="Wien"))
    assert event_summary_line(vienna, locale="de") == "Di., 24. Juni 18:30 MESZ – Amerlinghaus, Wien"
    assert event_summary_line(vienna, locale="en") == "Tue 24 Jun 18:30 CEST – Amerlinghaus, Wien"


def test_dublin_summer_time_is_ist_not_gmt() -> None:
    dublin = make_event(timezone="Europe/Dublin", location=Place(name="Liberty Hall", locality="Dublin"))
    assert event_summary_line(dublin) == "Tue 24 Jun 18:30 IST – Liberty Hall, Dublin"
    assert event_summary_line(dublin, locale="de") == "Di., 24. Juni 18:30 IST – Liberty Hall, Dublin"


def test_online_and_hybrid_events() -> None:
    online = make_event(location=None, online_url="https://meet.example/x")
    assert event_summary_line(online) == "Tue 24 Jun 18:30 BST – Online"
    assert event_summary_line(online, locale="fr").endswith("– En ligne")
    hybrid = make_event(online_url="https://meet.example/x")
    assert event_summary_line(hybrid) == "Tue 24 Jun 18:30 BST – Birkbeck, London + Online"


def test_a_two_day_conference_shows_both_ends() -> None:
    conference = make_event(start_local=datetime(2025, 10, 18, 10, 0), end_local=datetime(2025, 10, 19, 17, 30))
    assert event_summary_line(conference) == "Sat 18 Oct 10:00 – Sun 19 Oct 17:30 BST – Birkbeck, London"


def test_a_range_across_the_clock_change_names_both_zones() -> None:
    line = format_span(datetime(2025, 10, 25, 9, 0, tzinfo=UTC), datetime(2025, 10, 26, 16, 30, tzinfo=UTC),
                       "Europe/London")
    assert line == "Sat 25 Oct 10:00 BST – Sun 26 Oct 16:30 GMT"


def test_a_one_day_span_with_its_end() -> None:
    line = format_span(datetime(2025, 10, 18, 9, 0, tzinfo=UTC), datetime(2025, 10, 18, 16, 30, tzinfo=UTC),
                       "Europe/London", show_end=True, with_year=True)
    assert line == "Sat, 18 Oct 2025 10:00–17:30 BST"


def test_an_occurrence_of_a_recurring_event_in_winter() -> None:
    event = make_event(start_local=datetime(2025, 6, 24, 18, 30), rrule="FREQ=MONTHLY;BYDAY=-1TU")
    november = occurrences(event, datetime(2025, 11, 1, tzinfo=UTC), datetime(2025, 12, 1, tzinfo=UTC))[0]
    assert event_summary_line(event, november) == "Tue 25 Nov 18:30 GMT – Birkbeck, London"


def test_cancelled_events_say_so() -> None:
    assert event_summary_line(make_event(status=EventStatus.CANCELLED)).startswith("Cancelled: Tue 24 Jun")
    assert event_summary_line(make_event(status=EventStatus.CANCELLED), locale="de").startswith("Abgesagt: ")
    event = cancel_occurrence(make_event(rrule="FREQ=WEEKLY"), datetime(2025, 7, 1, 18, 30), now=NOW)
    first, second = occurrences(event, datetime(2025, 6, 24, tzinfo=UTC), datetime(2025, 7, 2, tzinfo=UTC))
    assert not event_summary_line(event, first).startswith("Cancelled")
    assert event_summary_line(event, second) == "Cancelled: Tue 1 Jul 18:30 BST – Birkbeck, London"


def test_the_international_call_in_every_chapters_zone() -> None:
    call = datetime(2025, 6, 24, 15, 0, tzinfo=UTC)
    assert format_in_zone(call, "Europe/London") == "Tue 24 Jun 16:00 BST"
    assert format_in_zone(call, "Europe/Vienna", "de") == "Di., 24. Juni 17:00 MESZ"
    assert format_in_zone(call, "Australia/Melbourne") == "Wed 25 Jun 01:00 AEST"
    assert format_in_zone(call, "America/New_York", "en-US") == "Tue, Jun 24 11:00 AM EDT"
    winter_call = datetime(2025, 1, 14, 15, 0, tzinfo=UTC)
    assert format_in_zone(winter_call, "Europe/London") == "Tue 14 Jan 15:00 GMT"
    assert format_in_zone(winter_call, "Australia/Melbourne") == "Wed 15 Jan 02:00 AEDT"
    assert format_in_zone(winter_call, "America/New_York") == "Tue 14 Jan 10:00 EST"


def test_zones_without_a_letter_abbreviation_show_the_offset() -> None:
    assert zone_abbreviation(datetime(2025, 6, 1, 12, tzinfo=UTC).astimezone(
        __import__("zoneinfo").ZoneInfo("America/Sao_Paulo"))) == "UTC−3"
    assert zone_abbreviation(datetime(2025, 6, 1, 12, tzinfo=UTC).astimezone(
        __import__("zoneinfo").ZoneInfo("Asia/Kathmandu"))) == "UTC+5:45"
