"""The admin's settings of the chapter: its public name and summary and its
admission policy. Followers' servers cache the group's name and summary, so
the change is published as Update(Group) in the same transaction."""
from __future__ import annotations

from typing import Protocol

from fedchapter.actors import LocalActor
from fedchapter.chapter import Openness, ProfileChange
from fedchapter.publishing import Change, Publisher, UnitOfWork, Verb
from fedchapter.services.chapter_profile import ChapterProfileCache


class ProfileActors(Protocol):
    async def by_id(self, actor_id: int) -> LocalActor | None: ...

    async def update_profile(self, actor_id: int, *, display_name: str, summary: str) -> None: ...


class ChapterPolicy(Protocol):
    async def update_policy(self, *, openness: str, approve_followers: bool) -> None: ...


class RelayPolicy(Protocol):
    async def policy(self) -> tuple[str, int]: ...

    async def set_policy(self, relay_replies: str, per_actor_hour: int) -> None: ...


class MemberCount(Protocol):
    async def count(self) -> int: ...


class ChapterSettingsService:
    def __init__(
        self,
        actors: ProfileActors,
        policy: ChapterPolicy,
        profile: ChapterProfileCache,
        members: MemberCount,
        publisher: Publisher,
        unit_of_work: UnitOfWork,
        relays: RelayPolicy,
    ) -> None:
        self.relays = relays
        self.actors = actors
        self.policy = policy
        self.profile = profile
        self.members = members
        self.publisher = publisher
        self.unit_of_work = unit_of_work

    async def relay_policy(self) -> tuple[str, int]:
        """(whose replies the chapter relays to its followers, relays per remote actor per hour)."""
        return await self.relays.policy()

    async def update(
        self, *, name: str, summary: str, openness: Openness, approve_followers: bool,
        relay_replies: str, relays_per_actor_hour: int,
    ) -> None:
        async with self.unit_of_work.transaction():
            await self.relays.set_policy(relay_replies, relays_per_actor_hour)
            chapter = await self.profile.get()
            await self.actors.update_profile(chapter.actor_id, display_name=name, summary=summary)
            await self.policy.update_policy(openness=openness.value, approve_followers=approve_followers)
            self.profile.forget()
            changed = await self.profile.get()
            group = await self.actors.by_id(changed.actor_id)
            assert group is not None  # the chapter's Group exists from `init` on
            await self.publisher.publish(Change(Verb.UPDATE, ProfileChange(group, changed, await self.members.count())))
