"""A network puts a question to every member of its member chapters (`scope:
"members"`): each chapter opens its copy as the offer arrives, forwards each
member's ballot signed by the chapter, and the network counts every voter
once with the proposal's own method (STV here)."""
from __future__ import annotations

import json
from datetime import UTC, datetime
from itertools import count
from typing import Any

from fedchapter.networks.model import ForwardedBallot
from fedchapter.roles import Role
from tests.federation.mastodon_peer import eventually
from tests.federation.networks.helpers import join_network, network_instance
from tests.federation.networks.test_chapter_decisions import network_result, offer_of
from tests.federation.networks.test_verified_results import ignored_reasons
from tests.support.federation import wait_until_drained
from tests.support.instances import Instance, Network
from tests.support.record import bearer
from tests.web.proposal_helpers import admin_headers, create, in_days

_people = count()


async def opened_copy(chapter: Instance, question: str) -> str:
    """The chapter's own copy, opened by itself when the offer arrived."""
    async def adopted() -> bool:
        offer = await offer_of(chapter, question)
        return offer is not None and offer["adopted"] is not None

    await eventually(adopted, f"{chapter.host} opens its copy of the members ballot")
    offer = await offer_of(chapter, question)
    assert offer is not None and offer["scope"] == "members"
    return offer["adopted"]  # type: ignore[no-any-return]


async def member_votes(chapter: Instance, local_id: str, ranking: list[str]) -> tuple[str, dict[str, str]]:
    """A new voting member of ``chapter`` ranks the options there; (their actor, their headers)."""
    username = f"{chapter.settings.handle}{next(_people)}"
    headers = await bearer(chapter, username, Role.MEMBER)
    await change_vote(chapter, local_id, headers, ranking)
    return chapter.ctx.urls.actor(username), headers


async def change_vote(chapter: Instance, local_id: str, headers: dict[str, str], ranking: list[str]) -> None:
    cast = await chapter.client.post(f"/api/v1/proposals/{local_id}/vote", json={"ranking": ranking}, headers=headers)
    assert cast.status_code == 200, cast.text


async def test_every_member_votes_once_at_their_chapter_and_the_network_counts_by_stv(net: Network) -> None:
    alliance = await network_instance(net)
    leeds = await net.chapter("leeds", name="Leeds Group", timezone="Europe/London")
    york = await net.chapter("york", name="York Group", timezone="Europe/London")
    await join_network(leeds, alliance)
    await join_network(york, alliance)
    leeds_actor, york_actor = leeds.ctx.urls.actor("leeds"), york.ctx.urls.actor("york")

    network_admin = await admin_headers(alliance)
    proposal = await create(alliance, network_admin, "stv", scope="members", options=["Ada", "Bo", "Cy"], seats=1)
    leeds_copy = await opened_copy(leeds, proposal["ap_id"])
    york_copy = await opened_copy(york, proposal["ap_id"])
    # Nobody adopts a members ballot by hand: it is open already.
    again = await leeds.client.post("/api/v1/proposals/adopt", json={"question": proposal["ap_id"]},
                                    headers=await admin_headers(leeds))
    assert again.status_code == 409

    _, changer = await member_votes(leeds, leeds_copy, ["Ada"])
    await member_votes(leeds, leeds_copy, ["Cy", "Bo"])
    leeds_voter, _ = await member_votes(leeds, leeds_copy, ["Ada", "Bo"])
    await member_votes(york, york_copy, ["Bo"])
    await member_votes(york, york_copy, ["Cy", "Bo"])
    # One Leeds member changes their mind: the network counts the new ballot, once.
    await change_vote(leeds, leeds_copy, changer, ["Bo", "Ada"])
    await wait_until_drained(leeds, york, alliance)

    live = await network_result(alliance, proposal["id"])
    assert (live["scope"], live["voters"], live["final"]) == ("members", 5, False)
    assert live["by_chapter"] == {leeds_actor: 3, york_actor: 2}

    # York vouches for a Leeds member too: that voter is already counted through Leeds.
    york_group = await york.ctx.proposals.proposals.get(york_copy)
    await york.ctx.proposals.proposals.on_vote.courier.forward(ForwardedBallot(  # type: ignore[attr-defined]
        proposal=york_group, origin_question=proposal["ap_id"], network=alliance.ctx.urls.actor("alliance"),
        voter=leeds_voter, choices=("Cy",), cast_at=datetime.now(UTC), members=2, changed=False,
    ))
    await wait_until_drained(york, alliance)
    assert f"already counted through {leeds_actor}" in (await ignored_reasons(alliance))[-1]

    closed = await alliance.client.post(f"/api/v1/proposals/{proposal['id']}/close", headers=network_admin)
    assert closed.status_code == 200, closed.text
    result = await network_result(alliance, proposal["id"])
    # First preferences Bo 2, Cy 2, Ada 1; Ada is excluded and her ballot goes on to Bo.
    assert (result["voters"], result["counts"], result["elected"], result["final"]) == (
        5, {"Ada": 1, "Bo": 2, "Cy": 2}, ["Bo"], True)
    assert result["by_chapter"] == {leeds_actor: 3, york_actor: 2}
    assert result["members"] >= 5  # the chapters' voting members, as each said

    # York's copy is still open, but the network's count is closed: a late ballot changes nothing.
    await member_votes(york, york_copy, ["Cy"])
    await wait_until_drained(york, alliance)
    assert "voting on this proposal has closed" in (await ignored_reasons(alliance))[-1]
    assert (await network_result(alliance, proposal["id"]))["voters"] == 5


