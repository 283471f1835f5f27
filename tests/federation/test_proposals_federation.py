"""Proposals on the fediverse: a follower on a Mastodon-like server sees the
poll, a member votes from there and is counted, anyone else is refused."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.federation.mastodon_peer import MastodonPeer, eventually, processed
from tests.support.instances import Instance, Network
from tests.web.proposal_helpers import admin_headers, create

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "proposals"
LONDON = "http://london.test/actors/london"
LONDON_INBOX = "http://london.test/actors/london/inbox"


def mastodon_vote(peer: MastodonPeer, voter: str, option: str, question: str, number: int,
                  *, signer: str | None = None) -> dict[str, Any]:
    """Mastodon's own vote activity (fixtures/proposals/mastodon_vote.json) for our hosts."""
    activity: dict[str, Any] = json.loads((FIXTURES / "mastodon_vote.json").read_text())
    actor = peer.actor(signer or voter)
    activity.update(id=f"{actor}#votes/{number}/activity", actor=actor, to=LONDON)
    activity["object"].update(id=f"{actor}#votes/{number}", name=option, attributedTo=peer.actor(voter),
                              inReplyTo=question, to=LONDON)
    return activity


async def follow(peer: MastodonPeer, name: str) -> None:
    follow_id = f"{peer.actor(name)}#follows/1"
    response = await peer.send(name, {"@context": "https://www.w3.org/ns/activitystreams", "id": follow_id,
                                      "type": "Follow", "actor": peer.actor(name), "object": LONDON}, LONDON_INBOX)
    assert response.status_code == 202
    await eventually(lambda: any(accept.get("object", {}).get("id") == follow_id if isinstance(accept.get("object"), dict)
                                 else accept.get("object") == follow_id for accept in peer.activities("Accept")),
                     "the follow accepted")


async def make_remote_member(london: Instance, actor: str) -> None:
    response = await london.client.post("/api/v1/members", json={"actor": actor}, headers=await admin_headers(london))
    assert response.status_code in (200, 201), response.text


async def test_a_follower_sees_the_poll_and_a_members_vote_counts(net: Network, london: Instance) -> None:
    peer = MastodonPeer(net)
    for name in ("alice", "mallory"):
        peer.add_account(name)
    await follow(peer, "mallory")
    await make_remote_member(london, peer.actor("alice"))

    created = await create(london, await admin_headers(london), "single", options=["Tuesday", "Thursday"])
    question_id = created["ap_id"]
    await eventually(lambda: peer.activities("Create", "Question"), "the poll delivered to the follower")
    poll = peer.activities("Create", "Question")[0]["object"]
    assert poll["id"] == question_id and poll["attributedTo"] == LONDON
    assert [option["name"] for option in poll["oneOf"]] == ["Tuesday", "Thursday"]
    assert all(option["type"] == "Note" and option["replies"]["totalItems"] == 0 for option in poll["oneOf"])
    assert poll["endTime"] == created["closes_at"] and "closed" not in poll

    # The member's vote from their own server counts...
    alice_vote = mastodon_vote(peer, "alice", "Tuesday", question_id, 1)
    assert (await peer.send("alice", alice_vote, LONDON_INBOX)).status_code == 202
    assert await processed(london, alice_vote["id"]) == "done"
    # ...a non-member's does not, nor a forged one naming the member, nor a second one.
    refusals = [
        ("mallory", mastodon_vote(peer, "mallory", "Thursday", question_id, 2)),
        ("mallory", mastodon_vote(peer, "alice", "Thursday", question_id, 3, signer="mallory")),
        ("alice", mastodon_vote(peer, "alice", "Thursday", question_id, 4)),
        ("alice", mastodon_vote(peer, "alice", "Wednesday", question_id, 5)),
    ]
    for signer, activity in refusals:
        assert (await peer.send(signer, activity, LONDON_INBOX)).status_code == 202
        assert await processed(london, activity["id"]) == "ignored"
    row = await london.ctx.repos.inbox.by_activity_id(refusals[0][1]["id"])
    assert row is not None and "not one" in (row.error or "")
    # A redelivery of the counted vote changes nothing.
    await peer.send("alice", {**alice_vote, "id": alice_vote["id"] + "-again"}, LONDON_INBOX)
    await processed(london, alice_vote["id"] + "-again")

    proposal = (await london.client.get(f"/api/v1/proposals/{created['id']}")).json()
    assert proposal["counts"] == {"Tuesday": 1, "Thursday": 0}
    assert proposal["voters_count"] == 1

    # The follower and the voter get the new counts in an Update(Question).
    def updated_counts() -> list[Any]:
        return [update["object"] for update in peer.activities("Update", "Question")
                if update["object"]["oneOf"][0]["replies"]["totalItems"] == 1]

    await eventually(updated_counts, "an Update(Question) with the new counts")
    assert updated_counts()[0]["votersCount"] == 1

    # The close sends `closed` and the final counts.
    closed = await london.client.post(f"/api/v1/proposals/{created['id']}/close", headers=await admin_headers(london))
    assert closed.json()["outcome"] == "passed"
    await eventually(lambda: [u for u in peer.activities("Update", "Question") if "closed" in u["object"]],
                     "the closing Update(Question)")
    final = [u for u in peer.activities("Update", "Question") if "closed" in u["object"]][0]["object"]
    assert final["fc:result"]["outcome"] == "passed"
    assert final["oneOf"][0]["replies"]["totalItems"] == 1
    late = mastodon_vote(peer, "alice", "Thursday", question_id, 6)
    await peer.send("alice", late, LONDON_INBOX)
    assert await processed(london, late["id"]) == "ignored"


async def test_ranked_ballots_are_voted_on_the_site(net: Network, london: Instance) -> None:
    peer = MastodonPeer(net)
    peer.add_account("alice")
    await make_remote_member(london, peer.actor("alice"))
    created = await create(london, await admin_headers(london), "irv", options=["Ann", "Bo", "Cy"])
    vote = mastodon_vote(peer, "alice", "Ann", created["ap_id"], 1)
    await peer.send("alice", vote, LONDON_INBOX)
    assert await processed(london, vote["id"]) == "ignored"
    row = await london.ctx.repos.inbox.by_activity_id(vote["id"])
    assert row is not None and "site" in (row.error or "")
    question = (await london.client.get(created["url"], headers={"Accept": "application/activity+json"})).json()
    assert question["fc:method"] == "irv" and question["fc:seats"] == 1
    assert "Vote on the chapter's site" in question["content"]


async def test_a_members_site_vote_and_mastodon_vote_are_one_vote(net: Network, london: Instance) -> None:
    peer = MastodonPeer(net)
    peer.add_account("alice")
    await make_remote_member(london, peer.actor("alice"))
    created = await create(london, await admin_headers(london), "multiple", options=["pizza", "curry", "salad"])
    # Mastodon sends one Note per ticked option: both count, as one voter.
    for number, option in enumerate(["pizza", "curry"]):
        vote = mastodon_vote(peer, "alice", option, created["ap_id"], number)
        await peer.send("alice", vote, LONDON_INBOX)
        assert await processed(london, vote["id"]) == "done"
    proposal = (await london.client.get(f"/api/v1/proposals/{created['id']}")).json()
    assert proposal["counts"] == {"pizza": 1, "curry": 1, "salad": 0}
    assert proposal["voters_count"] == 1
