"""The chapter itself: its public profile and its admission policy."""
from __future__ import annotations

import enum
from dataclasses import dataclass


class Openness(enum.StrEnum):
    """Mobilizon's group openness, which we also federate."""

    OPEN = "open"  # anyone may join at once
    MODERATED = "moderated"  # join requests wait for an admin
    INVITE_ONLY = "invite_only"  # only with an invitation link


@dataclass(frozen=True)
class ChapterProfile:
    actor_id: int
    instance_actor_id: int
    handle: str
    name: str
    summary: str
    openness: str
    approve_followers: bool
