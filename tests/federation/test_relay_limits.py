"""The chapter relays remote replies (FEP-1b12) without becoming an amplifier
(issue 13.6): strangers' replies are shown but not relayed, followers' are
relayed up to a cap per actor per hour, and a moderated chapter relays a
stranger's reply only once a moderator shows it."""
from __future__ import annotations

from typing import Any

from tests.federation.mastodon_peer import MastodonPeer, eventually, processed
from tests.federation.test_minutes_federation import (
    LONDON_INBOX,
    all_delivered,
    followed_by_alice,
    mastodon_reply,
    publish,
)
from tests.support.instances import Instance, Network


def relayed_notes(peer: MastodonPeer) -> set[str]:
    """The ids of the replies the chapter announced (either form)."""
    found: set[str] = set()
    for announce in peer.activities("Announce"):
        inner = announce["object"]
        if isinstance(inner, str):
            found.add(inner)
        elif inner.get("type") == "Create":
            found.add(inner["object"]["id"])
        elif inner.get("type") == "Note":
            found.add(inner["id"])
    return found


async def burst(peer: MastodonPeer, name: str, london: Instance, target: str, count: int) -> list[dict[str, Any]]:
    replies = []
    for number in range(count):
        reply = mastodon_reply(target, id=f"{peer.actor(name)}/statuses/burst-{number}",
                               attributedTo=peer.actor(name))
        reply["actor"] = peer.actor(name)
        assert (await peer.send(name, reply, LONDON_INBOX)).status_code == 202
        replies.append(reply)
    for reply in replies:
        assert await processed(london, reply["id"]) == "done"
    await eventually(lambda: all_delivered(london), "the delivery queue is empty")
    return replies


async def shown(london: Instance, target: str) -> set[str]:
    thread = (await london.client.get("/api/v1/comments", params={"object": target})).json()
    return {item["ap_id"] for item in thread["items"]}


async def test_a_burst_of_replies_from_a_non_follower_is_shown_but_relays_nothing(
    net: Network, london: Instance
) -> None:
    peer = await followed_by_alice(net, london)
    peer.add_account("mallory")
    minutes = await publish(london)
    replies = await burst(peer, "mallory", london, minutes["ap_id"], 6)
    assert await shown(london, minutes["ap_id"]) == {reply["object"]["id"] for reply in replies}
    assert peer.activities("Announce") == []


async def test_a_followers_burst_is_relayed_at_most_up_to_the_hourly_cap(net: Network, london: Instance) -> None:
    peer = await followed_by_alice(net, london)
    await london.ctx.repos.reply_relays.set_policy("followers_and_members", 3)
    minutes = await publish(london)
    replies = await burst(peer, "alice", london, minutes["ap_id"], 5)
    assert len(await shown(london, minutes["ap_id"])) == 5
    assert relayed_notes(peer) == {reply["object"]["id"] for reply in replies[:3]}
    # Both forms for each relayed reply (Mastodon reads one, Lemmy the other), once each.
    assert len([a for a in peer.activities("Announce") if a["object"]["type"] == "Create"]) == 3
    # An edit of a reply that was never relayed is not relayed either.
    unrelayed = replies[4]["object"]
    update = {"id": f"{unrelayed['id']}#updates/1", "type": "Update", "actor": peer.actor("alice"),
              "object": {**unrelayed, "content": "<p>edited</p>", "contentMap": {}}}
    await peer.send("alice", update, LONDON_INBOX)
    assert await processed(london, update["id"]) == "done"
    await eventually(lambda: all_delivered(london), "the delivery queue is empty")
    assert not [a for a in peer.activities("Announce") if a["object"]["type"] == "Update"]


async def test_a_moderated_chapter_relays_a_strangers_reply_once_a_moderator_shows_it(
    net: Network, london: Instance
) -> None:
    peer = await followed_by_alice(net, london)
    peer.add_account("mallory")
    await london.ctx.repos.reply_relays.set_policy("moderated", 10)
    minutes = await publish(london)
    [reply] = await burst(peer, "mallory", london, minutes["ap_id"], 1)
    assert await shown(london, minutes["ap_id"]) == set()  # held for a moderator
    assert peer.activities("Announce") == []
    admin = {"Authorization": f"Bearer {await london.ctx.accounts.create_token('admin')}"}
    thread = await london.client.get("/api/v1/comments", params={"object": minutes["ap_id"]}, headers=admin)
    [held] = thread.json()["items"]
    answer = await london.client.post(f"/api/v1/comments/{held['id']}/hide", json={"hidden": False},
                                   headers=admin)
    assert answer.status_code == 200, answer.text
    await eventually(lambda: relayed_notes(peer) == {reply["object"]["id"]}, "the chapter relays the reply")
