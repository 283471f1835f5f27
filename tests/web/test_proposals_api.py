"""The proposals API as docs/interfaces.md names it: create, vote, close, read."""
from __future__ import annotations

from datetime import timedelta

from fedchapter.roles import Role
from tests.support.instances import Instance
from tests.support.record import bearer
from tests.web.proposal_helpers import admin_headers, create, in_days, move_clock, proposal_body


async def test_a_facilitator_opens_a_yes_no_proposal_and_members_vote(london: Instance) -> None:
    admin = await admin_headers(london)
    created = await create(london, admin, "yes-no", quorum="50%", threshold="simple-majority")
    assert created["status"] == "open"
    assert created["options"] == ["yes", "no", "abstain"]
    assert created["ap_id"] == created["url"] == f"http://london.test/proposals/{created['id']}"
    assert created["result"] is None
    voters = [await bearer(london, f"member{n}", Role.MEMBER) for n in range(3)]
    for headers, choice in zip(voters, ["yes", "yes", "no"]):
        response = await london.client.post(f"/api/v1/proposals/{created['id']}/vote", json={"choice": choice}, headers=headers)
        assert response.status_code == 200, response.text
        assert response.json()["choice"] == choice
    closed = await london.client.post(f"/api/v1/proposals/{created['id']}/close", headers=admin)
    assert closed.status_code == 200, closed.text
    result = closed.json()
    assert (result["outcome"], result["quorum_met"], result["voters"]) == ("passed", True, 3)
    assert result["counts"] == {"yes": 2, "no": 1, "abstain": 0}
    fetched = (await london.client.get(f"/api/v1/proposals/{created['id']}")).json()
    assert fetched["status"] == "closed"
    assert fetched["result"]["counts"] == {"yes": 2, "no": 1, "abstain": 0}
    # 4 voting members (admin and 3 members): 50% needs 2 voters.
    assert fetched["result"]["quorum_required"] == 2


async def test_a_member_may_change_their_vote_until_the_close(london: Instance) -> None:
    created = await create(london, await admin_headers(london), "single", options=["Tuesday", "Thursday"])
    alice = await bearer(london, "alice", Role.MEMBER)
    vote_url = f"/api/v1/proposals/{created['id']}/vote"
    await london.client.post(vote_url, json={"choice": "Tuesday"}, headers=alice)
    await london.client.post(vote_url, json={"choice": "Thursday"}, headers=alice)
    proposal = (await london.client.get(f"/api/v1/proposals/{created['id']}", headers=alice)).json()
    assert proposal["counts"] == {"Tuesday": 0, "Thursday": 1}
    assert proposal["voters_count"] == 1
    assert proposal["my_vote"]["choice"] == "Thursday"
    log = (await london.client.get(f"/api/v1/proposals/{created['id']}/votes", headers=alice)).json()["items"]
    assert [entry["action"] for entry in log] == ["cast", "changed"]
    # The log says who voted when, never how.
    assert all(set(entry) == {"voter", "action", "channel", "at"} for entry in log)
    assert log[0]["voter"] == "http://london.test/actors/alice"


async def test_bad_votes_are_refused_and_change_nothing(london: Instance) -> None:
    admin = await admin_headers(london)
    ranked = await create(london, admin, "stv", options=["Ann", "Bo", "Cy"], seats=2)
    alice = await bearer(london, "alice", Role.MEMBER)
    vote_url = f"/api/v1/proposals/{ranked['id']}/vote"
    assert (await london.client.post(vote_url, json={"ranking": ["Bo", "Ann"]}, headers=alice)).status_code == 200
    refusals = [
        ({"ranking": ["Ann", "Ann"]}, alice, 422, "ranking.1"),
        ({"ranking": ["Ann", None, "Bo"]}, alice, 422, "ranking.1"),
        ({"ranking": ["Zed"]}, alice, 422, "ranking.0"),
        ({"choice": "Ann"}, alice, 422, "choice"),
    ]
    supporter = await bearer(london, "sam", Role.SUPPORTER)
    refusals.append(({"ranking": ["Ann"]}, supporter, 403, None))
    for body, headers, status, field in refusals:
        response = await london.client.post(vote_url, json=body, headers=headers)
        assert response.status_code == status, (body, response.text)
        assert response.json()["error"]
        assert response.json().get("field") == field
    assert (await london.client.post(vote_url, json={"ranking": ["Ann"]})).status_code == 401
    proposal = (await london.client.get(f"/api/v1/proposals/{ranked['id']}", headers=alice)).json()
    assert proposal["voters_count"] == 1
    assert proposal["my_vote"]["ranking"] == ["Bo", "Ann"]


