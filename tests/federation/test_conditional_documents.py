"""Our ActivityPub documents answer conditional GETs as servers poll them: an
ETag on every 200, 304 with no body when it matches, a new tag when what the
document shows changes (a new member, a new post, a vote, a follower), and a
members-only object's tag never opens it to anyone else."""
from __future__ import annotations

import httpx

from fedchapter.roles import Role
from tests.federation.test_minutes_federation import followed_by_alice, signed_get
from tests.support.events import NEXT_YEAR as YEAR
from tests.support.events import publish_event
from tests.support.instances import Instance, Network
from tests.support.record import PASSWORD, bearer
from tests.support.web_forms import log_in
from tests.web.proposal_helpers import admin_headers, create

AS2 = {"Accept": "application/activity+json"}


def vary_of(response: httpx.Response) -> set[str]:
    return {name.strip() for name in response.headers.get("vary", "").split(",")}


async def test_the_actor_answers_304_without_a_body_and_a_new_tag_for_a_new_member(london: Instance) -> None:
    first = await london.client.get("/actors/london", headers=AS2)
    assert first.status_code == 200
    tag = first.headers["etag"]
    # The same for every reader: a signature does not change it.
    assert tag.startswith('W/"public-') and "Accept" in vary_of(first) and "Signature" not in vary_of(first)
    assert first.headers["cache-control"] == "no-cache"

    again = await london.client.get("/actors/london", headers={**AS2, "If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == tag and "content-type" not in again.headers

    await bearer(london, "mia", Role.MEMBER)  # memberCount goes up
    after = await london.client.get("/actors/london", headers={**AS2, "If-None-Match": tag})
    assert after.status_code == 200 and after.headers["etag"] != tag


async def test_an_outbox_page_gets_a_new_tag_with_a_new_post(london: Instance) -> None:
    writer = await bearer(london, "sam", Role.SECRETARY)
    assert (await london.client.post("/api/v1/posts", json={"title": "One", "body": "First."},
                                     headers=writer)).status_code == 201
    page = "/actors/london/outbox?page=1"
    first = await london.client.get(page, headers=AS2)
    tag = first.headers["etag"]
    assert (await london.client.get(page, headers={**AS2, "If-None-Match": tag})).status_code == 304
    assert (await london.client.post("/api/v1/posts", json={"title": "Two", "body": "Second."},
                                     headers=writer)).status_code == 201
    after = await london.client.get(page, headers={**AS2, "If-None-Match": tag})
    assert after.status_code == 200 and len(after.json()["orderedItems"]) == 2


async def test_the_followers_collection_gets_a_new_tag_with_a_new_follower(net: Network, london: Instance) -> None:
    first = await london.client.get("/actors/london/followers", headers=AS2)
    tag = first.headers["etag"]
    await followed_by_alice(net, london)
    after = await london.client.get("/actors/london/followers", headers={**AS2, "If-None-Match": tag})
    assert after.status_code == 200 and after.json()["totalItems"] == first.json()["totalItems"] + 1


async def test_a_proposals_question_gets_a_new_tag_with_a_vote(london: Instance) -> None:
    created = await create(london, await admin_headers(london), "yes-no")
    url = f"/proposals/{created['id']}"
    first = await london.client.get(url, headers=AS2)
    assert first.status_code == 200
    tag = first.headers["etag"]
    assert (await london.client.get(url, headers={**AS2, "If-None-Match": tag})).status_code == 304
    voter = await bearer(london, "mia", Role.MEMBER)
    voted = await london.client.post(f"/api/v1/proposals/{created['id']}/vote", json={"choice": "yes"}, headers=voter)
    assert voted.status_code in (200, 201), voted.text
    after = await london.client.get(url, headers={**AS2, "If-None-Match": tag})
    assert after.status_code == 200 and after.headers["etag"] != tag


async def test_an_edited_event_gets_a_new_tag(london: Instance) -> None:
    created = await publish_event(london, {"title": "Assembly", "start": f"{YEAR}-03-04T18:00",
                                           "end": f"{YEAR}-03-04T20:00", "timezone": "Europe/London"})
    url = f"/events/{created['id']}"
    first = await london.client.get(url, headers=AS2)
    tag = first.headers["etag"]
    assert (await london.client.get(url, headers={**AS2, "If-None-Match": tag})).status_code == 304
    token = await london.ctx.accounts.create_token("tom")
    edited = await london.client.patch(f"/api/v1/events/{created['id']}", json={"title": "General assembly"},
                                       headers={"Authorization": f"Bearer {token}"})
    assert edited.status_code == 200, edited.text
    after = await london.client.get(url, headers={**AS2, "If-None-Match": tag})
    assert after.status_code == 200 and after.json()["name"] == "General assembly"


async def test_a_members_only_events_tag_opens_nothing_to_others(net: Network, london: Instance) -> None:
    created = await publish_event(london, {"title": "Strategy", "start": f"{YEAR}-03-04T18:00",
                                           "end": f"{YEAR}-03-04T20:00", "timezone": "Europe/London",
                                           "visibility": "members"})
    url = f"/events/{created['id']}"
    await bearer(london, "mia", Role.MEMBER)
    await log_in(london.client, "mia", PASSWORD)
    member = await london.client.get(url, headers=AS2)
    assert member.status_code == 200
    tag = member.headers["etag"]
    assert tag.startswith('W/"members-')
    assert member.headers["cache-control"] == "private, no-cache"
    assert {"Accept", "Cookie", "Signature"} <= vary_of(member)
    assert (await london.client.get(url, headers={**AS2, "If-None-Match": tag})).status_code == 304

    london.client.cookies.clear()
    anonymous = await london.client.get(url, headers={**AS2, "If-None-Match": tag})
    assert anonymous.status_code == 404 and "etag" not in anonymous.headers
    peer = await followed_by_alice(net, london)  # a follower, not a member
    assert (await signed_get(peer, "alice", f"http://london.test{url}")).status_code == 404
