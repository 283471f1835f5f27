"""What the event services keep beside the Event itself: RSVPs, the counts
that go out with every Update, and events received from other chapters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fedchapter.events.model import Event
from fedchapter.events.rsvp import RsvpStatus


@dataclass(frozen=True, kw_only=True)
class Rsvp:
    """One person's answer to an event: a local account or a remote actor,
    both known by their ActivityPub id."""

    event_id: str
    participant: str  # the actor's id (ours: /actors/NAME)
    status: RsvpStatus
    username: str | None = None  # a local account
    pending: bool = False  # waiting for an organiser (join_mode restricted)
    join_activity: str | None = None  # the remote Join it came from, to answer Undo
    created_at: datetime
    updated_at: datetime

    @property
    def is_remote(self) -> bool:
        return self.username is None


@dataclass(frozen=True, kw_only=True)
class EventInvitation:
    """An organiser invited someone: they may join an "invited only" event,
    and join a "organiser approves" one without waiting."""

    event_id: str
    invitee: str  # the actor's id, as RSVPs name participants
    label: str  # what the organiser typed, resolved: @name@host or a username
    invited_by: str  # the organiser's username
    created_at: datetime


@dataclass(frozen=True)
class RsvpCounts:
    going: int = 0
    interested: int = 0
    pending: int = 0


@dataclass(frozen=True)
class PublishedEvent:
    """An event as it goes out: with its counts, and the moment the summary
    line is written for (a recurring event names its next date)."""

    event: Event
    counts: RsvpCounts
    as_of: datetime


@dataclass(frozen=True, kw_only=True)
class RemoteEvent:
    """An event of a chapter we follow, as it arrived (sanitised).

    `event.id` is its ActivityPub id; `content_html` is its sanitised
    description, shown as it is.
    """

    ap_id: str
    url: str
    chapter: str  # the followed actor it came from
    chapter_name: str
    event: Event
    content_html: str = ""
    participant_count: int | None = None
    received_at: datetime
