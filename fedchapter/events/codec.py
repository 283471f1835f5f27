"""Events as plain JSON-able dicts and back: the shape stored for places,
meet-up points and the events received from other chapters.

Reading back goes through the model's own invariants (a Place needs a name
or a street, an event ends after it starts), so a corrupted row fails loudly
instead of showing wrong times.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fedchapter.clock import from_iso, to_iso
from fedchapter.events.model import (
    Event,
    EventStatus,
    JoinMode,
    MeetupPoint,
    OccurrenceChange,
    Place,
)
from fedchapter.visibility import Visibility

_PLACE_FIELDS = ("name", "street", "locality", "postal_code", "country", "lat", "lon")


def local_text(moment: datetime) -> str:
    """A naive wall-clock time as ISO text without seconds when they are zero."""
    return moment.isoformat(timespec="minutes" if moment.second == 0 else "seconds")


def place_to_dict(place: Place) -> dict[str, Any]:
    return {key: getattr(place, key) for key in _PLACE_FIELDS if getattr(place, key) is not None}


def place_from_dict(data: dict[str, Any]) -> Place:
    return Place(**{key: data.get(key) for key in _PLACE_FIELDS})


def meetup_to_dict(meetup: MeetupPoint) -> dict[str, Any]:
    return {"location": place_to_dict(meetup.place), "start": local_text(meetup.start_local)}


def meetup_from_dict(data: dict[str, Any]) -> MeetupPoint:
    return MeetupPoint(place=place_from_dict(data["location"]),
                       start_local=datetime.fromisoformat(data["start"]))


def change_to_dict(change: OccurrenceChange) -> dict[str, Any]:
    found: dict[str, Any] = {"original_start": local_text(change.original_start)}
    if change.cancelled:
        found["cancelled"] = True
    if change.start_local is not None and change.end_local is not None:
        found["start"] = local_text(change.start_local)
        found["end"] = local_text(change.end_local)
    return found


def change_from_dict(data: dict[str, Any]) -> OccurrenceChange:
    start, end = data.get("start"), data.get("end")
    return OccurrenceChange(
        original_start=datetime.fromisoformat(data["original_start"]),
        cancelled=bool(data.get("cancelled")),
        start_local=datetime.fromisoformat(start) if start else None,
        end_local=datetime.fromisoformat(end) if end else None,
    )


def event_to_dict(event: Event) -> dict[str, Any]:
    """Every field of the event, JSON-able (times as ISO text)."""
    return {
        "id": event.id,
        "title": event.title,
        "description": event.description,
        "start": local_text(event.start_local),
        "end": local_text(event.end_local),
        "timezone": event.timezone,
        "location": place_to_dict(event.location) if event.location else None,
        "online_url": event.online_url,
        "capacity": event.capacity,
        "category": event.category,
        "status": event.status.value,
        "visibility": event.visibility.value,
        "rrule": event.rrule,
        "exceptions": [change_to_dict(change) for change in event.exceptions],
        "meetup": meetup_to_dict(event.meetup) if event.meetup else None,
        "join_mode": event.join_mode.value,
        "external_participation_url": event.external_participation_url,
        "language": event.language,
        "created_at": to_iso(event.created_at),
        "updated_at": to_iso(event.updated_at),
    }


def event_from_dict(data: dict[str, Any]) -> Event:
    return Event(
        id=data["id"],
        title=data["title"],
        description=data.get("description") or "",
        start_local=datetime.fromisoformat(data["start"]),
        end_local=datetime.fromisoformat(data["end"]),
        timezone=data["timezone"],
        location=place_from_dict(data["location"]) if data.get("location") else None,
        online_url=data.get("online_url"),
        capacity=data.get("capacity"),
        category=data["category"],
        status=EventStatus(data["status"]),
        visibility=Visibility(data["visibility"]),
        rrule=data.get("rrule"),
        exceptions=tuple(change_from_dict(item) for item in data.get("exceptions") or ()),
        meetup=meetup_from_dict(data["meetup"]) if data.get("meetup") else None,
        join_mode=JoinMode(data.get("join_mode") or JoinMode.FREE.value),
        external_participation_url=data.get("external_participation_url"),
        language=data.get("language") or "en",
        created_at=from_iso(data["created_at"]),
        updated_at=from_iso(data["updated_at"]),
    )
