"""The proposal pages: readable and usable without JavaScript."""
from __future__ import annotations

from datetime import datetime, timedelta

from fedchapter.roles import Role
from tests.support.instances import Instance
from tests.support.record import PASSWORD, bearer
from tests.support.web_forms import csrf_from, log_in
from tests.web.proposal_helpers import admin_headers, create

AS2 = {"Accept": "application/activity+json"}


async def test_list_and_home_show_open_proposals(london: Instance) -> None:
    created = await create(london, await admin_headers(london), "yes-no")
    listing = await london.client.get("/proposals")
    assert listing.status_code == 200
    assert created["title"] in listing.text
    home = await london.client.get("/")
    assert "Open proposals" in home.text and f"/proposals/{created['id']}" in home.text
    assert 'href="/proposals"' in home.text  # the main navigation


async def test_a_ranked_ballot_works_by_typed_numbers(london: Instance) -> None:
    created = await create(london, await admin_headers(london), "stv", options=["Ann", "Bo", "Cy", "Di"], seats=2)
    await bearer(london, "alice", Role.MEMBER)
    await log_in(london.client, "alice", PASSWORD)
    page = await london.client.get(f"/proposals/{created['id']}")
    assert page.status_code == 200
    assert 'name="rank-0"' in page.text and 'type="number"' in page.text
    assert "draggable" in page.text  # the optional drag ordering
    token = csrf_from(page.text)
    gap = await london.client.post(f"/proposals/{created['id']}/vote",
                                   data={"csrf_token": token, "rank-0": "1", "rank-1": "3"})
    # The ballot comes back with the numbers typed and the gap named (tests/web/test_form_errors_proposals.py).
    assert gap.status_code == 422 and "without gaps" in gap.text
    accepted = await london.client.post(f"/proposals/{created['id']}/vote",
                                        data={"csrf_token": token, "rank-2": "1", "rank-0": "2"})
    assert accepted.status_code == 303
    proposal = (await london.client.get(f"/api/v1/proposals/{created['id']}",
                                        headers=await admin_headers(london))).json()
    assert proposal["voters_count"] == 1
    mine = await london.client.get(f"/proposals/{created['id']}")
    assert 'value="1"' in mine.text and "Change my vote" in mine.text


async def test_the_consent_ballot_and_its_reason(london: Instance) -> None:
    created = await create(london, await admin_headers(london), "consent")
    await bearer(london, "alice", Role.MEMBER)
    await log_in(london.client, "alice", PASSWORD)
    page = await london.client.get(f"/proposals/{created['id']}")
    assert 'value="block"' in page.text
    token = csrf_from(page.text)
    again = await london.client.post(f"/proposals/{created['id']}/vote", data={"csrf_token": token, "choice": "block"})
    assert again.status_code == 422 and "Give a reason to block" in again.text


async def test_members_write_drafts_with_the_form(london: Instance) -> None:
    await bearer(london, "alice", Role.MEMBER)
    await log_in(london.client, "alice", PASSWORD)
    form = await london.client.get("/proposals/new")
    assert form.status_code == 200
    soon = (datetime.now() + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    token = csrf_from(form.text)
    bad = await london.client.post("/proposals/new", data={
        "csrf_token": token, "title": "Pick a venue", "body": "Where?", "method": "single",
        "options": "Only one", "closes_at": soon,
    })
    assert bad.status_code == 422 and "give from 2 to" in bad.text
    made = await london.client.post("/proposals/new", data={
        "csrf_token": token, "title": "Pick a venue", "body": "Where?", "method": "single",
        "options": "Library\nCommunity hall", "closes_at": soon, "quorum": "3",
    })
    assert made.status_code == 303
    page = await london.client.get(made.headers["location"])
    assert "Pick a venue" in page.text and "Draft" in page.text


async def test_the_question_is_served_to_servers(london: Instance) -> None:
    created = await create(london, await admin_headers(london), "single", options=["Tuesday", "Thursday"])
    response = await london.client.get(f"/proposals/{created['id']}", headers=AS2)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/activity+json")
    question = response.json()
    assert question["type"] == "Question"
    assert question["attributedTo"] == "http://london.test/actors/london"
    assert [option["name"] for option in question["oneOf"]] == ["Tuesday", "Thursday"]
    assert question["oneOf"][0]["replies"] == {"type": "Collection", "totalItems": 0}
    assert question["votersCount"] == 0 and "closed" not in question
    assert question["fc:method"] == "single"
    assert (await london.client.get("/proposals/nothing", headers=AS2)).status_code == 404
