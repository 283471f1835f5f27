from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from fedchapter.errors import ValidationError
from fedchapter.events.model import EventStatus, JoinMode
from fedchapter.events.recurrence import cancel_occurrence
from fedchapter.events.validation import parse_event_input
from fedchapter.visibility import Visibility

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def monthly_meeting(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "London chapter monthly meeting",
        "description": "The last Tuesday of the month, 6.30pm, at Birkbeck.",
        "start": "2026-01-27T18:30",
        "end": "2026-01-27T20:30",
        "timezone": "Europe/London",
        "location": {"name": "Birkbeck", "street": "Malet Street", "locality": "London",
                     "postal_code": "WC1E 7HX", "country": "GB", "lat": 51.5219, "lon": -0.1303},
        "rrule": "FREQ=MONTHLY;BYDAY=-1TU",
        "visibility": "public",
    }
    body.update(changes)
    return body


def refusal(body: Any, **options: Any) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        parse_event_input(body, default_timezone="Europe/London", **options)
    return caught.value


def test_a_monthly_meeting_is_accepted() -> None:
    draft = parse_event_input(monthly_meeting(), default_timezone="Europe/London")
    event = draft.to_event(event_id="mtg1", now=NOW)
    assert event.start_local == datetime(2026, 1, 27, 18, 30)
    assert event.location is not None and event.location.locality == "London"
    assert event.rrule == "FREQ=MONTHLY;BYDAY=-1TU"
    assert event.visibility is Visibility.PUBLIC
    assert event.category == "MEETING" and event.status is EventStatus.CONFIRMED
    assert event.language == "en" and event.created_at == NOW


def test_a_conference_in_dublin_with_defaults_from_the_chapter() -> None:
    draft = parse_event_input(
        {"title": "International conference", "start": "2026-10-17T10:00", "end": "2026-10-17T17:30",
         "location": {"name": "Liberty Hall", "locality": "Dublin"}, "category": "movements_politics",
         "capacity": "120", "language": "EN-ie"},
        default_timezone="Europe/Dublin",
    )
    assert draft.timezone == "Europe/Dublin"
    assert draft.category == "MOVEMENTS_POLITICS"
    assert draft.capacity == 120
    assert draft.language == "en-IE"


def test_a_protest_with_a_meetup_point_in_vienna() -> None:
    draft = parse_event_input(
        {"title": "Demo", "start": "2026-05-01T11:00", "end": "2026-05-01T14:00", "timezone": "Europe/Vienna",
         "location": {"name": "Parlament", "locality": "Wien"},
         "meetup": {"name": "Westbahnhof", "locality": "Wien", "start": "2026-05-01T10:15"}},
        default_timezone="Europe/London",
    )
    assert draft.meetup is not None
    assert draft.meetup.place.name == "Westbahnhof"
    assert draft.meetup.start_local == datetime(2026, 5, 1, 10, 15)


def test_an_offset_that_agrees_with_the_zone_is_fine() -> None:
    draft = parse_event_input(monthly_meeting(start="2026-06-30T18:30:00+01:00", end="2026-06-30T20:30+01:00"),
                              default_timezone="Europe/London")
    assert draft.start_local == datetime(2026, 6, 30, 18, 30)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"title": ""}, "title", "required"),
        ({"title": "x" * 201}, "title", "too long"),
        ({"title": ["Monthly", "meeting"]}, "title", "string"),
        ({"description": "x" * 20_001}, "description", "too long"),
        ({"description": {"text": "x"}}, "description", "string"),
        ({"end": "2026-01-27T18:00"}, "end", "after the start"),
        ({"start": None}, "start", "required"),
        ({"start": 1769538600}, "start", "date and time"),
        ({"start": "next tuesday"}, "start", "date and time"),
        ({"start": "2026-02-30T18:30"}, "start", "not a valid"),
        ({"timezone": "Europe/Londres"}, "timezone", "IANA"),
        ({"timezone": "../../etc/passwd"}, "timezone", "IANA"),
        ({"timezone": ["Europe/London"]}, "timezone", "IANA"),
        ({"start": "2026-01-27T18:30+01:00"}, "start", "does not match"),
        ({"location": {"locality": "London"}}, "location.name", "name or a street"),
        ({"location": {"name": "Birkbeck", "country": ["GB"]}}, "location.country", "string"),
        ({"location": {"name": "Birkbeck", "lat": 91, "lon": 0}}, "location.lat", "between"),
        ({"location": {"name": "Birkbeck", "lat": 51.5, "lon": 181}}, "location.lon", "between"),
        ({"location": {"name": "Birkbeck", "lat": 51.5}}, "location.lon", "both"),
        ({"location": {"name": "Birkbeck", "lat": True, "lon": 0}}, "location.lat", "number"),
        ({"location": {"name": "Birkbeck", "floor": 2}}, "location.floor", "not a field"),
        ({"location": [1, 2]}, "location", "object"),
        ({"online_url": "javascript:alert(1)"}, "online_url", "http"),
        ({"online_url": "ftp://files.example/x"}, "online_url", "http"),
        ({"capacity": 0}, "capacity", "at least 1"),
        ({"capacity": 2.5}, "capacity", "whole number"),
        ({"capacity": "lots"}, "capacity", "whole number"),
        ({"category": "PICNIC"}, "category", "one of"),
        ({"visibility": "secret"}, "visibility", "public, members"),
        ({"status": "postponed"}, "status", "one of"),
        ({"language": "english please"}, "language", "language tag"),
        ({"rrule": "FREQ=MINUTELY"}, "rrule", "DAILY"),
        ({"rrule": ["FREQ=WEEKLY"]}, "rrule", "string"),
        ({"meetup": {"name": "Russell Square", "start": "2026-01-27T19:00"}}, "meetup.start", "before the start"),
        ({"meetup": {"start": "2026-01-27T18:00"}}, "meetup.name", "name or a street"),
        ({"meetup": {"location": {"name": "Russell Square"}}}, "meetup.start", "required"),
        ({"join_mode": "external"}, "external_participation_url", "required"),
        ({"ical": "yes"}, "ical", "not a field"),
    ],
)
def test_bad_input_names_the_field(changes: dict[str, Any], field: str, words: str) -> None:
    error = refusal(monthly_meeting(**changes))
    assert error.field == field
    assert words in error.message


