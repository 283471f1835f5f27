"""The organisers' side of joining: requests to an "organiser approves" event
are answered (Accept/Reject go to remote participants), and an "invited only"
event takes the invited, local or remote, and refuses others with a reason."""
from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from fedchapter.actors import RemoteActor
from fedchapter.errors import Conflict, NotFound, ValidationError
from fedchapter.events.model import Event
from fedchapter.events.records import Rsvp
from fedchapter.events.rsvp import RsvpStatus
from fedchapter.events.validation import parse_event_input
from fedchapter.roles import Role
from fedchapter.services.event_admission import EventAdmissionService
from fedchapter.services.events import EventService
from fedchapter.services.rsvps import RsvpRefused, RsvpService
from storage.event_invitations import EventInvitationRepository
from storage.events import EventRepository
from storage.migrations import open_database
from tests.support.postgres import database_for
from storage.rsvps import RsvpRepository
from tests.fedchapter.services.test_proposal_service import RecordingPublisher
from tests.support.clock import FakeClock

OURS = "http://london.test/actors/"
REMOTE = "https://mobilizon.example/@ana"


@dataclass
class SentAnswers:
    sent: list[tuple[str, str, str | None]] = field(default_factory=list)

    async def accept(self, event: Event, rsvp: Rsvp) -> None:
        self.sent.append(("Accept", rsvp.participant, rsvp.join_activity))

    async def reject(self, event: Event, rsvp: Rsvp, reason: str) -> None:
        self.sent.append(("Reject", rsvp.participant, rsvp.join_activity))


class People:
    host = "london.test"

    async def actor_of(self, username: str) -> str | None:
        return OURS + username if username in {"priya", "tom"} else None

    def username_of(self, actor_id: str) -> str | None:
        return actor_id.removeprefix(OURS) if actor_id.startswith(OURS) else None


class Resolver:
    async def get(self, actor_id: str, *, refresh: bool = False) -> RemoteActor:
        if actor_id != REMOTE:
            raise LookupError("the server answered 404")
        return RemoteActor(id=REMOTE, type="Person", inbox=REMOTE + "/inbox", public_key_id=REMOTE + "#key",
                           public_key_pem="", fetched_at=datetime(2026, 1, 1, tzinfo=UTC), preferred_username="ana")

    async def by_handle(self, handle: str) -> RemoteActor:
        if handle != "@ana@mobilizon.example":
            raise LookupError("no such account (WebFinger 404)")
        return await self.get(REMOTE)


@dataclass
class Setup:
    events: EventService
    rsvps: RsvpService
    admission: EventAdmissionService
    answers: SentAnswers
    invitations: EventInvitationRepository


@pytest.fixture
async def setup(tmp_path: Path) -> AsyncIterator[Setup]:
    database = await open_database(database_for(tmp_path / "db.sqlite3"))
    clock = FakeClock(datetime(2026, 1, 1, 12, 0, tzinfo=UTC))
    ids = iter(f"e{number}" for number in range(1, 100))
    rsvp_store, invitations = RsvpRepository(database), EventInvitationRepository(database)
    events = EventService(EventRepository(database), rsvp_store, RecordingPublisher(), database,
                          clock=clock, new_id=lambda: next(ids))
    answers = SentAnswers()
    yield Setup(
        events=events,
        rsvps=RsvpService(events, rsvp_store, database, invitations=invitations, clock=clock),
        admission=EventAdmissionService(events, rsvp_store, invitations, answers, People(), Resolver(), database,
                                        clock=clock),
        answers=answers, invitations=invitations,
    )
    await database.close()


async def event(setup: Setup, **changes: Any) -> Event:
    body: dict[str, Any] = {"title": "Training", "start": "2026-01-27T18:30", "end": "2026-01-27T20:30",
                            "timezone": "Europe/London"}
    return await setup.events.create(parse_event_input({**body, **changes}, default_timezone="UTC"))


async def test_an_organiser_accepts_a_remote_join_and_refuses_a_local_request(setup: Setup) -> None:
    training = await event(setup, join_mode="restricted")
    assert (await setup.rsvps.join(training.id, REMOTE, "https://mobilizon.example/join/1", is_member=False)).pending
    local = await setup.rsvps.rsvp(training.id, RsvpStatus.GOING, username="priya", actor_id=OURS + "priya",
                                   role=Role.MEMBER)
    assert local.pending
    assert {r.participant for r in await setup.admission.requests(training.id)} == {REMOTE, OURS + "priya"}

    accepted = await setup.admission.answer(training.id, REMOTE, accept=True)
    assert not accepted.pending
    await setup.admission.answer(training.id, OURS + "priya", accept=False)
    # Only the remote participant needs a message; the local one sees it on the site.
    assert setup.answers.sent == [("Accept", REMOTE, "https://mobilizon.example/join/1")]
    counts = await setup.rsvps.counts(training.id)
    assert (counts.going, counts.pending) == (1, 0)
    assert await setup.rsvps.answer_of(training.id, OURS + "priya") is None


