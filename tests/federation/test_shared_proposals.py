"""A proposal shared between chapters: the origin delivers it, another chapter
adopts it, votes locally and reports its decision back."""
from __future__ import annotations

from fedchapter.roles import Role
from tests.federation.mastodon_peer import eventually
from tests.support.federation import follow, wait_until_drained
from tests.support.instances import Instance, Network
from tests.support.record import bearer
from tests.web.proposal_helpers import admin_headers, create


async def offers(instance: Instance, headers: dict[str, str]) -> list[dict[str, object]]:
    response = await instance.client.get("/api/v1/proposals/offers", headers=headers)
    assert response.status_code == 200
    return response.json()["items"]  # type: ignore[no-any-return]


async def test_a_shared_proposal_comes_back_with_each_chapters_decision(net: Network, london: Instance) -> None:
    paris = await net.chapter("paris", name="Paris Chapter", timezone="Europe/Paris")
    paris_actor = "http://paris.test/actors/paris"
    origin = await create(london, await admin_headers(london), "yes-no", quorum="50%",
                          share_with=[paris_actor])
    paris_admin = await admin_headers(paris)

    async def offered() -> bool:
        return bool(await offers(paris, paris_admin))

    await eventually(offered, "the shared proposal reaches Paris")
    offer = (await offers(paris, paris_admin))[0]
    assert (offer["question"], offer["origin_chapter"], offer["method"]) == (origin["ap_id"], "http://london.test/actors/london", "yes-no")
    assert offer["quorum"] == "50%"

    adopted = await paris.client.post("/api/v1/proposals/adopt", json={"question": origin["ap_id"]}, headers=paris_admin)
    assert adopted.status_code == 201, adopted.text
    local = adopted.json()
    assert local["adopted_from"] == origin["ap_id"] and local["status"] == "open"
    again = await paris.client.post("/api/v1/proposals/adopt", json={"question": origin["ap_id"]}, headers=paris_admin)
    assert again.status_code == 409
    # Still listed, now with the local proposal that adopted it.
    assert [(item["adopted"], item["scope"]) for item in await offers(paris, paris_admin)] == [(local["id"], None)]

    for number, choice in enumerate(["yes", "yes", "no"]):
        voter = await bearer(paris, f"p{number}", Role.MEMBER)
        await paris.client.post(f"/api/v1/proposals/{local['id']}/vote", json={"choice": choice}, headers=voter)
    closed = await paris.client.post(f"/api/v1/proposals/{local['id']}/close", headers=paris_admin)
    assert closed.json()["outcome"] == "passed"

    async def reported() -> bool:
        proposal = (await london.client.get(f"/api/v1/proposals/{origin['id']}")).json()
        return bool(proposal["chapter_results"])

    await eventually(reported, "Paris's decision reaches London")
    proposal = (await london.client.get(f"/api/v1/proposals/{origin['id']}")).json()
    decision = proposal["chapter_results"][0]
    assert decision["chapter"] == paris_actor
    assert (decision["outcome"], decision["voters"], decision["counts"]) == ("passed", 3, {"yes": 2, "no": 1, "abstain": 0})
    # London's own close lists every chapter's decision in its result.
    result = (await london.client.post(f"/api/v1/proposals/{origin['id']}/close", headers=await admin_headers(london))).json()
    assert result["chapters"][0]["chapter"] == paris_actor
    page = (await london.client.get(f"/proposals/{origin['id']}")).text
    assert "Decisions of the other chapters" in page and "paris.test" in page


async def test_a_following_chapter_may_adopt_and_report_too(net: Network, london: Instance) -> None:
    dublin = await net.chapter("dublin", name="Dublin Chapter", timezone="Europe/Dublin")
    await follow(dublin, london)
    await wait_until_drained(london, dublin)
    origin = await create(london, await admin_headers(london), "consent")
    dublin_admin = await admin_headers(dublin)

    async def offered() -> bool:
        return bool(await offers(dublin, dublin_admin))

    await eventually(offered, "London's proposal reaches its follower Dublin as an offer")
    adopted = await dublin.client.post("/api/v1/proposals/adopt", json={"question": origin["ap_id"]}, headers=dublin_admin)
    local = adopted.json()
    blocker = await bearer(dublin, "bea", Role.MEMBER)
    await dublin.client.post(f"/api/v1/proposals/{local['id']}/vote",
                             json={"choice": "block", "reason": "Not in our constitution."}, headers=blocker)
    await dublin.client.post(f"/api/v1/proposals/{local['id']}/close", headers=dublin_admin)

    async def reported() -> bool:
        proposal = (await london.client.get(f"/api/v1/proposals/{origin['id']}")).json()
        return bool(proposal.get("chapter_results"))

    # Not shared explicitly, so London lists reports only once one arrives.
    await eventually(reported, "Dublin's decision reaches London")
    proposal = (await london.client.get(f"/api/v1/proposals/{origin['id']}")).json()
    assert proposal["chapter_results"][0]["outcome"] == "blocked"
