"""The organisers' side of joining an event: answering the requests an
"organiser approves" event keeps, and inviting people to an "invited only"
one (local accounts and fediverse actors alike).

A remote participant hears the answer as an Accept or a Reject of their Join
(through ``JoinAnswers``, which federation provides), queued in the same
transaction as the change, so an answer is never lost nor sent for a change
that was not stored.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Protocol

from fedchapter.clock import utc_now
from fedchapter.errors import N_, Conflict, NotFound, ValidationError
from fedchapter.events.model import Event
from fedchapter.events.records import EventInvitation, Rsvp, RsvpCounts
from fedchapter.events.rsvp import JoinOutcome, decide_join
from fedchapter.publishing import UnitOfWork, Verb
from fedchapter.services.events import EventService
from fedchapter.services.remote_members import (
    ActorResolver,
    parse_actor_reference,
    resolve_actor,
)
from fedchapter.services.rsvps import RsvpRefused

DECLINED = "the organisers declined the request"


class PendingRsvps(Protocol):
    async def get(self, event_id: str, participant: str) -> Rsvp | None: ...
    async def save(self, rsvp: Rsvp) -> None: ...
    async def remove(self, event_id: str, participant: str) -> bool: ...
    async def counts(self, event_id: str) -> RsvpCounts: ...
    async def pending_of_event(self, event_id: str) -> list[Rsvp]: ...


class InvitationStore(Protocol):
    async def add(self, invitation: EventInvitation) -> bool: ...
    async def get(self, event_id: str, invitee: str) -> EventInvitation | None: ...
    async def remove(self, event_id: str, invitee: str) -> bool: ...
    async def of_event(self, event_id: str) -> list[EventInvitation]: ...


class JoinAnswers(Protocol):
    """Tells a remote participant the organisers' answer to their Join."""

    async def accept(self, event: Event, rsvp: Rsvp) -> None: ...
    async def reject(self, event: Event, rsvp: Rsvp, reason: str) -> None: ...


class LocalPeople(Protocol):
    """Our own accounts, as actors: who an invitation names."""

    host: str

    async def actor_of(self, username: str) -> str | None: ...
    def username_of(self, actor_id: str) -> str | None: ...


class EventAdmissionService:
    def __init__(
        self,
        events: EventService,
        rsvps: PendingRsvps,
        invitations: InvitationStore,
        answers: JoinAnswers,
        people: LocalPeople,
        resolver: ActorResolver | None,
        unit_of_work: UnitOfWork,
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.events = events
        self.rsvps = rsvps
        self.invitations = invitations
        self.answers = answers
        self.people = people
        self.resolver = resolver
        self.unit_of_work = unit_of_work
        self.clock = clock

    async def _event(self, event_id: str) -> Event:
        event = await self.events.find(event_id)
        if event is None:
            raise NotFound("no such event")
        return event

    # Requests ---------------------------------------------------------------
    async def requests(self, event_id: str) -> list[Rsvp]:
        """Who waits for an answer, oldest first."""
        return await self.rsvps.pending_of_event((await self._event(event_id)).id)

    async def answer(self, event_id: str, participant: str, *, accept: bool) -> Rsvp:
        """Accept or refuse one waiting request. A request that was withdrawn
        or answered already is refused with the reason; so is accepting into
        a full (or cancelled, or past) event. Nothing changes then."""
        event = await self._event(event_id)
        async with self.unit_of_work.transaction():
            rsvp = await self.rsvps.get(event.id, participant)
            if rsvp is None:
                raise NotFound(f"there is no request from {participant}: it was withdrawn or refused")
            if not rsvp.pending:
                raise Conflict(f"the request from {participant} was already accepted")
            if accept:
                answered = await self._accept(event, rsvp)
            else:
                await self.rsvps.remove(event.id, participant)
                answered = rsvp
                if rsvp.join_activity is not None:
                    await self.answers.reject(event, rsvp, DECLINED)
            await self.events.announce(Verb.UPDATE, event)
        return answered

    async def _accept(self, event: Event, rsvp: Rsvp) -> Rsvp:
        counts = await self.rsvps.counts(event.id)
        decision = decide_join(event, counts.going, self.clock(), approving=True)
        if decision.outcome is JoinOutcome.REJECTED:
            raise RsvpRefused(decision.reason)
        accepted = replace(rsvp, pending=False, updated_at=self.clock())
        await self.rsvps.save(accepted)
        if rsvp.join_activity is not None:
            await self.answers.accept(event, accepted)
        return accepted

    # Invitations ------------------------------------------------------------
    async def invitations_of(self, event_id: str) -> list[EventInvitation]:
        return await self.invitations.of_event((await self._event(event_id)).id)

    async def invite(self, event_id: str, reference: str, *, invited_by: str) -> EventInvitation:
        """Invite a local account (``name``, ``@name@our-host``) or a fediverse
        actor (``@name@host``, an actor URL). Someone who cannot be found is
        refused (ValidationError on ``actor``) and nothing is stored."""
        event = await self._event(event_id)
        invitee, label = await self._invitee(reference)
        invitation = EventInvitation(event_id=event.id, invitee=invitee, label=label, invited_by=invited_by,
                                     created_at=self.clock())
        if not await self.invitations.add(invitation):
            earlier = await self.invitations.get(event.id, invitee)
            assert earlier is not None
            return earlier
        return invitation

    async def uninvite(self, event_id: str, invitee: str) -> None:
        """Withdraw an invitation (an answer already given stays)."""
        event = await self._event(event_id)
        if not await self.invitations.remove(event.id, invitee):
            raise NotFound(f"{invitee} was not invited to this event")

    async def _invitee(self, reference: str) -> tuple[str, str]:
        """(actor id, label) of whoever ``reference`` names."""
        text = reference.strip()
        if text and "@" not in text and not text.startswith(("http://", "https://")):
            return await self._local(text)
        kind, value = parse_actor_reference(text)
        if kind == "handle":
            name, _, host = value[1:].partition("@")
            if host == self.people.host.lower():
                return await self._local(name)
        else:
            username = self.people.username_of(value)
            if username is not None:
                return await self._local(username)
        actor = await resolve_actor(self.resolver, kind, value)
        return actor.id, actor.handle or actor.id

    async def _local(self, username: str) -> tuple[str, str]:
        actor = await self.people.actor_of(username)
        if actor is None:
            raise ValidationError("actor", N_("there is no account named %(username)s here"), username=username)
        return actor, username