def test_a_body_that_is_not_an_object() -> None:
    error = refusal(["title", "start"])
    assert error.field is None


def test_a_time_skipped_by_the_clocks_going_forward_is_refused() -> None:
    error = refusal(monthly_meeting(start="2026-03-29T01:30", end="2026-03-29T03:00", rrule=None))
    assert error.field == "start"
    assert "does not exist" in error.message


def test_an_offset_picking_the_second_of_two_repeated_times_is_refused() -> None:
    error = refusal(monthly_meeting(start="2026-10-25T01:30+00:00", end="2026-10-25T03:00", rrule=None))
    assert error.field == "start"
    assert "twice" in error.message


def test_the_first_of_two_repeated_times_is_accepted() -> None:
    draft = parse_event_input(monthly_meeting(start="2026-10-25T01:30", end="2026-10-25T03:00", rrule=None),
                              default_timezone="Europe/London")
    assert draft.to_event(event_id="x", now=NOW).start_utc == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_the_start_must_be_one_of_the_rule_dates() -> None:
    error = refusal(monthly_meeting(start="2026-01-28T18:30", end="2026-01-28T20:30"))
    assert error.field == "rrule"
    assert "Tue 24 Feb 2026" in error.message


def test_forms_send_empty_strings_for_empty_inputs() -> None:
    draft = parse_event_input(monthly_meeting(online_url="", capacity="", rrule="", category=""),
                              default_timezone="Europe/London")
    assert draft.online_url is None and draft.capacity is None and draft.rrule is None
    assert draft.category == "MEETING"


def test_a_patch_changes_only_what_it_names() -> None:
    event = parse_event_input(monthly_meeting(), default_timezone="Europe/London").to_event(event_id="m", now=NOW)
    later = datetime(2026, 2, 1, tzinfo=UTC)
    draft = parse_event_input({"title": "Monthly meeting (new room)", "capacity": 40},
                              default_timezone="Europe/London", partial=True, existing=event)
    updated = draft.apply_to(event, now=later)
    assert updated.title == "Monthly meeting (new room)" and updated.capacity == 40
    assert updated.rrule == event.rrule and updated.location == event.location
    assert updated.created_at == NOW and updated.updated_at == later


def test_a_patch_with_null_clears_an_optional_field() -> None:
    event = parse_event_input(monthly_meeting(), default_timezone="Europe/London").to_event(event_id="m", now=NOW)
    draft = parse_event_input({"location": None, "online_url": "https://meet.example/london"},
                              default_timezone="Europe/London", partial=True, existing=event)
    assert draft.location is None and draft.online_url == "https://meet.example/london"


def test_a_patch_is_checked_against_the_rest_of_the_event() -> None:
    event = parse_event_input(monthly_meeting(), default_timezone="Europe/London").to_event(event_id="m", now=NOW)
    error = refusal({"end": "2026-01-27T17:00"}, partial=True, existing=event)
    assert error.field == "end"
    error = refusal({"start": "2026-01-28T18:30", "end": "2026-01-28T20:30"}, partial=True, existing=event)
    assert error.field == "rrule"


def test_changing_the_schedule_drops_changes_to_dates_it_no_longer_has() -> None:
    event = parse_event_input(monthly_meeting(), default_timezone="Europe/London").to_event(event_id="m", now=NOW)
    event = cancel_occurrence(event, datetime(2026, 3, 31, 18, 30), now=NOW)
    same_dates = parse_event_input({"end": "2026-01-27T21:00"}, default_timezone="Europe/London",
                                   partial=True, existing=event).apply_to(event, now=NOW)
    assert len(same_dates.exceptions) == 1
    weekly = parse_event_input({"rrule": "FREQ=WEEKLY;BYDAY=TU;INTERVAL=2"}, default_timezone="Europe/London",
                               partial=True, existing=event).apply_to(event, now=NOW)
    assert weekly.exceptions == ()


def test_join_mode_external_with_its_url() -> None:
    draft = parse_event_input(monthly_meeting(join_mode="external",
                                              external_participation_url="https://tickets.example/conf"),
                              default_timezone="Europe/London")
    assert draft.join_mode is JoinMode.EXTERNAL
