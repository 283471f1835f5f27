"""Who may join an event: RSVPs from the site, the API and ActivityPub `Join`.

A decision is always made and always answered (Accept, Reject or pending
approval): a Join is never ignored. The reasons are stable codes the web
layer turns into messages and the federation layer into Accept/Reject.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from fedchapter.events.model import Event, JoinMode
from fedchapter.events.recurrence import Occurrence, series_end_utc


class RsvpStatus(StrEnum):
    GOING = "going"  # takes a place; an ActivityPub Join
    INTERESTED = "interested"  # no place taken
    NOT_GOING = "not-going"  # gives a place back; an ActivityPub Leave


class JoinOutcome(StrEnum):
    ACCEPTED = "accepted"
    PENDING = "pending"  # an organiser decides (join_mode restricted)
    REJECTED = "rejected"


class JoinReason(StrEnum):
    OK = "ok"
    ALREADY_GOING = "already-going"
    NEEDS_APPROVAL = "needs-approval"
    FULL = "full"
    CANCELLED = "cancelled"
    PAST = "past"
    INVITE_ONLY = "invite-only"
    EXTERNAL = "external"  # register at external_participation_url instead


@dataclass(frozen=True)
class JoinDecision:
    outcome: JoinOutcome
    reason: JoinReason

    @property
    def accepted(self) -> bool:
        return self.outcome is JoinOutcome.ACCEPTED

    @property
    def pending(self) -> bool:
        return self.outcome is JoinOutcome.PENDING


def _accept(reason: JoinReason = JoinReason.OK) -> JoinDecision:
    return JoinDecision(JoinOutcome.ACCEPTED, reason)


def _reject(reason: JoinReason) -> JoinDecision:
    return JoinDecision(JoinOutcome.REJECTED, reason)


def places_left(event: Event, going_count: int) -> int | None:
    """Places still free, or None when the event has no capacity limit."""
    if event.capacity is None:
        return None
    return max(0, event.capacity - going_count)


def is_over(event: Event, now: datetime, occurrence: Occurrence | None = None) -> bool:
    """True once the event (or the given occurrence, or a recurring event's
    last occurrence) has ended."""
    if occurrence is not None:
        return occurrence.end_utc <= now
    end = series_end_utc(event)
    return end is not None and end <= now


def decide_join(
    event: Event,
    going_count: int,
    now: datetime,
    *,
    status: RsvpStatus = RsvpStatus.GOING,
    occurrence: Occurrence | None = None,
    invited: bool = False,
    already_going: bool = False,
    approving: bool = False,
) -> JoinDecision:
    """Whether someone may RSVP `status` to `event`.

    `going_count` is how many are going now (not counting this person if
    `already_going`); `invited` says an organiser invited them; `approving`
    is an organiser accepting a pending request of a restricted event.
    """
    if status is RsvpStatus.NOT_GOING:
        return _accept()  # leaving is always possible
    if event.is_cancelled or (occurrence is not None and occurrence.cancelled):
        return _reject(JoinReason.CANCELLED)
    if is_over(event, now, occurrence):
        return _reject(JoinReason.PAST)
    if status is RsvpStatus.INTERESTED:
        return _accept()
    if already_going:
        return _accept(JoinReason.ALREADY_GOING)
    if event.join_mode is JoinMode.EXTERNAL:
        return _reject(JoinReason.EXTERNAL)
    if event.join_mode is JoinMode.INVITE and not invited:
        return _reject(JoinReason.INVITE_ONLY)
    left = places_left(event, going_count)
    if left is not None and left <= 0:
        return _reject(JoinReason.FULL)
    if event.join_mode is JoinMode.RESTRICTED and not (invited or approving):
        return JoinDecision(JoinOutcome.PENDING, JoinReason.NEEDS_APPROVAL)
    return _accept()
