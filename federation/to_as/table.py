"""The converters of every domain object we publish, listed in one table and
built once by the composition root."""
from __future__ import annotations

from fedchapter.chapter import ProfileChange
from fedchapter.comments import Comment
from fedchapter.events.records import PublishedEvent
from fedchapter.minutes.model import Minutes
from fedchapter.posts import Post
from fedchapter.proposals.model import ChapterDecision, PollSnapshot
from federation.to_as.chapter_profile import profile_change_to_as
from federation.to_as.comments import comment_to_as
from federation.to_as.events import event_to_as
from federation.to_as.minutes import minutes_to_as
from federation.to_as.posts import post_to_as
from federation.to_as.proposals import decision_to_as, poll_to_as
from federation.to_as.registry import Converters


def build_converters() -> Converters:
    return Converters({
        PublishedEvent: event_to_as,
        Minutes: minutes_to_as,
        Post: post_to_as,
        Comment: comment_to_as,
        PollSnapshot: poll_to_as,
        ChapterDecision: decision_to_as,
        ProfileChange: profile_change_to_as,
    })
