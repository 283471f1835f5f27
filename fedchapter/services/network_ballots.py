"""Network-wide member ballots (``scope: "members"``, docs/networks.md).

Every member of every member chapter has one ballot. Each chapter opens its
own copy of the network's proposal as soon as the offer arrives; members vote
at their chapter; the chapter forwards each ballot to the network as it is
cast and again when it changes, signed by the chapter (which vouches that the
voter is one of its voting members). The network keeps one ballot per voter,
so a person reached through two chapters counts once, and counts them with
the proposal's own method, with the same code as a local proposal.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from fedchapter.clock import utc_now
from fedchapter.errors import N_, Conflict, Forbidden, NotFound, ValidationError
from fedchapter.networks.model import ForwardedBallot, NetworkBallot, Scope
from fedchapter.proposals.ballots import read_ballot
from fedchapter.proposals.model import Proposal, ProposalOffer, Vote, VoteChannel
from fedchapter.services.proposals import VotingMembers


class BallotStore(Protocol):
    async def ballot(self, proposal_id: str, voter: str) -> NetworkBallot | None: ...
    async def ballots(self, proposal_id: str) -> list[NetworkBallot]: ...
    async def put_ballot(self, proposal_id: str, ballot: NetworkBallot, members: int, at: datetime) -> None: ...
    async def electorate(self, proposal_id: str) -> int: ...


class ProposalLookup(Protocol):
    async def get(self, proposal_id: str) -> Proposal | None: ...


class OfferLookup(Protocol):
    async def offer(self, question_id: str) -> ProposalOffer | None: ...


class BallotCourier(Protocol):
    """Sends a forwarded ballot to the network (``federation.network_ballots``)."""

    async def forward(self, ballot: ForwardedBallot) -> None: ...


@dataclass(frozen=True)
class MembersTally:
    """What a members-scope result adds to the counts: each chapter's turnout."""

    by_chapter: dict[str, int]


def ballot_body(proposal: Proposal, choices: tuple[str, ...]) -> dict[str, object]:
    """The choices in the shape ``read_ballot`` checks for this method."""
    if proposal.method.is_ranked:
        return {"ranking": list(choices)}
    if proposal.method.allows_several_choices:
        return {"choices": list(choices)}
    return {"choice": choices[0] if len(choices) == 1 else list(choices)}


class BallotForwarding:
    """The chapter side: called with each vote cast on one of our proposals."""

    def __init__(self, offers: OfferLookup, members: VotingMembers, courier: BallotCourier) -> None:
        self.offers = offers
        self.members = members
        self.courier = courier

    async def __call__(self, proposal: Proposal, vote: Vote, changed: bool) -> None:
        if proposal.adopted_from is None or proposal.origin_chapter is None:
            return
        offer = await self.offers.offer(proposal.adopted_from)
        if offer is None or offer.scope != Scope.MEMBERS.value:
            return  # an ordinary adopted proposal: the chapter reports only its result
        await self.courier.forward(ForwardedBallot(
            proposal=proposal, origin_question=proposal.adopted_from, network=proposal.origin_chapter,
            voter=vote.voter, choices=vote.choices, cast_at=vote.cast_at, members=await self.members.count(),
            changed=changed,
        ))


class NetworkBallotService:
    """The network side: ballots forwarded by the member chapters."""

    def __init__(
        self, store: BallotStore, proposals: ProposalLookup, *, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self.store = store
        self.proposals = proposals
        self.clock = clock

    async def receive(
        self, proposal_id: str, chapter: str, voter: str, choices: tuple[str, ...], cast_at: datetime,
        members: int, document: str,
    ) -> NetworkBallot:
        """A member chapter forwards one member's ballot (its proof already checked)."""
        proposal = await self.proposals.get(proposal_id)
        if proposal is None:
            raise NotFound("no such proposal")
        if proposal.scope != Scope.MEMBERS.value:
            raise Conflict("this proposal is not put to every member (its scope is not members)")
        if chapter not in proposal.share_with:
            raise Forbidden("this network proposal was not offered to that chapter")
        if not proposal.is_accepting_votes(self.clock()):
            raise Conflict("voting on this proposal has closed")
        if isinstance(members, bool) or not isinstance(members, int) or members < 0:
            raise ValidationError("members", N_("must be a whole number"))
        if not choices:
            raise ValidationError("choices", N_("a ballot names at least one choice"))
        ballot = read_ballot(proposal, ballot_body(proposal, choices))
        earlier = await self.store.ballot(proposal_id, voter)
        if earlier is not None and earlier.chapter != chapter:
            raise Conflict(f"this voter is already counted through {earlier.chapter}; one person, one ballot")
        if earlier is not None and earlier.cast_at > cast_at:
            raise Conflict("a later ballot of this voter is already counted")
        stored = NetworkBallot(voter=voter, chapter=chapter, choices=ballot.choices, cast_at=cast_at,
                               document=document)
        await self.store.put_ballot(proposal_id, stored, members, self.clock())
        return stored

    async def counted_votes(self, proposal: Proposal) -> tuple[list[Vote], int]:
        """The forwarded ballots as votes, and the chapters' voting members they
        said they have (both empty for any other proposal)."""
        if proposal.scope != Scope.MEMBERS.value:
            return [], 0
        ballots = await self.store.ballots(proposal.id)
        votes = [Vote(voter=ballot.voter, choices=ballot.choices, channel=VoteChannel.CHAPTER,
                      cast_at=ballot.cast_at) for ballot in ballots]
        return votes, await self.store.electorate(proposal.id)

    async def tally(self, proposal: Proposal) -> MembersTally:
        ballots = await self.store.ballots(proposal.id)
        turnout = Counter(ballot.chapter for ballot in ballots)
        # Every offered chapter is a key, at zero until its members vote.
        return MembersTally(by_chapter={chapter: turnout.get(chapter, 0) for chapter in
                                        dict.fromkeys([*proposal.share_with, *turnout])})
