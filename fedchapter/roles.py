"""Roles and what each may do, written in one place and enforced by the web,
the API and the inbox alike (they all ask ``can(role, permission)``)."""
from __future__ import annotations

import enum


class Role(enum.StrEnum):
    SUPPORTER = "supporter"  # comments and RSVPs; not a voting member
    MEMBER = "member"
    SECRETARY = "secretary"  # the minute-taker
    FACILITATOR = "facilitator"  # events and proposals
    ADMIN = "admin"


class Permission(enum.StrEnum):
    COMMENT = "comment"
    RSVP = "rsvp"
    VOTE = "vote"
    DRAFT_PROPOSAL = "draft_proposal"
    SEE_MEMBERS_ONLY = "see_members_only"
    SEE_MEMBER_LIST = "see_member_list"
    PUBLISH_EVENTS = "publish_events"
    PUBLISH_MINUTES = "publish_minutes"
    PUBLISH_POSTS = "publish_posts"
    MANAGE_PROPOSALS = "manage_proposals"  # open, close, share
    MODERATE = "moderate"  # hide comments, lock threads, block accounts
    MANAGE_MEMBERS = "manage_members"  # approve joins, roles, remote members
    ADMINISTER = "administer"  # settings, federation, deliveries


_SUPPORTER = {Permission.COMMENT, Permission.RSVP}
_MEMBER = _SUPPORTER | {
    Permission.VOTE,
    Permission.DRAFT_PROPOSAL,
    Permission.SEE_MEMBERS_ONLY,
    Permission.SEE_MEMBER_LIST,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.SUPPORTER: frozenset(_SUPPORTER),
    Role.MEMBER: frozenset(_MEMBER),
    Role.SECRETARY: frozenset(_MEMBER | {Permission.PUBLISH_MINUTES, Permission.PUBLISH_POSTS}),
    Role.FACILITATOR: frozenset(
        _MEMBER | {Permission.PUBLISH_EVENTS, Permission.PUBLISH_POSTS, Permission.MANAGE_PROPOSALS}
    ),
    Role.ADMIN: frozenset(Permission),
}

# Roles that make someone a voting member of the chapter.
VOTING_ROLES = frozenset(role for role, allowed in ROLE_PERMISSIONS.items() if Permission.VOTE in allowed)

# Offices: roles held for a term and rotated among members, with a history
# (fedchapter.role_terms). Member and supporter are standings, not offices.
OFFICE_ROLES = frozenset({Role.SECRETARY, Role.FACILITATOR, Role.ADMIN})


def is_member(role: Role | str | None) -> bool:
    """A voting member of the chapter (a supporter is not)."""
    return can(role, Permission.VOTE)


def can(role: Role | str | None, permission: Permission) -> bool:
    if role is None:
        return False
    try:
        return permission in ROLE_PERMISSIONS[Role(role)]
    except ValueError:
        return False


def parse_role(text: str) -> Role:
    try:
        return Role(text)
    except ValueError:
        choices = ", ".join(role.value for role in Role)
        raise ValueError(f"unknown role {text!r} (choose one of {choices})") from None