async def test_a_vote_after_the_closing_time_is_refused(london: Instance) -> None:
    created = await create(london, await admin_headers(london), "yes-no")
    alice = await bearer(london, "alice", Role.MEMBER)
    vote_url = f"/api/v1/proposals/{created['id']}/vote"
    assert (await london.client.post(vote_url, json={"choice": "yes"}, headers=alice)).status_code == 200
    move_clock(london, timedelta(days=8))
    late = await london.client.post(vote_url, json={"choice": "no"}, headers=alice)
    assert late.status_code == 409
    assert "closed" in late.json()["error"]
    # Reading it after its closing time closes it, with the vote that counted.
    proposal = (await london.client.get(f"/api/v1/proposals/{created['id']}")).json()
    assert proposal["status"] == "closed"
    assert proposal["result"]["counts"]["yes"] == 1 and proposal["result"]["counts"]["no"] == 0


async def test_members_draft_and_facilitators_open(london: Instance) -> None:
    member = await bearer(london, "mo", Role.MEMBER)
    facilitator = await bearer(london, "fay", Role.FACILITATOR)
    draft = await create(london, member, "yes-no")
    assert draft["status"] == "draft"
    refused = await london.client.post("/api/v1/proposals", json=proposal_body("yes-no", status="open"), headers=member)
    assert refused.status_code == 403
    # A draft is not for the public, nor open for votes.
    assert (await london.client.get(f"/api/v1/proposals/{draft['id']}")).status_code == 404
    vote = await london.client.post(f"/api/v1/proposals/{draft['id']}/vote", json={"choice": "yes"}, headers=member)
    assert vote.status_code == 409
    assert (await london.client.post(f"/api/v1/proposals/{draft['id']}/open", headers=member)).status_code == 403
    opened = await london.client.post(f"/api/v1/proposals/{draft['id']}/open", headers=facilitator)
    assert opened.status_code == 200 and opened.json()["status"] == "open"
    supporter = await bearer(london, "sue", Role.SUPPORTER)
    assert (await london.client.post("/api/v1/proposals", json=proposal_body("yes-no"), headers=supporter)).status_code == 403


async def test_bad_proposals_answer_422_with_the_field(london: Instance) -> None:
    admin = await admin_headers(london)
    cases = [
        (proposal_body("ranked"), "method"),
        (proposal_body("single"), "options"),
        (proposal_body("stv", options=["a", "b", "c"], seats=3), "seats"),
        (proposal_body("yes-no", closes_at="2020-01-01T00:00:00Z"), "closes_at"),
        (proposal_body("yes-no", quorum="most"), "quorum"),
        (proposal_body("yes-no", share_with=["not a url"]), "share_with.0"),
    ]
    for body, field in cases:
        response = await london.client.post("/api/v1/proposals", json=body, headers=admin)
        assert response.status_code == 422, body
        assert response.json()["field"] == field
    broken = await london.client.post("/api/v1/proposals", content=b"{not json",
                                        headers={**admin, "Content-Type": "application/json"})
    assert broken.status_code == 422


async def test_consent_block_stops_the_proposal_until_withdrawn(london: Instance) -> None:
    admin = await admin_headers(london)
    first = await create(london, admin, "consent")
    second = await create(london, admin, "consent")
    members = [await bearer(london, f"m{n}", Role.MEMBER) for n in range(3)]
    for proposal in (first, second):
        url = f"/api/v1/proposals/{proposal['id']}/vote"
        await london.client.post(url, json={"choice": "agree"}, headers=members[0])
        await london.client.post(url, json={"choice": "agree"}, headers=members[1])
        no_reason = await london.client.post(url, json={"choice": "block"}, headers=members[2])
        assert (no_reason.status_code, no_reason.json()["field"]) == (422, "reason")
        blocked = await london.client.post(url, json={"choice": "block", "reason": "Unsafe for new members."}, headers=members[2])
        assert blocked.status_code == 200
    # On the second proposal the blocking member withdraws the block (abstains).
    await london.client.post(f"/api/v1/proposals/{second['id']}/vote", json={"choice": "abstain"}, headers=members[2])
    first_result = (await london.client.post(f"/api/v1/proposals/{first['id']}/close", headers=admin)).json()
    second_result = (await london.client.post(f"/api/v1/proposals/{second['id']}/close", headers=admin)).json()
    assert first_result["outcome"] == "blocked"
    assert second_result["outcome"] == "passed"