async def test_a_members_ballot_takes_no_network_rule_and_a_tampered_ballot_is_refused(net: Network) -> None:
    alliance = await network_instance(net)
    leeds = await net.chapter("leeds", name="Leeds Group", timezone="Europe/London")
    await join_network(leeds, alliance)
    network_admin = await admin_headers(alliance)
    bad = await alliance.client.post("/api/v1/proposals", headers=network_admin, json={
        "title": "T", "body": "B", "method": "yes-no", "closes_at": in_days(7),
        "scope": "members", "network_rule": "delegates"})
    assert bad.status_code == 422 and bad.json()["field"] == "network_rule"

    proposal = await create(alliance, network_admin, "yes-no", scope="members")
    leeds_copy = await opened_copy(leeds, proposal["ap_id"])
    headers = await bearer(leeds, "leedsvoter", Role.MEMBER)
    cast = await leeds.client.post(f"/api/v1/proposals/{leeds_copy}/vote", json={"choice": "no"}, headers=headers)
    assert cast.status_code == 200
    await wait_until_drained(leeds, alliance)
    ballot: dict[str, Any] = await last_ballot(leeds)
    assert ballot["object"]["proof"]["cryptosuite"] == "eddsa-jcs-2022"

    # The same Note with the choice turned to "yes" no longer matches the chapter's proof.
    note = {**ballot["object"], "fc:ballot": {**ballot["object"]["fc:ballot"], "choices": ["yes"]}}
    chapter = await leeds.ctx.chapter_actor()
    outbound = leeds.ctx.federation.outbound
    await outbound.send({"@context": "https://www.w3.org/ns/activitystreams", "id": outbound.new_activity_id(),
                         "type": "Update", "actor": leeds.ctx.urls.actor("leeds"), "object": note,
                         "to": note["to"]}, chapter, note["to"])
    await wait_until_drained(leeds, alliance)
    assert "does not verify" in (await ignored_reasons(alliance))[-1]
    live = await network_result(alliance, proposal["id"])
    assert (live["voters"], live["counts"]) == (1, {"yes": 0, "no": 1, "abstain": 0})


async def last_ballot(chapter: Instance) -> dict[str, Any]:
    """The latest ballot the chapter forwarded, as stored in its outbox."""
    raw = await chapter.ctx.database.fetchvalue(
        "SELECT payload FROM outbox WHERE payload LIKE ? ORDER BY id DESC LIMIT 1", ("%fc:ballot%",))
    return json.loads(raw)  # type: ignore[no-any-return]
