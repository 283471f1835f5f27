"""A follower's server is down when the chapter publishes: the delivery
fails, stays queued, and once the server is back the retry (the first within
30 seconds, shared/docs/federation.md) delivers it exactly once."""

from __future__ import annotations

import time

import pytest
from content import publish_event
from peerlib import wait_until

pytestmark = pytest.mark.interop


@pytest.fixture(params=["fedify", "bovine"])
def follower(request, chapter):
    """A private peer of each kind that follows the chapter (it is stopped
    and started again, which the session peers must not be)."""
    peer = request.getfixturevalue(f"fresh_{request.param}_peer")
    chapter.ensure_follower(peer)
    return peer


def test_a_delivery_missed_while_down_arrives_once_after_restart(follower, chapter):
    peer = follower
    follower_host = peer.origin.split("://", 1)[1]
    peer.down()
    event = publish_event(chapter, title=f"Published while {peer.kind} was down")

    # The first attempt found nothing listening and is queued for a retry.
    def failed_once():
        return [row for row in chapter.deliveries_to(peer.origin)
                if row["state"] == "queued" and row["attempts"] >= 1 and row["last_error"]]
    failed = wait_until(failed_once, 20, interval=0.3,
                        what=f"a failed delivery to {follower_host}")
    assert failed[0]["last_status"] is None  # no HTTP answer: the server was down
    failed_by = time.monotonic()

    peer.up()
    got = peer.wait_for(type="Create", object_id=event["ap_id"], timeout=60)
    assert got["parsed_ok"], got["error"]
    # The documented schedule: the first retry within 30 seconds of the failure.
    assert time.monotonic() - failed_by < 35
    time.sleep(3)  # a duplicate would follow at once (a second worker, a lost lease)
    creates = [entry for entry in peer.received()
               if entry["type"] == "Create" and entry["object_id"] == event["ap_id"]]
    assert len(creates) == 1, creates
    wait_until(lambda: all(row["state"] == "delivered" for row in chapter.deliveries_to(peer.origin)
                           if row["activity_id"] == failed[0]["activity_id"]), 10,
               what="the queue row to be marked delivered")
