"""A network puts a proposal to its member chapters (`scope: "chapters"`):
each adopts it by its own means, reports, and the network tallies the
reports by chapters or by delegates."""
from __future__ import annotations

from itertools import count
from typing import Any

from fedchapter.roles import Role
from tests.federation.mastodon_peer import eventually
from tests.federation.networks.helpers import affiliate, answer, join_network, network_instance
from tests.support.federation import wait_until_drained
from tests.support.instances import Instance, Network
from tests.support.record import bearer
from tests.web.proposal_helpers import admin_headers, create, in_days


_voters = count()


async def offer_of(chapter: Instance, question: str) -> dict[str, Any] | None:
    response = await chapter.client.get("/api/v1/proposals/offers", headers=await admin_headers(chapter))
    return next((item for item in response.json()["items"] if item["question"] == question), None)


async def adopt(chapter: Instance, question: str, **means: Any) -> str:
    """The chapter adopts the network's offer (with its own means, where given)."""
    async def offered() -> bool:
        return await offer_of(chapter, question) is not None

    await eventually(offered, f"the network's proposal reaches {chapter.host}")
    adopted = await chapter.client.post("/api/v1/proposals/adopt", json={"question": question, **means},
                                        headers=await admin_headers(chapter))
    assert adopted.status_code == 201, adopted.text
    return adopted.json()["id"]  # type: ignore[no-any-return]


async def vote_and_close(chapter: Instance, local_id: str, choices: list[dict[str, str]]) -> None:
    for ballot in choices:
        voter = await bearer(chapter, f"{chapter.settings.handle}{next(_voters)}", Role.MEMBER)
        cast = await chapter.client.post(f"/api/v1/proposals/{local_id}/vote", json=ballot, headers=voter)
        assert cast.status_code == 200, cast.text
    closed = await chapter.client.post(f"/api/v1/proposals/{local_id}/close", headers=await admin_headers(chapter))
    assert closed.status_code == 200, closed.text


async def decide(chapter: Instance, question: str, choices: list[dict[str, str]], **means: Any) -> None:
    await vote_and_close(chapter, await adopt(chapter, question, **means), choices)


async def network_result(network: Instance, proposal_id: str) -> dict[str, Any]:
    response = await network.client.get(f"/api/v1/proposals/{proposal_id}")
    return response.json()["result"]  # type: ignore[no-any-return]


