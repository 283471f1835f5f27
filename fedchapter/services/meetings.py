"""Minutes and events: the meeting's Event is checked to exist, and the next
meeting, once the minutes are published, becomes an Event through the events
service (in the chapter's zone, two hours long, at the place given)."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, time, timedelta
from typing import Any

from fedchapter.events.validation import parse_event_input
from fedchapter.minutes.model import MinutesContent, NextMeeting
from fedchapter.services.events import EventService

MEETING_LENGTH = timedelta(hours=2)


class MeetingEvents:
    def __init__(self, events: EventService, chapter_name: Callable[[], Awaitable[str]], timezone: str) -> None:
        self.events = events
        self.chapter_name = chapter_name
        self.timezone = timezone

    async def exists(self, event_id: str) -> bool:
        return await self.events.find(event_id) is not None

    async def schedule(self, meeting: NextMeeting, content: MinutesContent) -> str:
        assert meeting.time is not None  # the service schedules only meetings with a time
        start = datetime.combine(meeting.date, time.fromisoformat(meeting.time))
        body: dict[str, Any] = {
            "title": f"{await self.chapter_name()}: meeting",
            "description": f"The next meeting, agreed at the meeting of {content.meeting_date.isoformat()}.",
            "start": start.isoformat(timespec="minutes"),
            "end": (start + MEETING_LENGTH).isoformat(timespec="minutes"),
            "timezone": self.timezone,
            "category": "MEETING",
            "visibility": content.visibility.value,
            "language": content.language,
        }
        if meeting.place:
            body["location"] = {"name": meeting.place}
        draft = parse_event_input(body, default_timezone=self.timezone, default_language=content.language)
        event = await self.events.create(draft)
        return event.id
