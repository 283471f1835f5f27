"""The proposal service's rules over a real database, with a clock we move:
batched Update(Question), one member one vote across the site and Mastodon,
eligibility when the vote arrives, closing on time."""
from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from fedchapter.errors import Conflict, Forbidden, ValidationError
from fedchapter.proposals.model import ChapterDecision, PollSnapshot, Status, VoteChannel
from fedchapter.publishing import Change, Verb
from fedchapter.roles import Role
from fedchapter.services.proposals import ProposalService, Requester
from storage.database import Database
from storage.migrations import open_database
from tests.support.postgres import database_for
from storage.proposals import ProposalRepository
from tests.fedchapter.proposals.proposal_helpers import NOW
from tests.support.clock import FakeClock

FACILITATOR = Requester(actor="http://london.test/actors/fay", role=Role.FACILITATOR)
ALICE = "http://london.test/actors/alice"
MASTODON_ALICE = "http://mastodon.test/users/alice"


@dataclass
class RecordingPublisher:
    changes: list[Change] = field(default_factory=list)

    async def publish(self, change: Change) -> None:
        self.changes.append(change)

    def updates(self) -> list[PollSnapshot]:
        return [c.subject for c in self.changes if c.verb is Verb.UPDATE and isinstance(c.subject, PollSnapshot)]


@dataclass
class Members:
    keys: set[str]

    async def member_key(self, actor_id: str) -> str | None:
        return actor_id if actor_id in self.keys else None

    async def count(self) -> int:
        return len(self.keys)


@dataclass
class Setup:
    service: ProposalService
    publisher: RecordingPublisher
    members: Members
    clock: FakeClock
    database: Database


@pytest.fixture
async def setup(tmp_path: Path) -> AsyncIterator[Setup]:
    database = await open_database(database_for(tmp_path / "chapter.sqlite3"))
    publisher, members, clock = RecordingPublisher(), Members({ALICE, MASTODON_ALICE, "bob", "cy"}), FakeClock(NOW)
    unit_of_work: Any = database
    service = ProposalService(ProposalRepository(database), members, publisher, unit_of_work, clock=clock,
                              batch_interval=timedelta(seconds=60))
    yield Setup(service, publisher, members, clock, database)
    await database.close()


async def open_proposal(setup: Setup, method: str = "yes-no", **extra: Any) -> str:
    body = {"title": "T", "body": "B", "method": method, "closes_at": (NOW + timedelta(days=1)).isoformat(), **extra}
    return (await setup.service.create(FACILITATOR, body)).id


async def test_count_updates_are_batched_and_the_rest_flushed_later(setup: Setup) -> None:
    proposal_id = await open_proposal(setup)
    await setup.service.vote(proposal_id, ALICE, {"choice": "yes"})
    assert [u.counts for u in setup.publisher.updates()] == [{"yes": 1, "no": 0, "abstain": 0}]
    setup.clock.now += timedelta(seconds=10)
    await setup.service.vote(proposal_id, "bob", {"choice": "no"})
    await setup.service.vote(proposal_id, "cy", {"choice": "no"})
    assert len(setup.publisher.updates()) == 1  # within the interval: nothing sent, the flag stays
    assert await setup.service.next_work_at() == NOW + timedelta(seconds=60)
    setup.clock.now = NOW + timedelta(seconds=61)
    assert await setup.service.flush_counts() == [proposal_id]
    assert setup.publisher.updates()[-1].counts == {"yes": 1, "no": 2, "abstain": 0}
    assert await setup.service.flush_counts() == []  # nothing new since


async def test_site_and_mastodon_votes_are_one_vote(setup: Setup) -> None:
    proposal_id = await open_proposal(setup, "single", options=["a", "b"])
    await setup.service.vote(proposal_id, MASTODON_ALICE, {"choice": "a"})
    with pytest.raises(Conflict, match="on the chapter's site"):
        await setup.service.vote_by_poll(proposal_id, MASTODON_ALICE, "b", "note-1")
    other = await open_proposal(setup, "single", options=["a", "b"])
    first = await setup.service.vote_by_poll(other, MASTODON_ALICE, "a", "note-2")
    assert first.channel is VoteChannel.FEDIVERSE
    assert await setup.service.vote_by_poll(other, MASTODON_ALICE, "a", "note-3") == first  # same choice again
    with pytest.raises(Conflict, match="one member, one vote"):
        await setup.service.vote_by_poll(other, MASTODON_ALICE, "b", "note-4")
    # A vote on the site replaces the poll vote: changeable until the close.
    replaced = await setup.service.vote(other, MASTODON_ALICE, {"choice": "b"})
    snapshot = await setup.service.snapshot(await setup.service.get(other))
    assert (replaced.channel, snapshot.counts, snapshot.voters) == (VoteChannel.SITE, {"a": 0, "b": 1}, 1)


