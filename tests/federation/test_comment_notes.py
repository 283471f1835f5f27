"""Reading remote Notes as comments: what other servers send, and poll votes
(which are Notes too, and never comments)."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from fedchapter.actors import RemoteActor
from federation.from_as.comments import in_reply_to, is_poll_vote, note_to_remote_comment

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
NOW = datetime(2025, 10, 16, tzinfo=timezone.utc)
ALICE = RemoteActor(id="http://mastodon.test/users/alice", type="Person",
                    inbox="http://mastodon.test/users/alice/inbox",
                    public_key_id="http://mastodon.test/users/alice#main-key", public_key_pem="",
                    fetched_at=NOW, preferred_username="alice", name="Alice Organiser",
                    url="http://mastodon.test/@alice")


def test_a_mastodon_reply_becomes_a_comment() -> None:
    text = (FIXTURES / "mastodon" / "reply_create_note.json").read_text().replace("IN_REPLY_TO", "http://london.test/minutes/m1")
    note = json.loads(text)["object"]
    comment = note_to_remote_comment(note, ALICE, now=NOW, default_language="de")
    assert comment.in_reply_to == "http://london.test/minutes/m1"
    assert comment.language == "en"
    assert comment.published == datetime(2025, 10, 15, 9, 12, 44, tzinfo=timezone.utc)
    assert (comment.author.name, comment.author.handle, comment.author.url) == (
        "Alice Organiser", "@alice@mastodon.test", "http://mastodon.test/@alice")
    assert not is_poll_vote(note)


def test_a_mastodon_poll_vote_is_not_a_comment() -> None:
    fixture = json.loads((FIXTURES / "proposals" / "mastodon_vote.json").read_text())
    vote = fixture.get("object", fixture)
    assert is_poll_vote(vote)


def test_shapes_other_servers_send() -> None:
    assert in_reply_to({"inReplyTo": [{"id": "http://x.test/1"}]}) == "http://x.test/1"
    only_map = {"id": "http://x.test/n", "contentMap": {"fr": "<p>Salut</p>"}, "published": "not a date"}
    comment = note_to_remote_comment(only_map, ALICE, now=NOW, default_language="en")
    assert (comment.content_html, comment.language, comment.published) == ("<p>Salut</p>", "fr", NOW)
    future = note_to_remote_comment({"id": "http://x.test/f", "content": "x", "published": "2999-01-01T00:00:00Z"},
                                    ALICE, now=NOW, default_language="en")
    assert future.published == NOW
