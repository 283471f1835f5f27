"""Blocking an account tells its server (issue 14.8), as Mastodon does: the
chapter sends Block to the account's inbox, and Undo(Block) on unblock."""
from __future__ import annotations

from tests.federation.mastodon_peer import eventually
from tests.federation.test_minutes_federation import all_delivered, followed_by_alice
from tests.support.instances import Instance, Network

LONDON = "http://london.test/actors/london"


async def test_a_blocked_account_is_sent_a_block_and_an_undo_when_unblocked(
    net: Network, london: Instance
) -> None:
    peer = await followed_by_alice(net, london)
    alice = peer.actor("alice")
    await london.ctx.federation.blocks.block_actor(alice, "spam")
    await eventually(lambda: peer.activities("Block"), "the Block reaches the account's server")
    [block] = peer.activities("Block")
    assert (block["actor"], block["object"]) == (LONDON, alice)
    # The follow is gone here; the account's server learns why.
    assert await london.ctx.repos.followers.count((await london.ctx.chapter()).actor_id) == 0
    await london.ctx.federation.blocks.unblock_actor(alice)
    await eventually(lambda: peer.activities("Undo"), "the Undo reaches the account's server")
    [undo] = peer.activities("Undo")
    assert undo["actor"] == LONDON
    assert (undo["object"]["type"], undo["object"]["id"], undo["object"]["object"]) == ("Block", block["id"], alice)
    await eventually(lambda: all_delivered(london), "the delivery queue is empty")
    assert len(peer.activities("Block")) == 1  # nothing sent twice
