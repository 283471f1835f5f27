"""Offices held for a term and rotated: who held which role from when to when.

A term belongs either to a local account or to a remote member. Ending a term
does not delete it; the history answers "who took minutes last month".
A local account has one role at a time, so an admin who takes a turn as
secretary stays admin (admin may already do everything a secretary does), and
someone whose term ends goes back to being a member.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from fedchapter.errors import N_, ValidationError
from fedchapter.roles import OFFICE_ROLES, Role


@dataclass(frozen=True)
class Holder:
    """Who holds an office: a local account (user_id) or a remote member (actor id)."""

    name: str
    user_id: int | None = None
    remote_actor_id: str | None = None

    def __post_init__(self) -> None:
        if (self.user_id is None) == (self.remote_actor_id is None):
            raise ValueError("a holder is either a local account or a remote member")

    @property
    def key(self) -> str:
        return f"user:{self.user_id}" if self.user_id is not None else f"remote:{self.remote_actor_id}"


@dataclass(frozen=True)
class RoleTerm:
    id: int
    role: Role
    holder: Holder
    started_at: datetime
    ended_at: datetime | None = None
    # The day the chapter gave the term until (elected "until the AGM"); the
    # term goes on past it until someone is handed the office, but is shown
    # as due for a handover.
    ends_on: date | None = None

    @property
    def is_current(self) -> bool:
        return self.ended_at is None

    def is_due(self, today: date) -> bool:
        """A current term whose planned end has come: time to pass the office on."""
        return self.is_current and self.ends_on is not None and self.ends_on <= today

    def covers(self, moment: datetime) -> bool:
        return self.started_at <= moment and (self.ended_at is None or moment < self.ended_at)


def check_office(role: Role) -> Role:
    if role not in OFFICE_ROLES:
        offices = ", ".join(sorted(office.value for office in OFFICE_ROLES))
        raise ValidationError("role", N_("only offices rotate (%(offices)s)"), offices=offices)
    return role


def role_when_term_starts(current: Role, office: Role) -> Role:
    """The account's role while it holds ``office``."""
    if current is Role.ADMIN:
        return Role.ADMIN
    return office


def role_when_term_ends(current: Role, office: Role) -> Role:
    """The account's role once its term in ``office`` ends."""
    return Role.MEMBER if current is office else current


def holders_at(terms: list[RoleTerm], role: Role, moment: datetime) -> list[Holder]:
    """Who held ``role`` at ``moment``: "who took minutes on the 3rd of May"."""
    return [term.holder for term in terms if term.role is role and term.covers(moment)]
