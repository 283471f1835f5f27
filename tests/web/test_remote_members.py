"""Remote members: an admin makes a fediverse account on another server a
member (by WebFinger handle or actor URL), through the site or the API."""
from __future__ import annotations

from fedchapter.roles import Role
from tests.support.instances import ADMIN_PASSWORD, Instance, Network
from tests.support.web_forms import log_in, post_form


async def api_token(instance: Instance, username: str = "admin") -> dict[str, str]:
    token = await instance.ctx.accounts.create_token(username)
    return {"Authorization": f"Bearer {token}"}


async def two_chapters(net: Network) -> tuple[Instance, Instance]:
    london = await net.chapter("london", run_workers=False)
    dublin = await net.chapter("dublin", run_workers=False)
    await dublin.ctx.accounts.create_user("aoife", "aoife's password", Role.MEMBER, "Aoife Byrne")
    return london, dublin


async def test_api_adds_a_remote_member_by_handle_and_lists_it(net: Network) -> None:
    london, _ = await two_chapters(net)
    headers = await api_token(london)
    response = await london.client.post("/api/v1/members", json={"actor": "@aoife@dublin.test"}, headers=headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["ap_id"] == "http://dublin.test/actors/aoife"
    assert (body["role"], body["local"], body["handle"]) == ("member", False, "@aoife@dublin.test")

    listing = (await london.client.get("/api/v1/members", headers=headers)).json()
    assert listing["next"] is None
    by_id = {item["ap_id"]: item for item in listing["items"]}
    assert by_id["http://dublin.test/actors/aoife"]["name"] == "Aoife Byrne"
    assert by_id["http://london.test/actors/admin"]["role"] == "admin"
    assert by_id["http://london.test/actors/admin"]["local"] is True


async def test_a_remote_member_counts_for_deliveries_and_votes(net: Network) -> None:
    london, _ = await two_chapters(net)
    headers = await api_token(london)
    await london.client.post("/api/v1/members", json={"actor": "http://dublin.test/actors/aoife",
                                                      "role": "secretary"}, headers=headers)

    directory = london.ctx.members.directory
    ids = await directory.member_actor_ids()
    assert "http://dublin.test/actors/aoife" in ids and "http://london.test/actors/admin" in ids
    assert await directory.member_key("http://dublin.test/actors/aoife") == "http://dublin.test/actors/aoife"
    assert await directory.member_key("http://dublin.test/actors/dublin") is None
    # The office is recorded like a local one.
    terms = await london.ctx.repos.role_terms.current(Role.SECRETARY)
    assert [term.holder.remote_actor_id for term in terms] == ["http://dublin.test/actors/aoife"]


async def test_the_api_refuses_non_admins_and_bad_bodies(net: Network) -> None:
    london, _ = await two_chapters(net)
    await london.ctx.accounts.create_user("priya", "priya's password", Role.MEMBER)
    member = await api_token(london, "priya")
    assert (await london.client.get("/api/v1/members", headers=member)).status_code == 403
    refused = await london.client.post("/api/v1/members", json={"actor": "@aoife@dublin.test"}, headers=member)
    assert refused.status_code == 403 and "error" in refused.json()
    assert (await london.client.get("/api/v1/members")).status_code == 401

    admin = await api_token(london)
    cases = [
        ({}, "actor"),
        ({"actor": 5}, "actor"),
        ({"actor": "not a handle"}, "actor"),
        ({"actor": "@nobody@dublin.test"}, "actor"),
        ({"actor": "@aoife@nowhere.test"}, "actor"),
        ({"actor": "@aoife@dublin.test", "role": "admin"}, "role"),
        ({"actor": "@aoife@dublin.test", "role": "queen"}, "role"),
    ]
    for body, field in cases:
        response = await london.client.post("/api/v1/members", json=body, headers=admin)
        assert response.status_code == 422, body
        assert response.json()["field"] == field, body
    garbage = await london.client.post("/api/v1/members", content=b"{nope",
                                        headers={**admin, "Content-Type": "application/json"})
    assert garbage.status_code == 422
    assert await london.ctx.repos.remote_members.all() == []


async def test_the_members_list_pages(net: Network) -> None:
    london, _ = await two_chapters(net)
    for name in ("ann", "bob"):
        await london.ctx.accounts.create_user(name, "a long password", Role.MEMBER)
    headers = await api_token(london)
    first = (await london.client.get("/api/v1/members?limit=2", headers=headers)).json()
    assert len(first["items"]) == 2 and first["next"]
    second = (await london.client.get(first["next"], headers=headers)).json()
    assert len(second["items"]) == 1 and second["next"] is None
    assert (await london.client.get("/api/v1/members?limit=0", headers=headers)).status_code == 422


async def test_admin_adds_and_removes_a_remote_member_on_the_site(net: Network) -> None:
    london, _ = await two_chapters(net)
    await log_in(london.client, "admin", ADMIN_PASSWORD)
    added = await post_form(london.client, "/admin/remote-members", {"actor": "@aoife@dublin.test",
                                                                     "role": "member"}, page="/admin/members")
    assert added.status_code == 303
    page = (await london.client.get("/admin/members")).text
    assert "Aoife Byrne" in page and "@aoife@dublin.test" in page
    assert "Aoife Byrne" in (await london.client.get("/members")).text
    failed = await post_form(london.client, "/admin/remote-members", {"actor": "@ghost@dublin.test",
                                                                      "role": "member"}, page="/admin/members")
    assert failed.status_code == 422 and "could not find @ghost@dublin.test" in failed.text
    await post_form(london.client, "/admin/remote-members/remove", {"actor_id": "http://dublin.test/actors/aoife"},
                    page="/admin/members")
    assert await london.ctx.repos.remote_members.all() == []


async def test_a_session_cannot_write_through_the_api(net: Network) -> None:
    london, _ = await two_chapters(net)
    await log_in(london.client, "admin", ADMIN_PASSWORD)
    # A cookie alone (what a forged cross-site request carries) is not enough to write.
    response = await london.client.post("/api/v1/members", json={"actor": "@aoife@dublin.test"})
    assert response.status_code == 401


async def test_members_only_minutes_are_delivered_to_remote_members(net: Network) -> None:
    from tests.support.record import bearer, minutes_body

    london, _ = await two_chapters(net)
    await london.client.post("/api/v1/members", json={"actor": "@aoife@dublin.test"},
                             headers=await api_token(london))
    secretary = await bearer(london, "sam", Role.SECRETARY)
    response = await london.client.post("/api/v1/minutes", json=minutes_body(visibility="members"),
                                        headers=secretary)
    assert response.status_code == 201, response.text
    queued = await london.ctx.repos.deliveries.listing(("queued", "sending", "delivered"))
    assert {delivery.host for delivery in queued} == {"dublin.test"}
    assert all("https://www.w3.org/ns/activitystreams#Public" not in d.payload for d in queued)
