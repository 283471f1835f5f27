"""What the ActivityPub routes read: our actors by username, their public
collections (outbox, followers, following), stored public activities and
the tombstones of deleted objects. The routes render; this reads, so no
route touches a repository."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from fedchapter.actors import LocalActor


class _Actors(Protocol):
    async def by_username(self, username: str) -> LocalActor | None: ...


class _Outbox(Protocol):
    async def count_public(self, local_actor_id: int) -> int: ...

    async def public_page_json(self, local_actor_id: int, limit: int, offset: int) -> list[str]: ...

    async def public_by_id(self, activity_id: str) -> dict[str, Any] | None: ...

    async def latest(self, local_actor_id: int, type: str, object_id: str) -> dict[str, Any] | None: ...


class _Followers(Protocol):
    async def count(self, local_actor_id: int) -> int: ...

    async def page(self, local_actor_id: int, limit: int, offset: int) -> list[str]: ...


class _Accounts(Protocol):
    async def count(self) -> int: ...


class TombstoneLike(Protocol):
    former_type: str
    deleted_at: datetime


class _Tombstones(Protocol):
    async def get(self, url: str) -> TombstoneLike | None: ...


@dataclass(frozen=True)
class Page:
    total: int
    # The items as stored: actor ids, or activities as JSON text.
    items: list[str]


class PublicDocuments:
    def __init__(
        self, actors: _Actors, outbox: _Outbox, followers: _Followers, following: _Followers,
        tombstones: _Tombstones, accounts: _Accounts,
    ) -> None:
        self.accounts = accounts
        self.actors = actors
        self.outbox = outbox
        self.followers = followers
        self.following = following
        self.tombstones = tombstones

    async def local_actor(self, username: str) -> LocalActor | None:
        return await self.actors.by_username(username)

    async def outbox_total(self, actor: LocalActor) -> int:
        return await self.outbox.count_public(actor.id)

    async def outbox_page(self, actor: LocalActor, limit: int, offset: int) -> list[str]:
        """The public activities as stored (JSON text, spliced into the page unparsed)."""
        return await self.outbox.public_page_json(actor.id, limit, offset)

    async def followers_total(self, actor: LocalActor) -> int:
        return await self.followers.count(actor.id)

    async def followers_page(self, actor: LocalActor, limit: int, offset: int) -> list[str]:
        return list(await self.followers.page(actor.id, limit, offset))

    async def following_total(self, actor: LocalActor) -> int:
        return await self.following.count(actor.id)

    async def following_page(self, actor: LocalActor, limit: int, offset: int) -> list[str]:
        return list(await self.following.page(actor.id, limit, offset))

    async def public_activity(self, activity_url: str) -> dict[str, Any] | None:
        return await self.outbox.public_by_id(activity_url)

    async def sent_create(self, actor: LocalActor, object_id: str) -> dict[str, Any] | None:
        """The Create by which ``actor`` sent ``object_id``, exactly as sent (a chapter's signed report)."""
        return await self.outbox.latest(actor.id, "Create", object_id)

    async def tombstone(self, url: str) -> TombstoneLike | None:
        return await self.tombstones.get(url)

    async def usage(self, group: LocalActor) -> tuple[int, int]:
        """(local accounts, public posts of the chapter's Group), for NodeInfo."""
        return await self.accounts.count(), await self.outbox.count_public(group.id)
