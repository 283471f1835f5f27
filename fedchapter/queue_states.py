"""The states of the durable queues and of follows, as stored in their rows.

The inbox, the deliveries and the follows are rows whose ``state`` column
holds one of these values; code names them through these enums (a StrEnum
compares equal to its stored text). RSVPs, minutes and proposals have theirs
beside their models (``RsvpStatus``, ``MinutesState``, proposal ``Status``).
"""
from __future__ import annotations

from enum import StrEnum


class InboxState(StrEnum):
    QUEUED = "queued"  # stored and acknowledged with 202, not yet handled
    PROCESSING = "processing"  # leased by a worker
    DONE = "done"
    IGNORED = "ignored"  # deliberately dropped; the row says why
    FAILED = "failed"  # the handler raised; the row holds the error

    @classmethod
    def unprocessed(cls) -> tuple[InboxState, ...]:
        return (cls.QUEUED, cls.PROCESSING)


class DeliveryState(StrEnum):
    QUEUED = "queued"  # waiting for its next try
    SENDING = "sending"  # leased by a worker
    DELIVERED = "delivered"
    FAILED = "failed"  # given up
    CANCELLED = "cancelled"  # its recipient was blocked or left

    @classmethod
    def pending(cls) -> tuple[DeliveryState, ...]:
        return (cls.QUEUED, cls.SENDING)


class FollowState(StrEnum):
    PENDING = "pending"  # waiting for the other side (or, for followers, an admin) to answer
    ACCEPTED = "accepted"
    REJECTED = "rejected"
