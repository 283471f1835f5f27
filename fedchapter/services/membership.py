"""Joining, approving, inviting and leaving: the life cycle of a local member.

The rules are in ``fedchapter.membership``; this service applies them inside
one transaction each, so an account is never left without its join request.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from fedchapter.accounts import User
from fedchapter.chapter import ChapterProfile, Openness
from fedchapter.clock import utc_now
from fedchapter.errors import Conflict, NotFound
from fedchapter.membership import (
    Invitation,
    JoinRequest,
    JoinState,
    check_invitation,
    check_join_message,
    join_state_for,
)
from fedchapter.publishing import UnitOfWork
from fedchapter.roles import Role, is_member
from fedchapter.services.accounts import AccountService
from fedchapter.services.roles import RoleService
from fedchapter.tokens import new_token, token_hash


class ChapterLookup(Protocol):
    async def get(self) -> ChapterProfile | None: ...


class JoinRequestStore(Protocol):
    async def add(self, *, user_id: int, state: JoinState, message: str, invitation_id: int | None) -> int: ...
    async def get(self, request_id: int) -> JoinRequest | None: ...
    async def pending(self) -> list[JoinRequest]: ...
    async def latest_for_user(self, user_id: int) -> JoinRequest | None: ...
    async def decide(self, request_id: int, state: JoinState, decided_by: int) -> bool: ...


class InvitationStore(Protocol):
    async def add(
        self, *, token_hash: str, note: str, max_uses: int, expires_at: datetime, created_by: int
    ) -> Invitation: ...
    async def by_token_hash(self, token_hash: str) -> Invitation | None: ...
    async def use(self, invitation_id: int, now: datetime) -> bool: ...
    async def revoke(self, invitation_id: int) -> bool: ...
    async def all(self) -> list[Invitation]: ...


class InvitationInvalid(Conflict):
    """The link is unknown, used up, expired or revoked."""


class MembershipService:
    def __init__(
        self,
        accounts: AccountService,
        chapter: ChapterLookup,
        join_requests: JoinRequestStore,
        invitations: InvitationStore,
        roles: RoleService,
        unit_of_work: UnitOfWork,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.accounts = accounts
        self.chapter = chapter
        self.join_requests = join_requests
        self.invitations = invitations
        self.roles = roles
        self.unit_of_work = unit_of_work
        self.clock = clock

    async def openness(self) -> Openness:
        profile = await self.chapter.get()
        return Openness(profile.openness) if profile else Openness.MODERATED

    async def usable_invitation(self, token: str | None) -> Invitation | None:
        """The invitation behind a link, or None for no link; raises when the link is bad."""
        if not token:
            return None
        invitation = await self.invitations.by_token_hash(token_hash(token))
        if invitation is None or not invitation.usable_at(self.clock()):
            raise InvitationInvalid("this invitation link is not valid any more; ask for a new one")
        return invitation

    async def join(
        self,
        *,
        username: str,
        password: str,
        display_name: str,
        message: str = "",
        invitation_token: str | None = None,
    ) -> tuple[User, JoinState]:
        message = check_join_message(message)
        invitation = await self.usable_invitation(invitation_token)
        state = join_state_for(await self.openness(), has_valid_invitation=invitation is not None)
        role = Role.MEMBER if state is JoinState.APPROVED else Role.SUPPORTER
        async with self.unit_of_work.transaction():
            if invitation is not None and not await self.invitations.use(invitation.id, self.clock()):
                raise InvitationInvalid("this invitation link was just used up; ask for a new one")
            user = await self.accounts.create_user(username, password, role, display_name or None)
            await self.join_requests.add(
                user_id=user.id, state=state, message=message,
                invitation_id=invitation.id if invitation else None,
            )
        return user, state

    async def request_membership(
        self, user: User, *, message: str = "", invitation_token: str | None = None
    ) -> JoinState:
        """An existing supporter (a former member, a rejected applicant) asks to join."""
        if is_member(user.role):
            raise Conflict("you are a member already")
        latest = await self.join_requests.latest_for_user(user.id)
        if latest is not None and latest.state is JoinState.PENDING:
            raise Conflict("your request is waiting for an admin already")
        message = check_join_message(message)
        invitation = await self.usable_invitation(invitation_token)
        state = join_state_for(await self.openness(), has_valid_invitation=invitation is not None)
        async with self.unit_of_work.transaction():
            if invitation is not None and not await self.invitations.use(invitation.id, self.clock()):
                raise InvitationInvalid("this invitation link was just used up; ask for a new one")
            await self.join_requests.add(
                user_id=user.id, state=state, message=message,
                invitation_id=invitation.id if invitation else None,
            )
            if state is JoinState.APPROVED:
                await self.roles.set_user_role(user.id, Role.MEMBER)
        return state

    async def pending(self) -> list[JoinRequest]:
        return await self.join_requests.pending()

    async def status_of(self, user: User) -> JoinRequest | None:
        return await self.join_requests.latest_for_user(user.id)

    async def decide(self, request_id: int, *, approve: bool, admin: User) -> JoinRequest:
        async with self.unit_of_work.transaction():
            request = await self.join_requests.get(request_id)
            if request is None:
                raise NotFound("no such join request")
            state = JoinState.APPROVED if approve else JoinState.REJECTED
            if not await self.join_requests.decide(request_id, state, admin.id):
                raise Conflict("this request was already decided")
            if approve:
                user = await self.roles.users.by_id(request.user_id)
                if user is not None and not is_member(user.role):
                    await self.roles.set_user_role(user.id, Role.MEMBER)
            decided = await self.join_requests.get(request_id)
            assert decided is not None
            return decided

    async def create_invitation(
        self, admin: User, *, note: str, max_uses: int, valid_days: int
    ) -> tuple[str, Invitation]:
        """A new invitation link's token (shown once) and the invitation."""
        note, max_uses, lifetime = check_invitation(note, max_uses, valid_days)
        token = new_token()
        invitation = await self.invitations.add(
            token_hash=token_hash(token), note=note, max_uses=max_uses,
            expires_at=self.clock() + lifetime, created_by=admin.id,
        )
        return token, invitation

    async def revoke_invitation(self, invitation_id: int) -> None:
        if not await self.invitations.revoke(invitation_id):
            raise NotFound("no such invitation")

    async def list_invitations(self) -> list[Invitation]:
        return await self.invitations.all()

    async def leave(self, user: User) -> User:
        """A member leaves: back to supporter, every office ended."""
        if not is_member(user.role):
            raise Conflict("you are not a member of this chapter")
        return await self.roles.set_user_role(user.id, Role.SUPPORTER)
