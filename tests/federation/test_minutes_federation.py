"""Minutes and comments on the fediverse, against a Mastodon-like follower:
Create(Article) with the decisions in its summary, replies that become
comments and are relayed (FEP-1b12), members-only minutes that neither
travel to nor answer non-members."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from federation.signatures import load_signing_key, sign_request
from federation.vocabulary import PUBLIC
from fedchapter.roles import Role
from tests.federation.mastodon_peer import MastodonPeer, eventually, processed
from tests.support.instances import Instance, Network
from tests.support.record import bearer, minutes_body

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "mastodon"
LONDON_INBOX = "http://london.test/actors/london/inbox"
AS2 = {"Accept": "application/activity+json"}


def mastodon_reply(in_reply_to: str, **note_changes: Any) -> dict[str, Any]:
    """The real Create(Note) Mastodon sends for a reply, aimed at `in_reply_to`."""
    text = (FIXTURES / "reply_create_note.json").read_text(encoding="utf-8").replace("IN_REPLY_TO", in_reply_to)
    activity: dict[str, Any] = json.loads(text)
    activity["object"].update(note_changes)
    if "id" in note_changes:
        activity["id"] = f"{note_changes['id']}/activity"
    return activity


async def followed_by_alice(net: Network, london: Instance) -> MastodonPeer:
    peer = MastodonPeer(net)
    alice = peer.add_account("alice")
    follow = {"@context": "https://www.w3.org/ns/activitystreams", "id": f"{alice}#follows/1",
              "type": "Follow", "actor": alice, "object": "http://london.test/actors/london"}
    assert (await peer.send("alice", follow, LONDON_INBOX)).status_code == 202
    await eventually(lambda: peer.activities("Accept"), "the chapter accepts the follow")
    return peer


async def publish(london: Instance, **changes: Any) -> dict[str, Any]:
    if await london.ctx.repos.users.by_username("sam") is None:
        await bearer(london, "sam", Role.SECRETARY)
    secretary = {"Authorization": f"Bearer {await london.ctx.accounts.create_token('sam')}"}
    response = await london.client.post("/api/v1/minutes", json=minutes_body(**changes), headers=secretary)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def all_delivered(instance: Instance) -> bool:
    return await instance.ctx.repos.deliveries.unfinished() == 0


async def test_minutes_reach_a_follower_as_create_article_with_the_decisions(net: Network, london: Instance) -> None:
    peer = await followed_by_alice(net, london)
    minutes = await publish(london)
    await eventually(lambda: peer.activities("Create", "Article"), "the minutes reach the follower")
    create = peer.activities("Create", "Article")[0]
    article = create["object"]
    assert create["actor"] == "http://london.test/actors/london"
    assert article["id"] == minutes["ap_id"]
    assert article["summary"] == (
        "14 present. Carried (unanimous): Support Proposal Two. Next meeting Tue 28 Oct 18:30 GMT, Birkbeck."
    )
    assert PUBLIC in create["to"]
    assert article["fc:decisions"] == [{"text": "Support Proposal Two", "outcome": "carried",
                                        "decided_by": "unanimous"}]


async def test_a_reply_from_the_follower_appears_under_the_minutes_and_is_relayed(
    net: Network, london: Instance
) -> None:
    peer = await followed_by_alice(net, london)
    minutes = await publish(london)
    reply = mastodon_reply(minutes["ap_id"])
    assert (await peer.send("alice", reply, LONDON_INBOX)).status_code == 202
    assert await processed(london, reply["id"]) == "done"
    page = (await london.client.get(f"/minutes/{minutes['id']}")).text
    assert "Count me in for the stall on Saturday." in page
    thread = (await london.client.get("/api/v1/comments", params={"object": minutes["ap_id"]})).json()
    [comment] = thread["items"]
    assert comment["author"] == {"name": "Alice", "url": "http://mastodon.test/users/alice",
                                 "handle": "@alice@mastodon.test"}
    assert comment["ap_id"] == reply["object"]["id"]
    assert 'class="u-url mention"' in comment["content"]
    # FEP-1b12: the chapter relays the reply both ways.
    await eventually(lambda: len(peer.activities("Announce")) >= 2, "the chapter relays the reply")
    relayed = {announce["object"]["type"] for announce in peer.activities("Announce")}
    assert relayed == {"Create", "Note"}
    assert all(a["actor"] == "http://london.test/actors/london" for a in peer.activities("Announce"))
    collection = (await london.client.get(f"/minutes/{minutes['id']}/replies?page=1")).json()
    assert collection["orderedItems"] == [reply["object"]["id"]]


async def test_remote_html_is_sanitised(net: Network, london: Instance) -> None:
    peer = await followed_by_alice(net, london)
    minutes = await publish(london)
    hostile = ('<p onclick="steal()">Hi <script>alert(1)</script><style>p{}</style>'
               '<a href="javascript:alert(2)">link</a> <img src=x onerror=alert(3)></p>')
    reply = mastodon_reply(minutes["ap_id"], id="http://mastodon.test/users/alice/statuses/2",
                           content=hostile, contentMap={"en": hostile})
    await peer.send("alice", reply, LONDON_INBOX)
    assert await processed(london, reply["id"]) == "done"
    [comment] = (await london.client.get("/api/v1/comments", params={"object": minutes["ap_id"]})).json()["items"]
    for forbidden in ("script", "alert(1)", "style", "onclick", "javascript:", "onerror", "<img"):
        assert forbidden not in comment["content"]
    assert "Hi" in comment["content"] and "link" in comment["content"]


async def test_the_author_alone_updates_and_deletes_a_reply(net: Network, london: Instance) -> None:
    peer = await followed_by_alice(net, london)
    peer.add_account("mallory")
    minutes = await publish(london)
    reply = mastodon_reply(minutes["ap_id"])
    note = reply["object"]
    await peer.send("alice", reply, LONDON_INBOX)
    await processed(london, reply["id"])
    forged = {"id": "http://mastodon.test/users/mallory#delete/1", "type": "Delete",
              "actor": peer.actor("mallory"), "object": note["id"]}
    await peer.send("mallory", forged, LONDON_INBOX)
    assert await processed(london, forged["id"]) == "ignored"
    update = {"id": f"{note['id']}#updates/1", "type": "Update", "actor": note["attributedTo"],
              "object": {**note, "content": "<p>Edited: I will bring a table.</p>", "contentMap": {}}}
    await peer.send("alice", update, LONDON_INBOX)
    assert await processed(london, update["id"]) == "done"
    assert "bring a table" in (await london.client.get(f"/minutes/{minutes['id']}")).text
    delete = {"id": f"{note['id']}#delete", "type": "Delete", "actor": note["attributedTo"],
              "object": {"id": note["id"], "type": "Tombstone"}}
    await peer.send("alice", delete, LONDON_INBOX)
    assert await processed(london, delete["id"]) == "done"
    thread = (await london.client.get("/api/v1/comments", params={"object": minutes["ap_id"]})).json()
    assert thread["items"] == []


async def test_replies_to_unknown_or_members_only_objects_are_dropped_and_recorded(
    net: Network, london: Instance
) -> None:
    peer = await followed_by_alice(net, london)
    hidden = await publish(london, visibility="members")
    unknown = mastodon_reply("http://london.test/minutes/no-such-minutes",
                             id="http://mastodon.test/users/alice/statuses/3")
    await peer.send("alice", unknown, LONDON_INBOX)
    assert await processed(london, unknown["id"]) == "ignored"
    to_hidden = mastodon_reply(hidden["ap_id"], id="http://mastodon.test/users/alice/statuses/4")
    await peer.send("alice", to_hidden, LONDON_INBOX)
    assert await processed(london, to_hidden["id"]) == "ignored"
    row = await london.ctx.repos.inbox.by_activity_id(to_hidden["id"])
    assert row is not None and "members-only" in (row.error or "")
    admin = {"Authorization": f"Bearer {await london.ctx.accounts.create_token('admin')}"}
    thread = await london.client.get("/api/v1/comments", params={"object": hidden["ap_id"]}, headers=admin)
    assert thread.json()["items"] == []


async def test_members_only_minutes_neither_travel_to_nor_answer_non_members(
    net: Network, london: Instance
) -> None:
    peer = await followed_by_alice(net, london)
    hidden = await publish(london, visibility="members")
    await eventually(lambda: all_delivered(london), "the delivery queue is empty")
    assert peer.activities("Create", "Article") == []
    assert (await london.client.get(f"/minutes/{hidden['id']}", headers=AS2)).status_code == 404
    assert (await signed_get(peer, "alice", hidden["ap_id"])).status_code == 404
    # Once an admin makes alice a member, her server may fetch them.
    admin = {"Authorization": f"Bearer {await london.ctx.accounts.create_token('admin')}"}
    made = await london.client.post("/api/v1/members", json={"actor": peer.actor("alice"), "role": "member"},
                                    headers=admin)
    assert made.status_code in (200, 201), made.text
    fetched = await signed_get(peer, "alice", hidden["ap_id"])
    assert fetched.status_code == 200 and fetched.json()["type"] == "Article"
    assert (await signed_get(peer, "mallory", hidden["ap_id"], add=True)).status_code == 404


async def signed_get(peer: MastodonPeer, name: str, url: str, *, add: bool = False) -> Any:
    """A GET signed by one of the peer's accounts, as authorized fetch does."""
    if add:
        peer.add_account(name)
    actor = peer.actor(name)
    key = load_signing_key(f"{actor}#main-key", actor, peer.keys[name][1])
    headers = {**sign_request("GET", url, key=key), **AS2}
    async with httpx.AsyncClient(transport=peer.net.transport) as client:
        return await client.get(url, headers=headers)


