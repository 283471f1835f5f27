"""Signed GETs both ways ("authorized fetch").

- The chapter's own fetches are signed (by its instance actor): bovine-herd
  answers unsigned GETs with 401, and Fedify's verifier checks the signature.
- A peer's signed fetch of the chapter's Event and Question works, and for a
  members-only event the chapter checks who signed: a member's server gets it,
  an anonymous or non-member fetch does not.
"""

from __future__ import annotations

import re

import httpx
import pytest
from content import as_list, open_proposal, publish_event
from peerlib import PeerError, verify

pytestmark = pytest.mark.interop

AP_JSON = {"accept": "application/activity+json"}


@pytest.fixture(scope="module")
def objects(chapter) -> dict[str, dict]:
    return {
        "event": publish_event(chapter, title="Public meeting"),
        "question": open_proposal(chapter, "Fetched proposal"),
        "members_event": publish_event(chapter, title="Members-only meeting",
                                       visibility="members"),
    }


def test_chapter_signs_its_fetch_of_a_bovine_actor(fresh_bovine_peer, chapter):
    unsigned = httpx.get(fresh_bovine_peer.actor, headers=AP_JSON, trust_env=False, verify=verify())
    assert unsigned.status_code == 401  # bovine-herd requires signed GETs

    # Adding a remote member fetches its actor: only a signed GET gets it.
    member = chapter.add_member(fresh_bovine_peer.actor)
    assert member["name"] == "bob"
    assert member["handle"] == fresh_bovine_peer.handle


def test_fedify_verifies_the_chapters_signed_fetches(fedify_peer, chapter):
    # Following makes the chapter fetch the follower's actor (for its inbox
    # and key); the peer records and verifies every signed GET it gets.
    chapter.ensure_follower(fedify_peer)
    by_chapter = [fetch for fetch in fedify_peer.fetches()
                  if (fetch["claimed_key"] or "").startswith(chapter.origin + "/")]
    assert by_chapter, f"no signed GET from the chapter: {fedify_peer.fetches()}"
    assert any(fetch["url"] == fedify_peer.actor for fetch in by_chapter), by_chapter
    for fetch in by_chapter:
        assert fetch["verified"], fetch
        assert fetch["owner"].startswith(chapter.origin + "/"), fetch  # its instance actor
        assert fetch["signature"] in ("draft-cavage", "rfc9421")  # draft-cavage today


@pytest.mark.parametrize("name", ["event", "question"])
def test_peer_fetches_the_chapters_object_signed(peer, objects, name):
    ap_id = objects[name]["ap_id"]
    fetched = peer.fetch(ap_id)
    document = fetched["document"]
    assert document["id"] == ap_id
    assert document["type"] == {"event": "Event", "question": "Question"}[name]
    if name == "question":
        assert [option["name"] for option in as_list(document["oneOf"])] == \
            ["yes", "no", "abstain"]
    if peer.kind == "fedify":
        assert fetched["parsed_ok"], fetched["error"]
        assert fetched["object"]["id"] == ap_id


def test_members_only_event_needs_a_members_signed_fetch(peer, chapter, objects):
    ap_id = objects["members_event"]["ap_id"]
    anonymous = httpx.get(ap_id, headers=AP_JSON, trust_env=False, verify=verify())
    assert anonymous.status_code in (401, 403, 404), anonymous.text
    assert "Members-only meeting" not in anonymous.text

    chapter.add_member(peer.actor)
    document = peer.fetch(ap_id)["document"]
    assert document["name"] == "Members-only meeting"


def test_members_only_event_is_hidden_from_a_non_member(stranger, objects):
    # The same signed fetch gets a public event: only membership differs.
    public = stranger.fetch(objects["event"]["ap_id"])["document"]
    assert public["name"] == "Public meeting"

    try:
        document = stranger.fetch(objects["members_event"]["ap_id"])["document"]
    except PeerError as refused:  # Fedify's loader raises on a 4xx
        assert re.search(r"\b40[134]\b", str(refused)), refused
        document = None
    assert document is None or document.get("name") != "Members-only meeting", document