async def test_chapters_decide_by_their_own_means_and_the_network_weighs_them(net: Network) -> None:
    alliance = await network_instance(net)
    leeds = await net.chapter("leeds", name="Leeds Group", timezone="Europe/London")
    york = await net.chapter("york", name="York Group", timezone="Europe/London")
    hull = await net.chapter("hull", name="Hull Group", timezone="Europe/London")
    bath = await net.chapter("bath", name="Bath Group", timezone="Europe/London")
    await join_network(leeds, alliance, weight=3)
    await join_network(york, alliance)
    await join_network(hull, alliance)
    await affiliate(bath, alliance)
    await answer(alliance, bath, "reject")
    actor = {chapter.host: chapter.ctx.urls.actor(chapter.settings.handle) for chapter in (leeds, york, hull, bath)}

    network_admin = await admin_headers(alliance)
    by_delegates = await create(alliance, network_admin, "yes-no", scope="chapters", network_rule="delegates")
    by_chapters = await create(alliance, network_admin, "yes-no", scope="chapters")
    assert set(by_delegates["share_with"]) == {actor["leeds.test"], actor["york.test"], actor["hull.test"]}
    live = await network_result(alliance, by_delegates["id"])
    assert live["chapters"] == [] and sorted(live["pending"]) == sorted(by_delegates["share_with"])
    assert live["weighted"] == {"passed": 0, "rejected": 0, "blocked": 0, "no-quorum": 0}
    await wait_until_drained(alliance, leeds)  # the offer is delivered by the worker, not on the request
    assert (await offer_of(leeds, by_delegates["ap_id"]))["scope"] == "chapters"  # type: ignore[index]

    for proposal in (by_delegates, by_chapters):
        # Leeds decides by consent (its own method); York and Hull by yes-no and say no.
        await decide(leeds, proposal["ap_id"], [{"choice": "agree"}, {"choice": "agree"}], method="consent")
        await decide(york, proposal["ap_id"], [{"choice": "no"}])
        await wait_until_drained(leeds, york, alliance)

    live = await network_result(alliance, by_delegates["id"])
    assert live["pending"] == [actor["hull.test"]] and live["final"] is False
    rows = {row["chapter"]: row for row in live["chapters"]}
    assert (rows[actor["leeds.test"]]["outcome"], rows[actor["leeds.test"]]["weight"]) == ("passed", 3)
    assert rows[actor["leeds.test"]]["counts"] == {"agree": 2, "abstain": 0, "disagree": 0, "block": 0}
    assert rows[actor["leeds.test"]]["report"].endswith("/decision")
    # The first report counted went out at once in an Update(Question) (later ones are batched).
    running = (await offer_of(hull, by_delegates["ap_id"]))["tally"]  # type: ignore[index]
    assert running["final"] is False and actor["hull.test"] in running["pending"]
    assert actor["leeds.test"] in {row["chapter"] for row in running["chapters"]}

    # A forged report from the refused chapter changes nothing.
    await forge_report(bath, alliance, by_delegates["ap_id"])
    assert actor["bath.test"] not in {row["chapter"] for row in (await network_result(alliance, by_delegates["id"]))["chapters"]}
    reason = await alliance.ctx.database.fetchvalue(
        "SELECT error FROM inbox WHERE actor_id = ? AND state = 'ignored'", (actor["bath.test"],))
    assert "not offered" in reason

    # Hull adopted in time but reports late: after the network's close its first report still counts.
    for proposal in (by_delegates, by_chapters):
        hull_copy = await adopt(hull, proposal["ap_id"])
        closed = await alliance.client.post(f"/api/v1/proposals/{proposal['id']}/close", headers=network_admin)
        assert closed.status_code == 200
        await vote_and_close(hull, hull_copy, [{"choice": "no"}, {"choice": "yes"}, {"choice": "no"}])
    await wait_until_drained(hull, alliance)

    delegates = await network_result(alliance, by_delegates["id"])
    assert delegates["pending"] == [] and delegates["final"] is True
    assert delegates["weighted"] == {"passed": 3, "rejected": 2, "blocked": 0, "no-quorum": 0}
    assert (delegates["network_rule"], delegates["outcome"]) == ("delegates", "passed")
    chapters = await network_result(alliance, by_chapters["id"])
    assert (chapters["network_rule"], chapters["outcome"]) == ("chapters", "rejected")

    # Update(Question) carried the running tally to every chapter offered it,
    # the late report included; each keeps it with its offer.
    for member in (leeds, york, hull):
        tally = (await offer_of(member, by_delegates["ap_id"]))["tally"]  # type: ignore[index]
        assert (tally["network_rule"], tally["outcome"], tally["final"]) == ("delegates", "passed", True)
        assert tally["pending"] == [] and tally["weighted"] == delegates["weighted"]
        assert sorted((row["chapter"], row["outcome"], row["weight"]) for row in tally["chapters"]) == sorted(
            [(actor["leeds.test"], "passed", 3), (actor["york.test"], "rejected", 1),
             (actor["hull.test"], "rejected", 1)])
    by_count = (await offer_of(york, by_chapters["ap_id"]))["tally"]  # type: ignore[index]
    assert (by_count["network_rule"], by_count["outcome"]) == ("chapters", "rejected")

    # The report URL serves the chapter's Note itself.
    note = (await leeds.client.get(rows[actor["leeds.test"]]["report"],
                                   headers={"Accept": "application/activity+json"})).json()
    assert note["id"] == rows[actor["leeds.test"]]["report"] and note["fc:result"]["outcome"] == "passed"


