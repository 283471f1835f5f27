"""The chapter follows a peer (`fedchapter follow`) and receives its posts."""

from __future__ import annotations

import pytest
from content import instant
from peerlib import wait_until

pytestmark = pytest.mark.interop

PICNIC = {
    "type": "Event",
    "summary": "Sat 6 Jul 12:00 BST – Regent's Park",
    "content": "<p>Bring food.</p>",
    "startTime": "2030-07-06T12:00:00+01:00",
    "endTime": "2030-07-06T15:00:00+01:00",
    "location": {"type": "Place", "name": "Regent's Park", "address": "London NW1"},
}


def chapter_follows(chapter, peer) -> None:
    """`fedchapter follow @name@host`, then wait for the peer's Accept to land."""
    assert chapter.follow(peer.handle) == peer.actor
    wait_until(lambda: chapter.following_state(peer.actor) == "accepted", 20,
               what=f"the chapter's follow of {peer.actor} to be accepted "
                    f"(now {chapter.following_state(peer.actor)!r})")


def test_chapter_follows_the_peer_and_is_accepted(peer, chapter):
    chapter_follows(chapter, peer)
    # The peer's side of it: the chapter is in its followers.
    assert chapter.actor in peer.followers()


def test_chapter_receives_the_peers_note(peer, chapter):
    chapter_follows(chapter, peer)
    note = peer.post("<p>News from the peer</p>")  # to its followers: the chapter

    row = chapter.inbox_row(note["id"])
    assert row["type"] == "Create" and row["actor_id"] == peer.actor
    # Verified and taken ("ignored" only means no feature shows a plain Note).
    assert row["state"] in ("done", "ignored"), row


def test_chapter_lists_the_peers_event_in_its_network_calendar(peer, chapter):
    chapter_follows(chapter, peer)
    title = f"{peer.kind} picnic"
    event = peer.create({**PICNIC, "name": title})
    assert chapter.inbox_row(event["id"])["state"] == "done"

    listed = chapter.api.get("events", params={"scope": "network", "limit": 500})
    assert listed.status_code == 200, listed.text
    ours = [item for item in listed.json()["items"] if item["ap_id"] == event["object"]]
    assert ours, f"{event['object']} not in the network calendar"
    assert ours[0]["title"] == title
    assert ours[0]["chapter"]["id"] == peer.actor
    assert instant(ours[0]["start_utc"]) == instant("2030-07-06T11:00:00Z")
