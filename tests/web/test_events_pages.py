"""The event pages as people use them, without JavaScript: upcoming and
past lists, one event with its map link, times in the chapter's zone and
the reader's, RSVP and the organisers' forms (with CSRF)."""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from fedchapter.roles import Role
from tests.support.events import NEXT_YEAR as YEAR
from tests.support.events import publish_event
from tests.support.instances import Instance
from tests.support.record import PASSWORD
from tests.support.web_forms import csrf_from, log_in



async def publish(london: Instance, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "International coordination call", "start": f"{YEAR}-07-01T15:00", "end": f"{YEAR}-07-01T16:00",
        "timezone": "UTC", "online_url": "https://meet.example.org/call",
    }
    body.update(changes)
    return await publish_event(london, body)


async def test_upcoming_and_past_lists(london: Instance) -> None:
    await publish(london)
    picnic = date.today() - timedelta(days=40)
    await publish(london, title="Last year's picnic", start=f"{picnic}T12:00", end=f"{picnic}T15:00")
    page = (await london.client.get("/events")).text
    assert "International coordination call" in page and "picnic" not in page
    assert 'href="/events/past"' in page and 'href="/calendar.ics"' in page
    past = (await london.client.get("/events/past")).text
    assert "Last year&#39;s picnic" in past and "coordination" not in past


async def test_times_in_the_event_zone_and_on_request_the_readers(london: Instance) -> None:
    created = await publish(london)
    page = (await london.client.get(f"/events/{created['id']}")).text
    assert "15:00–16:00 UTC" in page
    assert "Here: " in page and "16:00–17:00 BST" in page  # the London chapter's own zone, named
    vienna = (await london.client.get(f"/events/{created['id']}?tz=Europe/Vienna")).text
    assert "17:00–18:00 CEST" in vienna
    melbourne = (await london.client.get("/events?tz=Australia/Melbourne")).text
    assert "01:00–02:00 AEST" in melbourne
    ignored = (await london.client.get(f"/events/{created['id']}?tz=Not/AZone")).text
    assert "In your zone" not in ignored


async def test_the_event_page_has_a_map_link_and_no_script(london: Instance) -> None:
    created = await publish(london, title="Monthly meeting", online_url=None, timezone="Europe/London",
                            location={"name": "Birkbeck", "street": "Malet Street", "locality": "London",
                                      "lat": 51.5219, "lon": -0.1302},
                            description="Bring <script>alert(1)</script> **snacks**")
    page = (await london.client.get(f"/events/{created['id']}")).text
    assert "https://www.openstreetmap.org/?mlat=51.521900&amp;mlon=-0.130200" in page
    assert "<script" not in page and "<strong>snacks</strong>" in page
    without_coordinates = await publish(london, online_url=None, location={"name": "Conway Hall",
                                                                             "locality": "London"})
    page = (await london.client.get(f"/events/{without_coordinates['id']}")).text
    assert "https://www.openstreetmap.org/search?query=Conway+Hall%2C+London" in page


async def test_a_member_rsvps_with_the_form(london: Instance) -> None:
    created = await publish(london)
    await london.ctx.accounts.create_user("priya", PASSWORD, Role.MEMBER)
    await log_in(london.client, "priya", PASSWORD)
    page = (await london.client.get(f"/events/{created['id']}")).text
    assert f'action="/events/{created["id"]}/rsvp"' in page
    token = csrf_from(page)
    answer = await london.client.post(f"/events/{created['id']}/rsvp", data={"status": "going", "csrf_token": token})
    assert answer.status_code == 303
    page = (await london.client.get(f"/events/{created['id']}")).text
    assert "Your answer:" in page and "<strong>Going</strong>" in page
    assert 'action="/comments"' in page and f'value="{created["ap_id"]}"' in page  # the comment thread
    forged = await london.client.post(f"/events/{created['id']}/rsvp", data={"status": "going", "csrf_token": "x"})
    assert forged.status_code == 403