async def test_a_refused_remote_join_hears_a_reject(setup: Setup) -> None:
    training = await event(setup, join_mode="restricted")
    await setup.rsvps.join(training.id, REMOTE, "https://mobilizon.example/join/1", is_member=False)
    await setup.admission.answer(training.id, REMOTE, accept=False)
    assert setup.answers.sent == [("Reject", REMOTE, "https://mobilizon.example/join/1")]


async def test_answering_a_gone_or_answered_request_changes_nothing(setup: Setup) -> None:
    training = await event(setup, join_mode="restricted", capacity=1)
    with pytest.raises(NotFound, match="withdrawn or refused"):
        await setup.admission.answer(training.id, REMOTE, accept=True)
    await setup.rsvps.join(training.id, REMOTE, "j1", is_member=False)
    await setup.rsvps.join(training.id, "https://other.example/u/bo", "j2", is_member=False)
    await setup.admission.answer(training.id, REMOTE, accept=True)
    with pytest.raises(Conflict, match="already accepted"):
        await setup.admission.answer(training.id, REMOTE, accept=False)
    # The one place is taken: accepting the second is refused, the request stays.
    with pytest.raises(RsvpRefused, match="full"):
        await setup.admission.answer(training.id, "https://other.example/u/bo", accept=True)
    assert [r.participant for r in await setup.admission.requests(training.id)] == ["https://other.example/u/bo"]
    assert setup.answers.sent == [("Accept", REMOTE, "j1")]


async def test_an_invited_only_event_takes_the_invited_and_refuses_others(setup: Setup) -> None:
    closed = await event(setup, join_mode="invite")
    with pytest.raises(RsvpRefused, match="invitation only; ask the organisers"):
        await setup.rsvps.join(closed.id, REMOTE, "j1", is_member=False)
    with pytest.raises(RsvpRefused, match="invitation only"):
        await setup.rsvps.rsvp(closed.id, RsvpStatus.GOING, username="priya", actor_id=OURS + "priya",
                               role=Role.MEMBER)

    remote = await setup.admission.invite(closed.id, "@ana@mobilizon.example", invited_by="tom")
    local = await setup.admission.invite(closed.id, "priya", invited_by="tom")
    by_url = await setup.admission.invite(closed.id, OURS + "tom", invited_by="tom")
    assert (remote.invitee, remote.label) == (REMOTE, "@ana@mobilizon.example")
    assert (local.invitee, by_url.invitee) == (OURS + "priya", OURS + "tom")
    assert (await setup.rsvps.join(closed.id, REMOTE, "j1", is_member=False)).accepted
    assert (await setup.rsvps.rsvp(closed.id, RsvpStatus.GOING, username="priya", actor_id=OURS + "priya",
                                   role=Role.MEMBER)).accepted
    # Inviting twice keeps the first invitation.
    again = await setup.admission.invite(closed.id, REMOTE, invited_by="priya")
    assert again.invited_by == "tom"
    assert len(await setup.admission.invitations_of(closed.id)) == 3


@pytest.mark.parametrize("reference, reason", [
    ("@nobody@mobilizon.example", "could not find @nobody@mobilizon.example"),
    ("https://mobilizon.example/@gone", "could not find https://mobilizon.example/@gone"),
    ("nobody", "no account named nobody"),
    ("@nobody@london.test", "no account named nobody"),
    ("not an address@", "write the address as"),
])
async def test_inviting_someone_unknown_is_refused_and_stores_nothing(setup: Setup, reference: str,
                                                                      reason: str) -> None:
    closed = await event(setup, join_mode="invite")
    with pytest.raises(ValidationError, match=reason) as refused:
        await setup.admission.invite(closed.id, reference, invited_by="tom")
    assert refused.value.field == "actor"
    assert await setup.admission.invitations_of(closed.id) == []


async def test_an_invitation_skips_the_wait_and_can_be_withdrawn(setup: Setup) -> None:
    training = await event(setup, join_mode="restricted")
    await setup.admission.invite(training.id, REMOTE, invited_by="tom")
    assert (await setup.rsvps.join(training.id, REMOTE, "j1", is_member=False)).accepted
    await setup.admission.uninvite(training.id, REMOTE)
    with pytest.raises(NotFound):
        await setup.admission.uninvite(training.id, REMOTE)
    with pytest.raises(NotFound):
        await setup.admission.invite("missing", REMOTE, invited_by="tom")
