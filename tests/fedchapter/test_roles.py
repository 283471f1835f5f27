"""Roles and permissions: one table, asked the same way everywhere."""
from __future__ import annotations

import pytest

from fedchapter.roles import OFFICE_ROLES, VOTING_ROLES, Permission, Role, can, is_member, parse_role


def test_every_role_but_supporter_is_a_voting_member() -> None:
    assert VOTING_ROLES == {Role.MEMBER, Role.SECRETARY, Role.FACILITATOR, Role.ADMIN}
    assert not is_member(Role.SUPPORTER) and not is_member(None) and not is_member("king")
    assert is_member("member")


@pytest.mark.parametrize(
    ("role", "permission", "allowed"),
    [
        (Role.SUPPORTER, Permission.RSVP, True),
        (Role.SUPPORTER, Permission.VOTE, False),
        (Role.SUPPORTER, Permission.SEE_MEMBER_LIST, False),
        (Role.MEMBER, Permission.SEE_MEMBERS_ONLY, True),
        (Role.MEMBER, Permission.PUBLISH_MINUTES, False),
        (Role.SECRETARY, Permission.PUBLISH_MINUTES, True),
        (Role.SECRETARY, Permission.PUBLISH_EVENTS, False),
        (Role.FACILITATOR, Permission.PUBLISH_EVENTS, True),
        (Role.FACILITATOR, Permission.MANAGE_MEMBERS, False),
        (Role.ADMIN, Permission.MANAGE_MEMBERS, True),
        (Role.ADMIN, Permission.MODERATE, True),
    ],
)
def test_what_each_role_may_do(role: Role, permission: Permission, allowed: bool) -> None:
    assert can(role, permission) is allowed
    assert can(role.value, permission) is allowed


def test_unknown_roles_may_do_nothing() -> None:
    assert not can(None, Permission.COMMENT)
    assert not can("overlord", Permission.COMMENT)


def test_offices_are_the_rotating_roles() -> None:
    assert OFFICE_ROLES == {Role.SECRETARY, Role.FACILITATOR, Role.ADMIN}


def test_parse_role_names_the_choices() -> None:
    assert parse_role("secretary") is Role.SECRETARY
    with pytest.raises(ValueError, match="choose one of supporter, member"):
        parse_role("queen")
