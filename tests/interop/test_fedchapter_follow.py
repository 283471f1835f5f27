"""A peer follows the chapter by handle and gets an Accept."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.interop


@pytest.mark.parametrize("kind", ["fedify", "bovine"])
def test_peer_follows_the_chapter_by_handle_and_is_accepted(kind, fedify_peer, bovine_peer,
                                                            chapter):
    peer = fedify_peer if kind == "fedify" else bovine_peer
    since = peer.mark()

    follow = peer.follow(chapter.handle)  # WebFinger acct:reds@127.0.0.1:PORT
    assert follow["target"] == chapter.actor

    accept = peer.wait_for(type="Accept", actor=chapter.actor, since=since)
    assert accept["parsed_ok"], accept["error"]
    assert accept["object_type"] == "Follow"
    assert accept["object_id"] == follow["id"]
    assert accept["signature"] == "draft-cavage"  # how fedchapter signs today


def test_chapter_api_client_is_authorised(chapter):
    """`chapter.api` carries an admin token: scenarios create events,
    proposals and members through the public API."""
    response = chapter.api.get("events")
    assert response.status_code == 200, response.text
    assert "items" in response.json()
