"""Fedify's RFC 9421 first knock.

Fedify signs its first request to a new origin with RFC 9421 and retries
with draft-cavage on any 4xx/5xx, remembering per origin what worked
(`peer.spec(origin)`).  fedchapter verifies draft-cavage only
(federation/signatures.py), so it must answer an RFC 9421 signature with 401:
Fedify would also fall back on a 404 or a 500, but other senders fall back
only on 401 (shared/docs/federation.md).  Each test uses a fresh Fedify peer:
a new origin for it, with no remembered spec.
"""

from __future__ import annotations

import pytest
from content import publish_event
from peerlib import FedifyPeer

pytestmark = pytest.mark.interop


def knock_answers(peer: FedifyPeer) -> list[str]:
    """Fedify's log lines for refused first knocks ("... (401 Unauthorized);
    retrying with spec draft-cavage-http-signatures-12... (double-knocking)")."""
    return [record["message"] for record in peer.logs() if "double-knocking" in record["message"]]


def assert_fell_back_after_a_401(peer: FedifyPeer, origin: str) -> None:
    spec = peer.spec(origin)
    knocks = knock_answers(peer)
    if spec == "rfc9421":  # fedchapter has learnt RFC 9421: no fallback needed
        assert not knocks, knocks
        return
    assert spec == "draft-cavage-http-signatures-12"
    assert knocks, "Fedify fell back without logging the refused RFC 9421 knock"
    assert all("spec rfc9421 (401" in message for message in knocks), knocks


def test_first_delivery_is_answered_401_and_the_fallback_is_delivered(fresh_fedify_peer,
                                                                       chapter):
    peer = fresh_fedify_peer
    assert peer.spec(chapter.origin) is None

    follow = peer.follow(chapter.actor)  # a POST to the chapter's inbox
    peer.wait_for(type="Accept", actor=chapter.actor, object_id=follow["id"])
    assert chapter.inbox_row(follow["id"])["state"] == "done"  # the fallback got through

    assert_fell_back_after_a_401(peer, chapter.origin)


def test_first_signed_get_of_a_members_only_object_is_answered_401(fresh_fedify_peer, chapter):
    peer = fresh_fedify_peer
    event = publish_event(chapter, title="Members-only (RFC 9421 knock)", visibility="members")
    chapter.add_member(peer.actor)
    assert peer.spec(chapter.origin) is None

    document = peer.fetch(event["ap_id"])["document"]  # a signed GET
    assert document["name"] == "Members-only (RFC 9421 knock)"  # after the fallback

    assert_fell_back_after_a_401(peer, chapter.origin)
