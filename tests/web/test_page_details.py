"""The small things a person meets: a confirmation step before what cannot
be undone, a login offered on a page not found, an over-long description
given back on its form, a favicon."""
from __future__ import annotations

from fedchapter.roles import Role
from tests.support.events import NEXT_YEAR, publish_event
from tests.support.instances import Instance
from tests.support.record import PASSWORD
from tests.support.web_forms import csrf_from, log_in
from tests.web.proposal_helpers import admin_headers, create

AS2 = {"Accept": "application/activity+json"}


def _event(**changes: str) -> dict[str, str]:
    return {"title": "Monthly meeting", "start": f"{NEXT_YEAR}-03-03T18:30", "end": f"{NEXT_YEAR}-03-03T20:30",
            "timezone": "UTC", "online_url": "https://meet.example.org/m", **changes}


async def test_deleting_an_event_asks_first(london: Instance) -> None:
    event = await publish_event(london, _event())
    await log_in(london.client, "tom", PASSWORD)  # the facilitator publish_event made
    page = (await london.client.get(f"/events/{event['id']}")).text
    asked = await london.client.post(f"/events/{event['id']}/delete", data={"csrf_token": csrf_from(page)})
    assert asked.status_code == 200
    assert "Delete “Monthly meeting”?" in asked.text and 'name="confirmed" value="yes"' in asked.text
    assert f'href="/events/{event["id"]}"' in asked.text  # the way back
    assert (await london.client.get(f"/api/v1/events/{event['id']}")).status_code == 200  # still there

    deleted = await london.client.post(f"/events/{event['id']}/delete",
                                       data={"csrf_token": csrf_from(asked.text), "confirmed": "yes"})
    assert deleted.status_code == 303 and deleted.headers["location"] == "/events"
    assert (await london.client.get(f"/events/{event['id']}")).status_code in (404, 410)


async def test_closing_a_vote_early_asks_first(london: Instance) -> None:
    created = await create(london, await admin_headers(london), "yes-no")
    await london.ctx.accounts.create_user("tess", PASSWORD, Role.FACILITATOR)
    await log_in(london.client, "tess", PASSWORD)
    page = (await london.client.get(f"/proposals/{created['id']}")).text
    asked = await london.client.post(f"/proposals/{created['id']}/close", data={"csrf_token": csrf_from(page)})
    assert asked.status_code == 200 and "Close the vote on “A yes-no proposal” now?" in asked.text
    still = (await london.client.get(f"/api/v1/proposals/{created['id']}")).json()
    assert still["status"] == "open"
    closed = await london.client.post(f"/proposals/{created['id']}/close",
                                      data={"csrf_token": csrf_from(asked.text), "confirmed": "yes"})
    assert closed.status_code == 303
    assert (await london.client.get(f"/api/v1/proposals/{created['id']}")).json()["status"] == "closed"


async def test_a_logged_out_member_is_offered_a_login_without_learning_what_exists(london: Instance) -> None:
    event = await publish_event(london, _event(visibility="members"))
    hidden = await london.client.get(f"/events/{event['id']}")
    missing = await london.client.get("/events/no-such-event")
    assert hidden.status_code == missing.status_code == 404
    assert f'href="/login?next=/events/{event["id"]}"' in hidden.text
    assert 'href="/login?next=/events/no-such-event"' in missing.text  # the same offer for what does not exist
    # Servers get the bare 404, no page and no offer.
    fetched = await london.client.get(f"/events/{event['id']}", headers=AS2)
    assert fetched.status_code == 404 and "login" not in fetched.text
    # Logged in, a page not found offers no login.
    await london.ctx.accounts.create_user("jonas", PASSWORD, Role.MEMBER)
    await log_in(london.client, "jonas", PASSWORD)
    assert "/login?next=" not in (await london.client.get("/events/no-such-event")).text


async def test_a_64_kb_description_comes_back_on_its_form(london: Instance) -> None:
    await london.ctx.accounts.create_user("tom", PASSWORD, Role.FACILITATOR)
    await log_in(london.client, "tom", PASSWORD)
    form = (await london.client.get("/events/new")).text
    fields = {"csrf_token": csrf_from(form), "title": "Reading group", "description": "word " * 13_000,
              "start": f"{NEXT_YEAR}-02-02T18:30", "end": f"{NEXT_YEAR}-02-02T20:00", "timezone": "UTC",
              "location_name": "Library", "repeat": "none", "category": "MEETING", "visibility": "public",
              "join_mode": "free", "status": "confirmed", "language": "en"}
    refused = await london.client.post("/events/new", data=fields)
    assert refused.status_code == 422
    assert "<form" in refused.text and 'value="Reading group"' in refused.text  # the form, as typed
    assert "20000" in refused.text  # says how long it may be
    assert (await london.client.get("/api/v1/events")).json()["items"] == []  # nothing stored


async def test_every_page_links_a_favicon_that_is_served(london: Instance) -> None:
    page = (await london.client.get("/")).text
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    icon = await london.client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
