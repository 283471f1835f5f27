"""RFC 9421 HTTP Message Signatures, both ways.

Fedify signs its first request to a new origin with RFC 9421 and retries
with draft-cavage on any 4xx/5xx, remembering per origin what worked
(`peer.spec(origin)`).  fedchapter verifies RFC 9421
(federation/message_signatures.py), so Fedify's first knock is accepted and
it stays on RFC 9421.  The other way, fedchapter signs draft-cavage for a
server it does not know and switches to RFC 9421 on a 401, remembering the
scheme per server: a Fedify peer that refuses draft-cavage
(`strict_rfc9421`) gets every delivery signed with RFC 9421.  bovine-herd
signs draft-cavage only, so it has no RFC 9421 to send.  Each test uses a
fresh Fedify peer: a new origin for it, with no remembered spec.
"""

from __future__ import annotations

import pytest
from content import publish_event
from peerlib import FedifyPeer, PeerError

pytestmark = pytest.mark.interop


def knock_answers(peer: FedifyPeer) -> list[str]:
    """Fedify's log lines for refused first knocks ("... (401 Unauthorized);
    retrying with spec draft-cavage-http-signatures-12... (double-knocking)")."""
    return [record["message"] for record in peer.logs() if "double-knocking" in record["message"]]


def assert_first_knock_accepted(peer: FedifyPeer, origin: str) -> None:
    assert peer.spec(origin) == "rfc9421"
    assert not knock_answers(peer), "Fedify had to fall back to draft-cavage"


def test_fedifys_rfc9421_delivery_is_verified_at_the_first_knock(fresh_fedify_peer, chapter):
    peer = fresh_fedify_peer
    assert peer.spec(chapter.origin) is None

    follow = peer.follow(chapter.actor)  # a POST to the chapter's inbox
    peer.wait_for(type="Accept", actor=chapter.actor, object_id=follow["id"])
    assert chapter.inbox_row(follow["id"])["state"] == "done"

    assert_first_knock_accepted(peer, chapter.origin)


def test_fedifys_rfc9421_signed_get_of_a_members_only_object_is_verified(fresh_fedify_peer,
                                                                         chapter):
    peer = fresh_fedify_peer
    event = publish_event(chapter, title="Members-only (RFC 9421 knock)", visibility="members")
    chapter.add_member(peer.actor)
    assert peer.spec(chapter.origin) is None

    document = peer.fetch(event["ap_id"])["document"]  # a signed GET
    assert document["name"] == "Members-only (RFC 9421 knock)"  # the member was recognised

    assert_first_knock_accepted(peer, chapter.origin)


@pytest.fixture
def strict_fedify_peer(tmp_path, interop_workdir, chapter):
    """A Fedify peer that answers draft-cavage signatures with 401."""
    try:
        peer = FedifyPeer.start(tmp_path, strict_rfc9421=True)
    except PeerError:  # the free port was taken meanwhile
        peer = FedifyPeer.start(tmp_path, strict_rfc9421=True)
    yield peer
    peer.close()


def test_the_chapter_signs_with_rfc9421_where_draft_cavage_is_refused(strict_fedify_peer,
                                                                       chapter):
    peer = strict_fedify_peer
    follow = peer.follow(chapter.handle)
    accept = peer.wait_for(type="Accept", actor=chapter.actor, object_id=follow["id"])
    assert accept["parsed_ok"], accept["error"]
    assert accept["signature"] == "rfc9421"

    since = peer.mark()
    event = publish_event(chapter, title="Signed the way the peer wants")
    got = peer.wait_for(type="Create", object_id=event["ap_id"], since=since)
    assert got["parsed_ok"], got["error"]
    assert got["signature"] == "rfc9421"
    # Remembered: once the chapter knew, nothing more was knocked with draft-cavage.
    refused = [entry for entry in peer.received(since) if entry["signature"] == "draft-cavage"]
    assert not refused, refused
    # Its signed GETs switched too (the peer's verifier checked them).
    by_chapter = [fetch for fetch in peer.fetches()
                  if (fetch["claimed_key"] or "").startswith(chapter.origin + "/")]
    assert any(fetch["signature"] == "rfc9421" and fetch["verified"] for fetch in by_chapter), \
        by_chapter


@pytest.mark.parametrize("kind", ["fedify", "bovine"])
def test_the_chapter_keeps_draft_cavage_where_it_is_accepted(kind, fedify_peer, bovine_peer,
                                                             chapter):
    """draft-cavage first for a server not yet known; a peer that accepts it
    (both do) keeps getting it: no needless second knock."""
    peer = fedify_peer if kind == "fedify" else bovine_peer
    chapter.ensure_follower(peer)
    since = peer.mark()
    event = publish_event(chapter, title=f"Signed draft-cavage ({kind})")
    got = peer.wait_for(type="Create", object_id=event["ap_id"], since=since)
    assert got["parsed_ok"], got["error"]
    assert got["signature"] == "draft-cavage"
