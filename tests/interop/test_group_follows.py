"""Chapter to chapter (group to group, FEP-d36d): the peer's actor is a
`Group`, playing another chapter.  The two groups follow each other by
handle over https, each accepts, and each one's events reach the other."""

from __future__ import annotations

import pytest
from bovine_peer import BovinePeer
from content import publish_event
from peerlib import FedifyPeer, PeerError, wait_until

pytestmark = pytest.mark.interop

ALLOTMENT_DAY = {
    "type": "Event",
    "summary": "Sat 13 Jul 10:00 BST – Hackney allotments",
    "content": "<p>Open day.</p>",
    "startTime": "2030-07-13T10:00:00+01:00",
    "endTime": "2030-07-13T16:00:00+01:00",
    "location": {"type": "Place", "name": "Hackney allotments"},
}


@pytest.fixture(params=["fedify", "bovine"])
def other_chapter(request, tmp_path, interop_workdir):
    cls = FedifyPeer if request.param == "fedify" else BovinePeer
    name = "greens" if request.param == "fedify" else "blues"
    start = (lambda: cls.start(tmp_path, username=name, actor_type="Group")) \
        if cls is FedifyPeer else (lambda: cls.start(tmp_path, handle=name, actor_type="Group"))
    try:
        peer = start()
    except PeerError:  # the free port was taken meanwhile
        peer = start()
    yield peer
    peer.close()


def test_chapters_follow_each_other_and_share_events(other_chapter, chapter):
    peer = other_chapter
    assert peer.fetch(peer.actor)["document"]["type"] == "Group"

    # Ours follows theirs, by handle.
    assert chapter.follow(peer.handle) == peer.actor
    wait_until(lambda: chapter.following_state(peer.actor) == "accepted", 20,
               what=f"the follow of {peer.actor} to be accepted")
    assert chapter.actor in peer.followers()

    # Theirs follows ours, by handle.
    since = peer.mark()
    follow = peer.follow(chapter.handle)
    accept = peer.wait_for(type="Accept", actor=chapter.actor, object_id=follow["id"], since=since)
    assert accept["parsed_ok"], accept["error"]

    # Their event lands in our network calendar, attributed to their group.
    title = f"Allotment open day ({peer.kind})"
    theirs = peer.create({**ALLOTMENT_DAY, "name": title})
    assert chapter.inbox_row(theirs["id"])["state"] == "done"
    listed = chapter.api.get("events", params={"scope": "network", "limit": 500}).json()["items"]
    ours_view = [item for item in listed if item["ap_id"] == theirs["object"]]
    assert ours_view and ours_view[0]["title"] == title
    assert ours_view[0]["chapter"]["id"] == peer.actor

    # Our event reaches their group.
    event = publish_event(chapter, title=f"Joint meeting ({peer.kind})")
    got = peer.wait_for(type="Create", object_id=event["ap_id"], since=since)
    assert got["parsed_ok"], got["error"]
    assert got["object_type"] == "Event"
