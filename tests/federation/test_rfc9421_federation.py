"""RFC 9421 both ways with a Mastodon-like peer (issue 14.7): its RFC 9421
signed activities are accepted, and a peer that verifies only RFC 9421 gets
our deliveries on the second knock, then on the first."""
from __future__ import annotations

from tests.federation.mastodon_peer import MastodonPeer, eventually, processed
from tests.federation.test_minutes_federation import LONDON_INBOX, publish
from tests.support.instances import Instance, Network


def follow_of(alice: str, number: int) -> dict[str, object]:
    return {"@context": "https://www.w3.org/ns/activitystreams", "id": f"{alice}#follows/{number}",
            "type": "Follow", "actor": alice, "object": "http://london.test/actors/london"}


async def test_an_rfc9421_signed_follow_is_accepted(net: Network, london: Instance) -> None:
    peer = MastodonPeer(net)
    alice = peer.add_account("alice")
    follow = follow_of(alice, 1)
    response = await peer.send("alice", follow, LONDON_INBOX, scheme="rfc9421")
    assert response.status_code == 202, response.text
    assert await processed(london, follow["id"]) == "done"  # type: ignore[arg-type]


async def test_a_peer_verifying_only_rfc9421_gets_our_deliveries(net: Network, london: Instance) -> None:
    peer = MastodonPeer(net)
    peer.verify_schemes = {"rfc9421"}
    alice = peer.add_account("alice")
    assert (await peer.send("alice", follow_of(alice, 1), LONDON_INBOX, scheme="rfc9421")).status_code == 202
    await eventually(lambda: peer.activities("Accept"), "the chapter's Accept arrives")
    assert peer.schemes_seen == ["cavage", "rfc9421"]  # draft-cavage first, then the second knock
    # The worker records the scheme once the second knock's answer is in: the
    # peer may hold the Accept a moment before that row is written.
    async def remembered() -> bool:
        return await london.ctx.repos.delivery_hosts.signature_scheme("mastodon.test") == "rfc9421"

    await eventually(remembered, "the chapter to remember that the peer takes RFC 9421")
    await publish(london)
    await eventually(lambda: peer.activities("Create", "Article"), "the minutes arrive")
    later = peer.schemes_seen[2:]
    assert later and set(later) == {"rfc9421"}  # remembered: straight to RFC 9421, no more 401s
