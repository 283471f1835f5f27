"""Every shape we send, checked against the fields the anchors read
(issue 14, items 2–4 and 8): Mobilizon and Gancio read an Event's
`attachment` as a list on every Update; Mastodon threads by `conversation`,
FEP-7888 software by `context`; Mastodon shows a Question closed early only
if `endTime` says so; a Tombstone names its `formerType` in full."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from fedchapter.comments import Comment, CommentAuthor
from fedchapter.events.records import PublishedEvent, RsvpCounts
from fedchapter.minutes.model import Minutes, MinutesState
from fedchapter.minutes.validation import parse_minutes
from fedchapter.posts import Post, PostContent
from fedchapter.proposals.model import Method, PollSnapshot
from federation.to_as.comments import comment_to_as
from federation.to_as.events import event_to_as
from federation.to_as.minutes import minutes_to_as
from federation.to_as.posts import post_to_as
from federation.to_as.proposals import poll_to_as
from federation.to_as.tombstones import tombstone_to_as
from tests.fedchapter.events.test_event_model import make_event
from tests.fedchapter.proposals.proposal_helpers import proposal
from tests.federation.test_proposal_conversion import CONVERSION, URLS

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

# What the anchors read of each shape (besides id and type).
REQUIRED: dict[str, tuple[str, ...]] = {
    # Mobilizon (lib/federation/activity_stream/converter/event.ex) and
    # Gancio read these; `attachment` must be a list even when empty.
    "Event": ("name", "startTime", "endTime", "timezone", "content", "summary", "url", "attributedTo",
              "location", "attachment", "published", "updated", "context", "conversation", "replies",
              "joinMode", "status", "commentsEnabled"),
    # Mastodon shows name, summary and url of an Article; Mobilizon reads posts as Articles.
    "Article": ("name", "summary", "content", "url", "attributedTo", "published", "attachment",
                "context", "conversation", "replies"),
    # Mastodon's status: content, inReplyTo, published, url, sensitive (+ summary as its warning).
    "Note": ("attributedTo", "content", "inReplyTo", "published", "url", "sensitive", "attachment",
             "context", "conversation"),
    # Mastodon's poll: options with name and replies.totalItems, endTime, votersCount.
    "Question": ("name", "content", "attributedTo", "published", "endTime", "votersCount", "url",
                 "context", "conversation", "to", "cc"),
    "Tombstone": ("formerType", "deleted"),
}


def _event() -> dict[str, Any]:
    return event_to_as(PublishedEvent(event=make_event(), counts=RsvpCounts(going=3), as_of=NOW), CONVERSION)


def _minutes(**content: object) -> dict[str, Any]:
    body: dict[str, object] = {"title": "Meeting", "meeting_date": "2025-10-14", "attendance": 5}
    body.update(content)
    minutes = Minutes(id="m1", content=parse_minutes(body), state=MinutesState.PUBLISHED, revision=1,
                      author_user_id=None, created_at=NOW, updated_at=NOW, published_at=NOW)
    return minutes_to_as(minutes, CONVERSION)


def _post() -> dict[str, Any]:
    post = Post(id="p1", content=PostContent(title="News", body="Hello"), author_user_id=1, created_at=NOW,
                updated_at=NOW)
    return post_to_as(post, CONVERSION)


def _comment(**changes: Any) -> Comment:
    author = CommentAuthor(actor_id=URLS.actor("sam"), name="Sam", url=URLS.actor("sam"), handle="@sam@london.test",
                           user_id=7)
    fields: dict[str, Any] = dict(id="c1", ap_id=URLS.comment("c1"), target=URLS.event("mtg1"),
                                  in_reply_to=URLS.comment("c0"), author=author, content_html="<p>Yes</p>",
                                  published=NOW, source="Yes")
    fields.update(changes)
    return Comment(**fields)


def _question(**changes: Any) -> dict[str, Any]:
    poll = replace(proposal(Method.SINGLE, ("Tuesday", "Thursday")), **changes)
    return poll_to_as(PollSnapshot(proposal=poll, counts={"Tuesday": 1, "Thursday": 0}, voters=1), CONVERSION)


SHAPES = {
    "Event": _event,
    "Article": _post,
    "Note": lambda: comment_to_as(_comment(), CONVERSION),
    "Question": _question,
    "Tombstone": lambda: tombstone_to_as(URLS.event("mtg1"), "Event", NOW),
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_shape_carries_what_the_anchors_read(shape: str) -> None:
    document = SHAPES[shape]()
    assert document["type"] == shape and document["id"]
    missing = [key for key in REQUIRED[shape] if key not in document]
    assert missing == []


def test_an_event_always_sends_an_attachment_list() -> None:
    assert _event()["attachment"] == []


def test_objects_carry_their_thread_as_context_and_conversation() -> None:
    event = _event()
    assert event["context"] == event["conversation"] == URLS.event("mtg1") + "/context"
    assert _post()["context"] == URLS.post("p1") + "/context"
    assert _question()["context"].endswith("/context")


def test_a_reply_keeps_the_thread_of_its_root() -> None:
    note = comment_to_as(_comment(), CONVERSION)  # a reply to another comment under the event
    assert note["context"] == note["conversation"] == URLS.event("mtg1") + "/context"


def test_minutes_have_their_own_thread_and_name_their_meeting() -> None:
    article = _minutes(event="mtg1")
    assert article["context"] == URLS.minutes("m1") + "/context"
    assert article["fc:meeting"] == URLS.event("mtg1")


def test_closing_early_ends_the_poll_at_the_close_time() -> None:
    scheduled = proposal(Method.SINGLE, ("Tuesday", "Thursday")).closes_at
    closed = scheduled - timedelta(days=2)
    question = _question(closed_at=closed)
    assert question["endTime"] == question["closed"]
    assert datetime.fromisoformat(question["endTime"].replace("Z", "+00:00")) == closed
    # Closed on time (or late): endTime stays the scheduled end.
    assert _question(closed_at=scheduled + timedelta(minutes=1))["endTime"] == _question()["endTime"]


def test_a_sensitive_comment_goes_out_with_its_warning() -> None:
    note = comment_to_as(_comment(summary="Police violence", sensitive=True), CONVERSION)
    assert (note["sensitive"], note["summary"]) == (True, "Police violence")
    plain = comment_to_as(_comment(), CONVERSION)
    assert plain["sensitive"] is False and "summary" not in plain


@pytest.mark.parametrize("given, expected", [
    ("Note", "Note"), ("as:Article", "Article"), ("https://www.w3.org/ns/activitystreams#Question", "Question"),
    ("event", "Event"), (None, "Object"),
])
def test_tombstones_name_their_former_type_in_full(given: object, expected: str) -> None:
    assert tombstone_to_as(URLS.post("p1"), given, NOW)["formerType"] == expected
