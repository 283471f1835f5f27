"""Changing roles and rotating offices, with every term recorded.

Every role change of a local account or remote member goes through here, so
the history of offices is complete whichever page or API changed it: the
members page's "Change" and the roles page's "Pass the office on" both hand
an office over the same way (``hand_over``). An office has one holder unless
the chapter lets several hold it at once (by default only admin): handing it
over ends the previous holder's term and steps them down, so a handover
leaves exactly one secretary.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime, time, timezone
from typing import Protocol

from fedchapter.accounts import User
from fedchapter.clock import utc_now
from fedchapter.errors import N_, Conflict, NotFound, ValidationError
from fedchapter.membership import RemoteMember, check_remote_member_role
from fedchapter.publishing import UnitOfWork
from fedchapter.role_terms import Holder, RoleTerm, check_office, role_when_term_ends, role_when_term_starts
from fedchapter.roles import OFFICE_ROLES, Role


# The id of a term that has no row yet (see RoleService.current).
UNRECORDED = 0

# Told which offices changed hands, once the change is stored (a member
# chapter tells its networks whom it sends: fedchapter.services.representative_naming).
OfficesChanged = Callable[[frozenset[Role]], Awaitable[None]]


class RoleUserStore(Protocol):
    async def by_id(self, user_id: int) -> User | None: ...
    async def all(self) -> list[User]: ...
    async def set_role(self, user_id: int, role: Role) -> None: ...


class RoleRemoteStore(Protocol):
    async def get(self, actor_id: str) -> RemoteMember | None: ...
    async def set_role(self, actor_id: str, role: Role) -> None: ...


class RoleTermStore(Protocol):
    async def start(self, role: Role, holder: Holder, at: datetime, ends_on: date | None = None) -> int: ...
    async def co_held(self) -> frozenset[Role]: ...
    async def set_co_held(self, role: Role, allowed: bool) -> None: ...
    async def end(self, term_id: int, at: datetime) -> None: ...
    async def current(self, role: Role | None = None) -> list[RoleTerm]: ...
    async def current_for_user(self, user_id: int) -> list[RoleTerm]: ...
    async def current_for_remote(self, actor_id: str) -> list[RoleTerm]: ...
    async def history(self, limit: int = 200) -> list[RoleTerm]: ...


def holder_for_user(user: User) -> Holder:
    return Holder(name=user.display_name or user.username, user_id=user.id)


def holder_for_remote(member: RemoteMember) -> Holder:
    return Holder(name=member.handle or member.display_name, remote_actor_id=member.actor_id)


class RoleService:
    def __init__(
        self,
        users: RoleUserStore,
        remote_members: RoleRemoteStore,
        terms: RoleTermStore,
        unit_of_work: UnitOfWork,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.users = users
        self.remote_members = remote_members
        self.terms = terms
        self.unit_of_work = unit_of_work
        self.clock = clock
        self._listeners: list[OfficesChanged] = []

    def on_offices_changed(self, listener: OfficesChanged) -> None:
        """Call ``listener`` after each change of who holds which office (the composition root wires it)."""
        self._listeners.append(listener)

    async def _changed(self, *roles: Role) -> None:
        offices = frozenset(role for role in roles if role in OFFICE_ROLES)
        if offices:
            for listener in self._listeners:
                await listener(offices)

    async def _admin_count(self) -> int:
        return sum(1 for user in await self.users.all() if user.role is Role.ADMIN and not user.disabled)

    async def _guard_last_admin(self, user: User, new_role: Role) -> None:
        if user.role is Role.ADMIN and new_role is not Role.ADMIN and await self._admin_count() <= 1:
            raise Conflict("the chapter needs at least one admin; make someone else admin first")

    async def set_user_role(self, user_id: int, role: Role) -> User:
        """Give a local account a role: ends the office terms it leaves, starts the new one."""
        async with self.unit_of_work.transaction():
            user = await self.users.by_id(user_id)
            if user is None:
                raise NotFound("no such account")
            if user.role is role:
                return user
            await self._guard_last_admin(user, role)
            now = self.clock()
            for term in [term for term in await self.current() if term.holder.user_id == user.id]:
                await self._end(term, now)
            await self.users.set_role(user.id, role)
            if role in OFFICE_ROLES:
                await self.hand_over(role, holder_for_user(user), now)
            updated = await self.users.by_id(user.id)
            assert updated is not None
        await self._changed(user.role, role)
        return updated

    async def set_remote_role(self, actor_id: str, role: Role) -> None:
        check_remote_member_role(role)
        async with self.unit_of_work.transaction():
            member = await self.remote_members.get(actor_id)
            if member is None:
                raise NotFound("no such remote member")
            if member.role is role:
                return
            now = self.clock()
            for term in await self.terms.current_for_remote(actor_id):
                await self.terms.end(term.id, now)
            await self.remote_members.set_role(actor_id, role)
            if role in OFFICE_ROLES:
                await self.hand_over(role, holder_for_remote(member), now)
        await self._changed(member.role, role)

    async def rotate(
        self, office: Role, *, user_id: int | None = None, remote_actor_id: str | None = None,
        starts_on: date | None = None, ends_on: date | None = None,
    ) -> None:
        """Hand ``office`` to its next holder for a term from ``starts_on`` (today
        or a day past, when the meeting chose them) until ``ends_on`` (optional)."""
        check_office(office)
        if (user_id is None) == (remote_actor_id is None):
            raise ValidationError("holder", N_("choose who holds the office next"))
        today = self.clock().date()
        if starts_on is not None and starts_on > today:
            raise ValidationError("starts_on", N_("a term starts today or on a day past; hand the office over when it begins"))
        if ends_on is not None and ends_on <= (starts_on or today):
            raise ValidationError("ends_on", N_("the end of the term comes after its start"))
        async with self.unit_of_work.transaction():
            now = self.clock()
            started = now if starts_on is None or starts_on == today else datetime.combine(starts_on, time(), timezone.utc)
            next_holder = await self._next_holder(office, user_id, remote_actor_id)
            await self.hand_over(office, next_holder, started, ends_on=ends_on, ended=now)
        await self._changed(office)

    async def hand_over(
        self, office: Role, next_holder: Holder, started: datetime, *,
        ends_on: date | None = None, ended: datetime | None = None,
    ) -> None:
        """Start ``next_holder``'s term; in a one-holder office, end the others'
        terms and step them down. The one path for every way an office changes hands."""
        # An account given the office a moment ago shows as an unrecorded term
        # (see current); its term starts here.
        holders = [term for term in await self.current() if term.role is office
                   and not (term.id == UNRECORDED and term.holder.key == next_holder.key)]
        single = office not in await self.terms.co_held()
        for term in holders:
            if term.holder.key == next_holder.key or not single:
                continue  # the same person again: their term simply goes on
            await self._end(term, max(term.started_at, min(started, ended or started)))
            await self._step_down(term.holder, office)
        if not any(term.holder.key == next_holder.key for term in holders):
            await self.terms.start(office, next_holder, started, ends_on)

    async def end_term(self, office: Role, holder_key: str) -> None:
        """End one holder's term now (a co-held office, or an office left empty)."""
        check_office(office)
        async with self.unit_of_work.transaction():
            term = next((term for term in await self.current()
                         if term.role is office and term.holder.key == holder_key), None)
            if term is None:
                raise NotFound("no such term")
            await self._step_down(term.holder, office)
            await self._end(term, self.clock())
        await self._changed(office)

    async def co_held(self) -> frozenset[Role]:
        return await self.terms.co_held()

    async def allow_co_holders(self, office: Role, allowed: bool) -> None:
        """Let several members hold ``office`` at once, or only one again."""
        check_office(office)
        async with self.unit_of_work.transaction():
            holders = [term for term in await self.current() if term.role is office]
            if not allowed and len(holders) > 1:
                raise Conflict("several members hold this office now; end all terms but one first")
            await self.terms.set_co_held(office, allowed)

    async def _end(self, term: RoleTerm, now: datetime) -> None:
        if term.id == UNRECORDED:
            # Held since the account was made (the CLI, the demo): record it as it ends.
            await self.terms.end(await self.terms.start(term.role, term.holder, term.started_at), now)
        else:
            await self.terms.end(term.id, now)

    async def _next_holder(self, office: Role, user_id: int | None, remote_actor_id: str | None) -> Holder:
        if user_id is not None:
            user = await self.users.by_id(user_id)
            if user is None or user.disabled:
                raise NotFound("no such account")
            if office is not Role.ADMIN and user.role is Role.SUPPORTER:
                raise ValidationError("holder", N_("only members hold offices; approve them as members first"))
            await self.users.set_role(user.id, role_when_term_starts(user.role, office))
            return holder_for_user(user)
        assert remote_actor_id is not None
        member = await self.remote_members.get(remote_actor_id)
        if member is None:
            raise NotFound("no such remote member")
        if office is Role.ADMIN:
            check_remote_member_role(office)
        await self.remote_members.set_role(member.actor_id, office)
        return holder_for_remote(member)

    async def _step_down(self, holder: Holder, office: Role) -> None:
        if holder.user_id is not None:
            user = await self.users.by_id(holder.user_id)
            if user is not None:
                new_role = role_when_term_ends(user.role, office)
                await self._guard_last_admin(user, new_role)
                await self.users.set_role(user.id, new_role)
        elif holder.remote_actor_id:
            member = await self.remote_members.get(holder.remote_actor_id)
            if member is not None:
                await self.remote_members.set_role(member.actor_id, role_when_term_ends(member.role, office))

    async def end_all_terms_of_user(self, user_id: int) -> None:
        now = self.clock()
        terms = await self.terms.current_for_user(user_id)
        for term in terms:
            await self.terms.end(term.id, now)
        await self._changed(*(term.role for term in terms))

    async def end_all_terms_of_remote(self, actor_id: str) -> None:
        now = self.clock()
        terms = await self.terms.current_for_remote(actor_id)
        for term in terms:
            await self.terms.end(term.id, now)
        await self._changed(*(term.role for term in terms))

    async def current(self) -> list[RoleTerm]:
        """The open terms, plus accounts given an office when they were made
        (``fedchapter user add --role secretary``), which have no term row yet."""
        terms = await self.terms.current()
        recorded = {(term.role, term.holder.key) for term in terms}
        for user in await self.users.all():
            holder = holder_for_user(user)
            if user.role in OFFICE_ROLES and not user.disabled and (user.role, holder.key) not in recorded:
                terms.append(RoleTerm(id=UNRECORDED, role=user.role, holder=holder, started_at=user.created_at))
        return sorted(terms, key=lambda term: (term.role.value, term.started_at))

    async def history(self, limit: int = 200) -> list[RoleTerm]:
        return await self.terms.history(limit)

    async def terms_of(self, office: Role, *, limit: int = 500) -> list[RoleTerm]:
        """Every term of ``office`` we know of, current (recorded or not) and
        ended, so a caller can ask who held it at any moment."""
        current = [term for term in await self.current() if term.role is office]
        known = {term.id for term in current}
        ended = [term for term in await self.terms.history(limit)
                 if term.role is office and term.id not in known]
        return [*current, *ended]
