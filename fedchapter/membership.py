"""Who is a member, and how one becomes one. Pure rules; no storage, no web.

A local account always exists before membership: joining creates it with the
role ``supporter`` (it may comment and RSVP) together with a join request.
Approval (at once for an open chapter, by an admin for a moderated one, or
through an invitation for an invite-only one) turns the supporter into a
``member``. A rejected applicant keeps a supporter account. Leaving turns a
member back into a supporter and ends any office they held. So "member" is
always exactly: a role in ``VOTING_ROLES``.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from fedchapter.chapter import Openness
from fedchapter.errors import N_, Forbidden, ValidationError
from fedchapter.roles import Role

MAX_JOIN_MESSAGE = 1000
MAX_INVITATION_NOTE = 200
MAX_INVITATION_USES = 1000
MAX_INVITATION_DAYS = 365


class JoinState(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(frozen=True)
class JoinRequest:
    id: int
    user_id: int
    username: str
    display_name: str
    state: JoinState
    message: str
    created_at: datetime
    decided_at: datetime | None = None


@dataclass(frozen=True)
class Invitation:
    id: int
    note: str
    max_uses: int
    uses: int
    expires_at: datetime
    revoked: bool
    created_at: datetime

    def usable_at(self, now: datetime) -> bool:
        return not self.revoked and self.uses < self.max_uses and now < self.expires_at


@dataclass(frozen=True)
class RemoteMember:
    """A fediverse account on another server that is a member here."""

    actor_id: str
    inbox: str
    shared_inbox: str | None
    handle: str | None
    display_name: str
    role: Role
    added_at: datetime

    @property
    def delivery_inbox(self) -> str:
        return self.shared_inbox or self.inbox


def join_state_for(openness: Openness, *, has_valid_invitation: bool) -> JoinState:
    """What happens to a new join request under the chapter's openness.

    A valid invitation admits at once whatever the openness: an admin made it.
    """
    if has_valid_invitation or openness is Openness.OPEN:
        return JoinState.APPROVED
    if openness is Openness.MODERATED:
        return JoinState.PENDING
    raise Forbidden("this chapter admits new members by invitation only; ask an organiser for a link")


def check_join_message(message: str) -> str:
    message = message.strip()
    if len(message) > MAX_JOIN_MESSAGE:
        raise ValidationError("message", N_("keep the message under %(max_join_message)s characters"),
                              max_join_message=MAX_JOIN_MESSAGE)
    return message


def check_invitation(note: str, max_uses: int, valid_days: int) -> tuple[str, int, timedelta]:
    note = note.strip()
    if len(note) > MAX_INVITATION_NOTE:
        raise ValidationError("note", N_("keep the note under %(max_invitation_note)s characters"),
                              max_invitation_note=MAX_INVITATION_NOTE)
    if not 1 <= max_uses <= MAX_INVITATION_USES:
        raise ValidationError("max_uses", N_("uses must be from 1 to %(max_invitation_uses)s"),
                              max_invitation_uses=MAX_INVITATION_USES)
    if not 1 <= valid_days <= MAX_INVITATION_DAYS:
        raise ValidationError("valid_days", N_("days must be from 1 to %(max_invitation_days)s"),
                              max_invitation_days=MAX_INVITATION_DAYS)
    return note, max_uses, timedelta(days=valid_days)


def check_remote_member_role(role: Role) -> Role:
    # An admin signs in to this site to administer it, which a remote account cannot.
    if role is Role.ADMIN:
        raise ValidationError("role", N_("an admin needs a local account; choose another role"))
    return role
