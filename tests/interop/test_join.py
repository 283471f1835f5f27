"""RSVP from another server: the peer sends Join{object: EVENT}, the chapter
answers Accept (embedding the Join) and counts one more participant; a
Leave takes it off again."""

from __future__ import annotations

import pytest
from content import publish_event
from peerlib import wait_until

pytestmark = pytest.mark.interop


def participant_count(chapter, event: dict) -> int:
    response = chapter.api.get(f"events/{event['id']}")
    assert response.status_code == 200, response.text
    return response.json()["participant_count"]


def test_join_is_accepted_and_counted(peer, chapter):
    event = publish_event(chapter, title=f"Open meeting ({peer.kind})")
    assert participant_count(chapter, event) == 0
    since = peer.mark()

    join = peer.join(event["ap_id"])  # to the event's attributedTo: the chapter
    assert join["owner"] == chapter.actor

    accept = peer.wait_for(type="Accept", actor=chapter.actor, object_id=join["id"], since=since)
    assert accept["parsed_ok"], accept["error"]
    assert accept["object_type"] == "Join"
    wait_until(lambda: participant_count(chapter, event) == 1, 10,
               what="the participant count to reach 1")

    # What a remote server sees of the event now.
    document = peer.fetch(event["ap_id"])["document"]
    assert document["participantCount"] == 1


def test_leave_takes_the_participant_off(peer, chapter):
    event = publish_event(chapter, title=f"Meeting to leave ({peer.kind})")
    since = peer.mark()
    join = peer.join(event["ap_id"])
    peer.wait_for(type="Accept", actor=chapter.actor, object_id=join["id"], since=since)
    wait_until(lambda: participant_count(chapter, event) == 1, 10,
               what="the participant count to reach 1")

    leave = peer.leave(event["ap_id"])
    assert chapter.inbox_row(leave["id"])["state"] == "done"
    wait_until(lambda: participant_count(chapter, event) == 0, 10,
               what="the participant count to go back to 0")