async def test_eligibility_is_checked_when_the_vote_arrives(setup: Setup) -> None:
    proposal_id = await open_proposal(setup)
    await setup.service.vote(proposal_id, "bob", {"choice": "yes"})
    setup.members.keys.discard("bob")  # bob left the chapter
    with pytest.raises(Forbidden):
        await setup.service.vote(proposal_id, "bob", {"choice": "no"})
    with pytest.raises(Forbidden):
        await setup.service.vote_by_poll(proposal_id, "http://mastodon.test/users/mallory", "yes", "note-9")
    snapshot = await setup.service.snapshot(await setup.service.get(proposal_id))
    assert snapshot.counts == {"yes": 1, "no": 0, "abstain": 0}  # his earlier vote stands


async def test_poll_votes_cannot_express_consent_or_unknown_options(setup: Setup) -> None:
    consent = await open_proposal(setup, "consent")
    with pytest.raises(ValidationError, match="site"):
        await setup.service.vote_by_poll(consent, MASTODON_ALICE, "agree", "note-1")
    yes_no = await open_proposal(setup)
    with pytest.raises(ValidationError):
        await setup.service.vote_by_poll(yes_no, MASTODON_ALICE, "maybe", "note-2")


async def test_proposals_close_at_their_time_with_the_members_then(setup: Setup) -> None:
    proposal_id = await open_proposal(setup, quorum="50%")
    await setup.service.vote(proposal_id, ALICE, {"choice": "yes"})
    # The first Update went out at once and nothing is dirty: the close is next.
    assert await setup.service.next_work_at() == NOW + timedelta(days=1)
    setup.clock.now = NOW + timedelta(days=1)
    setup.members.keys.update({"dee", "eve"})  # 6 members at the close: 50% needs 3 voters
    assert await setup.service.close_due() == [proposal_id]
    closed = await setup.service.get(proposal_id)
    assert closed.status is Status.CLOSED and closed.result is not None
    assert (closed.result.outcome.value, closed.result.quorum_required) == ("no-quorum", 3)
    last = setup.publisher.updates()[-1]
    assert last.proposal.closed_at == setup.clock.now and last.counts == {"yes": 1, "no": 0, "abstain": 0}


async def test_hidden_counts_are_not_published_while_open(setup: Setup) -> None:
    proposal_id = await open_proposal(setup, hide_results=True)
    await setup.service.vote(proposal_id, ALICE, {"choice": "yes"})
    update = setup.publisher.updates()[-1]
    assert (update.counts, update.voters) == (None, 1)
    await setup.service.close(FACILITATOR, proposal_id)
    assert setup.publisher.updates()[-1].counts == {"yes": 1, "no": 0, "abstain": 0}


async def test_an_adopted_proposal_reports_its_decision_to_the_origin(setup: Setup) -> None:
    from fedchapter.proposals.validation import read_proposal

    draft = read_proposal({"title": "T", "body": "B", "method": "yes-no",
                           "closes_at": (NOW + timedelta(days=1)).isoformat()}, NOW)
    adopted = await setup.service.add(draft, author=FACILITATOR.actor, status=Status.OPEN,
                                      adopted_from="http://london.test/proposals/x",
                                      origin_chapter="http://london.test/actors/london")
    await setup.service.close(FACILITATOR, adopted.id)
    decisions = [c for c in setup.publisher.changes if isinstance(c.subject, ChapterDecision)]
    assert len(decisions) == 1
    assert decisions[0].recipients == ("http://london.test/actors/london",)
    assert decisions[0].subject.origin_question == "http://london.test/proposals/x"

