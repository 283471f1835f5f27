"""The chapter itself: its public profile and its admission policy."""
from __future__ import annotations

import enum
from dataclasses import dataclass

from fedchapter.actors import LocalActor


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


@dataclass(frozen=True)
class ProfileChange:
    """Published as Update(Group) when an admin edits the chapter's profile,
    so followers' servers (Mastodon caches the name) show the new one."""

    group: LocalActor
    profile: ChapterProfile
    member_count: int
