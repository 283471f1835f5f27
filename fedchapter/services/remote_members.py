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
from fedchapter.errors import N_, NotFound, ValidationError
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
    """The API says what went wrong for a programmer (`could not find @x@host:
    HTTP 404`); a person reads `plain`, which never names an exception."""

    def __init__(self, reference: str, reason: str, plain: str) -> None:
        super().__init__("actor", N_("could not find %(reference)s: %(reason)s"), plain=plain,
                         reference=reference, reason=reason)


UNREACHABLE = N_("We could not find %(reference)s: its server did not answer. Check the address, or try again later.")
NO_SUCH_ACCOUNT = N_("We could not find %(reference)s: its server says there is no such account.")
SERVER_ERROR = N_("We could not find %(reference)s: its server answered with an error. Try again later.")
NOT_AN_ACCOUNT = N_("We could not find %(reference)s: the address does not lead to a fediverse account.")
NO_FEDERATION = N_("We could not find %(reference)s: this server cannot reach other servers right now.")


def _plain_reason(error: Exception) -> str:
    """What a failed look-up means to a person. Federation's errors are not
    nameable here (the domain does not import it): an answered HTTP status
    is on ``status``, an answer that is no actor is a ValueError."""
    status = getattr(error, "status", None)
    if status in (404, 410):
        return NO_SUCH_ACCOUNT
    if isinstance(status, int):
        return SERVER_ERROR
    if isinstance(error, ValueError) or "self link" in str(error):
        return NOT_AN_ACCOUNT
    return UNREACHABLE


def parse_actor_reference(reference: str) -> tuple[str, str]:
    """('handle', '@name@host') or ('url', 'https://...'); refuses anything else."""
    text = reference.strip()
    if not text:
        raise ValidationError("actor", N_("give a fediverse address like @name@example.org or an actor URL"))
    if len(text) > MAX_ACTOR_REFERENCE:
        raise ValidationError("actor", N_("the address is longer than %(limit)s characters"), limit=MAX_ACTOR_REFERENCE)
    if text.startswith(("http://", "https://")):
        parts = urlsplit(text)
        if not parts.netloc or any(ch.isspace() for ch in text):
            raise ValidationError("actor", N_("that URL is not an actor address"))
        return "url", text
    bare = text[5:] if text.startswith("acct:") else text.lstrip("@")
    name, separator, host = bare.partition("@")
    if not separator or not name or not host or "@" in host or "/" in host or any(ch.isspace() for ch in bare):
        raise ValidationError("actor", N_("write the address as @name@example.org"))
    return "handle", f"@{name}@{host.lower()}"


async def resolve_actor(resolver: ActorResolver | None, kind: str, value: str) -> RemoteActor:
    """The actor a parsed reference names; ActorNotFound (a 422 on ``actor``) when it cannot be found."""
    if resolver is None:
        raise ActorNotFound(value, "this server cannot reach other servers right now", NO_FEDERATION)
    try:
        if kind == "handle":
            return await resolver.by_handle(value)
        return await resolver.get(value)
    except Exception as error:  # FetchError, ActorDocumentError: federation's, not nameable here
        raise ActorNotFound(value, str(error) or type(error).__name__, _plain_reason(error)) from None


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
