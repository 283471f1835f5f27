"""The network learns whom each member chapter sends to its meetings: the
chapter takes part with a Join of the network's event, signed by the chapter
itself and naming its representatives (``fc:representative``), and says it
again whenever its facilitator office changes hands. The network's event
page and API list every member chapter with its representatives, or "not
named yet"; only a member chapter's own word counts, the latest kept."""
from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from fedchapter.roles import Role
from tests.federation.networks.helpers import affiliate, answer, join_network, network_instance
from tests.federation.networks.test_verified_results import ignored_reasons
from tests.support.federation import wait_until_drained
from tests.support.instances import Instance, Network
from tests.support.record import PASSWORD
from tests.web.proposal_helpers import admin_headers


async def coordination_call(alliance: Instance) -> dict[str, Any]:
    year = datetime.now(UTC).year + 1
    created = await alliance.client.post("/api/v1/events", headers=await admin_headers(alliance), json={
        "title": "Coordination call", "description": "One representative per chapter.",
        "start": f"{year}-07-01T15:00", "end": f"{year}-07-01T16:00", "timezone": "UTC",
        "online_url": "https://meet.example.org/call", "visibility": "public"})
    assert created.status_code == 201, created.text
    return created.json()  # type: ignore[no-any-return]


async def named(alliance: Instance, event_id: str) -> list[tuple[str, str | None]]:
    """(chapter name, representative) as the network's API lists them."""
    response = await alliance.client.get(f"/api/v1/events/{event_id}")
    assert response.status_code == 200, response.text
    return [(item["chapter_name"], item["name"]) for item in response.json()["representatives"]]


def actor_of(chapter: Instance) -> str:
    return chapter.ctx.urls.actor(chapter.settings.handle)


async def join_as(sender: Instance, meeting: str, network: Instance, **fields: Any) -> None:
    """``sender``'s Group sends its own Join of ``meeting`` (HTTP-signed as usual)."""
    group = await sender.ctx.chapter_actor()
    outbound = sender.ctx.federation.outbound
    to = [actor_of(network)]
    await outbound.send({"@context": "https://www.w3.org/ns/activitystreams", "id": outbound.new_activity_id(),
                         "type": "Join", "actor": actor_of(sender), "object": meeting, "to": to, **fields},
                        group, to)
    await wait_until_drained(sender, network)


async def test_the_network_lists_whom_each_member_chapter_sends_and_follows_each_rotation(net: Network) -> None:
    alliance = await network_instance(net)
    leeds = await net.chapter("leeds", name="Leeds Group", timezone="Europe/London")
    vienna = await net.chapter("vienna", name="Gruppe Wien", timezone="Europe/Vienna")
    york = await net.chapter("york", name="York Group", timezone="Europe/London")
    for chapter in (leeds, vienna, york):
        await join_network(chapter, alliance)
    await leeds.ctx.accounts.create_user("ada", PASSWORD, Role.FACILITATOR, display_name="Ada")
    bo = await vienna.ctx.accounts.create_user("bo", PASSWORD, Role.MEMBER, display_name="Bo")
    await vienna.ctx.members.roles.rotate(Role.FACILITATOR, user_id=bo.id)

    call = await coordination_call(alliance)
    await wait_until_drained(alliance, leeds, vienna, york)
    assert await named(alliance, call["id"]) == [("Gruppe Wien", "Bo"), ("Leeds Group", "Ada"), ("York Group", None)]
    [ada] = [item for item in (await alliance.client.get(f"/api/v1/events/{call['id']}")).json()["representatives"]
             if item["name"] == "Ada"]
    assert (ada["chapter"], ada["actor"]) == (actor_of(leeds), leeds.ctx.urls.actor("ada"))
    # Each chapter took part as itself, with the Join other software reads as an RSVP.
    joins = await alliance.ctx.database.fetchall(
        "SELECT payload FROM inbox WHERE type = 'Join' AND actor_id = ? AND state = 'done'", (actor_of(leeds),))
    [join] = [json.loads(row["payload"]) for row in joins if "fc:representative" in row["payload"]]
    assert (join["object"], join["fc:representative"]) == (
        call["ap_id"], [{"type": "Person", "name": "Ada", "id": leeds.ctx.urls.actor("ada")}])

    page = (await alliance.client.get(f"/events/{call['id']}?lang=en")).text
    assert "Representatives of the member chapters" in page
    assert "Leeds Group</a>: Ada" in page and "Gruppe Wien</a>: Bo" in page
    assert "York Group</a>: <em>not named yet</em>" in page

    # Vienna passes the office to Cy, York gives it to Dee: the network hears at once.
    cy = await vienna.ctx.accounts.create_user("cy", PASSWORD, Role.MEMBER, display_name="Cy")
    await vienna.ctx.members.roles.rotate(Role.FACILITATOR, user_id=cy.id)
    dee = await york.ctx.accounts.create_user("dee", PASSWORD, Role.MEMBER, display_name="Dee")
    await york.ctx.members.roles.set_user_role(dee.id, Role.FACILITATOR)
    await wait_until_drained(alliance, leeds, vienna, york)
    assert await named(alliance, call["id"]) == [("Gruppe Wien", "Cy"), ("Leeds Group", "Ada"), ("York Group", "Dee")]

    # Leeds leaves its office empty: nobody is named for it any more.
    [term] = [term for term in await leeds.ctx.members.roles.current() if term.role is Role.FACILITATOR]
    await leeds.ctx.members.roles.end_term(Role.FACILITATOR, term.holder.key)
    await wait_until_drained(alliance, leeds)
    assert ("Leeds Group", None) in await named(alliance, call["id"])


