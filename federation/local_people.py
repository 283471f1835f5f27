"""Our own accounts as actors, for the services that take "a person" in any
form (a username, ``@name@our-host`` or our actor URL): event invitations."""
from __future__ import annotations

from typing import Protocol

from fedchapter.accounts import User
from federation.urls import UrlKind, Urls


class UserLookup(Protocol):
    async def by_username(self, username: str) -> User | None: ...


class LocalPeople:
    def __init__(self, urls: Urls, users: UserLookup) -> None:
        self.urls = urls
        self.users = users
        self.host = urls.host

    async def actor_of(self, username: str) -> str | None:
        """Our actor URL of an existing account, or None."""
        user = await self.users.by_username(username)
        return None if user is None else self.urls.actor(user.username)

    def username_of(self, actor_id: str) -> str | None:
        """The username when ``actor_id`` is one of our person actors' URLs."""
        return self.urls.id_of(actor_id, UrlKind.ACTOR)
