"""RSVPs: members and supporters on the site and the API, and remote actors
through ActivityPub (Join, Leave, Like, Undo).

Every answer is a JoinDecision (rsvp.decide_join), so the site, the API and
the inbox refuse for the same reasons; the inbox turns it into Accept or
Reject. A change of the counts goes out as an Update(Event) in the same
transaction, so followers' copies show how many are going.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from fedchapter.clock import utc_now
from fedchapter.errors import Conflict, Forbidden, NotFound
from fedchapter.events.model import Event
from fedchapter.events.records import Rsvp, RsvpCounts
from fedchapter.events.rsvp import (
    JoinDecision,
    JoinOutcome,
    JoinReason,
    RsvpStatus,
    decide_join,
)
from fedchapter.publishing import UnitOfWork, Verb
from fedchapter.roles import Permission, Role, can
from fedchapter.services.events import EventService
from fedchapter.visibility import Visibility


class RsvpStore(Protocol):
    async def save(self, rsvp: Rsvp) -> None: ...
    async def get(self, event_id: str, participant: str) -> Rsvp | None: ...
    async def by_join_activity(self, join_activity: str) -> Rsvp | None: ...
    async def remove(self, event_id: str, participant: str) -> bool: ...
    async def counts(self, event_id: str) -> RsvpCounts: ...
    async def of_event(self, event_id: str) -> list[Rsvp]: ...


class InvitationCheck(Protocol):
    async def is_invited(self, event_id: str, invitee: str) -> bool: ...


REFUSALS: dict[JoinReason, str] = {
    JoinReason.FULL: "the event is full",
    JoinReason.CANCELLED: "the event is cancelled",
    JoinReason.PAST: "the event is over",
    JoinReason.INVITE_ONLY: "the event is by invitation only; ask the organisers to invite you",
    JoinReason.EXTERNAL: "register on the organisers' site instead",
}


class RsvpRefused(Conflict):
    """A Join the event cannot take (full, cancelled, over...): 409 on the site
    and the API, a Reject over ActivityPub."""

    def __init__(self, reason: JoinReason) -> None:
        super().__init__(REFUSALS.get(reason, reason.value))
        self.reason = reason


class RsvpService:
    def __init__(
        self,
        events: EventService,
        rsvps: RsvpStore,
        unit_of_work: UnitOfWork,
        *,
        invitations: InvitationCheck | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.events = events
        self.rsvps = rsvps
        self.unit_of_work = unit_of_work
        self.invitations = invitations
        self.clock = clock

    async def counts(self, event_id: str) -> RsvpCounts:
        return await self.rsvps.counts(event_id)

    async def answer_of(self, event_id: str, participant: str) -> Rsvp | None:
        return await self.rsvps.get(event_id, participant)

    async def participants(self, event_id: str) -> list[Rsvp]:
        return await self.rsvps.of_event(event_id)

    async def _decide(self, event: Event, participant: str, status: RsvpStatus) -> tuple[JoinDecision, Rsvp | None]:
        earlier = await self.rsvps.get(event.id, participant)
        counts = await self.rsvps.counts(event.id)
        already_going = earlier is not None and earlier.status is RsvpStatus.GOING and not earlier.pending
        going = counts.going - (1 if already_going else 0)
        invited = self.invitations is not None and await self.invitations.is_invited(event.id, participant)
        decision = decide_join(event, going, self.clock(), status=status, already_going=already_going,
                               invited=invited)
        return decision, earlier

    async def _record(self, event: Event, participant: str, status: RsvpStatus, *,
                      username: str | None, join_activity: str | None) -> JoinDecision:
        """Decide, store, and announce the new counts; RsvpRefused when refused."""
        async with self.unit_of_work.transaction():
            decision, earlier = await self._decide(event, participant, status)
            if decision.outcome is JoinOutcome.REJECTED:
                raise RsvpRefused(decision.reason)
            now = self.clock()
            if status is RsvpStatus.NOT_GOING:
                changed = await self.rsvps.remove(event.id, participant)
            else:
                await self.rsvps.save(Rsvp(
                    event_id=event.id, participant=participant, status=status, username=username,
                    pending=decision.pending, join_activity=join_activity,
                    created_at=earlier.created_at if earlier else now, updated_at=now,
                ))
                changed = earlier is None or earlier.status is not status or earlier.pending != decision.pending
            if changed:
                await self.events.announce(Verb.UPDATE, event)
        return decision

    # On the site and through the API -------------------------------------------
    async def rsvp(self, event_id: str, status: RsvpStatus, *, username: str, actor_id: str,
                   role: Role | str) -> JoinDecision:
        """A local account's answer. Members and supporters may RSVP; a
        members-only event is not found by anyone else."""
        event = await self.events.find(event_id)
        if event is None or (event.visibility is Visibility.MEMBERS and not can(role, Permission.SEE_MEMBERS_ONLY)):
            raise NotFound("no such event")
        if not can(role, Permission.RSVP):
            raise Forbidden("your role may not RSVP")
        return await self._record(event, actor_id, status, username=username, join_activity=None)

    # Over ActivityPub ----------------------------------------------------------
    async def _remote_event(self, event_id: str, *, is_member: bool) -> Event:
        event = await self.events.find(event_id)
        if event is None or (event.visibility is Visibility.MEMBERS and not is_member):
            raise NotFound("no such event")
        return event

    async def join(self, event_id: str, actor: str, join_activity: str, *, is_member: bool) -> JoinDecision:
        """A remote Join: the decision to answer with (RsvpRefused for a Reject)."""
        event = await self._remote_event(event_id, is_member=is_member)
        return await self._record(event, actor, RsvpStatus.GOING, username=None, join_activity=join_activity)

    async def leave(self, event_id: str, actor: str) -> bool:
        """A remote Leave (or Undo of its Join): True if they were going."""
        event = await self.events.find(event_id)
        if event is None or await self.rsvps.get(event.id, actor) is None:
            return False
        await self._record(event, actor, RsvpStatus.NOT_GOING, username=None, join_activity=None)
        return True

    async def undo_join(self, join_activity: str, actor: str) -> bool:
        rsvp = await self.rsvps.by_join_activity(join_activity)
        if rsvp is None or rsvp.participant != actor:
            return False
        return await self.leave(rsvp.event_id, actor)

    async def like(self, event_id: str, actor: str, *, is_member: bool) -> bool:
        """A remote Like counts as "interested" (it never lowers a Join)."""
        event = await self._remote_event(event_id, is_member=is_member)
        earlier = await self.rsvps.get(event.id, actor)
        if earlier is not None:
            return False
        await self._record(event, actor, RsvpStatus.INTERESTED, username=None, join_activity=None)
        return True

    async def unlike(self, event_id: str, actor: str) -> bool:
        earlier = await self.rsvps.get(event_id, actor)
        if earlier is None or earlier.status is not RsvpStatus.INTERESTED:
            return False
        return await self.leave(event_id, actor)
