"""What a chapter publishes in the scenarios, made through its public API.

Each helper creates one resource with `chapter.api` and answers the API's
JSON (`id`, `ap_id`, ...), asserting the 201 so a broken API fails the
scenario at the step that broke, with the API's own error.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from chapter import Chapter

# Wall-clock times in Europe/London (BST in June): 18:30 local is 17:30 UTC.
EVENT = {
    "title": "Chapter meeting",
    "description": "Monthly **meeting**: the budget and the rota.",
    "start": "2030-06-24T18:30",
    "end": "2030-06-24T20:00",
    "timezone": "Europe/London",
    "location": {"name": "Birkbeck", "street": "Malet St", "locality": "London",
                 "postal_code": "WC1E 7HX", "country": "GB"},
    "visibility": "public",
}
EVENT_START_UTC = datetime(2030, 6, 24, 17, 30, tzinfo=timezone.utc)
EVENT_END_UTC = datetime(2030, 6, 24, 19, 0, tzinfo=timezone.utc)

MINUTES = {
    "title": "June meeting minutes",
    "meeting_date": "2030-06-24",
    "attendance": 12,
    "agenda": [{"title": "Budget", "notes": "Discussed the budget."}],
    "decisions": [{"text": "Adopt the budget", "for": 9, "against": 2, "abstain": 1,
                   "outcome": "carried"}],
    "actions": [{"text": "Book the hall", "owner": "sam", "due": "2030-07-01"}],
    "visibility": "public",
}


def _created(response) -> dict[str, Any]:
    assert response.status_code == 201, f"{response.request.method} {response.request.url} " \
                                        f"-> {response.status_code}: {response.text}"
    return response.json()


def publish_event(chapter: Chapter, **changes: Any) -> dict[str, Any]:
    return _created(chapter.api.post("events", json={**EVENT, **changes}))


def publish_minutes(chapter: Chapter, **changes: Any) -> dict[str, Any]:
    return _created(chapter.api.post("minutes", json={**MINUTES, **changes}))


def open_proposal(chapter: Chapter, title: str = "Adopt the budget?") -> dict[str, Any]:
    """A yes-no proposal (options yes, no, abstain), open for a week."""
    closes = (datetime.now(timezone.utc) + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return _created(chapter.api.post("proposals", json={
        "title": title, "body": "Shall we adopt it?", "method": "yes-no", "closes_at": closes}))


def close_proposal(chapter: Chapter, proposal: dict[str, Any]) -> dict[str, Any]:
    """Close now; answers `GET /api/v1/proposals/{id}` (with its `result`)."""
    closed = chapter.api.post(f"proposals/{proposal['id']}/close")
    assert closed.status_code == 200, closed.text
    fetched = chapter.api.get(f"proposals/{proposal['id']}")
    assert fetched.status_code == 200, fetched.text
    return fetched.json()


def as_list(value: Any) -> list:
    """JSON-LD compaction turns one-element arrays into plain values."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def instant(value: str) -> datetime:
    """An ISO 8601 time with Z or an offset, for comparing instants."""
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
