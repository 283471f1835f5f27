"""Role terms: who held an office at a given moment, and what rotating does to roles."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from fedchapter.errors import ValidationError
from fedchapter.role_terms import (
    Holder,
    RoleTerm,
    check_office,
    holders_at,
    role_when_term_ends,
    role_when_term_starts,
)
from fedchapter.roles import Role

MAY = datetime(2026, 5, 1, tzinfo=timezone.utc)


def test_who_took_minutes_last_month() -> None:
    maya, jonas = Holder("Maya", user_id=1), Holder("Aoife", remote_actor_id="https://dublin.example/u/aoife")
    terms = [
        RoleTerm(1, Role.SECRETARY, maya, MAY - timedelta(days=60), MAY + timedelta(days=10)),
        RoleTerm(2, Role.SECRETARY, jonas, MAY + timedelta(days=10)),
        RoleTerm(3, Role.FACILITATOR, jonas, MAY - timedelta(days=5)),
    ]
    assert holders_at(terms, Role.SECRETARY, MAY) == [maya]
    assert holders_at(terms, Role.SECRETARY, MAY + timedelta(days=10)) == [jonas]
    assert holders_at(terms, Role.FACILITATOR, MAY - timedelta(days=6)) == []
    assert not terms[0].is_current and terms[1].is_current


def test_a_holder_is_local_or_remote_never_both() -> None:
    with pytest.raises(ValueError):
        Holder("nobody")
    with pytest.raises(ValueError):
        Holder("both", user_id=1, remote_actor_id="https://x.example/u")
    assert Holder("a", user_id=3).key == "user:3"


def test_roles_while_holding_an_office() -> None:
    assert role_when_term_starts(Role.MEMBER, Role.SECRETARY) is Role.SECRETARY
    assert role_when_term_starts(Role.ADMIN, Role.SECRETARY) is Role.ADMIN  # admin keeps every power
    assert role_when_term_ends(Role.SECRETARY, Role.SECRETARY) is Role.MEMBER
    assert role_when_term_ends(Role.ADMIN, Role.SECRETARY) is Role.ADMIN


def test_only_offices_rotate() -> None:
    assert check_office(Role.FACILITATOR) is Role.FACILITATOR
    with pytest.raises(ValidationError):
        check_office(Role.MEMBER)
