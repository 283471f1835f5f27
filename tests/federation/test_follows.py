"""Follows between chapters, through the in-process network: real HTTP,
real signatures, real queues and workers."""
from __future__ import annotations

import pytest

from fedchapter.errors import ValidationError
from tests.support.federation import follow, wait_until_drained
from tests.support.instances import Network


async def test_two_chapters_follow_each_other(net: Network) -> None:
    london = await net.chapter("london")
    paris = await net.chapter("paris", name="Paris Chapter", timezone="Europe/Paris")

    followed_id = await follow(london, paris)
    assert followed_id == paris.ctx.urls.actor("paris")
    await follow(paris, london)
    await wait_until_drained(london, paris)

    london_group = (await london.ctx.chapter()).actor_id
    paris_group = (await paris.ctx.chapter()).actor_id
    assert await london.ctx.repos.following.is_following(london_group, followed_id)
    assert await paris.ctx.repos.following.is_following(paris_group, london.ctx.urls.actor("london"))
    assert await paris.ctx.repos.followers.page(paris_group, 10, 0) == [london.ctx.urls.actor("london")]
    # The followers collection, as a peer sees it.
    response = await london.client.get("/actors/london/followers?page=1", headers={"Accept": "application/activity+json"})
    assert response.json()["orderedItems"] == [paris.ctx.urls.actor("paris")]


async def test_a_chapter_approving_by_hand_keeps_the_follow_pending(net: Network) -> None:
    london = await net.chapter("london")
    paris = await net.chapter("paris", name="Paris Chapter", timezone="Europe/Paris")
    await london.ctx.repos.chapter.update_policy(openness="moderated", approve_followers=True)
    paris_actor = paris.ctx.urls.actor("paris")
    await follow(paris, london)
    await wait_until_drained(london, paris)
    london_group = (await london.ctx.chapter()).actor_id
    paris_group = (await paris.ctx.chapter()).actor_id
    pending = await london.ctx.repos.followers.pending(london_group)
    assert [row.actor_id for row in pending] == [paris_actor]
    assert (await paris.ctx.repos.following.get(paris_group, london.ctx.urls.actor("london"))).state == "pending"

    await london.ctx.federation.follows.approve(paris_actor)
    await wait_until_drained(london, paris)
    assert await paris.ctx.repos.following.is_following(paris_group, london.ctx.urls.actor("london"))
    assert await london.ctx.repos.followers.count(london_group) == 1


async def test_a_rejected_follow(net: Network) -> None:
    london = await net.chapter("london")
    paris = await net.chapter("paris", name="Paris Chapter", timezone="Europe/Paris")
    await london.ctx.repos.chapter.update_policy(openness="moderated", approve_followers=True)
    await follow(paris, london)
    await wait_until_drained(london, paris)
    await london.ctx.federation.follows.reject(paris.ctx.urls.actor("paris"))
    await wait_until_drained(london, paris)
    paris_group = (await paris.ctx.chapter()).actor_id
    assert (await paris.ctx.repos.following.get(paris_group, london.ctx.urls.actor("london"))).state == "rejected"
    assert await london.ctx.repos.followers.count((await london.ctx.chapter()).actor_id, "pending") == 0


async def test_unfollow_sends_undo_and_the_follower_goes(net: Network) -> None:
    london = await net.chapter("london")
    paris = await net.chapter("paris", name="Paris Chapter", timezone="Europe/Paris")
    await follow(paris, london)
    await wait_until_drained(london, paris)
    london_group = (await london.ctx.chapter()).actor_id
    assert await london.ctx.repos.followers.count(london_group) == 1
    await paris.ctx.federation.follows.unfollow(london.ctx.urls.actor("london"))
    await wait_until_drained(london, paris)
    assert await london.ctx.repos.followers.count(london_group) == 0
    assert await paris.ctx.repos.following.count((await paris.ctx.chapter()).actor_id) == 0


async def test_follow_by_actor_url_and_refusing_our_own(net: Network) -> None:
    london = await net.chapter("london")
    paris = await net.chapter("paris", name="Paris Chapter", timezone="Europe/Paris")
    assert await london.ctx.federation.follows.follow(paris.ctx.urls.actor("paris")) == paris.ctx.urls.actor("paris")
    with pytest.raises(ValidationError):
        await london.ctx.federation.follows.follow(london.ctx.urls.actor("london"))
    with pytest.raises(ValidationError):
        await london.ctx.federation.follows.follow("not a handle")


async def test_blocking_removes_follows_and_cancels_deliveries(net: Network) -> None:
    london = await net.chapter("london")
    paris = await net.chapter("paris", name="Paris Chapter", timezone="Europe/Paris", run_workers=False)
    await follow(london, paris)  # queued at London; Paris is not processing
    await london.ctx.federation.follows.follow(paris.ctx.urls.actor("paris"))
    london_group = (await london.ctx.chapter()).actor_id
    await london.ctx.repos.followers.upsert(
        london_group, actor_id=paris.ctx.urls.actor("paris"), inbox=paris.ctx.urls.inbox("paris"),
        shared_inbox=paris.ctx.urls.shared_inbox(), follow_activity_id="http://paris.test/activities/f",
        state="accepted",
    )
    london.ctx.federation.delivery_worker.wake()
    await london.ctx.federation.blocks.block_domain("paris.test")
    assert await london.ctx.repos.followers.count(london_group) == 0
    assert await london.ctx.repos.following.all(london_group) == []
    states = await london.ctx.database.fetchall("SELECT DISTINCT state FROM deliveries")
    assert {row[0] for row in states} <= {"cancelled", "delivered"}
