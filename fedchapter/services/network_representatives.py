"""On a network: whom each member chapter sends to the network's meetings
(docs/networks.md, "Coordination meetings and representatives").

A member chapter names its representatives for one of our events (a Join of
the event signed by the chapter itself: its word is its vouching); the latest
it said is kept. The event's page and API list every member chapter with whom
it named, or that it has named nobody yet.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from fedchapter.clock import utc_now
from fedchapter.events import recurrence
from fedchapter.events.model import Event
from fedchapter.networks.model import AffiliationStatus, MemberChapter
from fedchapter.networks.representatives import (
    ChapterRepresentation,
    NamedRepresentative,
    RepresentativesRefused,
    check_representatives,
)

# Enough for every member chapter of any network we serve.
MAX_CHAPTERS = 10_000


class RepresentativeStore(Protocol):
    async def put(
        self, event_id: str, chapter: str, named: tuple[NamedRepresentative, ...], said_at: datetime,
        received_at: datetime,
    ) -> None: ...
    async def for_event(self, event_id: str) -> dict[str, tuple[tuple[NamedRepresentative, ...], datetime]]: ...


class MemberChapters(Protocol):
    async def is_network(self) -> bool: ...
    async def chapter_by_actor(self, actor: str) -> MemberChapter | None: ...
    async def chapters(self, statuses: tuple[AffiliationStatus, ...], limit: int, offset: int = 0) -> list[MemberChapter]: ...


class EventFinder(Protocol):
    async def find(self, event_id: str) -> Event | None: ...


class NetworkRepresentativeService:
    def __init__(
        self, store: RepresentativeStore, chapters: MemberChapters, events: EventFinder,
        *, clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.store = store
        self.chapters = chapters
        self.events = events
        self.clock = clock

    async def receive(
        self, event_id: str, chapter: str, named: tuple[NamedRepresentative, ...], said_at: datetime | None,
    ) -> None:
        """Keep whom a member chapter names for one of our events, unless it
        already said something later. Refused (with the reason): we are no
        network, the sender is no member chapter, no such event, it is over."""
        if not await self.chapters.is_network():
            raise RepresentativesRefused("this chapter is not a network; it takes no representatives")
        member = await self.chapters.chapter_by_actor(chapter)
        if member is None or member.status is not AffiliationStatus.MEMBER:
            raise RepresentativesRefused(f"{chapter} is not a member chapter of this network")
        event = await self.events.find(event_id)
        if event is None:
            raise RepresentativesRefused("no such event")
        now = self.clock()
        end = recurrence.series_end_utc(event)
        if end is not None and end <= now:
            raise RepresentativesRefused("the event is over; who went is settled")
        named = check_representatives(named)
        # A time in the future (a clock ahead) would hold back every later word: the receipt time stands in.
        said = now if said_at is None or said_at > now else said_at
        await self.store.put(event_id, chapter, named, said, now)

    async def for_event(self, event_id: str) -> list[ChapterRepresentation] | None:
        """Every member chapter with whom it named for this event of ours,
        by chapter name; None where we are no network."""
        if not await self.chapters.is_network():
            return None
        named = await self.store.for_event(event_id)
        members = await self.chapters.chapters((AffiliationStatus.MEMBER,), MAX_CHAPTERS)
        found: list[ChapterRepresentation] = []
        for member in members:
            kept = named.get(member.actor)
            found.append(ChapterRepresentation(
                chapter=member.actor, chapter_name=member.name,
                representatives=kept[0] if kept else (), said_at=kept[1] if kept else None,
            ))
        return sorted(found, key=lambda one: (one.chapter_name.casefold(), one.chapter))
