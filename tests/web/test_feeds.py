"""Calendars to subscribe to (parsed with the icalendar library: the zone is
kept, so a recurring 18:30 stays 18:30) and the Group's events collection."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from icalendar import Calendar

from tests.support.events import NEXT_YEAR as YEAR
from tests.support.events import facilitator, publish_event
from tests.support.instances import Instance

AS2 = {"Accept": "application/activity+json"}


async def publish(london: Instance, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"title": "Monthly meeting", "start": f"{YEAR}-06-02T18:30", "end": f"{YEAR}-06-02T20:30",
                            "timezone": "Europe/London", "location": {"name": "Birkbeck", "locality": "London"},
                            "rrule": "FREQ=WEEKLY;COUNT=30"}
    body.update(changes)
    return await publish_event(london, body)


def events_of(body: bytes) -> list[Any]:
    return [component for component in Calendar.from_ical(body).walk("VEVENT")]


async def test_the_chapter_calendar_parses_and_keeps_its_zone(london: Instance) -> None:
    created = await publish(london)
    await publish(london, title="Members' strategy meeting", visibility="members", rrule=None)
    response = await london.client.get("/calendar.ics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    [vevent] = events_of(response.content)
    assert str(vevent["summary"]) == "Monthly meeting"
    assert str(vevent["uid"]) == created["url"]
    start = vevent.decoded("dtstart")
    assert isinstance(start, datetime) and str(start.tzinfo) == "Europe/London"
    assert (start.hour, start.minute) == (18, 30)
    assert vevent["dtstart"].params["TZID"] == "Europe/London"
    assert vevent["rrule"].to_ical() == b"FREQ=WEEKLY;COUNT=30"
    calendar = Calendar.from_ical(response.content)
    assert [str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    # The series runs past the October clock change: the zone's rules travel with it.
    assert {str(rule.name) for rule in calendar.walk("VTIMEZONE")[0].subcomponents} >= {"STANDARD", "DAYLIGHT"}


async def test_one_event_as_ics_and_gone_after_deletion(london: Instance) -> None:
    created = await publish(london, rrule=None)
    response = await london.client.get(created["ics"])
    assert response.status_code == 200
    [vevent] = events_of(response.content)
    assert str(vevent["location"]) == "Birkbeck, London"
    headers = await facilitator(london)
    await london.client.delete(f"/api/v1/events/{created['id']}", headers=headers)
    assert (await london.client.get(created["ics"])).status_code == 410


async def test_the_network_calendar_holds_our_events_too(london: Instance) -> None:
    await publish(london)
    response = await london.client.get("/network/calendar.ics")
    assert response.status_code == 200
    assert [str(v["summary"]) for v in events_of(response.content)] == ["Monthly meeting"]


async def test_the_groups_events_collection_lists_upcoming_public_events(london: Instance) -> None:
    created = await publish(london)
    await publish(london, title="Members only", visibility="members", rrule=None)
    collection = (await london.client.get("/actors/london/events", headers=AS2)).json()
    assert collection["type"] == "OrderedCollection" and collection["totalItems"] == 1
    [item] = collection["orderedItems"]
    assert item["type"] == "Event" and item["id"] == created["ap_id"] and item["timezone"] == "Europe/London"
    actor = (await london.client.get("/actors/london", headers=AS2)).json()
    assert actor["events"] == actor["upcomingEvents"] == "http://london.test/actors/london/events"
    assert (await london.client.get("/actors/nobody/events")).status_code == 404
