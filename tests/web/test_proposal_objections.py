"""Consent: every block and disagreement is heard, with who raised it and why,
by the members while the vote is open and by everyone in the result."""
from __future__ import annotations

from fedchapter.roles import Role
from tests.support.instances import Instance
from tests.support.record import PASSWORD, bearer
from tests.support.web_forms import log_in
from tests.web.proposal_helpers import admin_headers, create

AS2 = {"Accept": "application/activity+json"}


async def _consent_with_objections(london: Instance) -> tuple[dict, dict[str, str]]:
    admin = await admin_headers(london)
    created = await create(london, admin, "consent")
    url = f"/api/v1/proposals/{created['id']}/vote"
    agree, blocker, doubter = [await bearer(london, name, Role.MEMBER) for name in ("ann", "bo", "cy")]
    await london.client.post(url, json={"choice": "agree"}, headers=agree)
    blocked = await london.client.post(url, json={"choice": "block", "reason": "Unsafe for new members."},
                                       headers=blocker)
    assert blocked.status_code == 200
    # Disagreeing needs no reason (the contract asks one only to block).
    silent = await london.client.post(url, json={"choice": "disagree"}, headers=doubter)
    assert silent.status_code == 200, silent.text
    return created, admin


async def test_members_see_each_objection_while_the_vote_is_open(london: Instance) -> None:
    created, admin = await _consent_with_objections(london)
    during = (await london.client.get(f"/api/v1/proposals/{created['id']}", headers=admin)).json()
    assert [(item["choice"], item["reason"]) for item in during["objections"]] == [
        ("block", "Unsafe for new members."), ("disagree", "")]
    assert during["objections"][0]["voter"].endswith("/bo")
    anonymous = (await london.client.get(f"/api/v1/proposals/{created['id']}")).json()
    assert "objections" not in anonymous  # members only while open

    await log_in(london.client, "ann", PASSWORD)
    page = (await london.client.get(f"/proposals/{created['id']}")).text
    assert "Blocks and disagreements" in page and "Unsafe for new members." in page
    assert "No reason given." in page


async def test_the_result_and_the_question_carry_the_objections(london: Instance) -> None:
    created, admin = await _consent_with_objections(london)
    closed = (await london.client.post(f"/api/v1/proposals/{created['id']}/close", headers=admin)).json()
    assert closed["outcome"] == "blocked"
    shown = (await london.client.get(f"/api/v1/proposals/{created['id']}")).json()
    assert [item["choice"] for item in shown["result"]["objections"]] == ["block", "disagree"]
    assert shown["result"]["objections"][0]["reason"] == "Unsafe for new members."
    question = (await london.client.get(f"/proposals/{created['id']}", headers=AS2)).json()
    assert question["fc:result"]["objections"][0] == shown["result"]["objections"][0]
    page = (await london.client.get(f"/proposals/{created['id']}")).text
    assert "Unsafe for new members." in page
