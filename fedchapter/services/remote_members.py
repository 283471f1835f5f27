"""Fediverse accounts on other servers made members of this chapter.

An admin names the account (``@name@host`` or an actor URL); we resolve it
(WebFinger, then the actor document) and keep its inbox, so members-only items
can be delivered to it and its votes counted.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol
from urllib.parse import urlsplit

from fedchapter.accounts import User
from fedchapter.actors import RemoteActor
from fedchapter.clock import utc_now
from fedchapter.errors import NotFound, ValidationError
from fedchapter.membership import RemoteMember, check_remote_member_role
from fedchapter.publishing import UnitOfWork
from fedchapter.roles import OFFICE_ROLES, Role
from fedchapter.services.roles import RoleService, holder_for_remote

MAX_ACTOR_REFERENCE = 500


class ActorResolver(Protocol):
    """What we need of federation's RemoteActorResolver."""

    async def get(self, actor_id: str, *, refresh: bool = False) -> RemoteActor: ...
    async def by_handle(self, handle: str) -> RemoteActor: ...


class RemoteMemberStore(Protocol):
    async def save(self, member: RemoteMember, added_by: int | None) -> None: ...
    async def get(self, actor_id: str) -> RemoteMember | None: ...
    async def remove(self, actor_id: str) -> bool: ...
    async def all(self) -> list[RemoteMember]: ...


class ActorNotFound(ValidationError):
    def __init__(self, reference: str, reason: str) -> None:
        super().__init__("actor", f"could not find {reference}: {reason}")


def parse_actor_reference(reference: str) -> tuple[str, str]:
    """('handle', '@name@host') or ('url', 'https://...'); refuses anything else."""
    text = reference.strip()
    if not text:
        raise ValidationError("actor", "give a fediverse address like @name@example.org or an actor URL")
    if len(text) > MAX_ACTOR_REFERENCE:
        raise ValidationError("actor", f"the address is longer than {MAX_ACTOR_REFERENCE} characters")
    if text.startswith(("http://", "https://")):
        parts = urlsplit(text)
        if not parts.netloc or any(ch.isspace() for ch in text):
            raise ValidationError("actor", "that URL is not an actor address")
        return "url", text
    bare = text[5:] if text.startswith("acct:") else text.lstrip("@")
    name, separator, host = bare.partition("@")
    if not separator or not name or not host or "@" in host or "/" in host or any(ch.isspace() for ch in bare):
        raise ValidationError("actor", "write the address as @name@example.org")
    return "handle", f"@{name}@{host.lower()}"


async def resolve_actor(resolver: ActorResolver | None, kind: str, value: str) -> RemoteActor:
    """The actor a parsed reference names; ActorNotFound (a 422 on ``actor``) when it cannot be found."""
    if resolver is None:
        raise ActorNotFound(value, "this server cannot reach other servers right now")
    try:
        if kind == "handle":
            return await resolver.by_handle(value)
        return await resolver.get(value)
    except Exception as error:  # FetchError, ActorDocumentError: federation's, not nameable here
        raise ActorNotFound(value, str(error) or type(error).__name__) from None


class RemoteMemberService:
    def __init__(
        self,
        resolver: ActorResolver | None,
        store: RemoteMemberStore,
        roles: RoleService,
        unit_of_work: UnitOfWork,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.resolver = resolver
        self.store = store
        self.roles = roles
        self.unit_of_work = unit_of_work
        self.clock = clock

    async def _resolve(self, reference: str) -> RemoteActor:
        return await resolve_actor(self.resolver, *parse_actor_reference(reference))

    async def add(self, reference: str, role: Role, admin: User | None) -> RemoteMember:
        check_remote_member_role(role)
        actor = await self._resolve(reference)
        existing = await self.store.get(actor.id)
        member = RemoteMember(
            actor_id=actor.id,
            inbox=actor.inbox,
            shared_inbox=actor.shared_inbox,
            handle=actor.handle,
            display_name=(actor.display_name or actor.id)[:200],
            role=existing.role if existing else role,
            added_at=existing.added_at if existing else self.clock(),
        )
        async with self.unit_of_work.transaction():
            await self.store.save(member, admin.id if admin else None)
            if existing is None and role in OFFICE_ROLES:
                await self.roles.hand_over(role, holder_for_remote(member), self.clock())
        if existing is not None and existing.role is not role:
            await self.roles.set_remote_role(actor.id, role)
        found = await self.store.get(actor.id)
        assert found is not None
        return found

    async def remove(self, actor_id: str) -> None:
        async with self.unit_of_work.transaction():
            await self.roles.end_all_terms_of_remote(actor_id)
            if not await self.store.remove(actor_id):
                raise NotFound("no such remote member")

    async def all(self) -> list[RemoteMember]:
        return await self.store.all()
