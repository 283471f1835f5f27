"""Reading Events other servers send (real Mobilizon and Gancio fixtures, and
the superset federation.md asks us to accept), and refusing what cannot be
an event with a reason instead of a crash."""
from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from fedchapter.events.model import EventStatus, JoinMode
from federation.from_as.events import RemoteEventRejected, parse_event

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "events"
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def fixture_object(name: str) -> dict[str, Any]:
    return dict(json.loads((FIXTURES / name).read_text(encoding="utf-8"))["object"])


def parse(obj: dict[str, Any]) -> Any:
    return parse_event(obj, default_language="en", received_at=NOW)


def minimal(**changes: Any) -> dict[str, Any]:
    obj: dict[str, Any] = {"id": "https://events.example/e/1", "type": "Event", "name": "Assembly",
                           "startTime": "2026-06-24T18:30:00+01:00", "to": ["as:Public"]}
    obj.update(changes)
    return obj


def test_a_real_mobilizon_event_parses() -> None:
    parsed = parse(fixture_object("mobilizon-post-activity.json"))
    event = parsed.event
    assert event.title == "My first event"
    assert event.id == parsed.url == "https://test.mobilizon.org/events/39026210-0c69-4238-b3cc-986f33f98ed0"
    assert event.start_utc == datetime(2018, 2, 12, 14, 8, 20, tzinfo=UTC)
    assert event.end_utc == datetime(2018, 2, 12, 15, 8, 20, tzinfo=UTC)  # no endTime: one hour
    assert event.timezone == "UTC"
    assert event.location is not None
    assert (event.location.name, event.location.street, event.location.locality, event.location.postal_code,
            event.location.country) == ("Locaux de Framasoft", "10 Rue Jangot", "Lyon", "69007", "France")
    assert event.category == "MEETING"  # "TODO remove me" is no category we know
    assert 'class="u-url mention"' in parsed.content_html
    assert parsed.attributed_to == "https://test.mobilizon.org/@Alicia"


def test_a_real_gancio_event_parses_and_keeps_its_offset() -> None:
    parsed = parse(fixture_object("gancio-event-activity.json"))
    event = parsed.event
    assert event.title == "Demo event"
    assert parsed.url == "https://demo.gancio.org/event/demo-event"
    assert event.timezone == "Etc/GMT-2"  # no timezone given: UTC+2 from startTime
    assert event.start_aware.isoformat() == "2021-07-14T17:30:57+02:00"
    assert event.end_aware.isoformat() == "2021-07-14T18:30:57+02:00"
    assert event.location is not None and event.location.name == "Colosseo"
    assert "Colosseo" in event.description


def test_the_superset_plain_strings_arrays_and_public_aliases() -> None:
    parsed = parse(minimal(
        name=["Assembly", "Versammlung"],
        timezone="Europe/London",
        endTime=["2026-06-24T20:30:00+01:00"],
        location=[{"type": "Place", "name": "Birkbeck", "address": "Malet Street, London"},
                  {"type": "VirtualLocation", "url": "https://meet.example.org/a"}],
        url=[{"type": "Link", "mediaType": "text/html", "href": "https://events.example/e/1/page"}],
        category=["movements_politics"],
        joinMode="restricted",
        maximumAttendeeCapacity="40",
        participantCount=3,
        status="TENTATIVE",
        inLanguage="de-at",
        content='<p onclick="x()">Hi<script>alert(1)</script></p>',
    ))
    event = parsed.event
    assert event.title == "Assembly" and event.timezone == "Europe/London"
    assert (event.start_local.hour, event.end_local.hour) == (18, 20)
    assert event.location is not None and event.location.street == "Malet Street, London"
    assert event.online_url == "https://meet.example.org/a" and event.is_hybrid
    assert parsed.url == "https://events.example/e/1/page"
    assert event.category == "MOVEMENTS_POLITICS"
    assert event.join_mode is JoinMode.RESTRICTED and event.capacity == 40
    assert event.status is EventStatus.TENTATIVE and event.language == "de-AT"
    assert parsed.participant_count == 3
    assert "script" not in parsed.content_html and "onclick" not in parsed.content_html
    plain = parse(minimal(location="Birkbeck, London")).event.location
    assert plain is not None and plain.name == "Birkbeck, London"
    assert parse(minimal(to="https://www.w3.org/ns/activitystreams#Public")).event.title == "Assembly"
    assert parse(minimal(to=["Public"])).event.title == "Assembly"


def test_ical_status_and_a_cancelled_event() -> None:
    assert parse(minimal(**{"ical:status": "CANCELLED"})).event.status is EventStatus.CANCELLED


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"name": None}, "no name"),
        ({"name": ["", None]}, "no name"),
        ({"startTime": None}, "startTime is missing"),
        ({"startTime": "next Tuesday"}, "not an ISO 8601 time"),
        ({"startTime": "2026-06-24T18:30:00"}, "no UTC offset"),
        ({"startTime": "9999-06-24T18:30:00Z"}, "out of range"),
        ({"id": "javascript:alert(1)"}, "no http(s) id"),
        ({"to": ["https://events.example/users/a/followers"]}, "not public"),
        ({"fc:recurrence": {"rrule": "FREQ=SECONDLY"}}, "recurrence refused"),
        ({"fc:recurrence": {"rrule": "FREQ=WEEKLY;BYDAY=FR"}}, "recurrence refused"),
    ],
)
def test_what_cannot_be_an_event_is_refused_with_a_reason(changes: dict[str, Any], reason: str) -> None:
    with pytest.raises(RemoteEventRejected, match=reason.replace("(", r"\(").replace(")", r"\)")):
        parse(minimal(**changes))


def test_odd_values_are_dropped_not_fatal() -> None:
    parsed = parse(minimal(
        endTime="2026-06-24T17:00:00+01:00",  # before the start: an hour is assumed
        location={"type": "Place", "latitude": "north"},  # no name, no street: no place
        maximumAttendeeCapacity=-3, participantCount=True, externalParticipationUrl="javascript:x",
        joinMode="external", inLanguage={"identifier": 42}, timezone="Mars/Base",
    ))
    event = parsed.event
    assert event.duration.total_seconds() == 3600
    assert event.location is None and event.capacity is None and parsed.participant_count is None
    assert event.join_mode is JoinMode.FREE and event.external_participation_url is None
    assert event.language == "en" and event.timezone == "Etc/GMT-1"


def test_our_own_recurrence_and_meetup_come_back() -> None:
    parsed = parse(minimal(
        timezone="Europe/London", startTime="2026-01-27T18:30:00+00:00",
        **{"fc:recurrence": {"rrule": "FREQ=MONTHLY;BYDAY=-1TU;COUNT=6",
                             "exceptions": [{"original_start": "2026-02-24T18:30", "cancelled": True},
                                            {"original_start": "2026-02-25T18:30", "cancelled": True},
                                            {"original_start": "2199-02-25T18:30", "cancelled": True},
                                            {"bogus": 1}]},
           "fc:meetup": {"startTime": "2026-01-27T18:00:00+00:00",
                         "location": {"type": "Place", "name": "Meet-up: Russell Square 18:00"}}},
    ))
    event = parsed.event
    assert event.rrule == "FREQ=MONTHLY;BYDAY=-1TU;COUNT=6"
    # Only dates of the series are kept (25 February is no last Tuesday).
    assert [c.original_start.isoformat() for c in event.exceptions] == ["2026-02-24T18:30:00"]
    assert event.meetup is not None and event.meetup.place.name == "Russell Square"
    assert event.meetup.start_local == datetime(2026, 1, 27, 18, 0)
