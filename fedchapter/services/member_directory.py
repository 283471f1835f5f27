"""Who the chapter's members are, as actors: the answer the federation core
(members-only deliveries: ``federation.members.MemberDirectory``) and the
proposals (vote eligibility: ``VotingMembers``) both need.

A local member is its Person actor's URL; a remote member its actor id. A
member votes under that one key, so a local account and the same person's
Mastodon account are two members only if an admin made both members.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from fedchapter.accounts import User
from fedchapter.membership import RemoteMember
from fedchapter.roles import Role, is_member


class MemberUsers(Protocol):
    async def all(self) -> list[User]: ...
    async def by_username(self, username: str) -> User | None: ...


class MemberRemotes(Protocol):
    async def get(self, actor_id: str) -> RemoteMember | None: ...
    async def all(self) -> list[RemoteMember]: ...


class ChapterMembers:
    def __init__(
        self,
        users: MemberUsers,
        remote_members: MemberRemotes,
        local_actor_url: Callable[[str], str],
        local_username: Callable[[str], str | None],
    ) -> None:
        """``local_actor_url(username)`` builds our Person actors' URLs and
        ``local_username(url)`` reads one back, None for anyone else's (both
        from the federation core's ``Urls``)."""
        self.users = users
        self.remote_members = remote_members
        self.local_actor_url = local_actor_url
        self.local_username = local_username

    async def members(self) -> tuple[list[User], list[RemoteMember]]:
        """The voting members: local accounts (by username) and remote actors (by name)."""
        local = [user for user in await self.users.all() if not user.disabled and is_member(user.role)]
        remote = [member for member in await self.remote_members.all() if is_member(member.role)]
        return local, remote

    async def member_actor_ids(self) -> list[str]:
        local, remote = await self.members()
        return [self.local_actor_url(user.username) for user in local] + [member.actor_id for member in remote]

    async def role_of(self, actor_id: str) -> Role | None:
        """The role of the member behind an actor id, or None for a non-member."""
        username = self.local_username(actor_id)
        if username is not None:
            user = await self.users.by_username(username)
            return user.role if user is not None and not user.disabled else None
        member = await self.remote_members.get(actor_id)
        return member.role if member is not None else None

    async def member_key(self, actor_id: str) -> str | None:
        return actor_id if is_member(await self.role_of(actor_id)) else None

    async def is_member_actor(self, actor_id: str) -> bool:
        return await self.member_key(actor_id) is not None

    async def count(self) -> int:
        """The one member count: the Group's memberCount, the members page and quorums."""
        return len(await self.member_actor_ids())

    async def names(self, actor_ids: list[str]) -> dict[str, str]:
        """Display names for the members behind these actors (a vote's author on
        a page); an actor that is no member any more keeps its URL."""
        names: dict[str, str] = {}
        for actor_id in dict.fromkeys(actor_ids):
            username = self.local_username(actor_id)
            if username is not None:
                user = await self.users.by_username(username)
                names[actor_id] = user.display_name if user is not None else username
            else:
                member = await self.remote_members.get(actor_id)
                names[actor_id] = (member.display_name or member.handle or actor_id) if member else actor_id
        return names

    async def admin_actor_ids(self) -> list[str]:
        """The chapter's moderators (FEP-1b12), public so peers can trust their actions."""
        return [self.local_actor_url(user.username) for user in await self.users.all()
                if user.role is Role.ADMIN and not user.disabled]
