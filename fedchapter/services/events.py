"""Use cases of the chapter's own events: publish, edit, cancel, delete,
change one occurrence, and list what is coming up or is past.

Every change is announced through the Publisher port inside the same
transaction as the write: a new event goes out as Create, an edit or a
cancellation (status CANCELLED) as Update, a deletion as Delete (the
publisher leaves a Tombstone, so the URL answers 410). Members-only events
answer "not found" to anyone who may not see them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from fedchapter.clock import utc_now
from fedchapter.errors import NotFound
from fedchapter.events import recurrence
from fedchapter.events.model import Event
from fedchapter.events.records import PublishedEvent, RsvpCounts
from fedchapter.events.recurrence import Occurrence
from fedchapter.events.validation import EventDraft
from fedchapter.publishing import Change, Publisher, UnitOfWork, Verb
from fedchapter.readers import Reader
from fedchapter.tokens import new_short_id
from fedchapter.visibility import Visibility

# How far ahead "upcoming" looks, and how far back "past" does.
UPCOMING_WINDOW = timedelta(days=366)
# How far ahead a list of events (each once, at its next date) looks.
HORIZON = timedelta(days=366 * 10)
PAST_WINDOW = timedelta(days=3 * 366)


class EventStore(Protocol):
    async def save(self, event: Event, *, author_user_id: int | None = None) -> None: ...
    async def get(self, event_id: str) -> Event | None: ...
    async def delete(self, event_id: str) -> bool: ...
    async def overlapping(self, start_utc: datetime, end_utc: datetime, *,
                          visibilities: Iterable[Visibility]) -> list[Event]: ...


class RsvpCounter(Protocol):
    async def counts(self, event_id: str) -> RsvpCounts: ...


@dataclass(frozen=True)
class Dated:
    """One occurrence of one event, as a calendar lists it."""

    event: Event
    occurrence: Occurrence


def visible_to(reader: Reader) -> tuple[Visibility, ...]:
    return tuple(visibility for visibility in Visibility if reader.may_see(visibility))


def expand(events: Iterable[Event], start_utc: datetime, end_utc: datetime) -> list[Dated]:
    """Every occurrence (cancelled ones included, marked) overlapping the window, by start."""
    found = [Dated(event, occurrence) for event in events
             for occurrence in recurrence.occurrences(event, start_utc, end_utc)]
    return sorted(found, key=lambda dated: (dated.occurrence.start_utc, dated.event.id))


class EventService:
    def __init__(
        self,
        events: EventStore,
        rsvps: RsvpCounter,
        publisher: Publisher,
        unit_of_work: UnitOfWork,
        *,
        clock: Callable[[], datetime] = utc_now,
        new_id: Callable[[], str] = new_short_id,
    ) -> None:
        self.events = events
        self.rsvps = rsvps
        self.publisher = publisher
        self.unit_of_work = unit_of_work
        self.clock = clock
        self.new_id = new_id

    async def published(self, event: Event) -> PublishedEvent:
        """The event with its counts, as it goes out and as servers fetch it."""
        return PublishedEvent(event, await self.rsvps.counts(event.id), self.clock())

    async def announce(self, verb: Verb, event: Event) -> None:
        await self.publisher.publish(Change(verb, await self.published(event), visibility=event.visibility))

    # Writing -------------------------------------------------------------------
    async def create(self, draft: EventDraft, *, author_user_id: int | None = None) -> Event:
        event = draft.to_event(event_id=self.new_id(), now=self.clock())
        async with self.unit_of_work.transaction():
            await self.events.save(event, author_user_id=author_user_id)
            await self.announce(Verb.CREATE, event)
        return event

    async def _existing(self, event_id: str) -> Event:
        event = await self.events.get(event_id)
        if event is None:
            raise NotFound("no such event")
        return event

    async def _replace(self, before: Event, after: Event) -> Event:
        async with self.unit_of_work.transaction():
            await self.events.save(after)
            if before.visibility is Visibility.PUBLIC and after.visibility is Visibility.MEMBERS:
                # Narrowed: followers must drop their copy; members get it afresh.
                await self.publisher.publish(Change(Verb.DELETE, await self.published(before),
                                                    visibility=Visibility.PUBLIC))
                await self.announce(Verb.CREATE, after)
            else:
                await self.announce(Verb.UPDATE, after)
        return after

    async def update(self, event_id: str, draft: EventDraft) -> Event:
        before = await self._existing(event_id)
        return await self._replace(before, draft.apply_to(before, now=self.clock()))

    async def cancel(self, event_id: str) -> Event:
        """The whole event called off: an Update with status CANCELLED."""
        before = await self._existing(event_id)
        if before.is_cancelled:
            return before
        return await self._replace(before, before.cancelled(now=self.clock()))

    async def cancel_occurrence(self, event_id: str, original_start: datetime) -> Event:
        before = await self._existing(event_id)
        after = recurrence.cancel_occurrence(before, original_start, now=self.clock())
        return await self._replace(before, after)

    async def move_occurrence(self, event_id: str, original_start: datetime,
                              start_local: datetime, end_local: datetime) -> Event:
        before = await self._existing(event_id)
        after = recurrence.move_occurrence(before, original_start, start_local, end_local, now=self.clock())
        return await self._replace(before, after)

    async def restore_occurrence(self, event_id: str, original_start: datetime) -> Event:
        before = await self._existing(event_id)
        return await self._replace(before, before.without_change(original_start, now=self.clock()))

    async def delete(self, event_id: str) -> None:
        event = await self._existing(event_id)
        async with self.unit_of_work.transaction():
            await self.events.delete(event.id)
            await self.publisher.publish(Change(Verb.DELETE, await self.published(event),
                                                visibility=event.visibility))

    # Reading -------------------------------------------------------------------
    async def find(self, event_id: str) -> Event | None:
        """The event whoever asks (for RSVPs, which check visibility themselves)."""
        return await self.events.get(event_id)

    async def get(self, event_id: str, reader: Reader) -> Event:
        """The event if this reader may see it; NotFound otherwise (never Forbidden)."""
        event = await self.events.get(event_id)
        if event is None or not reader.may_see(event.visibility):
            raise NotFound("no such event")
        return event

    async def upcoming(self, reader: Reader, *, limit: int, window: timedelta = UPCOMING_WINDOW,
                       start: datetime | None = None) -> list[Dated]:
        """Occurrences not yet over, soonest first (recurring events expanded),
        in the `window` from now or from a later `start` (the calendar's next page)."""
        now = self.clock()
        begin = now if start is None or start < now else start
        events = await self.events.overlapping(begin, begin + window, visibilities=visible_to(reader))
        return expand(events, begin, begin + window)[:limit]

    async def between(self, reader: Reader, start_utc: datetime, end_utc: datetime) -> list[Dated]:
        """Every occurrence overlapping [start, end), past or not, cancelled ones
        included (marked), by start: a month of the calendar's grid."""
        events = await self.events.overlapping(start_utc, end_utc, visibilities=visible_to(reader))
        return expand(events, start_utc, end_utc)

    async def past(self, reader: Reader, *, limit: int, window: timedelta = PAST_WINDOW) -> list[Dated]:
        """Occurrences already over, most recent first."""
        now = self.clock()
        events = await self.events.overlapping(now - window, now, visibilities=visible_to(reader))
        ended = [dated for dated in expand(events, now - window, now) if dated.occurrence.end_utc <= now]
        return list(reversed(ended))[:limit]

    async def next_of_each(self, reader: Reader, *, window: timedelta = HORIZON) -> list[Dated]:
        """Each event not over yet once, at its next occurrence not cancelled
        (or its cancelled date, for a cancelled one-off), soonest first."""
        now = self.clock()
        events = await self.events.overlapping(now, now + window, visibilities=visible_to(reader))
        found: list[Dated] = []
        for event in events:
            occurrence = recurrence.next_occurrence(event, now)
            if occurrence is None and event.is_cancelled:
                occurrence = next(iter(recurrence.occurrences(event, now, now + window, limit=1)), None)
            if occurrence is not None:
                found.append(Dated(event, occurrence))
        return sorted(found, key=lambda dated: (dated.occurrence.start_utc, dated.event.id))

    async def public_upcoming_events(self, *, window: timedelta = HORIZON) -> list[Event]:
        """Public events not over yet (the Group's events collection, the calendar feed)."""
        now = self.clock()
        return await self.events.overlapping(now, now + window, visibilities=(Visibility.PUBLIC,))

    async def calendar_events(self, reader: Reader, *, past: timedelta = timedelta(days=92),
                              window: timedelta = HORIZON) -> list[Event]:
        """Events for an iCalendar feed: recent and coming ones, as this reader may see."""
        now = self.clock()
        return await self.events.overlapping(now - past, now + window, visibilities=visible_to(reader))