async def test_a_members_comment_goes_out_as_their_note_and_is_relayed(net: Network, london: Instance) -> None:
    peer = await followed_by_alice(net, london)
    minutes = await publish(london)
    member = await bearer(london, "ana", Role.MEMBER)
    comment = (await london.client.post("/api/v1/comments", json={"object": minutes["ap_id"], "content": "See you"},
                                        headers=member)).json()
    await eventually(lambda: len(peer.activities("Announce")) >= 2, "the chapter relays the comment")
    by_object = {announce["object"]["type"]: announce["object"] for announce in peer.activities("Announce")}
    create, note = by_object["Create"], by_object["Note"]
    assert create["actor"] == "http://london.test/actors/ana"
    assert note == create["object"]
    assert (note["id"], note["inReplyTo"], note["attributedTo"]) == (
        comment["ap_id"], minutes["ap_id"], "http://london.test/actors/ana")
    assert "http://london.test/actors/london" in create["cc"]
    await london.client.delete(f"/api/v1/comments/{comment['id']}", headers=member)
    await eventually(lambda: len(peer.activities("Announce")) >= 3, "the chapter relays the deletion")
    [relayed_delete] = [a["object"] for a in peer.activities("Announce") if a["object"]["type"] == "Delete"]
    assert relayed_delete["object"]["id"] == comment["ap_id"]
