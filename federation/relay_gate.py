"""Which remote replies the chapter relays, and how often (issue 13.6).

Relaying (FEP-1b12) turns one reply into an Announce to every follower
inbox, so a stranger replying in a burst would make the chapter flood its own
followers' servers. The gate bounds that:

- who: only replies by the chapter's accepted followers and its members are
  relayed (the default, ``followers_and_members``); with ``moderated``, other
  replies wait hidden until a moderator shows them, and are relayed then.
  Replies that are not relayed are still stored and shown on our pages.
- how often: at most ``relays_per_actor_hour`` relays per remote actor per
  hour, counted in a table so every process sees the same count.
- coalescing: an Update or Delete of a reply is relayed only if its Create
  was (followers never saw the others); an Update counts against the cap.
"""
from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Protocol

from fedchapter.clock import utc_now
from fedchapter.queue_states import FollowState
from federation.ports import ChapterStore, FollowerStore

HOUR = timedelta(hours=1)


class RelayReplies(enum.StrEnum):
    FOLLOWERS_AND_MEMBERS = "followers_and_members"
    MODERATED = "moderated"


class ReplyRelayLog(Protocol):
    async def policy(self) -> tuple[str, int]: ...

    async def count_since(self, actor_id: str, since: datetime) -> int: ...

    async def was_relayed(self, object_id: str) -> bool: ...

    async def record(self, object_id: str, actor_id: str, at: datetime) -> None: ...


class Admission(enum.Enum):
    RELAY = "relay"
    SHOW_ONLY = "show only"  # stored and shown here, not relayed
    HOLD = "hold"  # stored hidden until a moderator shows it (moderated chapters)
    OVER_CAP = "over cap"  # shown here, not relayed: its author hit the hourly cap


class RelayGate:
    def __init__(
        self,
        log: ReplyRelayLog,
        chapter: ChapterStore,
        followers: FollowerStore,
        is_member: Callable[[str], Awaitable[bool]],
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.log = log
        self.chapter = chapter
        self.followers = followers
        self.is_member = is_member
        self.clock = clock

    async def _trusted(self, actor_id: str) -> bool:
        if await self.is_member(actor_id):
            return True
        profile = await self.chapter.get()
        if profile is None:
            return False
        follower = await self.followers.get(profile.actor_id, actor_id)
        return follower is not None and follower.state == FollowState.ACCEPTED

    async def admit_reply(self, author_id: str) -> Admission:
        """What to do with a new reply by ``author_id`` (nothing is recorded yet)."""
        policy, _ = await self.log.policy()
        if not await self._trusted(author_id):
            return Admission.HOLD if policy == RelayReplies.MODERATED else Admission.SHOW_ONLY
        return Admission.RELAY if await self._under_cap(author_id) else Admission.OVER_CAP

    async def _under_cap(self, actor_id: str) -> bool:
        _, per_hour = await self.log.policy()
        return await self.log.count_since(actor_id, self.clock() - HOUR) < per_hour

    async def take(self, object_id: str, actor_id: str) -> bool:
        """Count one relay of ``object_id`` against its author's hourly cap;
        False (and nothing counted) when the cap is reached."""
        if not await self._under_cap(actor_id):
            return False
        await self.log.record(object_id, actor_id, self.clock())
        return True

    async def admit_change(self, object_id: str, actor_id: str, *, counted: bool) -> bool:
        """May an Update (``counted``) or Delete of a reply be relayed? Only if
        the reply itself was; a Delete always follows its relayed reply."""
        if not await self.log.was_relayed(object_id):
            return False
        return await self.take(object_id, actor_id) if counted else True
