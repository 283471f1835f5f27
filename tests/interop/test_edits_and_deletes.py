"""Corrected minutes and closed proposals reach a following peer as Update;
deleted minutes as Delete, after which their URL answers 410 with a
Tombstone naming what was there (`formerType`).  Events: test_chapter_objects.

fedchapter never deletes a proposal (a decision stays on the record), so
there is no Delete(Question) to check.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from content import MINUTES, close_proposal, instant, open_proposal, publish_minutes
from peerlib import anonymous_get

pytestmark = pytest.mark.interop

AS2 = {"accept": "application/activity+json"}


def test_corrected_minutes_reach_the_peer_as_an_update(peer, chapter):
    chapter.ensure_follower(peer)
    minutes = publish_minutes(chapter, title=f"Minutes to correct ({peer.kind})")
    peer.wait_for(type="Create", object_id=minutes["ap_id"])
    since = peer.mark()

    corrected = chapter.api.patch(f"minutes/{minutes['id']}", json={
        **MINUTES, "title": f"Corrected minutes ({peer.kind})", "note": "typo in the title"})
    assert corrected.status_code == 200, corrected.text

    got = peer.wait_for(type="Update", object_id=minutes["ap_id"], since=since)
    assert got["parsed_ok"], got["error"]
    assert got["object_type"] == "Article"
    assert got["object"]["name"] == f"Corrected minutes ({peer.kind})"


def test_deleted_minutes_reach_the_peer_as_a_delete(peer, chapter):
    chapter.ensure_follower(peer)
    minutes = publish_minutes(chapter, title=f"Minutes to delete ({peer.kind})")
    peer.wait_for(type="Create", object_id=minutes["ap_id"])
    since = peer.mark()

    deleted = chapter.api.delete(f"minutes/{minutes['id']}")
    assert deleted.status_code in (200, 204), deleted.text

    got = peer.wait_for(type="Delete", object_id=minutes["ap_id"], since=since)
    assert got["parsed_ok"], got["error"]
    gone = anonymous_get(minutes["ap_id"], headers=AS2)
    assert gone.status_code == 410
    tombstone = gone.json()
    assert tombstone["type"] == "Tombstone"
    assert tombstone["formerType"] in ("Article", "https://www.w3.org/ns/activitystreams#Article")


def test_a_closed_proposal_reaches_the_peer_as_an_update_that_ends_it(peer, chapter):
    """Closing early sets `closed` and moves `endTime` to the close, so a
    server that reads only `endTime` stops offering the vote."""
    chapter.ensure_follower(peer)
    proposal = open_proposal(chapter, f"Proposal to close early ({peer.kind})")
    peer.wait_for(type="Create", object_id=proposal["ap_id"])
    since = peer.mark()

    close_proposal(chapter, proposal)
    closed_at = datetime.now(UTC)

    got = peer.wait_for(type="Update", object_id=proposal["ap_id"], since=since,
                        match=lambda entry: entry["object"].get("closed"))
    assert got["parsed_ok"], got["error"]
    assert got["object_type"] == "Question"
    ends = instant(got["object"]["endTime"])
    assert ends < instant(proposal["closes_at"])             # no longer a week away
    assert abs(ends - closed_at) < timedelta(minutes=2)
