"""Minutes content as the plain JSON shape of the API (and of stored revisions).

The same shape goes in and out, so stored text is read back with
`validation.parse_minutes` and an API client may send back what it received.
"""

from __future__ import annotations

from typing import Any

from fedchapter.minutes.model import ActionItem, Decision, MinutesContent, NextMeeting


def decision_to_dict(decision: Decision) -> dict[str, Any]:
    return {
        "text": decision.text,
        "for": decision.votes_for,
        "against": decision.votes_against,
        "abstain": decision.votes_abstain,
        "outcome": decision.outcome.value,
        "decided_by": decision.decided_by.value,
        "proposal": decision.proposal,
    }


def action_to_dict(item: ActionItem) -> dict[str, Any]:
    return {
        "text": item.text,
        "owner": item.owner,
        "due": item.due.isoformat() if item.due else None,
        "status": item.status.value,
        "carried_from": item.carried_from,
    }


def next_meeting_to_dict(meeting: NextMeeting) -> dict[str, Any]:
    return {"date": meeting.date.isoformat(), "time": meeting.time, "place": meeting.place,
            "event": meeting.event}


def content_to_dict(content: MinutesContent) -> dict[str, Any]:
    return {
        "title": content.title,
        "meeting_date": content.meeting_date.isoformat(),
        "event": content.event,
        "place": content.place,
        "facilitator": content.facilitator,
        "minute_taker": content.minute_taker,
        "attendance": content.attendance,
        "present": list(content.present),
        "agenda": [{"title": item.title, "notes": item.notes} for item in content.agenda],
        "decisions": [decision_to_dict(decision) for decision in content.decisions],
        "actions": [action_to_dict(item) for item in content.actions],
        "next_meeting": next_meeting_to_dict(content.next_meeting) if content.next_meeting else None,
        "visibility": content.visibility.value,
        "language": content.language,
    }
