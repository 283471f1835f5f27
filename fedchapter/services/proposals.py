"""Proposals and votes: the use cases the site, the API and the inbox share.

The vote rules (also in docs/federation-proposals.md):

* Eligibility is checked when a vote arrives: the voter must be a voting
  member *then* (a local account with a voting role, or a remote member
  actor), whatever they were when the proposal opened.
* One member, one vote, stored under the member's key (their actor URL), so
  the site and Mastodon lead to the same row.
* A vote on the site may be changed until the close; it replaces the member's
  vote wherever it was cast (including a Mastodon poll vote).
* A Mastodon poll vote (one Note per option) is accepted only while the member
  has no vote, or to add options to their own earlier poll vote on a multiple
  choice poll; a poll vote from a member who already voted otherwise is
  refused with a reason (Mastodon cannot change a poll vote, so a later poll
  vote is a second vote, not a change), and their vote stays as it was.
* Nothing is counted after the close: `closes_at` is the deadline even
  before the close has been processed.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Protocol

from fedchapter.clock import utc_now
from fedchapter.errors import N_, Conflict, Forbidden, NotFound, ValidationError
from fedchapter.networks.tally import NetworkTally
from fedchapter.proposals.ballots import read_ballot
from fedchapter.proposals.model import (
    ChapterDecision,
    Method,
    PollSnapshot,
    Proposal,
    Status,
    Vote,
    VoteChannel,
    VoteRecord,
)
from fedchapter.proposals.tally import Objection, ProposalResult, first_counts, objections, tally
from fedchapter.proposals.validation import MAX_BODY, ProposalDraft, read_proposal
from fedchapter.publishing import Change, Publisher, UnitOfWork, Verb
from fedchapter.roles import Permission, Role, can
from fedchapter.tokens import new_short_id

# Mastodon batches poll updates over a few minutes; we send at most one
# Update(Question) per proposal per this interval.
DEFAULT_BATCH_INTERVAL = timedelta(seconds=60)


class ProposalStore(Protocol):
    async def add(self, proposal: Proposal) -> None: ...
    async def get(self, proposal_id: str) -> Proposal | None: ...
    async def page(self, statuses: tuple[Status, ...], limit: int, offset: int) -> list[Proposal]: ...
    async def open_ids_due(self, now: datetime) -> list[str]: ...
    async def set_opened(self, proposal_id: str, at: datetime) -> None: ...
    async def set_closed(self, proposal_id: str, at: datetime, result: ProposalResult) -> bool: ...
    async def set_decided(self, proposal_id: str, statement: str) -> None: ...
    async def vote_of(self, proposal_id: str, voter: str) -> Vote | None: ...
    async def votes(self, proposal_id: str) -> list[Vote]: ...
    async def put_vote(self, proposal_id: str, vote: Vote, action: str) -> None: ...
    async def vote_log(self, proposal_id: str) -> list[VoteRecord]: ...
    async def remember_vote_note(self, note_id: str, proposal_id: str, voter: str, at: datetime) -> bool: ...
    async def dirty_ids(self, published_before: datetime) -> list[str]: ...
    async def mark_counts_published(self, proposal_id: str, at: datetime) -> None: ...
    async def mark_counts_dirty(self, proposal_id: str) -> None: ...
    async def next_deadlines(self) -> tuple[datetime | None, datetime | None, bool]: ...


class VotingMembers(Protocol):
    """Who may vote now. Local accounts with a voting role and remote member
    actors; `member_key` maps an actor to the one key its member votes under."""

    async def member_key(self, actor_id: str) -> str | None: ...
    async def count(self) -> int: ...


@dataclass(frozen=True)
class Requester:
    """Whoever asks, as the domain needs to know them: their actor URL and role."""

    actor: str
    role: Role | None

    def may(self, permission: Permission) -> bool:
        return can(self.role, permission)


async def _no_network() -> tuple[str, ...] | None:
    return None


async def _no_forwarding(proposal: Proposal, vote: Vote, changed: bool) -> None:
    return None


async def _no_network_votes(proposal: Proposal) -> tuple[list[Vote], int]:
    return [], 0


async def _no_network_tally(proposal: Proposal) -> NetworkTally | None:
    return None


class ProposalService:
    def __init__(
        self,
        store: ProposalStore,
        members: VotingMembers,
        publisher: Publisher,
        unit_of_work: UnitOfWork,
        *,
        clock: Callable[[], datetime] = utc_now,
        batch_interval: timedelta = DEFAULT_BATCH_INTERVAL,
        on_counts_changed: Callable[[], None] = lambda: None,
        member_chapters: Callable[[], Awaitable[tuple[str, ...] | None]] = _no_network,
        on_vote: Callable[[Proposal, Vote, bool], Awaitable[None]] = _no_forwarding,
        network_votes: Callable[[Proposal], Awaitable[tuple[list[Vote], int]]] = _no_network_votes,
        network_tally: Callable[[Proposal], Awaitable[NetworkTally | None]] = _no_network_tally,
    ) -> None:
        self.store = store
        self.members = members
        self.publisher = publisher
        self.unit_of_work = unit_of_work
        self.clock = clock
        self.batch_interval = batch_interval
        # The sweeper's wake-up: counts changed, so its next deadline (the end
        # of a batch interval) may have moved closer.
        self.on_counts_changed = on_counts_changed
        # On a network: the member chapters' actors a scoped proposal is put to
        # (None when this chapter is no network).
        self.member_chapters = member_chapters
        # On a chapter: each vote cast (True: changed), so a network's members
        # ballot is forwarded as it is cast (services.network_ballots).
        self.on_vote = on_vote
        # On a network: ballots its member chapters forwarded on a members
        # proposal, and the voting members those chapters have.
        self.network_votes = network_votes
        # On a network: the running tally of the chapters' reports on a
        # `scope: "chapters"` proposal, carried in every Update(Question).
        self.network_tally = network_tally

    # Writing and opening ---------------------------------------------------------
    async def create(self, requester: Requester, body: dict[str, Any]) -> Proposal:
        if not requester.may(Permission.DRAFT_PROPOSAL):
            raise Forbidden("only members may draft proposals")
        draft = read_proposal(body, self.clock())
        manager = requester.may(Permission.MANAGE_PROPOSALS)
        status = draft.status or (Status.OPEN if manager else Status.DRAFT)
        if status is Status.OPEN and not manager:
            raise Forbidden("a member's proposal starts as a draft; a facilitator opens it")
        if draft.scope is not None:
            chapters = await self.member_chapters()
            if chapters is None:
                raise ValidationError("scope", N_("only a network (made with init --network) has member chapters"))
            # Offered to every member chapter now: they are the ones expected to report.
            draft = replace(draft, share_with=tuple(dict.fromkeys([*draft.share_with, *chapters])))
        return await self.add(draft, author=requester.actor, status=status)

    async def add(
        self, draft: ProposalDraft, *, author: str, status: Status, adopted_from: str | None = None,
        origin_chapter: str | None = None,
    ) -> Proposal:
        now = self.clock()
        proposal = Proposal(
            id=new_short_id(), title=draft.title, body=draft.body[:MAX_BODY], method=draft.method,
            options=draft.options, seats=draft.seats, stv_rule=draft.stv_rule, closes_at=draft.closes_at,
            quorum=draft.quorum, threshold=draft.threshold, hide_results=draft.hide_results,
            share_with=draft.share_with, author=author, created_at=now, status=status,
            opened_at=now if status is Status.OPEN else None,
            adopted_from=adopted_from, origin_chapter=origin_chapter,
            scope=None if draft.scope is None else draft.scope.value,
            network_rule=None if draft.network_rule is None else draft.network_rule.value,
        )
        async with self.unit_of_work.transaction():
            await self.store.add(proposal)
            if status is Status.OPEN:
                await self._publish_question(Verb.CREATE, proposal, [])
        return proposal

    async def open(self, requester: Requester, proposal_id: str) -> Proposal:
        if not requester.may(Permission.MANAGE_PROPOSALS):
            raise Forbidden("only facilitators open proposals")
        async with self.unit_of_work.transaction():
            proposal = await self._existing(proposal_id)
            if proposal.status is not Status.DRAFT:
                raise Conflict(f"the proposal is {proposal.status.value}, not a draft")
            now = self.clock()
            if proposal.closes_at <= now:
                raise ValidationError("closes_at", N_("the closing time has passed; write a new proposal"))
            await self.store.set_opened(proposal_id, now)
            proposal = replace(proposal, status=Status.OPEN, opened_at=now)
            await self._publish_question(Verb.CREATE, proposal, [])
        return proposal

    # Reading ---------------------------------------------------------------------
    async def get(self, proposal_id: str, viewer: Requester | None = None) -> Proposal:
        proposal = await self._existing(proposal_id)
        if proposal.status is Status.DRAFT and not (viewer and viewer.may(Permission.SEE_MEMBERS_ONLY)):
            raise NotFound("no such proposal")
        if proposal.status is Status.OPEN and proposal.closes_at <= self.clock():
            proposal = await self._close(proposal_id) or await self._existing(proposal_id)
        return proposal

    async def page(self, viewer: Requester | None, limit: int, offset: int = 0) -> list[Proposal]:
        await self.close_due()
        statuses = (Status.OPEN, Status.CLOSED, Status.DECIDED)
        if viewer is not None and viewer.may(Permission.SEE_MEMBERS_ONLY):
            statuses = (*statuses, Status.DRAFT)
        return await self.store.page(statuses, limit, offset)

    async def open_now(self, limit: int) -> list[Proposal]:
        """Proposals taking votes, closing soonest first (the home page's list)."""
        await self.close_due()
        return await self.store.page((Status.OPEN,), limit, 0)

    async def snapshot(self, proposal: Proposal) -> PollSnapshot:
        votes, _ = await self._counted(proposal)
        counts = first_counts(proposal, votes) if proposal.results_visible() else None
        return PollSnapshot(proposal=proposal, counts=counts, voters=len(votes))

    async def objections(self, proposal: Proposal, viewer: Requester | None) -> tuple[Objection, ...]:
        """Every block and disagreement with its author and reason: in the
        result once closed (for all who see it); while open, to members only,
        and not while the counts are hidden (an objection would tell them)."""
        if proposal.result is not None:
            return proposal.result.objections
        if viewer is None or not viewer.may(Permission.SEE_MEMBERS_ONLY) or not proposal.results_visible():
            return ()
        return objections(proposal, await self.store.votes(proposal.id))

    async def my_vote(self, proposal_id: str, actor: str) -> Vote | None:
        key = await self.members.member_key(actor)
        return None if key is None else await self.store.vote_of(proposal_id, key)

    async def vote_log(self, viewer: Requester, proposal_id: str) -> list[VoteRecord]:
        if not viewer.may(Permission.SEE_MEMBERS_ONLY):
            raise Forbidden("only members see who voted")
        await self._existing(proposal_id)
        return await self.store.vote_log(proposal_id)

    # Voting ------------------------------------------------------------------------
    async def vote(self, proposal_id: str, voter_actor: str, body: dict[str, Any]) -> Vote:
        """A vote from the site or the API: checked, then stored in place of any earlier one."""
        async with self.unit_of_work.transaction():
            proposal = await self._votable(proposal_id)
            ballot = read_ballot(proposal, body)
            key = await self._member_key(voter_actor)
            earlier = await self.store.vote_of(proposal_id, key)
            vote = Vote(voter=key, choices=ballot.choices, reason=ballot.reason, channel=VoteChannel.SITE,
                        cast_at=self.clock())
            await self.store.put_vote(proposal_id, vote, "cast" if earlier is None else "changed")
            await self.on_vote(proposal, vote, earlier is not None)
        await self._counts_changed(proposal_id)
        return vote

    async def vote_by_poll(self, proposal_id: str, voter_actor: str, option: str, note_id: str) -> Vote:
        """A Mastodon poll vote: one Note naming one option (see the module's rules)."""
        async with self.unit_of_work.transaction():
            proposal = await self._votable(proposal_id)
            if not proposal.method.mastodon_votable:
                raise ValidationError("name", N_("a %(method)s proposal is voted on the chapter's site"),
                                      method=proposal.method)
            ballot = read_ballot(proposal, {"choice": option})
            key = await self._member_key(voter_actor)
            earlier = await self.store.vote_of(proposal_id, key)
            first_delivery = await self.store.remember_vote_note(note_id, proposal_id, key, self.clock())
            if not first_delivery and earlier is not None:
                return earlier  # the same Note delivered again (a refused one was never remembered)
            if earlier is not None:
                if earlier.channel is VoteChannel.SITE:
                    raise Conflict("this member already voted on the chapter's site; change the vote there")
                if ballot.choices[0] in earlier.choices:
                    return earlier
                if proposal.method is not Method.MULTIPLE:
                    raise Conflict("this member already voted in this poll; one member, one vote")
                chosen = set(earlier.choices) | set(ballot.choices)
                choices = tuple(option for option in proposal.options if option in chosen)
                vote = replace(earlier, choices=choices, cast_at=self.clock())
                await self.store.put_vote(proposal_id, vote, "changed")
            else:
                vote = Vote(voter=key, choices=ballot.choices, channel=VoteChannel.FEDIVERSE, cast_at=self.clock())
                await self.store.put_vote(proposal_id, vote, "cast")
            await self.on_vote(proposal, vote, earlier is not None)
        await self._counts_changed(proposal_id)
        return vote

    async def _counts_changed(self, proposal_id: str) -> None:
        # The next event flushes what is due; the sweeper flushes the rest.
        await self.flush_counts(proposal_id)
        self.on_counts_changed()

    async def _votable(self, proposal_id: str) -> Proposal:
        proposal = await self._existing(proposal_id)
        if proposal.status is Status.DRAFT:
            raise Conflict("the proposal is still a draft; voting has not opened")
        if not proposal.is_accepting_votes(self.clock()):
            raise Conflict("voting on this proposal has closed")
        return proposal

    async def _member_key(self, actor: str) -> str:
        key = await self.members.member_key(actor)
        if key is None:
            raise Forbidden("only the chapter's voting members may vote, and this account is not one")
        return key

    # Closing, deciding, batching ------------------------------------------------------
    async def close(self, requester: Requester, proposal_id: str) -> Proposal:
        if not requester.may(Permission.MANAGE_PROPOSALS):
            raise Forbidden("only facilitators close proposals")
        proposal = await self._existing(proposal_id)
        if proposal.status is not Status.OPEN:
            raise Conflict(f"the proposal is {proposal.status.value}; only an open proposal can be closed")
        return await self._close(proposal_id) or await self._existing(proposal_id)

    async def close_due(self) -> list[str]:
        closed = []
        for proposal_id in await self.store.open_ids_due(self.clock()):
            if await self._close(proposal_id) is not None:
                closed.append(proposal_id)
        return closed

    async def _close(self, proposal_id: str) -> Proposal | None:
        async with self.unit_of_work.transaction():
            proposal = await self._existing(proposal_id)
            if proposal.status is not Status.OPEN:
                return None
            votes, electorate = await self._counted(proposal)
            result = tally(proposal, votes, await self.members.count() + electorate)
            now = self.clock()
            await self.store.set_closed(proposal_id, now, result)
            proposal = replace(proposal, status=Status.CLOSED, closed_at=now, result=result)
            await self._publish_question(Verb.UPDATE, proposal, votes)
            if proposal.adopted_from and proposal.origin_chapter:
                decision = ChapterDecision(proposal=proposal, origin_question=proposal.adopted_from,
                                           origin_chapter=proposal.origin_chapter, result=result)
                await self.publisher.publish(Change(Verb.CREATE, decision, recipients=(proposal.origin_chapter,)))
        return proposal

    async def decide(self, requester: Requester, proposal_id: str, statement: str) -> Proposal:
        if not requester.may(Permission.MANAGE_PROPOSALS):
            raise Forbidden("only facilitators record the decision")
        text = statement.strip() if isinstance(statement, str) else ""
        if not text:
            raise ValidationError("statement", N_("write the outcome statement"))
        if len(text) > MAX_BODY:
            raise ValidationError("statement", N_("must be at most %(max_body)s characters"), max_body=MAX_BODY)
        proposal = await self.get(proposal_id, requester)
        if not proposal.is_finished:
            raise Conflict("close the proposal before recording its decision")
        async with self.unit_of_work.transaction():
            await self.store.set_decided(proposal_id, text)
            proposal = replace(proposal, status=Status.DECIDED, outcome_statement=text)
            await self._publish_question(Verb.UPDATE, proposal, await self.store.votes(proposal_id))
        return proposal

    async def flush_counts(self, proposal_id: str | None = None) -> list[str]:
        """Send Update(Question) for proposals whose counts changed, at most once
        per batch interval each; the dirty flag keeps what is not yet due."""
        now = self.clock()
        due = await self.store.dirty_ids(now - self.batch_interval)
        if proposal_id is not None:
            due = [candidate for candidate in due if candidate == proposal_id]
        flushed = []
        for candidate in due:
            async with self.unit_of_work.transaction():
                proposal = await self._existing(candidate)
                if proposal.status is not Status.OPEN:
                    continue
                await self._publish_question(Verb.UPDATE, proposal, await self.store.votes(candidate))
                await self.store.mark_counts_published(candidate, now)
            flushed.append(candidate)
        return flushed

    async def report_counted(self, proposal_id: str) -> None:
        """A member chapter's report changed the network's tally: every chapter
        offered the proposal hears of it in an Update(Question), batched like
        vote counts while open; a late first report after the close is sent at
        once (no batch runs for a closed proposal)."""
        proposal = await self._existing(proposal_id)
        if proposal.status is Status.OPEN:
            await self.store.mark_counts_dirty(proposal_id)
            await self._counts_changed(proposal_id)
            return
        async with self.unit_of_work.transaction():
            await self._publish_question(Verb.UPDATE, proposal, await self.store.votes(proposal_id))

    async def next_work_at(self) -> datetime | None:
        """When the sweeper next has something to do: a proposal to close, or
        dirty counts whose batch interval runs out."""
        closes_at, oldest_update, never_sent = await self.store.next_deadlines()
        moments = [moment for moment in (closes_at,) if moment is not None]
        if never_sent:
            moments.append(self.clock())
        if oldest_update is not None:
            moments.append(oldest_update + self.batch_interval)
        return min(moments, default=None)

    async def _publish_question(self, verb: Verb, proposal: Proposal, votes: list[Vote]) -> None:
        counts = first_counts(proposal, votes) if proposal.results_visible() else None
        # Mastodon shows a poll's new counts only to accounts it delivers the
        # Update to: followers, plus the members who voted from their server.
        poll_voters = tuple(vote.voter for vote in votes if vote.channel is VoteChannel.FEDIVERSE)
        network = await self.network_tally(proposal) if proposal.scope == "chapters" else None
        snapshot = PollSnapshot(proposal=proposal, counts=counts, voters=len(votes), network=network)
        await self.publisher.publish(Change(verb, snapshot, recipients=(*proposal.share_with, *poll_voters)))

    async def _counted(self, proposal: Proposal) -> tuple[list[Vote], int]:
        """The votes to count and the voting members beyond our own: on a
        network's members proposal, the ballots the chapters forwarded, each
        voter once (a forwarded ballot stands for the person wherever else
        they voted)."""
        own = await self.store.votes(proposal.id)
        forwarded, electorate = await self.network_votes(proposal)
        if not forwarded:
            return own, electorate
        counted = {vote.voter for vote in forwarded}
        return [*forwarded, *(vote for vote in own if vote.voter not in counted)], electorate

    async def _existing(self, proposal_id: str) -> Proposal:
        proposal = await self.store.get(proposal_id)
        if proposal is None:
            raise NotFound("no such proposal")
        return proposal
