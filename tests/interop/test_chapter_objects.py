"""A peer following the chapter receives its Event, minutes (Article) and
proposal (Question), and its own library makes sense of them; edits and
deletions follow as Update and Delete.

Fedify's entries are what its vocabulary classes parsed (times normalised to
UTC); bovine's are the JSON-LD document bovine stored after processing.
"""

from __future__ import annotations

import httpx
import pytest
from content import EVENT_END_UTC, EVENT_START_UTC, as_list, instant, open_proposal, \
    publish_event, publish_minutes
from peerlib import verify

pytestmark = pytest.mark.interop


@pytest.fixture(scope="module")
def published(fedify_peer, bovine_peer, chapter) -> dict[str, dict]:
    """One Event, one set of minutes and one proposal, published once both
    peers follow the chapter."""
    for follower in (fedify_peer, bovine_peer):
        chapter.ensure_follower(follower)
    return {"event": publish_event(chapter), "minutes": publish_minutes(chapter),
            "proposal": open_proposal(chapter)}


def received_create(peer, ap_id: str) -> dict:
    got = peer.wait_for(type="Create", object_id=ap_id)
    assert got["parsed_ok"], got["error"]
    return got


def test_peer_parses_the_event(peer, chapter, published):
    event = published["event"]
    got = received_create(peer, event["ap_id"])
    assert got["object_type"] == "Event"
    obj = got["object"]
    assert obj["name"] == "Chapter meeting"
    assert obj["summary"] == event["summary"]          # the date, time and place in text
    assert "Birkbeck" in obj["summary"]
    assert instant(obj["startTime"]) == EVENT_START_UTC
    assert instant(obj["endTime"]) == EVENT_END_UTC
    assert obj["location"]["type"] == "Place"
    assert obj["location"]["name"] == "Birkbeck"
    assert obj["attributedTo"] == got["actor"] == chapter.actor


def test_bovine_keeps_the_events_postal_address(bovine_peer, published):
    got = received_create(bovine_peer, published["event"]["ap_id"])
    address = got["object"]["location"]["address"]
    assert address["type"] == "PostalAddress"
    assert (address["streetAddress"], address["addressLocality"], address["postalCode"],
            address["addressCountry"]) == ("Malet St", "London", "WC1E 7HX", "GB")


def test_peer_parses_the_minutes_as_an_article(peer, published):
    got = received_create(peer, published["minutes"]["ap_id"])
    assert got["object_type"] == "Article"
    obj = got["object"]
    assert obj["name"] == "June meeting minutes"
    # Mastodon shows only name and summary: the decisions must be in it.
    assert "Carried" in obj["summary"] and "Adopt the budget" in obj["summary"]
    assert "Book the hall" in obj["content"]


def test_peer_parses_the_proposal_as_a_poll(peer, published):
    proposal = published["proposal"]
    got = received_create(peer, proposal["ap_id"])
    assert got["object_type"] == "Question"
    obj = got["object"]
    assert obj["name"] == "Adopt the budget?"
    assert instant(obj["endTime"]) == instant(proposal["closes_at"])
    if peer.kind == "fedify":  # its vocabulary's exclusive options (oneOf)
        options = [(o["name"], o["count"], o["multiple"]) for o in obj["options"]]
        assert options == [("yes", 0, False), ("no", 0, False), ("abstain", 0, False)]
    else:
        options = [(o["name"], o["replies"]["totalItems"]) for o in as_list(obj["oneOf"])]
        assert options == [("yes", 0), ("no", 0), ("abstain", 0)]


def test_an_edited_event_reaches_the_peer_as_an_update(peer, chapter):
    chapter.ensure_follower(peer)
    event = publish_event(chapter, title=f"Meeting to move ({peer.kind})")
    since = peer.mark()

    edited = chapter.api.patch(f"events/{event['id']}", json={"start": "2030-06-24T19:00",
                                                               "end": "2030-06-24T21:00"})
    assert edited.status_code == 200, edited.text
    got = peer.wait_for(type="Update", object_id=event["ap_id"], since=since,
                        match=lambda entry: instant(entry["object"]["startTime"]) ==
                        instant("2030-06-24T18:00:00Z"))
    assert got["parsed_ok"], got["error"]
    assert got["object"]["name"] == f"Meeting to move ({peer.kind})"


def test_a_deleted_event_reaches_the_peer_as_a_delete(peer, chapter):
    chapter.ensure_follower(peer)
    event = publish_event(chapter, title=f"Meeting to delete ({peer.kind})")
    peer.wait_for(type="Create", object_id=event["ap_id"])
    since = peer.mark()

    deleted = chapter.api.delete(f"events/{event['id']}")
    assert deleted.status_code in (200, 204), deleted.text
    got = peer.wait_for(type="Delete", object_id=event["ap_id"], since=since)
    assert got["parsed_ok"], got["error"]
    gone = httpx.get(event["ap_id"], headers={"accept": "application/activity+json"},
                     trust_env=False, verify=verify())
    assert gone.status_code == 410  # a Tombstone's URL answers Gone