async def test_a_chapter_accepted_after_the_meeting_arrived_names_its_representative(net: Network) -> None:
    alliance = await network_instance(net)
    hull = await net.chapter("hull", name="Hull Group", timezone="Europe/London")
    await hull.ctx.accounts.create_user("ada", PASSWORD, Role.FACILITATOR, display_name="Ada")
    await affiliate(hull, alliance)  # asked, and follows the network; not a member yet
    call = await coordination_call(alliance)
    await wait_until_drained(alliance, hull)
    assert await named(alliance, call["id"]) == []
    await answer(alliance, hull, "accept")
    await wait_until_drained(alliance, hull)
    assert await named(alliance, call["id"]) == [("Hull Group", "Ada")]


async def test_only_a_member_chapters_own_latest_word_counts(net: Network) -> None:
    alliance = await network_instance(net)
    leeds = await net.chapter("leeds", name="Leeds Group", timezone="Europe/London")
    hull = await net.chapter("hull", name="Hull Group", timezone="Europe/London")
    await join_network(leeds, alliance)
    await affiliate(hull, alliance)
    await answer(alliance, hull, "reject")
    await leeds.ctx.accounts.create_user("ada", PASSWORD, Role.FACILITATOR, display_name="Ada")
    call = await coordination_call(alliance)
    await wait_until_drained(alliance, leeds, hull)
    assert await named(alliance, call["id"]) == [("Leeds Group", "Ada")]

    # A refused chapter's naming is refused, with the reason.
    await join_as(hull, call["ap_id"], alliance, **{"fc:representative": [{"type": "Person", "name": "Mallory"}]})
    assert "is not a member chapter" in (await ignored_reasons(alliance))[-1]
    # A member chapter names people by name; a bare URL will not do.
    await join_as(leeds, call["ap_id"], alliance, **{"fc:representative": ["https://leeds.test/actors/ada"]})
    assert "each with a name" in (await ignored_reasons(alliance))[-1]
    # Nor for something that is not one of the network's events.
    await join_as(leeds, "https://alliance.test/events/nothing", alliance,
                  **{"fc:representative": [{"type": "Person", "name": "Ada"}]})
    assert "not one of our events" in (await ignored_reasons(alliance))[-1]
    # A Join said before the one kept (delivered late) changes nothing.
    await join_as(leeds, call["ap_id"], alliance, published="2001-01-01T00:00:00Z",
                  **{"fc:representative": [{"type": "Person", "name": "Mallory"}]})
    assert await named(alliance, call["id"]) == [("Leeds Group", "Ada")]


async def test_a_chapter_that_is_no_network_names_no_representatives(net: Network) -> None:
    leeds = await net.chapter("leeds", name="Leeds Group", timezone="Europe/London")
    call = await coordination_call(leeds)
    assert "representatives" not in (await leeds.client.get(f"/api/v1/events/{call['id']}")).json()
    assert "Representatives of the member chapters" not in (await leeds.client.get(f"/events/{call['id']}")).text
