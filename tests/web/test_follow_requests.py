"""Approving followers by hand: with the setting on, another chapter's Follow
waits; an admin accepts or rejects it on /admin/followers or through the API,
and the follower's server hears the answer."""
from __future__ import annotations

from fedchapter.roles import Role
from tests.support.federation import follow, wait_until_drained
from tests.support.instances import ADMIN_PASSWORD, Instance, Network
from tests.support.record import bearer
from tests.support.web_forms import log_in, post_form


async def _pending_follow_from(net: Network, london: Instance, handle: str) -> Instance:
    other = await net.chapter(handle, name=f"{handle.title()} Chapter")
    await follow(other, london)
    await wait_until_drained(london, other)
    return other


async def _their_state(follower: Instance, followed: Instance) -> str | None:
    group = (await follower.ctx.chapter()).actor_id
    row = await follower.ctx.repos.following.get(group, followed.ctx.urls.actor(followed.settings.handle))
    return None if row is None else row.state


async def _admin(london: Instance) -> dict[str, str]:
    return {"Authorization": f"Bearer {await london.ctx.accounts.create_token('admin')}"}


async def test_the_api_lists_pending_requests_and_accepts_one(net: Network, london: Instance) -> None:
    await london.ctx.repos.chapter.update_policy(openness="moderated", approve_followers=True)
    paris = await _pending_follow_from(net, london, "paris")
    admin = await _admin(london)

    listed = await london.client.get("/api/v1/followers?state=pending", headers=admin)
    assert listed.status_code == 200
    [request] = listed.json()["items"]
    assert request["actor"] == paris.ctx.urls.actor("paris") and request["state"] == "pending"
    assert (await london.client.get("/api/v1/followers", headers=admin)).json()["items"] == []

    accepted = await london.client.post(f"/api/v1/followers/{request['id']}/accept", headers=admin)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["state"] == "accepted"
    await wait_until_drained(london, paris)
    assert await _their_state(paris, london) == "accepted"
    [follower] = (await london.client.get("/api/v1/followers", headers=admin)).json()["items"]
    assert follower["actor"] == paris.ctx.urls.actor("paris")

    # Answering it again: already answered, nothing sent.
    again = await london.client.post(f"/api/v1/followers/{request['id']}/accept", headers=admin)
    assert again.status_code == 409 and "already" in again.json()["error"]


async def test_rejecting_tells_the_follower_and_a_gone_request_is_404(net: Network, london: Instance) -> None:
    await london.ctx.repos.chapter.update_policy(openness="moderated", approve_followers=True)
    paris = await _pending_follow_from(net, london, "paris")
    admin = await _admin(london)
    [request] = (await london.client.get("/api/v1/followers?state=pending", headers=admin)).json()["items"]

    rejected = await london.client.post(f"/api/v1/followers/{request['id']}/reject", headers=admin)
    assert rejected.status_code == 200 and rejected.json()["state"] == "rejected"
    await wait_until_drained(london, paris)
    assert await _their_state(paris, london) == "rejected"

    gone = await london.client.post(f"/api/v1/followers/{request['id']}/accept", headers=admin)
    assert gone.status_code == 404 and "withdrawn or already answered" in gone.json()["error"]
    assert (await london.client.post("/api/v1/followers/abc/accept", headers=admin)).status_code == 404
    assert (await london.client.get("/api/v1/followers?state=maybe", headers=admin)).json()["field"] == "state"


async def test_only_admins_answer_follow_requests(net: Network, london: Instance) -> None:
    await london.ctx.repos.chapter.update_policy(openness="moderated", approve_followers=True)
    await _pending_follow_from(net, london, "paris")
    member = await bearer(london, "sam", Role.FACILITATOR)
    assert (await london.client.get("/api/v1/followers?state=pending", headers=member)).status_code == 403
    assert (await london.client.post("/api/v1/followers/1/accept", headers=member)).status_code == 403
    assert (await london.client.post("/api/v1/followers/1/accept")).status_code == 401
    await log_in(london.client, "sam", "a long enough password")
    assert (await london.client.get("/admin/followers")).status_code == 403
    group = (await london.ctx.chapter()).actor_id
    assert [row.state for row in await london.ctx.repos.followers.pending(group)] == ["pending"]


async def test_the_admin_page_lists_requests_and_answers_them(net: Network, london: Instance) -> None:
    await london.ctx.repos.chapter.update_policy(openness="moderated", approve_followers=True)
    paris = await _pending_follow_from(net, london, "paris")
    berlin = await _pending_follow_from(net, london, "berlin")
    await log_in(london.client, "admin", ADMIN_PASSWORD)

    page = await london.client.get("/admin/followers")
    assert page.status_code == 200
    assert paris.ctx.urls.actor("paris") in page.text and berlin.ctx.urls.actor("berlin") in page.text
    assert 'href="/admin/followers"' in (await london.client.get("/admin")).text

    group = (await london.ctx.chapter()).actor_id
    numbers = {row.actor_id: row.id for row in await london.ctx.repos.followers.pending(group)}
    accepted = await post_form(london.client, f"/admin/followers/{numbers[paris.ctx.urls.actor('paris')]}",
                               {"answer": "accept"}, page="/admin/followers")
    assert accepted.status_code == 303
    rejected = await post_form(london.client, f"/admin/followers/{numbers[berlin.ctx.urls.actor('berlin')]}",
                               {"answer": "reject"}, page="/admin/followers")
    assert rejected.status_code == 303
    await wait_until_drained(london, paris, berlin)
    assert await _their_state(paris, london) == "accepted"
    assert await _their_state(berlin, london) == "rejected"
    assert "No follow request is waiting." in (await london.client.get("/admin/followers")).text

    again = await post_form(london.client, f"/admin/followers/{numbers[berlin.ctx.urls.actor('berlin')]}",
                            {"answer": "accept"}, page="/admin/followers")
    assert again.status_code == 404 and "withdrawn or already answered" in again.text
