"""A peer replies to the chapter's minutes or event (a Note with inReplyTo)
and the reply shows up as a comment in `GET /api/v1/comments?object=...`."""

from __future__ import annotations

import pytest
from content import publish_event, publish_minutes

pytestmark = pytest.mark.interop


@pytest.fixture(scope="module")
def commented(chapter) -> dict[str, dict]:
    return {"minutes": publish_minutes(chapter, title="Minutes to comment on"),
            "event": publish_event(chapter, title="Event to comment on")}


@pytest.mark.parametrize("target", ["minutes", "event"])
def test_peer_reply_appears_as_a_comment(peer, chapter, commented, target):
    ap_id = commented[target]["ap_id"]
    text = f"Thanks from the {peer.kind} peer about the {target}"
    reply = peer.reply(ap_id, f"<p>{text}</p>")  # delivered to the object's attributedTo

    row = chapter.inbox_row(reply["id"])
    assert row["state"] == "done", row

    listed = chapter.api.get("comments", params={"object": ap_id})
    assert listed.status_code == 200, listed.text
    comments = [item for item in listed.json()["items"] if item["ap_id"] == reply["object"]]
    assert len(comments) == 1, listed.json()
    comment = comments[0]
    assert comment["in_reply_to"] == ap_id
    assert comment["local"] is False
    assert comment["author"]["url"] == peer.actor
    assert comment["author"]["handle"] == peer.handle
    assert text in comment["content"]


def test_a_content_warning_from_the_peer_is_kept(peer, chapter, commented):
    """Mastodon's content warning: the warning in `summary`, `sensitive`
    true.  The chapter keeps both, so it shows the text behind the warning."""
    ap_id = commented["event"]["ap_id"]
    reply = peer.reply(ap_id, f"<p>The budget figures ({peer.kind})</p>",
                       summary="Money talk", sensitive=True)
    assert chapter.inbox_row(reply["id"])["state"] == "done"

    listed = chapter.api.get("comments", params={"object": ap_id})
    assert listed.status_code == 200, listed.text
    comment = next(item for item in listed.json()["items"] if item["ap_id"] == reply["object"])
    assert comment["summary"] == "Money talk"
    assert comment["sensitive"] is True
    assert f"The budget figures ({peer.kind})" in comment["content"]
