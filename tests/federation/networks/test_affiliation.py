"""Chapters ask a network to take them as members; the network's admins
accept or refuse, weigh them and name their delegates; chapters leave."""
from __future__ import annotations

from tests.federation.networks.helpers import affiliate, affiliations, answer, network_instance, request_of, requests
from tests.support.federation import wait_until_drained
from tests.support.instances import Instance, Network
from tests.web.proposal_helpers import admin_headers


async def test_a_chapter_asks_and_the_network_accepts_weighs_and_names_delegates(net: Network) -> None:
    alliance = await network_instance(net)
    leeds = await net.chapter("leeds", name="Leeds Group", timezone="Europe/London")
    actor = (await alliance.client.get("/actors/alliance", headers={"Accept": "application/activity+json"})).json()
    assert actor["fc:network"] is True

    asked = await affiliate(leeds, alliance)
    assert (asked["network"], asked["status"]) == ("http://alliance.test/actors/alliance", "pending")
    pending = await request_of(alliance, leeds)
    assert (pending["status"], pending["weight"], pending["delegates"], pending["name"]) == (
        "pending", 1, [], "Leeds Group")
    assert (await affiliations(leeds))[0]["status"] == "pending"

    settled = await answer(alliance, leeds, "accept", weight=3, delegates=["Ada", "Bo", "Cy"])
    assert (settled["status"], settled["weight"], settled["delegates"]) == ("member", 3, ["Ada", "Bo", "Cy"])
    assert (await affiliations(leeds))[0]["status"] == "member"
    # The chapter follows the network, so the network's events reach its calendar.
    following = await leeds.ctx.repos.following.get((await leeds.ctx.chapter_actor()).id, asked["network"])
    assert following is not None and following.state == "accepted"

    page = (await alliance.client.get("/network/chapters")).text
    assert "Leeds Group" in page and "Ada, Bo, Cy" in page and ">3<" in page


async def test_a_refused_chapter_learns_it_and_cannot_be_accepted_after(net: Network) -> None:
    alliance = await network_instance(net)
    york = await net.chapter("york", name="York Group", timezone="Europe/London")
    await affiliate(york, alliance)
    await answer(alliance, york, "reject")
    assert (await affiliations(york))[0]["status"] == "rejected"
    refused = await request_of(alliance, york)
    headers = await admin_headers(alliance)
    again = await alliance.client.post(f"/api/v1/network/chapters/{refused['id']}/accept", headers=headers)
    assert again.status_code == 409
    assert "York Group" not in (await alliance.client.get("/network/chapters")).text


async def test_accepting_twice_and_bad_weights_are_refused_and_change_nothing(net: Network) -> None:
    alliance = await network_instance(net)
    hull = await net.chapter("hull", name="Hull Group", timezone="Europe/London")
    await affiliate(hull, alliance)
    await answer(alliance, hull, "accept")
    found = await request_of(alliance, hull)
    headers = await admin_headers(alliance)
    twice = await alliance.client.post(f"/api/v1/network/chapters/{found['id']}/accept", headers=headers)
    assert twice.status_code == 409 and "not pending" in twice.json()["error"]
    for weight in (0, -2, 1.5, "3", True):
        bad = await alliance.client.patch(f"/api/v1/network/chapters/{found['id']}", json={"weight": weight},
                                          headers=headers)
        assert bad.status_code == 422 and bad.json()["field"] == "weight", weight
    bad = await alliance.client.patch(f"/api/v1/network/chapters/{found['id']}", json={"delegates": [""]},
                                      headers=headers)
    assert bad.status_code == 422 and bad.json()["field"] == "delegates.0"
    assert (await request_of(alliance, hull))["weight"] == 1


async def test_asking_a_chapter_that_is_not_a_network_is_refused(net: Network, london: Instance) -> None:
    leeds = await net.chapter("leeds", name="Leeds Group", timezone="Europe/London")
    response = await leeds.client.post("/api/v1/affiliations", json={"network": london.settings.chapter_handle},
                                       headers=await admin_headers(leeds))
    assert response.status_code == 422 and "is not a network" in response.json()["error"]
    assert await affiliations(leeds) == []
    # A Join sent anyway is refused by the chapter with the reason, and recorded.
    await leeds.ctx.networks.affiliations.link.send_join(london.ctx.urls.actor("london"))
    await wait_until_drained(leeds, london)
    reason = await london.ctx.database.fetchvalue("SELECT error FROM inbox WHERE type = 'Join'")
    assert "not a network" in reason
    missing = await london.client.get("/api/v1/network/chapters", headers=await admin_headers(london))
    assert missing.status_code == 404


async def test_a_chapter_that_leaves_is_no_longer_a_member(net: Network) -> None:
    alliance = await network_instance(net)
    leeds = await net.chapter("leeds", name="Leeds Group", timezone="Europe/London")
    asked = await affiliate(leeds, alliance)
    await answer(alliance, leeds, "accept")
    headers = await admin_headers(leeds)
    left = await leeds.client.delete(f"/api/v1/affiliations/{asked['id']}", headers=headers)
    assert left.status_code == 200 and left.json()["status"] == "left"
    await wait_until_drained(leeds, alliance)
    assert (await request_of(alliance, leeds))["status"] == "left"
    assert await alliance.ctx.networks.chapters.members() == []
    again = await leeds.client.delete(f"/api/v1/affiliations/{asked['id']}", headers=headers)
    assert again.status_code == 409
    assert [item["status"] for item in await requests(alliance)] == ["left"]
