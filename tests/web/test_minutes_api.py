"""`/api/v1/minutes`: publish, read, correct, the workflow, members-only 404s."""
from __future__ import annotations

from fedchapter.roles import Role
from tests.support.instances import Instance
from tests.support.record import bearer, minutes_body


async def test_a_secretary_publishes_minutes_and_anyone_reads_them(london: Instance) -> None:
    secretary = await bearer(london, "sam", Role.SECRETARY)
    response = await london.client.post("/api/v1/minutes", json=minutes_body(), headers=secretary)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["ap_id"] == f"http://london.test/minutes/{created['id']}" == created["url"]
    assert created["state"] == "published"
    assert created["summary"].startswith("14 present. Carried (unanimous): Support Proposal Two.")
    fetched = (await london.client.get(f"/api/v1/minutes/{created['id']}")).json()
    assert fetched["decisions"][0]["outcome"] == "carried"
    assert fetched["history"] == []
    listed = (await london.client.get("/api/v1/minutes")).json()
    assert [item["id"] for item in listed["items"]] == [created["id"]]
    assert listed["next"] is None


async def test_bad_minutes_are_refused_with_the_field(london: Instance) -> None:
    secretary = await bearer(london, "sam", Role.SECRETARY)
    too_many = minutes_body(decisions=[{"text": "x", "for": 10, "against": 5, "abstain": 0, "outcome": "carried"}])
    response = await london.client.post("/api/v1/minutes", json=too_many, headers=secretary)
    assert response.status_code == 422
    assert response.json()["field"] == "decisions.0.for"
    response = await london.client.post("/api/v1/minutes", json=minutes_body(attendance=-3), headers=secretary)
    assert (response.status_code, response.json()["field"]) == (422, "attendance")
    response = await london.client.post("/api/v1/minutes", content=b"[1]",
                                        headers={**secretary, "Content-Type": "application/json"})
    assert response.status_code == 422


async def test_only_secretaries_write_minutes(london: Instance) -> None:
    member = await bearer(london, "mo", Role.MEMBER)
    assert (await london.client.post("/api/v1/minutes", json=minutes_body(), headers=member)).status_code == 403
    assert (await london.client.post("/api/v1/minutes", json=minutes_body())).status_code == 401


async def test_members_only_minutes_are_404_to_everyone_else(london: Instance) -> None:
    secretary = await bearer(london, "sam", Role.SECRETARY)
    member = await bearer(london, "mo", Role.MEMBER)
    supporter = await bearer(london, "sue", Role.SUPPORTER)
    created = (await london.client.post(
        "/api/v1/minutes", json=minutes_body(visibility="members"), headers=secretary
    )).json()
    path = f"/api/v1/minutes/{created['id']}"
    assert (await london.client.get(path)).status_code == 404
    assert (await london.client.get(path, headers=supporter)).status_code == 404
    assert (await london.client.get(path, headers=member)).status_code == 200
    assert (await london.client.get("/api/v1/minutes")).json()["items"] == []
    assert len((await london.client.get("/api/v1/minutes", headers=member)).json()["items"]) == 1


async def test_drafts_stay_with_secretaries_until_published(london: Instance) -> None:
    secretary = await bearer(london, "sam", Role.SECRETARY)
    member = await bearer(london, "mo", Role.MEMBER)
    draft = (await london.client.post(
        "/api/v1/minutes", json={**minutes_body(), "state": "draft"}, headers=secretary
    )).json()
    assert draft["state"] == "draft"
    path = f"/api/v1/minutes/{draft['id']}"
    assert (await london.client.get(path, headers=member)).status_code == 404
    circulated = await london.client.post(f"{path}/state", json={"state": "circulated"}, headers=secretary)
    assert circulated.json()["state"] == "circulated"
    assert (await london.client.get(path, headers=member)).status_code == 200
    assert (await london.client.get(path)).status_code == 404
    backwards = await london.client.post(f"{path}/state", json={"state": "draft"}, headers=secretary)
    assert backwards.status_code == 409
    published = await london.client.post(f"{path}/state", json={"state": "published"}, headers=secretary)
    assert published.json()["published_at"] is not None
    assert (await london.client.get(path)).status_code == 200


async def test_a_correction_after_publication_makes_a_revision(london: Instance) -> None:
    secretary = await bearer(london, "sam", Role.SECRETARY)
    created = (await london.client.post("/api/v1/minutes", json=minutes_body(), headers=secretary)).json()
    path = f"/api/v1/minutes/{created['id']}"
    corrected = await london.client.patch(
        path, json={**minutes_body(attendance=15), "note": "Kim was there too"}, headers=secretary
    )
    assert corrected.status_code == 200, corrected.text
    answer = corrected.json()
    assert (answer["revision"], answer["attendance"]) == (2, 15)
    assert [(old["revision"], old["note"]) for old in answer["history"]] == [(1, "Kim was there too")]


async def test_open_action_items_are_offered_to_the_next_minutes_and_to_their_owner(london: Instance) -> None:
    secretary = await bearer(london, "sam", Role.SECRETARY)
    first = (await london.client.post("/api/v1/minutes", json=minutes_body(), headers=secretary)).json()
    offered = (await london.client.get("/api/v1/minutes/actions", headers=secretary)).json()["items"]
    assert [(item["key"], item["text"]) for item in offered] == [(f"{first['id']}:0", "Book the room")]
    mine = (await london.client.get("/api/v1/minutes/actions/mine", headers=secretary)).json()["items"]
    assert [item["text"] for item in mine] == ["Book the room"]
    carried = minutes_body(title="November", meeting_date="2025-11-11", actions=[
        {"text": "Book the room", "owner": "sam", "carried_from": offered[0]["key"], "status": "done"},
    ])
    response = await london.client.post("/api/v1/minutes", json=carried, headers=secretary)
    assert response.status_code == 201, response.text
    assert (await london.client.get("/api/v1/minutes/actions", headers=secretary)).json()["items"] == []
    bogus = minutes_body(actions=[{"text": "x", "carried_from": "nothing:3"}])
    refused = await london.client.post("/api/v1/minutes", json=bogus, headers=secretary)
    assert (refused.status_code, refused.json()["field"]) == (422, "actions.0.carried_from")