async def test_hidden_results_stay_hidden_until_the_close(london: Instance) -> None:
    admin = await admin_headers(london)
    created = await create(london, admin, "multiple", options=["pizza", "curry", "salad"], hide_results=True)
    alice = await bearer(london, "alice", Role.MEMBER)
    await london.client.post(f"/api/v1/proposals/{created['id']}/vote", json={"choices": ["curry", "pizza"]}, headers=alice)
    during = (await london.client.get(f"/api/v1/proposals/{created['id']}")).json()
    assert during["counts"] is None and during["result"] is None
    assert during["voters_count"] == 1  # turnout is not a result
    question = (await london.client.get(f"/proposals/{created['id']}", headers={"Accept": "application/activity+json"})).json()
    assert all("replies" not in option for option in question["anyOf"])
    page = (await london.client.get(f"/proposals/{created['id']}")).text
    assert "hidden until the proposal closes" in page
    result = (await london.client.post(f"/api/v1/proposals/{created['id']}/close", headers=admin)).json()
    assert result["counts"] == {"pizza": 1, "curry": 1, "salad": 0}
    assert result["winners"] == ["pizza", "curry"]


async def test_ranked_results_carry_elected_and_stages(london: Instance) -> None:
    admin = await admin_headers(london)
    created = await create(london, admin, "irv", options=["Memphis", "Nashville", "Chattanooga", "Knoxville"])
    ballots = [
        ["Memphis", "Nashville", "Chattanooga", "Knoxville"],
        ["Memphis", "Nashville"],
        ["Nashville", "Chattanooga", "Knoxville"],
        ["Chattanooga", "Knoxville", "Nashville"],
        ["Knoxville", "Chattanooga"],
        ["Knoxville", "Chattanooga"],
    ]
    for number, ranking in enumerate(ballots):
        headers = await bearer(london, f"voter{number}", Role.MEMBER)
        response = await london.client.post(f"/api/v1/proposals/{created['id']}/vote", json={"ranking": ranking}, headers=headers)
        assert response.status_code == 200, response.text
    result = (await london.client.post(f"/api/v1/proposals/{created['id']}/close", headers=admin)).json()
    assert result["outcome"] == "elected"
    assert result["counts"] == {"Memphis": 2, "Nashville": 1, "Chattanooga": 1, "Knoxville": 2}
    assert result["elected"] == ["Knoxville"]
    assert result["stages"][0]["tallies"] == result["counts"]
    assert all({"tallies", "elected", "excluded"} <= set(stage) for stage in result["stages"])
    page = (await london.client.get(f"/proposals/{created['id']}")).text
    assert "stage by stage" in page and "Non-transferable" in page


async def test_listing_and_deciding(london: Instance) -> None:
    admin = await admin_headers(london)
    first = await create(london, admin, "yes-no")
    second = await create(london, admin, "yes-no", closes_at=in_days(2))
    listed = (await london.client.get("/api/v1/proposals", params={"limit": 1})).json()
    assert [item["id"] for item in listed["items"]] == [second["id"]]  # closing soonest first
    assert listed["next"]
    await london.client.post(f"/api/v1/proposals/{first['id']}/close", headers=admin)
    early = await london.client.post(f"/api/v1/proposals/{second['id']}/decide", json={"statement": "x"}, headers=admin)
    assert early.status_code == 409
    decided = await london.client.post(
        f"/api/v1/proposals/{first['id']}/decide", json={"statement": "Not carried; revisit in autumn."}, headers=admin
    )
    assert decided.status_code == 200
    assert (decided.json()["status"], decided.json()["outcome_statement"]) == ("decided", "Not carried; revisit in autumn.")
    again = await london.client.post(f"/api/v1/proposals/{first['id']}/close", headers=admin)
    assert again.status_code == 409
