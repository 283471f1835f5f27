"""Who represents a chapter at a network meeting: the holder of its
facilitator office when the meeting starts."""
from __future__ import annotations

from datetime import UTC, datetime

from fedchapter.networks.representatives import representatives_at
from fedchapter.role_terms import Holder, RoleTerm
from fedchapter.roles import Role

MARCH, MAY, JULY = (datetime(2026, month, 1, tzinfo=UTC) for month in (3, 5, 7))


def term(name: str, started: datetime, ended: datetime | None = None, role: Role = Role.FACILITATOR) -> RoleTerm:
    return RoleTerm(id=hash(name) & 0xFFFF, role=role, holder=Holder(name=name, user_id=hash(name) & 0xFFFF),
                    started_at=started, ended_at=ended)


TERMS = [term("Ada", MARCH, MAY), term("Bo", MAY), term("Cy", MARCH, role=Role.SECRETARY)]


def test_a_past_meeting_names_who_held_the_office_then() -> None:
    assert representatives_at(TERMS, datetime(2026, 4, 1, tzinfo=UTC)) == ("Ada",)


def test_a_meeting_to_come_names_the_current_holder() -> None:
    assert representatives_at(TERMS, JULY) == ("Bo",)


def test_a_co_held_office_names_every_holder_and_an_empty_one_nobody() -> None:
    assert representatives_at([*TERMS, term("Di", MAY)], JULY) == ("Bo", "Di")
    assert representatives_at(TERMS, datetime(2026, 1, 1, tzinfo=UTC)) == ()