async def test_a_facilitator_creates_and_edits_with_the_form(london: Instance) -> None:
    await london.ctx.accounts.create_user("tom", PASSWORD, Role.FACILITATOR)
    await log_in(london.client, "tom", PASSWORD)
    form = (await london.client.get("/events/new")).text
    assert 'type="datetime-local"' in form and '<option value="Europe/London" selected>' in form
    fields = {"csrf_token": csrf_from(form), "title": "Monthly meeting", "description": "",
              "start": f"{YEAR}-01-26T18:30", "end": f"{YEAR}-01-26T17:30", "timezone": "Europe/London",
              "location_name": "Birkbeck", "location_locality": "London", "repeat": "monthly-last",
              "repeat_count": "6", "category": "MEETING", "visibility": "public", "join_mode": "free",
              "status": "confirmed", "language": "en"}
    refused = await london.client.post("/events/new", data=fields)
    assert refused.status_code == 422 and "must be after the start" in refused.text
    assert 'value="Birkbeck"' in refused.text  # what was typed is kept
    last_tuesday = max(day for day in range(25, 32) if date(YEAR, 1, day).weekday() == 1)
    fields.update(start=f"{YEAR}-01-{last_tuesday}T18:30", end=f"{YEAR}-01-{last_tuesday}T20:30")
    created = await london.client.post("/events/new", data=fields)
    assert created.status_code == 303, created.text
    event_path = created.headers["location"]
    event = (await london.client.get(f"/api/v1{event_path}")).json()
    assert event["rrule"] == "FREQ=MONTHLY;BYDAY=-1TU;COUNT=6"
    edit = (await london.client.get(f"{event_path}/edit")).text
    # The edit form reopens the option chosen, not the rule it became.
    assert '<option value="monthly-last" selected>' in edit and 'name="repeat_count" min="1" max="1000" value="6"' in edit
    fields.update(csrf_token=csrf_from(edit), title="Monthly meeting at Birkbeck", repeat="custom",
                  rrule="FREQ=MONTHLY;BYDAY=-1TU;COUNT=6")
    assert (await london.client.post(f"{event_path}/edit", data=fields)).status_code == 303
    page = (await london.client.get(event_path)).text
    assert "Monthly meeting at Birkbeck" in page and "Cancel this date" in page
    assert "Last Tuesday of every month, 18:30, 6 times" in page and "FREQ=" not in page
    german = (await london.client.get(event_path + "?lang=de")).text
    assert "Letzter Dienstag jedes Monats, 18:30, 6-mal" in german
    await london.client.get(event_path + "?lang=en")  # the choice is remembered: back to English
    occurrence = re.search(r'name="occurrence" value="([^"]+)"', page)
    assert occurrence is not None
    cancel_date = await london.client.post(f"{event_path}/occurrences", data={
        "csrf_token": csrf_from(page), "occurrence": occurrence.group(1), "action": "cancel"})
    assert cancel_date.status_code == 303
    assert "Restore this date" in (await london.client.get(event_path)).text


async def test_supporters_cannot_open_the_new_event_form(london: Instance) -> None:
    await london.ctx.accounts.create_user("lucy", PASSWORD, Role.SUPPORTER)
    await log_in(london.client, "lucy", PASSWORD)
    assert (await london.client.get("/events/new")).status_code == 403


async def test_members_only_event_pages_404_to_others(london: Instance) -> None:
    created = await publish(london, visibility="members")
    assert (await london.client.get(f"/events/{created['id']}")).status_code == 404
    assert (await london.client.get(f"/events/{created['id']}.ics")).status_code == 404


async def test_the_home_page_shows_the_next_events(london: Instance) -> None:
    empty = (await london.client.get("/")).text
    assert "Next events" in empty and "No events planned" in empty
    await publish(london)
    home = (await london.client.get("/")).text
    assert "International coordination call" in home and 'href="/events/network"' in home


async def test_a_series_is_one_entry_with_its_next_dates_and_years_are_shown(london: Instance) -> None:
    await publish(london, title="Weekly call", start=f"{YEAR}-01-06T18:00", end=f"{YEAR}-01-06T19:00",
                  rrule="FREQ=WEEKLY")
    page = (await london.client.get(f"/events?from={YEAR}-01-01")).text
    assert page.count("<h3><a") == 1  # one entry, not fifty-two
    assert f"Every {date(YEAR, 1, 6):%A}, 18:00" in page and "Next dates:" in page
    assert f"13 Jan {YEAR}" in page  # not this year: the year is said
    assert 'rel="next"' in page and "Later events" in page


async def test_no_rsvp_buttons_when_registration_is_elsewhere(london: Instance) -> None:
    created = await publish(london, join_mode="external",
                            external_participation_url="https://tickets.example.org/conf")
    await london.ctx.accounts.create_user("mia", PASSWORD, Role.MEMBER)
    await log_in(london.client, "mia", PASSWORD)
    page = (await london.client.get(f"/events/{created['id']}")).text
    assert "Will you come?" not in page and 'name="status" value="going"' not in page
    assert "Register on the organisers’ site" in page
