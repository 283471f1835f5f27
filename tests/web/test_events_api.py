"""The events API as scripts use it: create (201 with ics), list local and
network, get, patch, cancel, delete (then 410), RSVP; 422 naming the field."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from fedchapter.roles import Role
from tests.support.instances import Instance
from tests.support.record import bearer


# Dates next year, so the events are always upcoming; June is summer time in London.
YEAR = date.today().year + 1


def last_weekday(year: int, month: int, weekday: int) -> date:
    """The last Monday (0) ... Sunday (6) of a month."""
    day = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1))
    return day - timedelta(days=(day.weekday() - weekday) % 7)


SPRING_FORWARD = last_weekday(YEAR, 3, 6)  # Europe/London skips 01:00-02:00 that Sunday
FIRST_TUESDAY_SERIES = last_weekday(YEAR, 1, 1)


def when(day: str, clock: str) -> str:
    return f"{YEAR}-{day}T{clock}"


def event_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "Monthly meeting",
        "description": "Agenda: **Proposal Two**.\n\n<script>alert(1)</script>",
        "start": when("06-25", "18:30"),
        "end": when("06-25", "20:30"),
        "timezone": "Europe/London",
        "location": {"name": "Birkbeck", "street": "Malet Street", "locality": "London",
                     "postal_code": "WC1E 7HX", "country": "UK", "lat": 51.5219, "lon": -0.1302},
        "category": "MEETING",
        "visibility": "public",
    }
    body.update(changes)
    return body


async def create(instance: Instance, headers: dict[str, str], **changes: Any) -> dict[str, Any]:
    response = await instance.client.post("/api/v1/events", json=event_body(**changes), headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def test_create_answers_201_with_the_ids_the_ics_and_safe_html(london: Instance) -> None:
    facilitator = await bearer(london, "tom", Role.FACILITATOR)
    created = await create(london, facilitator)
    assert created["ap_id"] == f"http://london.test/events/{created['id']}"
    assert created["url"] == created["ap_id"]
    assert created["ics"] == f"{created['ap_id']}.ics"
    assert created["start"] == when("06-25", "18:30")
    assert created["start_utc"] == f"{YEAR}-06-25T17:30:00Z"  # British Summer Time
    assert "<strong>Proposal Two</strong>" in created["description_html"]
    assert "<script" not in created["description_html"]
    assert created["summary"].endswith(" 25 Jun 18:30 BST – Birkbeck, London")
    fetched = await london.client.get(f"/api/v1/events/{created['id']}")
    assert fetched.status_code == 200
    assert fetched.json()["title"] == "Monthly meeting"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end": when("06-25", "17:00")}, "end"),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"start": f"{SPRING_FORWARD}T01:30", "end": f"{SPRING_FORWARD}T03:00"}, "start"),  # clocks go forward
        ({"rrule": "FREQ=SECONDLY"}, "rrule"),
        ({"rrule": "FREQ=DAILY;COUNT=100000"}, "rrule"),
        ({"title": ["Monthly", "meeting"]}, "title"),
        ({"location": {"name": ["Birkbeck"]}}, "location.name"),
        ({"location": {"name": "Birkbeck", "lat": 51.5}}, "location.lon"),
        ({"capacity": 0}, "capacity"),
        ({"colour": "red"}, "colour"),
    ],
)
async def test_bad_input_is_a_422_naming_the_field(london: Instance, changes: dict[str, Any], field: str) -> None:
    facilitator = await bearer(london, "tom", Role.FACILITATOR)
    response = await london.client.post("/api/v1/events", json=event_body(**changes), headers=facilitator)
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field


async def test_only_facilitators_publish(london: Instance) -> None:
    member = await bearer(london, "priya", Role.MEMBER)
    assert (await london.client.post("/api/v1/events", json=event_body(), headers=member)).status_code == 403
    assert (await london.client.post("/api/v1/events", json=event_body())).status_code == 401


async def test_patch_cancel_and_delete(london: Instance) -> None:
    facilitator = await bearer(london, "tom", Role.FACILITATOR)
    created = await create(london, facilitator)
    path = f"/api/v1/events/{created['id']}"
    patched = await london.client.patch(path, json={"title": "Monthly meeting (room 101)"}, headers=facilitator)
    assert patched.status_code == 200, patched.text
    assert patched.json()["title"] == "Monthly meeting (room 101)"
    assert patched.json()["start"] == when("06-25", "18:30")
    bad = await london.client.patch(path, json={"end": when("06-25", "10:00")}, headers=facilitator)
    assert bad.status_code == 422 and bad.json()["field"] == "end"
    cancelled = await london.client.post(f"{path}/cancel", headers=facilitator)
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["summary"].startswith("Cancelled: ")
    assert (await london.client.delete(path, headers=facilitator)).status_code == 204
    assert (await london.client.get(path)).status_code == 404
    page = await london.client.get(created["url"], headers={"Accept": "application/activity+json"})
    assert page.status_code == 410
    assert page.json()["type"] == "Tombstone"


async def test_list_local_upcoming_with_limit_and_next(london: Instance) -> None:
    facilitator = await bearer(london, "tom", Role.FACILITATOR)
    await create(london, facilitator, title="Later", start=when("07-01", "10:00"), end=when("07-01", "11:00"))
    await create(london, facilitator, title="Sooner", start=when("06-01", "10:00"), end=when("06-01", "11:00"))
    await create(london, facilitator, title="Over", start="2020-06-01T10:00", end="2020-06-01T11:00")
    first = (await london.client.get("/api/v1/events?scope=local&limit=1")).json()
    assert [item["title"] for item in first["items"]] == ["Sooner"]
    assert first["next"] is not None
    second = (await london.client.get(first["next"])).json()
    assert [item["title"] for item in second["items"]] == ["Later"]
    assert second["next"] is None
    assert (await london.client.get("/api/v1/events?scope=everywhere")).json()["field"] == "scope"


async def test_members_only_events_are_not_found_by_others(london: Instance) -> None:
    facilitator = await bearer(london, "tom", Role.FACILITATOR)
    created = await create(london, facilitator, visibility="members")
    assert (await london.client.get(f"/api/v1/events/{created['id']}")).status_code == 404
    supporter = await bearer(london, "lucy", Role.SUPPORTER)
    assert (await london.client.get(f"/api/v1/events/{created['id']}", headers=supporter)).status_code == 404
    member = await bearer(london, "priya", Role.MEMBER)
    assert (await london.client.get(f"/api/v1/events/{created['id']}", headers=member)).status_code == 200
    listed = (await london.client.get("/api/v1/events")).json()["items"]
    assert listed == []


async def test_rsvp_counts_and_capacity(london: Instance) -> None:
    facilitator = await bearer(london, "tom", Role.FACILITATOR)
    created = await create(london, facilitator, capacity=1)
    path = f"/api/v1/events/{created['id']}/rsvp"
    member = await bearer(london, "priya", Role.MEMBER)
    supporter = await bearer(london, "lucy", Role.SUPPORTER)
    going = await london.client.post(path, json={"status": "going"}, headers=member)
    assert going.status_code == 200, going.text
    assert going.json()["participant_count"] == 1
    full = await london.client.post(path, json={"status": "going"}, headers=supporter)
    assert full.status_code == 409
    assert "full" in full.json()["error"]
    interested = await london.client.post(path, json={"status": "interested"}, headers=supporter)
    assert interested.json()["interested_count"] == 1
    left = await london.client.post(path, json={"status": "not-going"}, headers=member)
    assert left.json()["participant_count"] == 0
    bad = await london.client.post(path, json={"status": "maybe"}, headers=member)
    assert bad.status_code == 422 and bad.json()["field"] == "status"
    event = (await london.client.get(f"/api/v1/events/{created['id']}")).json()
    assert event["participant_count"] == 0 and event["interested_count"] == 1


async def test_one_date_of_a_series_cancelled_and_moved(london: Instance) -> None:
    facilitator = await bearer(london, "tom", Role.FACILITATOR)
    first = FIRST_TUESDAY_SERIES
    created = await create(london, facilitator, start=f"{first}T18:30", end=f"{first}T20:30",
                           rrule="FREQ=MONTHLY;BYDAY=-1TU;COUNT=6")
    assert created["rrule"] == "FREQ=MONTHLY;BYDAY=-1TU;COUNT=6"
    second, third = last_weekday(YEAR, 2, 1), last_weekday(YEAR, 3, 1)
    path = f"/api/v1/events/{created['id']}/occurrences"
    cancelled = await london.client.post(path, json={"occurrence": f"{second}T18:30"}, headers=facilitator)
    assert cancelled.status_code == 200, cancelled.text
    moved_to = third + timedelta(days=1)
    moved = await london.client.post(path, json={"occurrence": f"{third}T18:30", "start": f"{moved_to}T18:30",
                                                 "end": f"{moved_to}T20:30"}, headers=facilitator)
    assert moved.status_code == 200, moved.text
    assert [c["original_start"] for c in moved.json()["exceptions"]] == [f"{second}T18:30", f"{third}T18:30"]
    wrong = await london.client.post(path, json={"occurrence": f"{second + timedelta(days=1)}T18:30"},
                                     headers=facilitator)
    assert wrong.status_code == 422 and wrong.json()["field"] == "occurrence"
