"""The admission rules and invitations, without storage or web."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from fedchapter.chapter import Openness
from fedchapter.errors import Forbidden, ValidationError
from fedchapter.membership import (
    Invitation,
    JoinState,
    check_invitation,
    check_join_message,
    check_remote_member_role,
    join_state_for,
)
from fedchapter.roles import Role

NOW = datetime(2026, 6, 1, 12, tzinfo=timezone.utc)


def test_openness_decides_what_a_join_request_becomes() -> None:
    assert join_state_for(Openness.OPEN, has_valid_invitation=False) is JoinState.APPROVED
    assert join_state_for(Openness.MODERATED, has_valid_invitation=False) is JoinState.PENDING
    with pytest.raises(Forbidden, match="invitation only"):
        join_state_for(Openness.INVITE_ONLY, has_valid_invitation=False)
    for openness in Openness:
        assert join_state_for(openness, has_valid_invitation=True) is JoinState.APPROVED


def invitation(**changes: object) -> Invitation:
    values: dict[str, object] = dict(id=1, note="", max_uses=2, uses=0, expires_at=NOW + timedelta(days=1),
                                     revoked=False, created_at=NOW)
    values.update(changes)
    return Invitation(**values)  # type: ignore[arg-type]


def test_an_invitation_is_usable_until_used_up_expired_or_withdrawn() -> None:
    assert invitation().usable_at(NOW)
    assert not invitation(uses=2).usable_at(NOW)
    assert not invitation().usable_at(NOW + timedelta(days=1))
    assert not invitation(revoked=True).usable_at(NOW)


def test_invitation_limits() -> None:
    assert check_invitation("  for Ana  ", 1, 7) == ("for Ana", 1, timedelta(days=7))
    for note, uses, days, field in (("x" * 201, 1, 1, "note"), ("", 0, 1, "max_uses"),
                                    ("", 1001, 1, "max_uses"), ("", 1, 0, "valid_days"), ("", 1, 366, "valid_days")):
        with pytest.raises(ValidationError) as caught:
            check_invitation(note, uses, days)
        assert caught.value.field == field


def test_join_messages_and_remote_roles() -> None:
    assert check_join_message("  hello \n") == "hello"
    with pytest.raises(ValidationError):
        check_join_message("x" * 1001)
    assert check_remote_member_role(Role.SECRETARY) is Role.SECRETARY
    with pytest.raises(ValidationError, match="local account"):
        check_remote_member_role(Role.ADMIN)
