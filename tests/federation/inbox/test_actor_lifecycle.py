"""An account deleting itself and bare-id Undos (issue 14.8): an actor's
Delete of itself forgets its cached actor and hides its comments; an
Undo(Join) naming the Join by its id alone cancels the RSVP."""
from __future__ import annotations

from tests.federation.mastodon_peer import MastodonPeer, processed
from tests.federation.test_events_federation import mobilizon_join, publish as publish_event
from tests.federation.test_minutes_federation import LONDON_INBOX, followed_by_alice, mastodon_reply, publish
from tests.support.instances import Instance, Network


async def test_an_actor_deleting_itself_is_forgotten_and_its_comments_hidden(
    net: Network, london: Instance
) -> None:
    peer = await followed_by_alice(net, london)
    alice = peer.actor("alice")
    minutes = await publish(london)
    reply = mastodon_reply(minutes["ap_id"])
    await peer.send("alice", reply, LONDON_INBOX)
    assert await processed(london, reply["id"]) == "done"
    assert await london.ctx.repos.remote_actors.get(alice) is not None
    delete = {"@context": "https://www.w3.org/ns/activitystreams", "id": f"{alice}#delete", "type": "Delete",
              "actor": alice, "object": alice, "to": ["https://www.w3.org/ns/activitystreams#Public"]}
    await peer.send("alice", delete, LONDON_INBOX)
    assert await processed(london, delete["id"]) == "done"
    assert await london.ctx.repos.remote_actors.get(alice) is None
    thread = (await london.client.get("/api/v1/comments", params={"object": minutes["ap_id"]})).json()
    assert thread["items"] == []
    assert "Count me in for the stall" not in (await london.client.get(f"/minutes/{minutes['id']}")).text
    # Moderators still see it, hidden: nothing is lost if the Delete was a mistake.
    admin = {"Authorization": f"Bearer {await london.ctx.accounts.create_token('admin')}"}
    moderated = await london.client.get("/api/v1/comments", params={"object": minutes["ap_id"]}, headers=admin)
    assert [item["ap_id"] for item in moderated.json()["items"]] == [reply["object"]["id"]]


async def test_an_undo_naming_the_join_by_id_alone_cancels_the_rsvp(net: Network, london: Instance) -> None:
    peer = MastodonPeer(net)
    carol = peer.add_account("carol")
    created = await publish_event(london)
    join = mobilizon_join("join", carol, created["ap_id"])
    await peer.send("carol", join, LONDON_INBOX)
    assert await processed(london, join["id"]) == "done"
    assert (await london.client.get(f"/api/v1/events/{created['id']}")).json()["participant_count"] == 1
    undo = {"@context": "https://www.w3.org/ns/activitystreams", "id": f"{carol}#joins/1/undo", "type": "Undo",
            "actor": carol, "object": join["id"]}
    await peer.send("carol", undo, LONDON_INBOX)
    assert await processed(london, undo["id"]) == "done"
    assert (await london.client.get(f"/api/v1/events/{created['id']}")).json()["participant_count"] == 0


async def test_a_bare_id_undo_of_someone_elses_join_changes_nothing(net: Network, london: Instance) -> None:
    peer = MastodonPeer(net)
    carol, mallory = peer.add_account("carol"), peer.add_account("mallory")
    created = await publish_event(london)
    join = mobilizon_join("join", carol, created["ap_id"])
    await peer.send("carol", join, LONDON_INBOX)
    assert await processed(london, join["id"]) == "done"
    forged = {"id": f"{mallory}#undo/1", "type": "Undo", "actor": mallory, "object": join["id"]}
    await peer.send("mallory", forged, LONDON_INBOX)
    assert await processed(london, forged["id"]) == "ignored"
    assert (await london.client.get(f"/api/v1/events/{created['id']}")).json()["participant_count"] == 1
