"""Events "from around the movement": those of the chapters we follow, kept
up to date by their Update and Delete, dropped once over, and shown beside
our own in the network calendar.

Which senders are followed chapters is the inbox's check; this service keeps
the events and answers the calendar.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from fedchapter.clock import utc_now
from fedchapter.events import recurrence
from fedchapter.events.model import Event
from fedchapter.events.recurrence import Occurrence
from fedchapter.events.records import RemoteEvent
from fedchapter.networks.representatives import representatives_at
from fedchapter.readers import Reader
from fedchapter.role_terms import RoleTerm
from fedchapter.services.events import HORIZON, UPCOMING_WINDOW, EventService


# The actors the chapter follows now (an unfollowed chapter's events go).
FollowedChapters = Callable[[], Awaitable[set[str]]]
# Whether this chapter is a member of that network (its affiliation).
MemberOf = Callable[[str], Awaitable[bool]]
# Every term of the office whose holder represents the chapter at its
# networks' meetings (fedchapter.networks.representatives).
RepresentativeTerms = Callable[[], Awaitable[list[RoleTerm]]]


class NetworkEventStore(Protocol):
    async def save(self, remote: RemoteEvent) -> None: ...
    async def get(self, ap_id: str) -> RemoteEvent | None: ...
    async def remove(self, ap_id: str) -> bool: ...
    async def remove_from(self, chapter: str) -> int: ...
    async def remove_ended(self, now: datetime) -> int: ...
    async def overlapping(self, start_utc: datetime, end_utc: datetime) -> list[RemoteEvent]: ...


@dataclass(frozen=True)
class NetworkEntry:
    """One occurrence in the network calendar; `remote` is None for our own events."""

    event: Event
    occurrence: Occurrence
    remote: RemoteEvent | None = None
    # A meeting of a network we are a member of: our representative(s) for
    # that date (empty while nobody holds the office); None for other events.
    representatives: tuple[str, ...] | None = None


class NetworkEventService:
    def __init__(
        self,
        store: NetworkEventStore,
        own: EventService,
        *,
        followed: FollowedChapters | None = None,
        clock: Callable[[], datetime] = utc_now,
        member_of: MemberOf | None = None,
        representative_terms: RepresentativeTerms | None = None,
        on_kept: Callable[[RemoteEvent], Awaitable[None]] | None = None,
    ) -> None:
        self.store = store
        self.own = own
        self.followed = followed
        self.clock = clock
        self.member_of = member_of
        self.representative_terms = representative_terms
        # Told of each event kept (new or changed): a member chapter names its
        # representative at its networks' meetings (representative_naming).
        self.on_kept = on_kept

    async def receive(self, remote: RemoteEvent) -> bool:
        """Keep a new or updated event; one already over is not kept (False)."""
        end = recurrence.series_end_utc(remote.event)
        if end is not None and end <= self.clock():
            await self.store.remove(remote.ap_id)
            return False
        earlier = await self.store.get(remote.ap_id)
        if earlier is not None and earlier.chapter != remote.chapter:
            return False  # one chapter cannot overwrite another's event
        await self.store.save(remote)
        if self.on_kept is not None:
            await self.on_kept(remote)
        return True

    async def remove(self, ap_id: str, chapter: str) -> bool:
        earlier = await self.store.get(ap_id)
        if earlier is None or earlier.chapter != chapter:
            return False
        return await self.store.remove(ap_id)

    async def forget_chapter(self, chapter: str) -> int:
        return await self.store.remove_from(chapter)

    async def get(self, ap_id: str) -> RemoteEvent | None:
        return await self.store.get(ap_id)

    async def remote_upcoming(self, *, window: timedelta = HORIZON) -> list[RemoteEvent]:
        """Events of followed chapters not over yet; those over, or of a chapter
        we no longer follow, are dropped on the way."""
        now = self.clock()
        await self.store.remove_ended(now)
        found = await self.store.overlapping(now, now + window)
        if self.followed is None:
            return found
        following = await self.followed()
        for chapter in {remote.chapter for remote in found} - following:
            await self.store.remove_from(chapter)
        return [remote for remote in found if remote.chapter in following]

    async def calendar(self, reader: Reader, *, limit: int, window: timedelta = UPCOMING_WINDOW) -> list[NetworkEntry]:
        """Our occurrences (as this reader may see them) and the followed
        chapters' ones, soonest first."""
        now = self.clock()
        entries = [NetworkEntry(dated.event, dated.occurrence)
                   for dated in await self.own.upcoming(reader, limit=limit, window=window)]
        for remote in await self.remote_upcoming(window=window):
            for occurrence in recurrence.occurrences(remote.event, now, now + window, limit=limit):
                entries.append(NetworkEntry(remote.event, occurrence, remote))
        entries.sort(key=lambda entry: (entry.occurrence.start_utc, entry.event.id))
        return await self._representing(entries[:limit])

    async def next_of_each(self, reader: Reader, *, window: timedelta = HORIZON) -> list[NetworkEntry]:
        """Each event once (ours and the followed chapters'), at its next date."""
        now = self.clock()
        entries = [NetworkEntry(dated.event, dated.occurrence)
                   for dated in await self.own.next_of_each(reader, window=window)]
        for remote in await self.remote_upcoming(window=window):
            occurrence = recurrence.next_occurrence(remote.event, now)
            if occurrence is None:
                occurrence = next(iter(recurrence.occurrences(remote.event, now, now + window, limit=1)), None)
            if occurrence is not None:
                entries.append(NetworkEntry(remote.event, occurrence, remote))
        entries.sort(key=lambda entry: (entry.occurrence.start_utc, entry.event.id))
        return await self._representing(entries)

    async def _representing(self, entries: list[NetworkEntry]) -> list[NetworkEntry]:
        """Name our representative on each meeting of a network we belong to."""
        if self.member_of is None or self.representative_terms is None:
            return entries
        networks = {entry.remote.chapter for entry in entries if entry.remote is not None}
        ours = {network for network in networks if await self.member_of(network)}
        if not ours:
            return entries
        terms = await self.representative_terms()
        return [
            replace(entry, representatives=representatives_at(terms, entry.occurrence.start_utc))
            if entry.remote is not None and entry.remote.chapter in ours else entry
            for entry in entries
        ]