async def test_an_older_tally_arriving_after_a_newer_one_is_not_kept(net: Network) -> None:
    alliance = await network_instance(net)
    leeds = await net.chapter("leeds", name="Leeds Group", timezone="Europe/London")
    await join_network(leeds, alliance)
    proposal = await create(alliance, await admin_headers(alliance), "yes-no", scope="chapters")
    await wait_until_drained(alliance, leeds)
    question = (await alliance.client.get(f"/proposals/{proposal['id']}",
                                          headers={"Accept": "application/activity+json"})).json()
    network = await alliance.ctx.chapter_actor()
    outbound = alliance.ctx.federation.outbound
    leeds_actor = leeds.ctx.urls.actor(leeds.settings.handle)

    async def update_carrying(outcome: str, updated: str, *, final: bool = False) -> None:
        carried = {**question, "fc:tally": {
            "networkRule": "chapters", "outcome": outcome, "final": final, "updated": updated, "pending": [],
            "weighted": {"passed": 0, "rejected": 0, "blocked": 0, "no-quorum": 0}, "chapters": []}}
        activity = {"@context": "https://www.w3.org/ns/activitystreams", "id": outbound.new_activity_id(),
                    "type": "Update", "actor": question["attributedTo"], "object": carried, "to": [leeds_actor]}
        await outbound.send(activity, network, [leeds_actor])
        await wait_until_drained(alliance, leeds)

    async def kept() -> tuple[str, bool]:
        tally = (await offer_of(leeds, proposal["ap_id"]))["tally"]  # type: ignore[index]
        return tally["outcome"], tally["final"]

    # The network's later Update overtakes an earlier one on the way: the earlier one changes nothing.
    await update_carrying("passed", "2099-01-01T10:00:00.000002Z")
    await update_carrying("rejected", "2099-01-01T10:00:00.000001Z")
    assert await kept() == ("passed", False)
    # A newer one replaces it; once final, only a final tally replaces it.
    await update_carrying("rejected", "2099-01-01T10:00:01Z", final=True)
    await update_carrying("passed", "2099-01-02T10:00:00Z")
    assert await kept() == ("rejected", True)
    # The offer itself (title, closing time) still follows each Update.
    assert (await offer_of(leeds, proposal["ap_id"]))["title"] == question["name"]  # type: ignore[index]


async def forge_report(sender: Instance, network: Instance, question: str) -> None:
    chapter = await sender.ctx.chapter_actor()
    me = sender.ctx.urls.actor(chapter.username)
    note = {"id": sender.ctx.urls.absolute("/proposals/forged/decision"), "type": "Note", "attributedTo": me,
            "inReplyTo": question, "content": "<p>passed</p>", "to": [network.ctx.urls.actor("alliance")],
            "fc:result": {"outcome": "passed", "counts": {"yes": 99, "no": 0, "abstain": 0}, "voters": 99,
                          "quorum_met": True}}
    outbound = sender.ctx.federation.outbound
    activity = {"@context": "https://www.w3.org/ns/activitystreams", "id": outbound.new_activity_id(),
                "type": "Create", "actor": me, "object": note, "to": note["to"]}
    await outbound.send(activity, chapter, note["to"])
    await wait_until_drained(sender, network)


async def test_scope_needs_a_network_and_a_known_rule(net: Network, london: Instance) -> None:
    headers = await admin_headers(london)
    body = {"title": "T", "body": "B", "method": "yes-no", "closes_at": in_days(7)}
    refused = await london.client.post("/api/v1/proposals", json={**body, "scope": "chapters"}, headers=headers)
    assert refused.status_code == 422 and refused.json()["field"] == "scope"
    alliance = await network_instance(net)
    network_admin = await admin_headers(alliance)
    for extra, field in (({"scope": "chapters", "network_rule": "votes"}, "network_rule"),
                         ({"network_rule": "delegates"}, "network_rule"), ({"scope": "everyone"}, "scope")):
        bad = await alliance.client.post("/api/v1/proposals", json={**body, **extra}, headers=network_admin)
        assert bad.status_code == 422 and bad.json()["field"] == field, extra
