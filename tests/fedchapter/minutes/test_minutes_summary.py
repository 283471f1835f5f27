"""The summary Mastodon shows in place of an Article's content."""
from __future__ import annotations

from fedchapter.minutes.validation import parse_minutes
from fedchapter.minutes.summary import minutes_summary


def test_the_summary_states_attendance_decisions_and_the_next_meeting() -> None:
    content = parse_minutes({
        "title": "October meeting", "meeting_date": "2025-10-14", "attendance": 14,
        "decisions": [
            {"text": "Support Proposal Two", "outcome": "carried", "decided_by": "unanimous"},
            {"text": "Buy a banner.", "for": 3, "against": 9, "abstain": 2, "outcome": "rejected"},
        ],
        "next_meeting": {"date": "2025-10-28", "time": "18:30", "place": "Birkbeck"},
    })
    assert minutes_summary(content, "Europe/London") == (
        "14 present. Carried (unanimous): Support Proposal Two. "
        "Rejected (3 for, 9 against, 2 abstaining): Buy a banner. "
        "Next meeting Tue 28 Oct 18:30 GMT, Birkbeck."
    )


def test_a_next_meeting_without_a_time_shows_the_day() -> None:
    content = parse_minutes({"title": "t", "meeting_date": "2025-06-10", "attendance": 5,
                             "next_meeting": {"date": "2025-06-24"}})
    assert minutes_summary(content, "Europe/London") == "5 present. Next meeting Tue 24 Jun."


def test_a_unanimous_decision_keeps_its_counts() -> None:
    content = parse_minutes({
        "title": "t", "meeting_date": "2025-06-10", "attendance": 14,
        "decisions": [{"text": "Support Proposal Two", "outcome": "carried", "decided_by": "unanimous",
                       "for": 14, "against": 0, "abstain": 0}],
    })
    assert minutes_summary(content, "Europe/London") == (
        "14 present. Carried (unanimous, 14 for, 0 against, 0 abstaining): Support Proposal Two."
    )
