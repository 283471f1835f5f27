"""Reading minutes from the API body: every refusal names its field."""
from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from fedchapter.errors import ValidationError
from fedchapter.minutes.model import ActionStatus, DecidedBy, Outcome
from fedchapter.minutes.serialize import content_to_dict
from fedchapter.minutes.validation import parse_minutes
from fedchapter.visibility import Visibility


def body(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "General meeting, October",
        "meeting_date": "2025-10-14",
        "attendance": 14,
        "present": ["alice", "@bob"],
        "agenda": [{"title": "Proposal Two", "notes": "We discussed **it**."}],
        "decisions": [{"text": "Support Proposal Two", "for": 10, "against": 2, "abstain": 1,
                       "outcome": "carried"}],
        "actions": [{"text": "Book the room", "owner": "alice", "due": "2025-10-20"}],
        "next_meeting": {"date": "2025-10-28", "time": "18:30", "place": "Birkbeck"},
        "visibility": "public",
    }
    data.update(changes)
    return data


def refusal(data: dict[str, Any]) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        parse_minutes(data)
    return caught.value


def test_a_complete_body_is_read() -> None:
    content = parse_minutes(body())
    assert content.meeting_date == date(2025, 10, 14)
    assert content.present == ("alice", "bob")
    decision = content.decisions[0]
    assert (decision.votes_for, decision.votes_against, decision.votes_abstain) == (10, 2, 1)
    assert decision.outcome is Outcome.CARRIED and decision.decided_by is DecidedBy.VOTE
    assert content.actions[0].status is ActionStatus.OPEN
    assert content.actions[0].due == date(2025, 10, 20)
    assert content.next_meeting is not None and content.next_meeting.time == "18:30"
    assert content.visibility is Visibility.PUBLIC


def test_what_goes_out_comes_back_the_same() -> None:
    content = parse_minutes(body())
    assert parse_minutes(content_to_dict(content)) == content


def test_negative_attendance_is_refused() -> None:
    assert refusal(body(attendance=-1)).field == "attendance"


def test_more_votes_than_people_present_names_the_for_field() -> None:
    decisions = [{"text": "a", "outcome": "noted"},
                 {"text": "b", "for": 10, "against": 4, "abstain": 1, "outcome": "carried"}]
    error = refusal(body(decisions=decisions))
    assert error.field == "decisions.1.for"
    assert "15" in error.message and "14" in error.message


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"meeting_date": "14/10/2025"}, "meeting_date"),
        ({"attendance": "many"}, "attendance"),
        ({"attendance": True}, "attendance"),
        ({"present": ["a", "b", "c"], "attendance": 2}, "present"),
        ({"agenda": [{"notes": "no title"}]}, "agenda.0.title"),
        ({"agenda": "not a list"}, "agenda"),
        ({"decisions": [{"text": "x", "outcome": "passed"}]}, "decisions.0.outcome"),
        ({"decisions": [{"text": "x", "outcome": "carried", "for": -2}]}, "decisions.0.for"),
        ({"decisions": [{"text": "x", "outcome": "carried", "decided_by": "unanimous", "against": 1}]},
         "decisions.0.against"),
        ({"actions": [{"text": "x", "due": "soon"}]}, "actions.0.due"),
        ({"actions": [{"text": "x", "status": "pending"}]}, "actions.0.status"),
        ({"actions": [{"text": "x", "carried_from": "no key"}]}, "actions.0.carried_from"),
        ({"next_meeting": {"time": "18:30"}}, "next_meeting.date"),
        ({"next_meeting": {"date": "2025-10-28", "time": "6.30pm"}}, "next_meeting.time"),
        ({"visibility": "secret"}, "visibility"),
        ({"decisions": [{"text": "x", "outcome": "carried", "votes": 3}]}, "decisions.0.votes"),
        ({"colour": "red"}, "colour"),
        ({"actions": [{"text": "x"}] * 201}, "actions"),
    ],
)
def test_bad_fields_are_named(change: dict[str, Any], field: str) -> None:
    assert refusal(body(**change)).field == field


def test_unanimous_and_consensus_need_no_counts() -> None:
    content = parse_minutes(body(decisions=[
        {"text": "x", "outcome": "carried", "decided_by": "unanimous"},
        {"text": "y", "outcome": "carried", "decided_by": "consensus"},
    ]))
    assert [d.decided_by for d in content.decisions] == [DecidedBy.UNANIMOUS, DecidedBy.CONSENSUS]
    assert content.decisions[0].votes_for is None


def test_missing_counts_beside_a_given_one_are_zero() -> None:
    content = parse_minutes(body(decisions=[{"text": "x", "for": 9, "outcome": "carried"}]))
    assert (content.decisions[0].votes_against, content.decisions[0].votes_abstain) == (0, 0)
