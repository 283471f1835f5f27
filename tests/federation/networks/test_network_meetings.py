"""A network's coordination meeting reaches every member chapter's calendar,
in that chapter's zone, naming who represents the chapter: the holder of its
facilitator office at the meeting's start (fedchapter.networks.representatives),
rotated by passing the office on."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fedchapter.roles import Role
from tests.federation.networks.helpers import join_network, network_instance
from tests.support.federation import wait_until_drained
from tests.support.instances import Instance, Network
from tests.support.record import PASSWORD
from tests.web.proposal_helpers import admin_headers


async def network_items(chapter: Instance) -> list[dict[str, Any]]:
    response = await chapter.client.get("/api/v1/events", params={"scope": "network"})
    assert response.status_code == 200, response.text
    return response.json()["items"]  # type: ignore[no-any-return]


async def test_a_network_meeting_names_each_member_chapters_representative_in_its_zone(net: Network) -> None:
    alliance = await network_instance(net)
    leeds = await net.chapter("leeds", name="Leeds Group", timezone="Europe/London")
    vienna = await net.chapter("vienna", name="Gruppe Wien", timezone="Europe/Vienna")
    await join_network(leeds, alliance)
    await join_network(vienna, alliance)
    # Leeds's facilitator holds the office since her account was made; Vienna hands it to Bo.
    await leeds.ctx.accounts.create_user("ada", PASSWORD, Role.FACILITATOR, display_name="Ada")
    bo = await vienna.ctx.accounts.create_user("bo", PASSWORD, Role.MEMBER, display_name="Bo")
    await vienna.ctx.members.roles.rotate(Role.FACILITATOR, user_id=bo.id)

    year = datetime.now(UTC).year + 1
    created = await alliance.client.post("/api/v1/events", headers=await admin_headers(alliance), json={
        "title": "Coordination call", "description": "One representative per chapter.",
        "start": f"{year}-07-01T15:00", "end": f"{year}-07-01T16:00", "timezone": "UTC",
        "online_url": "https://meet.example.org/call", "visibility": "public"})
    assert created.status_code == 201, created.text
    call = created.json()["ap_id"]
    await wait_until_drained(alliance, leeds, vienna)

    for chapter, names in ((leeds, ["Ada"]), (vienna, ["Bo"])):
        [item] = [item for item in await network_items(chapter) if item["ap_id"] == call]
        assert item["representatives"] == names
    # Each chapter's page gives the time in its own zone and names its representative.
    leeds_page = (await leeds.client.get("/events/network")).text
    assert "Representing us: Ada" in leeds_page and "16:00" in leeds_page and "BST" in leeds_page
    vienna_page = (await vienna.client.get("/events/network?lang=en")).text
    assert "Representing us: Bo" in vienna_page and "17:00" in vienna_page

    # Vienna rotates: Cy takes the facilitator office, and so goes to the next call.
    cy = await vienna.ctx.accounts.create_user("cy", PASSWORD, Role.MEMBER, display_name="Cy")
    await vienna.ctx.members.roles.rotate(Role.FACILITATOR, user_id=cy.id)
    [item] = [item for item in await network_items(vienna) if item["ap_id"] == call]
    assert item["representatives"] == ["Cy"]
    # The chapter's own events name no representative.
    own = await leeds.client.post("/api/v1/events", headers=await admin_headers(leeds), json={
        "title": "Branch meeting", "description": "", "start": f"{year}-07-02T19:00",
        "end": f"{year}-07-02T21:00", "timezone": "Europe/London", "visibility": "public"})
    assert own.status_code == 201, own.text
    [mine] = [item for item in await network_items(leeds) if item["ap_id"] == own.json()["ap_id"]]
    assert "representatives" not in mine


async def test_a_chapter_that_left_names_no_representative(net: Network) -> None:
    alliance = await network_instance(net)
    hull = await net.chapter("hull", name="Hull Group", timezone="Europe/London")
    await join_network(hull, alliance)
    await hull.ctx.accounts.create_user("ada", PASSWORD, Role.FACILITATOR, display_name="Ada")
    year = datetime.now(UTC).year + 1
    created = await alliance.client.post("/api/v1/events", headers=await admin_headers(alliance), json={
        "title": "Coordination call", "description": "", "start": f"{year}-07-01T15:00",
        "end": f"{year}-07-01T16:00", "timezone": "UTC", "visibility": "public"})
    assert created.status_code == 201, created.text
    await wait_until_drained(alliance, hull)
    [item] = await network_items(hull)
    assert item["representatives"] == ["Ada"]
    # While still following the network (an affiliation that is no longer 'member'), no one represents Hull.
    await hull.ctx.database.execute("UPDATE affiliations SET status = 'left'")
    [item] = await network_items(hull)
    assert "representatives" not in item
