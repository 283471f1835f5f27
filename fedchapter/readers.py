"""Who is reading: what an item's visibility and state let them see.

A reader is a logged-in account (by its role), a signed fetch from a remote
actor (a member or not), or nobody. Members-only items answer "not found" to
everyone else, so their existence does not leak.
"""

from __future__ import annotations

from dataclasses import dataclass

from fedchapter.roles import Permission, Role, can
from fedchapter.visibility import Visibility


@dataclass(frozen=True)
class Reader:
    is_member: bool = False  # may see members-only items
    may_publish_minutes: bool = False  # sees drafts, edits minutes
    may_publish_posts: bool = False
    may_moderate: bool = False  # sees hidden comments, hides, locks, blocks
    username: str | None = None  # a local account's username
    actor_id: str | None = None  # the reader's ActivityPub id, when known

    @classmethod
    def for_role(cls, role: Role | str | None, *, username: str | None = None,
                 actor_id: str | None = None) -> Reader:
        return cls(
            is_member=can(role, Permission.SEE_MEMBERS_ONLY),
            may_publish_minutes=can(role, Permission.PUBLISH_MINUTES),
            may_publish_posts=can(role, Permission.PUBLISH_POSTS),
            may_moderate=can(role, Permission.MODERATE),
            username=username,
            actor_id=actor_id,
        )

    def may_see(self, visibility: Visibility) -> bool:
        return visibility.is_public or self.is_member


ANONYMOUS = Reader()
# A signed fetch from an actor that is a member of the chapter (remote or local).
MEMBER_ACTOR = Reader(is_member=True)
