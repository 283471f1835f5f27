"""A member chapter tells its network whom it sends to the network's meetings
(docs/networks.md, "Coordination meetings and representatives").

The representative at a meeting is whoever holds the chapter's facilitator
office when it starts (fedchapter.networks.representatives). The chapter says
so when a meeting of a network it belongs to arrives or changes, when it
becomes a member (for the meetings it already has), and whenever the office
changes hands: each time for every meeting still to come, naming the holders
at that meeting's start (nobody, when the office is empty). What the courier
sends replaces what the chapter said before; the network keeps the latest.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Protocol

from fedchapter.clock import utc_now
from fedchapter.events import recurrence
from fedchapter.events.records import RemoteEvent
from fedchapter.networks.representatives import REPRESENTATIVE_OFFICE, holders_at
from fedchapter.role_terms import Holder, RoleTerm
from fedchapter.roles import Role
from fedchapter.services.events import HORIZON

# Whether this chapter is a member of that network (its affiliation).
MemberOf = Callable[[str], Awaitable[bool]]
# Every term of the representative office, current and past.
RepresentativeTerms = Callable[[], Awaitable[list[RoleTerm]]]


class MeetingStore(Protocol):
    async def overlapping(self, start_utc: datetime, end_utc: datetime) -> list[RemoteEvent]: ...


class RepresentativeCourier(Protocol):
    async def name(self, network: str, meeting: str, holders: tuple[Holder, ...], said_at: datetime) -> None:
        """Tell ``network`` that ``holders`` represent us at its event ``meeting``."""


class RepresentativeNaming:
    def __init__(
        self, meetings: MeetingStore, terms: RepresentativeTerms, member_of: MemberOf,
        courier: RepresentativeCourier, *, clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.meetings = meetings
        self.terms = terms
        self.member_of = member_of
        self.courier = courier
        self.clock = clock

    async def meeting_arrived(self, remote: RemoteEvent) -> None:
        """A network's event arrived or changed: name our representative there."""
        if await self.member_of(remote.chapter):
            await self._name(remote, await self.terms())

    async def became_member(self, network: str) -> None:
        """Our affiliation was accepted: name a representative at each of its meetings we have."""
        await self._name_all(lambda chapter: chapter == network)

    async def offices_changed(self, offices: frozenset[Role]) -> None:
        """Offices changed hands (fedchapter.services.roles): if the
        representative office was one, tell each network again."""
        if REPRESENTATIVE_OFFICE in offices:
            await self._name_all(None)

    async def _name_all(self, network: Callable[[str], bool] | None) -> None:
        now = self.clock()
        meetings = [remote for remote in await self.meetings.overlapping(now, now + HORIZON)
                    if network is None or network(remote.chapter)]
        members = {chapter for chapter in {remote.chapter for remote in meetings} if await self.member_of(chapter)}
        if not members:
            return
        terms = await self.terms()
        for remote in meetings:
            if remote.chapter in members:
                await self._name(remote, terms)

    async def _name(self, remote: RemoteEvent, terms: list[RoleTerm]) -> None:
        now = self.clock()
        end = recurrence.series_end_utc(remote.event)
        if end is not None and end <= now:
            return  # over: who went is settled
        # The next meeting of a series (or the one under way), else (years
        # ahead) its first: whoever holds the office as it starts.
        occurrence = recurrence.next_occurrence(remote.event, now)
        start = remote.event.start_utc if occurrence is None else occurrence.start_utc
        await self.courier.name(remote.chapter, remote.ap_id, holders_at(terms, start), now)
